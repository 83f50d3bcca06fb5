//! Native (host) implementation of the `ziskos` API, for running guest programs with `cargo run`.

use std::path::PathBuf;

/// Reads the input file: `$ZISK_INPUT_FILE`, or `build/input.bin`.
pub(crate) fn read_input() -> Vec<u8> {
    let path = std::env::var_os(crate::INPUT_FILE_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(crate::DEFAULT_INPUT_FILE));
    match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) => panic!(
            "ziskos: cannot read the input file {} ({err}); set {} to choose another file",
            path.display(),
            crate::INPUT_FILE_ENV
        ),
    }
}

/// Prints the output as the ZisK tools print public values.
pub(crate) fn set_output(id: usize, value: u32) {
    println!("public {id}: 0x{value:08x}");
}

/// Runs the guest's entry function as the process's `main`; a panic gives exit code 101.
pub fn run_native(entry: fn()) -> i32 {
    match std::panic::catch_unwind(entry) {
        Ok(()) => 0,
        Err(_) => 101,
    }
}
