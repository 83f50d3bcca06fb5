//! The zkVM side of `ziskos`: `_start`, console, input/output, the bump heap and the `sys_*`
//! functions that Rust's `std` calls on `target_os = "zkvm"`.
//!
//! std (nightly's `library/std/src/sys/pal/zkvm/abi.rs` and `panic_abort`) references
//! `sys_alloc_aligned`, `sys_alloc_words`, `sys_write`, `sys_read`, `sys_rand`, `sys_getenv`,
//! `sys_argc`, `sys_argv` and `sys_panic`; they are all defined here, together with `sys_halt`,
//! `sys_output` and `sys_log`. `sys_sha_compress`, `sys_sha_buffer` and `sys_cycle_count` are
//! declared by std but never called, and are deliberately not provided: they follow another
//! zkVM's ABI, and a program that needs them fails to link instead of computing wrong results.
//! ZisK's precompiles are the `csrs` calls of `crate::syscalls`.

use core::arch::{asm, global_asm};
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Address of the 64-bit input length; the input bytes follow at `INPUT_ADDR + 8`.
const INPUT_LEN_ADDR: usize = 0x4000_0008;
/// Address of the first input byte.
const INPUT_DATA_ADDR: usize = 0x4000_0010;
/// Address of public output slot 0; slot `i` is the u32 at `OUTPUT_ADDR + 4 * i`.
const OUTPUT_ADDR: usize = 0xA001_0000;
/// A 1-byte store here is printed by the emulator.
const UART_ADDR: usize = 0xA000_0200;

global_asm!(
    r#"
    .section .text.init, "ax", @progbits
    .global _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la gp, _global_pointer
    .option pop
    la sp, _init_stack_top
    call _zisk_main
    li a0, 0
    li a7, 93
    ecall
1:
    j 1b
    "#
);

unsafe extern "C" {
    /// The guest's entry function, defined by `ziskos::entrypoint!`.
    fn main();
    static _kernel_heap_bottom: u8;
    static _kernel_heap_top: u8;
}

/// Called by `_start` once gp and sp are set.
#[unsafe(no_mangle)]
extern "C" fn _zisk_main() {
    // SAFETY: `main` is the `extern "C" fn main()` that `entrypoint!` defines.
    unsafe { main() }
}

/// Ends the run: the VM publishes the outputs and stops.
fn exit() -> ! {
    // SAFETY: the exit ecall does not return.
    unsafe { asm!("li a7, 93", "ecall", in("a0") 0usize, options(noreturn, nostack)) }
}

/// Aborts the run: `unimp` (0xC0001073, `csrrw x0, cycle, x0`) is a guest abort for the VM.
pub(crate) fn abort() -> ! {
    // SAFETY: `unimp` traps; the VM stops with an error.
    unsafe { asm!("unimp", options(noreturn, nostack)) }
}

/// Writes bytes to the emulator's console.
fn console_write(bytes: &[u8]) {
    for &byte in bytes {
        // SAFETY: UART_ADDR is the memory-mapped console of the VM.
        unsafe { core::ptr::write_volatile(UART_ADDR as *mut u8, byte) };
    }
}

/// The input bytes placed by the emulator.
pub(crate) fn input() -> &'static [u8] {
    // SAFETY: the VM maps the input length at INPUT_LEN_ADDR and the bytes right after it,
    // read-only for the whole run.
    unsafe {
        let len = core::ptr::read_volatile(INPUT_LEN_ADDR as *const u64) as usize;
        core::slice::from_raw_parts(INPUT_DATA_ADDR as *const u8, len)
    }
}

/// Stores `value` in output slot `id` (checked by the caller).
pub(crate) fn set_output(id: usize, value: u32) {
    // SAFETY: `id < 64`, so the address is inside the VM's output area.
    unsafe { core::ptr::write_volatile((OUTPUT_ADDR + 4 * id) as *mut u32, value) };
}

/// Next free heap address; 0 until the first allocation.
static HEAP_POS: AtomicUsize = AtomicUsize::new(0);

/// Bump allocation of `bytes` bytes aligned to `align`; aborts when the heap is exhausted.
fn bump_alloc(bytes: usize, align: usize) -> *mut u8 {
    let align = align.max(1);
    // The linker-script symbols are only used for their addresses.
    let bottom = core::ptr::addr_of!(_kernel_heap_bottom) as usize;
    let top = core::ptr::addr_of!(_kernel_heap_top) as usize;
    let mut pos = HEAP_POS.load(Ordering::Relaxed);
    if pos == 0 {
        pos = bottom;
    }
    let start = pos
        .checked_add(align - 1)
        .map(|p| p & !(align - 1))
        .filter(|s| s.checked_add(bytes).is_some_and(|end| end <= top));
    let Some(start) = start else {
        heap_exhausted(bytes, top - pos);
    };
    HEAP_POS.store(start + bytes, Ordering::Relaxed);
    start as *mut u8
}

/// Reports an allocation the heap cannot satisfy, then aborts.
fn heap_exhausted(bytes: usize, left: usize) -> ! {
    let mut line = [0u8; 20];
    console_write(b"ziskos: heap exhausted: cannot allocate ");
    console_write(format_usize(bytes, &mut line));
    console_write(b" bytes (");
    console_write(format_usize(left, &mut line));
    console_write(b" bytes left)\n");
    abort()
}

