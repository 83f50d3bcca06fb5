//! Error paths of the transpiler and the emulator: bad memory accesses, illegal instructions,
//! guest aborts, step limits and malformed ELF files must give typed errors, never panics.

#[allow(dead_code)]
mod common;

use common::*;
use elf::endian::AnyEndian;
use elf::ElfBytes;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zisk_vm::{transpile_elf, ElfError, EmuError, Emulator, RunOptions};

/// Assembles a small program: `body` runs from `_start`; `tail` follows the exit sequence.
fn program(name: &str, body: &str, tail: &str) -> Vec<u8> {
    let dir = scratch_dir(name);
    let text = format!(
        "    .option norvc\n    .section .text.init, \"ax\", @progbits\n    .globl _start\n\
         _start:\n{body}\n    li a7, 93\n    ecall\n{tail}\n"
    );
    assemble_text(&dir, name, &text, &[]).1
}

/// Address of symbol `name` in `elf`.
fn symbol(elf: &[u8], name: &str) -> u64 {
    let file = ElfBytes::<AnyEndian>::minimal_parse(elf).expect("parse ELF");
    let (symtab, strtab) = file
        .symbol_table()
        .expect("symbol table")
        .expect("ELF has symbols");
    symtab
        .iter()
        .find(|s| strtab.get(s.st_name as usize).ok() == Some(name))
        .unwrap_or_else(|| panic!("symbol {name} not found"))
        .st_value
}

fn run(elf: &[u8]) -> Result<zisk_vm::RunResult, EmuError> {
    run_vm(elf, b"", &RunOptions::default())
}

/// Runs in fast mode and in trace mode; both must give the same error.
fn run_err(elf: &[u8]) -> EmuError {
    let fast = run(elf).expect_err("the program must fail");
    let traced = run_vm(
        elf,
        b"",
        &RunOptions {
            trace: true,
            chunk_size: 3,
            ..RunOptions::default()
        },
    )
    .expect_err("the program must fail in trace mode too");
    assert_eq!(fast, traced, "fast and trace mode disagree");
    fast
}

#[test]
fn load_from_unmapped_memory_is_bad_read() {
    for (insn, width) in [("lb", 1), ("lhu", 2), ("lw", 4), ("ld", 8)] {
        let elf = program(
            &format!("bad_read_{insn}"),
            &format!("    lui a1, 0x10000\n    nop\nfault:\n    {insn} a2, 8(a1)"),
            "",
        );
        let pc = symbol(&elf, "fault");
        assert_eq!(pc, 0x8000_0008);
        assert_eq!(
            run_err(&elf),
            EmuError::BadRead {
                addr: 0x1000_0008,
                width,
                pc
            }
        );
    }
}

#[test]
fn load_from_address_zero_and_past_ram_is_bad_read() {
    let elf = program("bad_read_null", "fault:\n    ld a2, 0(x0)", "");
    let pc = symbol(&elf, "fault");
    assert_eq!(
        run_err(&elf),
        EmuError::BadRead {
            addr: 0,
            width: 8,
            pc
        }
    );
    // An 8-byte load that starts in the last word of RAM and runs past its end.
    let elf = program(
        "bad_read_ram_end",
        "    li a1, 0xbffffffc\nfault:\n    ld a2, 0(a1)",
        "",
    );
    let pc = symbol(&elf, "fault");
    assert_eq!(
        run_err(&elf),
        EmuError::BadRead {
            addr: 0xbfff_fffc,
            width: 8,
            pc
        }
    );
    // The input region ends at the input (padded to 8 bytes): with no input, 0x4000_0010 is
    // already outside.
    let elf = program(
        "bad_read_input_end",
        "    li a1, 0x40000010\nfault:\n    lbu a2, 0(a1)",
        "",
    );
    let pc = symbol(&elf, "fault");
    assert_eq!(
        run_err(&elf),
        EmuError::BadRead {
            addr: 0x4000_0010,
            width: 1,
            pc
        }
    );
}

