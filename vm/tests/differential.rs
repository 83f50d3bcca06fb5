//! Differential test against qemu-riscv64: seeded random straight-line RV64IMAC sequences (ALU,
//! M, loads/stores at any alignment, AMOs, LR/SC, compressed instructions, forward jumps and
//! branches) run in the ZisK emulator and under QEMU; every register and a checksum of the
//! scratch buffer after every sequence must match.
//!
//! `ZISK_DIFF_CASES` sets the number of sequences (default 3000), `ZISK_DIFF_SEED` the base
//! seed and `ZISK_DIFF_LEN` the instructions per sequence (default 40).

#[allow(dead_code)]
mod common;

use common::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::fmt::Write as _;
use std::path::Path;
use zisk_vm::{transpile_elf, Emulator, NoObserver, RunOptions};

/// Sequences per assembled program.
const SEQS_PER_PROGRAM: usize = 50;
/// Scratch buffer size; `sp` points at its start and `s0` at its middle.
const BUF_SIZE: usize = 4096;
/// Bytes of dump per sequence: 32 u64 slots (x0 → 0, x2 → buffer checksum, x8 → 0).
const DUMP_SIZE: usize = 256;
/// Registers a sequence may write: all but x0, sp (x2) and s0 (x8), the buffer pointers.
const FREE: [u32; 29] = [
    1, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
    28, 29, 30, 31,
];
/// Free registers a compressed instruction can name as rd'/rs1' (x8..x15 without s0).
const CFREE: [u32; 7] = [9, 10, 11, 12, 13, 14, 15];

const EDGES: [u64; 16] = [
    0,
    1,
    2,
    u64::MAX,
    u64::MAX - 1,
    i64::MIN as u64,
    i64::MAX as u64,
    0x8000_0000,
    0x7fff_ffff,
    0xffff_ffff,
    0xffff_ffff_8000_0000,
    0x1_0000_0000,
    31,
    32,
    63,
    64,
];

const RR: [&str; 29] = [
    "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and", "addw", "subw", "sllw",
    "srlw", "sraw", "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "mulw", "divw",
    "divuw", "remw", "remuw", "mul",
];
const RI: [&str; 7] = ["addi", "slti", "sltiu", "xori", "ori", "andi", "addiw"];
const SHIFT_I: [(&str, i64); 6] = [
    ("slli", 63),
    ("srli", 63),
    ("srai", 63),
    ("slliw", 31),
    ("srliw", 31),
    ("sraiw", 31),
];
const LOADS: [(&str, i64); 7] = [
    ("lb", 1),
    ("lh", 2),
    ("lw", 4),
    ("ld", 8),
    ("lbu", 1),
    ("lhu", 2),
    ("lwu", 4),
];
const STORES: [(&str, i64); 4] = [("sb", 1), ("sh", 2), ("sw", 4), ("sd", 8)];
const AMOS: [&str; 9] = [
    "amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax", "amominu", "amomaxu",
];
const BRANCHES: [&str; 6] = ["beq", "bne", "blt", "bge", "bltu", "bgeu"];

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a valid number")),
        Err(_) => default,
    }
}

/// Generates the random program text.
struct Gen {
    rng: StdRng,
    labels: usize,
}

impl Gen {
    fn value(&mut self) -> u64 {
        let r = &mut self.rng;
        match r.gen_range(0..8) {
            0 | 1 => r.gen(),
            2 => *EDGES.choose(r).expect("non-empty"),
            3 => r.gen_range(0..70),
            4 => r.gen::<i32>() as i64 as u64,
            5 => r.gen::<u32>() as u64,
            6 => (-r.gen_range(1..300i64)) as u64,
            _ => r.gen::<u64>() >> r.gen_range(0..64),
        }
    }

    fn free(&mut self) -> u32 {
        *FREE.choose(&mut self.rng).expect("non-empty")
    }

