//! The ZisK opcode table (zisk-spec §2, v0.18 numbering) and the semantics of every operation.

/// Which state machine proves an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OpType {
    /// Proven inside Main (flag, copyb, halt).
    Internal,
    /// Binary state machine.
    Binary,
    /// BinaryExtension state machine (shifts, sign extension).
    BinaryE,
    /// Arith state machine (mul, div, rem).
    Arith,
    /// Public output binding.
    PubOut,
    /// A precompile (operates on memory through a pointer in `b`).
    Precompile,
    /// Free-input helper call (proven as `copyb`).
    Fcall,
}

/// One row of the opcode table.
#[derive(Clone, Copy, Debug)]
pub struct OpInfo {
    /// Opcode number.
    pub code: u8,
    /// Mnemonic.
    pub name: &'static str,
    /// State machine.
    pub op_type: OpType,
    /// Area cost per operation (zisk-spec §7.1).
    pub cost: u64,
    /// Input size in bytes for precompiles (0 otherwise).
    pub input_size: u64,
}

macro_rules! ops {
    ($( $id:ident = $code:expr, $name:expr, $ty:ident, $cost:expr, $insize:expr; )*) => {
        /// Opcode numbers.
        #[allow(missing_docs)]
        pub mod op {
            $( pub const $id: u8 = $code; )*
        }
        /// All defined opcodes.
        pub const OPS: &[OpInfo] = &[
            $( OpInfo { code: $code, name: $name, op_type: OpType::$ty, cost: $cost, input_size: $insize }, )*
        ];
    };
}

ops! {
    FLAG = 0x00, "flag", Internal, 0, 0;
    COPYB = 0x01, "copyb", Internal, 0, 0;
    MINU = 0x02, "minu", Binary, 60, 0;
    MIN = 0x03, "min", Binary, 60, 0;
    MAXU = 0x04, "maxu", Binary, 60, 0;
    MAX = 0x05, "max", Binary, 60, 0;
    LTU = 0x06, "ltu", Binary, 60, 0;
    LT = 0x07, "lt", Binary, 60, 0;
    EQ = 0x09, "eq", Binary, 60, 0;
    ADD = 0x0a, "add", Binary, 25, 0;
    SUB = 0x0b, "sub", Binary, 60, 0;
    LEU = 0x0c, "leu", Binary, 60, 0;
    LE = 0x0d, "le", Binary, 60, 0;
    AND = 0x0e, "and", Binary, 60, 0;
    OR = 0x0f, "or", Binary, 60, 0;
    XOR = 0x10, "xor", Binary, 60, 0;
    MINU_W = 0x12, "minu_w", Binary, 60, 0;
    MIN_W = 0x13, "min_w", Binary, 60, 0;
    MAXU_W = 0x14, "maxu_w", Binary, 60, 0;
    MAX_W = 0x15, "max_w", Binary, 60, 0;
    LTU_W = 0x16, "ltu_w", Binary, 60, 0;
    LT_W = 0x17, "lt_w", Binary, 60, 0;
    EQ_W = 0x19, "eq_w", Binary, 60, 0;
    ADD_W = 0x1a, "add_w", Binary, 60, 0;
    SUB_W = 0x1b, "sub_w", Binary, 60, 0;
    LEU_W = 0x1c, "leu_w", Binary, 60, 0;
    LE_W = 0x1d, "le_w", Binary, 60, 0;
    SLL = 0x21, "sll", BinaryE, 53, 0;
    SRL = 0x22, "srl", BinaryE, 53, 0;
    SRA = 0x23, "sra", BinaryE, 53, 0;
    SLL_W = 0x24, "sll_w", BinaryE, 53, 0;
    SRL_W = 0x25, "srl_w", BinaryE, 53, 0;
    SRA_W = 0x26, "sra_w", BinaryE, 53, 0;
    SIGNEXTEND_B = 0x27, "signextend_b", BinaryE, 53, 0;
    SIGNEXTEND_H = 0x28, "signextend_h", BinaryE, 53, 0;
    SIGNEXTEND_W = 0x29, "signextend_w", BinaryE, 53, 0;
    PUBOUT = 0x30, "pubout", PubOut, 0, 0;
    MULU = 0xb0, "mulu", Arith, 95, 0;
    MULUH = 0xb1, "muluh", Arith, 95, 0;
    MULSUH = 0xb3, "mulsuh", Arith, 95, 0;
    MUL = 0xb4, "mul", Arith, 95, 0;
    MULH = 0xb5, "mulh", Arith, 95, 0;
    MUL_W = 0xb6, "mul_w", Arith, 95, 0;
    DIVU = 0xb8, "divu", Arith, 95, 0;
    REMU = 0xb9, "remu", Arith, 95, 0;
    DIV = 0xba, "div", Arith, 95, 0;
    REM = 0xbb, "rem", Arith, 95, 0;
    DIVU_W = 0xbc, "divu_w", Arith, 95, 0;
    REMU_W = 0xbd, "remu_w", Arith, 95, 0;
    DIV_W = 0xbe, "div_w", Arith, 95, 0;
    REM_W = 0xbf, "rem_w", Arith, 95, 0;
    ADD256 = 0xf0, "add256", Precompile, 104, 104;
    KECCAK = 0xf1, "keccak", Precompile, 75550, 200;
    ARITH256 = 0xf2, "arith256", Precompile, 1424, 136;
    ARITH256_MOD = 0xf3, "arith256_mod", Precompile, 1424, 168;
    SECP256K1_ADD = 0xf4, "secp256k1_add", Precompile, 1424, 144;
    SECP256K1_DBL = 0xf5, "secp256k1_dbl", Precompile, 1424, 64;
    FCALL_PARAM = 0xf6, "fcall_param", Fcall, 0, 0;
    FCALL = 0xf7, "fcall", Fcall, 0, 0;
    FCALL_GET = 0xf8, "fcall_get", Fcall, 0, 0;
    SHA256 = 0xf9, "sha256", Precompile, 8712, 112;
    HALT = 0xff, "halt", Internal, 0, 0;
}

