//! The ZisK ROM: every instruction of a program, addressable by pc.

use crate::consts::{ROM_ADDR, ROM_ENTRY};
use crate::inst::ZiskInst;

/// Marks a pc with no instruction in the lookup tables.
const NONE: u32 = u32::MAX;

/// A transpiled program.
#[derive(Clone, Debug)]
pub struct ZiskRom {
    /// Instructions sorted by address.
    pub insts: Vec<ZiskInst>,
    /// The ELF entry point.
    pub entry: u64,
    /// Read-only data regions `[start, end)` (8-aligned); only the BIOS writes them.
    pub ro_regions: Vec<(u64, u64)>,
    bios_index: Vec<u32>,
    prog_index: Vec<u32>,
}

impl ZiskRom {
    /// Builds the ROM from its instructions (any order; addresses must be unique).
    pub fn new(mut insts: Vec<ZiskInst>, entry: u64, ro_regions: Vec<(u64, u64)>) -> Self {
        insts.sort_by_key(|i| i.paddr);
        let bios_end = insts
            .iter()
            .filter(|i| i.paddr < ROM_ADDR)
            .map(|i| i.paddr + 1)
            .max()
            .unwrap_or(ROM_ENTRY);
        let prog_end = insts
            .iter()
            .filter(|i| i.paddr >= ROM_ADDR)
            .map(|i| i.paddr + 1)
            .max()
            .unwrap_or(ROM_ADDR);
        let mut bios_index = vec![NONE; ((bios_end - ROM_ENTRY) / 4 + 1) as usize];
        let mut prog_index = vec![NONE; (prog_end - ROM_ADDR) as usize];
        for (i, inst) in insts.iter().enumerate() {
            if inst.paddr >= ROM_ADDR {
                prog_index[(inst.paddr - ROM_ADDR) as usize] = i as u32;
            } else {
                debug_assert!(inst.paddr % 4 == 0 && inst.paddr >= ROM_ENTRY);
                bios_index[((inst.paddr - ROM_ENTRY) / 4) as usize] = i as u32;
            }
        }
        ZiskRom {
            insts,
            entry,
            ro_regions,
            bios_index,
            prog_index,
        }
    }

    /// Index into [`ZiskRom::insts`] of the instruction at `pc`.
    #[inline(always)]
    pub fn index_of(&self, pc: u64) -> Option<usize> {
        let i = if pc >= ROM_ADDR {
            *self.prog_index.get((pc - ROM_ADDR) as usize)?
        } else {
            let off = pc.checked_sub(ROM_ENTRY)?;
            if off % 4 != 0 {
                return None;
            }
            *self.bios_index.get((off / 4) as usize)?
        };
        (i != NONE).then_some(i as usize)
    }

    /// The instruction at `pc`.
    pub fn get(&self, pc: u64) -> Option<&ZiskInst> {
        self.index_of(pc).map(|i| &self.insts[i])
    }

    /// Number of instructions.
    pub fn len(&self) -> usize {
        self.insts.len()
    }

    /// Whether the ROM is empty.
    pub fn is_empty(&self) -> bool {
        self.insts.is_empty()
    }
}
