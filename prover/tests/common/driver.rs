//! The scaffold the single-machine tests (`zisk_arith`, `zisk_binary_extension`, `zisk_mem`,
//! `zisk_mem_align`) share: the program's generated AIRs plus a test-only `Driver` AIR that
//! stands for the machine's neighbours on one bus, a proving key for just the AIRs a test
//! uses, and the steps every test takes on a statement (add the driver's instance, check the
//! constraints, prove and verify, change cells one at a time).
//!
//! Included with `#[path = "common/driver.rs"] mod driver;`; like `common/mod.rs`, it allows
//! dead code, since each test uses only part of it.

#![allow(dead_code)]

use std::sync::OnceLock;

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{Count, InteractionBuilder};
use p3_matrix::dense::RowMajorMatrix;
use zisk_generated::support::{BusKind, PilAir, PilProgramInfo};
use zisk_generated::zisk::AnyAir;
use zisk_prover::pil::{PilMachine, PilMachineAir, PilStatement, PilWitness};
use zisk_prover::{
    prove_traces, setup, verify, verify_constraints, ConstraintReport, DirectTerm, InstanceSpec,
    ProvingKey, StarkParams, Val, VerifyError, ZiskAir,
};

/// How the driver's last column counts its row's tuple on the bus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rows {
    /// `sel ∈ {0, 1}`; a row with `sel = 1` assumes its tuple (multiplicity −1), as Main does.
    Assume,
    /// `s ∈ {−1, 0, 1}` is the multiplicity itself: −1 assumes the tuple, +1 proves it.
    Signed,
}

/// The driver AIR: columns `fields` tuple values, then the count column ([`Rows`]); one
/// constraint on the count column, one interaction on `bus`.
#[derive(Clone, Copy, Debug)]
pub struct Driver {
    /// The bus as the prover names it (`bus:<id>`).
    pub bus: &'static str,
    /// Fields of the bus tuple.
    pub fields: usize,
    pub rows: Rows,
    /// The heights setup prepares for the driver; a statement uses the smallest that fits.
    pub log_heights: &'static [usize],
    /// Which of the program's proof-level terms the statements keep: the others need
    /// instances (Main, the memory regions) a single-machine test does not have.
    pub keeps_global_term: fn(&DirectTerm) -> bool,
}

impl Driver {
    /// Trace columns: the tuple, then the count column.
    pub fn width(&self) -> usize {
        self.fields + 1
    }
}

/// The generated AIRs plus the driver.
#[derive(Clone, Debug)]
pub enum TestAir {
    Pil(PilMachineAir<AnyAir>),
    Driver(Driver),
}

impl BaseAir<Val> for TestAir {
    fn width(&self) -> usize {
        match self {
            Self::Pil(a) => a.width(),
            Self::Driver(d) => d.width(),
        }
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<Val>> {
        match self {
            Self::Pil(a) => a.preprocessed_trace(),
            Self::Driver(_) => None,
        }
    }

    fn preprocessed_width(&self) -> usize {
        match self {
            Self::Pil(a) => a.preprocessed_width(),
            Self::Driver(_) => 0,
        }
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        match self {
            Self::Pil(a) => a.main_next_row_columns(),
            Self::Driver(_) => Vec::new(),
        }
    }

    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        match self {
            Self::Pil(a) => a.preprocessed_next_row_columns(),
            Self::Driver(_) => Vec::new(),
        }
    }

    fn num_public_values(&self) -> usize {
        match self {
            Self::Pil(a) => a.num_public_values(),
            Self::Driver(_) => 0,
        }
    }

    fn max_constraint_degree(&self) -> Option<usize> {
        match self {
            Self::Pil(a) => a.max_constraint_degree(),
            Self::Driver(d) => Some(match d.rows {
                Rows::Assume => 2,
                Rows::Signed => 3,
            }),
        }
    }

    fn num_constraints(&self) -> Option<usize> {
        match self {
            Self::Pil(a) => a.num_constraints(),
            Self::Driver(_) => Some(1),
        }
    }
}

