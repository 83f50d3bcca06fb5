//! Witness filler of `pil/example/mini_binary.pil`: `MiniBinary` (16-bit operands),
//! `MiniBinary8` (8-bit operands) and the multiplicities of their `MiniBinaryTable`.

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use zisk_generated::example::mini_binary::{MiniBinaryAir, MiniBinaryRow, MINI_BINARY_N};
use zisk_generated::example::mini_binary8::{MiniBinary8Air, MiniBinary8Row, MINI_BINARY8_N};
use zisk_generated::example::mini_binary_table::{
    MiniBinaryTableAir, MiniBinaryTableRow, MINI_BINARY_TABLE_N,
};
use zisk_generated::example::AnyAir;

use crate::config::Val;
use crate::pil::{PilError, PilWitness};

/// The operations of `MiniBinary` (`MB_AND`, `MB_OR`, `MB_XOR` in the `.pil`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `a & b`.
    And = 0,
    /// `a | b`.
    Or = 1,
    /// `a ^ b`.
    Xor = 2,
}

impl BinaryOp {
    /// `op(a, b)`.
    pub fn apply(self, a: u64, b: u64) -> u64 {
        match self {
            BinaryOp::And => a & b,
            BinaryOp::Or => a | b,
            BinaryOp::Xor => a ^ b,
        }
    }
}

/// One operation `c = op(a, b)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The operation.
    pub op: BinaryOp,
    /// First operand (16 bits for `MiniBinary`, 8 for `MiniBinary8`).
    pub a: u16,
    /// Second operand.
    pub b: u16,
}

fn nibbles<const K: usize>(v: u64) -> [Val; K] {
    core::array::from_fn(|k| Val::from_u64((v >> (4 * k)) & 0xf))
}

/// Counts the table rows the operations look up: one per nibble, row `op·256 + b·16 + a`.
#[derive(Clone, Debug)]
pub struct TableCounts(Vec<u64>);

impl Default for TableCounts {
    fn default() -> Self {
        Self(vec![0; MINI_BINARY_TABLE_N])
    }
}

impl TableCounts {
    fn add(&mut self, op: &Operation, nibbles: usize) {
        for k in 0..nibbles {
            let a = (u64::from(op.a) >> (4 * k)) & 0xf;
            let b = (u64::from(op.b) >> (4 * k)) & 0xf;
            self.0[(op.op as usize) * 256 + (b as usize) * 16 + a as usize] += 1;
        }
    }

    /// The `MiniBinaryTable` trace.
    pub fn trace(&self) -> RowMajorMatrix<Val> {
        MiniBinaryTableAir.generate_trace(|i, row: &mut MiniBinaryTableRow<Val>| {
            row.multiplicity = Val::from_u64(self.0[i]);
        })
    }
}

/// The `MiniBinary` trace: one row per operation, then zero padding rows (`sel = 0`).
///
/// # Panics
///
/// Panics with more than `N` operations.
pub fn mini_binary_trace(ops: &[Operation], counts: &mut TableCounts) -> RowMajorMatrix<Val> {
    assert!(ops.len() <= MINI_BINARY_N, "too many MiniBinary operations");
    ops.iter().for_each(|op| counts.add(op, 4));
    MiniBinaryAir.generate_trace_padded(
        ops,
        |op, row: &mut MiniBinaryRow<Val>| {
            let (a, b) = (u64::from(op.a), u64::from(op.b));
            let c = op.op.apply(a, b);
            *row = MiniBinaryRow {
                op: Val::from_u64(op.op as u64),
                a: nibbles(a),
                b: nibbles(b),
                c: nibbles(c),
                sel: Val::ONE,
                a_packed: Val::from_u64(a),
                b_packed: Val::from_u64(b),
                c_packed: Val::from_u64(c),
            };
        },
        |_, row| *row = MiniBinaryRow::default(),
    )
}

/// The `MiniBinary8` trace: operands below 256, one row per operation, then padding.
///
/// # Panics
///
/// Panics with more than `N` operations or an operand of more than 8 bits.
pub fn mini_binary8_trace(ops: &[Operation], counts: &mut TableCounts) -> RowMajorMatrix<Val> {
    assert!(
        ops.len() <= MINI_BINARY8_N,
        "too many MiniBinary8 operations"
    );
    assert!(
        ops.iter().all(|op| op.a < 256 && op.b < 256),
        "8-bit operands"
    );
    ops.iter().for_each(|op| counts.add(op, 2));
    MiniBinary8Air.generate_trace_padded(
        ops,
        |op, row: &mut MiniBinary8Row<Val>| {
            let (a, b) = (u64::from(op.a), u64::from(op.b));
            let c = op.op.apply(a, b);
            *row = MiniBinary8Row {
                op: Val::from_u64(op.op as u64),
                a: nibbles(a),
                b: nibbles(b),
                c: nibbles(c),
                sel: Val::ONE,
                a_packed: Val::from_u64(a),
                b_packed: Val::from_u64(b),
                c_packed: Val::from_u64(c),
            };
        },
        |_, row| *row = MiniBinary8Row::default(),
    )
}

/// Adds one `MiniBinary` instance per chunk of `wide` (at most `N` each), one `MiniBinary8`
/// per chunk of `narrow`, and the `MiniBinaryTable` they use, to `witness`.
pub fn fill(
    witness: &mut PilWitness<'_, AnyAir>,
    wide: &[Operation],
    narrow: &[Operation],
) -> Result<(), PilError> {
    let mut counts = TableCounts::default();
    for chunk in wide.chunks(MINI_BINARY_N) {
        let trace = mini_binary_trace(chunk, &mut counts);
        witness.push(&AnyAir::MiniBinary(MiniBinaryAir), trace, &[])?;
    }
    for chunk in narrow.chunks(MINI_BINARY8_N) {
        let trace = mini_binary8_trace(chunk, &mut counts);
        witness.push(&AnyAir::MiniBinary8(MiniBinary8Air), trace, &[])?;
    }
    witness.push(
        &AnyAir::MiniBinaryTable(MiniBinaryTableAir),
        counts.trace(),
        &[],
    )?;
    Ok(())
}
