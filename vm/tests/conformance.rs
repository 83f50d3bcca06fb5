//! RV64IMAC conformance: self-checking assembly programs (tests/asm/*.S) run in the ZisK
//! emulator (fast mode, and trace mode with every chunk replayed) and under qemu-riscv64, which
//! confirms that the expected values written in the programs are right.

#[allow(dead_code)]
mod common;

use common::*;
use std::path::Path;
use zisk_vm::{transpile_elf, Emulator, NoObserver, RunOptions};

const PASS_MAGIC: u32 = 0x600d;
const FAIL_MAGIC: u32 = 0xbad;
/// Input given to every program in the VM (misc.S checks it).
const INPUT: &[u8] = b"zisk conformance input!";

/// Explains a report of the test header (eight u32 words), or returns the number of checks.
fn check_report(words: &[u32], elf: &Path, who: &str) -> u32 {
    assert!(words.len() >= 8, "{who}: short report {words:x?}");
    let wide = |i: usize| words[i] as u64 | (words[i + 1] as u64) << 32;
    match words[0] {
        PASS_MAGIC => words[1],
        FAIL_MAGIC => {
            let pc = wide(2);
            panic!(
                "{who}: check #{} failed at pc {pc:#x} ({}): got {:#018x}, expected {:#018x}",
                words[1],
                source_line(elf, pc),
                wide(4),
                wide(6)
            )
        }
        other => panic!("{who}: the program ended without a report (slot 0 = {other:#x})"),
    }
}

/// Runs `tests/asm/<name>.S` in the emulator and, unless `zisk_only`, under qemu.
fn conformance(name: &str, zisk_only: bool) {
    let dir = scratch_dir(name);
    let src = asm_dir().join(format!("{name}.S"));
    let elf_path = dir.join(format!("{name}.elf"));
    let elf = assemble(&src, &elf_path, &[]);

    let (result, console) = run_vm_console(&elf, INPUT, &RunOptions::default());
    let result = result.unwrap_or_else(|e| panic!("{name}: emulator error: {e}"));
    let checks = check_report(&result.outputs, &elf_path, "emulator");
    assert!(checks > 0, "{name}: no checks ran");
    if name == "misc" {
        assert_eq!(console, b"ok\n", "{name}: console output");
        assert_eq!(result.outputs[40], 0xcafe, "{name}: output slot 40");
        assert_eq!(result.outputs_set, 41, "{name}: output slots set");
    } else {
        assert!(console.is_empty(), "{name}: unexpected console output");
        assert_eq!(result.outputs_set, 2, "{name}: output slots set");
    }

    // Trace mode must produce the same outputs, and every chunk must replay from its own
    // start state and recorded reads to the next chunk's start state.
    let rom = transpile_elf(&elf).expect("transpile");
    let emu = Emulator::new(&rom);
    let opts = RunOptions {
        trace: true,
        chunk_size: (result.steps / 7).max(1),
        ..RunOptions::default()
    };
    let traced = emu
        .run(INPUT, &opts, Box::new(std::io::sink()))
        .unwrap_or_else(|e| panic!("{name}: trace-mode error: {e}"));
    assert_eq!(traced.outputs, result.outputs, "{name}: trace-mode outputs");
    assert_eq!(traced.steps, result.steps, "{name}: trace-mode steps");
    assert!(traced.chunks.len() > 1, "{name}: expected several chunks");
    assert!(traced.chunks.last().is_some_and(|c| c.end));
    for (i, chunk) in traced.chunks.iter().enumerate() {
        let end = emu
            .replay_chunk(chunk, &mut NoObserver)
            .unwrap_or_else(|e| panic!("{name}: replay of chunk {i} failed: {e}"));
        if let Some(next) = traced.chunks.get(i + 1) {
            assert_eq!(end, next.start, "{name}: replay of chunk {i}");
        } else {
            assert_eq!(end.step, traced.steps, "{name}: replay of the last chunk");
        }
    }

    if zisk_only {
        return;
    }
    let q_path = dir.join(format!("{name}.qemu.elf"));
    assemble(&src, &q_path, &["-DQEMU"]);
    let stdout = run_qemu(&q_path);
    let words: Vec<u32> = stdout
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes(w.try_into().expect("4 bytes")))
        .collect();
    let q_checks = check_report(&words, &q_path, "qemu-riscv64");
    assert!(q_checks > 0, "{name}: no checks ran under qemu");
}

macro_rules! conformance_tests {
    ($($name:ident $(: $only:ident)?),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                conformance(stringify!($name), conformance_tests!(@only $($only)?));
            }
        )*
    };
    (@only zisk_only) => { true };
    (@only) => { false };
}

conformance_tests! {
    alu,
    alu_w,
    muldiv,
    loadstore,
    amo,
    jump,
    compressed,
    csr: zisk_only,
    misc: zisk_only,
}

/// The emulator reports the highest output slot written, whatever the store width.
#[test]
fn output_slots_set() {
    let dir = scratch_dir("outputs");
    for (store, expect_set, expect) in [
        ("sb a2, 0(a1)", 1, [0x88u32, 0]),
        ("sw a2, 4(a1)", 2, [0, 0x5566_7788]),
        ("sd a2, 248(a1)", 64, [0, 0]),
        ("sh a2, 250(a1)", 63, [0, 0]),
    ] {
        let text = format!(
            "    .globl _start\n_start:\n    li a1, 0xA0010000\n    li a2, 0x1122334455667788\n\
             \x20   {store}\n    li a7, 93\n    ecall\n"
        );
        let (_, elf) = assemble_text(&dir, "outputs", &text, &[]);
        let r = run_vm(&elf, b"", &RunOptions::default()).expect("runs");
        assert_eq!(r.outputs_set, expect_set, "{store}");
        assert_eq!(&r.outputs[..2], &expect, "{store}");
        if store.starts_with("sd") {
            assert_eq!(&r.outputs[62..], &[0x5566_7788, 0x1122_3344], "{store}");
        }
    }
}
