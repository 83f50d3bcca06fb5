//! Witness filler of `pil/zisk/mem_align.pil`: `MemAlign`, one row per memory access that is
//! not an aligned 8-byte one (widths 1, 2, 4 and unaligned addresses), and the aligned
//! accesses each one asks `Mem` to prove.
//!
//! [`fill`] and [`mem_accesses`] take [`AlignedAccess`]es, which carry one aligned word, and
//! refuse accesses that cross into the next word ([`MemAlignError::CrossesWord`]);
//! [`fill_crossing`] and [`CrossingAccess::mem_accesses`] take [`CrossingAccess`]es, which
//! also carry the next word, and prove every access (the AIR handles both).

use core::borrow::BorrowMut;

use p3_field::{PrimeCharacteristicRing, PrimeField64};
use p3_matrix::dense::RowMajorMatrix;
use zisk_generated::zisk::mem_align::{MemAlignAir, MemAlignRow, MEM_ALIGN_N, NUM_MEM_ALIGN_COLS};
use zisk_generated::zisk::AnyAir;

use crate::config::Val;
use crate::pil::{PilError, PilWitness};

/// Smallest instance height (`2^MIN_LOG_HEIGHT`).
const MIN_ROWS: usize = 8;

/// One byte above the highest address the memory bus carries (addresses are below 2^32).
const ADDR_LIMIT: u64 = 1 << 32;

/// One access of Main that `MemAlign` proves: `bytes` bytes at `addr`, at memory step `step`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlignedAccess {
    /// A store (`mem_op` 2) rather than a load (`mem_op` 1).
    pub op_is_write: bool,
    /// The byte address.
    pub addr: u64,
    /// Main's `mem_step` of the access (a store's write to Mem happens at `step + 1`).
    pub step: u64,
    /// The width: 1, 2, 4 or 8.
    pub bytes: u8,
    /// The bus value: a load's zero-extended result, or the register a store writes the low
    /// `bytes` bytes of.
    pub value: u64,
    /// The aligned word at `addr & !7` before the access.
    pub old_word: u64,
}

/// An access together with the aligned word after its own (at `(addr & !7) + 8`) before the
/// access, which an access crossing into it (`addr % 8 + bytes > 8`) reads and, for a store,
/// writes. For an access that does not cross, `next_old_word` is ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrossingAccess {
    /// The access.
    pub access: AlignedAccess,
    /// The next aligned word before the access.
    pub next_old_word: u64,
}

impl CrossingAccess {
    /// The aligned 8-byte `Mem` accesses this access generates, as [`mem_accesses`] (the read
    /// of the next word, and its write for a store, follow the first word's when it crosses).
    pub fn mem_accesses(&self) -> Result<Vec<(u64, u64, bool, u64)>, MemAlignError> {
        mem_accesses_of(&self.access, Some(self.next_old_word))
    }
}

/// Why an access cannot be proven by `MemAlign`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemAlignError {
    /// The width is not 1, 2, 4 or 8.
    #[error("access at {addr:#x}: width {bytes} is not 1, 2, 4 or 8")]
    InvalidWidth {
        /// The byte address.
        addr: u64,
        /// The width given.
        bytes: u8,
    },
    /// An aligned 8-byte access: `Mem` proves it directly.
    #[error("access at {addr:#x}: an aligned 8-byte access is proven by Mem, not MemAlign")]
    Aligned {
        /// The byte address.
        addr: u64,
    },
    /// The access crosses into the next aligned word: only [`fill_crossing`] and
    /// [`CrossingAccess`] prove it (they know that word).
    #[error("access of {bytes} bytes at {addr:#x} crosses an 8-byte boundary: use fill_crossing")]
    CrossesWord {
        /// The byte address.
        addr: u64,
        /// The width.
        bytes: u8,
    },
    /// The access reaches an address at or above 2^32.
    #[error("access of {bytes} bytes at {addr:#x} reaches beyond the 32-bit address space")]
    AddressOutOfRange {
        /// The byte address.
        addr: u64,
        /// The width.
        bytes: u8,
    },
    /// `step + 1` is not below the field modulus.
    #[error("access at {addr:#x}: step {step} does not fit in the field")]
    StepOutOfRange {
        /// The byte address.
        addr: u64,
        /// The step given.
        step: u64,
    },
    /// A load's value is not the zero-extended bytes of the words it reads.
    #[error(
        "load of {bytes} bytes at {addr:#x} returns {value:#x}, the memory holds {expected:#x}"
    )]
    LoadMismatch {
        /// The byte address.
        addr: u64,
        /// The width.
        bytes: u8,
        /// The value given.
        value: u64,
        /// The value the words hold.
        expected: u64,
    },
    /// `max_rows` is not a power of two from 8 to `N`.
    #[error("max_rows {max_rows} is not a power of two from 8 to {MEM_ALIGN_N}")]
    InvalidMaxRows {
        /// The value given.
        max_rows: usize,
    },
    /// The witness rejected an instance.
    #[error(transparent)]
    Pil(#[from] PilError),
}

