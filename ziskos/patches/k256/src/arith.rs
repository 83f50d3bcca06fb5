//! 256-bit integers (four little-endian u64 limbs) and the modular arithmetic of verification,
//! modulo the field prime p and the group order n, with every product done by the arith256_mod
//! precompile.

use ziskos::syscalls::{syscall_arith256_mod, SyscallArith256ModParams};

/// A 256-bit unsigned integer, least significant limb first.
pub(crate) type U256 = [u64; 4];

const MAX: u64 = u64::MAX;

/// The field prime `p = 2^256 - 2^32 - 977`.
pub(crate) const P: U256 = [0xFFFF_FFFE_FFFF_FC2F, MAX, MAX, MAX];

/// `(p + 1) / 4`: since `p ≡ 3 (mod 4)`, `a^((p+1)/4)` is a square root of a square `a`.
pub(crate) const P_PLUS_1_DIV_4: U256 = [0xFFFF_FFFF_BFFF_FF0C, MAX, MAX, 0x3FFF_FFFF_FFFF_FFFF];

/// The group order `n`.
pub(crate) const N: U256 = [
    0xBFD2_5E8C_D036_4141,
    0xBAAE_DCE6_AF48_A03B,
    0xFFFF_FFFF_FFFF_FFFE,
    MAX,
];

/// `n - 2`: `a^(n-2)` is the inverse of a nonzero `a` modulo the prime `n` (Fermat).
pub(crate) const N_MINUS_2: U256 = [
    0xBFD2_5E8C_D036_413F,
    0xBAAE_DCE6_AF48_A03B,
    0xFFFF_FFFF_FFFF_FFFE,
    MAX,
];

/// `⌊n / 2⌋`: a signature's `s` above it is "high".
pub(crate) const N_HALF: U256 = [
    0xDFE9_2F46_681B_20A0,
    0x5D57_6E73_57A4_501D,
    MAX,
    0x7FFF_FFFF_FFFF_FFFF,
];

/// The integer of 32 big-endian bytes.
pub(crate) fn from_be_bytes(bytes: &[u8; 32]) -> U256 {
    core::array::from_fn(|i| {
        let at = 24 - 8 * i;
        u64::from_be_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
    })
}

/// The 32 big-endian bytes of `a`.
pub(crate) fn to_be_bytes(a: &U256) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, limb) in a.iter().enumerate() {
        out[24 - 8 * i..32 - 8 * i].copy_from_slice(&limb.to_be_bytes());
    }
    out
}

