//! The zkVM end to end: programs (the bundled examples and the RV64IMAC conformance suite) run,
//! their witness passes `verify_constraints`, proves and verifies; forged witnesses, other
//! outputs and another program's key are rejected.

use std::sync::OnceLock;

use p3_field::PrimeCharacteristicRing;
use p3_matrix::Matrix;
use zisk_prover::zkvm::{Program, ProgramKey, Zkvm, ZkvmOptions, ZkvmWitness};
use zisk_prover::{setup, verify_constraints, ProvingKey, StarkParams, Val};

fn zkvm() -> &'static Zkvm {
    static Z: OnceLock<Zkvm> = OnceLock::new();
    Z.get_or_init(Zkvm::new)
}

/// Small instances, so several segments and memory instances appear even in short runs.
fn small() -> ZkvmOptions {
    ZkvmOptions {
        log_main_rows: 12,
        log_mem_rows: 12,
        ..ZkvmOptions::default()
    }
}

fn example(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/elf/");
    std::fs::read(format!("{path}{name}.elf")).expect("bundled example ELF")
}

fn witness(elf: &[u8], input: &[u8], opts: &ZkvmOptions) -> (Program, ZkvmWitness) {
    let program = Program::from_elf(elf).expect("transpile");
    let w = zkvm()
        .witness(&program, input, opts)
        .unwrap_or_else(|e| panic!("witness: {e}"));
    (program, w)
}

fn check(program: &Program, w: &ZkvmWitness) -> Result<(), String> {
    let s = &w.statement;
    verify_constraints(
        &zkvm().program_airs(program),
        &s.instances,
        &s.public_values,
        |i| s.traces[i].clone(),
    )
    .map_err(|r| r.to_string())
}

/// A testing key with every height up to 2^16.
fn base_key() -> ProvingKey {
    setup(
        StarkParams::testing(),
        zkvm().airs(),
        &zkvm().log_heights(16),
    )
    .expect("setup")
}

fn fib_input(n: u64) -> Vec<u8> {
    n.to_le_bytes().to_vec()
}

