//! Small AIRs connected by buses, and a witness generator, shared by the prover tests.
//!
//! - `Sender` `[x, y, sel]`: `sel` boolean, `sel·(y − x² − 1) = 0`, real rows first
//!   (`(1 − sel)·sel' = 0`), `x` on row 0 equals public value 0; sends `(x, y)` on bus `xy` and
//!   looks `x` up in the byte table, both with multiplicity `sel`.
//! - `Receiver` `[x, y]` + fixed `[row]`: `x = row`; receives `(x, y)` on `xy`.
//! - `ByteTable` `[mult]` + fixed `[v = row]` (256 rows): provides `v` on bus `byte` `mult` times.

#![allow(dead_code)]

use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{Count, InteractionBuilder, LookupBus, PermutationCheckBus};
use p3_matrix::dense::RowMajorMatrix;
use zisk_prover::{InstanceSpec, Val, ZiskAir};

pub const XY: PermutationCheckBus<'static> = PermutationCheckBus::new("xy");
pub const BYTE: LookupBus<'static> = LookupBus::new("byte");

/// The AIRs of the test machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestAir {
    Sender,
    Receiver,
    ByteTable,
}

pub const SENDER: usize = 0;
pub const RECEIVER: usize = 1;
pub const TABLE: usize = 2;

pub fn airs() -> Vec<TestAir> {
    vec![TestAir::Sender, TestAir::Receiver, TestAir::ByteTable]
}

fn row_index_column(log_height: usize) -> RowMajorMatrix<Val> {
    RowMajorMatrix::new_col((0..1u64 << log_height).map(Val::from_u64).collect())
}

impl BaseAir<Val> for TestAir {
    fn width(&self) -> usize {
        match self {
            TestAir::Sender => 3,
            TestAir::Receiver => 2,
            TestAir::ByteTable => 1,
        }
    }

    fn preprocessed_width(&self) -> usize {
        match self {
            TestAir::Sender => 0,
            TestAir::Receiver | TestAir::ByteTable => 1,
        }
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<Val>> {
        match self {
            TestAir::Sender => None,
            TestAir::Receiver => Some(row_index_column(3)),
            TestAir::ByteTable => Some(row_index_column(8)),
        }
    }

    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        vec![]
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        match self {
            TestAir::Sender => vec![2],
            _ => vec![],
        }
    }

    fn num_public_values(&self) -> usize {
        match self {
            TestAir::Sender => 1,
            _ => 0,
        }
    }
}

impl<AB: InteractionBuilder<F = Val>> Air<AB> for TestAir {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        match self {
            TestAir::Sender => {
                let x: AB::Expr = main.current(0).unwrap().into();
                let y: AB::Expr = main.current(1).unwrap().into();
                let sel: AB::Expr = main.current(2).unwrap().into();
                let sel_next: AB::Expr = main.next(2).unwrap().into();
                let first_x: AB::Expr = builder.public_values()[0].into();
                builder.assert_bool(sel.clone());
                builder
                    .assert_zero(sel.clone() * (y.clone() - x.clone() * x.clone() - AB::Expr::ONE));
                builder
                    .when_transition()
                    .assert_zero((AB::Expr::ONE - sel.clone()) * sel_next);
                builder.when_first_row().assert_eq(x.clone(), first_x);
                XY.send(builder, [x.clone(), y], Count::bounded(sel.clone(), 1));
                BYTE.lookup_key(builder, [x], Count::bounded(sel, 1));
            }
            TestAir::Receiver => {
                let x: AB::Expr = main.current(0).unwrap().into();
                let y: AB::Expr = main.current(1).unwrap().into();
                let row: AB::Expr = builder.preprocessed().current(0).unwrap().into();
                builder.assert_eq(x.clone(), row);
                XY.receive(builder, [x, y], 1);
            }
            TestAir::ByteTable => {
                let mult: AB::Expr = main.current(0).unwrap().into();
                let value: AB::Expr = builder.preprocessed().current(0).unwrap().into();
                BYTE.table_entry(builder, [value], mult);
            }
        }
    }
}

