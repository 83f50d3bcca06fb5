//! Witness filler of `pil/zisk/binary_extension.pil`: `BinaryExtension`, one row per shift or
//! sign-extension operation, with `c` from `zisk_vm::ops::exec`.

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use zisk_generated::zisk::binary_extension::{
    BinaryExtensionAir, BinaryExtensionRow, BINARY_EXTENSION_N, NUM_BINARY_EXTENSION_COLS,
};
use zisk_generated::zisk::AnyAir;
use zisk_vm::ops::{self, op};

use crate::config::Val;
use crate::pil::{PilError, PilWitness};
use zisk_generated::support;

/// The opcodes `BinaryExtension` proves.
pub const OPCODES: [u8; 9] = [
    op::SLL,
    op::SRL,
    op::SRA,
    op::SLL_W,
    op::SRL_W,
    op::SRA_W,
    op::SIGNEXTEND_B,
    op::SIGNEXTEND_H,
    op::SIGNEXTEND_W,
];

const LOW32: u64 = 0xffff_ffff;

/// One operation `c = op(a, b)` of [`OPCODES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The opcode.
    pub op: u8,
    /// First operand (ignored by the sign extensions).
    pub a: u64,
    /// Second operand (the shift amount, or the value the sign extensions read).
    pub b: u64,
}

impl Operation {
    /// The operands as the operation bus carries them: Main zeroes the upper halves of `a` and
    /// `b` for the m32 opcodes (`sll_w`, `srl_w`, `sra_w`, `signextend_w`).
    pub fn bus_operands(&self) -> (u64, u64) {
        if ops::is_m32(self.op) {
            (self.a & LOW32, self.b & LOW32)
        } else {
            (self.a, self.b)
        }
    }

    /// `op(a, b)` by `zisk_vm::ops::exec`.
    ///
    /// # Panics
    ///
    /// Panics if `op` is not one of [`OPCODES`].
    pub fn result(&self) -> u64 {
        assert!(OPCODES.contains(&self.op), "not a BinaryExtension opcode");
        ops::exec(self.op, self.a, self.b).map_or(0, |(c, _)| c)
    }

    /// The operation-bus tuple `[op, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi, flag, main_step,
    /// extended_arg, extra]` its row proves (flag and the last three are 0).
    pub fn bus_tuple(&self) -> [u64; 11] {
        let (a, b) = self.bus_operands();
        let c = self.result();
        [
            u64::from(self.op),
            a & LOW32,
            a >> 32,
            b & LOW32,
            b >> 32,
            c & LOW32,
            c >> 32,
            0,
            0,
            0,
            0,
        ]
    }
}

fn val(v: u64) -> Val {
    Val::from_u64(v)
}

fn bit(v: u64, i: u32) -> Val {
    val((v >> i) & 1)
}

