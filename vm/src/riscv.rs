//! RV64IMAC instruction decoder: 32-bit encodings and compressed (RVC) expansion.

/// The operation of an atomic memory instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmoOp {
    /// amoswap
    Swap,
    /// amoadd
    Add,
    /// amoxor
    Xor,
    /// amoand
    And,
    /// amoor
    Or,
    /// amomin
    Min,
    /// amomax
    Max,
    /// amominu
    Minu,
    /// amomaxu
    Maxu,
}

/// A decoded RISC-V instruction kind.
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Lui,
    Auipc,
    Jal,
    Jalr,
    Beq,
    Bne,
    Blt,
    Bge,
    Bltu,
    Bgeu,
    Lb,
    Lh,
    Lw,
    Ld,
    Lbu,
    Lhu,
    Lwu,
    Sb,
    Sh,
    Sw,
    Sd,
    Addi,
    Slti,
    Sltiu,
    Xori,
    Ori,
    Andi,
    Slli,
    Srli,
    Srai,
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Addiw,
    Slliw,
    Srliw,
    Sraiw,
    Addw,
    Subw,
    Sllw,
    Srlw,
    Sraw,
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
    Mulw,
    Divw,
    Divuw,
    Remw,
    Remuw,
    /// Load-reserved; `double` selects .d.
    Lr {
        double: bool,
    },
    /// Store-conditional.
    Sc {
        double: bool,
    },
    /// Atomic read-modify-write.
    Amo {
        op: AmoOp,
        double: bool,
    },
    Fence,
    FenceI,
    Ecall,
    Ebreak,
    Csrrw,
    Csrrs,
    Csrrc,
    Csrrwi,
    Csrrsi,
    Csrrci,
    /// An encoding outside RV64IMAC (or reserved).
    Illegal,
}

/// A decoded instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// What it does.
    pub kind: Kind,
    /// Destination register.
    pub rd: u64,
    /// First source register (or uimm5 for the CSR immediate forms).
    pub rs1: u64,
    /// Second source register.
    pub rs2: u64,
    /// Sign-extended immediate (shift amount for shifts).
    pub imm: i64,
    /// CSR number.
    pub csr: u64,
    /// Size in bytes: 4, or 2 for compressed.
    pub size: u64,
    /// The raw encoding (16 or 32 bits).
    pub word: u32,
}

fn bits(x: u32, hi: u32, lo: u32) -> u32 {
    (x >> lo) & ((1 << (hi - lo + 1)) - 1)
}

fn sext(x: u32, nbits: u32) -> i64 {
    let shift = 64 - nbits;
    ((x as u64) << shift) as i64 >> shift
}

impl Decoded {
    fn new(kind: Kind, word: u32, size: u64) -> Self {
        Decoded {
            kind,
            rd: 0,
            rs1: 0,
            rs2: 0,
            imm: 0,
            csr: 0,
            size,
            word,
        }
    }
    fn illegal(word: u32, size: u64) -> Self {
        Self::new(Kind::Illegal, word, size)
    }
    fn r(kind: Kind, word: u32, size: u64, rd: u32, rs1: u32, rs2: u32, imm: i64) -> Self {
        Decoded {
            kind,
            rd: rd as u64,
            rs1: rs1 as u64,
            rs2: rs2 as u64,
            imm,
            csr: 0,
            size,
            word,
        }
    }
}

