//! The ZisK instruction `(c, flag) = op(a, b)` (zisk-spec §1) and its ROM-row encoding.

use crate::consts::reg_addr;
use crate::ops;

/// Source kind: the previous instruction's `c`.
pub const SRC_C: u8 = 0;
/// Source kind: 8-byte read at a constant address.
pub const SRC_MEM: u8 = 1;
/// Source kind: immediate.
pub const SRC_IMM: u8 = 2;
/// Source kind: the step counter (a only).
pub const SRC_STEP: u8 = 3;
/// Source kind: `ind_width`-byte read at `a + offset` (b only).
pub const SRC_IND: u8 = 5;
/// Source kind: register.
pub const SRC_REG: u8 = 6;

/// Store kind: none.
pub const STORE_NONE: u8 = 0;
/// Store kind: 8-byte write at a constant address.
pub const STORE_MEM: u8 = 1;
/// Store kind: `ind_width`-byte write at `a + offset`.
pub const STORE_IND: u8 = 2;
/// Store kind: register.
pub const STORE_REG: u8 = 3;

/// One ZisK instruction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ZiskInst {
    /// ROM address (pc) of this instruction.
    pub paddr: u64,
    /// Source kind of `a`.
    pub a_src: u8,
    /// MEM: address; REG: register index; IMM: low 32 bits.
    pub a_offset_imm0: u64,
    /// IMM: high 32 bits.
    pub a_use_sp_imm1: u64,
    /// Source kind of `b`.
    pub b_src: u8,
    /// MEM: address; REG: register index; IMM: low 32 bits; IND: offset added to `a` (mod 2^64).
    pub b_offset_imm0: u64,
    /// IMM: high 32 bits.
    pub b_use_sp_imm1: u64,
    /// Width in bytes of indirect loads and stores.
    pub ind_width: u64,
    /// Opcode.
    pub op: u8,
    /// Proven by a secondary state machine.
    pub is_external_op: bool,
    /// Only the low 32 bits of a and b go on the operation bus.
    pub m32: bool,
    /// Store kind of `c`.
    pub store: u8,
    /// MEM: address; REG: register index; IND: offset added to `a`.
    pub store_offset: i64,
    /// Store `pc + jmp_offset2` instead of `c`.
    pub store_pc: bool,
    /// Next pc is `c + jmp_offset1`.
    pub set_pc: bool,
    /// Taken offset (flag = 1), or displacement with `set_pc`.
    pub jmp_offset1: i64,
    /// Fall-through offset (flag = 0).
    pub jmp_offset2: i64,
    /// The emulator stops after this instruction.
    pub end: bool,
    /// A precompile: Main sends the step and `jmp_offset1` on the bus.
    pub is_precompiled: bool,
    /// The RISC-V instruction word this came from (debugging only; not committed).
    pub riscv_inst: u32,
}

impl ZiskInst {
    /// Immediate value of `a` (valid when `a_src == SRC_IMM`).
    pub fn a_imm(&self) -> u64 {
        self.a_offset_imm0 | (self.a_use_sp_imm1 << 32)
    }

    /// Immediate value of `b` (valid when `b_src == SRC_IMM`).
    pub fn b_imm(&self) -> u64 {
        self.b_offset_imm0 | (self.b_use_sp_imm1 << 32)
    }

    /// The 16-bit flags word of the ROM row (zisk-spec §1.4).
    pub fn flags(&self) -> u64 {
        let bits = [
            true,
            self.a_src == SRC_IMM,
            self.a_src == SRC_MEM,
            self.is_precompiled,
            self.b_src == SRC_IMM,
            self.b_src == SRC_MEM,
            self.is_external_op,
            self.store_pc,
            self.store == STORE_MEM,
            self.store == STORE_IND,
            self.set_pc,
            self.m32,
            self.b_src == SRC_IND,
            self.a_src == SRC_REG,
            self.b_src == SRC_REG,
            self.store == STORE_REG,
        ];
        bits.iter()
            .enumerate()
            .fold(0, |acc, (i, &b)| acc | ((b as u64) << i))
    }

    /// The 11 committed ROM columns, as integers modulo the Goldilocks prime
    /// (negative offsets — store and jump offsets, and `b`'s indirect offset — are encoded as
    /// `p - |x|`).
    pub fn rom_row(&self) -> [u64; 11] {
        const P: u64 = 0xFFFF_FFFF_0000_0001;
        let signed = |x: i64| {
            if x < 0 {
                P - x.unsigned_abs()
            } else {
                x as u64
            }
        };
        let op = match self.op {
            ops::op::FCALL | ops::op::FCALL_GET | ops::op::FCALL_PARAM => ops::op::COPYB,
            op => op,
        };
        [
            self.paddr,
            self.a_offset_imm0,
            if self.a_src == SRC_IMM {
                self.a_use_sp_imm1
            } else {
                0
            },
            if self.b_src == SRC_IND {
                signed(self.b_offset_imm0 as i64)
            } else {
                self.b_offset_imm0
            },
            if self.b_src == SRC_IMM {
                self.b_use_sp_imm1
            } else {
                0
            },
            self.ind_width,
            op as u64,
            signed(self.store_offset),
            signed(self.jmp_offset1),
            signed(self.jmp_offset2),
            self.flags(),
        ]
    }
}

/// Builds one [`ZiskInst`], applying the register-mapping rules of zisk-spec §1.2:
/// register 0 as a source is the immediate 0, a store to register 0 is dropped, and register
/// indices ≥ 32 are memory slots at `0xA000_0000 + 8 * idx`.
#[derive(Clone, Debug)]
pub struct InstBuilder {
    inst: ZiskInst,
}

