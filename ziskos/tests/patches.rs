//! The drop-in crates under `ziskos/patches/` against the crates they replace, natively (where
//! the syscalls run on the host): `sha2` for SHA-224/SHA-256 and `tiny-keccak` for Keccak, SHA-3
//! and SHAKE, on messages of every length around the block boundaries, fed in random pieces;
//! `k256` for ECDSA verification, on signatures by the real k256, tampered ones, edge-case
//! scalars, prehash lengths and SEC1 encodings.

use patched_tiny_keccak::{Hasher as _, Xof as _};
use tiny_keccak::{Hasher as _, Xof as _};

/// Deterministic pseudo-random bytes (xorshift).
fn bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// Splits `msg` into pieces of pseudo-random sizes.
fn pieces(msg: &[u8], seed: u64) -> Vec<&[u8]> {
    let sizes = bytes(msg.len() + 1, seed ^ 0xABCD);
    let mut out = Vec::new();
    let mut rest = msg;
    let mut i = 0;
    while !rest.is_empty() {
        let n = (sizes[i] as usize % 150).min(rest.len());
        out.push(&rest[..n]);
        rest = &rest[n..];
        i += 1;
    }
    out
}

const LENGTHS: &[usize] = &[
    0, 1, 7, 8, 31, 32, 55, 56, 63, 64, 65, 71, 72, 73, 103, 104, 135, 136, 137, 143, 144, 167,
    168, 169, 200, 272, 1000,
];

#[test]
fn sha256_and_sha224_match_sha2() {
    // Both crates implement the same `digest::Digest` trait.
    use patched_sha2::Digest as _;
    for (k, &len) in LENGTHS.iter().enumerate() {
        let msg = bytes(len, k as u64);
        let mut ours = patched_sha2::Sha256::new();
        for piece in pieces(&msg, k as u64) {
            ours.update(piece);
        }
        let ours: [u8; 32] = ours.finalize().into();
        assert_eq!(
            ours,
            <[u8; 32]>::from(sha2::Sha256::digest(&msg)),
            "len {len}"
        );
        let ours224 = patched_sha2::Sha224::digest(&msg);
        assert_eq!(
            ours224.as_slice(),
            sha2::Sha224::digest(&msg).as_slice(),
            "len {len}"
        );
    }
}

#[test]
fn compress256_matches_sha2() {
    let block = bytes(64, 5);
    let mut ours = [1u32, 2, 3, 4, 5, 6, 7, 8];
    let mut theirs = ours;
    patched_sha2::compress256(
        &mut ours,
        &[patched_sha2::digest::generic_array::GenericArray::clone_from_slice(&block)],
    );
    sha2::compress256(
        &mut theirs,
        &[sha2::digest::generic_array::GenericArray::clone_from_slice(
            &block,
        )],
    );
    assert_eq!(ours, theirs);
}

#[test]
fn keccak_sha3_shake_match_tiny_keccak() {
    for (k, &len) in LENGTHS.iter().enumerate() {
        let msg = bytes(len, 100 + k as u64);
        let parts = pieces(&msg, k as u64);
        macro_rules! same {
            ($ours:expr, $theirs:expr, $n:expr) => {{
                let (mut a, mut b) = ($ours, $theirs);
                for p in &parts {
                    a.update(p);
                    b.update(p);
                }
                let (mut x, mut y) = ([0u8; $n], [0u8; $n]);
                a.finalize(&mut x);
                b.finalize(&mut y);
                assert_eq!(x, y, "len {len}: {}", stringify!($ours));
            }};
        }
        same!(
            patched_tiny_keccak::Keccak::v224(),
            tiny_keccak::Keccak::v224(),
            28
        );
        same!(
            patched_tiny_keccak::Keccak::v256(),
            tiny_keccak::Keccak::v256(),
            32
        );
        same!(
            patched_tiny_keccak::Keccak::v384(),
            tiny_keccak::Keccak::v384(),
            48
        );
        same!(
            patched_tiny_keccak::Keccak::v512(),
            tiny_keccak::Keccak::v512(),
            64
        );
        same!(
            patched_tiny_keccak::Sha3::v256(),
            tiny_keccak::Sha3::v256(),
            32
        );
        same!(
            patched_tiny_keccak::Sha3::v512(),
            tiny_keccak::Sha3::v512(),
            64
        );
        same!(
            patched_tiny_keccak::Shake::v128(),
            tiny_keccak::Shake::v128(),
            500
        );
        same!(
            patched_tiny_keccak::Shake::v256(),
            tiny_keccak::Shake::v256(),
            300
        );
    }
}

