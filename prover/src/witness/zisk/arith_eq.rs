//! Witness of the `ArithEq` precompile machine (`pil/zisk/arith_eq.pil`): one row per
//! arith256, arith256_mod, secp256k1_add or secp256k1_dbl call, with the slope, inverse,
//! quotients, carries and borrows the PIL's chunked equations need.

use std::borrow::BorrowMut;

use num_bigint::{BigInt, Sign};
use num_integer::Integer;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;
use zisk_generated::zisk::arith_eq::{ArithEqAir, ArithEqRow, ARITH_EQ_N, NUM_ARITH_EQ_COLS};
use zisk_generated::zisk::AnyAir;
use zisk_precompiles::abi::{OP_ARITH256, OP_ARITH256_MOD, OP_SECP256K1_ADD, OP_SECP256K1_DBL};
use zisk_precompiles::{secp256k1, PrecompileError, U256};

use crate::config::Val;
use crate::pil::{PilError, PilWitness};

/// The carries' offset in the PIL (`c = lo + 2^16·hi − 2^24`).
const COFF: i128 = 1 << 24;
/// Chunk base.
const X: i128 = 1 << 16;

/// One call: the opcode, Main's step and `b`, the pointers read from the parameter block, the
/// operands read and the results written (`x1, y1, x2, y2, x3, y3` as in the PIL).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArithEqCall {
    /// One of the four opcodes.
    pub op: u8,
    /// Main's step of the call.
    pub step: u64,
    /// Main's `b`: the parameter block, or the point itself for secp256k1_dbl.
    pub addr: u64,
    /// The parameter block's pointers (zero where the operation has fewer).
    pub ptrs: [u64; 5],
    /// Operands and results, zero where the operation has none.
    pub nums: [U256; 6],
}

/// Number of pointers in `op`'s parameter block.
fn num_ptrs(op: u8) -> usize {
    match op {
        OP_ARITH256 | OP_ARITH256_MOD => 5,
        OP_SECP256K1_ADD => 2,
        _ => 0,
    }
}

impl ArithEqCall {
    /// Whether `op` is proven by ArithEq.
    pub fn handles(op: u8) -> bool {
        matches!(
            op,
            OP_ARITH256 | OP_ARITH256_MOD | OP_SECP256K1_ADD | OP_SECP256K1_DBL
        )
    }

    /// Reads call `op` at `step` with `b = addr` through `word` (aligned u64 reads) and computes
    /// its results with the host semantics of `zisk-precompiles`.
    pub fn read(
        op: u8,
        step: u64,
        addr: u64,
        word: impl Fn(u64) -> u64,
    ) -> Result<Self, PrecompileError> {
        let mut ptrs = [0u64; 5];
        for (i, p) in ptrs.iter_mut().take(num_ptrs(op)).enumerate() {
            *p = word(addr.wrapping_add(8 * i as u64));
        }
        let num =
            |at: u64| -> U256 { std::array::from_fn(|i| word(at.wrapping_add(8 * i as u64))) };
        let mut nums = [[0u64; 4]; 6];
        match op {
            OP_ARITH256 => {
                let (a, b, c) = (num(ptrs[0]), num(ptrs[1]), num(ptrs[2]));
                let (dl, dh) = zisk_precompiles::arith256(&a, &b, &c);
                nums = [a, b, c, [0; 4], dl, dh];
            }
            OP_ARITH256_MOD => {
                let (a, b, c, m) = (num(ptrs[0]), num(ptrs[1]), num(ptrs[2]), num(ptrs[3]));
                let d = zisk_precompiles::arith256_mod(&a, &b, &c, &m)?;
                nums = [a, b, c, m, d, [0; 4]];
            }
            OP_SECP256K1_ADD | OP_SECP256K1_DBL => {
                let point = |at: u64| -> [u64; 8] {
                    std::array::from_fn(|i| word(at.wrapping_add(8 * i as u64)))
                };
                let (p1, r) = if op == OP_SECP256K1_ADD {
                    let (p1, p2) = (point(ptrs[0]), point(ptrs[1]));
                    nums[2] = p2[..4].try_into().expect("4 words");
                    nums[3] = p2[4..].try_into().expect("4 words");
                    (p1, secp256k1::secp256k1_add(&p1, &p2)?)
                } else {
                    let p = point(addr);
                    (p, secp256k1::secp256k1_dbl(&p)?)
                };
                nums[0] = p1[..4].try_into().expect("4 words");
                nums[1] = p1[4..].try_into().expect("4 words");
                nums[4] = r[..4].try_into().expect("4 words");
                nums[5] = r[4..].try_into().expect("4 words");
            }
            _ => {}
        }
        Ok(Self {
            op,
            step,
            addr,
            ptrs,
            nums,
        })
    }

