//! 256-bit integer arithmetic on four little-endian u64 limbs: the arith256 and arith256_mod
//! precompiles, and the helpers the secp256k1 field uses.

use crate::error::PrecompileError;

/// A 256-bit number, limb 0 least significant.
pub type U256 = [u64; 4];

/// The full 512-bit product `a·b`.
pub fn mul_wide(a: &U256, b: &U256) -> [u64; 8] {
    let mut r = [0u64; 8];
    for i in 0..4 {
        let mut carry = 0u128;
        for j in 0..4 {
            let t = a[i] as u128 * b[j] as u128 + r[i + j] as u128 + carry;
            r[i + j] = t as u64;
            carry = t >> 64;
        }
        r[i + 4] = carry as u64;
    }
    r
}

/// Adds `c` into the low limbs of `r`, propagating the carry through all eight limbs.
fn add_into(r: &mut [u64; 8], c: &U256) {
    let mut carry = 0u128;
    for (i, limb) in r.iter_mut().enumerate() {
        let t = *limb as u128 + c.get(i).copied().unwrap_or(0) as u128 + carry;
        *limb = t as u64;
        carry = t >> 64;
    }
}

/// `a·b + c` as 512 bits (it never overflows: `(2^256-1)^2 + 2^256-1 < 2^512`).
pub fn mul_add_wide(a: &U256, b: &U256, c: &U256) -> [u64; 8] {
    let mut r = mul_wide(a, b);
    add_into(&mut r, c);
    r
}

/// The arith256 precompile: `(dl, dh)` with `a·b + c = dh·2^256 + dl`.
pub fn arith256(a: &U256, b: &U256, c: &U256) -> (U256, U256) {
    let r = mul_add_wide(a, b, c);
    ([r[0], r[1], r[2], r[3]], [r[4], r[5], r[6], r[7]])
}

/// The arith256_mod precompile: `(a·b + c) mod m`; `m = 0` is an error.
pub fn arith256_mod(a: &U256, b: &U256, c: &U256, m: &U256) -> Result<U256, PrecompileError> {
    if *m == [0; 4] {
        return Err(PrecompileError::ZeroModulus);
    }
    Ok(rem_wide(&mul_add_wide(a, b, c), m))
}

/// `u mod v` for a 512-bit `u` and a nonzero 256-bit `v` (Knuth, TAOCP vol. 2, §4.3.1,
/// algorithm D, with 64-bit digits).
pub fn rem_wide(u: &[u64; 8], v: &U256) -> U256 {
    let n = v.iter().rposition(|&x| x != 0).expect("nonzero divisor") + 1;
    if n == 1 {
        let d = v[0] as u128;
        let mut r = 0u128;
        for &limb in u.iter().rev() {
            r = ((r << 64) | limb as u128) % d;
        }
        return [r as u64, 0, 0, 0];
    }
    // Normalise so that the divisor's top limb has its high bit set.
    let s = v[n - 1].leading_zeros();
    let shl = |hi: u64, lo: u64| {
        if s == 0 {
            hi
        } else {
            (hi << s) | (lo >> (64 - s))
        }
    };
    let mut vn = [0u64; 4];
    for i in (1..n).rev() {
        vn[i] = shl(v[i], v[i - 1]);
    }
    vn[0] = v[0] << s;
    let mut un = [0u64; 9];
    un[8] = shl(0, u[7]);
    for i in (1..8).rev() {
        un[i] = shl(u[i], u[i - 1]);
    }
    un[0] = u[0] << s;

    const B: u128 = 1 << 64;
    for j in (0..=8 - n).rev() {
        let num = (un[j + n] as u128) << 64 | un[j + n - 1] as u128;
        let top = vn[n - 1] as u128;
        let mut qhat = num / top;
        let mut rhat = num % top;
        while qhat >= B || qhat * vn[n - 2] as u128 > (rhat << 64 | un[j + n - 2] as u128) {
            qhat -= 1;
            rhat += top;
            if rhat >= B {
                break;
            }
        }
        // un[j..=j+n] -= qhat · vn
        let mut borrow = 0i128;
        let mut carry = 0u128;
        for i in 0..n {
            let p = qhat * vn[i] as u128 + carry;
            carry = p >> 64;
            let t = un[i + j] as i128 - borrow - (p as u64) as i128;
            un[i + j] = t as u64;
            borrow = (t < 0) as i128;
        }
        let t = un[j + n] as i128 - borrow - carry as i128;
        un[j + n] = t as u64;
        if t < 0 {
            // qhat was one too large: add the divisor back.
            let mut c = 0u128;
            for i in 0..n {
                let sum = un[i + j] as u128 + vn[i] as u128 + c;
                un[i + j] = sum as u64;
                c = sum >> 64;
            }
            un[j + n] = un[j + n].wrapping_add(c as u64);
        }
    }
    // Denormalise the remainder un[0..n].
    let mut r = [0u64; 4];
    for i in 0..n {
        r[i] = if s == 0 {
            un[i]
        } else {
            (un[i] >> s) | (un[i + 1] << (64 - s))
        };
    }
    r
}

/// `a + b` with the carry out.
pub fn add(a: &U256, b: &U256) -> (U256, bool) {
    let mut r = [0u64; 4];
    let mut carry = false;
    for i in 0..4 {
        let (s1, c1) = a[i].overflowing_add(b[i]);
        let (s2, c2) = s1.overflowing_add(carry as u64);
        r[i] = s2;
        carry = c1 | c2;
    }
    (r, carry)
}

/// `a - b` with the borrow out.
pub fn sub(a: &U256, b: &U256) -> (U256, bool) {
    let mut r = [0u64; 4];
    let mut borrow = false;
    for i in 0..4 {
        let (d1, b1) = a[i].overflowing_sub(b[i]);
        let (d2, b2) = d1.overflowing_sub(borrow as u64);
        r[i] = d2;
        borrow = b1 | b2;
    }
    (r, borrow)
}

/// Whether `a >= b`.
pub fn ge(a: &U256, b: &U256) -> bool {
    !sub(a, b).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cases() {
        assert_eq!(
            arith256(&[2, 0, 0, 0], &[3, 0, 0, 0], &[1, 0, 0, 0]).0,
            [7, 0, 0, 0]
        );
        let max = [u64::MAX; 4];
        // (2^256-1)^2 + (2^256-1) = 2^512 - 2^256 = (2^256 - 1)·2^256
        assert_eq!(arith256(&max, &max, &max), ([0; 4], max));
        assert_eq!(arith256_mod(&max, &max, &max, &max), Ok([0; 4]));
        assert_eq!(
            arith256_mod(&[5, 0, 0, 0], &[1, 0, 0, 0], &[0; 4], &[0; 4]),
            Err(PrecompileError::ZeroModulus)
        );
    }
}
