//! Witness filler of `pil/zisk/main.pil` and `pil/zisk/rom.pil`: Main's rows from the steps the
//! emulator replays, segment airvals, and the Rom's fixed columns (the program) and
//! multiplicities.

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;
use zisk_generated::support;
use zisk_generated::zisk::main::{MainRow, MAIN_N, NUM_MAIN_COLS};
use zisk_generated::zisk::rom::{RomRow, NUM_ROM_COLS, NUM_ROM_FIXED_COLS, ROM_N};
use zisk_vm::consts::{REG_FIRST, ROM_EXIT};
use zisk_vm::inst::{
    ZiskInst, SRC_C, SRC_IMM, SRC_IND, SRC_MEM, SRC_REG, STORE_IND, STORE_MEM, STORE_REG,
};
use zisk_vm::rom::ZiskRom;

use crate::config::Val;
use crate::pil::instance_height;

/// One executed step as Main needs it: the instruction (index into the ROM) and its operands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Step {
    /// Index of the instruction in [`ZiskRom::insts`].
    pub inst: u32,
    /// `a`.
    pub a: u64,
    /// `b`.
    pub b: u64,
    /// `c`.
    pub c: u64,
    /// `flag`.
    pub flag: bool,
}

/// Why a step cannot be a Main row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MainError {
    /// The program has no END instruction at 0x1004.
    #[error("the ROM has no END instruction at {ROM_EXIT:#x}")]
    NoEnd,
    /// The ROM is larger than the Rom AIR.
    #[error("the program has {0} instructions; the Rom AIR holds at most {ROM_N}")]
    RomTooLarge(usize),
    /// A source kind Main does not prove.
    #[error("instruction at pc {pc:#x}: source kind {kind} is not provable")]
    Unsupported {
        /// The instruction.
        pc: u64,
        /// The source kind.
        kind: u8,
    },
}

/// The airvals of one Main segment, in declaration order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Segment {
    /// Segment number.
    pub segment: u64,
    /// Whether this is the last segment.
    pub is_last: bool,
    /// pc of the first row.
    pub initial_pc: u64,
    /// pc after the last row.
    pub final_pc: u64,
    /// Step of the first row.
    pub first_step: u64,
    /// Step after the last row.
    pub final_step: u64,
    /// `c` before the first row.
    pub previous_c: u64,
    /// `c` of the last row.
    pub last_c: u64,
}

impl Segment {
    /// The airvals as field elements.
    pub fn airvals(&self) -> Vec<Val> {
        let v = Val::from_u64;
        vec![
            v(self.segment),
            v(self.is_last as u64),
            v(self.initial_pc),
            v(self.final_pc),
            v(self.first_step),
            v(self.final_step),
            v(self.previous_c & 0xffff_ffff),
            v(self.previous_c >> 32),
            v(self.last_c & 0xffff_ffff),
            v(self.last_c >> 32),
        ]
    }
}

/// The index of the END instruction (the padding step).
pub fn end_index(rom: &ZiskRom) -> Result<u32, MainError> {
    rom.index_of(ROM_EXIT)
        .map(|i| i as u32)
        .ok_or(MainError::NoEnd)
}

/// The padding step: END (`copyb 0, 0`), which loops on itself.
pub fn padding_step(rom: &ZiskRom) -> Result<Step, MainError> {
    Ok(Step {
        inst: end_index(rom)?,
        ..Step::default()
    })
}

/// Checks that Main can prove every instruction of `rom` (source kinds it constrains).
pub fn check_rom(rom: &ZiskRom) -> Result<(), MainError> {
    if rom.len() > ROM_N {
        return Err(MainError::RomTooLarge(rom.len()));
    }
    end_index(rom)?;
    for i in &rom.insts {
        if !matches!(i.a_src, SRC_C | SRC_MEM | SRC_IMM | SRC_REG) {
            return Err(MainError::Unsupported {
                pc: i.paddr,
                kind: i.a_src,
            });
        }
    }
    Ok(())
}

fn lo(x: u64) -> Val {
    Val::from_u64(x & 0xffff_ffff)
}

