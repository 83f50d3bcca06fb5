//! Proving the AIRs generated from `pil/`: an adapter from `zisk_generated` to [`ZiskAir`],
//! built-in range tables, and the witness assembly that fills them.
//!
//! The generated code stays the single source of truth: [`PilMachineAir::Pil`] runs the
//! generated `eval` (every constraint, in table order, so constraint `i` is labelled with the
//! PIL statement `X_CONSTRAINTS[i]`) and then pushes the generated `PilAir::interactions` through
//! `p3_lookup::InteractionBuilder`:
//!
//! - bus `opid` becomes the global bus `"bus:<opid>"`, range `k` the bus `"range:<bus>"`;
//! - an assume contributes `−multiplicity`, a prove `+multiplicity`, a free term `+multiplicity`
//!   (the sign convention of `zisk_generated::support::Direction`), so a balanced bus sums to 0;
//! - assumes and permutations carry selectors the PIL compiler constrains to be boolean, so their
//!   per-row bound (LogUp height check) is 1; the proving side of a lookup is a table
//!   multiplicity (`Count::provided`);
//! - per-instance terms (`direct_update_*`) become [`ZiskAir::direct_terms`], proof-level terms
//!   (`direct_global_update_*`) [`ZiskAir::global_terms`]: the verifier adds their fractions to
//!   the bus balance, so public values are bound by the buses they feed.
//!
//! Every `range_check(expr, min, max)` of the program gets a [`RangeTableAir`] (fixed column
//! `min..=max`, one multiplicity column), appended after the generated AIRs;
//! [`PilWitness::finish`] fills its multiplicities from the values the other instances check.
//! Instance public values are the proof's publics and proofvals followed by the AIR's airvals;
//! [`ZiskAir::shared_public_values`] makes prover and verifier hold the prefix to the proof's.
//!
//! Adding a machine is one `.pil` file plus one witness filler (`prover/src/witness/`): nothing
//! in this module names a machine.

use std::sync::Arc;

use p3_air::{Air, BaseAir, RowWindow, WindowAccess};
use p3_batch_stark::folder::{
    ProverConstraintFolderWithLookups, VerifierConstraintFolderWithLookups,
};
use p3_field::{PrimeCharacteristicRing, PrimeField64};
use p3_lookup::{Count, InteractionBuilder, InteractionSymbolicBuilder};
use p3_matrix::dense::RowMajorMatrix;
use p3_matrix::Matrix;
use zisk_generated::support::{
    self, BusKind, Direction, InteractionInfo, PilProgramInfo, RangeInfo, RowBuilder, Scope,
};

use crate::air::{DirectTerm, ZiskAir};
use crate::check::ConstraintChecker;
use crate::config::{Challenge, StarkCfg, StarkParams, Val};
use crate::error::SetupError;
use crate::keys::{setup, ProvingKey, MIN_LOG_HEIGHT};
use crate::proof::InstanceSpec;

/// A generated PIL program: its AIR registry, ranges and proof-level bus terms
/// ([`PilProgramInfo`], implemented by each program's `AnyAir`, e.g.
/// `zisk_generated::example::AnyAir` and `zisk_generated::zisk::AnyAir`).
///
/// Implemented for every generated program; the bounds are what every generated AIR provides
/// (`impl<AB: AirBuilder> Air<AB>`).
pub trait PilProgram:
    PilProgramInfo
    + BaseAir<Val>
    + Air<InteractionSymbolicBuilder<Val, Challenge>>
    + for<'a> Air<ProverConstraintFolderWithLookups<'a, StarkCfg>>
    + for<'a> Air<VerifierConstraintFolderWithLookups<'a, StarkCfg>>
    + for<'a> Air<ConstraintChecker<'a>>
    + for<'a> Air<RowBuilder<'a, Val>>
    + Clone
    + PartialEq
    + Send
    + Sync
    + 'static
{
}

