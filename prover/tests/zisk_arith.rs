//! `Arith` (`pil/zisk/arith.pil`, filled by `zisk_prover::witness::zisk::arith`) against a
//! test-only `Driver` AIR that assumes every operation's tuple on the operation bus
//! (`bus:5000`), so the bus must balance. Edge and seeded random operands of all 14 opcodes
//! (division by zero, i64::MIN / −1, `_w` forms with junk upper halves) pass
//! `verify_constraints` and prove and verify; tampered rows (a wrong product limb, a wrong
//! quotient, a remainder ≥ the divisor, a wrong division-by-zero result, a wrong `_w` sign
//! extension, a wrong flag), each claimed consistently on both sides of the bus, fail both.

use std::borrow::BorrowMut;
use std::sync::OnceLock;

use p3_field::PrimeCharacteristicRing;
use p3_matrix::Matrix;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zisk_generated::zisk::arith::{ArithAir, ArithRow};
use zisk_generated::zisk::AnyAir;
use zisk_prover::pil::{PilMachine, PilStatement};
use zisk_prover::witness::zisk::arith::{self, distinct, ArithError, Operation, ARITH_OPS};
use zisk_prover::{ConstraintReport, Val, VerifyError};
use zisk_vm::ops::op;

#[path = "common/driver.rs"]
mod driver;

use driver::{heights_for, names_constraint, Driver, Harness, Rows};

/// The operation bus as the prover names it.
const OPERATION_BUS: &str = "bus:5000";
/// Arith heights setup prepares.
const ARITH_LOG_HEIGHTS: std::ops::RangeInclusive<usize> = 3..=11;

/// The driver stands for Main on the other side of the bus: it assumes the 11-field tuples.
/// It keeps no proof-level terms: Arith has none, and the other machines' need instances this
/// test does not have.
const DRIVER: Driver = Driver {
    bus: OPERATION_BUS,
    fields: 11,
    rows: Rows::Assume,
    log_heights: &[5, 11],
    keeps_global_term: |_| false,
};

/// The program's AIRs and the driver; the key covers Arith, the range tables it uses and the
/// driver only.
fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| Harness::new(DRIVER, key_heights))
}

fn key_heights(machine: &PilMachine<AnyAir>) -> Vec<Vec<usize>> {
    let arith_heights: Vec<usize> = ARITH_LOG_HEIGHTS.collect();
    heights_for(machine, &[AnyAir::Arith(ArithAir)], &arith_heights)
}

/// An Arith statement for `ops` plus the driver instance assuming every tuple.
struct Statement {
    inner: PilStatement,
    /// The distinct operations, in Arith row order.
    rows: Vec<Operation>,
    /// The operations, in driver row order.
    ops: Vec<Operation>,
}

fn statement(ops: &[Operation]) -> Statement {
    let mut w = harness().witness();
    arith::fill(&mut w, ops).unwrap();
    let mut inner = w.finish();
    harness().push_driver(&mut inner, ops.iter().map(|o| (o.bus_tuple().unwrap(), -1)));
    Statement {
        inner,
        rows: distinct(ops).into_iter().map(|(o, _)| o).collect(),
        ops: ops.to_vec(),
    }
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

    /// The Arith row of `operation`.
    fn row(&mut self, o: Operation) -> &mut ArithRow<Val> {
        let i = self.instance("Arith");
        let (a, b) = o.bus_operands();
        let row = self
            .rows
            .iter()
            .position(|&r| r == operation(o.op, a, b))
            .expect("no such row");
        self.inner.traces[i].row_mut(row).borrow_mut()
    }

    /// Claims `(c, flag)` for `operation` on both sides of the bus: the Arith row's `c_lo`,
    /// `c_hi` and `div0`, and every driver row of that operation.
    fn claim(&mut self, operation: Operation, c: u64, flag: bool) {
        let (lo, hi, flag) = (
            Val::from_u64(c & 0xffff_ffff),
            Val::from_u64(c >> 32),
            Val::from_bool(flag),
        );
        let row = self.row(operation);
        row.c_lo = lo;
        row.c_hi = hi;
        row.div0 = flag;
        let driver = self.instance("Driver");
        let bus = operation.bus_tuple().unwrap();
        for (k, o) in self.ops.clone().iter().enumerate() {
            if o.bus_tuple().unwrap()[..5] == bus[..5] {
                let row = self.inner.traces[driver].row_mut(k);
                row[5] = lo;
                row[6] = hi;
                row[7] = flag;
            }
        }
    }
}

impl Statement {
    /// Rebuilds the range tables from the (tampered) Arith trace, so that only Arith's own
    /// constraints can reject it.
    fn refill_ranges(&mut self) {
        let arith = self.instance("Arith");
        let driver = self.instance("Driver");
        let mut w = harness().witness();
        w.push(
            &AnyAir::Arith(ArithAir),
            self.inner.traces[arith].clone(),
            &[],
        )
        .unwrap();
        let mut inner = w.finish();
        inner.instances.push(self.inner.instances[driver].clone());
        inner.traces.push(self.inner.traces[driver].clone());
        self.inner = inner;
    }
}

