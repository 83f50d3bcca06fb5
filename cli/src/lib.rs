//! Shared code of the `cargo-zisk` and `ziskemu` binaries.
pub mod emu;