impl<T> PilProgram for T where
    T: PilProgramInfo
        + BaseAir<Val>
        + Air<InteractionSymbolicBuilder<Val, Challenge>>
        + for<'a> Air<ProverConstraintFolderWithLookups<'a, StarkCfg>>
        + for<'a> Air<VerifierConstraintFolderWithLookups<'a, StarkCfg>>
        + for<'a> Air<ConstraintChecker<'a>>
        + for<'a> Air<RowBuilder<'a, Val>>
        + Clone
        + PartialEq
        + Send
        + Sync
        + 'static
{
}

/// The prover's name of the bus a PIL call talks on.
pub fn bus_name(info: &InteractionInfo) -> String {
    match info.kind {
        BusKind::RangeCheck => range_bus_name(info.bus),
        _ => format!("bus:{}", info.bus),
    }
}

fn range_bus_name(bus: u64) -> String {
    format!("range:{bus}")
}

/// `multiplicity` with the direction's sign: assumes consume, proves and free terms provide.
fn signed<E: PrimeCharacteristicRing>(info: &InteractionInfo, multiplicity: E) -> E {
    match info.direction {
        Direction::Assume => -multiplicity,
        Direction::Prove | Direction::Free => multiplicity,
    }
}

fn direct_term(info: &InteractionInfo, values: Vec<Val>, multiplicity: Val) -> DirectTerm {
    DirectTerm {
        bus: bus_name(info),
        fields: values,
        count: signed(info, multiplicity),
    }
}

/// The range table of one `range_check` range: fixed column `min..=max` (padded by repeating
/// `min`), main column: how often each value is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeTableAir {
    /// The range.
    pub range: RangeInfo,
}

impl RangeTableAir {
    /// Number of values in the range.
    pub fn len(&self) -> u128 {
        (i128::from(self.range.max) - i128::from(self.range.min) + 1).max(0) as u128
    }

    /// Whether the range is empty (the compiler rejects empty ranges).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// log2 of the table height: the smallest power of two holding the range, at least
    /// [`MIN_LOG_HEIGHT`].
    pub fn log_height(&self) -> usize {
        let bits = (128 - self.len().saturating_sub(1).leading_zeros()) as usize;
        bits.max(MIN_LOG_HEIGHT)
    }

    /// The row holding `value` (canonical field element), if it is in the range.
    pub fn row_of(&self, value: u64) -> Option<usize> {
        let p = Val::ORDER_U64;
        let signed = if value > p / 2 {
            -i128::from(p - value)
        } else {
            i128::from(value)
        };
        let offset = signed - i128::from(self.range.min);
        (0..self.len() as i128)
            .contains(&offset)
            .then_some(offset as usize)
    }

    fn values(&self) -> RowMajorMatrix<Val> {
        let height = 1usize << self.log_height();
        let len = self.len();
        let min = i128::from(self.range.min);
        RowMajorMatrix::new_col(
            (0..height)
                .map(|row| {
                    let v = if (row as u128) < len {
                        min + row as i128
                    } else {
                        min
                    };
                    Val::from_i64(v as i64)
                })
                .collect(),
        )
    }
}

/// An AIR the prover runs for a PIL program: a generated AIR or a built-in range table.
#[derive(Clone, Debug)]
pub enum PilMachineAir<A> {
    /// A generated AIR; `buses[i]` names the bus of its `i`-th interaction.
    Pil {
        /// The generated AIR.
        air: A,
        /// Bus names, in `interaction_infos` order.
        buses: Arc<[String]>,
        /// Fixed columns supplied per statement (the zkVM's program ROM), overriding the
        /// generated ones at their height.
        external: Option<Arc<RowMajorMatrix<Val>>>,
    },
    /// The table of one range.
    Range(RangeTableAir),
}

impl<A: PilProgram> PilMachineAir<A> {
    /// Wraps a generated AIR.
    pub fn pil(air: A) -> Self {
        let buses = air.interaction_infos().iter().map(bus_name).collect();
        Self::Pil {
            air,
            buses,
            external: None,
        }
    }

    /// The same AIR with per-statement fixed columns (see [`PilWitness::push_external_fixed`]):
    /// [`ZiskAir::fixed_trace`] returns `fixed` at its height. Constraints, buses and the key's
    /// description of the AIR are unchanged.
    pub fn with_external_fixed(self, fixed: RowMajorMatrix<Val>) -> Self {
        match self {
            Self::Pil { air, buses, .. } => Self::Pil {
                air,
                buses,
                external: Some(Arc::new(fixed)),
            },
            other => other,
        }
    }

