//! `cargo-zisk`: build, run, prove and verify ZisK programs.
fn main() {}
