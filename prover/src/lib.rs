//! Multi-instance STARK prover and verifier with global LogUp buses, built from Plonky3 pieces.
//!
//! A statement is a list of AIR instances (several per AIR, of different heights) plus
//! proof-level public values. The prover commits every main trace first, draws the bus
//! challenges from all commitments (the VADCOP scheme of ZisK, zisk-spec §12), then proves each
//! instance on its own; the verifier checks every instance and that all bus sums cancel.
//!
//! - [`setup`] commits fixed columns and builds the [`ProvingKey`] / [`VerifyingKey`].
//! - [`prove`] / [`prove_traces`] produce a [`Proof`]; [`verify`] checks it.
//! - [`verify_constraints`] checks a witness row by row and reports every failure.
//! - [`pil`] proves the AIRs generated from `pil/` (adapter, range tables, witness assembly).
//! - [`StarkParams`] holds every parameter; [`StarkParams::security`] gives the security level.

pub mod air;
pub mod check;
pub mod config;
pub mod error;
pub mod keys;
pub mod pil;
pub mod proof;
pub mod prover;
mod transcript;
pub mod verifier;
pub mod witness;
pub mod zkvm;

pub use air::{DirectTerm, ZiskAir};
pub use check::{verify_constraints, ConstraintChecker};
pub use config::{Challenge, SecurityReport, SecurityShape, StarkParams, Val};
pub use error::{
    BusFailure, ConstraintFailure, ConstraintReport, ProofFormatError, ProveError, SetupError,
    ShapeError, VerifyError,
};
pub use keys::{setup, KeyFileError, ProvingKey, VerifyingKey, MIN_LOG_HEIGHT};
pub use proof::{InstanceSpec, Proof};
pub use prover::{prove, prove_traces, ProveOptions, TraceRetention};
pub use verifier::{verify, verify_bytes, VerifyBytesError};