/// `a < b`.
pub(crate) fn lt(a: &U256, b: &U256) -> bool {
    for i in (0..4).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

pub(crate) fn is_zero(a: &U256) -> bool {
    *a == [0; 4]
}

/// `a - b` for `a >= b`.
pub(crate) fn sub(a: &U256, b: &U256) -> U256 {
    let mut out = [0u64; 4];
    let mut borrow = false;
    for i in 0..4 {
        let (d, b1) = a[i].overflowing_sub(b[i]);
        let (d, b2) = d.overflowing_sub(borrow as u64);
        out[i] = d;
        borrow = b1 || b2;
    }
    out
}

/// `a mod n` for any 256-bit `a` (one subtraction suffices since `2n > 2^256`).
pub(crate) fn reduce_n(a: &U256) -> U256 {
    if lt(a, &N) {
        *a
    } else {
        sub(a, &N)
    }
}

/// `(a·b + c) mod m` with the arith256_mod precompile.
pub(crate) fn mul_add_mod(a: &U256, b: &U256, c: &U256, m: &U256) -> U256 {
    let mut d = [0u64; 4];
    syscall_arith256_mod(&mut SyscallArith256ModParams {
        a,
        b,
        c,
        module: m,
        d: &mut d,
    });
    d
}

/// `a·b mod m`.
pub(crate) fn mul_mod(a: &U256, b: &U256, m: &U256) -> U256 {
    mul_add_mod(a, b, &[0; 4], m)
}

/// `a^e mod m` by left-to-right square-and-multiply.
pub(crate) fn pow_mod(a: &U256, e: &U256, m: &U256) -> U256 {
    let mut acc = [1, 0, 0, 0];
    let mut started = false;
    for i in (0..256).rev() {
        if started {
            acc = mul_mod(&acc, &acc, m);
        }
        if (e[i / 64] >> (i % 64)) & 1 == 1 {
            acc = if started { mul_mod(&acc, a, m) } else { *a };
            started = true;
        }
    }
    if started {
        acc
    } else {
        mul_add_mod(&[0; 4], &[0; 4], &[1, 0, 0, 0], m)
    }
}

/// The inverse of a nonzero `a < n` modulo `n`.
pub(crate) fn invert_n(a: &U256) -> U256 {
    pow_mod(a, &N_MINUS_2, &N)
}

/// `x^3 + 7 mod p`: the `y^2` of the curve point with x coordinate `x`.
pub(crate) fn curve_rhs(x: &U256) -> U256 {
    mul_add_mod(&mul_mod(x, x, &P), x, &[7, 0, 0, 0], &P)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(a: &U256, b: &U256) -> (U256, bool) {
        let mut out = [0u64; 4];
        let mut carry = false;
        for i in 0..4 {
            let (s, c1) = a[i].overflowing_add(b[i]);
            let (s, c2) = s.overflowing_add(carry as u64);
            out[i] = s;
            carry = c1 || c2;
        }
        (out, carry)
    }

    #[test]
    fn derived_constants() {
        // 4·(p+1)/4 = p + 1
        let e = P_PLUS_1_DIV_4;
        let (e2, c1) = add(&e, &e);
        let (e4, c2) = add(&e2, &e2);
        assert!(!c1 && !c2);
        assert_eq!(e4, add(&P, &[1, 0, 0, 0]).0);
        assert_eq!(add(&N_MINUS_2, &[2, 0, 0, 0]), (N, false));
        let (h2, _) = add(&N_HALF, &N_HALF);
        assert_eq!(add(&h2, &[1, 0, 0, 0]), (N, false));
    }

    #[test]
    fn bytes_round_trip() {
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = i as u8 + 1;
        }
        let a = from_be_bytes(&bytes);
        assert_eq!(a[3], 0x0102_0304_0506_0708);
        assert_eq!(a[0], 0x191A_1B1C_1D1E_1F20);
        assert_eq!(to_be_bytes(&a), bytes);
    }

    #[test]
    fn inverses_and_square_roots() {
        for a in [
            [1, 0, 0, 0],
            [2, 0, 0, 0],
            [0x1234_5678_9ABC_DEF0, 7, 0, 1 << 63],
            sub(&N, &[1, 0, 0, 0]),
        ] {
            assert_eq!(mul_mod(&a, &invert_n(&a), &N), [1, 0, 0, 0]);
            let square = mul_mod(&a, &a, &P);
            let root = pow_mod(&square, &P_PLUS_1_DIV_4, &P);
            assert!(root == a || root == sub(&P, &a));
            assert_eq!(mul_mod(&root, &root, &P), square);
        }
        assert_eq!(pow_mod(&[5, 0, 0, 0], &[0; 4], &N), [1, 0, 0, 0]);
        assert_eq!(pow_mod(&[5, 0, 0, 0], &[3, 0, 0, 0], &N), [125, 0, 0, 0]);
    }

    #[test]
    fn reduction_modulo_n() {
        assert_eq!(reduce_n(&N), [0; 4]);
        assert_eq!(reduce_n(&[MAX; 4]), sub(&[MAX; 4], &N));
        assert_eq!(reduce_n(&[3, 0, 0, 0]), [3, 0, 0, 0]);
        assert!(lt(&N_HALF, &N) && !lt(&N, &N) && !is_zero(&N));
    }
}