    /// The generated AIR, if this is one.
    pub fn generated(&self) -> Option<&A> {
        match self {
            Self::Pil { air, .. } => Some(air),
            Self::Range(_) => None,
        }
    }
}

impl<A: PilProgram> BaseAir<Val> for PilMachineAir<A> {
    fn width(&self) -> usize {
        match self {
            Self::Pil { air, .. } => air.width(),
            Self::Range(_) => 1,
        }
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<Val>> {
        match self {
            Self::Pil { air, .. } => air.preprocessed_trace(),
            Self::Range(table) => Some(table.values()),
        }
    }

    fn preprocessed_width(&self) -> usize {
        match self {
            Self::Pil { air, .. } => air.preprocessed_width(),
            Self::Range(_) => 1,
        }
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        match self {
            Self::Pil { air, .. } => air.main_next_row_columns(),
            Self::Range(_) => Vec::new(),
        }
    }

    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        match self {
            Self::Pil { air, .. } => air.preprocessed_next_row_columns(),
            Self::Range(_) => Vec::new(),
        }
    }

    fn num_public_values(&self) -> usize {
        match self {
            Self::Pil { air, .. } => air.num_public_values(),
            Self::Range(_) => 0,
        }
    }

    fn max_constraint_degree(&self) -> Option<usize> {
        match self {
            Self::Pil { air, .. } => air.max_constraint_degree(),
            Self::Range(_) => None,
        }
    }

    fn num_constraints(&self) -> Option<usize> {
        match self {
            Self::Pil { air, .. } => air.num_constraints(),
            Self::Range(_) => Some(0),
        }
    }
}

impl<A, AB> Air<AB> for PilMachineAir<A>
where
    A: PilProgram + Air<AB>,
    AB: InteractionBuilder<F = Val>,
{
    fn eval(&self, builder: &mut AB) {
        match self {
            Self::Pil { air, buses, .. } => {
                air.eval(builder);
                for (term, bus) in air.interactions(&*builder).into_iter().zip(buses.iter()) {
                    if term.info.scope != Scope::Row {
                        continue;
                    }
                    let count = signed(term.info, term.multiplicity);
                    let count = match (term.info.kind, term.info.direction) {
                        (BusKind::Lookup, Direction::Prove) => Count::provided(count),
                        _ => Count::bounded(count, 1),
                    };
                    builder.push_interaction(bus, term.values, count);
                }
            }
            Self::Range(table) => {
                let multiplicity: AB::Expr = builder.main().current_slice()[0].into();
                let value: AB::Expr = builder.preprocessed().current_slice()[0].into();
                builder.push_interaction(
                    &range_bus_name(table.range.bus),
                    [value],
                    Count::provided(multiplicity),
                );
            }
        }
    }
}

impl<A: PilProgram> ZiskAir for PilMachineAir<A> {
    fn name(&self) -> String {
        match self {
            Self::Pil { air, .. } => air.name().to_string(),
            Self::Range(table) => format!("RangeTable[{}..={}]", table.range.min, table.range.max),
        }
    }

    fn constraint_label(&self, index: usize) -> Option<String> {
        let info = self.generated()?.constraints().get(index)?;
        Some(if info.row_offset == 0 {
            info.to_string()
        } else {
            format!("{info} (at PIL row = row {:+})", info.row_offset)
        })
    }

    fn fixed_trace(&self, log_height: usize) -> Option<RowMajorMatrix<Val>> {
        match self {
            Self::Pil {
                external: Some(fixed),
                ..
            } => (fixed.height() == 1 << log_height).then(|| (**fixed).clone()),
            Self::Pil { air, .. } => {
                let height = 1usize << log_height;
                let fits = air.n() == height || (height_generic(air) && height < air.n());
                (air.preprocessed_width() > 0 && fits)
                    .then(|| support::fixed_trace(air.fixed_columns(), height))
            }
            Self::Range(table) => (table.log_height() == log_height).then(|| table.values()),
        }
    }

