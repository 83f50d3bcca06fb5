//! `ziskemu`'s options on the committed sha_hasher ELF (n = 20): `-n` stops with
//! `EmulationNoCompleted`, `-m` prints the metrics line, `-c` prints all 64 slots, `-o` writes the
//! 256 output bytes, `-a` traces register changes, and a missing `-e` is a usage error.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const SHA_N20: [&str; 8] = [
    "98211882", "bd13089b", "6ccf1fca", "81f7f0e4", "abf6352a", "0c39c9b1", "1f142cac", "233f1280",
];

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zisk-cli-flags-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs ziskemu on sha_hasher with n = 20 and the extra `args`. Each call writes its own input
/// file: the tests run in parallel, and rewriting a shared one could hand a run a truncated input.
fn ziskemu(args: &[&str]) -> Output {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let input = scratch().join(format!("n20-{call}.bin"));
    std::fs::write(&input, 20u64.to_le_bytes()).unwrap();
    let elf = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/elf/sha_hasher.elf");
    Command::new(env!("CARGO_BIN_EXE_ziskemu"))
        .arg("-e")
        .arg(elf)
        .arg("-i")
        .arg(input)
        .args(args)
        .output()
        .expect("ziskemu starts")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn max_steps_stops_with_emulation_no_completed() {
    let out = ziskemu(&["-n", "1000"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "Error during emulation: EmulationNoCompleted"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn metrics_line_comes_before_the_outputs() {
    let out = ziskemu(&["-m"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let mut lines = text.lines();
    let metrics = lines.next().unwrap();
    assert!(metrics.starts_with("process_rom() steps="), "{metrics}");
    for field in [" duration=", " tp=", " Msteps/s freq=", " clocks/step"] {
        assert!(metrics.contains(field), "missing {field:?} in {metrics}");
    }
    assert_eq!(lines.collect::<Vec<_>>(), SHA_N20);
}

#[test]
fn log_output_prints_all_64_slots_and_output_file_holds_them() {
    let file = scratch().join("out.bin");
    let out = ziskemu(&["-c", "-o", file.to_str().unwrap()]);
    assert!(out.status.success());
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 64);
    assert_eq!(lines[..8], SHA_N20);
    assert!(lines[8..].iter().all(|l| *l == "00000000"));
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(bytes.len(), 256);
    let first = u32::from_le_bytes(bytes[..4].try_into().unwrap());
    assert_eq!(format!("{first:08x}"), SHA_N20[0]);
}

#[test]
fn tracerv_lists_register_changes() {
    let out = ziskemu(&["-a"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let trace: Vec<&str> = text.lines().filter(|l| l.contains(" -> ")).collect();
    assert!(trace.len() > 1000, "only {} trace lines", trace.len());
    // The program's first instruction sets gp (x3) from the ELF's `_start`.
    assert!(trace[0].contains("x3="), "{}", trace[0]);
    assert!(text
        .lines()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .contains(&"233f1280"));
}

#[test]
fn missing_elf_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_ziskemu"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no ELF file given"));
}