fn hi(x: u64) -> Val {
    Val::from_u64(x >> 32)
}

/// Fills one Main row.
fn fill_row(inst: &ZiskInst, rom_row: &[u64; 11], step_no: u64, s: &Step, row: &mut MainRow<Val>) {
    let v = Val::from_u64;
    let b = |x: bool| if x { Val::ONE } else { Val::ZERO };
    row.pc = v(rom_row[0]);
    row.a_offset_imm0 = v(rom_row[1]);
    row.a_imm1 = v(rom_row[2]);
    row.b_offset_imm0 = v(rom_row[3]);
    row.b_imm1 = v(rom_row[4]);
    row.ind_width = v(rom_row[5]);
    row.op = v(rom_row[6]);
    row.store_offset = v(rom_row[7]);
    row.jmp_offset1 = v(rom_row[8]);
    row.jmp_offset2 = v(rom_row[9]);
    let flags = rom_row[10];
    let bit = |i: u32| b(flags >> i & 1 == 1);
    row.a_src_imm = bit(1);
    row.a_src_mem = bit(2);
    row.is_precompiled = bit(3);
    row.b_src_imm = bit(4);
    row.b_src_mem = bit(5);
    row.is_external_op = bit(6);
    row.store_pc = bit(7);
    row.store_mem = bit(8);
    row.store_ind = bit(9);
    row.set_pc = bit(10);
    row.m32 = bit(11);
    row.b_src_ind = bit(12);
    row.a_src_reg = bit(13);
    row.b_src_reg = bit(14);
    row.store_reg = bit(15);
    row.a_lo = lo(s.a);
    row.a_hi = hi(s.a);
    row.b_lo = lo(s.b);
    row.b_hi = hi(s.b);
    row.c_lo = lo(s.c);
    row.c_hi = hi(s.c);
    row.flag = b(s.flag);
    row.step = v(step_no);
    let jmp1 = row.jmp_offset1;
    let jmp2 = row.jmp_offset2;
    row.next_pc = if inst.set_pc {
        row.c_lo + jmp1
    } else if s.flag {
        row.pc + jmp1
    } else {
        row.pc + jmp2
    };
    let reg = |idx: u64| v(REG_FIRST + 8 * idx);
    row.addr_a = match inst.a_src {
        SRC_MEM => row.a_offset_imm0,
        SRC_REG => reg(inst.a_offset_imm0),
        _ => Val::ZERO,
    };
    row.addr_b = match inst.b_src {
        SRC_MEM => row.b_offset_imm0,
        SRC_REG => reg(inst.b_offset_imm0),
        SRC_IND => row.a_lo + row.b_offset_imm0,
        _ => Val::ZERO,
    };
    row.addr_c = match inst.store {
        STORE_MEM => row.store_offset,
        STORE_REG => reg(inst.store_offset as u64),
        STORE_IND => row.a_lo + row.store_offset,
        _ => Val::ZERO,
    };
    row.bytes_b = v(if inst.b_src == SRC_IND {
        inst.ind_width
    } else {
        8
    });
    row.bytes_c = v(if inst.store == STORE_IND {
        inst.ind_width
    } else {
        8
    });
    if inst.store_pc {
        row.st_lo = row.pc + jmp2;
        row.st_hi = Val::ZERO;
    } else {
        row.st_lo = row.c_lo;
        row.st_hi = row.c_hi;
    }
}

/// The ROM rows of every instruction (`ZiskInst::rom_row`), computed once per program.
pub fn rom_rows(rom: &ZiskRom) -> Vec<[u64; 11]> {
    rom.insts.par_iter().map(ZiskInst::rom_row).collect()
}

