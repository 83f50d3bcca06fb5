//! The precompiles in the emulator: generated guest programs call each one with `csrs` on seeded
//! random and edge-case operands, print the results to the console, and the bytes are compared
//! with independent host references (tiny-keccak, sha2, num-bigint, k256). Every program is also
//! run in trace mode and each chunk of its minimal trace replayed; the error cases (zero modulus,
//! equal x, y = 0, unaligned pointers, writes to read-only data) stop with the pc of the call.

#[allow(dead_code)]
mod common;

use common::*;
use elf::endian::AnyEndian;
use elf::ElfBytes;
use k256::elliptic_curve::sec1::ToEncodedPoint;
use k256::{ProjectivePoint, Scalar};
use num_bigint::BigUint;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::fmt::Write;
use zisk_precompiles::PrecompileError;
use zisk_vm::stats::Stats;
use zisk_vm::{transpile_elf, EmuError, EmuState, Emulator, ExecInst, Observer, RunOptions};

type U256 = [u64; 4];

/// secp256k1's field modulus.
const P: U256 = [
    0xFFFF_FFFE_FFFF_FC2F,
    0xFFFF_FFFF_FFFF_FFFF,
    0xFFFF_FFFF_FFFF_FFFF,
    0xFFFF_FFFF_FFFF_FFFF,
];

/// One precompile call and its operands.
#[derive(Clone, Debug)]
enum Call {
    Keccak([u64; 25]),
    Sha256([u64; 4], [u64; 8]),
    /// a, b, c, and whether dl/dh alias a/b.
    Arith256(U256, U256, U256, bool),
    ArithMod(U256, U256, U256, U256),
    SecpAdd([u64; 8], [u64; 8]),
    SecpDbl([u64; 8]),
}

fn dwords(words: &[u64]) -> String {
    let list: Vec<String> = words.iter().map(|w| format!("{w:#x}")).collect();
    format!("    .dword {}\n", list.join(", "))
}

/// Emits the call `i` (code) and its operands (data); the code prints the result words.
fn emit(i: usize, call: &Call, code: &mut String, data: &mut String) {
    let label = |name: &str| format!("c{i}_{name}");
    let mut block = |name: &str, words: &[u64]| {
        let _ = write!(data, "    .balign 8\n{}:\n{}", label(name), dwords(words));
    };
    let pointers = |names: &[&str]| {
        let list: Vec<String> = names.iter().map(|n| label(n)).collect();
        format!("{}:\n    .dword {}\n", label("p"), list.join(", "))
    };
    // (CSR, what a0 points to, the pointer block, the (label, words) printed afterwards)
    let (csr, arg, params, prints) = match call {
        Call::Keccak(s) => {
            block("s", s);
            (0x800, "s", None, vec![("s", 25)])
        }
        Call::Sha256(s, x) => {
            block("s", s);
            block("x", x);
            (0x805, "p", Some(pointers(&["s", "x"])), vec![("s", 4)])
        }
        Call::Arith256(a, b, c, alias) => {
            block("a", a);
            block("b", b);
            block("c", c);
            block("dl", &[0; 4]);
            block("dh", &[0; 4]);
            let (dl, dh) = if *alias { ("a", "b") } else { ("dl", "dh") };
            let params = pointers(&["a", "b", "c", dl, dh]);
            (0x801, "p", Some(params), vec![(dl, 4), (dh, 4)])
        }
        Call::ArithMod(a, b, c, m) => {
            block("a", a);
            block("b", b);
            block("c", c);
            block("m", m);
            block("d", &[0; 4]);
            let params = pointers(&["a", "b", "c", "m", "d"]);
            (0x802, "p", Some(params), vec![("d", 4)])
        }
        Call::SecpAdd(p1, p2) => {
            block("p1", p1);
            block("p2", p2);
            (0x803, "p", Some(pointers(&["p1", "p2"])), vec![("p1", 8)])
        }
        Call::SecpDbl(pt) => {
            block("pt", pt);
            (0x804, "pt", None, vec![("pt", 8)])
        }
    };
    if let Some(params) = params {
        let _ = write!(data, "    .balign 8\n{params}");
    }
    let _ = writeln!(
        code,
        "    la a0, {}\n{}:\n    csrs {csr:#x}, a0",
        label(arg),
        label("call")
    );
    for (name, n) in prints {
        let _ = writeln!(
            code,
            "    la a0, {}\n    li a1, {n}\n    call dump",
            label(name)
        );
    }
}