#[test]
fn fibonacci_witness_satisfies_every_constraint() {
    let (program, w) = witness(&example("fibonacci"), &fib_input(10), &small());
    assert_eq!(w.outputs[0], 55);
    check(&program, &w).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn fibonacci_proves_and_verifies() {
    let (program, w) = witness(&example("fibonacci"), &fib_input(10), &small());
    let mut pk = base_key();
    let key: ProgramKey = zkvm().add_program(&mut pk, &program).expect("rom setup");
    let proof = zkvm().prove(&pk, &w).expect("prove");
    zkvm()
        .verify(&pk.vk, &key, &proof, &w.outputs)
        .expect("verify");
    let mut other = w.outputs;
    other[0] ^= 1;
    assert!(zkvm().verify(&pk.vk, &key, &proof, &other).is_err());
}

fn sha_input(n: u64) -> Vec<u8> {
    n.to_le_bytes().to_vec()
}

#[test]
fn sha_hasher_and_keccak_witnesses_satisfy_every_constraint() {
    // The first output word for n = 3 (cli/tests/examples.rs checks these programs against
    // the host's sha2 and tiny-keccak).
    for (name, out0) in [("sha_hasher", 0x1277_1355u32), ("keccak", 0x356e_5a2c)] {
        let (program, w) = witness(&example(name), &sha_input(3), &small());
        assert_eq!(w.outputs[0], out0, "{name}");
        check(&program, &w).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[path = "../../vm/tests/common/mod.rs"]
#[allow(dead_code)]
mod asm;

/// Every conformance program and the examples also prove and verify (one key, each program's
/// ROM committed in turn).
#[test]
fn conformance_programs_and_examples_prove_and_verify() {
    let mut pk = base_key();
    let mut cases: Vec<(String, Vec<u8>, Vec<u8>)> = Vec::new();
    let dir = asm::scratch_dir("zkvm-prove");
    for name in [
        "alu",
        "alu_w",
        "amo",
        "compressed",
        "csr",
        "jump",
        "loadstore",
        "misc",
        "muldiv",
    ] {
        let src = asm::asm_dir().join(format!("{name}.S"));
        let elf = asm::assemble(&src, &dir.join(format!("{name}.elf")), &[]);
        cases.push((name.into(), elf, b"zisk conformance input!".to_vec()));
    }
    for name in ["sha_hasher", "keccak"] {
        cases.push((name.into(), example(name), sha_input(2)));
    }
    for (name, elf, input) in cases {
        let (program, w) = witness(&elf, &input, &small());
        let key = zkvm().add_program(&mut pk, &program).expect("rom setup");
        let proof = zkvm().prove(&pk, &w).expect("prove");
        zkvm()
            .verify(&pk.vk, &key, &proof, &w.outputs)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn conformance_programs_satisfy_every_constraint() {
    let names = [
        "alu",
        "alu_w",
        "amo",
        "compressed",
        "csr",
        "jump",
        "loadstore",
        "misc",
        "muldiv",
    ];
    for name in names {
        let dir = asm::scratch_dir(&format!("zkvm-{name}"));
        let src = asm::asm_dir().join(format!("{name}.S"));
        let elf = asm::assemble(&src, &dir.join(format!("{name}.elf")), &[]);
        let program = Program::from_elf(&elf).expect("transpile");
        let w = zkvm()
            .witness(&program, b"zisk conformance input!", &small())
            .unwrap_or_else(|e| panic!("{name}: witness: {e}"));
        assert_eq!(w.outputs[0], 0x600d, "{name}: the program's own checks");
        check(&program, &w).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// Runs `verify_constraints` with instance `inst`'s trace replaced.
fn check_with(
    program: &Program,
    w: &ZkvmWitness,
    inst: usize,
    trace: &p3_matrix::dense::RowMajorMatrix<Val>,
) -> bool {
    let airs = zkvm().program_airs(program);
    let s = &w.statement;
    verify_constraints(&airs, &s.instances, &s.public_values, |i| {
        if i == inst {
            trace.clone()
        } else {
            s.traces[i].clone()
        }
    })
    .is_ok()
}

/// The cells `docs/machines.md` lists as deliberately free (they do not enter the statement):
/// Binary's byte columns on rows that are not and/or/xor, and on and/or/xor rows the carries
/// and the zero-test inverse (`r` is unused there); the inverse is also free where `r = 0`.
fn deliberately_free(air: &str, row: &[Val], col: usize) -> bool {
    if air != "Binary" {
        return false;
    }
    let logic = row[11] + row[12] + row[13] == Val::ONE;
    let r_zero = row[27..31].iter().all(|&x| x == Val::ZERO);
    match col {
        31..=54 => !logic,
        56 | 57 => logic,
        66 => logic || r_zero,
        _ => false,
    }
}

/// Every column of every instance, changed by one at a few rows (the first, one in the middle,
/// the last): each change must be rejected, except the deliberately free cells.
#[test]
fn single_cell_changes_are_rejected() {
    let (program, w) = witness(&example("fibonacci"), &fib_input(10), &small());
    let airs = zkvm().airs();
    let mut survivors = Vec::new();
    let mut checked = 0usize;
    for (inst, (spec, trace)) in w
        .statement
        .instances
        .iter()
        .zip(&w.statement.traces)
        .enumerate()
    {
        let h = trace.height();
        for row in [0, h / 2, h - 1] {
            for col in 0..trace.width() {
                let name = zisk_prover::ZiskAir::name(&airs[spec.air_id]);
                if deliberately_free(
                    &name,
                    &trace.values[row * trace.width()..][..trace.width()],
                    col,
                ) {
                    continue;
                }
                let mut t = trace.clone();
                let width = t.width();
                t.values[row * width + col] += Val::ONE;
                checked += 1;
                if check_with(&program, &w, inst, &t) {
                    survivors.push(format!("{name} (instance {inst}) row {row} col {col}"));
                }
            }
        }
    }
    assert!(checked > 500);
    assert!(
        survivors.is_empty(),
        "{} accepted changes:\n{}",
        survivors.len(),
        survivors.join("\n")
    );
}

/// Forged witnesses, each one cell of an otherwise valid run (a wrong sum on Main's side of the
/// operation bus, a wrong loaded value, a wrong next pc, a wrong Binary result claimed by Binary
/// only, a wrong memory value): `verify_constraints` rejects them and so does verification of
/// the proof the prover makes from them. Also: a proof does not verify for another program.
#[test]
fn forged_witnesses_fail_verification() {
    use zisk_generated::zisk::main::MainRow;
    let (program, w) = witness(&example("fibonacci"), &fib_input(10), &small());
    let mut pk = base_key();
    let key = zkvm().add_program(&mut pk, &program).expect("rom setup");
    let airs = zkvm().airs();
    let inst_of = |name: &str| {
        w.statement
            .instances
            .iter()
            .position(|i| zisk_prover::ZiskAir::name(&airs[i.air_id]) == name)
            .expect("instance")
    };
    let main = inst_of("Main");
    let main_width = std::mem::size_of::<MainRow<u8>>();
    let main_rows: Vec<&MainRow<Val>> = w.statement.traces[main]
        .values
        .chunks(main_width)
        .map(std::borrow::Borrow::borrow)
        .collect();
    let first = |pred: &dyn Fn(&MainRow<Val>) -> bool| {
        main_rows
            .iter()
            .position(|r| pred(r))
            .expect("a matching Main row")
    };
    let col = |f: fn(&MainRow<Val>) -> &Val| {
        let probe = MainRow::<Val>::default();
        (f(&probe) as *const Val as usize - &probe as *const MainRow<Val> as usize)
            / std::mem::size_of::<Val>()
    };
    let add = Val::from_u64(zisk_vm::ops::op::ADD as u64);
    let cases: Vec<(&str, usize, usize, usize)> = vec![
        (
            "wrong sum",
            main,
            first(&|r| r.op == add && r.is_external_op == Val::ONE),
            col(|r| &r.c_lo),
        ),
        (
            "wrong loaded value",
            main,
            first(&|r| r.b_src_ind == Val::ONE),
            col(|r| &r.b_lo),
        ),
        ("wrong next pc", main, 3, col(|r| &r.next_pc)),
        ("wrong Binary result", inst_of("Binary"), 0, 23),
        ("wrong memory value", inst_of("RamMem"), 5, 3),
    ];
    for (what, inst, row, column) in cases {
        let mut traces = w.statement.traces.clone();
        let width = traces[inst].width();
        traces[inst].values[row * width + column] += Val::ONE;
        let s = &w.statement;
        assert!(
            verify_constraints(
                &zkvm().program_airs(&program),
                &s.instances,
                &s.public_values,
                |i| { traces[i].clone() }
            )
            .is_err(),
            "{what}: verify_constraints accepted it"
        );
        let proof = zisk_prover::prove_traces(&pk, airs, &s.instances, &s.public_values, &traces)
            .expect("a well-shaped witness proves");
        assert!(
            zkvm().verify(&pk.vk, &key, &proof, &w.outputs).is_err(),
            "{what}: the proof verified"
        );
    }

    // The honest proof does not verify as another program's (the keccak example's ROM).
    let proof = zkvm().prove(&pk, &w).expect("prove");
    let other = Program::from_elf(&example("keccak")).expect("transpile");
    let mut other_pk = base_key();
    let other_key = zkvm()
        .add_program(&mut other_pk, &other)
        .expect("rom setup");
    assert!(zkvm()
        .verify(&pk.vk, &other_key, &proof, &w.outputs)
        .is_err());
    zkvm()
        .verify(&pk.vk, &key, &proof, &w.outputs)
        .expect("honest proof");
}

/// The column index of the field `f` picks in a generated row struct `R`.
fn column<R: Default>(f: fn(&R) -> &Val) -> usize {
    let probe = R::default();
    (f(&probe) as *const Val as usize - &probe as *const R as usize) / std::mem::size_of::<Val>()
}

/// Runs the example `name` on `sha_input(3)` (3 as a u64): its first output word is `out0` (the
/// plain example's, or the host's), the witness holds an instance of `air` and passes every
/// constraint, and it proves and verifies. Returns what the forgery checks need.
fn precompile_proves(
    name: &str,
    out0: u32,
    air: &str,
) -> (Program, ZkvmWitness, usize, ProvingKey, ProgramKey) {
    let (program, w) = witness(&example(name), &sha_input(3), &small());
    assert_eq!(w.outputs[0], out0, "{name}: the plain example's first word");
    check(&program, &w).unwrap_or_else(|e| panic!("{e}"));
    let airs = zkvm().airs();
    let inst = w
        .statement
        .instances
        .iter()
        .position(|i| zisk_prover::ZiskAir::name(&airs[i.air_id]) == air)
        .unwrap_or_else(|| panic!("a {air} instance"));
    let mut pk = base_key();
    let key = zkvm().add_program(&mut pk, &program).expect("rom setup");
    let proof = zkvm().prove(&pk, &w).expect("prove");
    zkvm()
        .verify(&pk.vk, &key, &proof, &w.outputs)
        .expect("honest proof");
    (program, w, inst, pk, key)
}

/// Each forgery (the cells of instance `inst`, row-major, and what it adds to each) is
/// rejected by `verify_constraints` and by verification of the proof made from it.
fn forgeries_are_rejected(
    (program, w, inst, pk, key): &(Program, ZkvmWitness, usize, ProvingKey, ProgramKey),
    forgeries: &[(&str, Vec<(usize, Val)>)],
) {
    for (what, cells) in forgeries {
        let mut traces = w.statement.traces.clone();
        for &(cell, delta) in cells {
            traces[*inst].values[cell] += delta;
        }
        assert!(
            !check_with(program, w, *inst, &traces[*inst]),
            "{what}: verify_constraints accepted it"
        );
        let s = &w.statement;
        let proof =
            zisk_prover::prove_traces(pk, zkvm().airs(), &s.instances, &s.public_values, &traces)
                .expect("a well-shaped witness proves");
        assert!(
            zkvm().verify(&pk.vk, key, &proof, &w.outputs).is_err(),
            "{what}: the proof verified"
        );
    }
}

/// A seeded sample of single-cell changes at `rows` of instance `inst`: none is accepted (the
/// precompile machines have no free cells in an active block; `docs/machines.md`).
fn sampled_changes_are_rejected(program: &Program, w: &ZkvmWitness, inst: usize, rows: &[usize]) {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    let mut rng = StdRng::seed_from_u64(7);
    let trace = &w.statement.traces[inst];
    let width = trace.width();
    let mut survivors = Vec::new();
    for _ in 0..160 {
        let (row, column) = (rows[rng.gen_range(0..rows.len())], rng.gen_range(0..width));
        let mut t = trace.clone();
        t.values[row * width + column] += Val::ONE;
        if check_with(program, w, inst, &t) {
            survivors.push(format!("row {row} col {column}"));
        }
    }
    assert!(survivors.is_empty(), "accepted changes: {survivors:?}");
}

/// The keccak-f precompile is proven: `keccak_accel` (the keccak example with `tiny-keccak`
/// patched onto the precompile) gets the same hash as the plain example and proves. Forgeries
/// of the permutation's output, or of the call's step on every row of its block (the AIR's own
/// constraints then hold but the bus tuples no longer match Main's and memory's), are rejected
/// by `verify_constraints` and by verification; so is a seeded sample of single-cell changes
/// (the first, a middle and the last round of a call, and the trace's last row).
#[test]
fn keccak_precompile_is_proven_and_forgeries_are_rejected() {
    use zisk_generated::zisk::keccakf::KeccakfRow;
    let run = precompile_proves("keccak_accel", 0x356e_5a2c, "Keccakf");
    let width = run.1.statement.traces[run.2].width();
    forgeries_are_rejected(
        &run,
        &[
            (
                "wrong permutation output",
                vec![(
                    23 * width + column(|r: &KeccakfRow<Val>| &r.a_ppp0[0]),
                    Val::ONE,
                )],
            ),
            (
                "wrong call step",
                (0..24)
                    .map(|row| {
                        (
                            row * width + column(|r: &KeccakfRow<Val>| &r.step),
                            Val::ONE,
                        )
                    })
                    .collect(),
            ),
        ],
    );
    let height = run.1.statement.traces[run.2].height();
    sampled_changes_are_rejected(&run.0, &run.1, run.2, &[0, 11, 23, height - 1]);
}

/// The sha256-f precompile is proven: `sha_hasher_accel` (sha_hasher with `sha2` patched onto
/// the precompile) gets the plain example's hash and proves. Rejected: a forged output word, a
/// forged round (one bit of `a` before round 10), a forged message word read from memory, a
/// forged pointer on every row of the block, and a seeded sample of single-cell changes (the
/// first and a middle round, the final working variables, the output row).
#[test]
fn sha256_precompile_is_proven_and_forgeries_are_rejected() {
    use zisk_generated::zisk::sha256f::Sha256fRow;
    let run = precompile_proves("sha_hasher_accel", 0x1277_1355, "Sha256f");
    let width = run.1.statement.traces[run.2].width();
    let col = column::<Sha256fRow<Val>>;
    // A bit flipped (it stays a bit, so only the round, output or bus constraints can object).
    let flip = |cell: usize| {
        let v = run.1.statement.traces[run.2].values[cell];
        (cell, Val::ONE - v - v)
    };
    let every_row = |c: usize| (0..34).map(|row| (row * width + c, Val::ONE)).collect();
    forgeries_are_rejected(
        &run,
        &[
            (
                "wrong output bit",
                vec![flip(33 * width + col(|r| &r.ma[7]))],
            ),
            (
                "wrong working variable before round 10",
                vec![flip(5 * width + col(|r| &r.a[5]))],
            ),
            ("wrong message word", vec![(col(|r| &r.w[3]), Val::ONE)]),
            ("wrong state pointer", every_row(col(|r| &r.state_ptr))),
            ("wrong call step", every_row(col(|r| &r.step))),
        ],
    );
    sampled_changes_are_rejected(&run.0, &run.1, run.2, &[0, 15, 32, 33]);
}

/// The ArithEq precompiles are proven: the `precompiles` example (3 doublings and an addition
/// on secp256k1, arith256, arith256_mod, then keccak-f and sha256-f) proves with its outputs
/// (checked against the host in cli/tests/examples.rs). Rejected: a forged result chunk of each
/// of the four operations (claimed consistently on memory: the chunk and the stored word), a
/// forged slope, a forged quotient, and a seeded sample of single-cell changes of every row.
#[test]
fn arith_eq_precompiles_are_proven_and_forgeries_are_rejected() {
    use zisk_generated::zisk::arith_eq::ArithEqRow;
    let run = precompile_proves("precompiles", 0xfc27_ccbe, "ArithEq");
    let trace = &run.1.statement.traces[run.2];
    let width = trace.width();
    let col = column::<ArithEqRow<Val>>;
    // Rows 0..3: the doublings, 3: the addition, 4: arith256, 5: arith256_mod.
    let sel = |r: usize, c: usize| trace.values[r * width + c] == Val::ONE;
    assert!((0..3).all(|r| sel(r, col(|r| &r.sel_dbl))));
    assert!(sel(3, col(|r| &r.sel_add)));
    assert!(sel(4, col(|r| &r.sel_a)));
    assert!(sel(5, col(|r| &r.sel_m)));
    let at = |r: usize, c: usize| (r * width + c, Val::ONE);
    forgeries_are_rejected(
        &run,
        &[
            ("wrong doubling result", vec![at(1, col(|r| &r.x3[0]))]),
            ("wrong addition result", vec![at(3, col(|r| &r.y3[7]))]),
            ("wrong arith256 high half", vec![at(4, col(|r| &r.y3[15]))]),
            ("wrong arith256_mod result", vec![at(5, col(|r| &r.x3[2]))]),
            ("wrong slope", vec![at(2, col(|r| &r.s[0]))]),
            ("wrong quotient", vec![at(5, col(|r| &r.q1[0]))]),
            ("wrong call step", vec![at(4, col(|r| &r.step))]),
        ],
    );
    sampled_changes_are_rejected(&run.0, &run.1, run.2, &[0, 3, 4, 5, 6]);
}

/// ECDSA verification on the `k256` patch (`ecdsa_accel`, n = 0: the six tampered cases and the
/// key decompressions) proves and verifies. Its square-and-multiply passes one pointer twice to
/// arith256_mod, so ArithEq reads the aliased operand once.
#[test]
fn ecdsa_on_the_precompiles_proves() {
    let opts = ZkvmOptions {
        log_main_rows: 16,
        log_mem_rows: 16,
        ..ZkvmOptions::default()
    };
    let (program, w) = witness(&example("ecdsa_accel"), &0u64.to_le_bytes(), &opts);
    assert_eq!(
        w.outputs[..2],
        [0, 0x3f],
        "no signature to count, six tampered rejected"
    );
    let mut pk = base_key();
    let key = zkvm().add_program(&mut pk, &program).expect("rom setup");
    let proof = zkvm().prove(&pk, &w).expect("prove");
    zkvm()
        .verify(&pk.vk, &key, &proof, &w.outputs)
        .expect("honest proof");
}

/// Precompile calls whose operands overlap in memory without being one operand (the state
/// inside sha256's block; arith256's two results at one address) run in the emulator but are
/// refused by the prover with a clear error, since Mem proves a word once per step.
#[test]
fn overlapping_precompile_operands_are_refused() {
    let program = |csr: u32, data: &str| {
        format!(
            "    .option norvc
    .section .text.init, \"ax\", @progbits
    .globl _start
_start:
    la a0, p
    csrs {csr:#x}, a0
    li a7, 93
    ecall
    .section .data
    .balign 8
{data}
"
        )
    };
    let dir = asm::scratch_dir("zkvm-overlap");
    let cases = [
        ("sha256", program(0x805, "p: .dword x+8, x\nx: .space 64")),
        (
            "arith256",
            program(
                0x801,
                "p: .dword a, a, a, d, d\na: .dword 3, 0, 0, 0\nd: .space 32",
            ),
        ),
    ];
    for (name, text) in cases {
        let (_, elf) = asm::assemble_text(&dir, name, &text, &[]);
        let program = Program::from_elf(&elf).expect("transpile");
        let err = zkvm()
            .witness(&program, &[], &small())
            .err()
            .unwrap_or_else(|| panic!("{name}: proven"))
            .to_string();
        assert!(
            err.contains(&format!("the operands of `{name}` overlap in memory")),
            "{name}: {err}"
        );
    }
}
