//! secp256k1 points: affine coordinates for the secp256k1_add / secp256k1_dbl precompiles, the
//! point at infinity tracked here (the precompiles cannot represent it), and the double-scalar
//! multiplication `u1·G + u2·Q` of ECDSA verification.

use ziskos::syscalls::{
    syscall_secp256k1_add, syscall_secp256k1_dbl, SyscallPoint256, SyscallSecp256k1AddParams,
};

use crate::arith::U256;

/// The generator G.
pub(crate) const G: SyscallPoint256 = SyscallPoint256 {
    x: [
        0x59F2_815B_16F8_1798,
        0x029B_FCDB_2DCE_28D9,
        0x55A0_6295_CE87_0B07,
        0x79BE_667E_F9DC_BBAC,
    ],
    y: [
        0x9C47_D08F_FB10_D4B8,
        0xFD17_B448_A685_5419,
        0x5DA4_FBFC_0E11_08A8,
        0x483A_DA77_26A3_C465,
    ],
};

/// A point of the curve. Affine coordinates are always canonical (below p), so two points with
/// the same x are equal or opposite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Point {
    /// The identity.
    Infinity,
    /// A finite point.
    Affine(SyscallPoint256),
}

impl Point {
    /// `2·self`.
    pub(crate) fn double(&self) -> Point {
        match self {
            Point::Infinity => Point::Infinity,
            // A point of order 2. secp256k1 has none (its order is odd); the precompile refuses it.
            Point::Affine(p) if p.y == [0; 4] => Point::Infinity,
            Point::Affine(p) => {
                let mut r = *p;
                syscall_secp256k1_dbl(&mut r);
                Point::Affine(r)
            }
        }
    }

    /// `self + other`. The precompile adds points with different x only: equal points are
    /// doubled and opposite points give the identity here.
    pub(crate) fn add(&self, other: &Point) -> Point {
        match (self, other) {
            (Point::Infinity, q) => *q,
            (p, Point::Infinity) => *p,
            (Point::Affine(p), Point::Affine(q)) if p.x == q.x => {
                if p.y == q.y {
                    self.double()
                } else {
                    Point::Infinity
                }
            }
            (Point::Affine(p), Point::Affine(q)) => {
                let mut r = *p;
                syscall_secp256k1_add(&mut SyscallSecp256k1AddParams { p1: &mut r, p2: q });
                Point::Affine(r)
            }
        }
    }
}

/// The 2-bit window `w` (bits `2w` and `2w + 1`) of `k`.
fn window(k: &U256, w: usize) -> usize {
    ((k[w / 32] >> (2 * (w % 32))) & 3) as usize
}

/// `u1·G + u2·q` by interleaved 2-bit windows (Straus/Shamir): 256 doublings and at most 128
/// additions of a precomputed `i·G + j·q`.
pub(crate) fn lincomb(u1: &U256, q: &Point, u2: &U256) -> Point {
    let g = Point::Affine(G);
    // table[i + 4j] = i·G + j·q
    let mut table = [Point::Infinity; 16];
    for j in 0..4 {
        if j > 0 {
            table[4 * j] = table[4 * (j - 1)].add(q);
        }
        for i in 1..4 {
            table[i + 4 * j] = table[i - 1 + 4 * j].add(&g);
        }
    }
    let mut acc = Point::Infinity;
    for w in (0..128).rev() {
        acc = acc.double().double();
        acc = acc.add(&table[window(u1, w) + 4 * window(u2, w)]);
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::{sub, N, P};

    fn neg(p: &SyscallPoint256) -> Point {
        Point::Affine(SyscallPoint256 {
            x: p.x,
            y: sub(&P, &p.y),
        })
    }

    /// k·G by plain double-and-add, as an independent reference.
    fn mul_g(k: &U256) -> Point {
        let mut acc = Point::Infinity;
        for i in (0..256).rev() {
            acc = acc.double();
            if (k[i / 64] >> (i % 64)) & 1 == 1 {
                acc = acc.add(&Point::Affine(G));
            }
        }
        acc
    }

    #[test]
    fn identity_cases() {
        let g = Point::Affine(G);
        assert_eq!(g.add(&neg(&G)), Point::Infinity);
        assert_eq!(g.add(&g), g.double());
        assert_eq!(Point::Infinity.add(&g), g);
        assert_eq!(g.add(&Point::Infinity), g);
        assert_eq!(Point::Infinity.double(), Point::Infinity);
        // (n-1)·G = -G, n·G = O
        let n_minus_1 = sub(&N, &[1, 0, 0, 0]);
        assert_eq!(mul_g(&n_minus_1), neg(&G));
        assert_eq!(mul_g(&N), Point::Infinity);
    }

    #[test]
    fn lincomb_matches_double_and_add() {
        let three_g = mul_g(&[3, 0, 0, 0]);
        // The x of 3G (SEC 2 / the precompiles example).
        let Point::Affine(p) = three_g else {
            panic!("3G is finite")
        };
        assert_eq!(p.x[3], 0xF930_8A01_9258_C310);
        let k1 = [0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210, 42, 1 << 62];
        let k2 = [7, 0, 0, 0x8000_0000_0000_0001];
        let q = mul_g(&k2);
        // k1·G + 1·(k2·G) = (k1 + k2)·G (no carry out of 256 bits here)
        let sum = [k1[0] + 7, k1[1], k1[2], k1[3] + 0x8000_0000_0000_0001];
        assert_eq!(lincomb(&k1, &q, &[1, 0, 0, 0]), mul_g(&sum));
        // Q = G, Q = -G, zero scalars, and a result at infinity.
        let g = Point::Affine(G);
        assert_eq!(
            lincomb(&[2, 0, 0, 0], &g, &[3, 0, 0, 0]),
            mul_g(&[5, 0, 0, 0])
        );
        assert_eq!(
            lincomb(&[5, 0, 0, 0], &neg(&G), &[5, 0, 0, 0]),
            Point::Infinity
        );
        assert_eq!(lincomb(&[0; 4], &q, &[0; 4]), Point::Infinity);
        assert_eq!(lincomb(&[0; 4], &q, &[1, 0, 0, 0]), q);
        assert_eq!(
            lincomb(&sub(&N, &[1, 0, 0, 0]), &g, &[1, 0, 0, 0]),
            Point::Infinity
        );
    }
}
