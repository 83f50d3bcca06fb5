//! `MemAlign` (`pil/zisk/mem_align.pil`, filled by `zisk_prover::witness::zisk::mem_align`)
//! against a test-only `Driver` AIR standing for both of its neighbours on the memory bus
//! (`bus:10`): it assumes every sub-word or unaligned access (Main's side) and proves the
//! aligned 8-byte accesses `mem_accesses` derives (Mem's side), so the bus balances with
//! MemAlign alone. Loads and stores of every width and offset, crossing accesses included,
//! pass `verify_constraints` and prove and verify; a wrong loaded byte, a store that changes
//! an unselected byte or writes a wrong one, a wrong offset pattern and an out-of-range byte
//! (with a compensating change so the limbs stay equal) fail both.

use std::borrow::BorrowMut;
use std::sync::OnceLock;

use p3_field::PrimeCharacteristicRing;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zisk_generated::zisk::mem_align::{MemAlignAir, MemAlignRow};
use zisk_generated::zisk::AnyAir;
use zisk_prover::pil::{PilMachine, PilMachineAir, PilStatement};
use zisk_prover::witness::zisk::mem_align::{
    self, mem_accesses, needs_align, AlignedAccess, CrossingAccess, MemAlignError,
};
use zisk_prover::{ConstraintReport, Val, VerifyError};

#[path = "common/driver.rs"]
mod driver;

use driver::{names_constraint, Driver, Harness, Rows};

/// The memory bus as the prover names it.
const MEMORY_BUS: &str = "bus:10";
/// MemAlign heights setup prepares.
const MEM_ALIGN_LOG_HEIGHTS: [usize; 6] = [3, 4, 5, 6, 7, 8];
/// The largest range table setup prepares (MemAlign checks 8- and 5-bit ranges only).
const MAX_RANGE_LOG_HEIGHT: usize = 8;

/// The driver stands for Main and Mem on the memory bus: its rows are the memory tuple
/// `[mem_op, addr, mem_step, bytes, value_lo, value_hi]` with a signed count (−1 assume,
/// +1 prove, 0 padding). It keeps no proof-level terms: only the memory bus between MemAlign
/// and its neighbours is under test, and Main's boot/end and output terms and the memory
/// regions' chain starts have no Main or Mem here to answer them.
const DRIVER: Driver = Driver {
    bus: MEMORY_BUS,
    fields: 6,
    rows: Rows::Signed,
    log_heights: &[8, 9, 10],
    keeps_global_term: |_| false,
};

/// The program's AIRs and the driver; the key covers MemAlign, the small range tables and the
/// driver only (the other machines are not part of these statements).
fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| Harness::new(DRIVER, key_heights))
}

fn key_heights(machine: &PilMachine<AnyAir>) -> Vec<Vec<usize>> {
    let mem_align = machine
        .air_id(&AnyAir::MemAlign(MemAlignAir))
        .expect("MemAlign is part of the program");
    machine
        .airs()
        .iter()
        .enumerate()
        .map(|(id, air)| match air {
            _ if id == mem_align => MEM_ALIGN_LOG_HEIGHTS.to_vec(),
            PilMachineAir::Range(t) if t.log_height() <= MAX_RANGE_LOG_HEIGHT => {
                vec![t.log_height()]
            }
            _ => Vec::new(),
        })
        .collect()
}

/// A MemAlign statement for `accesses` plus the driver instance.
struct Statement {
    inner: PilStatement,
}

fn tuple(op_is_write: bool, addr: u64, step: u64, bytes: u64, value: u64) -> [u64; 6] {
    [
        1 + u64::from(op_is_write),
        addr,
        step,
        bytes,
        value & 0xffff_ffff,
        value >> 32,
    ]
}

/// Driver rows: per access, its sub-word tuple assumed (−1), then the aligned accesses proved
/// (+1).
fn driver_rows(accesses: &[CrossingAccess]) -> Vec<([u64; 6], i64)> {
    let mut rows = Vec::new();
    for c in accesses {
        let a = &c.access;
        rows.push((
            tuple(a.op_is_write, a.addr, a.step, a.bytes.into(), a.value),
            -1,
        ));
        for (addr, step, is_write, value) in c.mem_accesses().unwrap() {
            rows.push((tuple(is_write, addr, step, 8, value), 1));
        }
    }
    rows
}