    /// A destination: usually a free register, sometimes x0.
    fn dst(&mut self) -> u32 {
        if self.rng.gen_range(0..20) == 0 {
            0
        } else {
            self.free()
        }
    }

    /// A source: any register.
    fn src(&mut self) -> u32 {
        self.rng.gen_range(0..32)
    }

    fn cfree(&mut self) -> u32 {
        *CFREE.choose(&mut self.rng).expect("non-empty")
    }

    fn imm12(&mut self) -> i64 {
        match self.rng.gen_range(0..6) {
            0 => *[-2048, 2047, -1, 0, 1]
                .choose(&mut self.rng)
                .expect("non-empty"),
            1 => self.rng.gen_range(-16..16),
            _ => self.rng.gen_range(-2048..2048),
        }
    }

    fn shamt(&mut self, max: i64) -> i64 {
        if self.rng.gen_bool(0.3) {
            *[0, 1, max / 2, max / 2 + 1, max]
                .choose(&mut self.rng)
                .expect("non-empty")
        } else {
            self.rng.gen_range(0..=max)
        }
    }

    fn label(&mut self) -> String {
        self.labels += 1;
        format!(".Lt{}", self.labels)
    }

    /// `(base, offset)` of a `width`-byte access inside the buffer, at any alignment unless
    /// `align` is set.
    fn mem_operand(&mut self, width: i64, align: bool) -> (&'static str, i64) {
        let (base, lo, hi) = if self.rng.gen_bool(0.5) {
            ("sp", 0, 2047)
        } else {
            ("s0", -2048, (2048 - width).min(2047))
        };
        let mut off = self.rng.gen_range(lo..=hi);
        if align {
            off &= !(width - 1);
        }
        (base, off)
    }

    /// One non-control-flow instruction (possibly a short fixed sequence).
    fn plain(&mut self, out: &mut String) {
        let kind = self.rng.gen_range(0..100);
        match kind {
            0..=24 => {
                let op = *RR.choose(&mut self.rng).expect("non-empty");
                let (d, a, b) = (self.dst(), self.src(), self.src());
                let b = if self.rng.gen_range(0..8) == 0 { a } else { b };
                writeln!(out, "    {op} x{d}, x{a}, x{b}").expect("write");
            }
            25..=36 => {
                let op = *RI.choose(&mut self.rng).expect("non-empty");
                let (d, a, imm) = (self.dst(), self.src(), self.imm12());
                writeln!(out, "    {op} x{d}, x{a}, {imm}").expect("write");
            }
            37..=43 => {
                let (op, max) = *SHIFT_I.choose(&mut self.rng).expect("non-empty");
                let (d, a, sh) = (self.dst(), self.src(), self.shamt(max));
                writeln!(out, "    {op} x{d}, x{a}, {sh}").expect("write");
            }
            44..=46 => {
                let d = self.dst();
                let imm = if self.rng.gen_bool(0.3) {
                    *[0, 0x7ffff, 0x80000, 0xfffff]
                        .choose(&mut self.rng)
                        .expect("non-empty")
                } else {
                    self.rng.gen_range(0..0x100000)
                };
                let op = if self.rng.gen_bool(0.7) {
                    "lui"
                } else {
                    "auipc"
                };
                writeln!(out, "    {op} x{d}, {imm:#x}").expect("write");
            }
            47..=58 => {
                let (op, w) = *LOADS.choose(&mut self.rng).expect("non-empty");
                let d = self.dst();
                let align = self.rng.gen_bool(0.3);
                let (base, off) = self.mem_operand(w, align);
                writeln!(out, "    {op} x{d}, {off}({base})").expect("write");
            }
            59..=68 => {
                let (op, w) = *STORES.choose(&mut self.rng).expect("non-empty");
                let s = self.src();
                let align = self.rng.gen_bool(0.3);
                let (base, off) = self.mem_operand(w, align);
                writeln!(out, "    {op} x{s}, {off}({base})").expect("write");
            }
            69..=74 => {
                let op = *AMOS.choose(&mut self.rng).expect("non-empty");
                let double = self.rng.gen_bool(0.5);
                let w = if double { 8 } else { 4 };
                let t = self.free();
                let off = self.rng.gen_range(0..2048 / w) * w;
                // rd and rs2 may alias the address register or each other.
                let d = match self.rng.gen_range(0..6) {
                    0 => t,
                    1 => 0,
                    _ => self.free(),
                };
                let s = if self.rng.gen_range(0..6) == 0 {
                    t
                } else {
                    self.src()
                };
                let sfx = if double { "d" } else { "w" };
                writeln!(out, "    addi x{t}, sp, {off}").expect("write");
                writeln!(out, "    {op}.{sfx} x{d}, x{s}, (x{t})").expect("write");
            }
            75..=76 => {
                let double = self.rng.gen_bool(0.5);
                let w = if double { 8 } else { 4 };
                let t = self.free();
                let off = self.rng.gen_range(0..2048 / w) * w - 2048;
                let d = loop {
                    let d = self.dst();
                    if d != t {
                        break d;
                    }
                };
                let (d2, s) = (self.dst(), self.src());
                let sfx = if double { "d" } else { "w" };
                writeln!(out, "    addi x{t}, s0, {off}").expect("write");
                writeln!(out, "    lr.{sfx} x{d}, (x{t})").expect("write");
                writeln!(out, "    sc.{sfx} x{d2}, x{s}, (x{t})").expect("write");
            }
            _ => self.compressed(out),
        }
    }