#[test]
fn store_to_rodata_is_bad_write() {
    let elf = program(
        "bad_write_rodata",
        "    la a1, ro_word\n    li a2, 7\nfault:\n    sw a2, 4(a1)",
        "    .section .rodata\n    .balign 8\nro_word:\n    .dword 0x1122334455667788, 0",
    );
    let pc = symbol(&elf, "fault");
    let addr = symbol(&elf, "ro_word") + 4;
    assert!((0x8000_0000..0x8800_0000).contains(&addr));
    assert_eq!(run_err(&elf), EmuError::BadWrite { addr, width: 4, pc });
    // Reading the same data works.
    let elf = program(
        "read_rodata",
        "    la a1, ro_word\n    ld a2, 0(a1)\n    li a3, 0xA0010000\n    sw a2, 0(a3)",
        "    .section .rodata\n    .balign 8\nro_word:\n    .dword 0x1122334455667788",
    );
    let r = run(&elf).expect("reading rodata works");
    assert_eq!(r.outputs[0], 0x5566_7788);
}

#[test]
fn store_to_code_input_or_unmapped_memory_is_bad_write() {
    let cases = [
        ("code", "    la a1, _start\nfault:\n    sd a2, 0(a1)", 8),
        (
            "input",
            "    li a1, 0x40000008\nfault:\n    sb a2, 0(a1)",
            1,
        ),
        (
            "unmapped",
            "    li a1, 0x20000000\nfault:\n    sh a2, 0(a1)",
            2,
        ),
    ];
    for (what, body, width) in cases {
        let elf = program(&format!("bad_write_{what}"), body, "");
        let pc = symbol(&elf, "fault");
        let addr = match what {
            "code" => 0x8000_0000,
            "input" => 0x4000_0008,
            _ => 0x2000_0000,
        };
        assert_eq!(
            run_err(&elf),
            EmuError::BadWrite { addr, width, pc },
            "store to {what}"
        );
    }
}

#[test]
fn executed_illegal_instruction_reports_word_and_pc() {
    for (name, word_directive, word) in [
        ("illegal_ones", ".word 0xffffffff", 0xffff_ffffu32),
        ("illegal_fp", ".word 0x00000053", 0x0000_0053),
        ("illegal_c_zero", ".half 0x0000", 0x0000),
        ("illegal_c_fld", ".half 0x2000", 0x2000),
    ] {
        let elf = program(
            name,
            &format!("    li a1, 1\nfault:\n    {word_directive}"),
            "",
        );
        let pc = symbol(&elf, "fault");
        assert_eq!(
            run_err(&elf),
            EmuError::IllegalInstruction { word, pc },
            "{name}"
        );
    }
}

#[test]
fn illegal_instruction_that_is_not_executed_is_harmless() {
    let elf = program(
        "illegal_not_executed",
        "    li a1, 0xA0010000\n    li a2, 5\n    sw a2, 0(a1)\n    j 1f\n    .word 0xffffffff\n1:",
        "    .word 0xffffffff\n    .half 0x0000",
    );
    let r = run(&elf).expect("runs to the end");
    assert_eq!(r.outputs[0], 5);
}

#[test]
fn unimp_is_a_guest_abort() {
    let elf = program("unimp", "    li a1, 1\nfault:\n    unimp", "");
    let pc = symbol(&elf, "fault");
    assert_eq!(run_err(&elf), EmuError::GuestAbort { pc });
    // The compressed `c.unimp` (0x0000) is an illegal instruction, not an abort.
    let elf = program("c_unimp", "fault:\n    .option rvc\n    c.unimp", "");
    let pc = symbol(&elf, "fault");
    assert_eq!(run_err(&elf), EmuError::IllegalInstruction { word: 0, pc });
}

#[test]
fn jump_outside_the_code_is_bad_jump() {
    let elf = program(
        "bad_jump",
        "    li a1, 0x90000000\nfault:\n    jalr ra, 0(a1)",
        "",
    );
    let pc = symbol(&elf, "fault");
    assert_eq!(
        run_err(&elf),
        EmuError::BadJump {
            target: 0x9000_0000,
            pc
        }
    );
}