/// The statement of `accesses` in instances of at most `max_rows` rows, filled by
/// `fill_crossing` or (`plain`) by `fill`.
fn statement_with(accesses: &[CrossingAccess], max_rows: usize, plain: bool) -> Statement {
    let mut w = harness().witness();
    if plain {
        let plain: Vec<AlignedAccess> = accesses.iter().map(|c| c.access).collect();
        mem_align::fill(&mut w, &plain, max_rows).unwrap();
    } else {
        mem_align::fill_crossing(&mut w, accesses, max_rows).unwrap();
    }
    let mut inner = w.finish();
    harness().push_driver(&mut inner, driver_rows(accesses));
    Statement { inner }
}

fn statement(accesses: &[CrossingAccess]) -> Statement {
    statement_with(accesses, 1 << 8, false)
}

impl Statement {
    fn check(&self) -> Result<(), ConstraintReport> {
        harness().check(&self.inner)
    }

    fn prove_and_verify(&self) -> Result<(), VerifyError> {
        harness().prove_and_verify(&self.inner)
    }

    fn instances(&self, name: &str) -> Vec<usize> {
        harness().instances(&self.inner, name)
    }

    /// Row `row` of the (first) MemAlign instance.
    fn row(&mut self, row: usize) -> &mut MemAlignRow<Val> {
        let i = self.instances("MemAlign")[0];
        self.inner.traces[i].row_mut(row).borrow_mut()
    }
}

/// Every (width, offset) MemAlign handles, as loads and stores, on fixed words.
fn every_pattern() -> Vec<CrossingAccess> {
    let mut out = Vec::new();
    let mut step = 1;
    for bytes in [1u8, 2, 4, 8] {
        for offset in 0..8u64 {
            let addr = 0xa000_1000 + 64 * u64::from(bytes) + offset;
            if !needs_align(addr, bytes) {
                continue;
            }
            for op_is_write in [false, true] {
                out.push(access(
                    op_is_write,
                    addr,
                    step,
                    bytes,
                    0xfedc_ba98_7654_3210,
                    0x0123_4567_89ab_cdef,
                    0x8899_aabb_ccdd_eeff,
                ));
                step += 4;
            }
        }
    }
    out
}

/// An access whose load value is read from the words (stores keep `value`).
fn access(
    op_is_write: bool,
    addr: u64,
    step: u64,
    bytes: u8,
    value: u64,
    old_word: u64,
    next_old_word: u64,
) -> CrossingAccess {
    let mut a = AlignedAccess {
        op_is_write,
        addr,
        step,
        bytes,
        value,
        old_word,
    };
    if !op_is_write {
        let words = u128::from(old_word) | u128::from(next_old_word) << 64;
        let mask = if bytes == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * bytes)) - 1
        };
        a.value = (words >> (8 * (addr % 8))) as u64 & mask;
    }
    CrossingAccess {
        access: a,
        next_old_word,
    }
}

fn crosses(c: &CrossingAccess) -> bool {
    c.access.addr % 8 + u64::from(c.access.bytes) > 8
}

fn random_accesses(seed: u64, count: usize) -> Vec<CrossingAccess> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let bytes = [1u8, 2, 4, 8][rng.gen_range(0..4)];
        let addr = rng.gen_range(0..(1u64 << 32) - 16);
        if !needs_align(addr, bytes) {
            continue;
        }
        let step = 1 + 4 * rng.gen_range(0..1u64 << 40) + rng.gen_range(0..3);
        out.push(access(
            rng.gen_bool(0.5),
            addr,
            step,
            bytes,
            rng.gen(),
            rng.gen(),
            rng.gen(),
        ));
    }
    out
}

fn all_accesses() -> Vec<CrossingAccess> {
    let mut out = every_pattern();
    out.extend(random_accesses(0xa11a, 40));
    out
}

/// The row of the first access `pick` selects.
fn find(accesses: &[CrossingAccess], pick: impl Fn(&AlignedAccess) -> bool) -> usize {
    accesses
        .iter()
        .position(|c| pick(&c.access))
        .expect("no such access")
}

fn assert_rejected(s: &Statement) {
    let report = s.check().unwrap_err();
    assert!(
        report.total_constraint_failures > 0 || !report.bus_failures.is_empty(),
        "{report}"
    );
    assert!(s.prove_and_verify().is_err());
}

fn assert_rejected_by(s: &Statement, pil_line_text: &str) {
    let report = s.check().unwrap_err();
    assert!(
        names_constraint(&report, "MemAlign", "zisk/mem_align.pil", pil_line_text),
        "{report}"
    );
    assert!(s.prove_and_verify().is_err());
}

