//! `ziskos`: the runtime of programs that run in the ZisK zkVM.
//!
//! A guest program marks its entry point with [`entrypoint!`], reads its input with
//! [`read_input`] and publishes up to 64 public 32-bit outputs with [`set_output`]:
//!
//! ```no_run
//! #![no_main]
//! ziskos::entrypoint!(main);
//!
//! fn main() {
//!     let input = ziskos::read_input();
//!     ziskos::set_output(0, input.len() as u32);
//! }
//! ```
//!
//! On the `riscv64ima-zisk-zkvm-elf` target (`target_os = "zkvm"`, `target_vendor = "zisk"`)
//! the crate provides the `_start` routine, the bump heap and the `sys_*` functions through which
//! Rust's `std` reaches the VM, so guests use `std` (`println!`, `Vec`, `String`, collections)
//! as usual. On any other target the same API works natively: [`read_input`] reads the file
//! named by `ZISK_INPUT_FILE` (default `build/input.bin`) and [`set_output`] prints
//! `public {id}: 0x{value:08x}`.
//!
//! [`syscalls`] exposes the precompiles (keccak-f, sha256-f, arith256, arith256_mod,
//! secp256k1 add/dbl); the crates under `ziskos/patches/` build drop-in `sha2`, `tiny-keccak`
//! and `k256` (ECDSA verification) on them.

pub mod syscalls;

#[cfg(zisk_zkvm)]
mod zkvm;

#[cfg(not(zisk_zkvm))]
mod native;

/// Number of public 32-bit output slots.
pub const OUTPUT_SLOTS: usize = 64;

/// Default input file of native runs, relative to the current directory.
pub const DEFAULT_INPUT_FILE: &str = "build/input.bin";

/// Environment variable that overrides [`DEFAULT_INPUT_FILE`] in native runs.
pub const INPUT_FILE_ENV: &str = "ZISK_INPUT_FILE";

/// Returns the program's input: exactly the bytes of the input file given to the emulator
/// (`-i FILE`). Natively, the bytes of `$ZISK_INPUT_FILE` or `build/input.bin`.
pub fn read_input() -> Vec<u8> {
    #[cfg(zisk_zkvm)]
    {
        zkvm::input().to_vec()
    }
    #[cfg(not(zisk_zkvm))]
    {
        native::read_input()
    }
}

/// Sets public output slot `id` (0..64) to `value`.
///
/// # Panics
///
/// Panics if `id >= 64`.
#[track_caller]
pub fn set_output(id: usize, value: u32) {
    assert!(
        id < OUTPUT_SLOTS,
        "set_output: output id {id} is out of range (at most {OUTPUT_SLOTS} outputs)"
    );
    #[cfg(zisk_zkvm)]
    zkvm::set_output(id, value);
    #[cfg(not(zisk_zkvm))]
    native::set_output(id, value);
}

/// Marks `path` (a `fn()`) as the program's entry point. Use it with `#![no_main]`.
///
/// In the zkVM, `_start` sets up gp and the stack, then calls this function and exits;
/// natively it becomes the process's `main`, and a panic makes the process exit with code 101.
#[macro_export]
macro_rules! entrypoint {
    ($path:path) => {
        const ZISK_ENTRY: fn() = $path;
        $crate::__entrypoint_main!();
    };
}

/// The `main` symbol of a zkVM guest, called by `_start` (via `_zisk_main`).
#[cfg(zisk_zkvm)]
#[doc(hidden)]
#[macro_export]
macro_rules! __entrypoint_main {
    () => {
        mod zisk_generated_main {
            #[unsafe(no_mangle)]
            extern "C" fn main() {
                super::ZISK_ENTRY()
            }
        }
    };
}

/// The C `main` of a native build.
#[cfg(not(zisk_zkvm))]
#[doc(hidden)]
#[macro_export]
macro_rules! __entrypoint_main {
    () => {
        mod zisk_generated_main {
            #[unsafe(no_mangle)]
            extern "C" fn main(_argc: i32, _argv: *const *const u8) -> i32 {
                $crate::__private::run_native(super::ZISK_ENTRY)
            }
        }
    };
}

#[doc(hidden)]
pub mod __private {
    #[cfg(not(zisk_zkvm))]
    pub use crate::native::run_native;
}
