//! Error types of setup, proving, verification, proof files and constraint checking.

use std::fmt;

/// A problem with an AIR's definition or an instance's shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShapeError {
    /// The AIR id is not in the AIR list.
    #[error("unknown air id {air}")]
    UnknownAir {
        /// The id.
        air: usize,
    },
    /// Two interactions on one bus have different tuple widths.
    #[error("bus width mismatch: {0}")]
    BusWidth(String),
    /// The constraints need more quotient chunks than the blowup allows.
    #[error("air {air}: constraint degree needs 2^{log_chunks} quotient chunks, blowup allows 2^{log_blowup}")]
    DegreeTooHigh {
        /// The AIR id.
        air: usize,
        /// log2 of the chunks needed.
        log_chunks: usize,
        /// log2 of the blowup.
        log_blowup: usize,
    },
}

/// Errors of [`crate::setup`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    /// An AIR's shape is invalid.
    #[error(transparent)]
    Shape(#[from] ShapeError),
    /// A requested height is outside what the parameters support.
    #[error("air {air}: log height {log_height} outside {min}..={max}")]
    HeightOutOfRange {
        /// The AIR id.
        air: usize,
        /// The requested log height.
        log_height: usize,
        /// Smallest supported log height.
        min: usize,
        /// Largest supported log height.
        max: usize,
    },
    /// An AIR with fixed columns gave no fixed trace of the requested height and width.
    #[error("air {air}: no fixed trace of {width} columns for log height {log_height}")]
    MissingFixedTrace {
        /// The AIR id.
        air: usize,
        /// The requested log height.
        log_height: usize,
        /// The declared fixed width.
        width: usize,
    },
    /// The PCS refused to commit.
    #[error("commitment failed: {0}")]
    Commit(String),
    /// A verifying key does not belong to these AIRs or parameters.
    #[error("key mismatch: {0}")]
    KeyMismatch(String),
}

/// Errors of [`crate::prove`]. A witness that violates constraints is not an error: it gives a
/// proof that fails verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProveError {
    /// The statement does not fit the AIRs or the proving key.
    #[error(transparent)]
    Shape(#[from] ShapeError),
    /// An instance refers to a (AIR, height) the key has no fixed commitment for, or a height outside the range.
    #[error("instance {instance}: {reason}")]
    InvalidInstance {
        /// The instance index.
        instance: usize,
        /// What is wrong.
        reason: String,
    },
    /// A trace has the wrong dimensions.
    #[error("instance {instance}: trace is {got_rows}x{got_cols}, expected {rows}x{cols}")]
    TraceShape {
        /// The instance index.
        instance: usize,
        /// Expected rows.
        rows: usize,
        /// Expected columns.
        cols: usize,
        /// Rows received.
        got_rows: usize,
        /// Columns received.
        got_cols: usize,
    },
    /// A regenerated trace committed to a different root than in the first pass.
    #[error("instance {instance}: regenerated trace differs from the committed one")]
    NondeterministicTrace {
        /// The instance index.
        instance: usize,
    },
    /// The bus multiplicities could wrap around the field.
    #[error("lookup multiplicity bound exceeded: {0}")]
    MultiplicityBound(String),
    /// The witness breaks an invariant the LogUp trace generator needs (e.g. non-boolean exclusive flags).
    #[error("instance {instance}: witness rejected while building the bus trace")]
    WitnessRejected {
        /// The instance index.
        instance: usize,
    },
    /// The proof-level bus terms cannot be built from the public values.
    #[error("proof-level bus terms: {0}")]
    GlobalTerms(String),
    /// The PCS failed.
    #[error("pcs failure during {phase}: {message}")]
    Pcs {
        /// The phase.
        phase: &'static str,
        /// The PCS error.
        message: String,
    },
}

/// Errors of [`crate::verify`]; every malformed or false proof ends here, never in a panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The verifying key does not match the AIRs or the parameters.
    #[error("key mismatch: {0}")]
    KeyMismatch(String),
    /// The proof's public values differ from the expected ones.
    #[error(
        "public values mismatch: expected {expected} values, proof has {got} (or contents differ)"
    )]
    PublicValuesMismatch {
        /// Expected count.
        expected: usize,
        /// Count in the proof.
        got: usize,
    },
    /// The proof has no instances.
    #[error("proof has no instances")]
    NoInstances,
    /// An instance's shape does not match its AIR.
    #[error("instance {instance}: invalid shape: {reason}")]
    InvalidShape {
        /// The instance index.
        instance: usize,
        /// What is wrong.
        reason: String,
    },
    /// An instance's shared public values differ from the proof-level public values.
    #[error("instance {instance}: its public values differ from the proof's")]
    InstancePublicValues {
        /// The instance index.
        instance: usize,
    },
    /// The proof-level bus terms cannot be built from the public values.
    #[error("proof-level bus terms: {0}")]
    GlobalTerms(String),
    /// The AIR set is invalid.
    #[error(transparent)]
    Shape(#[from] ShapeError),
    /// The FRI opening proof of an instance is invalid.
    #[error("instance {instance}: opening proof rejected: {reason}")]
    InvalidOpening {
        /// The instance index.
        instance: usize,
        /// The PCS error.
        reason: String,
    },
    /// The out-of-domain point fell inside the trace domain.
    #[error("instance {instance}: out-of-domain point lies in the trace domain")]
    OodPointInDomain {
        /// The instance index.
        instance: usize,
    },
    /// The constraints evaluated at the out-of-domain point do not match the quotient.
    #[error("instance {instance} (air {air}): constraints do not match the quotient at zeta")]
    OodEvaluationMismatch {
        /// The instance index.
        instance: usize,
        /// The AIR name.
        air: String,
    },
    /// The bus sums over all instances do not cancel.
    #[error("buses do not balance: the LogUp terminal sum over all instances is non-zero")]
    BusImbalance,
    /// The bus multiplicities could wrap around the field.
    #[error("lookup multiplicity bound exceeded: {0}")]
    MultiplicityBound(String),
}

