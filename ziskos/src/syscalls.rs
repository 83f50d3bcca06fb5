//! The precompile system calls (zisk-spec §5.4): `#[repr(C)]` parameter blocks of references and
//! one function per precompile.
//!
//! In the zkVM each function is a single `csrs <CSR>, rs1` with `rs1` holding the address of its
//! argument; the transpiler turns it into the precompile instruction. On any other target the
//! same result is computed on the host with `zisk-precompiles`, so guests also run natively.
//! Every pointer must be 8-byte aligned, which the Rust types guarantee. The emulator stops with
//! an error where ZisK leaves a result undefined (zero modulus, adding points with equal x,
//! doubling a point with `y = 0`); natively these cases panic with the same message, which is why
//! those three functions use the `"C-unwind"` ABI (the C calling convention, allowing unwinding).

/// CSR numbers, opcodes and memory layouts, shared with the emulator.
#[path = "../../precompiles/src/abi.rs"]
pub mod abi;

/// An affine point with 256-bit coordinates (little-endian u64 limbs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct SyscallPoint256 {
    /// x coordinate.
    pub x: [u64; 4],
    /// y coordinate.
    pub y: [u64; 4],
}

/// Parameters of [`syscall_sha256_f`].
#[derive(Debug)]
#[repr(C)]
pub struct SyscallSha256Params<'a> {
    /// `H0..H7`, two per word, `H(2i)` in the low half of word `i`.
    pub state: &'a mut [u64; 4],
    /// One 64-byte block as eight big-endian u64 words.
    pub input: &'a [u64; 8],
}

/// Parameters of [`syscall_arith256`]: `a·b + c = dh·2^256 + dl`.
#[derive(Debug)]
#[repr(C)]
pub struct SyscallArith256Params<'a> {
    /// First factor.
    pub a: &'a [u64; 4],
    /// Second factor.
    pub b: &'a [u64; 4],
    /// Addend.
    pub c: &'a [u64; 4],
    /// Low 256 bits of the result.
    pub dl: &'a mut [u64; 4],
    /// High 256 bits of the result.
    pub dh: &'a mut [u64; 4],
}

/// Parameters of [`syscall_arith256_mod`]: `d = (a·b + c) mod module`.
#[derive(Debug)]
#[repr(C)]
pub struct SyscallArith256ModParams<'a> {
    /// First factor.
    pub a: &'a [u64; 4],
    /// Second factor.
    pub b: &'a [u64; 4],
    /// Addend.
    pub c: &'a [u64; 4],
    /// The modulus (nonzero).
    pub module: &'a [u64; 4],
    /// The result.
    pub d: &'a mut [u64; 4],
}

/// Parameters of [`syscall_secp256k1_add`]: `p1 ← p1 + p2`.
#[derive(Debug)]
#[repr(C)]
pub struct SyscallSecp256k1AddParams<'a> {
    /// First point, replaced by the sum.
    pub p1: &'a mut SyscallPoint256,
    /// Second point (its x must differ from `p1`'s).
    pub p2: &'a SyscallPoint256,
}

/// Executes `csrs <csr>, <ptr>`: the precompile call.
#[cfg(zisk_zkvm)]
macro_rules! csrs {
    ($csr:expr, $ptr:expr) => {
        // SAFETY: the precompile reads and writes only the memory the argument describes, which
        // the caller owns for the duration of the call.
        unsafe {
            core::arch::asm!("csrs {csr}, {p}", csr = const $csr, p = in(reg) $ptr, options(nostack))
        }
    };
}

/// Native stand-in for a precompile error the emulator reports.
#[cfg(not(zisk_zkvm))]
#[track_caller]
fn refuse(name: &str, err: zisk_precompiles::PrecompileError) -> ! {
    panic!("precompile {name}: {err}")
}