/// Decodes a 32-bit instruction word.
pub fn decode32(w: u32) -> Decoded {
    use Kind::*;
    let opcode = w & 0x7f;
    let rd = bits(w, 11, 7);
    let rs1 = bits(w, 19, 15);
    let rs2 = bits(w, 24, 20);
    let f3 = bits(w, 14, 12);
    let f7 = bits(w, 31, 25);
    let imm_i = sext(w >> 20, 12);
    let imm_s = sext((bits(w, 31, 25) << 5) | bits(w, 11, 7), 12);
    let imm_b = sext(
        (bits(w, 31, 31) << 12)
            | (bits(w, 7, 7) << 11)
            | (bits(w, 30, 25) << 5)
            | (bits(w, 11, 8) << 1),
        13,
    );
    let imm_u = (w & 0xFFFF_F000) as i32 as i64;
    let imm_j = sext(
        (bits(w, 31, 31) << 20)
            | (bits(w, 19, 12) << 12)
            | (bits(w, 20, 20) << 11)
            | (bits(w, 30, 21) << 1),
        21,
    );
    let mk = |k: Kind, imm: i64| Decoded::r(k, w, 4, rd, rs1, rs2, imm);
    let bad = Decoded::illegal(w, 4);
    match opcode {
        0x37 => mk(Lui, imm_u),
        0x17 => mk(Auipc, imm_u),
        0x6f => mk(Jal, imm_j),
        0x67 if f3 == 0 => mk(Jalr, imm_i),
        0x63 => {
            let k = match f3 {
                0 => Beq,
                1 => Bne,
                4 => Blt,
                5 => Bge,
                6 => Bltu,
                7 => Bgeu,
                _ => return bad,
            };
            mk(k, imm_b)
        }
        0x03 => {
            let k = match f3 {
                0 => Lb,
                1 => Lh,
                2 => Lw,
                3 => Ld,
                4 => Lbu,
                5 => Lhu,
                6 => Lwu,
                _ => return bad,
            };
            mk(k, imm_i)
        }
        0x23 => {
            let k = match f3 {
                0 => Sb,
                1 => Sh,
                2 => Sw,
                3 => Sd,
                _ => return bad,
            };
            mk(k, imm_s)
        }
        0x13 => match f3 {
            0 => mk(Addi, imm_i),
            2 => mk(Slti, imm_i),
            3 => mk(Sltiu, imm_i),
            4 => mk(Xori, imm_i),
            6 => mk(Ori, imm_i),
            7 => mk(Andi, imm_i),
            1 if bits(w, 31, 26) == 0 => mk(Slli, bits(w, 25, 20) as i64),
            5 if bits(w, 31, 26) == 0 => mk(Srli, bits(w, 25, 20) as i64),
            5 if bits(w, 31, 26) == 0x10 => mk(Srai, bits(w, 25, 20) as i64),
            _ => bad,
        },
        0x1b => match (f3, f7) {
            (0, _) => mk(Addiw, imm_i),
            (1, 0) => mk(Slliw, rs2 as i64),
            (5, 0) => mk(Srliw, rs2 as i64),
            (5, 0x20) => mk(Sraiw, rs2 as i64),
            _ => bad,
        },
        0x33 => {
            let k = match (f7, f3) {
                (0, 0) => Add,
                (0x20, 0) => Sub,
                (0, 1) => Sll,
                (0, 2) => Slt,
                (0, 3) => Sltu,
                (0, 4) => Xor,
                (0, 5) => Srl,
                (0x20, 5) => Sra,
                (0, 6) => Or,
                (0, 7) => And,
                (1, 0) => Mul,
                (1, 1) => Mulh,
                (1, 2) => Mulhsu,
                (1, 3) => Mulhu,
                (1, 4) => Div,
                (1, 5) => Divu,
                (1, 6) => Rem,
                (1, 7) => Remu,
                _ => return bad,
            };
            mk(k, 0)
        }
        0x3b => {
            let k = match (f7, f3) {
                (0, 0) => Addw,
                (0x20, 0) => Subw,
                (0, 1) => Sllw,
                (0, 5) => Srlw,
                (0x20, 5) => Sraw,
                (1, 0) => Mulw,
                (1, 4) => Divw,
                (1, 5) => Divuw,
                (1, 6) => Remw,
                (1, 7) => Remuw,
                _ => return bad,
            };
            mk(k, 0)
        }
        0x0f => match f3 {
            0 => mk(Fence, 0),
            1 => mk(FenceI, 0),
            _ => bad,
        },
        0x73 => {
            let csr = (w >> 20) as u64;
            let k = match f3 {
                0 => {
                    return match w >> 7 {
                        0 => mk(Ecall, 0),
                        0x2000 => mk(Ebreak, 0),
                        _ => bad,
                    }
                }
                1 => Csrrw,
                2 => Csrrs,
                3 => Csrrc,
                5 => Csrrwi,
                6 => Csrrsi,
                7 => Csrrci,
                _ => return bad,
            };
            Decoded { csr, ..mk(k, 0) }
        }
        0x2f => {
            let double = match f3 {
                2 => false,
                3 => true,
                _ => return bad,
            };
            let k = match bits(w, 31, 27) {
                0x02 if rs2 == 0 => Lr { double },
                0x03 => Sc { double },
                0x01 => Amo {
                    op: AmoOp::Swap,
                    double,
                },
                0x00 => Amo {
                    op: AmoOp::Add,
                    double,
                },
                0x04 => Amo {
                    op: AmoOp::Xor,
                    double,
                },
                0x0c => Amo {
                    op: AmoOp::And,
                    double,
                },
                0x08 => Amo {
                    op: AmoOp::Or,
                    double,
                },
                0x10 => Amo {
                    op: AmoOp::Min,
                    double,
                },
                0x14 => Amo {
                    op: AmoOp::Max,
                    double,
                },
                0x18 => Amo {
                    op: AmoOp::Minu,
                    double,
                },
                0x1c => Amo {
                    op: AmoOp::Maxu,
                    double,
                },
                _ => return bad,
            };
            mk(k, 0)
        }
        _ => bad,
    }
}