    /// The addresses of the number `x1, y1, x2, y2, x3, y3`, `None` where the operation has
    /// none (the PIL's `px1 … py3`).
    fn num_addrs(&self) -> [Option<u64>; 6] {
        let p = &self.ptrs;
        let a = self.addr;
        match self.op {
            OP_ARITH256 => [
                Some(p[0]),
                Some(p[1]),
                Some(p[2]),
                None,
                Some(p[3]),
                Some(p[4]),
            ],
            OP_ARITH256_MOD => [
                Some(p[0]),
                Some(p[1]),
                Some(p[2]),
                Some(p[3]),
                Some(p[4]),
                None,
            ],
            OP_SECP256K1_ADD => [
                Some(p[0]),
                Some(p[0].wrapping_add(32)),
                Some(p[1]),
                Some(p[1].wrapping_add(32)),
                Some(p[0]),
                Some(p[0].wrapping_add(32)),
            ],
            _ => [
                Some(a),
                Some(a.wrapping_add(32)),
                None,
                None,
                Some(a),
                Some(a.wrapping_add(32)),
            ],
        }
    }

    /// The PIL's `same` flags: for the operand pairs (x1, y1), (x1, x2), (y1, x2), (x1, y2),
    /// (y1, y2), (x2, y2), whether the second is at the address of the first (only the first
    /// such earlier operand is flagged).
    fn same(&self) -> [bool; 6] {
        const PAIRS: [(usize, usize); 6] = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)];
        let at = self.num_addrs();
        let mut flags = [false; 6];
        for j in 1..4 {
            let first = (0..j).find(|&i| at[i].is_some() && at[i] == at[j]);
            if let Some(i) = first {
                let pair = PAIRS
                    .iter()
                    .position(|&p| p == (i, j))
                    .expect("a listed pair");
                flags[pair] = true;
            }
        }
        flags
    }

    /// The words the call reads, `(address, value)`: the pointers, then each operand (one read
    /// for operands at the same address).
    pub fn reads(&self) -> Vec<(u64, u64)> {
        let mut out: Vec<(u64, u64)> = (0..num_ptrs(self.op))
            .map(|i| (self.addr.wrapping_add(8 * i as u64), self.ptrs[i]))
            .collect();
        let at = self.num_addrs();
        for (n, a) in at.into_iter().enumerate().take(4) {
            let repeated = (0..n).any(|i| at[i].is_some() && at[i] == a);
            if let (Some(a), false) = (a, repeated) {
                out.extend((0..4).map(|w| (a.wrapping_add(8 * w as u64), self.nums[n][w])));
            }
        }
        out
    }

    /// The words the call writes, `(address, value)`.
    pub fn writes(&self) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        for (n, at) in self.num_addrs().into_iter().enumerate().skip(4) {
            if let Some(at) = at {
                out.extend((0..4).map(|w| (at.wrapping_add(8 * w as u64), self.nums[n][w])));
            }
        }
        out
    }
}

fn big(v: &U256) -> BigInt {
    let bytes: Vec<u8> = v.iter().flat_map(|w| w.to_le_bytes()).collect();
    BigInt::from_bytes_le(Sign::Plus, &bytes)
}

/// The 16 chunks of a number in `[0, 2^256)`.
fn chunks(v: &BigInt) -> [i128; 16] {
    let (_, bytes) = v.to_bytes_le();
    std::array::from_fn(|k| {
        let byte = |i: usize| bytes.get(i).copied().unwrap_or(0) as i128;
        byte(2 * k) | byte(2 * k + 1) << 8
    })
}

