//! `BinaryExtension` (`pil/zisk/binary_extension.pil`, filled by
//! `zisk_prover::witness::zisk::binary_extension`) against a test-only `Driver` AIR that assumes
//! every operation's tuple on the operation bus (`bus:5000`), so the bus must balance. Edge and
//! seeded random operands of all nine opcodes pass `verify_constraints` and prove and verify; a
//! wrong shift result, a wrong sign extension and a wrong `_w` result (claimed consistently on
//! both sides of the bus) fail the PIL statement that catches them and verification; a result
//! the driver changes alone leaves the bus unbalanced.

use std::borrow::BorrowMut;
use std::sync::OnceLock;

use p3_field::PrimeCharacteristicRing;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zisk_generated::zisk::binary_extension::BinaryExtensionRow;
use zisk_prover::pil::PilStatement;
use zisk_prover::witness::zisk::binary_extension::{self, Operation, OPCODES};
use zisk_prover::{ConstraintReport, Val, VerifyError};
use zisk_vm::ops::op;

#[path = "common/driver.rs"]
mod driver;

use driver::{names_constraint, Driver, Harness, Rows};

/// The operation bus as the prover names it.
const OPERATION_BUS: &str = "bus:5000";

/// The driver stands for Main on the other side of the bus: it assumes the 11-field tuples.
/// Of the proof-level terms it keeps those on the operation bus except Main's pubout ones:
/// Main's boot/end and pubout terms, and the memory regions' chain starts, have no Main or
/// Mem here to answer them.
const DRIVER: Driver = Driver {
    bus: OPERATION_BUS,
    fields: 11,
    rows: Rows::Assume,
    log_heights: &[10, 11],
    keeps_global_term: |t| {
        t.bus == OPERATION_BUS && t.fields[0] != Val::from_u64(op::PUBOUT as u64)
    },
};

/// The program's AIRs and the driver; the key covers every AIR.
fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| Harness::new(DRIVER, |m| m.log_heights(16)))
}

/// A BinaryExtension statement for `ops` plus the driver instance assuming every tuple.
struct Statement {
    inner: PilStatement,
}

fn statement(ops: &[Operation]) -> Statement {
    let mut w = harness().witness();
    // Instances of at most 2^10 rows, so the split into several is exercised.
    binary_extension::fill_chunked(&mut w, ops, 1 << 10).unwrap();
    let mut inner = w.finish();
    harness().push_driver(&mut inner, ops.iter().map(|o| (o.bus_tuple(), -1)));
    Statement { inner }
}

impl Statement {
    fn check(&self) -> Result<(), ConstraintReport> {
        harness().check(&self.inner)
    }

    fn prove_and_verify(&self) -> Result<(), VerifyError> {
        harness().prove_and_verify(&self.inner)
    }

    fn instance(&self, name: &str) -> usize {
        harness().instance(&self.inner, name)
    }

    /// Row `row` of the (first) BinaryExtension instance.
    fn row(&mut self, row: usize) -> &mut BinaryExtensionRow<Val> {
        let i = self.instance("BinaryExtension");
        self.inner.traces[i].row_mut(row).borrow_mut()
    }

    /// Field `field` of the driver's tuple on row `row`.
    fn driver(&mut self, row: usize, field: usize) -> &mut Val {
        let i = self.instance("Driver");
        &mut self.inner.traces[i].row_mut(row)[field]
    }
}

const SHIFT_AMOUNTS: [u64; 16] = [
    0,
    1,
    7,
    8,
    15,
    16,
    31,
    32,
    33,
    48,
    63,
    64,
    65,
    127,
    0xffff_ffff_ffff_ffc1,
    u64::MAX,
];

