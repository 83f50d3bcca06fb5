//! Witness filler of `pil/zisk/mem.pil`: the memory machines `RamMem`, `RomData` and
//! `InputData`, one row per aligned 8-byte access of a region, sorted by (word, step), split
//! into a chain of instances linked by their continuation airvals.

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;
use zisk_generated::support::generate_trace;
use zisk_generated::zisk::input_data::{InputDataAir, InputDataRow, NUM_INPUT_DATA_COLS};
use zisk_generated::zisk::ram_mem::{RamMemAir, RamMemRow, NUM_RAM_MEM_COLS, RAM_MEM_N};
use zisk_generated::zisk::rom_data::{RomDataAir, RomDataRow, NUM_ROM_DATA_COLS};
use zisk_generated::zisk::AnyAir;

use crate::config::Val;
use crate::keys::MIN_LOG_HEIGHT;
use crate::pil::{PilError, PilWitness};

/// Every memory machine's declared height `N` (the same template parameter for all three).
pub const MEM_N: usize = RAM_MEM_N;

/// Steps are below `2^34` (`mem_step = 1 + 4·STEP + slot`).
const MAX_STEP: u64 = 1 << 34;
/// Two accesses of one word are at most `2^32` steps apart (two 16-bit gap chunks).
const MAX_STEP_GAP: u64 = 1 << 32;
const LOW32: u64 = 0xffff_ffff;

/// One aligned 8-byte access, as Main (or MemAlign) puts it on the memory bus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemAccess {
    /// Byte address, a multiple of 8.
    pub addr: u64,
    /// `mem_step` (unique per address, below `2^34`).
    pub step: u64,
    /// A store (otherwise a load).
    pub is_write: bool,
    /// The value written or read.
    pub value: u64,
}

impl MemAccess {
    /// The memory-bus tuple `[mem_op, addr, mem_step, bytes, value_lo, value_hi]` its row
    /// proves.
    pub fn bus_tuple(&self) -> [u64; 6] {
        [
            if self.is_write { 2 } else { 1 },
            self.addr,
            self.step,
            8,
            self.value & LOW32,
            self.value >> 32,
        ]
    }
}

/// A memory region, one memory machine each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    /// RAM, `0xA000_0000..0xC000_0000` (`RamMem`).
    Ram,
    /// Read-only data, `0x8000_0000..0x8800_0000` (`RomData`).
    RomData,
    /// Private input, `0x4000_0000..0x4800_0000` (`InputData`, never written).
    Input,
}

impl Region {
    /// All regions, in the order of their `REGION` ids.
    pub const ALL: [Region; 3] = [Region::Ram, Region::RomData, Region::Input];

    /// The region holding byte address `addr`, if any.
    pub fn of(addr: u64) -> Option<Region> {
        Self::ALL
            .into_iter()
            .find(|r| (r.start()..r.end()).contains(&addr))
    }

    /// First byte address.
    pub fn start(self) -> u64 {
        match self {
            Region::Ram => 0xA000_0000,
            Region::RomData => 0x8000_0000,
            Region::Input => 0x4000_0000,
        }
    }

    /// One past the last byte address.
    pub fn end(self) -> u64 {
        match self {
            Region::Ram => 0xC000_0000,
            Region::RomData => 0x8800_0000,
            Region::Input => 0x4800_0000,
        }
    }

    /// The `REGION` id on the continuation bus.
    pub fn id(self) -> u64 {
        match self {
            Region::Ram => 0,
            Region::RomData => 1,
            Region::Input => 2,
        }
    }

    /// The AIR proving the region.
    pub fn air(self) -> AnyAir {
        match self {
            Region::Ram => AnyAir::RamMem(RamMemAir),
            Region::RomData => AnyAir::RomData(RomDataAir),
            Region::Input => AnyAir::InputData(InputDataAir),
        }
    }
}

