//! Every precompile against an independent implementation on seeded random inputs and edge
//! cases: tiny-keccak's keccak-f, the `sha2` crate's compression function, `num-bigint` for the
//! 256-bit arithmetic and `k256` for secp256k1 points.

use k256::elliptic_curve::sec1::{FromEncodedPoint, ToEncodedPoint};
use k256::{AffinePoint, EncodedPoint, ProjectivePoint, Scalar};
use num_bigint::BigUint;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zisk_precompiles::secp256k1::P;
use zisk_precompiles::*;

const CASES: usize = 2000;

fn big(x: &[u64]) -> BigUint {
    let bytes: Vec<u8> = x.iter().flat_map(|l| l.to_le_bytes()).collect();
    BigUint::from_bytes_le(&bytes)
}

fn limbs(x: &BigUint) -> U256 {
    let mut bytes = x.to_bytes_le();
    assert!(bytes.len() <= 32, "{x} does not fit 256 bits");
    bytes.resize(32, 0);
    let mut r = [0u64; 4];
    for (i, l) in r.iter_mut().enumerate() {
        *l = u64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().unwrap());
    }
    r
}

/// A random 256-bit number biased toward edge shapes (zero limbs, all-ones limbs, small values,
/// values near the secp256k1 modulus).
fn edgy(rng: &mut StdRng) -> U256 {
    let p = big(&P);
    match rng.gen_range(0..10) {
        0 => [rng.gen_range(0..4), 0, 0, 0],
        1 => [u64::MAX; 4],
        2 => limbs(&(&p - rng.gen_range(0u64..3))),
        3 => {
            let mut x: U256 = rng.gen();
            x[rng.gen_range(0..4)] = 0;
            x[rng.gen_range(0..4)] = u64::MAX;
            x
        }
        4 => {
            let mut x = [0u64; 4];
            x[rng.gen_range(0..4)] = rng.gen();
            x
        }
        5 => {
            let k = rng.gen_range(1..256);
            limbs(&(BigUint::from(1u8) << k))
        }
        _ => rng.gen(),
    }
}

#[test]
fn keccak_f_matches_tiny_keccak() {
    let mut rng = StdRng::seed_from_u64(1);
    for i in 0..CASES {
        let mut ours: [u64; 25] = if i == 0 { [0; 25] } else { rng.gen() };
        let mut theirs = ours;
        keccak_f(&mut ours);
        tiny_keccak::keccakf(&mut theirs);
        assert_eq!(ours, theirs, "case {i}");
    }
}

#[test]
fn sha256_f_matches_sha2_compress256() {
    let mut rng = StdRng::seed_from_u64(2);
    for i in 0..CASES {
        let state: [u64; 4] = rng.gen();
        let input: [u64; 8] = if i % 7 == 0 { [0; 8] } else { rng.gen() };
        let mut ours = state;
        sha256_f(&mut ours, &input);

        // The ABI: H(2i) is the low half of state word i; the block is big-endian words.
        let mut h = [0u32; 8];
        for k in 0..4 {
            h[2 * k] = state[k] as u32;
            h[2 * k + 1] = (state[k] >> 32) as u32;
        }
        let block: Vec<u8> = input.iter().flat_map(|w| w.to_be_bytes()).collect();
        let block = sha2::digest::generic_array::GenericArray::clone_from_slice(&block);
        sha2::compress256(&mut h, &[block]);
        for k in 0..4 {
            assert_eq!(
                ours[k],
                h[2 * k] as u64 | (h[2 * k + 1] as u64) << 32,
                "case {i}"
            );
        }
    }
}

#[test]
fn sha256_chained_blocks_give_the_standard_digest() {
    use sha2::Digest;
    let mut rng = StdRng::seed_from_u64(3);
    for len in [0usize, 1, 55, 56, 63, 64, 65, 119, 120, 200, 1000] {
        let msg: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
        let mut padded = msg.clone();
        padded.push(0x80);
        while padded.len() % 64 != 56 {
            padded.push(0);
        }
        padded.extend_from_slice(&((len as u64) * 8).to_be_bytes());
        let iv = sha256::SHA256_IV;
        let mut state = [0u64; 4];
        for k in 0..4 {
            state[k] = iv[2 * k] as u64 | (iv[2 * k + 1] as u64) << 32;
        }
        for block in padded.chunks(64) {
            let mut input = [0u64; 8];
            for (k, w) in input.iter_mut().enumerate() {
                *w = u64::from_be_bytes(block[8 * k..8 * k + 8].try_into().unwrap());
            }
            sha256_f(&mut state, &input);
        }
        let digest: Vec<u8> = state
            .iter()
            .flat_map(|w| {
                let mut b = (*w as u32).to_be_bytes().to_vec();
                b.extend_from_slice(&((*w >> 32) as u32).to_be_bytes());
                b
            })
            .collect();
        assert_eq!(digest, sha2::Sha256::digest(&msg).to_vec(), "length {len}");
    }
}