/// Whether an access of `bytes` bytes at `addr` goes through `MemAlign`: every access except an
/// aligned 8-byte one.
pub fn needs_align(addr: u64, bytes: u8) -> bool {
    !(bytes == 8 && addr % 8 == 0)
}

/// The checked shape of an access: offset in its word, width, aligned address, whether it
/// crosses into the next word.
#[derive(Clone, Copy, Debug)]
struct Shape {
    offset: usize,
    width: usize,
    aligned: u64,
    cross: bool,
}

fn shape(a: &AlignedAccess, next: Option<u64>) -> Result<Shape, MemAlignError> {
    let (addr, bytes) = (a.addr, a.bytes);
    if !matches!(bytes, 1 | 2 | 4 | 8) {
        return Err(MemAlignError::InvalidWidth { addr, bytes });
    }
    if !needs_align(addr, bytes) {
        return Err(MemAlignError::Aligned { addr });
    }
    if addr >= ADDR_LIMIT || addr + u64::from(bytes) > ADDR_LIMIT {
        return Err(MemAlignError::AddressOutOfRange { addr, bytes });
    }
    if a.step >= Val::ORDER_U64 - 1 {
        return Err(MemAlignError::StepOutOfRange { addr, step: a.step });
    }
    let offset = (addr % 8) as usize;
    let width = usize::from(bytes);
    if offset + width > 8 && next.is_none() {
        return Err(MemAlignError::CrossesWord { addr, bytes });
    }
    Ok(Shape {
        offset,
        width,
        aligned: addr - offset as u64,
        cross: offset + width > 8,
    })
}

/// The 16 bytes of the two aligned words before the access (the second zero unless it is
/// read).
fn old_bytes(a: &AlignedAccess, next: Option<u64>, s: &Shape) -> [u8; 16] {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.old_word.to_le_bytes());
    if let (true, Some(next)) = (s.cross, next) {
        bytes[8..].copy_from_slice(&next.to_le_bytes());
    }
    bytes
}

/// The 16 bytes after the access: the old ones, with a store's low value bytes written.
fn new_bytes(a: &AlignedAccess, s: &Shape, old: &[u8; 16]) -> [u8; 16] {
    let mut bytes = *old;
    if a.op_is_write {
        bytes[s.offset..s.offset + s.width].copy_from_slice(&a.value.to_le_bytes()[..s.width]);
    }
    bytes
}

fn word(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(bytes);
    u64::from_le_bytes(w)
}

/// Checks an access; for a load, also that its value is what the words hold.
fn check(a: &AlignedAccess, next: Option<u64>) -> Result<Shape, MemAlignError> {
    let s = shape(a, next)?;
    if !a.op_is_write {
        let old = old_bytes(a, next, &s);
        let mut v = [0u8; 8];
        v[..s.width].copy_from_slice(&old[s.offset..s.offset + s.width]);
        let expected = u64::from_le_bytes(v);
        if a.value != expected {
            return Err(MemAlignError::LoadMismatch {
                addr: a.addr,
                bytes: a.bytes,
                value: a.value,
                expected,
            });
        }
    }
    Ok(s)
}

/// The aligned 8-byte `Mem` accesses this access generates, as `(addr, step, is_write,
/// value)`: the read of its word at `step`, then for a store the write of the word at
/// `step + 1` (Main's unused slot 3). An access crossing into the next word is refused
/// ([`MemAlignError::CrossesWord`]; see [`CrossingAccess::mem_accesses`]).
pub fn mem_accesses(a: &AlignedAccess) -> Result<Vec<(u64, u64, bool, u64)>, MemAlignError> {
    mem_accesses_of(a, None)
}

