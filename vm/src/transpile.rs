//! riscv2zisk: turns a RISC-V ELF into a ZisK ROM (zisk-spec §3): instruction mapping, BIOS,
//! data initialisation and the entry/exit block.

use crate::consts::*;
use crate::elf::{parse_elf, ElfImage, SectionKind};
use crate::error::ElfError;
use crate::inst::{Dst, InstBuilder, Src, ZiskInst};
use crate::ops::op;
use crate::riscv::{decode16, decode32, AmoOp, Decoded, Kind};
use crate::rom::ZiskRom;
use std::collections::BTreeMap;

/// The encoding of `unimp` (`csrrw x0, cycle, x0`): Rust's abort; the VM stops with an error.
pub const UNIMP: u32 = 0xC000_1073;

/// CSR numbers of the precompile calls (`csrs <csr>, rs1`) and their opcodes.
const PRECOMPILE_CSRS: &[(u64, u8)] = &[
    (0x800, op::KECCAK),
    (0x801, op::ARITH256),
    (0x802, op::ARITH256_MOD),
    (0x803, op::SECP256K1_ADD),
    (0x804, op::SECP256K1_DBL),
    (0x805, op::SHA256),
];

/// Parses and transpiles an ELF file.
pub fn transpile_elf(bytes: &[u8]) -> Result<ZiskRom, ElfError> {
    transpile(&parse_elf(bytes)?)
}