/// A source operand.
#[derive(Clone, Copy, Debug)]
pub enum Src {
    /// The previous `c`.
    LastC,
    /// An immediate (64-bit, two's complement for negatives).
    Imm(u64),
    /// A register (0 → immediate 0, ≥ 32 → memory slot).
    Reg(u64),
    /// An 8-byte memory word at a constant address.
    Mem(u64),
    /// The step counter (a only).
    Step,
    /// An indirect read of `width` bytes at `a + offset` (b only).
    Ind {
        /// Offset added to `a`.
        offset: i64,
        /// Width in bytes.
        width: u64,
    },
}

/// Where `c` goes.
#[derive(Clone, Copy, Debug)]
pub enum Dst {
    /// Nowhere.
    None,
    /// A register (0 → dropped, ≥ 32 → memory slot).
    Reg(u64),
    /// An 8-byte memory word at a constant address.
    Mem(u64),
    /// An indirect write of `width` bytes at `a + offset`.
    Ind {
        /// Offset added to `a`.
        offset: i64,
        /// Width in bytes.
        width: u64,
    },
}

impl InstBuilder {
    /// Starts an instruction with opcode `op`.
    pub fn new(op: u8) -> Self {
        let inst = ZiskInst {
            op,
            is_external_op: ops::is_external(op),
            m32: ops::is_m32(op),
            is_precompiled: ops::op_info(op).is_some_and(|i| i.input_size > 0),
            ..Default::default()
        };
        InstBuilder { inst }
    }

    /// Sets source `a`.
    pub fn a(mut self, src: Src) -> Self {
        let i = &mut self.inst;
        match normalize_src(src) {
            Src::LastC => i.a_src = SRC_C,
            Src::Imm(v) => {
                i.a_src = SRC_IMM;
                i.a_offset_imm0 = v & 0xFFFF_FFFF;
                i.a_use_sp_imm1 = v >> 32;
            }
            Src::Reg(r) => {
                i.a_src = SRC_REG;
                i.a_offset_imm0 = r;
            }
            Src::Mem(addr) => {
                i.a_src = SRC_MEM;
                i.a_offset_imm0 = addr;
            }
            Src::Step => i.a_src = SRC_STEP,
            Src::Ind { .. } => panic!("invariant: indirect source is only valid for b"),
        }
        self
    }

    /// Sets source `b`.
    pub fn b(mut self, src: Src) -> Self {
        let i = &mut self.inst;
        match normalize_src(src) {
            Src::LastC => i.b_src = SRC_C,
            Src::Imm(v) => {
                i.b_src = SRC_IMM;
                i.b_offset_imm0 = v & 0xFFFF_FFFF;
                i.b_use_sp_imm1 = v >> 32;
            }
            Src::Reg(r) => {
                i.b_src = SRC_REG;
                i.b_offset_imm0 = r;
            }
            Src::Mem(addr) => {
                i.b_src = SRC_MEM;
                i.b_offset_imm0 = addr;
            }
            Src::Ind { offset, width } => {
                i.b_src = SRC_IND;
                i.b_offset_imm0 = offset as u64;
                i.ind_width = width;
            }
            Src::Step => panic!("invariant: step source is only valid for a"),
        }
        self
    }

    /// Sets the store of `c`.
    pub fn store(mut self, dst: Dst) -> Self {
        let i = &mut self.inst;
        match dst {
            Dst::None | Dst::Reg(0) => i.store = STORE_NONE,
            Dst::Reg(r) if r < 32 => {
                i.store = STORE_REG;
                i.store_offset = r as i64;
            }
            Dst::Reg(r) => {
                i.store = STORE_MEM;
                i.store_offset = reg_addr(r) as i64;
            }
            Dst::Mem(addr) => {
                i.store = STORE_MEM;
                i.store_offset = addr as i64;
            }
            Dst::Ind { offset, width } => {
                i.store = STORE_IND;
                i.store_offset = offset;
                i.ind_width = width;
            }
        }
        self
    }

    /// Stores `pc + jmp_offset2` instead of `c`.
    pub fn store_pc(mut self) -> Self {
        self.inst.store_pc = true;
        self
    }

    /// Next pc is `c + jmp_offset1`.
    pub fn set_pc(mut self) -> Self {
        self.inst.set_pc = true;
        self
    }

    /// Sets the jump offsets (taken, fall-through).
    pub fn j(mut self, taken: i64, fall: i64) -> Self {
        self.inst.jmp_offset1 = taken;
        self.inst.jmp_offset2 = fall;
        self
    }

    /// Marks the END instruction.
    pub fn end(mut self) -> Self {
        self.inst.end = true;
        self
    }

    /// Records the RISC-V instruction word.
    pub fn riscv(mut self, word: u32) -> Self {
        self.inst.riscv_inst = word;
        self
    }

    /// Finishes the instruction at address `paddr`.
    pub fn at(mut self, paddr: u64) -> ZiskInst {
        self.inst.paddr = paddr;
        self.inst
    }

    /// Finishes the instruction without an address (set later).
    pub fn build(self) -> ZiskInst {
        self.inst
    }
}

fn normalize_src(src: Src) -> Src {
    match src {
        Src::Reg(0) => Src::Imm(0),
        Src::Reg(r) if r >= 32 => Src::Mem(reg_addr(r)),
        other => other,
    }
}
