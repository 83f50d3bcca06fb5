//! Witness filler of `pil/zisk/binary.pil`: the `Binary` trace from a list of `(op, a, b)`
//! operations and the multiplicities of its `BinaryTable` (`pil/zisk/binary_table.pil`).
//!
//! Results come from `zisk_vm::ops::exec`, so the trace states exactly the emulator's
//! semantics. Identical operations share one row (the row's `multiplicity` counts them); for
//! the `_w` forms the operands' high halves are dropped first, as Main puts them on the bus.
//! Padding rows are `and(0, 0)` with multiplicity 0.

use std::collections::BTreeMap;

use p3_field::{Field, PrimeCharacteristicRing};
use p3_matrix::dense::RowMajorMatrix;
use zisk_generated::support;
use zisk_generated::zisk::binary::{BinaryAir, BinaryRow, BINARY_N, NUM_BINARY_COLS};
use zisk_generated::zisk::binary_table::{BinaryTableAir, BinaryTableRow, BINARY_TABLE_N};
use zisk_generated::zisk::AnyAir;
use zisk_vm::ops::{exec, op};

use crate::config::Val;
use crate::pil::{PilError, PilProgram, PilWitness};

/// Why operations cannot be filled.
#[derive(Debug, thiserror::Error)]
pub enum BinaryError {
    /// The opcode is not one of the Binary machine's.
    #[error("opcode {0:#04x} is not a Binary opcode")]
    NotBinary(u8),
    /// The prover refused an instance.
    #[error(transparent)]
    Pil(#[from] PilError),
}

/// The opcodes `Binary` proves: the base forms, then their `_w` forms (`op + 0x10`).
pub const BINARY_OPS: [u8; 25] = [
    op::MINU,
    op::MIN,
    op::MAXU,
    op::MAX,
    op::LTU,
    op::LT,
    op::EQ,
    op::ADD,
    op::SUB,
    op::LEU,
    op::LE,
    op::AND,
    op::OR,
    op::XOR,
    op::MINU_W,
    op::MIN_W,
    op::MAXU_W,
    op::MAX_W,
    op::LTU_W,
    op::LT_W,
    op::EQ_W,
    op::ADD_W,
    op::SUB_W,
    op::LEU_W,
    op::LE_W,
];

/// Is `code` a `_w` opcode of `Binary`?
pub fn is_w(code: u8) -> bool {
    (op::MINU_W..=op::LE_W).contains(&code)
}

/// One operation `(c, flag) = op(a, b)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Operation {
    /// The opcode (one of [`BINARY_OPS`]).
    pub op: u8,
    /// First operand.
    pub a: u64,
    /// Second operand.
    pub b: u64,
}

impl Operation {
    /// The operands as they travel on the bus: high halves zeroed for the `_w` forms.
    pub fn bus_operands(&self) -> (u64, u64) {
        if is_w(self.op) {
            (self.a & 0xffff_ffff, self.b & 0xffff_ffff)
        } else {
            (self.a, self.b)
        }
    }

    /// `(c, flag)` from the emulator's semantics.
    pub fn result(&self) -> Result<(u64, bool), BinaryError> {
        if !BINARY_OPS.contains(&self.op) {
            return Err(BinaryError::NotBinary(self.op));
        }
        exec(self.op, self.a, self.b).ok_or(BinaryError::NotBinary(self.op))
    }

    /// The 11-element OPERATION_BUS tuple
    /// `[op, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi, flag, 0, 0, 0]`.
    pub fn bus_tuple(&self) -> Result<[u64; 11], BinaryError> {
        let (a, b) = self.bus_operands();
        let (c, flag) = self.result()?;
        Ok([
            u64::from(self.op),
            a & 0xffff_ffff,
            a >> 32,
            b & 0xffff_ffff,
            b >> 32,
            c & 0xffff_ffff,
            c >> 32,
            u64::from(flag),
            0,
            0,
            0,
        ])
    }
}

fn f(v: u64) -> Val {
    Val::from_u64(v)
}