    fn shared_public_values(&self) -> usize {
        match self {
            Self::Pil { .. } => A::num_publics(),
            Self::Range(_) => 0,
        }
    }

    fn direct_terms(&self, public_values: &[Val]) -> Vec<DirectTerm> {
        let (Self::Pil { air, .. }, true) = (self, public_values.len() == self.num_public_values())
        else {
            return Vec::new();
        };
        if air
            .interaction_infos()
            .iter()
            .all(|i| i.scope != Scope::Instance)
        {
            return Vec::new();
        }
        // Instance terms read only constants and public values; any row will do.
        let main = vec![Val::ZERO; air.width()];
        let fixed = vec![Val::ZERO; air.preprocessed_width()];
        let builder = RowBuilder::new(
            RowWindow::from_two_rows(&main, &main),
            RowWindow::from_two_rows(&fixed, &fixed),
            public_values,
            0,
            1,
        );
        air.interactions(&builder)
            .into_iter()
            .filter(|t| t.info.scope == Scope::Instance)
            .map(|t| direct_term(t.info, t.values, t.multiplicity))
            .collect()
    }

    fn global_terms(airs: &[Self], public_values: &[Val]) -> Result<Vec<DirectTerm>, String> {
        let _ = airs;
        if public_values.len() != A::num_publics() {
            return Err(format!(
                "{} proof-level public values, the program declares {}",
                public_values.len(),
                A::num_publics()
            ));
        }
        Ok(A::global_interactions(public_values)
            .into_iter()
            .map(|t| direct_term(t.info, t.values, t.multiplicity))
            .collect())
    }
}

/// Whether instances of `air` may have any power-of-two height from `2^MIN_LOG_HEIGHT` up to its
/// declared `N`: true when every fixed column is a sequence with a fill (`[1, 0...]`), whose
/// meaning does not depend on the height. Tables given value by value (`Runs`) and sequences
/// without a fill have exactly `N` rows.
pub fn height_generic<A: PilProgram>(air: &A) -> bool {
    air.fixed_columns()
        .iter()
        .all(|c| matches!(&c.values, support::FixedValues::Sequence(s) if s.fill.is_some()))
}

/// The height of an instance holding `rows` rows of a [`height_generic`] AIR: the smallest power
/// of two ≥ `rows`, at least `2^MIN_LOG_HEIGHT` (the one rule every filler sizes traces by).
pub fn instance_height(rows: usize) -> usize {
    rows.next_power_of_two().max(1 << MIN_LOG_HEIGHT)
}

/// Errors assembling a PIL witness.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PilError {
    /// The AIR is not part of the program.
    #[error("air {0} is not part of the program")]
    UnknownAir(String),
    /// A trace does not have the AIR's declared shape.
    #[error("air {air}: trace is {rows}x{cols}, the AIR declares {n}x{width} (height-generic AIRs: any power of two up to N)")]
    TraceShape {
        /// The AIR.
        air: String,
        /// Rows given.
        rows: usize,
        /// Columns given.
        cols: usize,
        /// Declared rows `N`.
        n: usize,
        /// Declared width.
        width: usize,
    },
    /// Wrong number of airvals or proof-level public values.
    #[error("air {air}: {got} public values, expected {expected}")]
    PublicValues {
        /// The AIR (or `proof` for the proof-level values).
        air: String,
        /// Count given.
        got: usize,
        /// Count expected.
        expected: usize,
    },
    /// Setup failed.
    #[error(transparent)]
    Setup(#[from] SetupError),
}

/// The AIRs of a PIL program as the prover sees them: the generated AIRs in AIR-id order, then
/// one [`RangeTableAir`] per range.
#[derive(Clone, Debug)]
pub struct PilMachine<A> {
    airs: Vec<PilMachineAir<A>>,
}

impl<A: PilProgram> Default for PilMachine<A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<A: PilProgram> PilMachine<A> {
    /// The program's AIRs and its range tables.
    pub fn new() -> Self {
        let mut airs: Vec<PilMachineAir<A>> = A::program_airs()
            .into_iter()
            .map(PilMachineAir::pil)
            .collect();
        airs.extend(
            A::ranges()
                .iter()
                .map(|&range| PilMachineAir::Range(RangeTableAir { range })),
        );
        Self { airs }
    }