/// A guest that performs `calls` in order, printing every result as little-endian bytes.
fn program(calls: &[Call]) -> String {
    let mut code = String::new();
    let mut data = String::new();
    for (i, call) in calls.iter().enumerate() {
        let mut this = String::new();
        emit(i, call, &mut this, &mut data);
        code.push_str(&this);
    }
    format!(
        "    .option norvc
    .section .text.init, \"ax\", @progbits
    .globl _start
_start:
    la sp, stack_top
{code}
    li a7, 93
    ecall
# dump(a0 = words, a1 = count): each word's 8 bytes, little-endian, to the UART
dump:
    li t0, 0xA0000200
1:  beqz a1, 3f
    ld t1, 0(a0)
    li t2, 8
2:  sb t1, 0(t0)
    srli t1, t1, 8
    addi t2, t2, -1
    bnez t2, 2b
    addi a0, a0, 8
    addi a1, a1, -1
    j 1b
3:  ret
    .section .data
{data}
    .balign 16
    .space 256
stack_top:
"
    )
}

fn big(x: &[u64]) -> BigUint {
    let bytes: Vec<u8> = x.iter().flat_map(|l| l.to_le_bytes()).collect();
    BigUint::from_bytes_le(&bytes)
}

fn limbs(x: &BigUint) -> U256 {
    let mut bytes = x.to_bytes_le();
    bytes.resize(32, 0);
    std::array::from_fn(|i| u64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().unwrap()))
}

fn point(p: &ProjectivePoint) -> [u64; 8] {
    let enc = p.to_affine().to_encoded_point(false);
    let b = enc.as_bytes();
    let mut r = [0u64; 8];
    for k in 0..4 {
        r[3 - k] = u64::from_be_bytes(b[1 + 8 * k..9 + 8 * k].try_into().unwrap());
        r[7 - k] = u64::from_be_bytes(b[33 + 8 * k..41 + 8 * k].try_into().unwrap());
    }
    r
}

fn scalar(rng: &mut StdRng) -> Scalar {
    Scalar::from(rng.gen::<u64>()) * Scalar::from(rng.gen::<u64>()) + Scalar::from(rng.gen::<u64>())
}

/// The result words of `call`, computed with the reference crates.
fn reference(call: &Call) -> Vec<u64> {
    match call {
        Call::Keccak(s) => {
            let mut s = *s;
            tiny_keccak::keccakf(&mut s);
            s.to_vec()
        }
        Call::Sha256(s, x) => {
            let mut h: [u32; 8] = std::array::from_fn(|i| (s[i / 2] >> (32 * (i % 2))) as u32);
            let block: Vec<u8> = x.iter().flat_map(|w| w.to_be_bytes()).collect();
            let block = sha2::digest::generic_array::GenericArray::clone_from_slice(&block);
            sha2::compress256(&mut h, &[block]);
            (0..4)
                .map(|i| h[2 * i] as u64 | (h[2 * i + 1] as u64) << 32)
                .collect()
        }
        Call::Arith256(a, b, c, _) => {
            let full = big(a) * big(b) + big(c);
            let mut out = limbs(&(&full % (BigUint::from(1u8) << 256))).to_vec();
            out.extend(limbs(&(full >> 256)));
            out
        }
        Call::ArithMod(a, b, c, m) => limbs(&((big(a) * big(b) + big(c)) % big(m))).to_vec(),
        Call::SecpAdd(..) | Call::SecpDbl(..) => unreachable!("points carry their expected sums"),
    }
}

/// Operands with edge shapes: zero, all ones, p - 1, p, single limbs, carries across limbs.
fn edgy(rng: &mut StdRng) -> U256 {
    let p = big(&P);
    match rng.gen_range(0..8) {
        0 => [0; 4],
        1 => [u64::MAX; 4],
        2 => limbs(&(&p - 1u8)),
        3 => P,
        4 => [u64::MAX, u64::MAX, 0, 0],
        5 => [0, 0, 0, rng.gen()],
        _ => rng.gen(),
    }
}

#[derive(Default)]
struct Checksum {
    steps: u64,
    sum: u64,
}

impl Observer for Checksum {
    fn on_step(&mut self, inst: &ExecInst, a: u64, b: u64, c: u64, flag: bool, regs: &[u64; 32]) {
        self.steps += 1;
        self.sum = self.sum.rotate_left(7)
            ^ inst.pc
            ^ a.wrapping_mul(3)
            ^ b.wrapping_mul(5)
            ^ c
            ^ flag as u64
            ^ regs[10].wrapping_mul(11);
    }
}

