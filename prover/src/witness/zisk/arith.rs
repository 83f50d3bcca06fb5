//! Witness filler of `pil/zisk/arith.pil`: the `Arith` trace (multiplications and divisions)
//! from a list of `(op, a, b)` operations.
//!
//! Results come from `zisk_vm::ops::exec`, so the bus tuples state exactly the emulator's
//! semantics; the internal columns (the identity `x·y + r = l + 2^64·h`, carries, signs, the
//! `|r| < |b|` witness) are computed here with 128-bit integers. Identical operations (operands
//! as on the bus) share one row whose `multiplicity` counts them; for the `_w` forms the
//! operands' high halves are dropped first, as Main puts them on the bus. Padding rows are
//! `mulu(0, 0)` with multiplicity 0.

use std::borrow::BorrowMut;
use std::collections::BTreeMap;

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use zisk_generated::zisk::arith::{ArithAir, ArithRow, ARITH_N, NUM_ARITH_COLS};
use zisk_generated::zisk::AnyAir;
use zisk_vm::ops::{exec, op};

use crate::config::Val;
use crate::pil::{PilError, PilProgram, PilWitness};

/// Why operations cannot be filled.
#[derive(Debug, thiserror::Error)]
pub enum ArithError {
    /// The opcode is not one of the Arith machine's.
    #[error("opcode {0:#04x} is not an Arith opcode")]
    NotArith(u8),
    /// The prover refused an instance.
    #[error(transparent)]
    Pil(#[from] PilError),
}

/// The opcodes `Arith` proves.
pub const ARITH_OPS: [u8; 14] = [
    op::MULU,
    op::MULUH,
    op::MULSUH,
    op::MUL,
    op::MULH,
    op::MUL_W,
    op::DIVU,
    op::REMU,
    op::DIV,
    op::REM,
    op::DIVU_W,
    op::REMU_W,
    op::DIV_W,
    op::REM_W,
];

/// Is `code` a `_w` opcode of `Arith`?
pub fn is_w(code: u8) -> bool {
    matches!(
        code,
        op::MUL_W | op::DIVU_W | op::REMU_W | op::DIV_W | op::REM_W
    )
}

const LOW32: u64 = 0xffff_ffff;
/// The carry offset of the PIL (`CARRY_OFFSET`).
const CARRY_OFFSET: i128 = 4;

/// One operation `(c, flag) = op(a, b)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Operation {
    /// The opcode (one of [`ARITH_OPS`]).
    pub op: u8,
    /// First operand, as Main has it.
    pub a: u64,
    /// Second operand, as Main has it.
    pub b: u64,
}

impl Operation {
    /// The operands as they travel on the bus: high halves zeroed for the `_w` forms.
    pub fn bus_operands(&self) -> (u64, u64) {
        if is_w(self.op) {
            (self.a & LOW32, self.b & LOW32)
        } else {
            (self.a, self.b)
        }
    }

    /// `(c, flag)` from the emulator's semantics.
    pub fn result(&self) -> Result<(u64, bool), ArithError> {
        if !ARITH_OPS.contains(&self.op) {
            return Err(ArithError::NotArith(self.op));
        }
        exec(self.op, self.a, self.b).ok_or(ArithError::NotArith(self.op))
    }