#[test]
fn step_limit_stops_an_infinite_loop() {
    let elf = program("infinite", "1:\n    addi a1, a1, 1\n    j 1b", "");
    for trace in [false, true] {
        let opts = RunOptions {
            max_steps: 10_000,
            trace,
            chunk_size: 1000,
        };
        assert_eq!(
            run_vm(&elf, b"", &opts).expect_err("never ends"),
            EmuError::EmulationNoCompleted
        );
    }
    // A program that ends is not cut short by a large enough limit.
    let elf = program(
        "finite",
        "    li a1, 100\n1:\n    addi a1, a1, -1\n    bnez a1, 1b",
        "",
    );
    let r = run(&elf).expect("ends");
    let opts = RunOptions {
        max_steps: r.steps,
        ..RunOptions::default()
    };
    assert_eq!(run_vm(&elf, b"", &opts).expect("ends").steps, r.steps);
    let opts = RunOptions {
        max_steps: r.steps - 1,
        ..RunOptions::default()
    };
    assert_eq!(
        run_vm(&elf, b"", &opts).expect_err("one step short"),
        EmuError::EmulationNoCompleted
    );
}

#[test]
fn garbage_and_truncated_files_are_not_elf() {
    assert!(matches!(transpile_elf(b""), Err(ElfError::NotElf(_))));
    assert!(matches!(transpile_elf(b"\x7fEL"), Err(ElfError::NotElf(_))));
    assert!(matches!(
        transpile_elf(b"#!/bin/sh\necho hello\n"),
        Err(ElfError::NotElf(_))
    ));
    let mut rng = StdRng::seed_from_u64(1);
    let mut garbage = vec![0u8; 4096];
    rng.fill(&mut garbage[..]);
    assert!(matches!(transpile_elf(&garbage), Err(ElfError::NotElf(_))));
    garbage[..4].copy_from_slice(b"\x7fELF");
    assert!(transpile_elf(&garbage).is_err());

    let elf = program("truncate_me", "    li a1, 1", "");
    assert!(transpile_elf(&elf).is_ok());
    for len in [4, 16, 52, 63, 64, 100, elf.len() / 2, elf.len() - 1] {
        // Cutting the file anywhere must not panic; cutting into the headers is an error.
        let r = transpile_elf(&elf[..len]);
        if len <= 64 {
            assert!(matches!(r, Err(ElfError::NotElf(_))), "len {len}: {r:?}");
        }
    }
}

#[test]
fn foreign_elf_files_are_wrong_arch() {
    // The host's own executables (x86-64 or another architecture; never RISC-V 64 ELF_EXEC).
    for path in ["/bin/true", "/bin/sh"] {
        if let Ok(bytes) = std::fs::read(path) {
            let r = transpile_elf(&bytes);
            assert!(matches!(r, Err(ElfError::WrongArch(_))), "{path}: {r:?}");
        }
    }
    // A 32-bit RISC-V executable.
    let dir = scratch_dir("rv32");
    let text = "    .globl _start\n_start:\n    li a0, 1\n    ecall\n";
    let (_, elf) = assemble_text(&dir, "rv32", text, &["-march=rv32i", "-mabi=ilp32"]);
    assert_eq!(elf[4], 1, "ELFCLASS32");
    assert!(matches!(transpile_elf(&elf), Err(ElfError::WrongArch(_))));
    // A relocatable object (not ET_EXEC).
    let obj = dir.join("obj.o");
    let src = dir.join("obj.S");
    std::fs::write(&src, text).expect("write source");
    let status = std::process::Command::new(gcc())
        .args(["-march=rv64imac", "-mabi=lp64", "-c", "-o"])
        .arg(&obj)
        .arg(&src)
        .status()
        .expect("run gcc");
    assert!(status.success());
    let bytes = std::fs::read(&obj).expect("read object");
    assert!(matches!(transpile_elf(&bytes), Err(ElfError::WrongArch(_))));
}