/// Why a region's accesses cannot be proven.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemError {
    /// `max_rows` is not a power of two in `8..=N`.
    #[error("max_rows {max_rows} is not a power of two between 8 and {MEM_N}")]
    MaxRows {
        /// The value given.
        max_rows: usize,
    },
    /// An address that is not a multiple of 8.
    #[error("address {addr:#x} (step {step}) is not 8-byte aligned")]
    Unaligned {
        /// The address.
        addr: u64,
        /// The access's step.
        step: u64,
    },
    /// An address outside the region.
    #[error("address {addr:#x} (step {step}) is outside the {region:?} region")]
    OutOfRegion {
        /// The region filled.
        region: Region,
        /// The address.
        addr: u64,
        /// The access's step.
        step: u64,
    },
    /// A step at or above `2^34`.
    #[error("step {step} of address {addr:#x} is not below 2^34")]
    StepOutOfRange {
        /// The address.
        addr: u64,
        /// The step.
        step: u64,
    },
    /// Two accesses of one address at the same step.
    #[error("two accesses of address {addr:#x} at step {step}")]
    DuplicateStep {
        /// The address.
        addr: u64,
        /// The step.
        step: u64,
    },
    /// Two consecutive accesses of one address more than `2^32` steps apart.
    #[error("accesses of address {addr:#x} at steps {prev_step} and {step} are more than 2^32 steps apart")]
    StepGap {
        /// The address.
        addr: u64,
        /// The earlier step.
        prev_step: u64,
        /// The later step.
        step: u64,
    },
    /// A write to the input region.
    #[error("write to the input at address {addr:#x} (step {step})")]
    WriteToInput {
        /// The address.
        addr: u64,
        /// The step.
        step: u64,
    },
    /// A read that does not return the word's current value.
    #[error(
        "read of address {addr:#x} at step {step} returns {got:#x}, memory holds {expected:#x}"
    )]
    InconsistentRead {
        /// The address.
        addr: u64,
        /// The step.
        step: u64,
        /// The value memory holds (last write, 0, or the input's first read).
        expected: u64,
        /// The value the access claims.
        got: u64,
    },
    /// The instance was rejected by the witness.
    #[error(transparent)]
    Pil(#[from] PilError),
}

/// The state a row leaves behind: word address, step, value (the sentinel is all zero).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct State {
    addr_w: u64,
    step: u64,
    value: u64,
}

impl State {
    fn of(access: &MemAccess) -> Self {
        Self {
            addr_w: access.addr / 8,
            step: access.step,
            value: access.value,
        }
    }
}

/// The values of one row (common to the three AIRs; `InputData` adds the value chunks).
#[derive(Clone, Copy, Debug)]
struct RowValues {
    state: State,
    wr: bool,
    sel: bool,
    same: bool,
    /// Gap chunk value `d_lo + 2^16·d_hi`.
    gap: u64,
    /// `sel·(addr_w − BASE_W)`.
    offset: u64,
}

impl RowValues {
    /// The row of `access` after the row whose state is `prev`.
    fn real(access: &MemAccess, prev: State, base_w: u64) -> Self {
        let state = State::of(access);
        let same = state.addr_w == prev.addr_w;
        let gap = if same {
            state.step - prev.step - 1
        } else {
            state.addr_w - prev.addr_w - 1
        };
        Self {
            state,
            wr: access.is_write,
            sel: true,
            same,
            gap,
            offset: state.addr_w - base_w,
        }
    }

    /// A padding row repeating `prev`.
    fn padding(prev: State) -> Self {
        Self {
            state: prev,
            wr: false,
            sel: false,
            same: true,
            gap: 0,
            offset: 0,
        }
    }
}

fn val(v: u64) -> Val {
    Val::from_u64(v)
}

/// Writes [`RowValues`] into a row struct of any of the three AIRs (same field names).
macro_rules! set_common {
    ($row:expr, $r:expr) => {{
        let (row, r) = ($row, $r);
        row.addr_w = val(r.state.addr_w);
        row.step = val(r.state.step);
        row.wr = Val::from_bool(r.wr);
        row.v_lo = val(r.state.value & LOW32);
        row.v_hi = val(r.state.value >> 32);
        row.sel = Val::from_bool(r.sel);
        row.same = Val::from_bool(r.same);
        row.keep = Val::from_bool(r.same && !r.wr);
        row.d_lo = val(r.gap & 0xffff);
        row.d_hi = val(r.gap >> 16);
        row.a_lo = val(r.offset & 0xffff);
        row.a_hi = val(r.offset >> 16);
    }};
}

