//! Prover benchmarks.
fn main() {}