    /// Every AIR, indexed by AIR id (what [`crate::prove`] and [`crate::verify`] take).
    pub fn airs(&self) -> &[PilMachineAir<A>] {
        &self.airs
    }

    /// The AIR id of a generated AIR.
    pub fn air_id(&self, air: &A) -> Option<usize> {
        self.airs.iter().position(|a| a.generated() == Some(air))
    }

    /// The AIR id of the range table of range bus `bus`.
    pub fn range_air_id(&self, bus: u64) -> Option<usize> {
        self.airs
            .iter()
            .position(|a| matches!(a, PilMachineAir::Range(t) if t.range.bus == bus))
    }

    /// The heights setup commits fixed columns at: each AIR's declared `N` (range tables: their
    /// size), and every height from `2^MIN_LOG_HEIGHT` to `N` for height-generic AIRs (see
    /// [`height_generic`]); AIRs whose height exceeds `2^max_log_height` get none (they cannot
    /// be proven with that key).
    pub fn log_heights(&self, max_log_height: usize) -> Vec<Vec<usize>> {
        self.airs
            .iter()
            .map(|air| {
                let (log_height, generic) = match air {
                    PilMachineAir::Pil { air, .. } => {
                        (air.n().trailing_zeros() as usize, height_generic(air))
                    }
                    PilMachineAir::Range(table) => (table.log_height(), false),
                };
                if generic && air.preprocessed_width() > 0 {
                    (MIN_LOG_HEIGHT..=log_height.min(max_log_height)).collect()
                } else if log_height > max_log_height {
                    Vec::new()
                } else {
                    vec![log_height]
                }
            })
            .collect()
    }

    /// Runs [`setup`] for every AIR at the heights of [`PilMachine::log_heights`].
    pub fn setup(
        &self,
        params: StarkParams,
        max_log_height: usize,
    ) -> Result<ProvingKey, PilError> {
        Ok(setup(
            params,
            &self.airs,
            &self.log_heights(max_log_height),
        )?)
    }

    /// Starts a witness with the proof-level public values (publics, then proofvals).
    pub fn witness(&self, public_values: Vec<Val>) -> Result<PilWitness<'_, A>, PilError> {
        if public_values.len() != A::num_publics() {
            return Err(PilError::PublicValues {
                air: "proof".into(),
                got: public_values.len(),
                expected: A::num_publics(),
            });
        }
        Ok(PilWitness {
            machine: self,
            statement: PilStatement {
                instances: Vec::new(),
                traces: Vec::new(),
                public_values,
            },
        })
    }
}

/// A statement ready for [`crate::prove_traces`], [`crate::verify`] and
/// [`crate::verify_constraints`].
#[derive(Clone, Debug)]
pub struct PilStatement {
    /// The instances.
    pub instances: Vec<InstanceSpec>,
    /// Their main traces.
    pub traces: Vec<RowMajorMatrix<Val>>,
    /// Proof-level public values.
    pub public_values: Vec<Val>,
}

/// Collects the instances of generated AIRs; [`PilWitness::finish`] adds the range tables.
#[derive(Debug)]
pub struct PilWitness<'m, A> {
    machine: &'m PilMachine<A>,
    statement: PilStatement,
}