fn chunks(v: u64) -> [Val; 4] {
    core::array::from_fn(|k| f((v >> (16 * k)) & 0xffff))
}

fn bytes(v: u64) -> [Val; 8] {
    core::array::from_fn(|k| f((v >> (8 * k)) & 0xff))
}

/// Fills one row for `operation`, proven `multiplicity` times.
fn fill_row(
    operation: &Operation,
    multiplicity: u64,
    row: &mut BinaryRow<Val>,
) -> Result<(), BinaryError> {
    let (c, flag) = operation.result()?;
    let code = operation.op;
    let m32 = is_w(code);
    let base = if m32 { code - 0x10 } else { code };
    let (a, b) = operation.bus_operands();
    *row = BinaryRow::default();
    let selector = match base {
        op::MINU => &mut row.s_minu,
        op::MIN => &mut row.s_min,
        op::MAXU => &mut row.s_maxu,
        op::MAX => &mut row.s_max,
        op::LTU => &mut row.s_ltu,
        op::LT => &mut row.s_lt,
        op::EQ => &mut row.s_eq,
        op::ADD => &mut row.s_add,
        op::SUB => &mut row.s_sub,
        op::LEU => &mut row.s_leu,
        op::LE => &mut row.s_le,
        op::AND => &mut row.s_and,
        op::OR => &mut row.s_or,
        _ => &mut row.s_xor,
    };
    *selector = Val::ONE;
    row.m32 = Val::from_bool(m32);

    // The adder: r = a + b for add, r = a − b otherwise (logic rows too: their r is free).
    let is_add = base == op::ADD;
    let (a_lo, b_lo) = (a & 0xffff_ffff, b & 0xffff_ffff);
    let (r, carry0, carry1) = if is_add {
        let r = a.wrapping_add(b);
        (r, a_lo + b_lo > 0xffff_ffff, r < a)
    } else {
        (a.wrapping_sub(b), a_lo < b_lo, a < b)
    };
    let ltu = if m32 { carry0 } else { carry1 };
    let top_bit = if m32 { 31 } else { 63 };
    let (sa, sb) = ((a >> top_bit) & 1 == 1, (b >> top_bit) & 1 == 1);
    let signed = matches!(base, op::LT | op::LE | op::MIN | op::MAX);
    let less = if signed && sa != sb { sa } else { ltu };
    let rz = if m32 { r & 0xffff_ffff } else { r };
    let rz_sum: u64 = (0..if m32 { 2 } else { 4 })
        .map(|k| (rz >> (16 * k)) & 0xffff)
        .sum();
    let pick_a = match base {
        op::MINU | op::MIN => less,
        op::MAXU | op::MAX => !less,
        _ => false,
    };
    let addsub = matches!(base, op::ADD | op::SUB);
    let minmax = matches!(base, op::MINU | op::MIN | op::MAXU | op::MAX);

    row.a = chunks(a);
    row.b = chunks(b);
    row.c = chunks(c);
    row.r = chunks(r);
    row.a_bytes = bytes(a);
    row.b_bytes = bytes(b);
    row.c_bytes = bytes(c);
    row.flag = Val::from_bool(flag);
    row.carry0 = Val::from_bool(carry0);
    row.carry1 = Val::from_bool(carry1);
    row.ltu = Val::from_bool(ltu);
    row.less = Val::from_bool(less);
    row.sa = Val::from_bool(sa);
    row.sb = Val::from_bool(sb);
    row.dsign = Val::from_bool(sa != sb);
    row.c_sign = Val::from_bool((c >> 31) & 1 == 1);
    row.eqf = Val::from_bool(rz_sum == 0);
    row.inv = f(rz_sum).try_inverse().unwrap_or(Val::ZERO);
    row.pick_a = Val::from_bool(pick_a);
    row.as64 = Val::from_bool(addsub && !m32);
    row.mm64 = Val::from_bool(minmax && !m32);
    row.multiplicity = f(multiplicity);
    Ok(())
}

/// The padding operation: `and(0, 0)`, proven 0 times.
const PADDING: Operation = Operation {
    op: op::AND,
    a: 0,
    b: 0,
};

