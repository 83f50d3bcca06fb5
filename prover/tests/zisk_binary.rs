//! The Binary machine (`pil/zisk/binary.pil`) against `zisk_vm::ops::exec`: every Binary opcode
//! on edge and seeded random operands is proven and verified with a test-only driver
//! (`pil/zisk_test/operation_bus_driver.pil`) that assumes each expected operation tuple on
//! OPERATION_BUS, so the bus balances only if Binary proves exactly those tuples; a wrong sum,
//! comparison flag, logic result or `_w` sign extension is rejected by `verify_constraints`
//! (naming the PIL statement or the bus) and by the verifier.

use std::sync::OnceLock;

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_matrix::Matrix;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zisk_generated::zisk_test::binary::{BinaryAir, BINARY_COLUMNS};
use zisk_generated::zisk_test::binary_table::BinaryTableAir;
use zisk_generated::zisk_test::operation_bus_driver::{
    OperationBusDriverAir, OperationBusDriverRow, OPERATION_BUS_DRIVER_COLUMNS,
    OPERATION_BUS_DRIVER_N,
};
use zisk_generated::zisk_test::AnyAir;
use zisk_prover::pil::{PilMachine, PilStatement};
use zisk_prover::witness::zisk::binary::{self, Operation, BINARY_OPS};
use zisk_prover::{
    prove_traces, verify, verify_constraints, ConstraintReport, ProvingKey, StarkParams, Val,
    VerifyError, ZiskAir,
};
use zisk_vm::ops::op;

fn machine() -> &'static PilMachine<AnyAir> {
    static MACHINE: OnceLock<PilMachine<AnyAir>> = OnceLock::new();
    MACHINE.get_or_init(PilMachine::new)
}

fn key() -> &'static ProvingKey {
    static KEY: OnceLock<ProvingKey> = OnceLock::new();
    KEY.get_or_init(|| machine().setup(StarkParams::testing(), 16).expect("setup"))
}

const EDGES: [u64; 12] = [
    0,
    1,
    u64::MAX,
    i64::MIN as u64,
    i64::MAX as u64,
    0xffff_ffff,
    0x1_0000_0000,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff_7fff_ffff,
    0x0000_0001_8000_0000,
    0x1234_5678_9abc_def0,
];

/// Every opcode on every pair of edge values (equal operands included) and 24 seeded random
/// pairs, a quarter of them with equal halves so `eq`/`le` see both outcomes.
fn all_operations(seed: u64) -> Vec<Operation> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut ops = Vec::new();
    for &code in &BINARY_OPS {
        for &a in &EDGES {
            for &b in &EDGES {
                ops.push(Operation { op: code, a, b });
            }
        }
        for i in 0..24 {
            let a: u64 = rng.gen();
            let b: u64 = match i % 4 {
                0 => a,
                1 => a ^ (1 << rng.gen_range(0..64)),
                _ => rng.gen(),
            };
            ops.push(Operation { op: code, a, b });
        }
    }
    ops
}

/// The driver's traces: one row per operation (duplicates included) assuming its tuple.
fn driver_traces(operations: &[Operation]) -> Vec<RowMajorMatrix<Val>> {
    operations
        .chunks(OPERATION_BUS_DRIVER_N)
        .map(|chunk| {
            let tuples: Vec<[u64; 11]> = chunk
                .iter()
                .map(|o| o.bus_tuple().expect("a Binary opcode"))
                .collect();
            OperationBusDriverAir.generate_trace(|i, row: &mut OperationBusDriverRow<Val>| {
                if let Some(t) = tuples.get(i) {
                    row.sel = Val::ONE;
                    [
                        row.op, row.a_lo, row.a_hi, row.b_lo, row.b_hi, row.c_lo, row.c_hi,
                        row.flag,
                    ] = core::array::from_fn(|k| Val::from_u64(t[k]));
                }
            })
        })
        .collect()
}

fn statement(operations: &[Operation]) -> PilStatement {
    let mut w = machine().witness(Vec::new()).unwrap();
    binary::fill_as(
        &mut w,
        &AnyAir::Binary(BinaryAir),
        &AnyAir::BinaryTable(BinaryTableAir),
        operations,
    )
    .unwrap();
    for trace in driver_traces(operations) {
        w.push(
            &AnyAir::OperationBusDriver(OperationBusDriverAir),
            trace,
            &[],
        )
        .unwrap();
    }
    w.finish()
}

fn check(s: &PilStatement) -> Result<(), ConstraintReport> {
    verify_constraints(machine().airs(), &s.instances, &s.public_values, |i| {
        s.traces[i].clone()
    })
}