impl ZiskAir for TestAir {
    fn name(&self) -> String {
        format!("{self:?}")
    }

    fn constraint_label(&self, index: usize) -> Option<String> {
        let labels: &[&str] = match self {
            TestAir::Sender => &[
                "sel is boolean",
                "y = x^2 + 1",
                "real rows first",
                "x0 = public",
            ],
            TestAir::Receiver => &["x = row"],
            TestAir::ByteTable => &[],
        };
        labels.get(index).map(|s| s.to_string())
    }

    fn fixed_trace(&self, log_height: usize) -> Option<RowMajorMatrix<Val>> {
        (self.preprocessed_width() > 0).then(|| row_index_column(log_height))
    }
}

/// A witness: instance list, traces, proof-level public values.
#[derive(Clone, Debug)]
pub struct Witness {
    pub instances: Vec<InstanceSpec>,
    pub traces: Vec<RowMajorMatrix<Val>>,
    pub public_values: Vec<Val>,
}

impl Witness {
    pub fn cell(&mut self, instance: usize, row: usize, col: usize) -> &mut Val {
        let trace = &mut self.traces[instance];
        let width = trace.width;
        &mut trace.values[row * width + col]
    }
}

fn sender_trace(log_height: usize, xs: &[u64]) -> RowMajorMatrix<Val> {
    let mut values = vec![Val::ZERO; 3 << log_height];
    for (row, &x) in xs.iter().enumerate() {
        values[3 * row] = Val::from_u64(x);
        values[3 * row + 1] = Val::from_u64(x * x + 1);
        values[3 * row + 2] = Val::ONE;
    }
    RowMajorMatrix::new(values, 3)
}

/// The log heights each AIR is set up for.
pub fn log_heights() -> Vec<Vec<usize>> {
    vec![vec![], vec![3], vec![8]]
}

/// Two sender instances (16 and 8 rows) sending x = 0..8, one receiver (8 rows), the byte table.
pub fn valid_witness() -> Witness {
    let senders: [(usize, Vec<u64>); 2] = [(4, vec![0, 1, 2, 3, 4]), (3, vec![5, 6, 7])];
    let mut instances = Vec::new();
    let mut traces = Vec::new();
    let mut mult = vec![0u64; 256];
    for (log_height, xs) in &senders {
        instances.push(InstanceSpec {
            air_id: SENDER,
            log_height: *log_height,
            public_values: vec![Val::from_u64(xs[0])],
        });
        traces.push(sender_trace(*log_height, xs));
        for &x in xs {
            mult[x as usize] += 1;
        }
    }
    // The receiver holds row r = (r, r² + 1).
    let receiver: Vec<Val> = (0..8u64)
        .flat_map(|r| [Val::from_u64(r), Val::from_u64(r * r + 1)])
        .collect();
    instances.push(InstanceSpec {
        air_id: RECEIVER,
        log_height: 3,
        public_values: vec![],
    });
    traces.push(RowMajorMatrix::new(receiver, 2));
    instances.push(InstanceSpec {
        air_id: TABLE,
        log_height: 8,
        public_values: vec![],
    });
    traces.push(RowMajorMatrix::new_col(
        mult.iter().map(|&m| Val::from_u64(m)).collect(),
    ));
    Witness {
        instances,
        traces,
        public_values: vec![Val::from_u64(42), Val::from_u64(0x5a5a)],
    }
}

/// The bytes of everything in a proof that does not depend on the prover's proof-of-work search
/// (which may return any valid witness when run in parallel): commitments, bus sums, openings.
pub fn deterministic_part(proof: &zisk_prover::Proof) -> Vec<u8> {
    let parts: Vec<_> = proof
        .instances
        .iter()
        .map(|i| {
            (
                i.air_id,
                i.log_height,
                &i.public_values,
                &i.main_commitment,
                &i.aux_commitment,
                &i.bus_sum,
                &i.quotient_commitment,
                &i.opened,
            )
        })
        .collect();
    postcard::to_allocvec(&(&proof.public_values, parts)).unwrap()
}