    /// The 11-element OPERATION_BUS tuple
    /// `[op, a_lo, a_hi, b_lo, b_hi, c_lo, c_hi, flag, 0, 0, 0]`.
    pub fn bus_tuple(&self) -> Result<[u64; 11], ArithError> {
        let (a, b) = self.bus_operands();
        let (c, flag) = self.result()?;
        Ok([
            u64::from(self.op),
            a & LOW32,
            a >> 32,
            b & LOW32,
            b >> 32,
            c & LOW32,
            c >> 32,
            u64::from(flag),
            0,
            0,
            0,
        ])
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

fn f(v: u64) -> Val {
    Val::from_u64(v)
}

fn fi(v: i128) -> Val {
    if v >= 0 {
        Val::from_u128(v as u128)
    } else {
        -Val::from_u128(v.unsigned_abs())
    }
}

fn chunks(v: u64) -> [u64; 4] {
    core::array::from_fn(|k| (v >> (16 * k)) & 0xffff)
}

fn sext32(v: u64) -> u64 {
    v as u32 as i32 as i64 as u64
}

fn top_bit(v: u64) -> u64 {
    v >> 63
}

/// The values of one row's identity `x·y + r = l + 2^64·(h + ovf)`.
struct Identity {
    x: u64,
    y: u64,
    r: u64,
    l: u64,
    h: u64,
    n_x: u64,
    n_y: u64,
    n_r: u64,
    n_l: u64,
    div0: bool,
    ovf: bool,
}

/// The identity of `operation` (bus operands), as the PIL's header describes it.
fn identity(code: u8, a: u64, b: u64) -> Identity {
    let signed_x = matches!(
        code,
        op::MULSUH | op::MULH | op::DIV | op::REM | op::DIV_W | op::REM_W
    );
    let signed_y = matches!(code, op::MULH | op::DIV | op::REM | op::DIV_W | op::REM_W);
    let signed_div = matches!(code, op::DIV | op::REM | op::DIV_W | op::REM_W);
    let is_mul = matches!(
        code,
        op::MULU | op::MULUH | op::MULSUH | op::MUL | op::MULH | op::MUL_W
    );
    if is_mul {
        let n_x = u64::from(signed_x) * top_bit(a);
        let n_y = u64::from(signed_y) * top_bit(b);
        let p = (u128::from(a) * u128::from(b))
            .wrapping_sub((u128::from(n_x) * u128::from(b)) << 64)
            .wrapping_sub((u128::from(n_y) * u128::from(a)) << 64);
        return Identity {
            x: a,
            y: b,
            r: 0,
            l: p as u64,
            h: (p >> 64) as u64,
            n_x,
            n_y,
            n_r: 0,
            n_l: 0,
            div0: false,
            ovf: false,
        };
    }
    // Divisions: the 64-bit operands (m32: extended from 32 bits), then q and r.
    let (a, b) = match code {
        op::DIVU_W | op::REMU_W => (a & LOW32, b & LOW32),
        op::DIV_W | op::REM_W => (sext32(a), sext32(b)),
        _ => (a, b),
    };
    let mut ovf = false;
    let (q, r) = if b == 0 {
        (u64::MAX, a)
    } else if signed_div {
        let (sa, sb) = (a as i64, b as i64);
        if sa == i64::MIN && sb == -1 {
            ovf = true;
            (i64::MIN as u64, 0)
        } else {
            ((sa / sb) as u64, (sa % sb) as u64)
        }
    } else {
        (a / b, a % b)
    };
    let n_l = u64::from(signed_div) * top_bit(a);
    Identity {
        x: q,
        y: b,
        r,
        l: a,
        h: if n_l == 1 { u64::MAX } else { 0 },
        n_x: u64::from(signed_x) * top_bit(q),
        n_y: u64::from(signed_y) * top_bit(b),
        n_r: u64::from(signed_div) * top_bit(r),
        n_l,
        div0: b == 0,
        ovf,
    }
}

/// The carries out of the four 32-bit limbs of the identity, exactly as the PIL sums them.
fn carries(id: &Identity) -> [i128; 4] {
    let (x, y, r, l, h) = (
        chunks(id.x).map(i128::from),
        chunks(id.y).map(i128::from),
        chunks(id.r).map(i128::from),
        chunks(id.l).map(i128::from),
        chunks(id.h).map(i128::from),
    );
    let (n_x, n_y, n_r) = (i128::from(id.n_x), i128::from(id.n_y), i128::from(id.n_r));
    let p: [i128; 8] = core::array::from_fn(|k| {
        let mut s: i128 = (0..4)
            .filter(|&i| k >= i && k - i < 4)
            .map(|i| x[i] * y[k - i])
            .sum();
        if k < 4 {
            s += r[k] - l[k];
        } else {
            s -= n_x * y[k - 4] + n_y * x[k - 4] + h[k - 4];
        }
        if k == 4 {
            s -= n_r + i128::from(id.ovf);
        }
        s
    });
    let mut carry = 0i128;
    core::array::from_fn(|m| {
        let limb = p[2 * m] + (p[2 * m + 1] << 16) + carry;
        carry = limb >> 32;
        carry
    })
}

/// `|v|` of a 64-bit value whose sign the identity takes as `negative` (never 0 when set).
fn abs_of(v: u64, negative: u64) -> u64 {
    if negative == 1 {
        v.wrapping_neg()
    } else {
        v
    }
}

/// Fills one row for `operation` (bus operands), proven `multiplicity` times.
fn fill_row(
    operation: &Operation,
    multiplicity: u64,
    row: &mut ArithRow<Val>,
) -> Result<(), ArithError> {
    let (c, _) = operation.result()?;
    let code = operation.op;
    let (a, b) = operation.bus_operands();
    let id = identity(code, a, b);
    *row = ArithRow::default();
    let selector = match code {
        op::MULU => &mut row.s_mulu,
        op::MULUH => &mut row.s_muluh,
        op::MULSUH => &mut row.s_mulsuh,
        op::MUL => &mut row.s_mul,
        op::MULH => &mut row.s_mulh,
        op::MUL_W => &mut row.s_mul_w,
        op::DIVU => &mut row.s_divu,
        op::REMU => &mut row.s_remu,
        op::DIV => &mut row.s_div,
        op::REM => &mut row.s_rem,
        op::DIVU_W => &mut row.s_divu_w,
        op::REMU_W => &mut row.s_remu_w,
        op::DIV_W => &mut row.s_div_w,
        op::REM_W => &mut row.s_rem_w,
        other => return Err(ArithError::NotArith(other)),
    };
    *selector = Val::ONE;
    let m32 = is_w(code);
    let (x, y, r, l, h) = (
        chunks(id.x),
        chunks(id.y),
        chunks(id.r),
        chunks(id.l),
        chunks(id.h),
    );
    row.x = x.map(f);
    row.y = y.map(f);
    row.r = r.map(f);
    row.l = l.map(f);
    row.h = h.map(f);
    for (m, carry) in carries(&id).into_iter().enumerate() {
        let shifted = carry + CARRY_OFFSET;
        row.cl[m] = fi(shifted & 0xffff);
        row.ch[m] = fi(shifted >> 16);
    }
    let y_top = if m32 { y[1] } else { y[3] };
    let l_top = if m32 { l[1] } else { l[3] };
    row.s_x = f(x[3] >> 15);
    row.s_y = f(y_top >> 15);
    row.s_r = f(r[3] >> 15);
    row.s_l = f(l_top >> 15);
    row.n_x = f(id.n_x);
    row.n_y = f(id.n_y);
    row.n_r = f(id.n_r);
    row.n_l = f(id.n_l);
    row.y_top = f(y_top);
    row.l_top = f(l_top);
    let w_top = match code {
        op::MUL_W => l[1],
        op::DIVU_W | op::DIV_W => x[1],
        op::REMU_W | op::REM_W => r[1],
        _ => 0,
    };
    row.w_top = f(w_top);
    row.c_sign = f(w_top >> 15);
    row.div0 = Val::from_bool(id.div0);
    row.ovf = Val::from_bool(id.ovf);
    let is_div = !ARITH_OPS[..6].contains(&code);
    if is_div && !id.div0 {
        // d = |b| − |r| − 1 ≥ 0, and the carry of its low limb as the PIL sums it.
        let d = abs_of(id.y, id.n_y) - abs_of(id.r, id.n_r) - 1;
        row.d = chunks(d).map(f);
        let ar = |v: u64, n: u64| if n == 1 { !v & LOW32 } else { v & LOW32 };
        let lhs = (d & LOW32) + 1 + id.n_r + ar(id.r, id.n_r);
        let rhs = ar(id.y, id.n_y) + id.n_y;
        row.dc = f((lhs - rhs) >> 32);
    }
    row.a_lo = f(a & LOW32);
    row.a_hi = f(a >> 32);
    row.b_lo = f(b & LOW32);
    row.b_hi = f(b >> 32);
    row.c_lo = f(c & LOW32);
    row.c_hi = f(c >> 32);
    row.multiplicity = f(multiplicity);
    Ok(())
}

/// The padding operation: `mulu(0, 0)`, proven 0 times.
const PADDING: Operation = Operation {
    op: op::MULU,
    a: 0,
    b: 0,
};

/// One `Arith` trace of at most `ARITH_N` distinct operations with their multiplicities:
/// the smallest power of two ≥ the rows (at least `2^MIN_LOG_HEIGHT`), padded with
/// `mulu(0, 0)` rows of multiplicity 0.
pub fn arith_trace(rows: &[(Operation, u64)]) -> Result<RowMajorMatrix<Val>, ArithError> {
    let height = crate::pil::instance_height(rows.len());
    let mut values = vec![Val::ZERO; height * NUM_ARITH_COLS];
    for (i, slot) in values.chunks_exact_mut(NUM_ARITH_COLS).enumerate() {
        let (operation, multiplicity) = rows.get(i).copied().unwrap_or((PADDING, 0));
        let row: &mut ArithRow<Val> = slot.borrow_mut();
        fill_row(&operation, multiplicity, row)?;
    }
    Ok(RowMajorMatrix::new(values, NUM_ARITH_COLS))
}

/// Adds the `Arith` instances of `operations` (one per `ARITH_N` distinct operations, the last
/// one as short as its rows allow) to `witness`, as the AIR `arith` of any program that contains
/// `pil/zisk/arith.pil`.
pub fn fill_as<A: PilProgram>(
    witness: &mut PilWitness<'_, A>,
    arith: &A,
    operations: &[Operation],
) -> Result<(), ArithError> {
    if let Some(bad) = operations.iter().find(|o| !ARITH_OPS.contains(&o.op)) {
        return Err(ArithError::NotArith(bad.op));
    }
    let rows = distinct(operations);
    for chunk in rows.chunks(ARITH_N) {
        witness.push(arith, arith_trace(chunk)?, &[])?;
    }
    Ok(())
}

/// [`fill_as`] for the zkVM program.
pub fn fill(
    witness: &mut PilWitness<'_, AnyAir>,
    operations: &[Operation],
) -> Result<(), ArithError> {
    fill_as(witness, &AnyAir::Arith(ArithAir), operations)
}