/// The `BinaryTable` lookups of the Binary rows: one per byte of every and/or/xor row
/// (padding rows included), row `x + 256·y`, one count per logic op.
#[derive(Clone, Debug)]
pub struct TableCounts {
    counts: Vec<[u64; 3]>,
}

impl Default for TableCounts {
    fn default() -> Self {
        Self {
            counts: vec![[0; 3]; BINARY_TABLE_N],
        }
    }
}

impl TableCounts {
    fn add(&mut self, operation: &Operation) {
        let slot = match operation.op {
            op::AND => 0,
            op::OR => 1,
            op::XOR => 2,
            _ => return,
        };
        for j in 0..8 {
            let x = (operation.a >> (8 * j)) & 0xff;
            let y = (operation.b >> (8 * j)) & 0xff;
            self.counts[(x + 256 * y) as usize][slot] += 1;
        }
    }

    /// The `BinaryTable` trace.
    pub fn trace(&self) -> RowMajorMatrix<Val> {
        BinaryTableAir.generate_trace(|i, row: &mut BinaryTableRow<Val>| {
            let [and, or, xor] = self.counts[i];
            row.mul_and = f(and);
            row.mul_or = f(or);
            row.mul_xor = f(xor);
        })
    }
}

/// The distinct operations (operands as on the bus) with their counts, in a fixed order.
pub fn distinct(operations: &[Operation]) -> Vec<(Operation, u64)> {
    let mut counts: BTreeMap<Operation, u64> = BTreeMap::new();
    for operation in operations {
        let (a, b) = operation.bus_operands();
        *counts
            .entry(Operation {
                op: operation.op,
                a,
                b,
            })
            .or_default() += 1;
    }
    counts.into_iter().collect()
}

/// One `Binary` trace (`BINARY_N` rows) of at most `BINARY_N` distinct operations with their
/// multiplicities; the table counts of its rows (padding included) are added to `table`.
///
/// # Panics
///
/// Panics with more than `BINARY_N` rows.
pub fn binary_trace(
    rows: &[(Operation, u64)],
    table: &mut TableCounts,
) -> Result<RowMajorMatrix<Val>, BinaryError> {
    assert!(
        rows.len() <= BINARY_N,
        "at most {BINARY_N} rows per instance"
    );
    // Binary has no fixed columns: an instance is as tall as its rows need.
    let height = crate::pil::instance_height(rows.len());
    let mut filled = vec![BinaryRow::<Val>::default(); height];
    for (i, slot) in filled.iter_mut().enumerate() {
        let (operation, multiplicity) = rows.get(i).copied().unwrap_or((PADDING, 0));
        fill_row(&operation, multiplicity, slot)?;
        table.add(&operation);
    }
    Ok(support::generate_trace(
        height,
        NUM_BINARY_COLS,
        |i, row: &mut BinaryRow<Val>| *row = filled[i],
    ))
}

/// Adds the `Binary` instances (one per `BINARY_N` distinct operations) and the `BinaryTable`
/// instance of `operations` to `witness`, as the AIRs `binary` and `table` of any program that
/// contains `pil/zisk/binary.pil` (the zkVM, or a test program).
pub fn fill_as<A: PilProgram>(
    witness: &mut PilWitness<'_, A>,
    binary: &A,
    table: &A,
    operations: &[Operation],
) -> Result<(), BinaryError> {
    let rows = distinct(operations);
    let mut counts = TableCounts::default();
    for chunk in rows.chunks(BINARY_N) {
        witness.push(binary, binary_trace(chunk, &mut counts)?, &[])?;
    }
    if !rows.is_empty() {
        witness.push(table, counts.trace(), &[])?;
    }
    Ok(())
}

/// [`fill_as`] for the zkVM program.
pub fn fill(
    witness: &mut PilWitness<'_, AnyAir>,
    operations: &[Operation],
) -> Result<(), BinaryError> {
    fill_as(
        witness,
        &AnyAir::Binary(BinaryAir),
        &AnyAir::BinaryTable(BinaryTableAir),
        operations,
    )
}