/// Every opcode on edge operands: shifts by 0, 31, 32, 63 and masked amounts ≥ 64, negative
/// values for the arithmetic shifts, garbage upper halves for the `_w` forms, sign bits set
/// and unset for the sign extensions.
fn edge_ops() -> Vec<Operation> {
    let wide = [
        0,
        1,
        0x8000_0000_0000_0000,
        u64::MAX,
        0x7fff_ffff_ffff_ffff,
        0x0123_4567_89ab_cdef,
        0xfedc_ba98_7654_3210,
    ];
    let word = [
        0,
        1,
        0x8000_0000,
        0xffff_ffff,
        0x7fff_ffff,
        0xdead_beef_8000_0001,
        0xffff_ffff_0000_0000,
        0x1234_5678_9abc_def0,
    ];
    let sext = [
        0,
        0x7f,
        0x80,
        0xff,
        0x7fff,
        0x8000,
        0xffff,
        0x7fff_ffff,
        0x8000_0000,
        0xffff_ffff,
        0x1234_5678_9abc_de80,
        0xffff_ffff_ffff_ff7f,
        u64::MAX,
    ];
    let mut ops = Vec::new();
    for (codes, values) in [
        ([op::SLL, op::SRL, op::SRA], &wide[..]),
        ([op::SLL_W, op::SRL_W, op::SRA_W], &word[..]),
    ] {
        for code in codes {
            for &a in values {
                for b in SHIFT_AMOUNTS {
                    ops.push(Operation { op: code, a, b });
                }
            }
        }
    }
    for code in [op::SIGNEXTEND_B, op::SIGNEXTEND_H, op::SIGNEXTEND_W] {
        for b in sext {
            for a in [0, 0xa5a5_5a5a_dead_beef] {
                ops.push(Operation { op: code, a, b });
            }
        }
    }
    ops
}

fn random_ops(seed: u64, per_opcode: usize) -> Vec<Operation> {
    let mut rng = StdRng::seed_from_u64(seed);
    OPCODES
        .iter()
        .flat_map(|&code| vec![code; per_opcode])
        .map(|code| Operation {
            op: code,
            a: rng.gen(),
            b: if rng.gen_bool(0.5) {
                rng.gen()
            } else {
                rng.gen_range(0..64)
            },
        })
        .collect()
}

fn all_ops() -> Vec<Operation> {
    let mut ops = edge_ops();
    ops.extend(random_ops(0xb1e7, 16));
    ops
}

/// The row of the first operation `pick` selects.
fn find(ops: &[Operation], pick: impl Fn(&Operation) -> bool) -> usize {
    ops.iter().position(pick).expect("no such operation")
}

/// Claims `c = value` for operation `row` on both sides of the bus (a consistent lie).
fn claim(s: &mut Statement, row: usize, c: u64) {
    let (lo, hi) = (Val::from_u64(c & 0xffff_ffff), Val::from_u64(c >> 32));
    let r = s.row(row);
    r.c_lo = lo;
    r.c_hi = hi;
    *s.driver(row, 5) = lo;
    *s.driver(row, 6) = hi;
}

fn assert_rejected_by(s: &Statement, pil_line_text: &str) {
    let report = s.check().unwrap_err();
    assert!(report.bus_failures.is_empty(), "{report}");
    assert!(
        names_constraint(
            &report,
            "BinaryExtension",
            "zisk/binary_extension.pil",
            pil_line_text
        ),
        "{report}"
    );
    assert!(matches!(
        s.prove_and_verify(),
        Err(VerifyError::OodEvaluationMismatch { .. })
    ));
}

#[test]
fn known_results() {
    let c = |code, a, b| Operation { op: code, a, b }.result();
    assert_eq!(c(op::SLL, 1, 64 + 63), 1 << 63);
    assert_eq!(c(op::SRA, 1 << 63, 63), u64::MAX);
    assert_eq!(c(op::SRL, 1 << 63, 63), 1);
    assert_eq!(
        c(op::SLL_W, 0xffff_ffff_0000_0001, 31),
        0xffff_ffff_8000_0000
    );
    assert_eq!(
        c(op::SRL_W, 0x1234_5678_8000_0000, 32),
        0xffff_ffff_8000_0000
    );
    assert_eq!(c(op::SRA_W, 0x8000_0000, 31), u64::MAX);
    assert_eq!(c(op::SIGNEXTEND_B, 7, 0x1_80), 0xffff_ffff_ffff_ff80);
    assert_eq!(c(op::SIGNEXTEND_H, 7, 0x7fff), 0x7fff);
    assert_eq!(c(op::SIGNEXTEND_W, 7, 0x1_8000_0000), 0xffff_ffff_8000_0000);
    let t = Operation {
        op: op::SRA_W,
        a: 0xdead_beef_8000_0000,
        b: 0xffff_ffff_ffff_ffe1,
    }
    .bus_tuple();
    assert_eq!(
        t,
        [
            0x26,
            0x8000_0000,
            0,
            0xffff_ffe1,
            0,
            0xc000_0000,
            0xffff_ffff,
            0,
            0,
            0,
            0
        ]
    );
}