/// Runs the program for `calls` and checks its console against `expected`; then runs it in trace
/// mode with small chunks and replays every chunk.
fn check(name: &str, calls: &[Call], expected: &[Vec<u64>]) {
    let dir = scratch_dir(name);
    let (_, elf) = assemble_text(&dir, name, &program(calls), &[]);
    let (result, console) = run_vm_console(&elf, b"", &RunOptions::default());
    let result = result.unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut offset = 0;
    for (i, (call, want)) in calls.iter().zip(expected).enumerate() {
        let got: Vec<u64> = console[offset..offset + 8 * want.len()]
            .chunks(8)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap()))
            .collect();
        assert_eq!(&got, want, "{name}: call {i} {call:x?}");
        offset += 8 * want.len();
    }
    assert_eq!(offset, console.len(), "{name}: console length");

    let rom = transpile_elf(&elf).unwrap();
    let emu = Emulator::new(&rom);
    for chunk_size in [3, 17, 1 << 10] {
        let opts = RunOptions {
            trace: true,
            chunk_size,
            ..RunOptions::default()
        };
        let mut full = Checksum::default();
        let traced = emu
            .run_observed(b"", &opts, Box::new(std::io::sink()), &mut full)
            .unwrap();
        assert_eq!(traced.steps, result.steps);
        let mut replayed = Checksum::default();
        let mut prev: Option<EmuState> = None;
        for (k, chunk) in traced.chunks.iter().enumerate() {
            if let Some(p) = &prev {
                assert_eq!(p, &chunk.start, "{name}: chunk {k} start");
            }
            prev = Some(
                emu.replay_chunk(chunk, &mut replayed)
                    .unwrap_or_else(|e| panic!("{name}: replay of chunk {k}: {e}")),
            );
        }
        assert_eq!(replayed.steps, full.steps);
        assert_eq!(replayed.sum, full.sum, "{name}: replay saw other operands");
    }
}

fn check_with_references(name: &str, calls: Vec<Call>) {
    let expected: Vec<Vec<u64>> = calls.iter().map(reference).collect();
    check(name, &calls, &expected);
}

#[test]
fn keccak_in_the_emulator() {
    let mut rng = StdRng::seed_from_u64(11);
    let mut calls = vec![Call::Keccak([0; 25]), Call::Keccak([u64::MAX; 25])];
    calls.extend((0..30).map(|_| Call::Keccak(rng.gen())));
    check_with_references("keccak", calls);
}

#[test]
fn sha256_in_the_emulator() {
    let mut rng = StdRng::seed_from_u64(12);
    let mut calls = vec![
        Call::Sha256([0; 4], [0; 8]),
        Call::Sha256([u64::MAX; 4], [u64::MAX; 8]),
    ];
    calls.extend((0..30).map(|_| Call::Sha256(rng.gen(), rng.gen())));
    check_with_references("sha256", calls);
}

#[test]
fn arith256_in_the_emulator() {
    let mut rng = StdRng::seed_from_u64(13);
    let max = [u64::MAX; 4];
    let mut calls = vec![
        Call::Arith256([0; 4], [0; 4], [0; 4], false),
        Call::Arith256(max, max, max, false),
        Call::Arith256([u64::MAX, 0, 0, 0], [u64::MAX, 0, 0, 0], max, false),
        Call::Arith256(rng.gen(), rng.gen(), rng.gen(), true),
    ];
    calls.extend(
        (0..40).map(|i| Call::Arith256(edgy(&mut rng), edgy(&mut rng), edgy(&mut rng), i % 9 == 0)),
    );
    check_with_references("arith256", calls);
}

#[test]
fn arith256_mod_in_the_emulator() {
    let mut rng = StdRng::seed_from_u64(14);
    let max = [u64::MAX; 4];
    let mut calls = vec![
        Call::ArithMod(P, P, P, P),
        Call::ArithMod(max, max, max, max),
        Call::ArithMod(max, max, max, [1, 0, 0, 0]),
        Call::ArithMod(max, max, max, [0, 0, 0, 1]),
        Call::ArithMod(limbs(&(big(&P) - 1u8)), limbs(&(big(&P) - 1u8)), [0; 4], P),
    ];
    calls.extend((0..40).map(|_| {
        let m = loop {
            let m = edgy(&mut rng);
            if m != [0; 4] {
                break m;
            }
        };
        Call::ArithMod(edgy(&mut rng), edgy(&mut rng), edgy(&mut rng), m)
    }));
    check_with_references("arith256_mod", calls);
}