impl<AB: InteractionBuilder<F = Val>> Air<AB> for TestAir {
    fn eval(&self, builder: &mut AB) {
        match self {
            Self::Pil(a) => a.eval(builder),
            Self::Driver(d) => {
                let main = builder.main();
                let row: Vec<AB::Expr> = main.current_slice().iter().map(|&v| v.into()).collect();
                let s = row[d.fields].clone();
                let multiplicity = match d.rows {
                    Rows::Assume => {
                        builder.assert_bool(s.clone());
                        -s
                    }
                    Rows::Signed => {
                        builder.assert_zero(
                            s.clone() * (s.clone() - AB::Expr::ONE) * (s.clone() + AB::Expr::ONE),
                        );
                        s
                    }
                };
                builder.push_interaction(
                    d.bus,
                    row[..d.fields].to_vec(),
                    Count::bounded(multiplicity, 1),
                );
            }
        }
    }
}

impl ZiskAir for TestAir {
    fn name(&self) -> String {
        match self {
            Self::Pil(a) => a.name(),
            Self::Driver(_) => "Driver".into(),
        }
    }

    fn constraint_label(&self, index: usize) -> Option<String> {
        match self {
            Self::Pil(a) => a.constraint_label(index),
            Self::Driver(_) => None,
        }
    }

    fn fixed_trace(&self, log_height: usize) -> Option<RowMajorMatrix<Val>> {
        match self {
            Self::Pil(a) => a.fixed_trace(log_height),
            Self::Driver(_) => None,
        }
    }

    fn shared_public_values(&self) -> usize {
        match self {
            Self::Pil(a) => a.shared_public_values(),
            Self::Driver(_) => 0,
        }
    }

    fn direct_terms(&self, public_values: &[Val]) -> Vec<DirectTerm> {
        match self {
            Self::Pil(a) => a.direct_terms(public_values),
            Self::Driver(_) => Vec::new(),
        }
    }

    /// The program's proof-level terms the driver keeps (see [`Driver::keeps_global_term`]).
    fn global_terms(airs: &[Self], public_values: &[Val]) -> Result<Vec<DirectTerm>, String> {
        let keep = airs
            .iter()
            .find_map(|a| match a {
                Self::Driver(d) => Some(d.keeps_global_term),
                Self::Pil(_) => None,
            })
            .ok_or("no driver among the AIRs")?;
        let pil: Vec<PilMachineAir<AnyAir>> = airs
            .iter()
            .filter_map(|a| match a {
                Self::Pil(a) => Some(a.clone()),
                Self::Driver(_) => None,
            })
            .collect();
        Ok(PilMachineAir::global_terms(&pil, public_values)?
            .into_iter()
            .filter(keep)
            .collect())
    }
}

/// Setup heights for `airs` at `log_heights` and for the range tables they use at every height
/// the program gives those; none for the program's other AIRs.
pub fn heights_for(
    machine: &PilMachine<AnyAir>,
    airs: &[AnyAir],
    log_heights: &[usize],
) -> Vec<Vec<usize>> {
    let ranges: Vec<usize> = airs
        .iter()
        .flat_map(|a| a.interaction_infos())
        .filter(|i| i.kind == BusKind::RangeCheck)
        .filter_map(|i| machine.range_air_id(i.bus))
        .collect();
    let all = machine.log_heights(16);
    machine
        .airs()
        .iter()
        .enumerate()
        .map(|(id, a)| match a.generated() {
            Some(g) if airs.contains(g) => log_heights.to_vec(),
            None if ranges.contains(&id) => all[id].clone(),
            _ => Vec::new(),
        })
        .collect()
}

/// Whether `report` names a failed constraint of `air` from `pil_file` (`zisk/arith.pil`)
/// whose label contains `text`.
pub fn names_constraint(report: &ConstraintReport, air: &str, pil_file: &str, text: &str) -> bool {
    report.constraint_failures.iter().any(|f| {
        f.air == air
            && f.label.as_deref().is_some_and(|l| {
                l.strip_prefix(pil_file)
                    .is_some_and(|rest| rest.starts_with(':'))
                    && l.contains(text)
            })
    })
}

/// The program, its AIRs (same ids as the machine's) followed by the driver, and a proving key
/// built on first use.
pub struct Harness {
    pub machine: PilMachine<AnyAir>,
    pub airs: Vec<TestAir>,
    driver: Driver,
    heights: fn(&PilMachine<AnyAir>) -> Vec<Vec<usize>>,
    key: OnceLock<ProvingKey>,
}