/// The 17 chunks of a quotient: 16 unsigned, the top one `⌊q / 2^256⌋` (signed).
fn quotient_chunks(q: &BigInt) -> [i128; 17] {
    let base = BigInt::from(1) << 256;
    let (top, low) = q.div_mod_floor(&base);
    let low = chunks(&low);
    let top: i128 = top.try_into().expect("|q| < 2^271");
    std::array::from_fn(|k| if k < 16 { low[k] } else { top })
}

fn field(v: i128) -> Val {
    if v < 0 {
        -Val::from_u128(v.unsigned_abs())
    } else {
        Val::from_u128(v as u128)
    }
}

fn mul(a: &[i128], b: &[i128]) -> Vec<i128> {
    let mut out = vec![0i128; a.len() + b.len() - 1];
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            out[i + j] += x * y;
        }
    }
    out
}

/// `e += sign·t·X^shift`.
fn acc(e: &mut [i128], t: &[i128], sign: i128, shift: usize) {
    for (k, v) in t.iter().enumerate() {
        e[k + shift] += sign * v;
    }
}

/// The carries of `Σ e_k·X^k = 0`, as `(lo, hi)` with the PIL's offset.
fn carries(e: &[i128]) -> Vec<(i128, i128)> {
    let mut prev = 0i128;
    let mut out = Vec::with_capacity(e.len() - 1);
    for &ek in &e[..e.len() - 1] {
        let t = ek + prev;
        debug_assert_eq!(t.rem_euclid(X), 0, "an equation of the call does not hold");
        prev = t.div_euclid(X);
        let v = prev + COFF;
        out.push((v & 0xffff, v >> 16));
    }
    debug_assert_eq!(
        e[e.len() - 1] + prev,
        0,
        "an equation of the call does not hold"
    );
    out
}

/// `M − x − 1` and the borrow bits of `x + d + 1 = M`.
fn less_than(x: &BigInt, m: &BigInt) -> ([i128; 16], [i128; 15]) {
    let d = chunks(&(m - x - 1));
    let (xc, mc) = (chunks(x), chunks(m));
    let mut borrow = [0i128; 15];
    let mut prev = 0;
    for k in 0..15 {
        let t = xc[k] + d[k] + i128::from(k == 0) + prev - mc[k];
        prev = t / X;
        borrow[k] = prev;
    }
    (d, borrow)
}

/// The quotient of an exact division by `p` (an equation that holds mod `p`).
fn quotient(num: BigInt, p: &BigInt) -> BigInt {
    let (q, r) = num.div_mod_floor(p);
    debug_assert_eq!(
        r,
        BigInt::from(0),
        "an equation of the call does not hold mod p"
    );
    q
}