fn prove_and_verify(s: &PilStatement) -> Result<(), VerifyError> {
    let proof = prove_traces(
        key(),
        machine().airs(),
        &s.instances,
        &s.public_values,
        &s.traces,
    )
    .expect("a well-shaped witness always proves");
    verify(&key().vk, machine().airs(), &proof, &s.public_values)
}

fn instance_of(s: &PilStatement, name: &str) -> usize {
    s.instances
        .iter()
        .position(|i| machine().airs()[i.air_id].name() == name)
        .unwrap_or_else(|| panic!("no {name} instance"))
}

fn column(columns: &[zisk_generated::support::ColumnInfo], name: &str) -> usize {
    columns
        .iter()
        .position(|c| c.name == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// Adds `delta` to a Binary cell of row `row`.
fn bump_binary(s: &mut PilStatement, row: usize, name: &str, delta: i64) {
    let instance = instance_of(s, "Binary");
    let col = column(BINARY_COLUMNS, name);
    let trace = &mut s.traces[instance];
    let width = trace.width();
    trace.values[row * width + col] += Val::from_i64(delta);
}

/// Adds `delta` to a driver cell of row `row` (the driver's expected tuple).
fn bump_driver(s: &mut PilStatement, row: usize, name: &str, delta: i64) {
    let instance = instance_of(s, "OperationBusDriver");
    let col = column(OPERATION_BUS_DRIVER_COLUMNS, name);
    let trace = &mut s.traces[instance];
    let width = trace.width();
    trace.values[row * width + col] += Val::from_i64(delta);
}

/// The labels of the failed constraints, and the failed buses.
fn failures(report: &ConstraintReport) -> (Vec<String>, Vec<String>) {
    (
        report
            .constraint_failures
            .iter()
            .filter_map(|f| f.label.clone())
            .collect(),
        report.bus_failures.iter().map(|b| b.bus.clone()).collect(),
    )
}

#[test]
fn results_follow_the_emulator() {
    let add = Operation {
        op: op::ADD_W,
        a: 0xdead_beef_7fff_ffff,
        b: 1,
    };
    assert_eq!(add.bus_operands(), (0x7fff_ffff, 1));
    assert_eq!(
        add.bus_tuple().unwrap(),
        [
            u64::from(op::ADD_W),
            0x7fff_ffff,
            0,
            1,
            0,
            0x8000_0000,
            0xffff_ffff,
            0,
            0,
            0,
            0
        ]
    );
    let lt = Operation {
        op: op::LT,
        a: i64::MIN as u64,
        b: 0,
    };
    assert_eq!(lt.result().unwrap(), (1, true));
    assert!(Operation {
        op: op::SLL,
        a: 1,
        b: 1
    }
    .result()
    .is_err());
}

#[test]
fn every_opcode_proves_and_verifies() {
    let ops = all_operations(0x5eed);
    assert_eq!(
        ops.len(),
        BINARY_OPS.len() * (EDGES.len() * EDGES.len() + 24)
    );
    // `_w` operands that differ only in their high halves share a row.
    let distinct = binary::distinct(&ops).len();
    assert!(distinct < ops.len() && distinct <= zisk_generated::zisk::binary::BINARY_N);
    let s = statement(&ops);
    check(&s).unwrap_or_else(|r| panic!("{r}"));
    prove_and_verify(&s).unwrap();
}

#[test]
fn each_family_alone_balances() {
    for (seed, &code) in BINARY_OPS.iter().enumerate() {
        let ops: Vec<Operation> = all_operations(seed as u64)
            .into_iter()
            .filter(|o| o.op == code)
            .collect();
        check(&statement(&ops)).unwrap_or_else(|r| panic!("op {code:#x}: {r}"));
    }
}

#[test]
fn missing_operation_unbalances_the_bus() {
    let ops = [
        Operation {
            op: op::ADD,
            a: 5,
            b: 7,
        },
        Operation {
            op: op::SUB,
            a: 5,
            b: 7,
        },
    ];
    let mut s = statement(&ops);
    // The driver asks for 5 + 7 = 13: no Binary row proves it.
    bump_driver(&mut s, 0, "c_lo", 1);
    let report = check(&s).unwrap_err();
    let (constraints, buses) = failures(&report);
    assert!(constraints.is_empty(), "{report}");
    // The proven 5 + 7 = 12 has no assume, the assumed 13 no prove.
    assert_eq!(buses, ["bus:5000", "bus:5000"], "{report}");
    assert_eq!(prove_and_verify(&s), Err(VerifyError::BusImbalance));
}

/// One operation, tampered consistently in Binary and in the driver (so the operation bus
/// balances): the Binary constraint at `line` (or the bus `bus`) must reject it.
fn assert_rejected(
    operation: Operation,
    cells: &[(&str, &str, i64)],
    line: Option<u32>,
    bus: Option<&str>,
) {
    let mut s = statement(&[operation]);
    for &(binary_col, driver_col, delta) in cells {
        bump_binary(&mut s, 0, binary_col, delta);
        if !driver_col.is_empty() {
            bump_driver(&mut s, 0, driver_col, delta);
        }
    }
    let report = check(&s).unwrap_err();
    let (constraints, buses) = failures(&report);
    if let Some(line) = line {
        let needle = format!("zisk/binary.pil:{line} ");
        assert!(
            constraints.iter().any(|l| l.starts_with(&needle)),
            "{operation:?}: expected binary.pil:{line}, got {report}"
        );
    }
    if let Some(bus) = bus {
        assert!(
            buses.iter().any(|b| b == bus),
            "{operation:?}: expected {bus}, got {report}"
        );
    }
    assert!(prove_and_verify(&s).is_err(), "{operation:?} verified");
}

/// The line of `binary.pil` whose text contains `needle` (so the tests follow edits).
fn line_of(needle: &str) -> u32 {
    let text = include_str!("../../pil/zisk/binary.pil");
    let index = text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no `{needle}` in binary.pil"));
    index as u32 + 1
}

#[test]
fn wrong_sum_is_rejected() {
    for code in [op::ADD, op::SUB, op::ADD_W, op::SUB_W] {
        let operation = Operation {
            op: code,
            a: 0x1_0000_0005,
            b: 3,
        };
        assert_rejected(
            operation,
            &[("c[0]", "c_lo", 1)],
            Some(line_of("addsub * (c[0] - r[0]) === 0")),
            None,
        );
    }
    // A wrong high limb of a 64-bit sum.
    assert_rejected(
        Operation {
            op: op::ADD,
            a: 0xffff_ffff,
            b: 1,
        },
        &[("c[2]", "c_hi", 1)],
        Some(line_of("as64 * (c[2] - r[2]) === 0")),
        None,
    );
}

#[test]
fn wrong_comparison_flag_is_rejected() {
    let flag_line = line_of("flag === (s_ltu + s_lt) * less");
    for code in [
        op::LTU,
        op::LT,
        op::EQ,
        op::LEU,
        op::LE,
        op::LTU_W,
        op::LT_W,
        op::EQ_W,
        op::LEU_W,
        op::LE_W,
    ] {
        // i64::MIN vs 1: unsigned greater, signed less; the `_w` forms see 0 vs 1.
        let operation = Operation {
            op: code,
            a: i64::MIN as u64,
            b: 1,
        };
        let (_, flag) = operation.result().unwrap();
        let delta = if flag { -1 } else { 1 };
        assert_rejected(
            operation,
            &[("flag", "flag", delta), ("c[0]", "c_lo", delta)],
            Some(flag_line),
            None,
        );
    }
    // min/max with the wrong comparison pick the other operand.
    assert_rejected(
        Operation {
            op: op::MIN,
            a: i64::MIN as u64,
            b: 1,
        },
        &[("less", "", -1)],
        Some(line_of("less === ltu + signed * dsign * (sa - ltu)")),
        None,
    );
}

#[test]
fn wrong_logic_result_is_rejected() {
    for code in [op::AND, op::OR, op::XOR] {
        let operation = Operation {
            op: code,
            a: 0x0f0f_0f0f_0f0f_0f00,
            b: 0x00ff_00ff_00ff_0000,
        };
        // The byte and the chunk agree, the table does not.
        assert_rejected(
            operation,
            &[("c_bytes[0]", "", 1), ("c[0]", "c_lo", 1)],
            None,
            Some("bus:125"),
        );
        // Only the chunk: the bytes no longer recompose it.
        assert_rejected(
            operation,
            &[("c[0]", "c_lo", 1)],
            Some(line_of("logic * (c[k] - c_bytes[2 * k]")),
            None,
        );
    }
}

#[test]
fn wrong_w_sign_extension_is_rejected() {
    let sext_line = line_of("m32 * (c[2] - 0xffff * c_sign) === 0");
    // Results with bit 31 set: the high half must be all ones; zero-extension is rejected.
    for (code, a, b) in [
        (op::ADD_W, 0x7fff_ffff, 1),
        (op::SUB_W, 0, 1),
        (op::MINU_W, 0x8000_0000, 0xffff_fffe),
        (op::MIN_W, 0x8000_0000, 5),
        (op::MAXU_W, 0x8000_0000, 5),
        (op::MAX_W, 0xffff_fff0, 0x8000_0000),
    ] {
        let operation = Operation { op: code, a, b };
        let (c, _) = operation.result().unwrap();
        assert_eq!(c >> 32, 0xffff_ffff, "{operation:?}");
        assert_rejected(
            operation,
            &[("c[2]", "c_hi", -0xffff), ("c[3]", "c_hi", -(0xffff << 16))],
            Some(sext_line),
            None,
        );
    }
}