#[test]
fn secp256k1_in_the_emulator() {
    let mut rng = StdRng::seed_from_u64(15);
    let g = ProjectivePoint::GENERATOR;
    let mut calls = vec![
        Call::SecpDbl(point(&g)),
        Call::SecpAdd(point(&g), point(&g.double())),
    ];
    let mut expected = vec![
        point(&g.double()).to_vec(),
        point(&(g + g.double())).to_vec(),
    ];
    for _ in 0..20 {
        let p = g * scalar(&mut rng);
        let q = g * scalar(&mut rng);
        calls.push(Call::SecpAdd(point(&p), point(&q)));
        expected.push(point(&(p + q)).to_vec());
        calls.push(Call::SecpDbl(point(&p)));
        expected.push(point(&p.double()).to_vec());
        calls.push(Call::SecpAdd(point(&p), point(&-q)));
        expected.push(point(&(p - q)).to_vec());
    }
    check("secp256k1", &calls, &expected);
}

/// Address of symbol `name` in `elf`.
fn symbol(elf: &[u8], name: &str) -> u64 {
    let file = ElfBytes::<AnyEndian>::minimal_parse(elf).unwrap();
    let (symtab, strtab) = file.symbol_table().unwrap().unwrap();
    symtab
        .iter()
        .find(|s| strtab.get(s.st_name as usize).ok() == Some(name))
        .unwrap_or_else(|| panic!("symbol {name} not found"))
        .st_value
}

/// Runs `calls`, which must fail at the call `c{index}_call`, in fast and trace mode.
fn run_failing(name: &str, text: &str) -> (EmuError, Vec<u8>) {
    let dir = scratch_dir(name);
    let (_, elf) = assemble_text(&dir, name, text, &[]);
    let fast = run_vm(&elf, b"", &RunOptions::default()).expect_err("the call must fail");
    let traced = run_vm(
        &elf,
        b"",
        &RunOptions {
            trace: true,
            chunk_size: 5,
            ..RunOptions::default()
        },
    )
    .expect_err("the call must fail in trace mode");
    assert_eq!(fast, traced, "{name}: fast and trace mode disagree");
    (fast, elf)
}

fn expect_precompile_error(name: &str, call: Call, op: u8, source: PrecompileError) {
    let text = program(&[call]);
    let (err, elf) = run_failing(name, &text);
    let pc = symbol(&elf, "c0_call");
    assert_eq!(err, EmuError::Precompile { op, pc, source }, "{name}");
    let msg = err.to_string();
    let op_name = zisk_vm::ops::op_name(op);
    assert!(
        msg.contains(op_name) && msg.contains(&format!("{pc:#x}")),
        "{msg}"
    );
}

#[test]
fn zero_modulus_is_an_error() {
    expect_precompile_error(
        "mod0",
        Call::ArithMod([5, 0, 0, 0], [7, 0, 0, 0], [1, 0, 0, 0], [0; 4]),
        zisk_vm::ops::op::ARITH256_MOD,
        PrecompileError::ZeroModulus,
    );
}

#[test]
fn adding_points_with_equal_x_is_an_error() {
    let g = ProjectivePoint::GENERATOR;
    let add = zisk_vm::ops::op::SECP256K1_ADD;
    let err = PrecompileError::EqualX;
    expect_precompile_error("eqx", Call::SecpAdd(point(&g), point(&g)), add, err);
    expect_precompile_error("negx", Call::SecpAdd(point(&g), point(&-g)), add, err);
}

#[test]
fn doubling_a_point_with_zero_y_is_an_error() {
    expect_precompile_error(
        "dbl0",
        Call::SecpDbl([9, 0, 0, 0, 0, 0, 0, 0]),
        zisk_vm::ops::op::SECP256K1_DBL,
        PrecompileError::ZeroY,
    );
}

