//! End-to-end tests of `cargo-zisk`: `sdk new`, clear errors, and (when the `zisk` toolchain is
//! installed) rebuilding the examples and checking they match the committed ELFs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cargo_zisk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cargo-zisk"))
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zisk-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .canonicalize()
        .unwrap()
}

#[test]
fn build_without_cargo_toml_fails_clearly() {
    let dir = temp_dir("no-manifest");
    let out = cargo_zisk()
        .arg("build")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("no Cargo.toml in"), "{}", text(&out));
}

#[test]
fn run_with_missing_elf_fails_clearly() {
    let out = cargo_zisk()
        .args(["run", "-e", "/nonexistent/prog.elf"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out).contains("/nonexistent/prog.elf"),
        "{}",
        text(&out)
    );
}

#[test]
fn works_as_a_cargo_subcommand() {
    let out = cargo_zisk().args(["zisk", "--help"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let help = text(&out);
    for cmd in ["build", "run", "sdk"] {
        assert!(help.contains(cmd), "{help}");
    }
}

#[test]
fn sdk_new_creates_the_sha_hasher_project_that_runs_natively() {
    let dir = temp_dir("new");
    let out = cargo_zisk()
        .args(["sdk", "new", "sha_hasher"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let project = dir.join("sha_hasher");
    for file in ["Cargo.toml", "build.rs", ".gitignore", "src/main.rs"] {
        assert!(project.join(file).is_file(), "{file} missing");
    }
    let main_rs = std::fs::read_to_string(project.join("src/main.rs")).unwrap();
    let example = std::fs::read_to_string(examples_dir().join("sha_hasher/src/main.rs")).unwrap();
    assert_eq!(main_rs, example);

    let again = cargo_zisk()
        .args(["sdk", "new", "sha_hasher"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(text(&again).contains("already exists"), "{}", text(&again));

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let run = Command::new(cargo)
        .args(["run", "-q"])
        .current_dir(&project)
        .env_remove("RUSTUP_TOOLCHAIN")
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.starts_with("public 0: 0x98211882\n"), "{stdout}");
    assert!(stdout.contains("public 7: 0x233f1280\n"), "{stdout}");
    assert!(project.join("build/input.bin").is_file());
    assert_eq!(
        std::fs::read(project.join("build/input.bin")).unwrap(),
        20u64.to_le_bytes()
    );
}

/// The loaded image of an ELF64: entry point and, per PT_LOAD segment, (vaddr, memsz, file bytes).
/// Symbol names carry cargo's per-path metadata hashes, so whole files differ between checkouts
/// at different paths while the loaded program is the same.
fn loaded_image(path: &Path) -> (u64, Vec<(u64, u64, Vec<u8>)>) {
    let elf = std::fs::read(path).unwrap();
    let u16_at = |o: usize| u16::from_le_bytes(elf[o..o + 2].try_into().unwrap()) as usize;
    let u32_at = |o: usize| u32::from_le_bytes(elf[o..o + 4].try_into().unwrap());
    let u64_at = |o: usize| u64::from_le_bytes(elf[o..o + 8].try_into().unwrap());
    assert_eq!(
        &elf[..5],
        b"\x7fELF\x02",
        "{} is not an ELF64",
        path.display()
    );
    let (phoff, phentsize, phnum) = (u64_at(32) as usize, u16_at(54), u16_at(56));
    let segments = (0..phnum)
        .map(|i| phoff + i * phentsize)
        .filter(|&ph| u32_at(ph) == 1)
        .map(|ph| {
            let (offset, filesz) = (u64_at(ph + 8) as usize, u64_at(ph + 32) as usize);
            (
                u64_at(ph + 16),
                u64_at(ph + 40),
                elf[offset..offset + filesz].to_vec(),
            )
        })
        .collect();
    (u64_at(24), segments)
}

/// Rebuilds the examples with `cargo-zisk build --release` (one shared build) and checks that the
/// ELFs load the same program as the committed ones and that `cargo-zisk run` gives the outputs.
/// Without the `zisk` toolchain there is nothing to rebuild with, and the test says so.
#[test]
fn rebuilt_examples_match_the_committed_elfs() {
    if zisk_cli::toolchain::find().ok().flatten().is_none() {
        eprintln!("the zisk toolchain is not installed (cargo-zisk sdk install-toolchain); not rebuilding the examples");
        return;
    }
    let examples = examples_dir();
    let start = std::time::Instant::now();
    let out = cargo_zisk()
        .args(["build", "--release"])
        .current_dir(&examples)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    eprintln!("examples rebuilt in {:.1}s", start.elapsed().as_secs_f64());
    for name in ["sha_hasher", "fibonacci", "keccak", "precompiles", "ecdsa"] {
        let built = examples
            .join("target/riscv64ima-zisk-zkvm-elf/release")
            .join(name);
        let committed = examples.join("elf").join(format!("{name}.elf"));
        assert!(
            loaded_image(&built) == loaded_image(&committed),
            "{} differs from {}: rebuild and commit the ELF",
            built.display(),
            committed.display()
        );
    }

    // The accelerated variants are workspaces of their own (their [patch.crates-io] must not
    // reach the other examples); they share the examples' target directory and its std build.
    for name in ["sha_hasher_accel", "keccak_accel", "ecdsa_accel"] {
        let out = cargo_zisk()
            .args(["build", "--release"])
            .current_dir(examples.join(name))
            .env("CARGO_TARGET_DIR", examples.join("target"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {}", text(&out));
        let built = examples
            .join("target/riscv64ima-zisk-zkvm-elf/release")
            .join(name);
        let committed = examples.join("elf").join(format!("{name}.elf"));
        assert!(
            loaded_image(&built) == loaded_image(&committed),
            "{} differs from {}: rebuild and commit the ELF",
            built.display(),
            committed.display()
        );
    }

    let input = temp_dir("run").join("n50.bin");
    std::fs::write(&input, 50u64.to_le_bytes()).unwrap();
    let run = cargo_zisk()
        .args(["run", "--release", "-i"])
        .arg(&input)
        .current_dir(examples.join("fibonacci"))
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.starts_with("ee333961\n00000002\n"), "{stdout}");
}