    fn compressed(&mut self, out: &mut String) {
        let nz6 = |g: &mut Self| loop {
            let v = g.rng.gen_range(-32..32);
            if v != 0 {
                break v;
            }
        };
        let text = match self.rng.gen_range(0..17) {
            0 => format!("c.addi x{}, {}", self.free(), nz6(self)),
            1 => format!("c.addiw x{}, {}", self.free(), self.rng.gen_range(-32..32)),
            2 => format!("c.li x{}, {}", self.free(), self.rng.gen_range(-32..32)),
            3 => {
                let d = self.free();
                let imm = if self.rng.gen_bool(0.5) {
                    self.rng.gen_range(1..32)
                } else {
                    self.rng.gen_range(0xfffe0..0x100000)
                };
                format!("c.lui x{d}, {imm:#x}")
            }
            4 => {
                let op = ["c.srli", "c.srai"][self.rng.gen_range(0..2)];
                format!("{op} x{}, {}", self.cfree(), self.rng.gen_range(1..64))
            }
            5 => format!("c.andi x{}, {}", self.cfree(), self.rng.gen_range(-32..32)),
            6 => {
                let op = *["c.sub", "c.xor", "c.or", "c.and", "c.subw", "c.addw"]
                    .choose(&mut self.rng)
                    .expect("non-empty");
                let s = self.rng.gen_range(8..16);
                format!("{op} x{}, x{s}", self.cfree())
            }
            7 => format!("c.slli x{}, {}", self.free(), self.rng.gen_range(1..64)),
            8 => format!("c.mv x{}, x{}", self.free(), self.rng.gen_range(1..32)),
            9 => format!("c.add x{}, x{}", self.free(), self.rng.gen_range(1..32)),
            10 => format!(
                "c.addi4spn x{}, sp, {}",
                self.cfree(),
                self.rng.gen_range(1..256) * 4
            ),
            11 => format!(
                "c.lw x{}, {}(s0)",
                self.cfree(),
                self.rng.gen_range(0..32) * 4
            ),
            12 => format!(
                "c.ld x{}, {}(s0)",
                self.cfree(),
                self.rng.gen_range(0..32) * 8
            ),
            13 => {
                let op = ["c.sw", "c.sd"][self.rng.gen_range(0..2)];
                let w = if op == "c.sw" { 4 } else { 8 };
                let s = self.rng.gen_range(8..16);
                format!("{op} x{s}, {}(s0)", self.rng.gen_range(0..32) * w)
            }
            14 => format!(
                "c.lwsp x{}, {}(sp)",
                self.free(),
                self.rng.gen_range(0..64) * 4
            ),
            15 => format!(
                "c.ldsp x{}, {}(sp)",
                self.free(),
                self.rng.gen_range(0..64) * 8
            ),
            _ => {
                let op = ["c.swsp", "c.sdsp"][self.rng.gen_range(0..2)];
                let w = if op == "c.swsp" { 4 } else { 8 };
                let s = self.rng.gen_range(1..32);
                format!("{op} x{s}, {}(sp)", self.rng.gen_range(0..64) * w)
            }
        };
        writeln!(
            out,
            "    .option push\n    .option rvc\n    {text}\n    .option pop"
        )
        .expect("write");
    }