/// One violated constraint found by [`crate::verify_constraints`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintFailure {
    /// AIR name.
    pub air: String,
    /// Instance index.
    pub instance: usize,
    /// Row.
    pub row: usize,
    /// Constraint index (order of assertion in `eval`).
    pub constraint: usize,
    /// The AIR's label for the constraint, if it has one.
    pub label: Option<String>,
}

/// One tuple whose multiplicities over a bus do not cancel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusFailure {
    /// Bus name (local lookups are named `air[instance]/local#k`).
    pub bus: String,
    /// The unmatched tuple.
    pub tuple: Vec<u64>,
    /// Net multiplicity (sends positive, receives negative), as a signed integer.
    pub net_multiplicity: i128,
    /// The first (instance, row) places where the tuple appears.
    pub locations: Vec<(usize, usize)>,
}

/// An instance whose trace or public values cannot even be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeFailure {
    /// Instance index (`usize::MAX` for the proof-level public values).
    pub instance: usize,
    /// What is wrong.
    pub message: String,
}

/// Everything [`crate::verify_constraints`] found wrong with a witness.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConstraintReport {
    /// Violated constraints (the first [`crate::check::MAX_REPORTED_FAILURES`]).
    pub constraint_failures: Vec<ConstraintFailure>,
    /// Total number of violated (constraint, row) pairs.
    pub total_constraint_failures: usize,
    /// Unbalanced bus tuples.
    pub bus_failures: Vec<BusFailure>,
    /// Instances that could not be checked.
    pub shape_failures: Vec<ShapeFailure>,
}

impl ConstraintReport {
    /// True when nothing failed.
    pub fn is_ok(&self) -> bool {
        self.total_constraint_failures == 0
            && self.bus_failures.is_empty()
            && self.shape_failures.is_empty()
    }
}

impl fmt::Display for ConstraintReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} constraint failures, {} unbalanced bus tuples, {} malformed instances",
            self.total_constraint_failures,
            self.bus_failures.len(),
            self.shape_failures.len()
        )?;
        for s in &self.shape_failures {
            writeln!(f, "instance {}: {}", s.instance, s.message)?;
        }
        for c in &self.constraint_failures {
            write!(
                f,
                "air {} instance {} row {}: constraint {}",
                c.air, c.instance, c.row, c.constraint
            )?;
            if let Some(label) = &c.label {
                write!(f, " ({label})")?;
            }
            writeln!(f)?;
        }
        for b in &self.bus_failures {
            writeln!(
                f,
                "bus {}: tuple {:?} has net multiplicity {} (first at {:?})",
                b.bus, b.tuple, b.net_multiplicity, b.locations
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ConstraintReport {}

/// Errors reading or writing a proof file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofFormatError {
    /// The data is shorter than the header.
    #[error("proof truncated: {len} bytes, header needs {needed}")]
    Truncated {
        /// Bytes available.
        len: usize,
        /// Bytes needed.
        needed: usize,
    },
    /// The magic bytes are wrong: not a proof file.
    #[error("not a zisk proof (bad magic)")]
    BadMagic,
    /// The format version is not supported.
    #[error("unsupported proof format version {found}, expected {expected}")]
    UnsupportedVersion {
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// The proof was made with other parameters.
    #[error("proof parameter hash does not match the verifier's parameters")]
    ParamsMismatch,
    /// The proof was made for another key (AIR set or fixed columns).
    #[error("proof key digest does not match the verifying key")]
    KeyMismatch,
    /// The body could not be decoded.
    #[error("proof body corrupt: {0}")]
    Corrupt(String),
    /// Bytes follow the proof body.
    #[error("{0} trailing bytes after the proof")]
    TrailingBytes(usize),
    /// The body could not be encoded.
    #[error("encoding failed: {0}")]
    Encode(String),
}