#[test]
fn sections_outside_the_memory_map_are_rejected() {
    let dir = scratch_dir("bad_layout");
    let text =
        "    .globl _start\n_start:\n    li a7, 93\n    ecall\n    .data\nd:\n    .dword 1\n";
    let src = dir.join("layout.S");
    std::fs::write(&src, text).expect("write source");
    let link = |name: &str, args: &[&str]| -> Vec<u8> {
        let out = dir.join(name);
        let status = std::process::Command::new(gcc())
            .args([
                "-march=rv64imac",
                "-mabi=lp64",
                "-nostdlib",
                "-nostartfiles",
                "-static",
            ])
            .args(args)
            .arg("-o")
            .arg(&out)
            .arg(&src)
            .status()
            .expect("run gcc");
        assert!(status.success(), "link {name}");
        std::fs::read(&out).expect("read ELF")
    };
    // The toolchain's default layout puts code at 0x10000, outside the program ROM.
    let default = link("default.elf", &[]);
    assert!(matches!(
        transpile_elf(&default),
        Err(ElfError::BadSection { .. })
    ));
    // Code in the ROM but writable data below RAM.
    let low_data = link(
        "low_data.elf",
        &["-Wl,-Ttext=0x80000000", "-Wl,-Tdata=0x90000000"],
    );
    assert!(matches!(
        transpile_elf(&low_data),
        Err(ElfError::BadSection { .. })
    ));
    // Both in place: accepted, and it runs.
    let good = link(
        "good.elf",
        &["-Wl,-Ttext=0x80000000", "-Wl,-Tdata=0xA0020000"],
    );
    let rom = transpile_elf(&good).expect("valid layout");
    Emulator::new(&rom)
        .run(b"", &RunOptions::default(), Box::new(std::io::sink()))
        .expect("runs");
}

#[test]
fn corrupted_elf_files_never_panic() {
    let src = asm_dir().join("alu.S");
    let dir = scratch_dir("corrupt");
    let elf = assemble(&src, &dir.join("alu.elf"), &[]);
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let opts = RunOptions {
        max_steps: 20_000,
        ..RunOptions::default()
    };
    for case in 0..300 {
        let mut bytes = elf.clone();
        let flips = rng.gen_range(1..8);
        for _ in 0..flips {
            // Mostly the headers, sometimes anywhere.
            let limit = if rng.gen_bool(0.7) { 256 } else { bytes.len() };
            let i = rng.gen_range(0..limit.min(bytes.len()));
            bytes[i] = rng.gen();
        }
        let outcome = std::panic::catch_unwind(|| {
            if let Ok(rom) = transpile_elf(&bytes) {
                let _ = Emulator::new(&rom).run(b"", &opts, Box::new(std::io::sink()));
            }
        });
        if outcome.is_err() {
            let path = dir.join(format!("crash-{case}.elf"));
            std::fs::write(&path, &bytes).expect("save the crashing file");
            panic!(
                "case {case}: panic on a corrupted ELF, saved to {}",
                path.display()
            );
        }
    }
}

#[test]
fn accesses_at_the_last_bytes_of_ram_work() {
    let elf = program(
        "ram_end",
        "    li a1, 0xbffffff8\n    li a2, 0x1122334455667788\n    sd a2, 0(a1)\n\
         \x20   li a3, 0x99\n    sb a3, 7(a1)\n    ld a4, 0(a1)\n    lbu a5, 7(a1)\n\
         \x20   lhu a6, 6(a1)\n    li t0, 0xA0010000\n    sw a4, 0(t0)\n    srli a4, a4, 32\n\
         \x20   sw a4, 4(t0)\n    sw a5, 8(t0)\n    sw a6, 12(t0)",
        "",
    );
    let opts = RunOptions {
        trace: true,
        chunk_size: 5,
        ..RunOptions::default()
    };
    let r = run_vm(&elf, b"", &opts).expect("the last bytes of RAM are usable");
    assert_eq!(&r.outputs[..4], &[0x5566_7788, 0x9922_3344, 0x99, 0x9922]);
    let rom = transpile_elf(&elf).expect("transpile");
    let emu = Emulator::new(&rom);
    for chunk in &r.chunks {
        emu.replay_chunk(chunk, &mut zisk_vm::NoObserver)
            .expect("replay");
    }
    // One byte further is outside.
    let elf = program(
        "ram_end_cross",
        "    li a1, 0xbffffffe\nfault:\n    sw a2, 0(a1)",
        "",
    );
    let pc = symbol(&elf, "fault");
    assert_eq!(
        run_err(&elf),
        EmuError::BadWrite {
            addr: 0xbfff_fffe,
            width: 4,
            pc
        }
    );
}
