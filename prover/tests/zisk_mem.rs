//! The memory machines `RamMem`, `RomData` and `InputData` (`pil/zisk/mem.pil`, filled by
//! `zisk_prover::witness::zisk::mem`) against a test-only `Driver` AIR that assumes every
//! access's tuple on the memory bus (`bus:10`), standing for Main. Seeded random read/write
//! histories over a few words of each region, split into several instances per region (so the
//! continuation chain on `bus:11` is exercised), pass `verify_constraints` and prove and
//! verify. A forged read, a non-zero first RAM read, rows out of order, an input write, an
//! address outside the region, a broken chain and a dropped row are each rejected by
//! `verify_constraints` and by verification; the filler rejects inconsistent histories.

use std::borrow::BorrowMut;
use std::sync::OnceLock;

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_matrix::Matrix;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zisk_generated::support::PilProgramInfo;
use zisk_generated::zisk::input_data::InputDataRow;
use zisk_generated::zisk::ram_mem::RamMemRow;
use zisk_generated::zisk::AnyAir;
use zisk_prover::pil::PilStatement;
use zisk_prover::witness::zisk::mem::{self, MemAccess, MemError, Region};
use zisk_prover::{ConstraintReport, Val, VerifyError};

#[path = "common/driver.rs"]
mod driver;

use driver::{heights_for, names_constraint, Driver, Harness, Rows};

/// The memory bus and the continuation bus as the prover names them.
const MEMORY_BUS: &str = "bus:10";
const CONTINUATION_BUS: &str = "bus:11";
/// Rows per memory instance, and the memory heights setup prepares.
const MAX_ROWS: usize = 16;
const MEM_LOG_HEIGHTS: [usize; 2] = [3, 4];
/// Accesses per region in the random histories (three instances of at most 16 rows).
const ACCESSES: usize = 40;

/// The driver stands for Main: it assumes every access's 6-field tuple on the memory bus, in
/// one instance of 2^8 rows that holds every access of a test. Of the program's proof-level
/// terms it keeps those on the continuation bus only (the memory sentinels): the other
/// machines' need instances this test does not have.
const DRIVER: Driver = Driver {
    bus: MEMORY_BUS,
    fields: 6,
    rows: Rows::Assume,
    log_heights: &[8],
    keeps_global_term: |t| t.bus == CONTINUATION_BUS,
};

/// The program's AIRs and the driver; the key covers the memory AIRs at the test heights, the
/// range tables they use and the driver (this test has no instances of the other AIRs).
fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        Harness::new(DRIVER, |m| {
            heights_for(m, &Region::ALL.map(Region::air), &MEM_LOG_HEIGHTS)
        })
    })
}

/// One memory instance: its AIR, trace and airvals.
#[derive(Clone, Debug)]
struct MemInstance {
    air: AnyAir,
    trace: RowMajorMatrix<Val>,
    airvals: Vec<Val>,
}

/// The memory instances the filler built and the tuples the driver assumes, each editable
/// before [`Parts::statement`] assembles them (range tables counted from the edited traces).
#[derive(Clone, Debug)]
struct Parts {
    mem: Vec<MemInstance>,
    driver: Vec<[u64; 6]>,
}

fn fill_all(histories: &[(Region, Vec<MemAccess>)]) -> Result<Vec<MemInstance>, MemError> {
    let mut w = harness().witness();
    for (region, accesses) in histories {
        mem::fill(&mut w, *region, accesses.clone(), MAX_ROWS)?;
    }
    let s = w.finish();
    Ok(s.instances
        .iter()
        .zip(s.traces)
        .filter_map(|(spec, trace)| {
            harness().machine.airs()[spec.air_id]
                .generated()
                .map(|&air| MemInstance {
                    air,
                    trace,
                    airvals: spec.public_values[AnyAir::num_publics()..].to_vec(),
                })
        })
        .collect())
}

fn parts(histories: &[(Region, Vec<MemAccess>)]) -> Parts {
    Parts {
        mem: fill_all(histories).unwrap(),
        driver: histories
            .iter()
            .flat_map(|(_, accesses)| accesses.iter().map(MemAccess::bus_tuple))
            .collect(),
    }
}

impl Parts {
    fn statement(&self) -> PilStatement {
        let mut w = harness().witness();
        for m in &self.mem {
            w.push(&m.air, m.trace.clone(), &m.airvals).unwrap();
        }
        let mut s = w.finish();
        harness().push_driver(&mut s, self.driver.iter().map(|t| (t, -1)));
        s
    }

    fn check(&self) -> Result<(), ConstraintReport> {
        harness().check(&self.statement())
    }