#[test]
fn every_opcode_proves_and_verifies() {
    let ops = all_ops();
    assert!(ops.len() <= 1 << 10, "{} operations", ops.len());
    for code in OPCODES {
        assert!(ops.iter().any(|o| o.op == code));
    }
    let s = statement(&ops);
    s.check().unwrap_or_else(|r| panic!("{r}"));
    s.prove_and_verify().unwrap();
}

#[test]
fn many_operations_fill_several_instances() {
    let ops = random_ops(0x5eed, 1500 / OPCODES.len());
    let s = statement(&ops);
    let instances = harness().instances(&s.inner, "BinaryExtension");
    assert_eq!(instances.len(), 2);
    s.check().unwrap_or_else(|r| panic!("{r}"));
}

#[test]
fn wrong_shift_result_is_rejected() {
    let ops = all_ops();
    let mut s = statement(&ops);
    let row = find(&ops, |o| o.op == op::SRA && o.a == u64::MAX && o.b == 1);
    // A logical instead of an arithmetic shift.
    claim(&mut s, row, u64::MAX >> 1);
    assert_rejected_by(
        &s,
        "`is_sra * (c_hi - res_hi - sign * (ONES32 - 2 * res_hi)) === 0`",
    );
}

#[test]
fn wrong_sign_extension_is_rejected() {
    let ops = all_ops();
    let mut s = statement(&ops);
    let row = find(&ops, |o| o.op == op::SIGNEXTEND_B && o.b == 0x80);
    // Zero- instead of sign-extended.
    claim(&mut s, row, 0x80);
    assert_rejected_by(&s, "* (c_hi - sign * ONES32) === 0`");
}

#[test]
fn wrong_word_result_is_rejected() {
    let ops = all_ops();
    let mut s = statement(&ops);
    let row = find(&ops, |o| {
        o.op == op::SLL_W && o.a == 0xdead_beef_8000_0001 && o.b == 1
    });
    // The 64-bit shift of the garbage-carrying operand instead of the 32-bit one.
    claim(&mut s, row, 0xdead_beef_8000_0001u64 << 1);
    assert_rejected_by(&s, "* (c_hi - sign * ONES32) === 0`");
    let row = find(&ops, |o| {
        o.op == op::SRL_W && o.a == 0x8000_0000 && o.b == 0
    });
    let mut s = statement(&ops);
    // srl_w by 0 must still sign-extend bit 31.
    claim(&mut s, row, 0x8000_0000);
    assert_rejected_by(&s, "* (c_hi - sign * ONES32) === 0`");
}

#[test]
fn result_changed_by_the_driver_alone_unbalances_the_bus() {
    let ops = all_ops();
    let mut s = statement(&ops);
    let row = find(&ops, |o| o.op == op::SLL && o.a == 1 && o.b == 63);
    *s.driver(row, 6) = Val::ZERO;
    let report = s.check().unwrap_err();
    assert_eq!(report.total_constraint_failures, 0, "{report}");
    assert!(
        report.bus_failures.iter().all(|f| f.bus == OPERATION_BUS),
        "{report}"
    );
    assert_eq!(report.bus_failures.len(), 2, "{report}");
    assert_eq!(s.prove_and_verify(), Err(VerifyError::BusImbalance));
}

#[test]
fn every_changed_cell_is_rejected() {
    let ops: Vec<Operation> = [
        (op::SLL, 0x0123_4567_89ab_cdef, 68),
        (op::SRL, 0xfedc_ba98_7654_3210, 33),
        (op::SRA, 0x8000_0000_0000_0001, 17),
        (op::SLL_W, 0xdead_beef_0000_ffff, 17),
        (op::SRL_W, 0x1234_5678_8765_4321, 0),
        (op::SRA_W, 0xffff_ffff_8000_0001, 63),
        (op::SIGNEXTEND_B, 3, 0xff7f),
        (op::SIGNEXTEND_H, 3, 0x1_8001),
        (op::SIGNEXTEND_W, 3, 0xffff_ffff_7fff_ffff),
    ]
    .into_iter()
    .map(|(code, a, b)| Operation { op: code, a, b })
    .collect();
    let s = statement(&ops);
    s.check().unwrap_or_else(|r| panic!("{r}"));
    let instance = s.instance("BinaryExtension");
    // Every operation row and one padding row.
    harness().assert_cells_pinned(&s.inner, instance, ops.len() + 1);
}