/// Fills the row of `call`; `p` is secp256k1's field prime.
fn fill_row(call: &ArithEqCall, p: &BigInt, row: &mut ArithEqRow<Val>) {
    let n: [BigInt; 6] = std::array::from_fn(|i| big(&call.nums[i]));
    let [x1, y1, x2, y2, x3, y3] = &n;
    let zero = BigInt::from(0);
    let modp = |v: BigInt| v.mod_floor(p);
    let inverse = |v: &BigInt| modp(v.clone()).modpow(&(p - 2), p);
    let (mut s, mut inv) = (zero.clone(), zero.clone());
    let mut q: [BigInt; 4] = std::array::from_fn(|_| zero.clone());
    let mut q1_high = false;
    match call.op {
        OP_ARITH256_MOD => {
            let quo = quotient(x1 * y1 + x2 - x3, y2);
            let base = BigInt::from(1) << 256;
            let (hi, lo) = quo.div_mod_floor(&base);
            q[0] = lo;
            q[1] = hi;
            q1_high = true;
        }
        OP_SECP256K1_ADD => {
            inv = inverse(&(x2 - x1));
            s = modp((y2 - y1) * &inv);
            q[0] = quotient(&s * (x2 - x1) - (y2 - y1), p);
            q[1] = quotient(&s * &s - x1 - x2 - x3, p);
            q[2] = quotient(&s * (x1 - x3) - y1 - y3, p);
            q[3] = quotient((x2 - x1) * &inv - 1, p);
        }
        OP_SECP256K1_DBL => {
            inv = inverse(y1);
            s = modp(3 * x1 * x1 * inverse(&(2 * y1)));
            q[0] = quotient(2 * &s * y1 - 3 * x1 * x1, p);
            q[1] = quotient(&s * &s - 2 * x1 - x3, p);
            q[2] = quotient(&s * (x1 - x3) - y1 - y3, p);
            q[3] = quotient(y1 * &inv - 1, p);
        }
        _ => {}
    }
    let c: [[i128; 16]; 6] = std::array::from_fn(|i| chunks(&n[i]));
    let [cx1, cy1, cx2, cy2, cx3, cy3] = &c;
    let (cs, cinv) = (chunks(&s), chunks(&inv));
    let cq: [[i128; 17]; 4] = std::array::from_fn(|i| {
        if q1_high {
            let low = chunks(&q[i]);
            std::array::from_fn(|k| if k < 16 { low[k] } else { 0 })
        } else {
            quotient_chunks(&q[i])
        }
    });
    let pc = chunks(p);

    // E0 (47 coefficients) and E1..E3 (32), as in the PIL.
    let mut e0 = vec![0i128; 47];
    let mut e: [Vec<i128>; 3] = std::array::from_fn(|_| vec![0i128; 32]);
    match call.op {
        OP_ARITH256 => {
            acc(&mut e0, &mul(cx1, cy1), 1, 0);
            acc(&mut e0, cx2, 1, 0);
            acc(&mut e0, cx3, -1, 0);
            acc(&mut e0, cy3, -1, 16);
        }
        OP_ARITH256_MOD => {
            acc(&mut e0, &mul(cx1, cy1), 1, 0);
            acc(&mut e0, cx2, 1, 0);
            acc(&mut e0, cx3, -1, 0);
            acc(&mut e0, &mul(&cq[0][..16], cy2), -1, 0);
            acc(&mut e0, &mul(&cq[1][..16], cy2), -1, 16);
        }
        OP_SECP256K1_ADD | OP_SECP256K1_DBL => {
            let add = call.op == OP_SECP256K1_ADD;
            if add {
                acc(&mut e0, &mul(&cs, cx2), 1, 0);
                acc(&mut e0, &mul(&cs, cx1), -1, 0);
                acc(&mut e0, cy1, 1, 0);
                acc(&mut e0, cy2, -1, 0);
                acc(&mut e[0], cx2, -1, 0);
                acc(&mut e[2], &mul(cx2, &cinv), 1, 0);
                acc(&mut e[2], &mul(cx1, &cinv), -1, 0);
            } else {
                acc(&mut e0, &mul(&cs, cy1), 2, 0);
                acc(&mut e0, &mul(cx1, cx1), -3, 0);
                acc(&mut e[0], cx1, -1, 0);
                acc(&mut e[2], &mul(cy1, &cinv), 1, 0);
            }
            acc(&mut e0, &mul(&cq[0], &pc), -1, 0);
            acc(&mut e[0], &mul(&cs, &cs), 1, 0);
            acc(&mut e[0], cx1, -1, 0);
            acc(&mut e[0], cx3, -1, 0);
            acc(&mut e[0], &mul(&cq[1], &pc), -1, 0);
            acc(&mut e[1], &mul(&cs, cx1), 1, 0);
            acc(&mut e[1], &mul(&cs, cx3), -1, 0);
            acc(&mut e[1], cy1, -1, 0);
            acc(&mut e[1], cy3, -1, 0);
            acc(&mut e[1], &mul(&cq[2], &pc), -1, 0);
            e[2][0] -= 1;
            acc(&mut e[2], &mul(&cq[3], &pc), -1, 0);
        }
        _ => {}
    }

    row.sel_a = Val::from_bool(call.op == OP_ARITH256);
    row.sel_m = Val::from_bool(call.op == OP_ARITH256_MOD);
    row.sel_add = Val::from_bool(call.op == OP_SECP256K1_ADD);
    row.sel_dbl = Val::from_bool(call.op == OP_SECP256K1_DBL);
    let put16 = |dst: &mut [Val; 16], src: &[i128; 16]| *dst = src.map(field);
    put16(&mut row.x1, cx1);
    put16(&mut row.y1, cy1);
    put16(&mut row.x2, cx2);
    put16(&mut row.y2, cy2);
    put16(&mut row.x3, cx3);
    put16(&mut row.y3, cy3);
    put16(&mut row.s, &cs);
    put16(&mut row.inv, &cinv);
    row.q0 = cq[0].map(field);
    row.q1 = cq[1].map(field);
    row.q2 = cq[2].map(field);
    row.q3 = cq[3].map(field);
    let m = match call.op {
        OP_ARITH256_MOD => Some(y2),
        OP_SECP256K1_ADD | OP_SECP256K1_DBL => Some(p),
        _ => None,
    };
    if let Some(m) = m {
        let (d, b) = less_than(x3, m);
        row.dx = d.map(field);
        row.bx = b.map(field);
    }
    if matches!(call.op, OP_SECP256K1_ADD | OP_SECP256K1_DBL) {
        let (d, b) = less_than(y3, p);
        row.dy = d.map(field);
        row.by = b.map(field);
    }
    fill_carries(&mut row.c0lo, &mut row.c0hi, &e0);
    fill_carries(&mut row.c1lo, &mut row.c1hi, &e[0]);
    fill_carries(&mut row.c2lo, &mut row.c2hi, &e[1]);
    fill_carries(&mut row.c3lo, &mut row.c3hi, &e[2]);
    row.addr = Val::from_u64(call.addr);
    row.ptr = call.ptrs.map(Val::from_u64);
    row.same = call.same().map(Val::from_bool);
    row.step = Val::from_u64(call.step);
}