    fn prove_and_verify(&self) -> Result<(), VerifyError> {
        harness().prove_and_verify(&self.statement())
    }

    /// The instances of `region`, in chain order.
    fn instances(&mut self, region: Region) -> Vec<&mut MemInstance> {
        self.mem
            .iter_mut()
            .filter(|m| m.air == region.air())
            .collect()
    }

    /// The instance and row of the `g`-th access of `region` in sorted order.
    fn locate(&mut self, region: Region, g: usize) -> (&mut MemInstance, usize) {
        let instance = self.instances(region).swap_remove(g / MAX_ROWS);
        (instance, g % MAX_ROWS)
    }

    fn ram(&mut self, g: usize) -> &mut RamMemRow<Val> {
        let (m, row) = self.locate(Region::Ram, g);
        m.trace.row_mut(row).borrow_mut()
    }

    fn input(&mut self, g: usize) -> &mut InputDataRow<Val> {
        let (m, row) = self.locate(Region::Input, g);
        m.trace.row_mut(row).borrow_mut()
    }

    /// The driver's tuple of the access at (`addr`, `step`).
    fn driver(&mut self, access: &MemAccess) -> &mut [u64; 6] {
        self.driver
            .iter_mut()
            .find(|t| t[1] == access.addr && t[2] == access.step)
            .expect("no such access")
    }
}

/// A random history of `len` accesses over a few words of `region` (including its last word),
/// with increasing steps; reads return the memory's value, input words hold random values.
fn history(region: Region, seed: u64, len: usize) -> Vec<MemAccess> {
    let mut rng = StdRng::seed_from_u64(seed);
    let words = [
        region.start(),
        region.start() + 8,
        region.start() + 0x1_0000,
        region.start() + 0x12_3458,
        region.end() - 8,
    ];
    let mut values: Vec<Option<u64>> = vec![None; words.len()];
    let mut step = 0;
    (0..len)
        .map(|_| {
            step += rng.gen_range(1..20);
            let w = rng.gen_range(0..words.len());
            let write = region != Region::Input && rng.gen_bool(0.4);
            let value = if write {
                let v = rng.gen();
                values[w] = Some(v);
                v
            } else if region == Region::Input {
                *values[w].get_or_insert_with(|| rng.gen())
            } else {
                values[w].unwrap_or(0)
            };
            MemAccess {
                addr: words[w],
                step,
                is_write: write,
                value,
            }
        })
        .collect()
}

fn sorted(accesses: &[MemAccess]) -> Vec<MemAccess> {
    let mut s = accesses.to_vec();
    s.sort_by_key(|a| (a.addr, a.step));
    s
}

fn histories() -> Vec<(Region, Vec<MemAccess>)> {
    Region::ALL
        .into_iter()
        .zip([0x3e30, 0x3e31, 0x3e32])
        .map(|(region, seed)| (region, history(region, seed, ACCESSES)))
        .collect()
}

/// The first access (in sorted order) `pick` selects, and its index.
fn find(accesses: &[MemAccess], pick: impl Fn(usize, &MemAccess) -> bool) -> (usize, MemAccess) {
    let s = sorted(accesses);
    let g = (0..s.len())
        .find(|&g| pick(g, &s[g]))
        .expect("no such access");
    (g, s[g])
}

fn is_first_access(s: &[MemAccess], g: usize) -> bool {
    g == 0 || s[g - 1].addr != s[g].addr
}

fn assert_rejected_by(p: &Parts, air: &str, pil_text: &str) {
    let report = p.check().unwrap_err();
    assert!(
        names_constraint(&report, air, "zisk/mem.pil", pil_text),
        "{report}"
    );
    assert!(matches!(
        p.prove_and_verify(),
        Err(VerifyError::OodEvaluationMismatch { .. })
    ));
}

fn assert_unbalanced(p: &Parts, bus_prefix: &str) {
    let report = p.check().unwrap_err();
    assert_eq!(report.total_constraint_failures, 0, "{report}");
    assert!(
        report
            .bus_failures
            .iter()
            .any(|f| f.bus.starts_with(bus_prefix)),
        "{report}"
    );
    assert_eq!(p.prove_and_verify(), Err(VerifyError::BusImbalance));
}

fn add(cell: &mut Val, by: u64) {
    *cell += Val::from_u64(by);
}

#[test]
fn regions_prove_and_verify() {
    let h = histories();
    let p = parts(&h);
    for region in Region::ALL {
        let count = p.mem.iter().filter(|m| m.air == region.air()).count();
        assert_eq!(count, ACCESSES.div_ceil(MAX_ROWS), "{region:?}");
    }
    p.check().unwrap_or_else(|r| panic!("{r}"));
    p.prove_and_verify().unwrap();
}