#[test]
fn shake_squeezes_in_pieces_like_tiny_keccak() {
    // SHAKE is an XOF itself: squeezing pads the absorbed input first.
    let msg = bytes(77, 9);
    let mut ours = patched_tiny_keccak::Shake::v128();
    let mut theirs = tiny_keccak::Shake::v128();
    ours.update(&msg);
    theirs.update(&msg);
    for n in [1usize, 5, 168, 3, 400] {
        let (mut x, mut y) = (vec![0u8; n], vec![0u8; n]);
        ours.squeeze(&mut x);
        theirs.squeeze(&mut y);
        assert_eq!(x, y, "squeeze of {n}");
    }
}

#[test]
fn keccakf_is_the_permutation() {
    let mut ours = [7u64; 25];
    let mut theirs = ours;
    patched_tiny_keccak::keccakf(&mut ours);
    tiny_keccak::keccakf(&mut theirs);
    assert_eq!(ours, theirs);
}

/// secp256k1's group order n, big-endian.
const N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
];

/// `a + d` for a big-endian 256-bit `a` and a small signed `d` (wrapping).
fn add_small(a: [u8; 32], d: i64) -> [u8; 32] {
    let v = u128::from_be_bytes(a[16..].try_into().unwrap());
    let (lo, wrapped) = v.overflowing_add_signed(d as i128);
    let mut hi = u128::from_be_bytes(a[..16].try_into().unwrap());
    if wrapped {
        hi = if d < 0 {
            hi.wrapping_sub(1)
        } else {
            hi.wrapping_add(1)
        };
    }
    let mut out = [0u8; 32];
    out[..16].copy_from_slice(&hi.to_be_bytes());
    out[16..].copy_from_slice(&lo.to_be_bytes());
    out
}

/// `n - a` for a big-endian `a <= n`.
fn n_minus(a: [u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let d = N[i] as i16 - a[i] as i16 - borrow;
        out[i] = d.rem_euclid(256) as u8;
        borrow = (d < 0) as i16;
    }
    out
}

fn concat(r: [u8; 32], s: [u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&r);
    out[32..].copy_from_slice(&s);
    out
}

/// Whether the patched and the real k256 agree on verifying `sig` (raw `r ‖ s`) over `msg` with
/// the SEC1 `key`, parsing included; returns the real crate's verdict.
fn same_verdict(key: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    // Both crates re-export the same `signature` crate, so one import serves both.
    use k256::ecdsa::signature::Verifier as _;
    let theirs = match (
        k256::ecdsa::VerifyingKey::from_sec1_bytes(key),
        k256::ecdsa::Signature::from_slice(sig),
    ) {
        (Ok(k), Ok(s)) => k.verify(msg, &s).is_ok(),
        _ => false,
    };
    let ours = match (
        patched_k256::ecdsa::VerifyingKey::from_sec1_bytes(key),
        patched_k256::ecdsa::Signature::from_slice(sig),
    ) {
        (Ok(k), Ok(s)) => k.verify(msg, &s).is_ok(),
        _ => false,
    };
    assert_eq!(ours, theirs, "key {key:02x?} msg {msg:02x?} sig {sig:02x?}");
    theirs
}