/// Transpiles a parsed ELF image.
pub fn transpile(image: &ElfImage) -> Result<ZiskRom, ElfError> {
    let mut insts = Vec::new();
    let mut init: BTreeMap<u64, [u8; 8]> = BTreeMap::new();
    let mut ro_regions = Vec::new();
    let mut has_code = false;
    for s in &image.sections {
        let end = s.addr + s.size;
        let bad = |reason| ElfError::BadSection {
            name: s.name.clone(),
            addr: s.addr,
            end,
            reason,
        };
        match s.kind {
            SectionKind::Code => {
                if s.addr < ROM_ADDR || end > ROM_ADDR_MAX + 1 {
                    return Err(bad(
                        "is code outside the program ROM 0x80000000..0x88000000",
                    ));
                }
                has_code = true;
                transpile_code(s.addr, &s.data, &mut insts);
            }
            SectionKind::Data => {
                if s.addr < AVAILABLE_MEM_ADDR - 0x10000 || end > RAM_ADDR + RAM_SIZE {
                    return Err(bad("is writable data outside RAM 0xa0020000..0xc0000000"));
                }
                add_init(&mut init, s.addr, &s.data);
            }
            SectionKind::ReadOnly => {
                let in_ram = s.addr >= AVAILABLE_MEM_ADDR - 0x10000 && end <= RAM_ADDR + RAM_SIZE;
                let in_rom = s.addr >= ROM_ADDR && end <= ROM_ADDR_MAX + 1;
                if !in_ram && !in_rom {
                    return Err(bad("is read-only data outside the program ROM and RAM"));
                }
                if in_rom {
                    ro_regions.push((s.addr & !7, (end + 7) & !7));
                }
                add_init(&mut init, s.addr, &s.data);
            }
        }
    }
    if !has_code {
        return Err(ElfError::NoCode);
    }
    // Registers of a RISC-V instruction's expansion are at A, A+1, ...; check the entry is code.
    if !insts.iter().any(|i| i.paddr == image.entry) {
        return Err(ElfError::BadEntry(image.entry));
    }
    ro_regions.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::new();
    for (s, e) in ro_regions {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    add_bios(image.entry, &init, &mut insts);
    Ok(ZiskRom::new(insts, image.entry, merged))
}

fn add_init(init: &mut BTreeMap<u64, [u8; 8]>, addr: u64, data: &[u8]) {
    for (i, &byte) in data.iter().enumerate() {
        let a = addr + i as u64;
        init.entry(a & !7).or_default()[(a & 7) as usize] = byte;
    }
}

/// Adds the BIOS: the entry jump at 0x1000, END at 0x1004, one store per initialised data word
/// from 0x1110, then the entry/exit block that calls the program and publishes the outputs.
fn add_bios(entry: u64, init: &BTreeMap<u64, [u8; 8]>, insts: &mut Vec<ZiskInst>) {
    let imm0 = Src::Imm(0);
    insts.push(
        InstBuilder::new(op::COPYB)
            .a(imm0)
            .b(imm0)
            .j(272, 272)
            .at(ROM_ENTRY),
    );
    insts.push(
        InstBuilder::new(op::COPYB)
            .a(imm0)
            .b(imm0)
            .j(0, 0)
            .end()
            .at(ROM_EXIT),
    );
    let mut pc = BIOS_INIT_ADDR;
    for (&addr, bytes) in init.iter() {
        let value = u64::from_le_bytes(*bytes);
        insts.push(
            InstBuilder::new(op::COPYB)
                .a(Src::Imm(addr))
                .b(Src::Imm(value))
                .store(Dst::Ind {
                    offset: 0,
                    width: 8,
                })
                .j(4, 4)
                .at(pc),
        );
        pc += 4;
    }
    let e = pc;
    let copy = |b: Src, dst: Dst| InstBuilder::new(op::COPYB).a(imm0).b(b).store(dst).j(4, 4);
    let block = [
        copy(Src::Imm(ARCH_ID_ZISK), Dst::Mem(csr_addr(CSR_MARCHID))),
        copy(Src::Imm(e + 56), Dst::Mem(csr_addr(CSR_MTVEC))),
        copy(Src::Imm(INPUT_ADDR), Dst::Reg(10)),
        copy(Src::Imm(OUTPUT_ADDR), Dst::Reg(11)),
        copy(Src::Imm(entry), Dst::Reg(1))
            .set_pc()
            .store_pc()
            .j(0, 4),
        copy(Src::Imm(32), Dst::Reg(11)),
        copy(Src::Imm(0), Dst::Reg(12)),
        copy(Src::Imm(OUTPUT_ADDR), Dst::Reg(13)),
        InstBuilder::new(op::EQ)
            .a(Src::Reg(11))
            .b(Src::Reg(12))
            .j(20, 4),
        InstBuilder::new(op::COPYB)
            .a(Src::Reg(13))
            .b(Src::Ind {
                offset: 0,
                width: 8,
            })
            .j(4, 4),
        InstBuilder::new(op::PUBOUT)
            .a(Src::Reg(12))
            .b(Src::LastC)
            .j(4, 4),
        InstBuilder::new(op::ADD)
            .a(Src::Reg(13))
            .b(Src::Imm(8))
            .store(Dst::Reg(13))
            .j(4, 4),
        InstBuilder::new(op::ADD)
            .a(Src::Reg(12))
            .b(Src::Imm(1))
            .store(Dst::Reg(12))
            .j(-16, -16),
        copy(Src::Imm(ROM_EXIT), Dst::None).set_pc().j(0, 0),
        InstBuilder::new(op::EQ)
            .a(Src::Reg(17))
            .b(Src::Imm(93))
            .j(-36, 4),
        copy(Src::Reg(1), Dst::None).set_pc().j(0, 0),
    ];
    for (i, b) in block.into_iter().enumerate() {
        insts.push(b.at(e + 4 * i as u64));
    }
}

/// Decodes a code section as a stream of 16-bit parcels and transpiles every instruction.
fn transpile_code(base: u64, code: &[u8], out: &mut Vec<ZiskInst>) {
    let mut off = 0usize;
    while off + 2 <= code.len() {
        let lo = u16::from_le_bytes([code[off], code[off + 1]]);
        let addr = base + off as u64;
        let d = if lo & 3 == 3 {
            if off + 4 > code.len() {
                break;
            }
            decode32(u32::from_le_bytes([
                code[off],
                code[off + 1],
                code[off + 2],
                code[off + 3],
            ]))
        } else {
            decode16(lo)
        };
        for (k, b) in expand(&d).into_iter().enumerate() {
            out.push(b.riscv(d.word).at(addr + k as u64));
        }
        off += d.size as usize;
    }
}

fn nop(sz: i64) -> InstBuilder {
    InstBuilder::new(op::FLAG)
        .a(Src::Imm(0))
        .b(Src::Imm(0))
        .j(sz, sz)
}

fn halt() -> InstBuilder {
    InstBuilder::new(op::HALT)
        .a(Src::Imm(0))
        .b(Src::Imm(0))
        .j(0, 0)
        .end()
}

/// Maps one RISC-V instruction to its ZisK instructions (placed at A, A+1, ...).
pub fn expand(d: &Decoded) -> Vec<InstBuilder> {
    use Kind::*;
    let sz = d.size as i64;
    let (rd, rs1, rs2, imm) = (d.rd, d.rs1, d.rs2, d.imm);
    let r1 = Src::Reg(rs1);
    let r2 = Src::Reg(rs2);
    let im = Src::Imm(imm as u64);
    let to_rd = Dst::Reg(rd);
    let one = |op: u8, a: Src, b: Src| vec![InstBuilder::new(op).a(a).b(b).store(to_rd).j(sz, sz)];
    // An ALU result written to x0 has no effect: emit a nop.
    let alu = |op: u8, a: Src, b: Src| {
        if rd == 0 {
            vec![nop(sz)]
        } else {
            one(op, a, b)
        }
    };
    let copy = |b: Src| alu(op::COPYB, Src::Imm(0), b);
    let load = |op: u8, width: u64| one(op, r1, Src::Ind { offset: imm, width });
    let store = |width: u64| {
        vec![InstBuilder::new(op::COPYB)
            .a(r1)
            .b(r2)
            .store(Dst::Ind { offset: imm, width })
            .j(sz, sz)]
    };
    let branch = |op: u8, taken_on_flag: bool| {
        let b = InstBuilder::new(op).a(r1).b(r2);
        vec![if taken_on_flag {
            b.j(imm, sz)
        } else {
            b.j(sz, imm)
        }]
    };
    match d.kind {
        Lui => copy(im),
        Auipc if rd == 0 => vec![nop(sz)],
        Auipc => vec![InstBuilder::new(op::FLAG)
            .a(Src::Imm(0))
            .b(Src::Imm(0))
            .store(to_rd)
            .store_pc()
            .j(sz, imm)],
        Jal => vec![InstBuilder::new(op::FLAG)
            .a(Src::Imm(0))
            .b(Src::Imm(0))
            .store(to_rd)
            .store_pc()
            .j(imm, sz)],
        Jalr if imm % 4 == 0 => vec![InstBuilder::new(op::AND)
            .a(Src::Imm(!1u64))
            .b(r1)
            .store(to_rd)
            .store_pc()
            .set_pc()
            .j(imm, sz)],
        Jalr => vec![
            InstBuilder::new(op::ADD).a(im).b(r1).j(1, 1),
            InstBuilder::new(op::AND)
                .a(Src::Imm(!1u64))
                .b(Src::LastC)
                .store(to_rd)
                .store_pc()
                .set_pc()
                .j(0, sz - 1),
        ],
        Beq => branch(op::EQ, true),
        Bne => branch(op::EQ, false),
        Blt => branch(op::LT, true),
        Bge => branch(op::LT, false),
        Bltu => branch(op::LTU, true),
        Bgeu => branch(op::LTU, false),
        Lb => load(op::SIGNEXTEND_B, 1),
        Lh => load(op::SIGNEXTEND_H, 2),
        Lw => load(op::SIGNEXTEND_W, 4),
        Ld => load(op::COPYB, 8),
        Lbu => load(op::COPYB, 1),
        Lhu => load(op::COPYB, 2),
        Lwu => load(op::COPYB, 4),
        Sb => store(1),
        Sh => store(2),
        Sw => store(4),
        Sd => store(8),
        Addi | Ori | Xori if rs1 == 0 => copy(im),
        Addi | Ori | Xori if imm == 0 => copy(r1),
        Addi => alu(op::ADD, r1, im),
        Ori => alu(op::OR, r1, im),
        Xori => alu(op::XOR, r1, im),
        Slti => alu(op::LT, r1, im),
        Sltiu => alu(op::LTU, r1, im),
        Andi => alu(op::AND, r1, im),
        Slli => alu(op::SLL, r1, im),
        Srli => alu(op::SRL, r1, im),
        Srai => alu(op::SRA, r1, im),
        Add | Or if rs1 == 0 => copy(r2),
        Add | Or if rs2 == 0 => copy(r1),
        Add => alu(op::ADD, r1, r2),
        Sub => alu(op::SUB, r1, r2),
        Sll => alu(op::SLL, r1, r2),
        Slt => alu(op::LT, r1, r2),
        Sltu => alu(op::LTU, r1, r2),
        Xor => alu(op::XOR, r1, r2),
        Srl => alu(op::SRL, r1, r2),
        Sra => alu(op::SRA, r1, r2),
        Or => alu(op::OR, r1, r2),
        And => alu(op::AND, r1, r2),
        Addiw => alu(op::ADD_W, r1, im),
        Slliw => alu(op::SLL_W, r1, im),
        Srliw => alu(op::SRL_W, r1, im),
        Sraiw => alu(op::SRA_W, r1, im),
        Addw => alu(op::ADD_W, r1, r2),
        Subw => alu(op::SUB_W, r1, r2),
        Sllw => alu(op::SLL_W, r1, r2),
        Srlw => alu(op::SRL_W, r1, r2),
        Sraw => alu(op::SRA_W, r1, r2),
        Mul => alu(op::MUL, r1, r2),
        Mulh => alu(op::MULH, r1, r2),
        Mulhsu => alu(op::MULSUH, r1, r2),
        Mulhu => alu(op::MULUH, r1, r2),
        Div => alu(op::DIV, r1, r2),
        Divu => alu(op::DIVU, r1, r2),
        Rem => alu(op::REM, r1, r2),
        Remu => alu(op::REMU, r1, r2),
        Mulw => alu(op::MUL_W, r1, r2),
        Divw => alu(op::DIV_W, r1, r2),
        Divuw => alu(op::DIVU_W, r1, r2),
        Remw => alu(op::REM_W, r1, r2),
        Remuw => alu(op::REMU_W, r1, r2),
        Lr { double } => {
            let (op, width) = if double {
                (op::COPYB, 8)
            } else {
                (op::SIGNEXTEND_W, 4)
            };
            vec![InstBuilder::new(op)
                .a(r1)
                .b(Src::Ind { offset: 0, width })
                .store(to_rd)
                .j(sz, sz)]
        }
        Sc { double } => {
            let width = if double { 8 } else { 4 };
            let st = InstBuilder::new(op::COPYB)
                .a(r1)
                .b(r2)
                .store(Dst::Ind { offset: 0, width });
            if rd == 0 {
                vec![st.j(sz, sz)]
            } else {
                vec![
                    st.j(1, 1),
                    InstBuilder::new(op::COPYB)
                        .a(Src::Imm(0))
                        .b(Src::Imm(0))
                        .store(to_rd)
                        .j(sz - 1, sz - 1),
                ]
            }
        }
        Amo { op: amo, double } => expand_amo(amo, double, rd, rs1, rs2, sz),
        Fence | FenceI | Ebreak => vec![nop(sz)],
        Ecall => vec![InstBuilder::new(op::COPYB)
            .a(Src::Imm(0))
            .b(Src::Mem(csr_addr(CSR_MTVEC)))
            .store(Dst::Reg(1))
            .store_pc()
            .set_pc()
            .j(0, sz)],
        Csrrw | Csrrs | Csrrc | Csrrwi | Csrrsi | Csrrci => expand_csr(d),
        Illegal => vec![halt()],
    }
}

fn expand_amo(amo: AmoOp, double: bool, rd: u64, rs1: u64, rs2: u64, sz: i64) -> Vec<InstBuilder> {
    let width = if double { 8 } else { 4 };
    let load_op = if double { op::COPYB } else { op::SIGNEXTEND_W };
    let ind = Src::Ind { offset: 0, width };
    let st = Dst::Ind { offset: 0, width };
    let r1 = Src::Reg(rs1);
    let r2 = Src::Reg(rs2);
    let pick = |d: u8, w: u8| if double { d } else { w };
    let alu = match amo {
        AmoOp::Swap => None,
        AmoOp::Add => Some(pick(op::ADD, op::ADD_W)),
        AmoOp::Xor => Some(op::XOR),
        AmoOp::And => Some(op::AND),
        AmoOp::Or => Some(op::OR),
        AmoOp::Min => Some(pick(op::MIN, op::MIN_W)),
        AmoOp::Max => Some(pick(op::MAX, op::MAX_W)),
        AmoOp::Minu => Some(pick(op::MINU, op::MINU_W)),
        AmoOp::Maxu => Some(pick(op::MAXU, op::MAXU_W)),
    };
    // Load into rd directly when rd is distinct from both sources; otherwise via scratch register 32.
    let direct = rd != rs1 && rd != rs2;
    let loaded = if direct {
        Dst::Reg(rd)
    } else {
        Dst::Reg(TEMP_REG_A)
    };
    let mut seq = vec![InstBuilder::new(load_op).a(r1).b(ind).store(loaded)];
    match alu {
        Some(alu_op) => {
            seq.push(InstBuilder::new(alu_op).a(Src::LastC).b(r2));
            seq.push(InstBuilder::new(op::COPYB).a(r1).b(Src::LastC).store(st));
        }
        None => seq.push(InstBuilder::new(op::COPYB).a(r1).b(r2).store(st)),
    }
    if !direct && rd != 0 {
        seq.push(
            InstBuilder::new(op::COPYB)
                .a(Src::Imm(0))
                .b(Src::Reg(TEMP_REG_A))
                .store(Dst::Reg(rd)),
        );
    }
    chain(seq, sz)
}

/// Sets the jump offsets of a multi-instruction expansion: +1 between slots, and from the last
/// slot to the next RISC-V instruction.
fn chain(seq: Vec<InstBuilder>, sz: i64) -> Vec<InstBuilder> {
    let k = seq.len() as i64;
    seq.into_iter()
        .enumerate()
        .map(|(i, b)| {
            if (i as i64) < k - 1 {
                b.j(1, 1)
            } else {
                b.j(sz - (k - 1), sz - (k - 1))
            }
        })
        .collect()
}

fn expand_csr(d: &Decoded) -> Vec<InstBuilder> {
    use Kind::*;
    let sz = d.size as i64;
    if d.word == UNIMP {
        return vec![halt()];
    }
    if d.kind == Csrrs && d.rd == 0 {
        if let Some(&(_, code)) = PRECOMPILE_CSRS.iter().find(|(csr, _)| *csr == d.csr) {
            return vec![InstBuilder::new(code)
                .a(Src::Imm(0))
                .b(Src::Reg(d.rs1))
                .j(0, sz)];
        }
    }
    if (0x800..0x850).contains(&d.csr) || (0x8C0..0x900).contains(&d.csr) || d.csr == 0xFFE {
        // Precompiles and free-input calls this VM does not implement: stop with an error if reached.
        return vec![halt()];
    }
    let slot = Src::Mem(csr_addr(d.csr));
    let slot_dst = Dst::Mem(csr_addr(d.csr));
    let (is_imm, base) = match d.kind {
        Csrrwi => (true, Csrrw),
        Csrrsi => (true, Csrrs),
        Csrrci => (true, Csrrc),
        k => (false, k),
    };
    let operand = if is_imm {
        Src::Imm(d.rs1)
    } else {
        Src::Reg(d.rs1)
    };
    let operand_is_zero = d.rs1 == 0;
    let mut seq = Vec::new();
    // Old value into scratch register 33 (so rd may equal rs1).
    let read_old = d.rd != 0;
    if read_old {
        seq.push(
            InstBuilder::new(op::COPYB)
                .a(Src::Imm(0))
                .b(slot)
                .store(Dst::Reg(TEMP_REG_B)),
        );
    }
    match base {
        Csrrw => seq.push(
            InstBuilder::new(op::COPYB)
                .a(Src::Imm(0))
                .b(operand)
                .store(slot_dst),
        ),
        Csrrs if !operand_is_zero => {
            seq.push(InstBuilder::new(op::OR).a(slot).b(operand).store(slot_dst))
        }
        Csrrc if !operand_is_zero => {
            seq.push(InstBuilder::new(op::XOR).a(operand).b(Src::Imm(u64::MAX)));
            seq.push(
                InstBuilder::new(op::AND)
                    .a(slot)
                    .b(Src::LastC)
                    .store(slot_dst),
            );
        }
        _ => {}
    }
    if read_old {
        seq.push(
            InstBuilder::new(op::COPYB)
                .a(Src::Imm(0))
                .b(Src::Reg(TEMP_REG_B))
                .store(Dst::Reg(d.rd)),
        );
    }
    if seq.is_empty() {
        return vec![nop(sz)];
    }
    chain(seq, sz)
}