/// Applies Keccak-f[1600] to the 25 lanes at `state`.
///
/// # Safety
///
/// `state` must be valid for reads and writes of 25 u64 and 8-byte aligned.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn syscall_keccak_f(state: *mut [u64; 25]) {
    #[cfg(zisk_zkvm)]
    csrs!(abi::CSR_KECCAK, state);
    #[cfg(not(zisk_zkvm))]
    // SAFETY: the caller guarantees `state` is a valid, exclusive [u64; 25].
    zisk_precompiles::keccak_f(unsafe { &mut *state });
}

/// SHA-256 compression of one block into the state.
#[unsafe(no_mangle)]
pub extern "C" fn syscall_sha256_f(params: &mut SyscallSha256Params<'_>) {
    #[cfg(zisk_zkvm)]
    csrs!(abi::CSR_SHA256, params as *mut SyscallSha256Params<'_>);
    #[cfg(not(zisk_zkvm))]
    zisk_precompiles::sha256_f(params.state, params.input);
}

/// 256-bit multiply-add: `a·b + c = dh·2^256 + dl`.
#[unsafe(no_mangle)]
pub extern "C" fn syscall_arith256(params: &mut SyscallArith256Params<'_>) {
    #[cfg(zisk_zkvm)]
    csrs!(abi::CSR_ARITH256, params as *mut SyscallArith256Params<'_>);
    #[cfg(not(zisk_zkvm))]
    {
        let (dl, dh) = zisk_precompiles::arith256(params.a, params.b, params.c);
        *params.dl = dl;
        *params.dh = dh;
    }
}

/// 256-bit modular multiply-add: `d = (a·b + c) mod module`. A zero modulus stops the run.
#[unsafe(no_mangle)]
pub extern "C-unwind" fn syscall_arith256_mod(params: &mut SyscallArith256ModParams<'_>) {
    #[cfg(zisk_zkvm)]
    csrs!(
        abi::CSR_ARITH256_MOD,
        params as *mut SyscallArith256ModParams<'_>
    );
    #[cfg(not(zisk_zkvm))]
    match zisk_precompiles::arith256_mod(params.a, params.b, params.c, params.module) {
        Ok(d) => *params.d = d,
        Err(e) => refuse("arith256_mod", e),
    }
}

#[cfg(not(zisk_zkvm))]
fn words(p: &SyscallPoint256) -> [u64; 8] {
    let (x, y) = (p.x, p.y);
    [x[0], x[1], x[2], x[3], y[0], y[1], y[2], y[3]]
}

#[cfg(not(zisk_zkvm))]
fn set(p: &mut SyscallPoint256, w: [u64; 8]) {
    p.x.copy_from_slice(&w[..4]);
    p.y.copy_from_slice(&w[4..]);
}

/// secp256k1 affine addition `p1 ← p1 + p2`; equal x coordinates stop the run.
#[unsafe(no_mangle)]
pub extern "C-unwind" fn syscall_secp256k1_add(params: &mut SyscallSecp256k1AddParams<'_>) {
    #[cfg(zisk_zkvm)]
    csrs!(
        abi::CSR_SECP256K1_ADD,
        params as *mut SyscallSecp256k1AddParams<'_>
    );
    #[cfg(not(zisk_zkvm))]
    match zisk_precompiles::secp256k1_add(&words(params.p1), &words(params.p2)) {
        Ok(r) => set(params.p1, r),
        Err(e) => refuse("secp256k1_add", e),
    }
}

/// secp256k1 affine doubling `p ← 2p`; `y = 0` stops the run.
#[unsafe(no_mangle)]
pub extern "C-unwind" fn syscall_secp256k1_dbl(p: &mut SyscallPoint256) {
    #[cfg(zisk_zkvm)]
    csrs!(abi::CSR_SECP256K1_DBL, p as *mut SyscallPoint256);
    #[cfg(not(zisk_zkvm))]
    match zisk_precompiles::secp256k1_dbl(&words(p)) {
        Ok(r) => set(p, r),
        Err(e) => refuse("secp256k1_dbl", e),
    }
}
