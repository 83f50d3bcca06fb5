//! Witness fillers: one module per `.pil` file, at the same path (`pil/<path>.pil` is filled by
//! `witness/<path>.rs`).
//!
//! A filler turns a machine's inputs into the traces of the AIRs its `.pil` file declares,
//! through the generated row structs and `generate_trace*` builders, and hands them to a
//! [`crate::pil::PilWitness`]. A table AIR's multiplicities are filled by the filler of the
//! machine that looks it up. Range tables are the prover's ([`crate::pil::PilWitness::finish`]).
//! `cargo xtask new-machine <name>` writes the stub `witness/<name>.rs` and registers it here.

pub mod example;
pub mod zisk;
