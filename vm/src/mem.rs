//! Emulated memory: the RAM, the read-only input region and the read-only data of the ROM,
//! with the permission rules of zisk-spec §4 (only the BIOS writes read-only data).

use crate::consts::*;
use crate::error::EmuError;
use std::io::Write;

/// Offset of the system area (below guest RAM) inside RAM where stores need special handling:
/// the UART and the output slots.
const SYS_END_OFFSET: u64 = 0x20000;

/// A read-only data region of the program.
#[derive(Clone, Debug)]
struct RoRegion {
    start: u64,
    end: u64,
    data: Vec<u8>,
}

/// Where memory operations go: the real memory, or (when replaying a chunk of a minimal trace)
/// the recorded values.
pub trait MemBackend {
    /// Reads `width` bytes (1, 2, 4 or 8) at `addr`, zero-extended.
    fn read(&mut self, addr: u64, width: u64, pc: u64) -> Result<u64, EmuError>;
    /// Writes the low `width` bytes of `value` at `addr`.
    fn write(&mut self, addr: u64, width: u64, value: u64, pc: u64) -> Result<(), EmuError>;
}

/// The full memory of a run.
pub struct Memory {
    ram: Vec<u8>,
    input: Vec<u8>,
    ro: Vec<RoRegion>,
    /// Highest output slot written so far (+1), or 0.
    pub(crate) outputs_set: usize,
    /// Where bytes stored to the UART go.
    pub(crate) console: Box<dyn Write>,
    /// Record of memory reads for the minimal trace (aligned words, in order), when enabled.
    pub(crate) record: Option<Vec<u64>>,
}

#[inline(always)]
fn read_le(buf: &[u8], off: usize, width: u64) -> Option<u64> {
    Some(match width {
        1 => *buf.get(off)? as u64,
        2 => u16::from_le_bytes(buf.get(off..off + 2)?.try_into().ok()?) as u64,
        4 => u32::from_le_bytes(buf.get(off..off + 4)?.try_into().ok()?) as u64,
        _ => u64::from_le_bytes(buf.get(off..off + 8)?.try_into().ok()?),
    })
}

/// Mask of the low `width` bytes (`width` in 1, 2, 4, 8).
#[inline(always)]
fn width_mask(width: u64) -> u64 {
    u64::MAX >> (64 - 8 * width)
}

#[inline(always)]
fn write_le(buf: &mut [u8], off: usize, width: u64, value: u64) -> Option<()> {
    let bytes = value.to_le_bytes();
    let w = width as usize;
    buf.get_mut(off..off + w)?.copy_from_slice(&bytes[..w]);
    Some(())
}

impl Memory {
    /// Creates the memory of a run: zeroed RAM, the input region holding `input`, and the
    /// program's read-only regions (filled by the BIOS when it runs).
    pub fn new(input: &[u8], ro_regions: &[(u64, u64)]) -> Result<Self, EmuError> {
        let max = MAX_INPUT_SIZE - 16;
        if input.len() as u64 > max {
            return Err(EmuError::InputTooLarge {
                len: input.len() as u64,
                max,
            });
        }
        let padded = (input.len() + 7) & !7;
        let mut image = vec![0u8; 16 + padded];
        image[8..16].copy_from_slice(&(input.len() as u64).to_le_bytes());
        image[16..16 + input.len()].copy_from_slice(input);
        let ro = ro_regions
            .iter()
            .map(|&(start, end)| RoRegion {
                start,
                end,
                data: vec![0; (end - start) as usize],
            })
            .collect();
        Ok(Memory {
            ram: vec![0u8; RAM_SIZE as usize],
            input: image,
            ro,
            outputs_set: 0,
            console: Box::new(std::io::sink()),
            record: None,
        })
    }

    /// The 64 output slots.
    pub fn outputs(&self) -> [u32; OUTPUT_SLOTS] {
        let mut out = [0u32; OUTPUT_SLOTS];
        let base = (OUTPUT_ADDR - RAM_ADDR) as usize;
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = read_le(&self.ram, base + 4 * i, 4).unwrap_or(0) as u32;
        }
        out
    }

    /// Reads without permission checks or recording (for tests and tools).
    pub fn peek(&self, addr: u64, width: u64) -> Option<u64> {
        self.read_raw(addr, width)
    }

    #[inline(always)]
    fn read_raw(&self, addr: u64, width: u64) -> Option<u64> {
        let off = addr.wrapping_sub(RAM_ADDR);
        if off <= RAM_SIZE - 8 {
            debug_assert_eq!(self.ram.len() as u64, RAM_SIZE);
            // SAFETY: `ram` holds RAM_SIZE bytes and off + 8 <= RAM_SIZE, so the 8-byte read is in bounds.
            let word = unsafe {
                std::ptr::read_unaligned(self.ram.as_ptr().add(off as usize) as *const u64)
            };
            return Some(u64::from_le(word) & width_mask(width));
        }
        self.read_slow(addr, width)
    }

    #[cold]
    fn read_slow(&self, addr: u64, width: u64) -> Option<u64> {
        let end = addr.checked_add(width)?;
        if addr >= RAM_ADDR && end <= RAM_ADDR + RAM_SIZE {
            return read_le(&self.ram, (addr - RAM_ADDR) as usize, width);
        }
        if addr >= INPUT_ADDR && end <= INPUT_ADDR + self.input.len() as u64 {
            return read_le(&self.input, (addr - INPUT_ADDR) as usize, width);
        }
        let r = self.ro.iter().find(|r| addr >= r.start && end <= r.end)?;
        read_le(&r.data, (addr - r.start) as usize, width)
    }

    /// Records the aligned words a read of `width` bytes at `addr` touches.
    #[inline(always)]
    fn record_read(&mut self, addr: u64, width: u64) {
        if self.record.is_none() {
            return;
        }
        let first = addr & !7;
        let last = (addr + width - 1) & !7;
        let w0 = self.read_raw(first, 8).unwrap_or(0);
        let w1 = (last != first).then(|| self.read_raw(last, 8).unwrap_or(0));
        let rec = self.record.as_mut().expect("checked above");
        rec.push(w0);
        if let Some(w1) = w1 {
            rec.push(w1);
        }
    }

    #[cold]
    fn write_sys(&mut self, addr: u64, width: u64, value: u64) {
        if addr == UART_ADDR && width == 1 {
            // Console output is best effort: a closed stdout must not change the run.
            let _ = self.console.write_all(&[value as u8]);
        }
        let end = addr + width;
        if end > OUTPUT_ADDR && addr < OUTPUT_ADDR + 4 * OUTPUT_SLOTS as u64 {
            let last =
                ((end.min(OUTPUT_ADDR + 4 * OUTPUT_SLOTS as u64) - 1 - OUTPUT_ADDR) / 4) as usize;
            self.outputs_set = self.outputs_set.max(last + 1);
        }
    }

    #[cold]
    fn write_ro(&mut self, addr: u64, width: u64, value: u64, pc: u64) -> Result<(), EmuError> {
        let end = addr
            .checked_add(width)
            .ok_or(EmuError::BadWrite { addr, width, pc })?;
        // Read-only data is written only by the BIOS initialisation code.
        if pc < ROM_ADDR {
            if let Some(r) = self.ro.iter_mut().find(|r| addr >= r.start && end <= r.end) {
                write_le(&mut r.data, (addr - r.start) as usize, width, value);
                return Ok(());
            }
        }
        Err(EmuError::BadWrite { addr, width, pc })
    }
}