/// [`mem_accesses`], with the next word when it is known: the reads of both words at `step`,
/// then for a store their writes at `step + 1`.
fn mem_accesses_of(
    a: &AlignedAccess,
    next: Option<u64>,
) -> Result<Vec<(u64, u64, bool, u64)>, MemAlignError> {
    let s = check(a, next)?;
    let old = old_bytes(a, next, &s);
    let new = new_bytes(a, &s, &old);
    let words = if s.cross { 2 } else { 1 };
    let mut out = Vec::with_capacity(2 * words);
    for k in 0..words {
        out.push((
            s.aligned + 8 * k as u64,
            a.step,
            false,
            word(&old[8 * k..8 * k + 8]),
        ));
    }
    if a.op_is_write {
        for k in 0..words {
            out.push((
                s.aligned + 8 * k as u64,
                a.step + 1,
                true,
                word(&new[8 * k..8 * k + 8]),
            ));
        }
    }
    Ok(out)
}

fn byte(b: u8) -> Val {
    Val::from_u8(b)
}

/// The row of one checked access (see the design notes in the `.pil`).
fn fill_row(a: &AlignedAccess, next: Option<u64>, s: &Shape, row: &mut MemAlignRow<Val>) {
    let old = old_bytes(a, next, s);
    let new = new_bytes(a, s, &old);
    let addr_w = s.aligned / 8;
    *row = MemAlignRow {
        off: core::array::from_fn(|o| Val::from_bool(o == s.offset)),
        w1: Val::from_bool(s.width == 1),
        w2: Val::from_bool(s.width == 2),
        w4: Val::from_bool(s.width == 4),
        w8: Val::from_bool(s.width == 8),
        is_write: Val::from_bool(a.op_is_write),
        cross: Val::from_bool(s.cross),
        cross_w: Val::from_bool(s.cross && a.op_is_write),
        aw: core::array::from_fn(|k| Val::from_u64((addr_w >> (8 * k)) & 0xff)),
        step: Val::from_u64(a.step),
        old: old.map(byte),
        new: new.map(byte),
        v: a.value.to_le_bytes().map(byte),
    };
}

/// The trace of one instance: one row per access, then all-zero padding rows, `height` rows.
fn instance_trace<T>(
    items: &[T],
    shapes: &[Shape],
    height: usize,
    get: &impl Fn(&T) -> (&AlignedAccess, Option<u64>),
) -> RowMajorMatrix<Val> {
    let mut values = vec![Val::ZERO; height * NUM_MEM_ALIGN_COLS];
    for ((cells, item), s) in values
        .chunks_exact_mut(NUM_MEM_ALIGN_COLS)
        .zip(items)
        .zip(shapes)
    {
        let (a, next) = get(item);
        let row: &mut MemAlignRow<Val> = cells.borrow_mut();
        fill_row(a, next, s, row);
    }
    RowMajorMatrix::new(values, NUM_MEM_ALIGN_COLS)
}

/// Checks every access, then pushes one instance per chunk of `max_rows`.
fn fill_items<T>(
    witness: &mut PilWitness<'_, AnyAir>,
    items: &[T],
    max_rows: usize,
    get: impl Fn(&T) -> (&AlignedAccess, Option<u64>),
) -> Result<(), MemAlignError> {
    if !max_rows.is_power_of_two() || !(MIN_ROWS..=MEM_ALIGN_N).contains(&max_rows) {
        return Err(MemAlignError::InvalidMaxRows { max_rows });
    }
    let shapes = items
        .iter()
        .map(|item| {
            let (a, next) = get(item);
            check(a, next)
        })
        .collect::<Result<Vec<_>, _>>()?;
    for (chunk, shapes) in items.chunks(max_rows).zip(shapes.chunks(max_rows)) {
        let height = crate::pil::instance_height(chunk.len());
        witness.push(
            &AnyAir::MemAlign(MemAlignAir),
            instance_trace(chunk, shapes, height, &get),
            &[],
        )?;
    }
    Ok(())
}

/// Adds `MemAlign` instances proving `accesses` to `witness`: chunks of `max_rows` accesses
/// (a power of two from 8 to `N`), the last one in the smallest power-of-two height (at least
/// 8) that holds it. Nothing is added if any access is rejected; an access crossing into the
/// next word is ([`MemAlignError::CrossesWord`]; see [`fill_crossing`]).
pub fn fill(
    witness: &mut PilWitness<'_, AnyAir>,
    accesses: &[AlignedAccess],
    max_rows: usize,
) -> Result<(), MemAlignError> {
    fill_items(witness, accesses, max_rows, |a| (a, None))
}

/// [`fill`] for accesses that know the next aligned word, so that accesses crossing into it
/// are proven too.
pub fn fill_crossing(
    witness: &mut PilWitness<'_, AnyAir>,
    accesses: &[CrossingAccess],
    max_rows: usize,
) -> Result<(), MemAlignError> {
    fill_items(witness, accesses, max_rows, |c| {
        (&c.access, Some(c.next_old_word))
    })
}
