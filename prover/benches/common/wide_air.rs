//! The benchmark AIR: 48 columns, degree 3, optionally sending `(c0, c1)` on a bus each row.
//!
//! Column `j` follows `c'[j] = c[j]²·c[j+1] + c[j+2]` (indices mod 48) and starts at `c[j] = j`,
//! the AIR of plonky3.md §6a. The bus variant adds a 2-column receiver of the same height that
//! receives the same tuples in reverse row order.

use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{InteractionBuilder, PermutationCheckBus};
use p3_matrix::dense::RowMajorMatrix;
use zisk_prover::{InstanceSpec, Val, ZiskAir};

/// Columns of the wide AIR.
pub const WIDTH: usize = 48;
const BUS: PermutationCheckBus<'static> = PermutationCheckBus::new("pairs");

/// The benchmark AIRs.
#[derive(Clone, Copy, Debug)]
pub enum WideAir {
    /// The 48-column AIR; `true` when it sends on the bus.
    Wide(bool),
    /// The receiver of the bus variant.
    Receiver,
}

impl BaseAir<Val> for WideAir {
    fn width(&self) -> usize {
        match self {
            WideAir::Wide(_) => WIDTH,
            WideAir::Receiver => 2,
        }
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        match self {
            WideAir::Wide(_) => (0..WIDTH).collect(),
            WideAir::Receiver => vec![],
        }
    }
}

impl<AB: InteractionBuilder<F = Val>> Air<AB> for WideAir {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        match self {
            WideAir::Wide(with_bus) => {
                let local: Vec<AB::Expr> = main.current_slice().iter().map(|&v| v.into()).collect();
                let next: Vec<AB::Expr> = main.next_slice().iter().map(|&v| v.into()).collect();
                for j in 0..WIDTH {
                    let a = local[j].clone();
                    let b = local[(j + 1) % WIDTH].clone();
                    let c = local[(j + 2) % WIDTH].clone();
                    builder
                        .when_transition()
                        .assert_eq(next[j].clone(), a.clone() * a * b + c);
                    builder
                        .when_first_row()
                        .assert_eq(local[j].clone(), AB::Expr::from_u64(j as u64));
                }
                if *with_bus {
                    BUS.send(builder, [local[0].clone(), local[1].clone()], 1);
                }
            }
            WideAir::Receiver => {
                let x: AB::Expr = main.current(0).unwrap().into();
                let y: AB::Expr = main.current(1).unwrap().into();
                BUS.receive(builder, [x, y], 1);
            }
        }
    }
}

impl ZiskAir for WideAir {
    fn name(&self) -> String {
        format!("{self:?}")
    }
}

/// The wide trace of `2^log_height` rows.
pub fn wide_trace(log_height: usize) -> RowMajorMatrix<Val> {
    let height = 1usize << log_height;
    let mut values = Vec::with_capacity(height * WIDTH);
    let mut row: Vec<Val> = (0..WIDTH as u64).map(Val::from_u64).collect();
    for _ in 0..height {
        values.extend_from_slice(&row);
        row = (0..WIDTH)
            .map(|j| row[j] * row[j] * row[(j + 1) % WIDTH] + row[(j + 2) % WIDTH])
            .collect();
    }
    RowMajorMatrix::new(values, WIDTH)
}

/// The receiver trace: the wide trace's `(c0, c1)` in reverse row order.
pub fn receiver_trace(wide: &RowMajorMatrix<Val>) -> RowMajorMatrix<Val> {
    let values = wide
        .values
        .chunks_exact(WIDTH)
        .rev()
        .flat_map(|row| [row[0], row[1]])
        .collect();
    RowMajorMatrix::new(values, 2)
}

/// The AIR list, instance list and traces of the benchmark statement.
pub fn statement(
    log_height: usize,
    with_bus: bool,
) -> (Vec<WideAir>, Vec<InstanceSpec>, Vec<RowMajorMatrix<Val>>) {
    let wide = wide_trace(log_height);
    let mut airs = vec![WideAir::Wide(with_bus)];
    let mut instances = vec![InstanceSpec {
        air_id: 0,
        log_height,
        public_values: vec![],
    }];
    let mut traces = vec![];
    if with_bus {
        airs.push(WideAir::Receiver);
        instances.push(InstanceSpec {
            air_id: 1,
            log_height,
            public_values: vec![],
        });
        traces.push(receiver_trace(&wide));
    }
    traces.insert(0, wide);
    (airs, instances, traces)
}
