//! ECDSA/secp256k1 verification: fixed-size signatures, SEC1 public keys, and the `signature`
//! crate's `Verifier` (SHA-256 of the message) and `PrehashVerifier` traits, with k256's rules:
//! `r` and `s` in `[1, n-1]`, only low-S signatures verify, a prehash shorter than 16 bytes is an
//! error and a longer one than 32 bytes is truncated.

pub use signature::{self, Error};

use sha2::{Digest, Sha256};
use signature::hazmat::PrehashVerifier;
use signature::Verifier;

use crate::arith::{
    curve_rhs, from_be_bytes, invert_n, is_zero, lt, mul_mod, pow_mod, reduce_n, sub, to_be_bytes,
    N, N_HALF, P, P_PLUS_1_DIV_4, U256,
};
use crate::point::{lincomb, Point};
use ziskos::syscalls::SyscallPoint256;

/// An ECDSA/secp256k1 signature: the scalars `r` and `s`, each in `[1, n-1]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    r: U256,
    s: U256,
}

impl Signature {
    /// Parses `r ‖ s` (64 bytes, each scalar 32 big-endian bytes). Fails unless the length is 64
    /// and both scalars are in `[1, n-1]`.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        let bytes: &[u8; 64] = bytes.try_into().map_err(|_| Error::new())?;
        let (r, s) = bytes.split_at(32);
        Self::from_scalars(
            <[u8; 32]>::try_from(r).expect("32 bytes"),
            <[u8; 32]>::try_from(s).expect("32 bytes"),
        )
    }

    /// The signature of the big-endian scalars `r` and `s`; both must be in `[1, n-1]`.
    pub fn from_scalars(r: impl Into<[u8; 32]>, s: impl Into<[u8; 32]>) -> Result<Self, Error> {
        let (r, s) = (from_be_bytes(&r.into()), from_be_bytes(&s.into()));
        let in_range = |k: &U256| !is_zero(k) && lt(k, &N);
        if in_range(&r) && in_range(&s) {
            Ok(Signature { r, s })
        } else {
            Err(Error::new())
        }
    }

    /// `r ‖ s`, 64 bytes.
    pub fn to_bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(&to_be_bytes(&self.r));
        out[32..].copy_from_slice(&to_be_bytes(&self.s));
        out
    }

    /// `r` and `s` as 32 big-endian bytes each.
    pub fn split_bytes(&self) -> ([u8; 32], [u8; 32]) {
        (to_be_bytes(&self.r), to_be_bytes(&self.s))
    }

    /// The low-S form `(r, n - s)` if `s` is high (above `n/2`), `None` if `s` is already low.
    /// Both forms are valid ECDSA; the verifier accepts only the low one.
    pub fn normalize_s(&self) -> Option<Self> {
        self.is_high_s().then(|| Signature {
            r: self.r,
            s: sub(&N, &self.s),
        })
    }

    fn is_high_s(&self) -> bool {
        lt(&N_HALF, &self.s)
    }
}

impl TryFrom<&[u8]> for Signature {
    type Error = Error;

    fn try_from(bytes: &[u8]) -> Result<Self, Error> {
        Self::from_slice(bytes)
    }
}

impl From<Signature> for [u8; 64] {
    fn from(sig: Signature) -> [u8; 64] {
        sig.to_bytes()
    }
}

impl signature::SignatureEncoding for Signature {
    type Repr = [u8; 64];
}

/// An ECDSA/secp256k1 public key: a point of the curve other than the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyingKey {
    point: SyscallPoint256,
}

