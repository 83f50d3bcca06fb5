//! Shared code of the `cargo-zisk` and `ziskemu` binaries.
pub mod build;
pub mod emu;
pub mod progress;
pub mod prove;
pub mod sdk;
pub mod toolchain;