#[test]
fn regions_without_accesses_get_one_padding_instance() {
    let p = parts(&[
        (Region::Ram, history(Region::Ram, 7, MAX_ROWS)),
        (Region::RomData, Vec::new()),
        (Region::Input, Vec::new()),
    ]);
    for (region, count) in [(Region::Ram, 1), (Region::RomData, 1), (Region::Input, 1)] {
        assert_eq!(
            p.mem.iter().filter(|m| m.air == region.air()).count(),
            count
        );
    }
    p.check().unwrap_or_else(|r| panic!("{r}"));
    // A region left out entirely leaves its sentinel unmatched.
    let mut q = p.clone();
    q.mem.retain(|m| m.air != Region::Input.air());
    let report = q.check().unwrap_err();
    assert!(
        report
            .bus_failures
            .iter()
            .all(|f| f.bus == CONTINUATION_BUS),
        "{report}"
    );
}

#[test]
fn filler_rejects_inconsistent_histories() {
    let read = |addr, step, value| MemAccess {
        addr,
        step,
        is_write: false,
        value,
    };
    let write = |addr, step, value| MemAccess {
        addr,
        step,
        is_write: true,
        value,
    };
    let ram = 0xA000_0000;
    let fill = |region, accesses: Vec<MemAccess>| fill_all(&[(region, accesses)]).map(|_| ());
    assert!(matches!(
        fill(Region::Ram, vec![write(ram, 1, 5), read(ram, 2, 6)]),
        Err(MemError::InconsistentRead {
            expected: 5,
            got: 6,
            ..
        })
    ));
    assert!(matches!(
        fill(Region::RomData, vec![read(0x8000_0008, 1, 1)]),
        Err(MemError::InconsistentRead { expected: 0, .. })
    ));
    assert!(matches!(
        fill(Region::Input, vec![write(0x4000_0000, 1, 1)]),
        Err(MemError::WriteToInput { .. })
    ));
    assert!(matches!(
        fill(
            Region::Input,
            vec![read(0x4000_0000, 1, 9), read(0x4000_0000, 3, 8)]
        ),
        Err(MemError::InconsistentRead {
            expected: 9,
            got: 8,
            ..
        })
    ));
    assert!(matches!(
        fill(Region::Ram, vec![write(0xC000_0000, 1, 1)]),
        Err(MemError::OutOfRegion { .. })
    ));
    assert!(matches!(
        fill(Region::Ram, vec![write(ram + 4, 1, 1)]),
        Err(MemError::Unaligned { .. })
    ));
    assert!(matches!(
        fill(Region::Ram, vec![write(ram, 1, 1), write(ram, 1, 2)]),
        Err(MemError::DuplicateStep { .. })
    ));
    assert!(matches!(
        fill(
            Region::Ram,
            vec![write(ram, 1, 1), read(ram, 2 + (1 << 32), 1)]
        ),
        Err(MemError::StepGap { .. })
    ));
    assert!(fill(
        Region::Ram,
        vec![write(ram, 1, 1), read(ram, 1 + (1 << 32), 1)]
    )
    .is_ok());
    assert!(matches!(
        fill(Region::Ram, vec![write(ram, 1 << 34, 1)]),
        Err(MemError::StepOutOfRange { .. })
    ));
    let mut w = harness().witness();
    for max_rows in [0, 4, 24, mem::MEM_N * 2] {
        assert_eq!(
            mem::fill(&mut w, Region::Ram, Vec::new(), max_rows),
            Err(MemError::MaxRows { max_rows })
        );
    }
}

#[test]
fn forged_read_is_rejected() {
    let h = histories();
    let mut p = parts(&h);
    let ram = &h[0].1;
    let s = sorted(ram);
    let (g, access) = find(ram, |g, a| !a.is_write && !is_first_access(&s, g));
    add(&mut p.ram(g).v_lo, 1);
    p.driver(&access)[4] += 1;
    assert_rejected_by(&p, "RamMem", "`keep * (v_lo - p_lo) === 0`");
}

#[test]
fn nonzero_first_ram_read_is_rejected() {
    let h = histories();
    let mut p = parts(&h);
    let ram = &h[0].1;
    let s = sorted(ram);
    let (g, access) = find(ram, |g, a| !a.is_write && is_first_access(&s, g));
    assert_eq!(access.value, 0);
    add(&mut p.ram(g).v_hi, 7);
    p.driver(&access)[5] += 7;
    assert_rejected_by(&p, "RamMem", "`(1 - wr - keep) * v_hi === 0`");
}

