//! Runs the committed example ELFs (`examples/elf/*.elf`) in `ziskemu` and compares their public
//! outputs with values computed on the host (for `ecdsa`, the known verdicts: every signature
//! valid, every tampered one rejected); checks that a guest panic is a clear failure, and that the
//! precompile-accelerated variants give the same outputs in far fewer steps.

use std::path::{Path, PathBuf};
use std::process::Output;

use sha2::{Digest, Sha256};
use tiny_keccak::{Hasher, Keccak};

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// Runs `elf` in ziskemu with `input` and returns the process output.
fn emulate(elf: &Path, input: &[u8], tag: &str) -> Output {
    let dir = std::env::temp_dir().join(format!("zisk-cli-examples-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input_file = dir.join(format!("{tag}.bin"));
    std::fs::write(&input_file, input).unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_ziskemu"))
        .arg("-e")
        .arg(elf)
        .arg("-i")
        .arg(&input_file)
        .output()
        .expect("ziskemu starts")
}

/// The public outputs ziskemu printed (one hex word per line).
fn outputs(out: &Output) -> Vec<u32> {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ziskemu failed: {}\n{stdout}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .filter_map(|line| {
            u32::from_str_radix(line.trim(), 16)
                .ok()
                .filter(|_| line.len() == 8)
        })
        .collect()
}

/// Big-endian u32 words of a 32-byte hash.
fn words(hash: [u8; 32]) -> Vec<u32> {
    hash.chunks(4)
        .map(|c| u32::from_be_bytes(c.try_into().unwrap()))
        .collect()
}

pub fn sha_chain(n: u64) -> Vec<u32> {
    let mut hash = [0u8; 32];
    for _ in 0..n {
        hash = Sha256::digest(hash).into();
    }
    words(hash)
}

pub fn keccak_chain(n: u64) -> Vec<u32> {
    let mut hash = [0u8; 32];
    for _ in 0..n {
        let mut k = Keccak::v256();
        k.update(&hash);
        k.finalize(&mut hash);
    }
    words(hash)
}

pub fn fibonacci(n: u64) -> Vec<u32> {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        (a, b) = (b, a.wrapping_add(b));
    }
    let mut out = vec![a as u32, (a >> 32) as u32];
    out.resize(8, 0);
    out
}

fn check(name: &str, expected: fn(u64) -> Vec<u32>, ns: &[u64]) {
    let elf = examples_dir().join("elf").join(format!("{name}.elf"));
    for &n in ns {
        let out = emulate(&elf, &n.to_le_bytes(), &format!("{name}-{n}"));
        assert_eq!(outputs(&out), expected(n), "{name} with n={n}");
    }
}

#[test]
fn sha_hasher_matches_sha2() {
    assert_eq!(
        sha_chain(20),
        [
            0x98211882, 0xbd13089b, 0x6ccf1fca, 0x81f7f0e4, 0xabf6352a, 0x0c39c9b1, 0x1f142cac,
            0x233f1280
        ]
    );
    check("sha_hasher", sha_chain, &[0, 1, 2, 20, 100]);
}

#[test]
fn keccak_matches_tiny_keccak() {
    check("keccak", keccak_chain, &[0, 1, 20, 64]);
}

#[test]
fn sha_hasher_accel_matches_sha2() {
    check("sha_hasher_accel", sha_chain, &[0, 1, 2, 20, 100, 1000]);
}

#[test]
fn keccak_accel_matches_tiny_keccak() {
    check("keccak_accel", keccak_chain, &[0, 1, 20, 64, 1000]);
}

/// What `examples/ecdsa` outputs for n: every one of the n signatures verifies (slot 0) and all
/// six tampered cases are rejected (slot 1, one bit each).
fn ecdsa_outputs(n: u64) -> Vec<u32> {
    vec![n as u32, 0x3f]
}

#[test]
fn ecdsa_matches_k256() {
    check("ecdsa", ecdsa_outputs, &[0, 1, 4, 5]);
}

/// The same program on the drop-in k256 (secp256k1 and arith256_mod precompiles) gives the
/// outputs of crates.io's k256: the valid signatures verify, the tampered ones do not.
#[test]
fn ecdsa_accel_matches_k256() {
    check("ecdsa_accel", ecdsa_outputs, &[0, 1, 2, 3, 4, 5, 9]);
}

/// Steps and the counts of `opcodes`, from `ziskemu -x`.
fn stats<const K: usize>(name: &str, n: u64, opcodes: [&str; K]) -> (u64, [u64; K]) {
    let elf = examples_dir().join("elf").join(format!("{name}.elf"));
    let dir = std::env::temp_dir().join(format!("zisk-cli-examples-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join(format!("{name}-stats-{n}.bin"));
    std::fs::write(&input, n.to_le_bytes()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ziskemu"))
        .arg("-e")
        .arg(&elf)
        .arg("-i")
        .arg(&input)
        .arg("-x")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}");
    let field = |line: &str, after: &str| -> u64 {
        let rest = &line[line.find(after).unwrap() + after.len()..];
        rest.split_whitespace().next().unwrap().parse().unwrap()
    };
    let main = text.lines().find(|l| l.contains("Main Cost:")).unwrap();
    let steps = field(main, "sec ");
    let ops = opcodes.map(|opcode| {
        text.lines()
            .find(|l| l.trim_start().starts_with(&format!("{opcode}:")))
            .map_or(0, |l| field(l, "steps/op) ("))
    });
    (steps, ops)
}

#[test]
fn accelerated_examples_use_the_precompiles_and_take_fewer_steps() {
    for (plain, accel, opcode) in [
        ("sha_hasher", "sha_hasher_accel", "sha256"),
        ("keccak", "keccak_accel", "keccak"),
    ] {
        let (plain_steps, [plain_ops]) = stats(plain, 20, [opcode]);
        let (accel_steps, [accel_ops]) = stats(accel, 20, [opcode]);
        assert_eq!(plain_ops, 0, "{plain} must not call the precompile");
        assert_eq!(accel_ops, 20, "{accel}: one {opcode} per 32-byte hash");
        assert!(
            accel_steps * 4 < plain_steps,
            "{accel}: {accel_steps} steps, {plain}: {plain_steps}"
        );
    }

    // ecdsa with n = 4: six verifications reach the curve arithmetic (the four signatures, the
    // changed message and the other key). Each takes one doubling per bit of u1 and u2 (fewer
    // while the accumulator is still the identity) and at most 15 + 128 additions; the inverse
    // of s and the decompression of each key are square-and-multiply on arith256_mod.
    let opcodes = ["secp256k1_dbl", "secp256k1_add", "arith256_mod"];
    let (plain_steps, plain_ops) = stats("ecdsa", 4, opcodes);
    let (accel_steps, [dbl, add, arith_mod]) = stats("ecdsa_accel", 4, opcodes);
    assert_eq!(plain_ops, [0; 3], "ecdsa must not call the precompiles");
    assert!((6 * 248..=6 * 256).contains(&dbl), "{dbl} doublings");
    assert!((6 * 100..=6 * 143).contains(&add), "{add} additions");
    assert!(arith_mod >= 6 * 256, "{arith_mod} arith256_mod calls");
    assert!(
        accel_steps * 10 < plain_steps,
        "ecdsa_accel: {accel_steps} steps, ecdsa: {plain_steps}"
    );
}

/// What `examples/precompiles` computes, with the host semantics of `zisk-precompiles`.
fn precompiles_guest(k: u64) -> Vec<u32> {
    use zisk_precompiles::*;
    let g: [u64; 8] = [
        0x59F2815B16F81798,
        0x029BFCDB2DCE28D9,
        0x55A06295CE870B07,
        0x79BE667EF9DCBBAC,
        0x9C47D08FFB10D4B8,
        0xFD17B448A6855419,
        0x5DA4FBFC0E1108A8,
        0x483ADA7726A3C465,
    ];
    let mut p = g;
    for _ in 0..k {
        p = secp256k1_dbl(&p).unwrap();
    }
    p = secp256k1_add(&p, &g).unwrap();
    let (x, y): ([u64; 4], [u64; 4]) = (p[..4].try_into().unwrap(), p[4..].try_into().unwrap());
    let (dl, dh) = arith256(&x, &y, &[u64::MAX; 4]);
    let d = arith256_mod(&dl, &dh, &x, &secp256k1::P).unwrap();
    let mut lanes = [0u64; 25];
    lanes[..4].copy_from_slice(&d);
    keccak_f(&mut lanes);
    let mut state = [lanes[4], lanes[5], lanes[6], lanes[7]];
    let mut block = [0u64; 8];
    block[..7].copy_from_slice(&lanes[8..15]);
    block[7] = k;
    sha256_f(&mut state, &block);
    let mut words = p.to_vec();
    words.extend(
        dl.iter()
            .chain(&dh)
            .chain(&d)
            .chain(&lanes[..4])
            .chain(&state),
    );
    words
        .iter()
        .flat_map(|w| [*w as u32, (*w >> 32) as u32])
        .collect()
}

#[test]
fn precompiles_guest_matches_host_semantics() {
    // 2G + G = 3G (x of 3G from the SEC 2 multiples table).
    let three_g = precompiles_guest(1);
    assert_eq!(
        three_g[..8],
        [
            0xBCE036F9, 0x8601F113, 0x836F99B0, 0xB531C845, 0xF89D5229, 0x49344F85, 0x9258C310,
            0xF9308A01
        ]
    );
    check("precompiles", precompiles_guest, &[1, 2, 10, 100]);

    // k = 0 adds G to itself: an undefined precompile call stops the run with a clear error.
    let elf = examples_dir().join("elf/precompiles.elf");
    let out = emulate(&elf, &0u64.to_le_bytes(), "precompiles-0");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("Error during emulation: precompile secp256k1_add at pc 0x")
            && stderr.contains("same x coordinate"),
        "{stderr}"
    );
}

#[test]
fn fibonacci_matches_host() {
    assert_eq!(fibonacci(20)[..2], [6765, 0]);
    // F(50) = 12586269025 = 2 * 2^32 + 3996334433. The docs' "Output[0]: 3832890881" is a slip:
    // that is not the low word of F(50).
    assert_eq!(fibonacci(50)[..2], [3996334433, 2]);
    check("fibonacci", fibonacci, &[0, 1, 2, 20, 50, 93, 100, 1000]);
}

#[test]
fn fibonacci_panic_on_short_input_is_a_clear_failure() {
    let elf = examples_dir().join("elf/fibonacci.elf");
    let out = emulate(&elf, &[1, 2, 3], "fibonacci-bad");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "a panic must fail the run:\n{text}");
    assert!(text.contains("panicked at fibonacci/src/main.rs"), "{text}");
    assert!(
        text.contains("Invalid input length. Expected 8 bytes, got 3"),
        "{text}"
    );
    assert!(text.contains("Error during emulation"), "{text}");
    assert!(text.contains("abort"), "{text}");
}
