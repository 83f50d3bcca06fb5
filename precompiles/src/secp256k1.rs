//! Affine point addition and doubling on secp256k1 (`y² = x³ + 7` over `F_p`,
//! `p = 2^256 - 2^32 - 977`): the secp256k1_add and secp256k1_dbl precompiles.
//!
//! A point is `[x0..x3, y0..y3]`. Inputs are taken modulo `p`; results are canonical (`< p`).
//! Neither operation checks that its inputs lie on the curve, and there is no point at infinity:
//! adding two points with the same x and doubling a point with `y = 0` are errors.

use crate::arith256::{add, ge, mul_wide, sub, U256};
use crate::error::PrecompileError;

/// The field modulus `p`.
pub const P: U256 = [
    0xFFFF_FFFE_FFFF_FC2F,
    0xFFFF_FFFF_FFFF_FFFF,
    0xFFFF_FFFF_FFFF_FFFF,
    0xFFFF_FFFF_FFFF_FFFF,
];

/// `2^256 mod p`.
const R: u64 = 0x1_0000_03D1;

/// A value `< 2^256` reduced below `p` (one subtraction suffices since `2p > 2^256`).
fn canon(a: &U256) -> U256 {
    if ge(a, &P) {
        sub(a, &P).0
    } else {
        *a
    }
}

/// `a + b mod p` for canonical inputs.
fn fadd(a: &U256, b: &U256) -> U256 {
    let (s, carry) = add(a, b);
    if carry || ge(&s, &P) {
        sub(&s, &P).0
    } else {
        s
    }
}

/// `a - b mod p` for canonical inputs.
fn fsub(a: &U256, b: &U256) -> U256 {
    let (d, borrow) = sub(a, b);
    if borrow {
        add(&d, &P).0
    } else {
        d
    }
}

/// `a·b mod p` for canonical inputs, folding the high half with `2^256 ≡ R`.
fn fmul(a: &U256, b: &U256) -> U256 {
    let w = mul_wide(a, b);
    // t = lo + hi·R < 2^256 + 2^256·2^33
    let mut t = [0u64; 4];
    let mut carry = 0u128;
    for i in 0..4 {
        let v = w[i] as u128 + w[i + 4] as u128 * R as u128 + carry;
        t[i] = v as u64;
        carry = v >> 64;
    }
    // fold the top limb (< 2^34) again
    let mut extra = carry * R as u128;
    for limb in t.iter_mut() {
        let v = *limb as u128 + extra;
        *limb = v as u64;
        extra = v >> 64;
    }
    if extra != 0 {
        // t wrapped past 2^256 (t is now tiny): add 2^256 mod p once more.
        let (s, _) = add(&t, &[R, 0, 0, 0]);
        t = s;
    }
    canon(&t)
}

/// `a^(p-2) = a^-1 mod p` for a nonzero canonical `a` (Fermat).
fn finv(a: &U256) -> U256 {
    let e = sub(&P, &[2, 0, 0, 0]).0;
    let mut r = [1, 0, 0, 0];
    for i in (0..256).rev() {
        r = fmul(&r, &r);
        if (e[i / 64] >> (i % 64)) & 1 == 1 {
            r = fmul(&r, a);
        }
    }
    r
}

fn split(p: &[u64; 8]) -> (U256, U256) {
    (
        canon(&[p[0], p[1], p[2], p[3]]),
        canon(&[p[4], p[5], p[6], p[7]]),
    )
}

fn join(x: &U256, y: &U256) -> [u64; 8] {
    [x[0], x[1], x[2], x[3], y[0], y[1], y[2], y[3]]
}

/// The point with slope `l` through `(x1, y1)` and a second point with x `x2`.
fn chord(l: &U256, x1: &U256, y1: &U256, x2: &U256) -> [u64; 8] {
    let x3 = fsub(&fsub(&fmul(l, l), x1), x2);
    let y3 = fsub(&fmul(l, &fsub(x1, &x3)), y1);
    join(&x3, &y3)
}

/// secp256k1_add: `p1 + p2` with slope `(y2 - y1)/(x2 - x1)`.
pub fn secp256k1_add(p1: &[u64; 8], p2: &[u64; 8]) -> Result<[u64; 8], PrecompileError> {
    let (x1, y1) = split(p1);
    let (x2, y2) = split(p2);
    if x1 == x2 {
        return Err(PrecompileError::EqualX);
    }
    let l = fmul(&fsub(&y2, &y1), &finv(&fsub(&x2, &x1)));
    Ok(chord(&l, &x1, &y1, &x2))
}

/// secp256k1_dbl: `2p` with slope `3x²/2y`.
pub fn secp256k1_dbl(p: &[u64; 8]) -> Result<[u64; 8], PrecompileError> {
    let (x, y) = split(p);
    if y == [0; 4] {
        return Err(PrecompileError::ZeroY);
    }
    let xx = fmul(&x, &x);
    let num = fadd(&fadd(&xx, &xx), &xx);
    let l = fmul(&num, &finv(&fadd(&y, &y)));
    Ok(chord(&l, &x, &y, &x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith256::rem_wide;

    #[test]
    fn field_mul_matches_generic_reduction() {
        let pm1 = sub(&P, &[1, 0, 0, 0]).0;
        let vals = [
            [0; 4],
            [1, 0, 0, 0],
            pm1,
            [R, 0, 0, 0],
            [u64::MAX, 0, 0, 1 << 63],
        ];
        for a in &vals {
            for b in &vals {
                let (a, b) = (canon(a), canon(b));
                assert_eq!(fmul(&a, &b), rem_wide(&mul_wide(&a, &b), &P));
            }
        }
        assert_eq!(fmul(&finv(&pm1), &pm1), [1, 0, 0, 0]);
    }
}