#[test]
fn arith256_matches_num_bigint() {
    let mut rng = StdRng::seed_from_u64(4);
    let two256 = BigUint::from(1u8) << 256;
    for i in 0..CASES * 5 {
        let (a, b, c) = (edgy(&mut rng), edgy(&mut rng), edgy(&mut rng));
        let (dl, dh) = arith256(&a, &b, &c);
        let full = big(&a) * big(&b) + big(&c);
        assert_eq!(
            big(&dl),
            &full % &two256,
            "case {i}: dl of {a:x?}·{b:x?}+{c:x?}"
        );
        assert_eq!(big(&dh), &full >> 256, "case {i}: dh");
    }
}

#[test]
fn arith256_mod_matches_num_bigint() {
    let mut rng = StdRng::seed_from_u64(5);
    for i in 0..CASES * 10 {
        let (a, b, c) = (edgy(&mut rng), edgy(&mut rng), edgy(&mut rng));
        let m = match i % 5 {
            // The modulus itself (and m - 1, m + 1) as operands.
            0 => a,
            1 => limbs(&(big(&b) + 1u8).min(BigUint::from(1u8) << 255)),
            _ => edgy(&mut rng),
        };
        if m == [0; 4] {
            assert_eq!(
                arith256_mod(&a, &b, &c, &m),
                Err(PrecompileError::ZeroModulus)
            );
            continue;
        }
        let d = arith256_mod(&a, &b, &c, &m).unwrap();
        let expected = (big(&a) * big(&b) + big(&c)) % big(&m);
        assert_eq!(
            big(&d),
            expected,
            "case {i}: ({a:x?}·{b:x?}+{c:x?}) mod {m:x?}"
        );
    }
}

#[test]
fn arith256_mod_knuth_corner_cases() {
    // Divisors whose top limb is small or all ones, and dividends just below multiples of them:
    // the cases where the quotient-digit estimate needs its corrections.
    let mut rng = StdRng::seed_from_u64(6);
    let shapes: Vec<U256> = vec![
        [1, 0, 0, 0],
        [u64::MAX, 0, 0, 0],
        [0, 1, 0, 0],
        [u64::MAX, u64::MAX, 0, 0],
        [0, 0, 1, 0],
        [1, 0, 0, 1],
        [u64::MAX, u64::MAX, u64::MAX, 1],
        [0, 0, 0, 1 << 63],
        [u64::MAX, 0, 0, 1 << 63],
        [0, 0, 0, u64::MAX],
        [u64::MAX; 4],
        P,
    ];
    for m in &shapes {
        for _ in 0..300 {
            let a = edgy(&mut rng);
            let b = edgy(&mut rng);
            let c = edgy(&mut rng);
            let d = arith256_mod(&a, &b, &c, m).unwrap();
            assert_eq!(
                big(&d),
                (big(&a) * big(&b) + big(&c)) % big(m),
                "m = {m:x?}"
            );
        }
        // (m - 1)·(m - 1) + (m - 1) = m·(m - 1): remainder 0.
        let m1 = limbs(&(big(m) - 1u8));
        assert_eq!(arith256_mod(&m1, &m1, &m1, m), Ok([0; 4]), "m = {m:x?}");
        assert_eq!(arith256_mod(m, m, m, m), Ok([0; 4]));
    }
}

fn to_k256(p: &[u64; 8]) -> AffinePoint {
    let mut bytes = [0u8; 65];
    bytes[0] = 4;
    for k in 0..4 {
        bytes[1 + 8 * k..9 + 8 * k].copy_from_slice(&p[3 - k].to_be_bytes());
        bytes[33 + 8 * k..41 + 8 * k].copy_from_slice(&p[7 - k].to_be_bytes());
    }
    let enc = EncodedPoint::from_bytes(bytes).unwrap();
    Option::from(AffinePoint::from_encoded_point(&enc)).expect("point on the curve")
}