fn fill_carries(lo: &mut [Val], hi: &mut [Val], e: &[i128]) {
    for (k, (l, h)) in carries(e).into_iter().enumerate() {
        lo[k] = field(l);
        hi[k] = field(h);
    }
}

/// A padding row: no operation, every carry zero (`hi = 2^24 / 2^16`).
fn fill_padding(row: &mut ArithEqRow<Val>) {
    let hi = Val::from_u32(256);
    row.c0hi = [hi; 46];
    row.c1hi = [hi; 31];
    row.c2hi = [hi; 31];
    row.c3hi = [hi; 31];
}

/// The trace of up to [`ARITH_EQ_N`] calls, as short as they allow.
pub fn arith_eq_trace(calls: &[ArithEqCall]) -> RowMajorMatrix<Val> {
    let height = crate::pil::instance_height(calls.len());
    let p = big(&secp256k1::P);
    let mut values = vec![Val::ZERO; height * NUM_ARITH_EQ_COLS];
    values
        .par_chunks_mut(NUM_ARITH_EQ_COLS)
        .enumerate()
        .for_each(|(i, slot)| {
            let row: &mut ArithEqRow<Val> = slot.borrow_mut();
            match calls.get(i) {
                Some(call) => fill_row(call, &p, row),
                None => fill_padding(row),
            }
        });
    RowMajorMatrix::new(values, NUM_ARITH_EQ_COLS)
}

