//! `ziskemu`: runs a RISC-V ELF in the ZisK emulator.
fn main() {}