fn from_k256(p: &ProjectivePoint) -> [u64; 8] {
    let enc = p.to_affine().to_encoded_point(false);
    let bytes = enc.as_bytes();
    let mut r = [0u64; 8];
    for k in 0..4 {
        r[3 - k] = u64::from_be_bytes(bytes[1 + 8 * k..9 + 8 * k].try_into().unwrap());
        r[7 - k] = u64::from_be_bytes(bytes[33 + 8 * k..41 + 8 * k].try_into().unwrap());
    }
    r
}

fn random_point(rng: &mut StdRng) -> ProjectivePoint {
    let k: u64 = rng.gen();
    let hi: u64 = rng.gen();
    ProjectivePoint::GENERATOR * (Scalar::from(k) + Scalar::from(hi) * Scalar::from(u64::MAX))
}

#[test]
fn secp256k1_add_and_dbl_match_k256() {
    let mut rng = StdRng::seed_from_u64(7);
    let g = ProjectivePoint::GENERATOR;
    for i in 0..300 {
        let p = if i == 0 { g } else { random_point(&mut rng) };
        let q = if i == 0 {
            g.double()
        } else {
            random_point(&mut rng)
        };
        let (pa, qa) = (from_k256(&p), from_k256(&q));
        assert_eq!(
            secp256k1_add(&pa, &qa),
            Ok(from_k256(&(p + q))),
            "case {i}: add"
        );
        assert_eq!(
            secp256k1_dbl(&pa),
            Ok(from_k256(&p.double())),
            "case {i}: dbl"
        );
        // Results are on the curve (k256 rejects points that are not).
        to_k256(&secp256k1_add(&pa, &qa).unwrap());
    }
}

#[test]
fn secp256k1_chain_of_doublings_and_additions() {
    // 2^k·G by repeated doubling, and k·G by repeated addition, as k256 computes them.
    let g = ProjectivePoint::GENERATOR;
    let mut ours = from_k256(&g);
    let mut theirs = g;
    for _ in 0..64 {
        ours = secp256k1_dbl(&ours).unwrap();
        theirs = theirs.double();
        assert_eq!(ours, from_k256(&theirs));
    }
    let mut ours = from_k256(&g.double());
    let mut theirs = g.double();
    for _ in 0..64 {
        ours = secp256k1_add(&ours, &from_k256(&g)).unwrap();
        theirs += g;
        assert_eq!(ours, from_k256(&theirs));
    }
}

#[test]
fn secp256k1_refuses_undefined_cases() {
    let g = from_k256(&ProjectivePoint::GENERATOR);
    assert!(matches!(
        secp256k1_add(&g, &g),
        Err(PrecompileError::EqualX)
    ));
    let neg = from_k256(&(-ProjectivePoint::GENERATOR));
    let err = secp256k1_add(&g, &neg).unwrap_err();
    assert!(err.to_string().contains("same x coordinate"), "{err}");
    // x ≡ x + p: the same coordinate once reduced.
    let small = [3, 0, 0, 0, 1, 0, 0, 0];
    let mut wrapped = small;
    wrapped[..4].copy_from_slice(&arith256::add(&[3, 0, 0, 0], &P).0);
    assert!(matches!(
        secp256k1_add(&small, &wrapped),
        Err(PrecompileError::EqualX)
    ));
    let zero_y = [5, 0, 0, 0, 0, 0, 0, 0];
    assert!(matches!(
        secp256k1_dbl(&zero_y),
        Err(PrecompileError::ZeroY)
    ));
    let p_as_y = [5, 0, 0, 0, P[0], P[1], P[2], P[3]];
    assert!(matches!(
        secp256k1_dbl(&p_as_y),
        Err(PrecompileError::ZeroY)
    ));
}

#[test]
fn secp256k1_coordinates_at_p_minus_one() {
    // Points with coordinates near p: -G has y = p - y(G); adding and doubling it must agree.
    let mut rng = StdRng::seed_from_u64(8);
    for _ in 0..50 {
        let p = random_point(&mut rng);
        let q = -random_point(&mut rng);
        let (pa, qa) = (from_k256(&p), from_k256(&q));
        assert_eq!(secp256k1_add(&pa, &qa), Ok(from_k256(&(p + q))));
        assert_eq!(secp256k1_dbl(&qa), Ok(from_k256(&q.double())));
    }
}