    /// A forward jump or branch over one to three plain instructions.
    fn jump(&mut self, out: &mut String) {
        let target = self.label();
        let insn = match self.rng.gen_range(0..10) {
            0..=4 => {
                let op = *BRANCHES.choose(&mut self.rng).expect("non-empty");
                let (a, b) = (self.src(), self.src());
                format!("{op} x{a}, x{b}, {target}")
            }
            5 => {
                let op = ["c.beqz", "c.bnez"][self.rng.gen_range(0..2)];
                let r = self.rng.gen_range(8..16);
                format!(".option push\n    .option rvc\n    {op} x{r}, {target}\n    .option pop")
            }
            6 => format!(".option push\n    .option rvc\n    c.j {target}\n    .option pop"),
            7 => format!("jal x{}, {target}", self.dst()),
            _ => {
                // jalr through a register holding the target (minus an odd bias).
                let t = self.free();
                let d = if self.rng.gen_bool(0.3) {
                    t
                } else {
                    self.dst()
                };
                let bias = *[0i64, 1, 3, -1, 2]
                    .choose(&mut self.rng)
                    .expect("non-empty");
                format!("la x{t}, {target} - ({bias})\n    jalr x{d}, {bias}(x{t})")
            }
        };
        writeln!(out, "    {insn}").expect("write");
        for _ in 0..self.rng.gen_range(1..=3) {
            self.plain(out);
        }
        writeln!(out, "{target}:").expect("write");
    }

    /// One sequence: register initialisation, `len` random instructions, the dump.
    fn sequence(&mut self, index: usize, len: usize) -> String {
        let mut out = String::new();
        let rvc = if self.rng.gen_bool(0.5) {
            "rvc"
        } else {
            "norvc"
        };
        writeln!(out, "    .option {rvc}").expect("write");
        for r in FREE {
            let v = self.value();
            writeln!(out, "    li x{r}, {:#x}", v).expect("write");
        }
        let mut n = 0;
        while n < len {
            if self.rng.gen_range(0..12) == 0 {
                self.jump(&mut out);
                n += 3;
            } else {
                self.plain(&mut out);
                n += 1;
            }
        }
        writeln!(out, "    .option norvc").expect("write");
        dump(&mut out, index);
        out
    }
}

/// Stores x1..x31 (but x2, x8) and a checksum of the buffer into dump slot `index`.
fn dump(out: &mut String, index: usize) {
    writeln!(
        out,
        "    sd x1, -8(sp)\n    la x1, dump + {}",
        index * DUMP_SIZE
    )
    .expect("write");
    for r in FREE.iter().filter(|&&r| r != 1) {
        writeln!(out, "    sd x{r}, {}(x1)", r * 8).expect("write");
    }
    out.push_str(
        "    ld x3, -8(sp)
    sd x3, 8(x1)
    mv x3, sp
    addi x4, sp, 2047
    addi x4, x4, 2047
    addi x4, x4, 2
    li x5, 0
1:  ld x6, 0(x3)
    slli x7, x5, 5
    sub x5, x7, x5
    add x5, x5, x6
    addi x3, x3, 8
    bne x3, x4, 1b
    sd x5, 16(x1)
",
    );
}