#[test]
fn rows_out_of_order_are_rejected() {
    let h = histories();
    let mut p = parts(&h);
    let ram = &h[0].1;
    let s = sorted(ram);
    // Two real rows of one instance with different words, swapped: the bus still balances.
    let (g, _) = find(ram, |g, a| {
        g % MAX_ROWS != MAX_ROWS - 1 && g + 1 < s.len() && s[g + 1].addr != a.addr
    });
    let (m, row) = p.locate(Region::Ram, g);
    let width = m.trace.width;
    let (upper, lower) = m.trace.values.split_at_mut((row + 1) * width);
    upper[row * width..].swap_with_slice(&mut lower[..width]);
    assert_rejected_by(&p, "RamMem", "`d_lo + LIMB * d_hi === ");
}

#[test]
fn input_write_is_rejected() {
    let h = histories();
    let mut p = parts(&h);
    let input = &h[2].1;
    let (g, access) = find(input, |_, _| true);
    let row = p.input(g);
    row.wr = Val::ONE;
    row.keep = Val::ZERO;
    p.driver(&access)[0] = 2;
    assert_rejected_by(&p, "InputData", "`wr === 0`");
}

#[test]
fn address_outside_the_region_is_rejected() {
    // The last RAM word, written once and last in sorted order, moved one word past the end,
    // with every row, airval and chunk that depends on it made consistent: only the region's
    // range check (offset 2^26 has no 10-bit high chunk) fails.
    let mut h = histories();
    let end = Region::Ram.end() - 8;
    h[0].1.retain(|a| a.addr != end);
    let last = MemAccess {
        addr: end,
        step: 1_000,
        is_write: true,
        value: 0x1234_5678_9abc_def0,
    };
    h[0].1.push(last);
    let mut p = parts(&h);
    let g = h[0].1.len() - 1;
    let (m, row) = p.locate(Region::Ram, g);
    for r in row..m.trace.height() {
        let cells: &mut RamMemRow<Val> = m.trace.row_mut(r).borrow_mut();
        add(&mut cells.addr_w, 1);
    }
    m.airvals[6] += Val::ONE;
    let cells: &mut RamMemRow<Val> = m.trace.row_mut(row).borrow_mut();
    add(&mut cells.d_lo, 1);
    cells.a_lo = Val::ZERO;
    cells.a_hi = Val::from_u64(1 << 10);
    p.driver(&last)[1] += 8;
    assert_unbalanced(&p, "range:");
}

#[test]
fn broken_chain_is_rejected() {
    // Instance 1 of RAM claims to start one step earlier than instance 0 ended; its first row
    // is adjusted so that every constraint holds: only the continuation bus is unbalanced.
    let h = histories();
    let mut p = parts(&h);
    let first: &mut RamMemRow<Val> = {
        let (m, _) = p.locate(Region::Ram, MAX_ROWS);
        m.airvals[3] -= Val::ONE;
        m.trace.row_mut(0).borrow_mut()
    };
    if first.same == Val::ONE {
        add(&mut first.d_lo, 1);
    }
    assert_unbalanced(&p, CONTINUATION_BUS);
}

#[test]
fn dropped_row_is_rejected() {
    // Mem leaves out one read (still a consistent history on its own); the driver assumes it.
    let h = histories();
    let mut p = parts(&h);
    let mut fewer = h.clone();
    let i = fewer[1].1.iter().position(|a| !a.is_write).unwrap();
    fewer[1].1.remove(i);
    p.mem = fill_all(&fewer).unwrap();
    assert_unbalanced(&p, MEMORY_BUS);
}

#[test]
fn every_changed_cell_is_rejected() {
    // Every cell and airval of a small statement (one RAM, one all-padding RomData and one
    // InputData instance of 8 rows) is pinned by a constraint or a bus.
    let p = parts(&[
        (Region::Ram, history(Region::Ram, 11, 5)),
        (Region::RomData, Vec::new()),
        (Region::Input, history(Region::Input, 12, 5)),
    ]);
    p.check().unwrap_or_else(|r| panic!("{r}"));
    for (k, m) in p.mem.iter().enumerate() {
        let width = m.trace.width;
        for cell in 0..m.trace.values.len() {
            let mut q = p.clone();
            q.mem[k].trace.values[cell] += Val::ONE;
            assert!(
                q.check().is_err(),
                "{:?}: row {} column {} is free",
                m.air,
                cell / width,
                cell % width
            );
        }
        for v in 0..m.airvals.len() {
            let mut q = p.clone();
            q.mem[k].airvals[v] += Val::ONE;
            assert!(q.check().is_err(), "{:?}: airval {v} is free", m.air);
        }
    }
}
