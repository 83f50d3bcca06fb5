//! The native (host) side of `ziskos::syscalls`: each call computes what the precompile computes
//! in the emulator, checked against the `sha2` and `tiny-keccak` crates and known values.

use ziskos::syscalls::*;

#[test]
fn keccak_f_matches_tiny_keccak() {
    let mut state = [0u64; 25];
    for (i, lane) in state.iter_mut().enumerate() {
        *lane = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    let mut expected = state;
    tiny_keccak::keccakf(&mut expected);
    // SAFETY: `state` is a valid, aligned [u64; 25].
    unsafe { syscall_keccak_f(&mut state) };
    assert_eq!(state, expected);
}

#[test]
fn sha256_f_of_the_padded_empty_message_is_the_empty_digest() {
    let iv: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut state: [u64; 4] =
        std::array::from_fn(|i| iv[2 * i] as u64 | (iv[2 * i + 1] as u64) << 32);
    let mut input = [0u64; 8];
    input[0] = 1 << 63;
    syscall_sha256_f(&mut SyscallSha256Params {
        state: &mut state,
        input: &input,
    });
    let digest: Vec<u8> = state
        .iter()
        .flat_map(|w| [(*w as u32).to_be_bytes(), ((*w >> 32) as u32).to_be_bytes()])
        .flatten()
        .collect();
    use sha2::Digest;
    assert_eq!(digest, sha2::Sha256::digest(b"").to_vec());
}

#[test]
fn arith256_and_mod() {
    let max = [u64::MAX; 4];
    let (mut dl, mut dh) = ([1; 4], [1; 4]);
    syscall_arith256(&mut SyscallArith256Params {
        a: &max,
        b: &max,
        c: &max,
        dl: &mut dl,
        dh: &mut dh,
    });
    assert_eq!((dl, dh), ([0; 4], max));
    let mut d = [9; 4];
    syscall_arith256_mod(&mut SyscallArith256ModParams {
        a: &[7, 0, 0, 0],
        b: &[6, 0, 0, 0],
        c: &[5, 0, 0, 0],
        module: &[10, 0, 0, 0],
        d: &mut d,
    });
    assert_eq!(d, [7, 0, 0, 0]);
}

#[test]
fn arith256_mod_with_zero_modulus_is_refused_natively() {
    // Natively a refused call panics with the same reason the VM reports as an error.
    let refused = std::panic::catch_unwind(|| {
        syscall_arith256_mod(&mut SyscallArith256ModParams {
            a: &[1; 4],
            b: &[1; 4],
            c: &[1; 4],
            module: &[0; 4],
            d: &mut [0; 4],
        });
    })
    .expect_err("a zero modulus must be refused");
    let message = refused
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| refused.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    assert!(
        message.contains("precompile arith256_mod: modulus is zero"),
        "got: {message}"
    );
}

/// The secp256k1 generator and 2G, 3G (SEC 2 and well-known multiples).
fn hex(s: &str) -> [u64; 4] {
    std::array::from_fn(|i| u64::from_str_radix(&s[64 - 16 * (i + 1)..64 - 16 * i], 16).unwrap())
}

#[test]
fn secp256k1_dbl_and_add_give_2g_and_3g() {
    let g = SyscallPoint256 {
        x: hex("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"),
        y: hex("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8"),
    };
    let g2 = SyscallPoint256 {
        x: hex("C6047F9441ED7D6D3045406E95C07CD85C778E4B8CEF3CA7ABAC09B95C709EE5"),
        y: hex("1AE168FEA63DC339A3C58419466CEAEEF7F632653266D0E1236431A950CFE52A"),
    };
    let g3 = SyscallPoint256 {
        x: hex("F9308A019258C31049344F85F89D5229B531C845836F99B08601F113BCE036F9"),
        y: hex("388F7B0F632DE8140FE337E62A37F3566500A99934C2231B6CB9FD7584B8E672"),
    };
    let mut p = g;
    syscall_secp256k1_dbl(&mut p);
    assert_eq!(p, g2);
    syscall_secp256k1_add(&mut SyscallSecp256k1AddParams { p1: &mut p, p2: &g });
    assert_eq!(p, g3);
}

#[test]
fn parameter_blocks_are_arrays_of_pointers() {
    use std::mem::size_of;
    assert_eq!(size_of::<SyscallSha256Params<'_>>(), 2 * size_of::<usize>());
    assert_eq!(
        size_of::<SyscallArith256Params<'_>>(),
        5 * size_of::<usize>()
    );
    assert_eq!(
        size_of::<SyscallArith256ModParams<'_>>(),
        5 * size_of::<usize>()
    );
    assert_eq!(
        size_of::<SyscallSecp256k1AddParams<'_>>(),
        2 * size_of::<usize>()
    );
    assert_eq!(size_of::<SyscallPoint256>(), 64);
    assert_eq!(abi::CSR_KECCAK, 0x800);
    assert_eq!(abi::CSR_SHA256, 0x805);
}