#[test]
fn mem_accesses_and_errors() {
    let load = access(false, 0x1003, 9, 2, 0, 0x1122_3344_5566_7788, 0).access;
    assert_eq!(load.value, 0x4455);
    assert_eq!(
        mem_accesses(&load).unwrap(),
        vec![(0x1000, 9, false, 0x1122_3344_5566_7788)]
    );
    let store = access(
        true,
        0x1006,
        11,
        4,
        0xdead_beef,
        0x1122_3344_5566_7788,
        u64::MAX,
    );
    assert_eq!(
        mem_accesses(&store.access),
        Err(MemAlignError::CrossesWord {
            addr: 0x1006,
            bytes: 4
        })
    );
    assert_eq!(
        store.mem_accesses().unwrap(),
        vec![
            (0x1000, 11, false, 0x1122_3344_5566_7788),
            (0x1008, 11, false, u64::MAX),
            (0x1000, 12, true, 0xbeef_3344_5566_7788),
            (0x1008, 12, true, 0xffff_ffff_ffff_dead),
        ]
    );
    assert!(needs_align(0x1001, 8) && needs_align(0x1000, 4) && !needs_align(0x1000, 8));
    let err = |a: AlignedAccess| mem_accesses(&a).unwrap_err();
    assert_eq!(
        err(AlignedAccess { bytes: 3, ..load }),
        MemAlignError::InvalidWidth {
            addr: 0x1003,
            bytes: 3
        }
    );
    assert_eq!(
        err(AlignedAccess {
            addr: 0x1000,
            bytes: 8,
            ..load
        }),
        MemAlignError::Aligned { addr: 0x1000 }
    );
    assert_eq!(
        err(AlignedAccess {
            addr: 0xffff_fffd,
            bytes: 4,
            ..store.access
        }),
        MemAlignError::AddressOutOfRange {
            addr: 0xffff_fffd,
            bytes: 4
        }
    );
    assert!(matches!(
        err(AlignedAccess { value: 1, ..load }),
        MemAlignError::LoadMismatch {
            expected: 0x4455,
            ..
        }
    ));
    let mut w = harness().witness();
    for max_rows in [0, 4, 12, 1 << 17] {
        assert_eq!(
            mem_align::fill(&mut w, &[load], max_rows),
            Err(MemAlignError::InvalidMaxRows { max_rows })
        );
    }
    assert_eq!(
        mem_align::fill(&mut w, &[load, store.access], 8),
        Err(MemAlignError::CrossesWord {
            addr: 0x1006,
            bytes: 4
        })
    );
    assert!(w.finish().instances.is_empty());
}

#[test]
fn every_width_and_offset_proves_and_verifies() {
    let accesses = all_accesses();
    let s = statement(&accesses);
    s.check().unwrap_or_else(|r| panic!("{r}"));
    s.prove_and_verify().unwrap();
}

#[test]
fn accesses_split_into_instances() {
    let accesses: Vec<CrossingAccess> = random_accesses(0x5eed, 100)
        .into_iter()
        .filter(|c| !crosses(c))
        .take(41)
        .collect();
    assert_eq!(accesses.len(), 41);
    let s = statement_with(&accesses, 16, true);
    let heights: Vec<usize> = s
        .instances("MemAlign")
        .iter()
        .map(|&i| s.inner.instances[i].log_height)
        .collect();
    assert_eq!(heights, vec![4, 4, 4]);
    s.check().unwrap_or_else(|r| panic!("{r}"));
    let s = statement_with(&accesses[..3], 16, true);
    assert_eq!(s.inner.instances[s.instances("MemAlign")[0]].log_height, 3);
    s.check().unwrap_or_else(|r| panic!("{r}"));
}

#[test]
fn wrong_loaded_byte_is_rejected() {
    let accesses = all_accesses();
    let mut s = statement(&accesses);
    let row = find(&accesses, |a| {
        !a.op_is_write && a.bytes == 2 && a.addr % 8 == 3
    });
    // The load returns byte 5 of the word where byte 4 is (claimed on both sides of the bus:
    // the driver's tuple is changed to match).
    let r = s.row(row);
    r.v[0] = r.old[5];
    let (v0, v1) = (r.v[0], r.v[1]);
    let driver = s.instances("Driver")[0];
    let drow = driver_rows(&accesses[..row]).len();
    s.inner.traces[driver].row_mut(drow)[4] = v0 + v1 * Val::from_u64(256);
    assert_rejected_by(&s, "off[o] * gt * (v[j] - new[i]) === 0");
}