impl Harness {
    /// `heights` gives the setup heights of the program's AIRs (the driver's are appended).
    pub fn new(driver: Driver, heights: fn(&PilMachine<AnyAir>) -> Vec<Vec<usize>>) -> Self {
        let machine = PilMachine::new();
        let mut airs: Vec<TestAir> = machine.airs().iter().cloned().map(TestAir::Pil).collect();
        airs.push(TestAir::Driver(driver));
        Self {
            machine,
            airs,
            driver,
            heights,
            key: OnceLock::new(),
        }
    }

    pub fn driver_id(&self) -> usize {
        self.airs.len() - 1
    }

    pub fn key(&self) -> &ProvingKey {
        self.key.get_or_init(|| {
            let mut heights = (self.heights)(&self.machine);
            heights.push(self.driver.log_heights.to_vec());
            setup(StarkParams::testing(), &self.airs, &heights).expect("setup")
        })
    }

    /// An empty witness (the program's proof-level public values are all zero here).
    pub fn witness(&self) -> PilWitness<'_, AnyAir> {
        self.machine
            .witness(vec![Val::ZERO; AnyAir::num_publics()])
            .unwrap()
    }

    /// Adds the driver's instance to `s`: a row per `(tuple, multiplicity)` (−1: assumed,
    /// +1: proved; only −1 for [`Rows::Assume`]), then padding rows of zeros, at the smallest of
    /// the driver's heights that fits.
    pub fn push_driver<T: AsRef<[u64]>>(
        &self,
        s: &mut PilStatement,
        rows: impl IntoIterator<Item = (T, i64)>,
    ) {
        let rows: Vec<(T, i64)> = rows.into_iter().collect();
        let d = self.driver;
        let log_height = *d
            .log_heights
            .iter()
            .find(|&&h| rows.len() <= 1 << h)
            .expect("too many rows for the driver");
        let width = d.width();
        let mut values = vec![Val::ZERO; width << log_height];
        for (cells, (tuple, multiplicity)) in values.chunks_mut(width).zip(&rows) {
            let tuple = tuple.as_ref();
            assert_eq!(tuple.len(), d.fields, "driver tuple length");
            for (cell, &v) in cells.iter_mut().zip(tuple) {
                *cell = Val::from_u64(v);
            }
            cells[d.fields] = match d.rows {
                Rows::Assume => {
                    assert_eq!(*multiplicity, -1, "this driver only assumes tuples");
                    Val::ONE
                }
                Rows::Signed => Val::from_i64(*multiplicity),
            };
        }
        s.instances.push(InstanceSpec {
            air_id: self.driver_id(),
            log_height,
            public_values: Vec::new(),
        });
        s.traces.push(RowMajorMatrix::new(values, width));
    }

    pub fn check(&self, s: &PilStatement) -> Result<(), ConstraintReport> {
        verify_constraints(&self.airs, &s.instances, &s.public_values, |i| {
            s.traces[i].clone()
        })
    }

    pub fn prove_and_verify(&self, s: &PilStatement) -> Result<(), VerifyError> {
        let proof = prove_traces(
            self.key(),
            &self.airs,
            &s.instances,
            &s.public_values,
            &s.traces,
        )
        .expect("a well-shaped witness always proves");
        verify(&self.key().vk, &self.airs, &proof, &s.public_values)
    }

    /// The instances of the AIR called `name`, in statement order.
    pub fn instances(&self, s: &PilStatement, name: &str) -> Vec<usize> {
        s.instances
            .iter()
            .enumerate()
            .filter(|(_, i)| self.airs[i.air_id].name() == name)
            .map(|(k, _)| k)
            .collect()
    }

    /// The first instance of the AIR called `name`.
    pub fn instance(&self, s: &PilStatement, name: &str) -> usize {
        self.instances(s, name)
            .first()
            .copied()
            .unwrap_or_else(|| panic!("no {name} instance"))
    }

    /// Adds one to each cell of rows `0..rows` of `instance` in turn: every change must fail
    /// `verify_constraints`.
    pub fn assert_cells_pinned(&self, s: &PilStatement, instance: usize, rows: usize) {
        let width = s.traces[instance].width;
        for row in 0..rows {
            for col in 0..width {
                let mut t = s.clone();
                t.traces[instance].values[row * width + col] += Val::ONE;
                assert!(self.check(&t).is_err(), "row {row} column {col} is free");
            }
        }
    }
}