/// One assembled program: its text and the text of each sequence (for reports).
struct Program {
    text: String,
    sequences: Vec<String>,
}

fn generate(seed: u64, count: usize, len: usize) -> Program {
    let mut g = Gen {
        rng: StdRng::seed_from_u64(seed),
        labels: 0,
    };
    let mut text = String::from(
        "    .section .text.init, \"ax\", @progbits\n    .globl _start\n_start:\n    .option norvc\n\
         \x20   la sp, buf\n    la s0, buf + 2048\n",
    );
    let mut sequences = Vec::new();
    for i in 0..count {
        let s = g.sequence(i, len);
        writeln!(text, "seq_{i}:").expect("write");
        text.push_str(&s);
        sequences.push(s);
    }
    // Report: the dump area goes to the console (VM) or stdout (Linux); the code differs only
    // after every sequence, so both builds have the same addresses.
    let dump_len = count * DUMP_SIZE;
    writeln!(
        text,
        "report:
#ifdef QEMU
    li a0, 1
    la a1, dump
    li a2, {dump_len}
    li a7, 64
    ecall
    li a0, 0
#else
    la x5, dump
    la x6, dump + {dump_len}
    li x7, 0xA0000200
1:  lbu x9, 0(x5)
    sb x9, 0(x7)
    addi x5, x5, 1
    bne x5, x6, 1b
#endif
    li a7, 93
    ecall
    .data
    .balign 16
    .skip 16
buf:"
    )
    .expect("write");
    let bytes: Vec<u8> = (0..BUF_SIZE).map(|_| g.rng.gen()).collect();
    for chunk in bytes.chunks(32) {
        let list: Vec<String> = chunk.iter().map(|b| format!("{b:#04x}")).collect();
        writeln!(text, "    .byte {}", list.join(", ")).expect("write");
    }
    writeln!(
        text,
        "    .bss\n    .balign 16\ndump:\n    .skip {dump_len}"
    )
    .expect("write");
    Program { text, sequences }
}

const REG_NAMES: [&str; 32] = [
    "zero",
    "ra",
    "sp (buffer checksum)",
    "gp",
    "tp",
    "t0",
    "t1",
    "t2",
    "s0",
    "s1",
    "a0",
    "a1",
    "a2",
    "a3",
    "a4",
    "a5",
    "a6",
    "a7",
    "s2",
    "s3",
    "s4",
    "s5",
    "s6",
    "s7",
    "s8",
    "s9",
    "s10",
    "s11",
    "t3",
    "t4",
    "t5",
    "t6",
];