/// The row of one operation (see the design notes in the `.pil`).
fn fill_row(operation: &Operation, row: &mut BinaryExtensionRow<Val>) {
    let code = operation.op;
    let (a, b) = operation.bus_operands();
    let c = operation.result();
    let (s64, s5) = (b & 63, b & 31);
    // The shifter's operand: `a` (complemented if negative for the arithmetic shifts) or `b`.
    let x = match code {
        op::SRA if a >> 63 == 1 => !a,
        op::SRA_W if (a >> 31) & 1 == 1 => !a & LOW32,
        op::SIGNEXTEND_B | op::SIGNEXTEND_H | op::SIGNEXTEND_W => b,
        _ => a,
    };
    let t = match code {
        op::SLL => s64,
        op::SRL | op::SRA => 64 - s64,
        op::SLL_W => s5,
        op::SRL_W | op::SRA_W => 32 - s5,
        op::SIGNEXTEND_B => 8,
        _ => 0,
    };
    let (r, q) = (t & 15, t >> 4);
    let w = u128::from(x) << t;
    let limb = |v: u128, k: u32| ((v >> (16 * k)) & 0xffff) as u64;
    let (res_lo, res_hi) = match code {
        op::SLL => (limb(w, 0) | limb(w, 1) << 16, limb(w, 2) | limb(w, 3) << 16),
        op::SRL | op::SRA => (limb(w, 4) | limb(w, 5) << 16, limb(w, 6) | limb(w, 7) << 16),
        op::SLL_W => (limb(w, 0) | limb(w, 1) << 16, 0),
        op::SRL_W | op::SRA_W => (limb(w, 2) | limb(w, 3) << 16, 0),
        _ => (0, 0),
    };
    let xs: [u64; 4] = core::array::from_fn(|k| (x >> (16 * k)) & 0xffff);
    let lo: [u64; 4] = core::array::from_fn(|k| (xs[k] << r) & 0xffff);
    let hi: [u64; 4] = core::array::from_fn(|k| (xs[k] << r) >> 16);
    let top = match code {
        op::SRA => a >> 48,
        op::SRA_W => (a >> 16) & 0xffff,
        op::SLL_W => limb(w, 1),
        op::SRL_W => limb(w, 3),
        op::SIGNEXTEND_B => lo[0],
        op::SIGNEXTEND_H => xs[0],
        op::SIGNEXTEND_W => xs[1],
        _ => 0,
    };
    let is_shift = !matches!(code, op::SIGNEXTEND_B | op::SIGNEXTEND_H | op::SIGNEXTEND_W);
    let rest = if is_shift { (b & LOW32) >> 6 } else { 0 };
    let flag = |o: u8| Val::from_bool(code == o);
    *row = BinaryExtensionRow {
        is_sll: flag(op::SLL),
        is_srl: flag(op::SRL),
        is_sra: flag(op::SRA),
        is_sll_w: flag(op::SLL_W),
        is_srl_w: flag(op::SRL_W),
        is_sra_w: flag(op::SRA_W),
        is_se_b: flag(op::SIGNEXTEND_B),
        is_se_h: flag(op::SIGNEXTEND_H),
        is_se_w: flag(op::SIGNEXTEND_W),
        x: xs.map(val),
        lo: lo.map(val),
        hi: hi.map(val),
        r: core::array::from_fn(|i| bit(r, i as u32)),
        pow01: val(1 << (r & 3)),
        pow: val(1 << r),
        q: core::array::from_fn(|k| Val::from_bool(q == k as u64)),
        s5: val(if is_shift { s5 } else { 0 }),
        s_bit5: if is_shift { bit(b, 5) } else { Val::ZERO },
        b_rest_lo: val(rest & 0xffff),
        b_rest_hi: val(rest >> 16),
        sign: val(top >> 15),
        top: val(top),
        res_lo: val(res_lo),
        res_hi: val(res_hi),
        a_lo: val(a & LOW32),
        a_hi: val(a >> 32),
        b_lo: val(b & LOW32),
        b_hi: val(b >> 32),
        c_lo: val(c & LOW32),
        c_hi: val(c >> 32),
    };
}

/// A padding row: no operation, every column zero except `pow = pow01 = 2^0`.
fn padding_row() -> BinaryExtensionRow<Val> {
    BinaryExtensionRow {
        pow01: Val::ONE,
        pow: Val::ONE,
        ..BinaryExtensionRow::default()
    }
}

/// The `BinaryExtension` trace: one row per operation, then padding rows.
///
/// # Panics
///
/// Panics with more than `N` operations or an opcode outside [`OPCODES`].
pub fn binary_extension_trace(operations: &[Operation]) -> RowMajorMatrix<Val> {
    assert!(
        operations.len() <= BINARY_EXTENSION_N,
        "too many BinaryExtension operations"
    );
    // No fixed columns: an instance is as tall as its operations need.
    let height = crate::pil::instance_height(operations.len());
    support::generate_trace_padded(
        height,
        NUM_BINARY_EXTENSION_COLS,
        operations,
        fill_row,
        |_, row: &mut BinaryExtensionRow<Val>| *row = padding_row(),
    )
}

/// Adds one `BinaryExtension` instance per chunk of `N` operations to `witness`.
///
/// # Panics
///
/// Panics on an opcode outside [`OPCODES`].
pub fn fill(
    witness: &mut PilWitness<'_, AnyAir>,
    operations: &[Operation],
) -> Result<(), PilError> {
    fill_chunked(witness, operations, BINARY_EXTENSION_N)
}

/// [`fill`] with at most `max_rows` (≤ `N`) operations per instance.
///
/// # Panics
///
/// Panics on an opcode outside [`OPCODES`].
pub fn fill_chunked(
    witness: &mut PilWitness<'_, AnyAir>,
    operations: &[Operation],
    max_rows: usize,
) -> Result<(), PilError> {
    for chunk in operations.chunks(max_rows.clamp(1, BINARY_EXTENSION_N)) {
        witness.push(
            &AnyAir::BinaryExtension(BinaryExtensionAir),
            binary_extension_trace(chunk),
            &[],
        )?;
    }
    Ok(())
}
