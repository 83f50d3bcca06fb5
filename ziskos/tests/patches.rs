//! The drop-in crates under `ziskos/patches/` against the crates they replace, natively (where
//! the syscalls run on the host): `sha2` for SHA-224/SHA-256 and `tiny-keccak` for Keccak, SHA-3
//! and SHAKE, on messages of every length around the block boundaries, fed in random pieces.

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