/// One instance's trace of `height` rows: `rows` (sorted accesses, after the accesses
/// `before` of the earlier instances), then padding rows repeating the last state.
fn instance_trace(
    region: Region,
    rows: &[MemAccess],
    before: &[MemAccess],
    height: usize,
) -> RowMajorMatrix<Val> {
    let base_w = region.start() / 8;
    let sentinel = State::default();
    let state_before = |i: usize| match i {
        0 => before.last().map_or(sentinel, State::of),
        _ => State::of(&rows[i - 1]),
    };
    let values = |i: usize| match rows.get(i) {
        Some(access) => RowValues::real(access, state_before(i), base_w),
        None => RowValues::padding(state_before(rows.len())),
    };
    match region {
        Region::Ram => generate_trace(height, NUM_RAM_MEM_COLS, |i, row: &mut RamMemRow<Val>| {
            set_common!(row, values(i));
        }),
        Region::RomData => {
            generate_trace(height, NUM_ROM_DATA_COLS, |i, row: &mut RomDataRow<Val>| {
                set_common!(row, values(i));
            })
        }
        Region::Input => generate_trace(
            height,
            NUM_INPUT_DATA_COLS,
            |i, row: &mut InputDataRow<Val>| {
                let r = values(i);
                set_common!(&mut *row, r);
                row.v_chunk = core::array::from_fn(|k| val((r.state.value >> (16 * k)) & 0xffff));
            },
        ),
    }
}

/// Checks one sorted region: alignment, region, step range and gaps, no input writes, and
/// every read returning the word's value (last write, 0, or the input's first read).
fn check(region: Region, sorted: &[MemAccess]) -> Result<(), MemError> {
    let mut prev: Option<&MemAccess> = None;
    for a in sorted {
        let (addr, step) = (a.addr, a.step);
        if addr % 8 != 0 {
            return Err(MemError::Unaligned { addr, step });
        }
        if Region::of(addr) != Some(region) {
            return Err(MemError::OutOfRegion { region, addr, step });
        }
        if step >= MAX_STEP {
            return Err(MemError::StepOutOfRange { addr, step });
        }
        if a.is_write && region == Region::Input {
            return Err(MemError::WriteToInput { addr, step });
        }
        let current = match prev {
            Some(p) if p.addr == addr => {
                if p.step == step {
                    return Err(MemError::DuplicateStep { addr, step });
                }
                if step - p.step > MAX_STEP_GAP {
                    return Err(MemError::StepGap {
                        addr,
                        prev_step: p.step,
                        step,
                    });
                }
                p.value
            }
            _ if region == Region::Input => a.value,
            _ => 0,
        };
        if !a.is_write && a.value != current {
            return Err(MemError::InconsistentRead {
                addr,
                step,
                expected: current,
                got: a.value,
            });
        }
        prev = Some(a);
    }
    Ok(())
}

/// The airvals `segment, is_last, prev_addr_w, prev_step, prev_value[2], last_addr_w,
/// last_step, last_value[2]`.
fn airvals(segment: usize, is_last: bool, prev: State, last: State) -> [Val; 10] {
    [
        val(segment as u64),
        Val::from_bool(is_last),
        val(prev.addr_w),
        val(prev.step),
        val(prev.value & LOW32),
        val(prev.value >> 32),
        val(last.addr_w),
        val(last.step),
        val(last.value & LOW32),
        val(last.value >> 32),
    ]
}

/// Adds the instances of `region` to `witness`: the accesses sorted by (address, step), split
/// into instances of `max_rows` rows (a power of two in `8..=N`); the last instance has the
/// smallest power-of-two height (at least 8) that holds its rows, padded with repeats of its
/// last row. A region without accesses gets one all-padding instance (the chain needs one).
///
/// Returns an error, before pushing anything, when the accesses are not a consistent memory
/// history of the region (see [`MemError`]).
pub fn fill(
    witness: &mut PilWitness<'_, AnyAir>,
    region: Region,
    mut accesses: Vec<MemAccess>,
    max_rows: usize,
) -> Result<(), MemError> {
    if !max_rows.is_power_of_two() || !(1 << MIN_LOG_HEIGHT..=MEM_N).contains(&max_rows) {
        return Err(MemError::MaxRows { max_rows });
    }
    accesses.par_sort_unstable_by_key(|a| (a.addr, a.step));
    check(region, &accesses)?;
    let air = region.air();
    let segments = accesses.len().div_ceil(max_rows).max(1);
    for segment in 0..segments {
        let start = segment * max_rows;
        let end = accesses.len().min(start + max_rows);
        let (before, rows) = (&accesses[..start], &accesses[start..end]);
        let is_last = segment + 1 == segments;
        let height = if is_last {
            crate::pil::instance_height(rows.len())
        } else {
            max_rows
        };
        let prev = before.last().map_or(State::default(), State::of);
        let last = rows.last().map_or(prev, State::of);
        let trace = instance_trace(region, rows, before, height);
        witness.push(&air, trace, &airvals(segment, is_last, prev, last))?;
    }
    Ok(())
}