impl MemBackend for Memory {
    #[inline(always)]
    fn read(&mut self, addr: u64, width: u64, pc: u64) -> Result<u64, EmuError> {
        let v = self
            .read_raw(addr, width)
            .ok_or(EmuError::BadRead { addr, width, pc })?;
        self.record_read(addr, width);
        Ok(v)
    }

    #[inline(always)]
    fn write(&mut self, addr: u64, width: u64, value: u64, pc: u64) -> Result<(), EmuError> {
        let off = addr.wrapping_sub(RAM_ADDR);
        if off <= RAM_SIZE - 8 {
            if width != 8 || addr & 7 != 0 {
                // A partial or unaligned write is a read-modify-write of the aligned words.
                self.record_read(addr, width);
            }
            debug_assert_eq!(self.ram.len() as u64, RAM_SIZE);
            // SAFETY: `ram` holds RAM_SIZE bytes and off + 8 <= RAM_SIZE; width <= 8.
            unsafe {
                let p = self.ram.as_mut_ptr().add(off as usize);
                match width {
                    8 => std::ptr::write_unaligned(p as *mut u64, value.to_le()),
                    4 => std::ptr::write_unaligned(p as *mut u32, (value as u32).to_le()),
                    2 => std::ptr::write_unaligned(p as *mut u16, (value as u16).to_le()),
                    _ => *p = value as u8,
                }
            }
            if off < SYS_END_OFFSET {
                self.write_sys(addr, width, value);
            }
            return Ok(());
        }
        if addr >= RAM_ADDR
            && addr
                .checked_add(width)
                .is_some_and(|e| e <= RAM_ADDR + RAM_SIZE)
        {
            self.record_read(addr, width);
            write_le(&mut self.ram, off as usize, width, value);
            return Ok(());
        }
        self.write_ro(addr, width, value, pc)
    }
}

/// Memory for replaying one chunk of a minimal trace: reads come from the recorded words,
/// writes are discarded.
pub struct ReplayMemory<'a> {
    reads: &'a [u64],
    pos: usize,
}

impl<'a> ReplayMemory<'a> {
    /// Replays the recorded reads of one chunk.
    pub fn new(reads: &'a [u64]) -> Self {
        ReplayMemory { reads, pos: 0 }
    }

    /// How many recorded words were consumed.
    pub fn consumed(&self) -> usize {
        self.pos
    }

    #[inline(always)]
    fn next(&mut self, addr: u64, width: u64, pc: u64) -> Result<u64, EmuError> {
        let v = *self
            .reads
            .get(self.pos)
            .ok_or(EmuError::BadRead { addr, width, pc })?;
        self.pos += 1;
        Ok(v)
    }
}

impl MemBackend for ReplayMemory<'_> {
    #[inline(always)]
    fn read(&mut self, addr: u64, width: u64, pc: u64) -> Result<u64, EmuError> {
        let shift = (addr & 7) * 8;
        let w0 = self.next(addr, width, pc)?;
        let crosses = (addr & 7) + width > 8;
        let raw = if crosses {
            let w1 = self.next(addr, width, pc)?;
            ((w0 as u128 | ((w1 as u128) << 64)) >> shift) as u64
        } else {
            w0 >> shift
        };
        Ok(if width == 8 {
            raw
        } else {
            raw & ((1u64 << (8 * width)) - 1)
        })
    }

    #[inline(always)]
    fn write(&mut self, addr: u64, width: u64, _value: u64, pc: u64) -> Result<(), EmuError> {
        let in_ram = (RAM_ADDR..RAM_ADDR + RAM_SIZE).contains(&addr);
        if in_ram && (width != 8 || addr & 7 != 0) {
            self.next(addr, width, pc)?;
            if (addr & 7) + width > 8 {
                self.next(addr, width, pc)?;
            }
        }
        Ok(())
    }
}