fn operation(code: u8, a: u64, b: u64) -> Operation {
    Operation { op: code, a, b }
}

/// Every Arith rule the report names must be a constraint of `arith.pil` whose text contains
/// `text`; the bus stays balanced (the lie is consistent) and verification fails.
fn assert_rejected_by(s: &mut Statement, text: &str) {
    s.refill_ranges();
    let report = s.check().unwrap_err();
    assert!(report.bus_failures.is_empty(), "{report}");
    assert!(
        names_constraint(&report, "Arith", "zisk/arith.pil", text),
        "{report}"
    );
    assert!(matches!(
        s.prove_and_verify(),
        Err(VerifyError::OodEvaluationMismatch { .. })
    ));
}

/// Values that stress signs, limbs and the `_w` forms' junk upper halves.
const EDGE: [u64; 11] = [
    0,
    1,
    u64::MAX,
    i64::MIN as u64,
    i64::MAX as u64,
    1 << 32,
    (1 << 32) - 1,
    0x8000_0000,
    0xffff_ffff_8000_0000,
    0xdead_beef_8000_0001,
    (-7i64) as u64,
];

fn edge_ops() -> Vec<Operation> {
    let mut ops = Vec::new();
    for code in ARITH_OPS {
        for a in EDGE {
            for b in EDGE {
                ops.push(operation(code, a, b));
            }
        }
    }
    ops
}

fn random_ops(seed: u64, per_opcode: usize) -> Vec<Operation> {
    let mut rng = StdRng::seed_from_u64(seed);
    ARITH_OPS
        .iter()
        .flat_map(|&code| vec![code; per_opcode])
        .map(|code| {
            let value = |rng: &mut StdRng| match rng.gen_range(0..4) {
                0 => rng.gen::<u64>(),
                1 => rng.gen::<u32>() as u64,
                2 => rng.gen::<i32>() as i64 as u64,
                _ => rng.gen::<u16>() as u64,
            };
            let a = value(&mut rng);
            let b = value(&mut rng);
            operation(code, a, b)
        })
        .collect()
}

fn all_ops() -> Vec<Operation> {
    let mut ops = edge_ops();
    ops.extend(random_ops(0xa217, 20));
    ops
}

/// A few operations the tamper tests change, and one of each opcode around them.
fn small_ops() -> Vec<Operation> {
    let mut ops = vec![
        operation(op::MULU, 0x1234_5678_9abc_def0, 0x0fed_cba9_8765_4321),
        operation(op::DIVU, 1_000_003, 7),
        operation(op::REMU, 1_000_003, 7),
        operation(op::DIVU, 12345, 0),
        operation(op::REM, (-12345i64) as u64, 0),
        operation(op::MUL_W, 0xdead_beef_0001_0000, 0x0000_0001_0000_8000),
        operation(op::DIV_W, 0x1234_5678_8000_0000, 0xffff_ffff_ffff_ffff),
    ];
    ops.extend(random_ops(0x5a11, 1));
    ops
}

#[test]
fn known_results() {
    let t = |code, a, b| operation(code, a, b).bus_tuple().unwrap();
    // Division by zero: all ones with flag 1, or the dividend.
    assert_eq!(
        t(op::DIVU, 7, 0),
        [0xb8, 7, 0, 0, 0, 0xffff_ffff, 0xffff_ffff, 1, 0, 0, 0]
    );
    assert_eq!(t(op::REM, 7, 0)[5..8], [7, 0, 1]);
    // i64::MIN / −1 wraps; the remainder is 0.
    assert_eq!(
        t(op::DIV, i64::MIN as u64, u64::MAX)[5..8],
        [0, 0x8000_0000, 0]
    );
    // The m32 rule: upper halves dropped on the bus, results sign-extended.
    assert_eq!(
        t(op::DIV_W, 0xffff_0000_8000_0000, 0x1234_ffff_ffff),
        [
            0xbe,
            0x8000_0000,
            0,
            0xffff_ffff,
            0,
            0x8000_0000,
            0xffff_ffff,
            0,
            0,
            0,
            0
        ]
    );
    assert_eq!(
        t(op::REMU_W, 0x5_8000_0000, 0x7_0000_0000)[5..8],
        [0x8000_0000, 0xffff_ffff, 1]
    );
    assert!(matches!(
        operation(op::ADD, 1, 2).bus_tuple(),
        Err(ArithError::NotArith(0x0a))
    ));
    let mut w = harness().witness();
    assert!(matches!(
        arith::fill(&mut w, &[operation(op::SLL, 1, 2)]),
        Err(ArithError::NotArith(0x21))
    ));
}

#[test]
fn every_opcode_proves_and_verifies() {
    let ops = all_ops();
    assert!(ops.len() <= 1 << 11, "{} operations", ops.len());
    let s = statement(&ops);
    // Identical bus operations share a row (the `_w` edge operands collapse).
    assert!(s.rows.len() < ops.len());
    let arith = s.instance("Arith");
    assert_eq!(
        s.inner.traces[arith].height(),
        s.rows.len().next_power_of_two()
    );
    s.check().unwrap_or_else(|r| panic!("{r}"));
    s.prove_and_verify().unwrap();
}