impl VerifyingKey {
    /// Parses a SEC1-encoded point: compressed (`0x02`/`0x03` ‖ x, 33 bytes), uncompressed
    /// (`0x04` ‖ x ‖ y, 65 bytes) or compact (`0x05` ‖ x, 33 bytes, the even y). Fails if the
    /// encoding is malformed, a coordinate is not below p, the point is not on the curve, or it is
    /// the identity (`0x00`).
    pub fn from_sec1_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let coordinate = |range: core::ops::Range<usize>| -> Result<U256, Error> {
            let c = from_be_bytes(bytes[range].try_into().expect("32 bytes"));
            if lt(&c, &P) {
                Ok(c)
            } else {
                Err(Error::new())
            }
        };
        let point = match (bytes.first(), bytes.len()) {
            (Some(&tag @ (0x02 | 0x03 | 0x05)), 33) => {
                let x = coordinate(1..33)?;
                let rhs = curve_rhs(&x);
                let mut y = pow_mod(&rhs, &P_PLUS_1_DIV_4, &P);
                if mul_mod(&y, &y, &P) != rhs {
                    return Err(Error::new());
                }
                if (y[0] & 1 == 1) != (tag == 0x03) && !is_zero(&y) {
                    y = sub(&P, &y);
                }
                SyscallPoint256 { x, y }
            }
            (Some(0x04), 65) => {
                let (x, y) = (coordinate(1..33)?, coordinate(33..65)?);
                if mul_mod(&y, &y, &P) != curve_rhs(&x) {
                    return Err(Error::new());
                }
                SyscallPoint256 { x, y }
            }
            _ => return Err(Error::new()),
        };
        Ok(VerifyingKey { point })
    }

    /// The compressed SEC1 encoding (33 bytes), as k256 serialises keys.
    #[cfg(feature = "alloc")]
    pub fn to_sec1_bytes(&self) -> alloc::boxed::Box<[u8]> {
        let mut out = [0u8; 33];
        out[0] = 0x02 | (self.point.y[0] & 1) as u8;
        out[1..].copy_from_slice(&to_be_bytes(&self.point.x));
        alloc::boxed::Box::new(out)
    }
}

/// The integer of a prehash as ECDSA reads it (`bits2field`): at least 16 bytes, the first 32
/// if longer, zero-extended on the left if shorter; then reduced modulo n.
fn prehash_scalar(prehash: &[u8]) -> Result<U256, Error> {
    if prehash.len() < 16 {
        return Err(Error::new());
    }
    let mut bytes = [0u8; 32];
    let len = prehash.len().min(32);
    bytes[32 - len..].copy_from_slice(&prehash[..len]);
    Ok(reduce_n(&from_be_bytes(&bytes)))
}

impl PrehashVerifier<Signature> for VerifyingKey {
    /// Accepts when `x(u1·G + u2·Q) mod n = r` with `u1 = z/s`, `u2 = r/s` and `s` low.
    fn verify_prehash(&self, prehash: &[u8], sig: &Signature) -> Result<(), Error> {
        let z = prehash_scalar(prehash)?;
        if sig.is_high_s() {
            return Err(Error::new());
        }
        let w = invert_n(&sig.s);
        let u1 = mul_mod(&z, &w, &N);
        let u2 = mul_mod(&sig.r, &w, &N);
        match lincomb(&u1, &Point::Affine(self.point), &u2) {
            Point::Affine(p) if reduce_n(&p.x) == sig.r => Ok(()),
            _ => Err(Error::new()),
        }
    }
}