/// Builds and runs one program in both emulators; returns an error report on a mismatch.
fn check_program(dir: &Path, seed: u64, count: usize, len: usize) -> Result<usize, String> {
    let prog = generate(seed, count, len);
    let name = format!("diff-{seed:#x}");
    let src = dir.join(format!("{name}.S"));
    std::fs::write(&src, &prog.text).expect("write program");
    let vm_elf = assemble(&src, &dir.join(format!("{name}.elf")), &[]);
    let q_path = dir.join(format!("{name}.qemu.elf"));
    assemble(&src, &q_path, &["-DQEMU"]);

    let rom = transpile_elf(&vm_elf).map_err(|e| format!("seed {seed:#x}: transpile: {e}"))?;
    let emu = Emulator::new(&rom);
    let console = Console::default();
    let result = emu
        .run(b"", &RunOptions::default(), Box::new(console.clone()))
        .map_err(|e| {
            format!(
                "seed {seed:#x}: emulator error {e} (program {})",
                src.display()
            )
        })?;
    let vm_out = console.contents();
    let q_out = run_qemu(&q_path);

    if vm_out != q_out {
        let expected_len = count * DUMP_SIZE;
        if vm_out.len() != expected_len || q_out.len() != expected_len {
            return Err(format!(
                "seed {seed:#x}: output sizes differ: emulator {} bytes, qemu {} bytes, expected {expected_len} (program {})",
                vm_out.len(),
                q_out.len(),
                src.display()
            ));
        }
        let word = |b: &[u8], i: usize| {
            u64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().expect("8 bytes"))
        };
        let first = (0..count * 32)
            .find(|&i| word(&vm_out, i) != word(&q_out, i))
            .expect("outputs differ somewhere");
        let (seq, reg) = (first / 32, first % 32);
        let mut report = format!(
            "seed {seed:#x}: sequence {seq}: {} (x{reg}) differs: emulator {:#018x}, qemu {:#018x}\n",
            REG_NAMES[reg],
            word(&vm_out, first),
            word(&q_out, first)
        );
        for r in 0..32 {
            let (a, b) = (word(&vm_out, seq * 32 + r), word(&q_out, seq * 32 + r));
            if a != b {
                writeln!(report, "  x{r:<2} emulator {a:#018x} qemu {b:#018x}").expect("write");
            }
        }
        writeln!(
            report,
            "program: {} (label seq_{seq}); sequence text:\n{}",
            src.display(),
            prog.sequences[seq]
        )
        .expect("write");
        return Err(report);
    }

    // Trace mode: same outputs, and the chunks replay.
    let traced = emu
        .run(
            b"",
            &RunOptions {
                trace: true,
                chunk_size: 4099,
                ..RunOptions::default()
            },
            Box::new(std::io::sink()),
        )
        .map_err(|e| format!("seed {seed:#x}: trace-mode error {e}"))?;
    if traced.steps != result.steps {
        return Err(format!(
            "seed {seed:#x}: trace mode ran {} steps, fast mode {}",
            traced.steps, result.steps
        ));
    }
    for (i, chunk) in traced.chunks.iter().enumerate() {
        let end = emu
            .replay_chunk(chunk, &mut NoObserver)
            .map_err(|e| format!("seed {seed:#x}: replay of chunk {i}: {e}"))?;
        if let Some(next) = traced.chunks.get(i + 1) {
            if end != next.start {
                return Err(format!(
                    "seed {seed:#x}: replay of chunk {i} ends in a different state"
                ));
            }
        }
    }
    std::fs::remove_file(&src).ok();
    Ok(count * len)
}

#[test]
fn random_programs_match_qemu() {
    let cases: usize = env_or("ZISK_DIFF_CASES", 3000);
    let base_seed: u64 = env_or("ZISK_DIFF_SEED", 0x5a15_0001);
    let len: usize = env_or("ZISK_DIFF_LEN", 40);
    // Fail early, with the install hint, when a tool is missing.
    gcc();
    qemu();
    let dir = scratch_dir("differential");
    let programs = cases.div_ceil(SEQS_PER_PROGRAM);
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(programs.max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    let instructions = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let p = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if p >= programs || !failures.lock().expect("lock").is_empty() {
                    break;
                }
                let count = SEQS_PER_PROGRAM.min(cases - p * SEQS_PER_PROGRAM);
                match check_program(&dir, base_seed + p as u64, count, len) {
                    Ok(n) => {
                        instructions.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                    }
                    Err(report) => failures.lock().expect("lock").push(report),
                }
            });
        }
    });
    let failures = failures.into_inner().expect("lock");
    assert!(
        failures.is_empty(),
        "emulator and qemu-riscv64 disagree (rerun with ZISK_DIFF_SEED=<seed> ZISK_DIFF_CASES={SEQS_PER_PROGRAM}):\n{}",
        failures.join("\n")
    );
    println!(
        "{} random instructions in {cases} sequences matched qemu",
        instructions.into_inner()
    );
}