/// A one-call program with hand-written data: `setup` runs before `csrs <csr>, a0`.
fn raw(setup: &str, csr: u32, data: &str, rodata: &str) -> String {
    format!(
        "    .option norvc
    .section .text.init, \"ax\", @progbits
    .globl _start
_start:
{setup}
c0_call:
    csrs {csr:#x}, a0
    li a7, 93
    ecall
    .section .data
    .balign 8
{data}
    .section .rodata
    .balign 8
{rodata}
"
    )
}

#[test]
fn unaligned_pointers_are_errors() {
    let cases = [
        // The state itself.
        (
            raw(
                "    la a0, s\n    addi a0, a0, 4",
                0x800,
                "s: .space 208",
                "",
            ),
            4,
        ),
        // The parameter block.
        (
            raw(
                "    la a0, p\n    addi a0, a0, 1",
                0x805,
                "p: .dword s, x\n    .dword 0\ns: .space 32\nx: .space 64",
                "",
            ),
            1,
        ),
        // An operand pointer inside a well-aligned block.
        (
            raw(
                "    la a0, p",
                0x801,
                "p: .dword a+2, a, a, d, d\na: .space 40\nd: .space 32",
                "",
            ),
            2,
        ),
        // An output pointer.
        (
            raw(
                "    la a0, p",
                0x802,
                "p: .dword a, a, a, a, d+6\na: .dword 1, 0, 0, 0\nd: .space 40",
                "",
            ),
            6,
        ),
    ];
    for (i, (text, misalign)) in cases.iter().enumerate() {
        let (err, elf) = run_failing(&format!("unaligned{i}"), text);
        let pc = symbol(&elf, "c0_call");
        match err {
            EmuError::Precompile {
                pc: at,
                source: PrecompileError::Unaligned { addr },
                ..
            } => {
                assert_eq!(at, pc, "case {i}");
                assert_eq!(addr & 7, *misalign, "case {i}");
            }
            other => panic!("case {i}: {other}"),
        }
    }
}

#[test]
fn writing_results_to_read_only_data_is_reported_with_the_pc() {
    // d points into .rodata: the operands are read, the store is refused.
    let text = raw(
        "    la a0, p",
        0x802,
        "p: .dword a, a, a, m, d\na: .dword 3, 0, 0, 0\nm: .dword 5, 0, 0, 0",
        "d: .dword 0, 0, 0, 0",
    );
    let (err, elf) = run_failing("rodata", &text);
    let pc = symbol(&elf, "c0_call");
    let d = symbol(&elf, "d");
    assert_eq!(
        err,
        EmuError::BadWrite {
            addr: d,
            width: 8,
            pc
        }
    );
    // keccak on a state in .rodata: read fine, write refused.
    let text = raw("    la a0, s", 0x800, "", "s: .space 200");
    let (err, elf) = run_failing("rodata_keccak", &text);
    let pc = symbol(&elf, "c0_call");
    let s = symbol(&elf, "s");
    assert_eq!(
        err,
        EmuError::BadWrite {
            addr: s,
            width: 8,
            pc
        }
    );
}

#[test]
fn reading_through_a_bad_pointer_is_reported_with_the_pc() {
    let text = raw("    li a0, 0x10000", 0x804, "", "");
    let (err, elf) = run_failing("badread", &text);
    let pc = symbol(&elf, "c0_call");
    assert_eq!(
        err,
        EmuError::BadRead {
            addr: 0x10000,
            width: 8,
            pc
        }
    );
}

#[test]
fn stats_count_precompiles_at_their_cost() {
    let mut rng = StdRng::seed_from_u64(16);
    let calls = vec![
        Call::Keccak(rng.gen()),
        Call::Keccak(rng.gen()),
        Call::Sha256(rng.gen(), rng.gen()),
        Call::Arith256(rng.gen(), rng.gen(), rng.gen(), false),
        Call::ArithMod(rng.gen(), rng.gen(), rng.gen(), P),
        Call::SecpDbl(point(&ProjectivePoint::GENERATOR)),
    ];
    let dir = scratch_dir("stats");
    let (_, elf) = assemble_text(&dir, "stats", &program(&calls), &[]);
    let rom = transpile_elf(&elf).unwrap();
    let mut stats = Stats::default();
    Emulator::new(&rom)
        .run_observed(
            b"",
            &RunOptions::default(),
            Box::new(std::io::sink()),
            &mut stats,
        )
        .unwrap();
    let report = stats.report();
    for line in [
        "keccak: 0.15 sec (75550 steps/op) (2 ops)",
        "sha256: 0.01 sec (8712 steps/op) (1 ops)",
        "arith256: 0.00 sec (1424 steps/op) (1 ops)",
        "arith256_mod: 0.00 sec (1424 steps/op) (1 ops)",
        "secp256k1_dbl: 0.00 sec (1424 steps/op) (1 ops)",
    ] {
        assert!(report.contains(line), "missing `{line}` in\n{report}");
    }
}