const fn build_index() -> [u8; 256] {
    let mut index = [u8::MAX; 256];
    let mut i = 0;
    while i < OPS.len() {
        index[OPS[i].code as usize] = i as u8;
        i += 1;
    }
    index
}

static OP_INDEX: [u8; 256] = build_index();

/// Looks up the table row of an opcode.
pub fn op_info(code: u8) -> Option<&'static OpInfo> {
    let i = OP_INDEX[code as usize];
    (i != u8::MAX).then(|| &OPS[i as usize])
}

/// Mnemonic of an opcode (`"?"` if undefined).
pub fn op_name(code: u8) -> &'static str {
    op_info(code).map_or("?", |i| i.name)
}

/// Whether the op is proven by a secondary state machine (Main assumes it on the operation bus).
pub fn is_external(code: u8) -> bool {
    op_info(code).is_some_and(|i| !matches!(i.op_type, OpType::Internal | OpType::Fcall))
}

/// Whether the op name contains `_w` (only the low 32 bits of a and b go on the bus).
pub fn is_m32(code: u8) -> bool {
    op_info(code).is_some_and(|i| i.name.contains("_w"))
}

#[inline(always)]
fn sext32(x: u64) -> u64 {
    x as u32 as i32 as i64 as u64
}

/// Executes a non-memory operation: `(c, flag) = op(a, b)`.
///
/// Returns `None` for precompiles, fcalls and `halt`, which the emulator handles itself.
#[inline(always)]
pub fn exec(code: u8, a: u64, b: u64) -> Option<(u64, bool)> {
    let r = match code {
        op::FLAG => (0, true),
        op::COPYB => (b, false),
        op::MINU => (a.min(b), false),
        op::MIN => ((a as i64).min(b as i64) as u64, false),
        op::MAXU => (a.max(b), false),
        op::MAX => ((a as i64).max(b as i64) as u64, false),
        op::LTU => flag_c(a < b),
        op::LT => flag_c((a as i64) < (b as i64)),
        op::EQ => flag_c(a == b),
        op::ADD => (a.wrapping_add(b), false),
        op::SUB => (a.wrapping_sub(b), false),
        op::LEU => flag_c(a <= b),
        op::LE => flag_c((a as i64) <= (b as i64)),
        op::AND => (a & b, false),
        op::OR => (a | b, false),
        op::XOR => (a ^ b, false),
        op::MINU_W => (sext32((a as u32).min(b as u32) as u64), false),
        op::MIN_W => ((a as i32).min(b as i32) as i64 as u64, false),
        op::MAXU_W => (sext32((a as u32).max(b as u32) as u64), false),
        op::MAX_W => ((a as i32).max(b as i32) as i64 as u64, false),
        op::LTU_W => flag_c((a as u32) < (b as u32)),
        op::LT_W => flag_c((a as i32) < (b as i32)),
        op::EQ_W => flag_c(a as u32 == b as u32),
        op::ADD_W => (sext32(a.wrapping_add(b)), false),
        op::SUB_W => (sext32(a.wrapping_sub(b)), false),
        op::LEU_W => flag_c((a as u32) <= (b as u32)),
        op::LE_W => flag_c((a as i32) <= (b as i32)),
        op::SLL => (a << (b & 63), false),
        op::SRL => (a >> (b & 63), false),
        op::SRA => (((a as i64) >> (b & 63)) as u64, false),
        // The 32-bit shifts use the low 5 bits of b, as sllw/srlw/sraw do (ZisK's wrapping
        // u32/i32 shifts mask the same way).
        op::SLL_W => (sext32(((a as u32) << (b & 31)) as u64), false),
        op::SRL_W => (sext32(((a as u32) >> (b & 31)) as u64), false),
        op::SRA_W => (((a as i32) >> (b & 31)) as i64 as u64, false),
        op::SIGNEXTEND_B => (b as i8 as i64 as u64, false),
        op::SIGNEXTEND_H => (b as i16 as i64 as u64, false),
        op::SIGNEXTEND_W => (b as i32 as i64 as u64, false),
        op::PUBOUT => (b, false),
        op::MULU => (a.wrapping_mul(b), false),
        op::MULUH => (((a as u128 * b as u128) >> 64) as u64, false),
        op::MULSUH => ((((a as i64 as i128) * (b as i128)) >> 64) as u64, false),
        op::MUL => ((a as i64).wrapping_mul(b as i64) as u64, false),
        op::MULH => (
            (((a as i64 as i128) * (b as i64 as i128)) >> 64) as u64,
            false,
        ),
        op::MUL_W => (sext32((a as u32).wrapping_mul(b as u32) as u64), false),
        op::DIVU => match a.checked_div(b) {
            Some(q) => (q, false),
            None => (u64::MAX, true),
        },
        op::REMU => {
            if b == 0 {
                (a, true)
            } else {
                (a % b, false)
            }
        }
        op::DIV => {
            if b == 0 {
                (u64::MAX, true)
            } else {
                ((a as i64).wrapping_div(b as i64) as u64, false)
            }
        }
        op::REM => {
            if b == 0 {
                (a, true)
            } else {
                ((a as i64).wrapping_rem(b as i64) as u64, false)
            }
        }
        op::DIVU_W => match (a as u32).checked_div(b as u32) {
            Some(q) => (sext32(q as u64), false),
            None => (u64::MAX, true),
        },
        op::REMU_W => {
            if b as u32 == 0 {
                (sext32(a), true)
            } else {
                (sext32(((a as u32) % (b as u32)) as u64), false)
            }
        }
        op::DIV_W => {
            if b as u32 == 0 {
                (u64::MAX, true)
            } else {
                // RISC-V semantics: INT32_MIN / -1 = INT32_MIN, sign-extended. ZisK v0.18 returns
                // 0x0000_0000_8000_0000 here (zisk-spec §13.15); our Arith machine follows the ISA.
                ((a as i32).wrapping_div(b as i32) as i64 as u64, false)
            }
        }
        op::REM_W => {
            if b as u32 == 0 {
                (sext32(a), true)
            } else {
                ((a as i32).wrapping_rem(b as i32) as i64 as u64, false)
            }
        }
        _ => return None,
    };
    Some(r)
}