/// Decodes (expands) a 16-bit compressed instruction.
pub fn decode16(h: u16) -> Decoded {
    use Kind::*;
    let w = h as u32;
    let op = w & 3;
    let f3 = bits(w, 15, 13);
    let rdp = bits(w, 4, 2) + 8;
    let rs1p = bits(w, 9, 7) + 8;
    let rd = bits(w, 11, 7);
    let rs2 = bits(w, 6, 2);
    let imm6 = sext((bits(w, 12, 12) << 5) | bits(w, 6, 2), 6);
    let mk =
        |k: Kind, rd: u32, rs1: u32, rs2: u32, imm: i64| Decoded::r(k, w, 2, rd, rs1, rs2, imm);
    let bad = Decoded::illegal(w, 2);
    match (op, f3) {
        (0, 0) => {
            let imm = (bits(w, 10, 7) << 6)
                | (bits(w, 12, 11) << 4)
                | (bits(w, 5, 5) << 3)
                | (bits(w, 6, 6) << 2);
            if imm == 0 {
                return bad;
            }
            mk(Addi, rdp, 2, 0, imm as i64)
        }
        (0, 2) => {
            let imm = (bits(w, 12, 10) << 3) | (bits(w, 6, 6) << 2) | (bits(w, 5, 5) << 6);
            mk(Lw, rdp, rs1p, 0, imm as i64)
        }
        (0, 3) => {
            let imm = (bits(w, 12, 10) << 3) | (bits(w, 6, 5) << 6);
            mk(Ld, rdp, rs1p, 0, imm as i64)
        }
        (0, 6) => {
            let imm = (bits(w, 12, 10) << 3) | (bits(w, 6, 6) << 2) | (bits(w, 5, 5) << 6);
            mk(Sw, 0, rs1p, rdp, imm as i64)
        }
        (0, 7) => {
            let imm = (bits(w, 12, 10) << 3) | (bits(w, 6, 5) << 6);
            mk(Sd, 0, rs1p, rdp, imm as i64)
        }
        (1, 0) => mk(Addi, rd, rd, 0, imm6),
        (1, 1) if rd != 0 => mk(Addiw, rd, rd, 0, imm6),
        (1, 2) => mk(Addi, rd, 0, 0, imm6),
        (1, 3) if rd == 2 => {
            let imm = (bits(w, 12, 12) << 9)
                | (bits(w, 4, 3) << 7)
                | (bits(w, 5, 5) << 6)
                | (bits(w, 2, 2) << 5)
                | (bits(w, 6, 6) << 4);
            if imm == 0 {
                return bad;
            }
            mk(Addi, 2, 2, 0, sext(imm, 10))
        }
        (1, 3) => {
            if imm6 == 0 {
                return bad;
            }
            mk(Lui, rd, 0, 0, imm6 << 12)
        }
        (1, 4) => {
            let shamt = ((bits(w, 12, 12) << 5) | bits(w, 6, 2)) as i64;
            match bits(w, 11, 10) {
                0 => mk(Srli, rs1p, rs1p, 0, shamt),
                1 => mk(Srai, rs1p, rs1p, 0, shamt),
                2 => mk(Andi, rs1p, rs1p, 0, imm6),
                _ => {
                    let k = match (bits(w, 12, 12), bits(w, 6, 5)) {
                        (0, 0) => Sub,
                        (0, 1) => Xor,
                        (0, 2) => Or,
                        (0, 3) => And,
                        (1, 0) => Subw,
                        (1, 1) => Addw,
                        _ => return bad,
                    };
                    mk(k, rs1p, rs1p, rdp, 0)
                }
            }
        }
        (1, 5) => {
            let imm = (bits(w, 12, 12) << 11)
                | (bits(w, 8, 8) << 10)
                | (bits(w, 10, 9) << 8)
                | (bits(w, 6, 6) << 7)
                | (bits(w, 7, 7) << 6)
                | (bits(w, 2, 2) << 5)
                | (bits(w, 11, 11) << 4)
                | (bits(w, 5, 3) << 1);
            mk(Jal, 0, 0, 0, sext(imm, 12))
        }
        (1, 6) | (1, 7) => {
            let imm = (bits(w, 12, 12) << 8)
                | (bits(w, 6, 5) << 6)
                | (bits(w, 2, 2) << 5)
                | (bits(w, 11, 10) << 3)
                | (bits(w, 4, 3) << 1);
            let k = if f3 == 6 { Beq } else { Bne };
            mk(k, 0, rs1p, 0, sext(imm, 9))
        }
        (2, 0) => mk(
            Slli,
            rd,
            rd,
            0,
            ((bits(w, 12, 12) << 5) | bits(w, 6, 2)) as i64,
        ),
        (2, 2) if rd != 0 => {
            let imm = (bits(w, 12, 12) << 5) | (bits(w, 6, 4) << 2) | (bits(w, 3, 2) << 6);
            mk(Lw, rd, 2, 0, imm as i64)
        }
        (2, 3) if rd != 0 => {
            let imm = (bits(w, 12, 12) << 5) | (bits(w, 6, 5) << 3) | (bits(w, 4, 2) << 6);
            mk(Ld, rd, 2, 0, imm as i64)
        }
        (2, 4) => match (bits(w, 12, 12), rd, rs2) {
            (0, 0, 0) => bad,
            (0, _, 0) => mk(Jalr, 0, rd, 0, 0),
            (0, _, _) => mk(Add, rd, 0, rs2, 0),
            (1, 0, 0) => mk(Ebreak, 0, 0, 0, 0),
            (1, _, 0) => mk(Jalr, 1, rd, 0, 0),
            _ => mk(Add, rd, rd, rs2, 0),
        },
        (2, 6) => {
            let imm = (bits(w, 12, 9) << 2) | (bits(w, 8, 7) << 6);
            mk(Sw, 0, 2, rs2, imm as i64)
        }
        (2, 7) => {
            let imm = (bits(w, 12, 10) << 3) | (bits(w, 9, 7) << 6);
            mk(Sd, 0, 2, rs2, imm as i64)
        }
        _ => bad,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_common_encodings() {
        let d = decode32(0x00a5_8593); // addi a1, a1, 10
        assert_eq!((d.kind, d.rd, d.rs1, d.imm), (Kind::Addi, 11, 11, 10));
        let d = decode32(0xfe0f_0ee3); // beq t5, zero, -4
        assert_eq!((d.kind, d.rs1, d.rs2, d.imm), (Kind::Beq, 30, 0, -4));
        let d = decode32(0x0000_0073);
        assert_eq!(d.kind, Kind::Ecall);
        let d = decode32(0xc000_1073); // unimp = csrrw x0, cycle, x0
        assert_eq!((d.kind, d.csr), (Kind::Csrrw, 0xc00));
        assert_eq!(decode32(0xffff_ffff).kind, Kind::Illegal);
    }

    #[test]
    fn expands_compressed() {
        let d = decode16(0x4505); // c.li a0, 1
        assert_eq!(
            (d.kind, d.rd, d.rs1, d.imm, d.size),
            (Kind::Addi, 10, 0, 1, 2)
        );
        let d = decode16(0x8082); // c.ret
        assert_eq!((d.kind, d.rd, d.rs1), (Kind::Jalr, 0, 1));
        let d = decode16(0x1141); // c.addi sp, sp, -16
        assert_eq!((d.kind, d.rd, d.imm), (Kind::Addi, 2, -16));
        assert_eq!(decode16(0).kind, Kind::Illegal);
    }
}