impl Verifier<Signature> for VerifyingKey {
    /// Verifies `sig` over the SHA-256 digest of `msg`.
    fn verify(&self, msg: &[u8], sig: &Signature) -> Result<(), Error> {
        self.verify_prehash(&Sha256::digest(msg), sig)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex<const L: usize>(s: &str) -> [u8; L] {
        core::array::from_fn(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
    }

    /// The uncompressed SEC1 encoding of G (secret key 1).
    const G_SEC1: &str = "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798\
                          483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";

    /// The well-known RFC 6979 secp256k1/SHA-256 vector: secret key 1, message "Satoshi
    /// Nakamoto", r and the low s (python-ecdsa, bitcoinjs and others publish it).
    const SATOSHI: &str = "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8\
                           2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5";

    #[test]
    fn published_vector_verifies_and_tampering_is_rejected() {
        let key = VerifyingKey::from_sec1_bytes(&hex::<65>(G_SEC1)).unwrap();
        let sig = Signature::from_slice(&hex::<64>(SATOSHI)).unwrap();
        assert!(key.verify(b"Satoshi Nakamoto", &sig).is_ok());
        assert!(key.verify(b"Satoshi Nakamoto.", &sig).is_err());
        let prehash = Sha256::digest(b"Satoshi Nakamoto");
        assert!(key.verify_prehash(&prehash, &sig).is_ok());
        assert!(key.verify_prehash(&prehash[..15], &sig).is_err());

        // The same signature with s replaced by n - s: valid ECDSA, rejected as high-S.
        let (r, s) = sig.split_bytes();
        let high = Signature::from_scalars(r, to_be_bytes(&sub(&N, &from_be_bytes(&s)))).unwrap();
        assert!(key.verify(b"Satoshi Nakamoto", &high).is_err());
        assert_eq!(high.normalize_s(), Some(sig));
        assert_eq!(sig.normalize_s(), None);

        let mut other_r = r;
        other_r[31] ^= 1;
        let forged = Signature::from_scalars(other_r, s).unwrap();
        assert!(key.verify(b"Satoshi Nakamoto", &forged).is_err());
    }

    #[test]
    fn key_encodings() {
        let uncompressed = hex::<65>(G_SEC1);
        let key = VerifyingKey::from_sec1_bytes(&uncompressed).unwrap();
        let mut compressed = [0u8; 33];
        compressed[0] = 0x02; // G's y is even
        compressed[1..].copy_from_slice(&uncompressed[1..33]);
        assert_eq!(VerifyingKey::from_sec1_bytes(&compressed).ok(), Some(key));
        compressed[0] = 0x05;
        assert_eq!(VerifyingKey::from_sec1_bytes(&compressed).ok(), Some(key));
        compressed[0] = 0x03;
        let minus_g = VerifyingKey::from_sec1_bytes(&compressed).unwrap();
        assert_eq!(minus_g.point.y, sub(&P, &key.point.y));
        #[cfg(feature = "alloc")]
        assert_eq!(&*minus_g.to_sec1_bytes(), &compressed[..]);

        let mut off_curve = uncompressed;
        off_curve[64] ^= 1;
        for bad in [
            &[][..],
            &[0x00],
            &uncompressed[..64],
            &off_curve,
            &compressed[..32],
            &[0x04; 33],
            &[0x06; 65],
        ] {
            assert!(VerifyingKey::from_sec1_bytes(bad).is_err(), "{bad:?}");
        }
        // x = p - 1 + 1 = p is not a coordinate; x = 5 has no point (5^3 + 7 is not a square).
        let mut x_is_p = [0x02u8; 33];
        x_is_p[1..].copy_from_slice(&to_be_bytes(&P));
        assert!(VerifyingKey::from_sec1_bytes(&x_is_p).is_err());
        let mut x5 = [0u8; 33];
        (x5[0], x5[32]) = (0x02, 5);
        assert!(VerifyingKey::from_sec1_bytes(&x5).is_err());
    }

    #[test]
    fn signature_ranges() {
        let one = {
            let mut b = [0u8; 32];
            b[31] = 1;
            b
        };
        let n = to_be_bytes(&N);
        let n_minus_1 = to_be_bytes(&sub(&N, &[1, 0, 0, 0]));
        assert!(Signature::from_scalars(one, n_minus_1).is_ok());
        assert!(Signature::from_scalars(n_minus_1, one).is_ok());
        for (r, s) in [
            ([0; 32], one),
            (one, [0; 32]),
            (n, one),
            (one, n),
            ([0xff; 32], one),
        ] {
            assert!(Signature::from_scalars(r, s).is_err());
        }
        let sig = Signature::from_scalars(one, n_minus_1).unwrap();
        assert_eq!(Signature::try_from(&sig.to_bytes()[..]).ok(), Some(sig));
        assert!(Signature::from_slice(&sig.to_bytes()[..63]).is_err());
        assert!(Signature::from_slice(&[1; 65]).is_err());
        // s = ⌊n/2⌋ is low, ⌊n/2⌋ + 1 is high.
        let half = Signature::from_scalars(one, to_be_bytes(&N_HALF)).unwrap();
        assert_eq!(half.normalize_s(), None);
        let above = to_be_bytes(&[N_HALF[0] + 1, N_HALF[1], N_HALF[2], N_HALF[3]]);
        assert!(Signature::from_scalars(one, above)
            .unwrap()
            .normalize_s()
            .is_some());
    }

    #[test]
    fn prehash_lengths() {
        let long: [u8; 64] = core::array::from_fn(|i| i as u8 + 1);
        assert!(prehash_scalar(&long[..15]).is_err());
        let mut padded = [0u8; 32];
        padded[16..].copy_from_slice(&long[..16]);
        assert_eq!(
            prehash_scalar(&long[..16]).ok(),
            Some(from_be_bytes(&padded))
        );
        assert_eq!(
            prehash_scalar(&long).ok(),
            Some(from_be_bytes(&long[..32].try_into().unwrap()))
        );
        assert_eq!(
            prehash_scalar(&[0xff; 32]).ok(),
            Some(sub(&[u64::MAX; 4], &N))
        );
    }
}