#[test]
fn k256_verification_matches_k256() {
    use k256::ecdsa::signature::Signer as _;
    for seed in 0..12u64 {
        let secret = bytes(32, 1000 + seed);
        let signer = k256::ecdsa::SigningKey::from_slice(&secret).unwrap();
        let key = signer.verifying_key();
        let compressed = key.to_encoded_point(true);
        let uncompressed = key.to_encoded_point(false);
        let msg = bytes(seed as usize * 23, 2000 + seed);
        let sig: k256::ecdsa::Signature = signer.sign(&msg);
        let raw: [u8; 64] = sig.to_bytes().into();
        let (r, s): ([u8; 32], [u8; 32]) =
            (raw[..32].try_into().unwrap(), raw[32..].try_into().unwrap());

        for encoded in [compressed.as_bytes(), uncompressed.as_bytes()] {
            assert!(same_verdict(encoded, &msg, &raw), "seed {seed}");
            let ours = patched_k256::ecdsa::VerifyingKey::from_sec1_bytes(encoded).unwrap();
            assert_eq!(&*ours.to_sec1_bytes(), &*key.to_sec1_bytes());
        }
        let key = compressed.as_bytes();
        let mut other_msg = msg.clone();
        other_msg.push(0);
        assert!(!same_verdict(key, &other_msg, &raw));
        // High S (valid ECDSA, refused by k256), r and s off by one, r and s swapped.
        assert!(!same_verdict(key, &msg, &concat(r, n_minus(s))));
        assert!(!same_verdict(key, &msg, &concat(add_small(r, 1), s)));
        assert!(!same_verdict(key, &msg, &concat(r, add_small(s, -1))));
        assert!(!same_verdict(key, &msg, &concat(s, r)));
        // Another key.
        let other = k256::ecdsa::SigningKey::from_slice(&bytes(32, 3000 + seed)).unwrap();
        assert!(!same_verdict(
            other.verifying_key().to_encoded_point(true).as_bytes(),
            &msg,
            &raw
        ));
        // normalize_s agrees.
        let high = concat(r, n_minus(s));
        let theirs = k256::ecdsa::Signature::from_slice(&high)
            .unwrap()
            .normalize_s();
        let ours = patched_k256::ecdsa::Signature::from_slice(&high)
            .unwrap()
            .normalize_s();
        assert_eq!(
            ours.map(|s| s.to_bytes().to_vec()),
            theirs.map(|s| s.to_bytes().to_vec())
        );
    }
}

#[test]
fn k256_signature_parsing_matches_k256() {
    let one = add_small([0; 32], 1);
    let half = {
        // ⌊n/2⌋
        let mut h = [0u8; 32];
        let mut carry = 0u8;
        for i in 0..32 {
            h[i] = (N[i] >> 1) | (carry << 7);
            carry = N[i] & 1;
        }
        h
    };
    let values = [
        [0; 32],
        one,
        half,
        add_small(half, 1),
        add_small(N, -1),
        N,
        add_small(N, 1),
        [0xff; 32],
    ];
    for r in values {
        for s in values {
            let raw = concat(r, s);
            let theirs = k256::ecdsa::Signature::from_slice(&raw);
            let ours = patched_k256::ecdsa::Signature::from_slice(&raw);
            assert_eq!(ours.is_ok(), theirs.is_ok(), "r {r:02x?} s {s:02x?}");
            if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
                assert_eq!(ours.to_bytes()[..], theirs.to_bytes()[..]);
                assert_eq!(
                    ours.normalize_s().map(|s| s.to_bytes().to_vec()),
                    theirs.normalize_s().map(|s| s.to_bytes().to_vec())
                );
            }
        }
    }
    for len in [0, 32, 63, 65, 128] {
        assert!(patched_k256::ecdsa::Signature::from_slice(&vec![1; len]).is_err());
        assert!(k256::ecdsa::Signature::from_slice(&vec![1; len]).is_err());
    }
}