/// Builds one Main segment of `height` rows from `steps` (at most `height`), padded with END
/// steps; `first_step` is the step number of `steps[0]`, `previous_c` the `c` before it.
///
/// Returns the trace and the segment's airvals (`segment` and `is_last` as given).
#[allow(clippy::too_many_arguments)]
pub fn main_segment(
    rom: &ZiskRom,
    rows: &[[u64; 11]],
    steps: &[Step],
    height: usize,
    segment: u64,
    is_last: bool,
    first_step: u64,
    previous_c: u64,
) -> Result<(RowMajorMatrix<Val>, Segment), MainError> {
    assert!(height <= MAIN_N && steps.len() <= height);
    let pad = padding_step(rom)?;
    let step_at = |i: usize| steps.get(i).copied().unwrap_or(pad);
    let trace = support::generate_trace(height, NUM_MAIN_COLS, |i, row: &mut MainRow<Val>| {
        let s = step_at(i);
        let idx = s.inst as usize;
        fill_row(&rom.insts[idx], &rows[idx], first_step + i as u64, &s, row);
    });
    let first = step_at(0);
    let last = step_at(height - 1);
    let last_inst = &rom.insts[last.inst as usize];
    let final_pc = if last_inst.set_pc {
        (last.c as i64).wrapping_add(last_inst.jmp_offset1) as u64
    } else if last.flag {
        last_inst.paddr.wrapping_add(last_inst.jmp_offset1 as u64)
    } else {
        last_inst.paddr.wrapping_add(last_inst.jmp_offset2 as u64)
    };
    let seg = Segment {
        segment,
        is_last,
        initial_pc: rom.insts[first.inst as usize].paddr,
        final_pc,
        first_step,
        final_step: first_step + height as u64,
        previous_c,
        last_c: last.c,
    };
    Ok((trace, seg))
}

/// The Rom's fixed columns for `rom`: one row per instruction in ROM order, zero rows after.
pub fn rom_fixed(rows: &[[u64; 11]]) -> RowMajorMatrix<Val> {
    let height = instance_height(rows.len());
    let mut values = Val::zero_vec(height * NUM_ROM_FIXED_COLS);
    values
        .par_chunks_mut(NUM_ROM_FIXED_COLS)
        .zip(rows.par_iter())
        .for_each(|(out, row)| {
            for (o, &x) in out.iter_mut().zip(row.iter()) {
                *o = Val::from_u64(x);
            }
        });
    RowMajorMatrix::new(values, NUM_ROM_FIXED_COLS)
}

/// The Rom's main trace: how many times each instruction ran.
pub fn rom_trace(counts: &[u64]) -> RowMajorMatrix<Val> {
    let height = instance_height(counts.len());
    support::generate_trace(height, NUM_ROM_COLS, |i, row: &mut RomRow<Val>| {
        row.multiplicity = Val::from_u64(counts.get(i).copied().unwrap_or(0));
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use zisk_vm::inst::SRC_STEP;
    use zisk_vm::ops::op;

    fn inst(pc: u64, a_src: u8) -> ZiskInst {
        ZiskInst {
            paddr: pc,
            op: op::COPYB,
            a_src,
            b_src: SRC_IMM,
            ..ZiskInst::default()
        }
    }

    #[test]
    fn roms_main_cannot_prove_are_refused() {
        let no_end = ZiskRom::new(vec![inst(0x1000, SRC_IMM)], 0x1000, Vec::new());
        assert_eq!(check_rom(&no_end), Err(MainError::NoEnd));
        let step_source = ZiskRom::new(
            vec![inst(0x1000, SRC_STEP), inst(ROM_EXIT, SRC_IMM)],
            0x1000,
            Vec::new(),
        );
        assert_eq!(
            check_rom(&step_source),
            Err(MainError::Unsupported {
                pc: 0x1000,
                kind: SRC_STEP
            })
        );
        let fine = ZiskRom::new(
            vec![inst(0x1000, SRC_C), inst(ROM_EXIT, SRC_IMM)],
            0x1000,
            Vec::new(),
        );
        assert_eq!(check_rom(&fine), Ok(()));
        assert_eq!(padding_step(&fine).map(|s| s.inst), Ok(1));
    }

    #[test]
    fn instance_heights_are_powers_of_two_from_eight() {
        assert_eq!(instance_height(0), 8);
        assert_eq!(instance_height(9), 16);
        assert_eq!(instance_height(1 << 17), 1 << 17);
    }
}