#[test]
fn small_statements_use_short_instances() {
    let ops = small_ops();
    let s = statement(&ops);
    let arith = s.instance("Arith");
    assert_eq!(s.inner.traces[arith].height(), 32);
    s.check().unwrap_or_else(|r| panic!("{r}"));
    let one = statement(&[operation(op::MULH, 3, 5)]);
    assert_eq!(one.inner.traces[one.instance("Arith")].height(), 8);
    one.check().unwrap_or_else(|r| panic!("{r}"));
}

#[test]
fn wrong_product_limb_is_rejected() {
    let ops = small_ops();
    let mut s = statement(&ops);
    let o = ops[0];
    let c = o.result().unwrap().0;
    assert_ne!(c & 0xffff, 0xffff);
    s.claim(o, c + 1, false);
    s.row(o).l[0] += Val::ONE;
    assert_rejected_by(&mut s, "p0 + CHUNK * p1 === LIMB * carry0");
}

#[test]
fn wrong_quotient_is_rejected() {
    let ops = small_ops();
    let mut s = statement(&ops);
    let o = ops[1];
    let q = o.result().unwrap().0 + 1;
    s.claim(o, q, false);
    s.row(o).x[0] += Val::ONE;
    assert_rejected_by(&mut s, "p0 + CHUNK * p1 === LIMB * carry0");
}

#[test]
fn remainder_not_below_divisor_is_rejected() {
    // 1_000_003 = 7·142857 + 4, claimed as 7·142856 + 11: the identity still holds.
    let ops = small_ops();
    for o in [ops[1], ops[2]] {
        let mut s = statement(&ops);
        let c = if o.op == op::DIVU { 142_856 } else { 11 };
        s.claim(o, c, false);
        let row = s.row(o);
        row.x[0] -= Val::ONE;
        row.r[0] += Val::from_u64(7);
        // The best d: the low limb borrows (d_lo = 7 − 12 + 2^32), the high limb cannot.
        row.d = [0xfffb, 0xffff, 0, 0].map(Val::from_u64);
        row.dc = Val::ONE;
        assert_rejected_by(&mut s, "chk * (d[2] + CHUNK * d[3]");
    }
}

#[test]
fn wrong_division_by_zero_result_is_rejected() {
    let ops = small_ops();
    let mut s = statement(&ops);
    // divu x/0 claimed as 0 (the quotient chunks follow the claim).
    let o = ops[3];
    s.claim(o, 0, true);
    let row = s.row(o);
    row.x = [Val::ZERO; 4];
    row.s_x = Val::ZERO;
    assert_rejected_by(&mut s, "div0 * (x[k] - ONES16) === 0");
    // rem x/0 claimed as 0 instead of x.
    let mut s = statement(&ops);
    let o = ops[4];
    s.claim(o, 0, true);
    let row = s.row(o);
    row.r = [Val::ZERO; 4];
    row.s_r = Val::ZERO;
    row.n_r = Val::ZERO;
    assert_rejected_by(&mut s, "p0 + CHUNK * p1 === LIMB * carry0");
}

#[test]
fn wrong_word_sign_extension_is_rejected() {
    let ops = small_ops();
    for o in [ops[5], ops[6]] {
        let mut s = statement(&ops);
        // Zero- instead of sign-extended (both results have bit 31 set).
        let c = o.result().unwrap().0;
        assert_eq!(c >> 31, 0x1_ffff_ffff);
        s.claim(o, c & 0xffff_ffff, false);
        assert_rejected_by(&mut s, "+ ONES32 * c_sign");
    }
}

#[test]
fn wrong_flag_is_rejected() {
    let ops = small_ops();
    // A division by 7 flagged as a division by zero.
    let mut s = statement(&ops);
    let o = ops[1];
    s.claim(o, o.result().unwrap().0, true);
    assert_rejected_by(&mut s, "div0 * y[k] === 0");
    // A division by zero without the flag.
    let mut s = statement(&ops);
    let o = ops[3];
    s.claim(o, u64::MAX, false);
    assert_rejected_by(&mut s, "chk * (d[0] + CHUNK * d[1] + 1 + n_r");
    // A multiplication with the flag.
    let mut s = statement(&ops);
    let o = ops[0];
    s.claim(o, o.result().unwrap().0, true);
    assert_rejected_by(&mut s, "div0 * is_mul === 0");
}

#[test]
fn result_changed_by_the_driver_alone_unbalances_the_bus() {
    let ops = small_ops();
    let mut s = statement(&ops);
    let driver = s.instance("Driver");
    s.inner.traces[driver].row_mut(0)[5] += Val::ONE;
    let report = s.check().unwrap_err();
    assert_eq!(report.total_constraint_failures, 0, "{report}");
    assert!(
        report.bus_failures.iter().all(|f| f.bus == OPERATION_BUS),
        "{report}"
    );
    assert_eq!(s.prove_and_verify(), Err(VerifyError::BusImbalance));
}