#[test]
fn k256_prehash_lengths_match_k256() {
    use k256::ecdsa::signature::hazmat::{PrehashSigner as _, PrehashVerifier as _};
    let signer = k256::ecdsa::SigningKey::from_slice(&bytes(32, 7)).unwrap();
    let key = signer.verifying_key().to_sec1_bytes();
    let ours = patched_k256::ecdsa::VerifyingKey::from_sec1_bytes(&key).unwrap();
    // A fixed signature to check lengths k256's signer refuses.
    let fallback: k256::ecdsa::Signature = signer.sign_prehash(&[1; 32]).unwrap();
    for len in [0, 1, 15, 16, 17, 20, 31, 32, 33, 48, 64, 100] {
        let prehash = bytes(len, 4000 + len as u64);
        let sig: k256::ecdsa::Signature = signer.sign_prehash(&prehash).unwrap_or(fallback);
        let theirs = signer
            .verifying_key()
            .verify_prehash(&prehash, &sig)
            .is_ok();
        let our_sig = patched_k256::ecdsa::Signature::from_slice(&sig.to_bytes()).unwrap();
        assert_eq!(
            ours.verify_prehash(&prehash, &our_sig).is_ok(),
            theirs,
            "len {len}"
        );
        assert_eq!(theirs, len >= 16, "len {len}");
    }
    // A prehash z with u1·G + u2·Q at infinity: key G, z = n - r (so u1 + u2 = (z + r)/s = 0).
    let g = k256::ecdsa::SigningKey::from_slice(&add_small([0; 32], 1)).unwrap();
    let g_key = g.verifying_key().to_sec1_bytes();
    let r: [u8; 32] = bytes(32, 11).try_into().unwrap();
    let sig = concat(r, add_small([0; 32], 12345));
    let z = n_minus(r);
    let theirs = k256::ecdsa::VerifyingKey::from_sec1_bytes(&g_key)
        .unwrap()
        .verify_prehash(&z, &k256::ecdsa::Signature::from_slice(&sig).unwrap());
    let our_key = patched_k256::ecdsa::VerifyingKey::from_sec1_bytes(&g_key).unwrap();
    let our_sig = patched_k256::ecdsa::Signature::from_slice(&sig).unwrap();
    assert!(theirs.is_err());
    assert!(our_key.verify_prehash(&z, &our_sig).is_err());
}

#[test]
fn k256_sec1_parsing_matches_k256() {
    let g = k256::ecdsa::SigningKey::from_slice(&add_small([0; 32], 1)).unwrap();
    let point = g.verifying_key().to_encoded_point(false);
    let (x, y) = (&point.as_bytes()[1..33], &point.as_bytes()[33..]);
    let p = add_small([0xff; 32], -(0x1_0000_03d0));
    let mut cases: Vec<Vec<u8>> = vec![vec![], vec![0], vec![2], vec![4]];
    for tag in 0..8u8 {
        for len in [1, 32, 33, 34, 64, 65, 66] {
            let mut enc = vec![tag];
            enc.extend(x.iter().chain(y).cycle().take(len - 1));
            cases.push(enc);
        }
    }
    for seed in 0..24 {
        let coords = bytes(64, 5000 + seed);
        for tag in [2u8, 3, 5] {
            cases.push([&[tag][..], &coords[..32]].concat());
        }
        cases.push([&[4u8][..], &coords].concat());
        cases.push([&[4u8][..], x, &coords[32..]].concat());
    }
    // Coordinates at and above p.
    cases.push([&[2u8][..], &p].concat());
    cases.push([&[4u8][..], &p, y].concat());
    cases.push([&[4u8][..], x, &p].concat());
    for enc in cases {
        let theirs = k256::ecdsa::VerifyingKey::from_sec1_bytes(&enc);
        let ours = patched_k256::ecdsa::VerifyingKey::from_sec1_bytes(&enc);
        assert_eq!(ours.is_ok(), theirs.is_ok(), "{enc:02x?}");
        if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
            assert_eq!(
                &*ours.to_sec1_bytes(),
                &*theirs.to_sec1_bytes(),
                "{enc:02x?}"
            );
        }
    }
}