#[inline(always)]
fn flag_c(x: bool) -> (u64, bool) {
    (x as u64, x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_codes_are_unique_and_indexed() {
        for info in OPS {
            assert_eq!(op_info(info.code).unwrap().name, info.name);
        }
        assert!(op_info(0x08).is_none());
        assert!(is_m32(op::ADD_W) && !is_m32(op::ADD));
        assert!(is_external(op::ADD) && !is_external(op::COPYB) && !is_external(op::FCALL));
    }

    #[test]
    fn division_edge_cases_follow_zisk() {
        assert_eq!(exec(op::DIVU, 7, 0), Some((u64::MAX, true)));
        assert_eq!(exec(op::REMU, 7, 0), Some((7, true)));
        assert_eq!(
            exec(op::DIV, i64::MIN as u64, u64::MAX),
            Some((i64::MIN as u64, false))
        );
        assert_eq!(exec(op::REM, i64::MIN as u64, u64::MAX), Some((0, false)));
        assert_eq!(
            exec(op::DIV_W, 0x8000_0000, 0xFFFF_FFFF),
            Some((0xFFFF_FFFF_8000_0000, false))
        );
        assert_eq!(exec(op::REM_W, 0x8000_0000, 0xFFFF_FFFF), Some((0, false)));
        assert_eq!(
            exec(op::REMU_W, 0x1_8000_0000, 0),
            Some((0xFFFF_FFFF_8000_0000, true))
        );
    }
}