impl<A: PilProgram> PilWitness<'_, A> {
    /// Adds an instance of `air` with its trace (`N` rows, from the generated
    /// `generate_trace`, or any power of two from `2^MIN_LOG_HEIGHT` to `N` for a
    /// [`height_generic`] AIR) and its airvals; returns the instance index.
    pub fn push(
        &mut self,
        air: &A,
        trace: RowMajorMatrix<Val>,
        airvals: &[Val],
    ) -> Result<usize, PilError> {
        let air_id = self
            .machine
            .air_id(air)
            .ok_or_else(|| PilError::UnknownAir(air.name().to_string()))?;
        let height = trace.height();
        let height_ok = height == air.n()
            || (height_generic(air)
                && height.is_power_of_two()
                && height < air.n()
                && height >= 1 << MIN_LOG_HEIGHT);
        if !height_ok || trace.width() != air.width() {
            return Err(PilError::TraceShape {
                air: air.name().to_string(),
                rows: trace.height(),
                cols: trace.width(),
                n: air.n(),
                width: air.width(),
            });
        }
        let mut public_values = self.statement.public_values.clone();
        public_values.extend_from_slice(airvals);
        if public_values.len() != air.num_public_values() {
            return Err(PilError::PublicValues {
                air: air.name().to_string(),
                got: airvals.len(),
                expected: air
                    .num_public_values()
                    .saturating_sub(self.statement.public_values.len()),
            });
        }
        self.statement.instances.push(InstanceSpec {
            air_id,
            log_height: height.trailing_zeros() as usize,
            public_values,
        });
        self.statement.traces.push(trace);
        Ok(self.statement.instances.len() - 1)
    }

    /// Adds an instance of `air` whose fixed columns the caller commits per statement with
    /// [`ProvingKey::add_fixed`] (the zkVM's Rom): any power-of-two height from
    /// `2^MIN_LOG_HEIGHT` to `N`, no airvals.
    pub fn push_external_fixed(
        &mut self,
        air: &A,
        trace: RowMajorMatrix<Val>,
    ) -> Result<usize, PilError> {
        let air_id = self
            .machine
            .air_id(air)
            .ok_or_else(|| PilError::UnknownAir(air.name().to_string()))?;
        let height = trace.height();
        if !height.is_power_of_two()
            || height > air.n()
            || height < 1 << MIN_LOG_HEIGHT
            || trace.width() != air.width()
        {
            return Err(PilError::TraceShape {
                air: air.name().to_string(),
                rows: height,
                cols: trace.width(),
                n: air.n(),
                width: air.width(),
            });
        }
        self.statement.instances.push(InstanceSpec {
            air_id,
            log_height: height.trailing_zeros() as usize,
            public_values: self.statement.public_values.clone(),
        });
        self.statement.traces.push(trace);
        Ok(self.statement.instances.len() - 1)
    }

    /// Appends one range-table instance per range that some instance checks, with the
    /// multiplicities of the checked values (values outside the range are not counted, so
    /// they leave the range bus unbalanced).
    pub fn finish(mut self) -> PilStatement {
        let mut tables: Vec<(usize, RangeTableAir, Vec<Val>)> = Vec::new();
        let pushed = self.statement.instances.len();
        for index in 0..pushed {
            let (spec, trace) = (
                &self.statement.instances[index],
                &self.statement.traces[index],
            );
            let Some(air) = self.machine.airs[spec.air_id].generated() else {
                continue;
            };
            if air
                .interaction_infos()
                .iter()
                .all(|i| i.kind != BusKind::RangeCheck)
            {
                continue;
            }
            for term in support::eval_interactions(air, trace, None, &spec.public_values) {
                if term.info.kind != BusKind::RangeCheck {
                    continue;
                }
                let Some(air_id) = self.machine.range_air_id(term.info.bus) else {
                    continue;
                };
                let slot = match tables.iter().position(|(id, ..)| *id == air_id) {
                    Some(slot) => slot,
                    None => {
                        let PilMachineAir::Range(table) = self.machine.airs[air_id].clone() else {
                            continue;
                        };
                        let height = 1usize << table.log_height();
                        tables.push((air_id, table, vec![Val::ZERO; height]));
                        tables.len() - 1
                    }
                };
                let (_, table, counts) = &mut tables[slot];
                if let Some(row) = term.values.first().and_then(|&v| table.row_of(v)) {
                    // The term's multiplicity is the signed assume count; the table provides it back.
                    counts[row] -= Val::from_u64(term.multiplicity);
                }
            }
        }
        tables.sort_by_key(|(id, ..)| *id);
        for (air_id, table, counts) in tables {
            self.statement.instances.push(InstanceSpec {
                air_id,
                log_height: table.log_height(),
                public_values: Vec::new(),
            });
            self.statement.traces.push(RowMajorMatrix::new_col(counts));
        }
        self.statement
    }
}
