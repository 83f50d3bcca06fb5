//! End-to-end tests of the proving commands of `cargo-zisk` on the fibonacci example (n = 10):
//! `check-setup`, `rom-setup`, `verify-constraints`, `prove -a -y`, `verify`, `clean`, and
//! their clear errors. `HOME` points at a temporary directory so keys and cache are isolated.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zisk-cli-prove-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn cargo_zisk(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-zisk"))
        .args(args)
        .env("HOME", home)
        .env_remove("RUST_LOG")
        .current_dir(home)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn ok(home: &Path, args: &[&str]) -> String {
    let out = cargo_zisk(home, args);
    let text = text(&out);
    assert!(out.status.success(), "cargo-zisk {args:?} failed:\n{text}");
    text
}

fn fails(home: &Path, args: &[&str]) -> String {
    let out = cargo_zisk(home, args);
    let text = text(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "cargo-zisk {args:?} did not fail cleanly (a panic exits with 101):\n{text}"
    );
    text
}

fn fibonacci_elf() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/elf/fibonacci.elf")
        .canonicalize()
        .unwrap()
        .display()
        .to_string()
}

#[test]
fn prove_without_rom_setup_fails_clearly() {
    let home = temp_dir("no-setup");
    std::fs::write(home.join("input.bin"), 10u64.to_le_bytes()).unwrap();
    let elf = fibonacci_elf();
    let commands: [&[&str]; 2] = [
        &["prove", "-e", &elf, "-i", "input.bin", "-o", "proof"],
        &["verify-constraints", "-e", &elf, "-i", "input.bin"],
    ];
    for args in commands {
        let text = fails(&home, args);
        assert!(
            text.contains(&format!("run `cargo-zisk rom-setup -e {elf}` first")),
            "{text}"
        );
    }
    assert!(!home.join("proof").exists());
}

#[test]
fn verify_with_missing_files_fails_clearly() {
    let home = temp_dir("verify-missing");
    let text = fails(&home, &["verify", "-p", "nope.json", "-u", "publics.json"]);
    assert!(text.contains("check-setup"), "{text}");
}

#[test]
fn fibonacci_setup_prove_verify() {
    let home = temp_dir("flow");
    std::fs::write(home.join("input.bin"), 10u64.to_le_bytes()).unwrap();
    std::fs::write(home.join("short.bin"), [1u8, 2, 3]).unwrap();
    let elf = fibonacci_elf();

    let text = ok(&home, &["check-setup", "-a"]);
    assert!(text.contains("Built the proving key"), "{text}");
    let text = ok(&home, &["check-setup"]);
    assert!(text.contains("matches this build"), "{text}");

    let text = ok(&home, &["rom-setup", "-e", &elf]);
    assert!(text.contains("Program verifying key:"), "{text}");
    assert!(text.contains(".romkey.json"), "{text}");

    // Runs that cannot be proven: no files.
    let text = fails(
        &home,
        &["prove", "-e", &elf, "-i", "short.bin", "-o", "bad"],
    );
    assert!(text.contains("guest program aborted"), "{text}");
    assert!(text.contains("Invalid input length"), "{text}");
    let text = fails(
        &home,
        &[
            "prove",
            "-e",
            &elf,
            "-i",
            "input.bin",
            "-o",
            "bad",
            "--max-steps",
            "50",
        ],
    );
    assert!(text.contains("did not halt within 50 steps"), "{text}");
    assert!(!home.join("bad").exists());

    let text = ok(
        &home,
        &[
            "verify-constraints",
            "-e",
            &elf,
            "-i",
            "input.bin",
            "-w",
            "lib.so",
        ],
    );
    assert!(
        text.contains("✓ All global constraints were successfully verified"),
        "{text}"
    );
    assert!(text.contains("✓ All constraints were verified"), "{text}");

    let text = ok(
        &home,
        &[
            "prove",
            "-e",
            &elf,
            "-i",
            "input.bin",
            "-o",
            "proof",
            "-a",
            "-y",
        ],
    );
    assert!(text.contains("✓ Vadcop Final proof was verified"), "{text}");
    assert!(text.contains("Proofs generated successfully"), "{text}");
    assert!(text.contains("not implemented yet"), "{text}");
    assert!(!text.contains("proved instance"), "{text}");

    // RUST_LOG shows the prover's per-instance progress and the sub-phase timings.
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-zisk"))
        .args(["prove", "-e", &elf, "-i", "input.bin", "-o", "proof_log"])
        .env("HOME", &home)
        .env("RUST_LOG", "zisk_prover=debug")
        .current_dir(&home)
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{log}");
    assert!(log.contains("committed main trace"), "{log}");
    assert!(log.contains("proved instance"), "{log}");
    assert!(log.contains("FRI opening done"), "{log}");
    assert!(
        !log.contains('\u{1b}'),
        "no colour codes off a terminal: {log}"
    );

    let publics = home.join("proof/publics.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&publics).unwrap()).unwrap();
    // F(10) = 55.
    assert_eq!(json["outputs"][0], "0x00000037");
    assert_eq!(json["outputs"].as_array().unwrap().len(), 64);

    for proof in [
        "proof/proofs/vadcop_final_proof.json",
        "proof/proofs/vadcop_final_proof.bin",
    ] {
        let text = ok(&home, &["verify", "-p", proof, "-u", "proof/publics.json"]);
        assert!(text.contains("✓ Proof verified"), "{text}");
        assert!(text.contains("Output[0]: 0x00000037"), "{text}");
    }

    // Another statement: rejected.
    let mut changed = json.clone();
    changed["outputs"][0] = "0x00000038".into();
    std::fs::write(home.join("changed.json"), changed.to_string()).unwrap();
    let text = fails(
        &home,
        &[
            "verify",
            "-p",
            "proof/proofs/vadcop_final_proof.bin",
            "-u",
            "changed.json",
        ],
    );
    assert!(text.contains("error: proof rejected:"), "{text}");

    // Malformed files.
    let bin = std::fs::read(home.join("proof/proofs/vadcop_final_proof.bin")).unwrap();
    std::fs::write(home.join("truncated.bin"), &bin[..bin.len() / 2]).unwrap();
    let text = fails(
        &home,
        &["verify", "-p", "truncated.bin", "-u", "proof/publics.json"],
    );
    assert!(
        text.contains("cannot read the proof truncated.bin"),
        "{text}"
    );
    std::fs::write(home.join("garbage.json"), "{").unwrap();
    let text = fails(
        &home,
        &[
            "verify",
            "-p",
            "proof/proofs/vadcop_final_proof.bin",
            "-u",
            "garbage.json",
        ],
    );
    assert!(
        text.contains("garbage.json is not a publics.json"),
        "{text}"
    );

    let text = ok(&home, &["clean"]);
    assert!(text.contains("Removed"), "{text}");
    let text = fails(
        &home,
        &["prove", "-e", &elf, "-i", "input.bin", "-o", "proof2"],
    );
    assert!(text.contains("rom-setup"), "{text}");
}