/// Formats `value` in decimal without allocating.
fn format_usize(mut value: usize, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            return &buf[i..];
        }
    }
}

/// std's `System` allocator: allocates `bytes` bytes aligned to `align` (never freed).
#[unsafe(no_mangle)]
pub extern "C" fn sys_alloc_aligned(bytes: usize, align: usize) -> *mut u8 {
    bump_alloc(bytes, align)
}

/// Allocates `nwords` 32-bit words (used by std for environment variables and arguments).
#[unsafe(no_mangle)]
pub extern "C" fn sys_alloc_words(nwords: usize) -> *mut u32 {
    bump_alloc(nwords.saturating_mul(4), 4).cast()
}

/// Writes to stdout (1) or stderr (2): both go to the emulator's console.
///
/// # Safety
///
/// `write_buf` must be valid for reads of `nbytes` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_write(fd: u32, write_buf: *const u8, nbytes: usize) {
    if fd == 1 || fd == 2 {
        // SAFETY: guaranteed by the caller.
        console_write(unsafe { core::slice::from_raw_parts(write_buf, nbytes) });
    }
}

/// Prints a log message on the console.
///
/// # Safety
///
/// `msg_ptr` must be valid for reads of `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_log(msg_ptr: *const u8, len: usize) {
    // SAFETY: guaranteed by the caller.
    console_write(unsafe { core::slice::from_raw_parts(msg_ptr, len) });
    console_write(b"\n");
}

/// Bytes of the input already consumed through stdin.
static STDIN_POS: AtomicUsize = AtomicUsize::new(0);

/// Reads from stdin (0), which yields the input bytes once; other descriptors are empty.
///
/// # Safety
///
/// `recv_buf` must be valid for writes of `nrequested` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_read(fd: u32, recv_buf: *mut u8, nrequested: usize) -> usize {
    if fd != 0 {
        return 0;
    }
    let input = input();
    let pos = STDIN_POS.load(Ordering::Relaxed).min(input.len());
    let n = nrequested.min(input.len() - pos);
    // SAFETY: the source is inside the input, the destination is guaranteed by the caller.
    unsafe { core::ptr::copy_nonoverlapping(input.as_ptr().add(pos), recv_buf, n) };
    STDIN_POS.store(pos + n, Ordering::Relaxed);
    n
}

/// State of the deterministic generator behind `sys_rand`.
static RAND_STATE: AtomicUsize = AtomicUsize::new(0x1234_5678_9abc_def0);
static RAND_WARNED: AtomicBool = AtomicBool::new(false);

/// Fills `words` 32-bit words with deterministic pseudo-random values (splitmix64).
///
/// A zkVM has no entropy source; std uses this for `HashMap` keys. It is not secure randomness,
/// and the first call prints a warning.
///
/// # Safety
///
/// `recv_buf` must be valid for writes of `words` u32s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sys_rand(recv_buf: *mut u32, words: usize) {
    if !RAND_WARNED.swap(true, Ordering::Relaxed) {
        console_write(b"ziskos: warning: sys_rand is deterministic, not a secure random source\n");
    }
    for i in 0..words {
        let state = RAND_STATE
            .load(Ordering::Relaxed)
            .wrapping_add(0x9e37_79b9_7f4a_7c15);
        RAND_STATE.store(state, Ordering::Relaxed);
        let mut z = state as u64;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        // SAFETY: `i < words`, guaranteed writable by the caller.
        unsafe { recv_buf.add(i).write_unaligned(z as u32) };
    }
}

/// Environment variables do not exist in the VM: always "not set" (`usize::MAX`).
#[unsafe(no_mangle)]
pub extern "C" fn sys_getenv(
    _recv_buf: *mut u32,
    _words: usize,
    _varname: *const u8,
    _varname_len: usize,
) -> usize {
    usize::MAX
}

/// A guest has no command-line arguments.
#[unsafe(no_mangle)]
pub extern "C" fn sys_argc() -> usize {
    0
}

/// A guest has no command-line arguments, so no argument has any bytes.
#[unsafe(no_mangle)]
pub extern "C" fn sys_argv(_out_words: *mut u32, _out_nwords: usize, _arg_index: usize) -> usize {
    0
}

/// Called by `panic_abort` after std's panic hook printed the message: aborts the run.
///
/// The message is not printed again; a panic that bypasses the hook (a replaced hook that prints
/// nothing) still ends here and the VM reports the abort.
#[unsafe(no_mangle)]
pub extern "C" fn sys_panic(_msg_ptr: *const u8, _len: usize) -> ! {
    abort()
}

/// Ends the run normally.
#[unsafe(no_mangle)]
pub extern "C" fn sys_halt() -> ! {
    exit()
}

/// Sets public output `output_id` (risc0-style hook).
#[unsafe(no_mangle)]
pub extern "C" fn sys_output(output_id: u32, output_value: u32) {
    crate::set_output(output_id as usize, output_value);
}