/// Adds the `ArithEq` instances of `calls` to `witness`.
pub fn fill(witness: &mut PilWitness<'_, AnyAir>, calls: &[ArithEqCall]) -> Result<(), PilError> {
    for chunk in calls.chunks(ARITH_EQ_N) {
        witness.push(&AnyAir::ArithEq(ArithEqAir), arith_eq_trace(chunk), &[])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use p3_air::Air;
    use p3_matrix::Matrix;
    use rand::{rngs::StdRng, Rng, SeedableRng};
    use zisk_generated::zisk::arith_eq::NUM_ARITH_EQ_PUBLIC_VALUES;

    use super::*;
    use crate::check::ConstraintChecker;

    /// Guest memory for one call: the parameter block at 0x1000, numbers from 0x2000 on.
    fn call(op: u8, nums: &[U256]) -> ArithEqCall {
        let mut mem: HashMap<u64, u64> = HashMap::new();
        let mut put = |at: u64, words: &[u64]| {
            for (i, &w) in words.iter().enumerate() {
                mem.insert(at + 8 * i as u64, w);
            }
        };
        let at = |i: usize| 0x2000 + 0x40 * i as u64;
        match op {
            OP_SECP256K1_ADD => {
                put(0x1000, &[at(0), at(1)]);
                put(at(0), &[nums[0], nums[1]].concat());
                put(at(1), &[nums[2], nums[3]].concat());
            }
            OP_SECP256K1_DBL => put(0x1000, &[nums[0], nums[1]].concat()),
            _ => {
                put(0x1000, &[at(0), at(1), at(2), at(3), at(4)]);
                for (i, n) in nums.iter().enumerate() {
                    put(at(i), n);
                }
            }
        }
        ArithEqCall::read(op, 9, 0x1000, |a| mem.get(&a).copied().unwrap_or(0))
            .expect("a defined call")
    }

    /// The rows of `trace` on which some ArithEq constraint fails.
    fn failing_rows(trace: &RowMajorMatrix<Val>) -> Vec<usize> {
        let publics = vec![Val::ZERO; NUM_ARITH_EQ_PUBLIC_VALUES];
        let h = trace.height();
        let w = NUM_ARITH_EQ_COLS;
        (0..h)
            .filter(|&r| {
                let (row, next) = (
                    &trace.values[r * w..][..w],
                    &trace.values[(r + 1) % h * w..][..w],
                );
                let mut checker =
                    ConstraintChecker::new((row, next), (&[], &[]), &publics, &[], r, h);
                ArithEqAir.eval(&mut checker);
                !checker.failed_constraints().is_empty()
            })
            .collect()
    }

    /// Every row of the trace of `calls` satisfies every ArithEq constraint.
    fn assert_rows_hold(calls: &[ArithEqCall]) {
        assert_eq!(failing_rows(&arith_eq_trace(calls)), Vec::<usize>::new());
    }

    fn secp_point(k: u64) -> [u64; 8] {
        // k·G by doublings and additions with the host functions.
        let g = [
            0x59F2815B16F81798,
            0x029BFCDB2DCE28D9,
            0x55A06295CE870B07,
            0x79BE667EF9DCBBAC,
            0x9C47D08FFB10D4B8,
            0xFD17B448A6855419,
            0x5DA4FBFC0E1108A8,
            0x483ADA7726A3C465,
        ];
        let mut p = secp256k1::secp256k1_dbl(&g).unwrap();
        for _ in 2..k {
            p = secp256k1::secp256k1_add(&p, &g).unwrap();
        }
        p
    }

    fn halves(p: &[u64; 8]) -> [U256; 2] {
        [p[..4].try_into().unwrap(), p[4..].try_into().unwrap()]
    }

    /// Edge cases and seeded random operands of all four operations.
    #[test]
    fn rows_satisfy_the_constraints() {
        let p = secp256k1::P;
        let max = [u64::MAX; 4];
        let mut p_minus_1 = p;
        p_minus_1[0] -= 1;
        let one = [1, 0, 0, 0];
        let zero = [0u64; 4];
        let mut calls = vec![
            call(OP_ARITH256, &[zero, zero, zero]),
            call(OP_ARITH256, &[max, max, max]),
            call(OP_ARITH256, &[[u64::MAX, 0, 0, 0], max, one]),
            call(OP_ARITH256_MOD, &[max, max, max, one]),
            call(OP_ARITH256_MOD, &[max, max, max, max]),
            call(OP_ARITH256_MOD, &[p_minus_1, p_minus_1, p_minus_1, p]),
            call(OP_ARITH256_MOD, &[p, one, zero, p]),
            call(OP_ARITH256_MOD, &[zero, zero, zero, [3, 0, 0, 0]]),
        ];
        // Four operands and the result at one address (a squaring passes one pointer twice).
        let mut mem: HashMap<u64, u64> = HashMap::new();
        for i in 0..5 {
            mem.insert(0x1000 + 8 * i, 0x2000);
        }
        for (i, &w) in p_minus_1.iter().enumerate() {
            mem.insert(0x2000 + 8 * i as u64, w);
        }
        let squaring = ArithEqCall::read(OP_ARITH256_MOD, 9, 0x1000, |a| {
            mem.get(&a).copied().unwrap_or(0)
        })
        .expect("defined");
        assert_eq!(squaring.same(), [true, true, false, true, false, false]);
        assert_eq!(squaring.reads().len(), 5 + 4);
        calls.push(squaring);
        let g2 = secp_point(2);
        let g3 = secp_point(3);
        let g7 = secp_point(7);
        let [x2, y2] = halves(&g2);
        let [x3, y3] = halves(&g3);
        let [x7, y7] = halves(&g7);
        calls.push(call(OP_SECP256K1_DBL, &[x2, y2]));
        calls.push(call(OP_SECP256K1_ADD, &[x2, y2, x3, y3]));
        calls.push(call(OP_SECP256K1_ADD, &[x7, y7, x2, y2]));
        let mut rng = StdRng::seed_from_u64(11);
        for _ in 0..40 {
            let r = |rng: &mut StdRng| -> U256 { std::array::from_fn(|_| rng.gen()) };
            calls.push(call(OP_ARITH256, &[r(&mut rng), r(&mut rng), r(&mut rng)]));
            let mut m = r(&mut rng);
            m[3] >>= rng.gen_range(0..64);
            m[0] |= 1;
            calls.push(call(
                OP_ARITH256_MOD,
                &[r(&mut rng), r(&mut rng), r(&mut rng), m],
            ));
        }
        for k in 2..12 {
            let [x, y] = halves(&secp_point(k));
            calls.push(call(OP_SECP256K1_DBL, &[x, y]));
            let [gx, gy] = halves(&secp_point(k + 3));
            calls.push(call(OP_SECP256K1_ADD, &[x, y, gx, gy]));
        }
        assert_rows_hold(&calls);
    }

    /// A wrong result, claimed consistently everywhere but in one chunk, breaks a constraint.
    #[test]
    fn a_forged_result_fails() {
        let [x, y] = halves(&secp_point(5));
        for op in [OP_SECP256K1_DBL, OP_ARITH256] {
            let mut trace = arith_eq_trace(&[call(op, &[x, y, x])]);
            let row: &mut ArithEqRow<Val> = trace.values[..NUM_ARITH_EQ_COLS].borrow_mut();
            row.x3[3] += Val::ONE;
            assert_eq!(failing_rows(&trace), vec![0], "op {op:#x}");
        }
    }

    /// arith256_mod's result d + m satisfies the equation with the quotient one less: only the
    /// canonical-result check (`d < m`) rejects it.
    #[test]
    fn a_non_canonical_result_fails() {
        let m = [7, 0, 0, 0];
        let mut c = call(
            OP_ARITH256_MOD,
            &[[5, 0, 0, 0], [3, 0, 0, 0], [1, 0, 0, 0], m],
        );
        assert_eq!(c.nums[4], [2, 0, 0, 0]);
        c.nums[4][0] += 7;
        assert_eq!(failing_rows(&arith_eq_trace(&[c])), vec![0]);
    }

    /// A `same` flag on operands at different addresses (which would skip a memory read) breaks
    /// a constraint.
    #[test]
    fn a_forged_same_flag_fails() {
        let c = call(OP_ARITH256, &[[1, 2, 3, 4], [1, 2, 3, 4], [0; 4]]);
        assert_eq!(c.same(), [false; 6]);
        let mut trace = arith_eq_trace(&[c]);
        let row: &mut ArithEqRow<Val> = trace.values[..NUM_ARITH_EQ_COLS].borrow_mut();
        row.same[0] = Val::ONE;
        assert_eq!(failing_rows(&trace), vec![0]);
    }
}