#[test]
fn store_changing_an_unselected_byte_is_rejected() {
    let accesses = all_accesses();
    let mut s = statement(&accesses);
    let row = find(&accesses, |a| {
        a.op_is_write && a.bytes == 1 && a.addr % 8 == 2
    });
    let r = s.row(row);
    r.new[3] += Val::ONE;
    assert_rejected_by(&s, "(1 - touched) * (new[i] - old[i]) === 0");
}

#[test]
fn store_writing_a_wrong_byte_is_rejected() {
    let accesses = all_accesses();
    let mut s = statement(&accesses);
    let row = find(&accesses, |a| {
        a.op_is_write && a.bytes == 4 && a.addr % 8 == 6
    });
    let r = s.row(row);
    r.new[9] += Val::ONE;
    assert_rejected_by(&s, "off[o] * gt * (v[j] - new[i]) === 0");
}

#[test]
fn wrong_offset_pattern_is_rejected() {
    let accesses = all_accesses();
    let mut s = statement(&accesses);
    let row = find(&accesses, |a| {
        !a.op_is_write && a.bytes == 1 && a.addr % 8 == 4
    });
    // Two offsets set: the proved address and the byte map no longer agree.
    s.row(row).off[5] = Val::ONE;
    assert_rejected_by(&s, "sel * (1 - sel) === 0");
    let mut s = statement(&accesses);
    // The aligned 8-byte pattern is not MemAlign's.
    let row = find(&accesses, |a| {
        !a.op_is_write && a.bytes == 8 && a.addr % 8 == 1
    });
    let r = s.row(row);
    r.off[1] = Val::ZERO;
    r.off[0] = Val::ONE;
    assert_rejected_by(&s, "off[0] * w8 === 0");
}

#[test]
fn out_of_range_byte_is_rejected() {
    let accesses = all_accesses();
    let mut s = statement(&accesses);
    let row = find(&accesses, |a| {
        !a.op_is_write && a.bytes == 4 && a.addr % 8 == 0
    });
    // Bytes 0 and 1 of both the word and the value become `b0 + 256`, `b1 − 1`: every limb,
    // every byte equation and the bus are unchanged, only the range check fails.
    let r = s.row(row);
    for col in [&mut r.old, &mut r.new] {
        col[0] += Val::from_u64(256);
        col[1] -= Val::ONE;
    }
    r.v[0] += Val::from_u64(256);
    r.v[1] -= Val::ONE;
    let report = s.check().unwrap_err();
    assert_eq!(report.total_constraint_failures, 0, "{report}");
    assert!(!report.bus_failures.is_empty(), "{report}");
    assert!(
        report.bus_failures.iter().all(|f| f.bus != MEMORY_BUS),
        "{report}"
    );
    assert_eq!(s.prove_and_verify(), Err(VerifyError::BusImbalance));
}

#[test]
fn value_changed_by_the_driver_alone_unbalances_the_bus() {
    let accesses = all_accesses();
    let mut s = statement(&accesses);
    let driver = s.instances("Driver")[0];
    s.inner.traces[driver].row_mut(0)[5] += Val::ONE;
    let report = s.check().unwrap_err();
    assert_eq!(report.total_constraint_failures, 0, "{report}");
    assert!(
        report.bus_failures.iter().all(|f| f.bus == MEMORY_BUS),
        "{report}"
    );
    assert_rejected(&s);
}

#[test]
fn every_changed_cell_is_rejected() {
    let accesses = [
        access(false, 0x2003, 5, 2, 0, 0x0123_4567_89ab_cdef, 0),
        access(
            true,
            0x2011,
            9,
            4,
            0xdead_beef_cafe_f00d,
            0x0123_4567_89ab_cdef,
            0,
        ),
        access(
            false,
            0x2027,
            13,
            8,
            0,
            0x0123_4567_89ab_cdef,
            0x8899_aabb_ccdd_eeff,
        ),
        access(
            true,
            0x2035,
            17,
            4,
            0x1234_5678,
            0x0123_4567_89ab_cdef,
            0x8899_aabb_ccdd_eeff,
        ),
    ];
    let s = statement(&accesses);
    s.check().unwrap_or_else(|r| panic!("{r}"));
    let instance = s.instances("MemAlign")[0];
    // Every access row and one padding row.
    harness().assert_cells_pinned(&s.inner, instance, accesses.len() + 1);
}
