//! Witness filler of `pil/example/fibonacci_sq.pil`: `FibonacciSq` and its `SquareTable`.

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use zisk_generated::example::fibonacci_sq::{FibonacciSqAir, FibonacciSqRow, FIBONACCI_SQ_N};
use zisk_generated::example::square_table::{SquareTableAir, SquareTableRow, SQUARE_TABLE_N};
use zisk_generated::example::AnyAir;

use crate::config::Val;
use crate::pil::{PilError, PilWitness};

/// The Fibonacci sequence from `start`: `(a, b)` on every row, `(a', b') = (b, a + b)`.
pub fn sequence(start: [u64; 2]) -> Vec<(Val, Val)> {
    let mut rows = Vec::with_capacity(FIBONACCI_SQ_N);
    let (mut a, mut b) = (Val::from_u64(start[0]), Val::from_u64(start[1]));
    for _ in 0..FIBONACCI_SQ_N {
        rows.push((a, b));
        (a, b) = (b, a + b);
    }
    rows
}

/// The proof-level public values: `fib_start[0..2]`, then `fib_result` (the last `b`).
pub fn public_values(start: [u64; 2]) -> Vec<Val> {
    let last = sequence(start).last().map_or(Val::ZERO, |&(_, b)| b);
    vec![Val::from_u64(start[0]), Val::from_u64(start[1]), last]
}

/// The `FibonacciSq` trace: row `i` holds `x = i mod 16`, `a`, `b` and `sq = x²`.
pub fn fibonacci_trace(start: [u64; 2]) -> RowMajorMatrix<Val> {
    let rows = sequence(start);
    FibonacciSqAir.generate_trace(|i, row: &mut FibonacciSqRow<Val>| {
        let x = (i % 16) as u64;
        let (a, b) = rows[i];
        *row = FibonacciSqRow {
            x: Val::from_u64(x),
            a,
            b,
            sq: Val::from_u64(x * x),
        };
    })
}

/// The `SquareTable` trace: how often each `X` is looked up by the `FibonacciSq` rows.
pub fn square_table_trace() -> RowMajorMatrix<Val> {
    let mut counts = [0u64; SQUARE_TABLE_N];
    for i in 0..FIBONACCI_SQ_N {
        counts[i % 16] += 1;
    }
    SquareTableAir.generate_trace(|i, row: &mut SquareTableRow<Val>| {
        row.multiplicity = Val::from_u64(counts[i]);
    })
}

/// Adds one `FibonacciSq` and its `SquareTable` to `witness` (made with [`public_values`]).
pub fn fill(witness: &mut PilWitness<'_, AnyAir>, start: [u64; 2]) -> Result<(), PilError> {
    witness.push(
        &AnyAir::FibonacciSq(FibonacciSqAir),
        fibonacci_trace(start),
        &[],
    )?;
    witness.push(
        &AnyAir::SquareTable(SquareTableAir),
        square_table_trace(),
        &[],
    )?;
    Ok(())
}
