//! The guest ABI of the precompiles (zisk-spec §2.2, §3.3, §5.4): CSR numbers, opcodes and the
//! layout of the memory each one reads and writes. Dependency-free so that `ziskos` can include
//! this file on the zkVM target with `#[path]`.
//!
//! A guest calls a precompile with `csrs <CSR>, rs1`, where `rs1` holds an 8-byte aligned
//! pointer; the transpiler turns it into the precompile's opcode with `a = 0`, `b = rs1`.
//! Big integers are little-endian arrays of four u64 limbs (limb 0 least significant); a point is
//! `x[4]` followed by `y[4]`. A parameter block is an array of u64 pointers (a `#[repr(C)]`
//! struct of references on the guest side).

/// CSR of keccak-f: `b` → the 25 u64 lanes, permuted in place.
pub const CSR_KECCAK: u32 = 0x800;
/// CSR of arith256: `b` → `[a*, b*, c*, dl*, dh*]`; `a·b + c = dh·2^256 + dl`.
pub const CSR_ARITH256: u32 = 0x801;
/// CSR of arith256_mod: `b` → `[a*, b*, c*, m*, d*]`; `d = (a·b + c) mod m`.
pub const CSR_ARITH256_MOD: u32 = 0x802;
/// CSR of secp256k1_add: `b` → `[p1*, p2*]`; `p1 ← p1 + p2`.
pub const CSR_SECP256K1_ADD: u32 = 0x803;
/// CSR of secp256k1_dbl: `b` → the point (8 u64); `p ← 2p`.
pub const CSR_SECP256K1_DBL: u32 = 0x804;
/// CSR of sha256-f: `b` → `[state*, input*]`; `state ← compress(state, input)`.
pub const CSR_SHA256: u32 = 0x805;

/// Opcode of keccak-f.
pub const OP_KECCAK: u8 = 0xf1;
/// Opcode of arith256.
pub const OP_ARITH256: u8 = 0xf2;
/// Opcode of arith256_mod.
pub const OP_ARITH256_MOD: u8 = 0xf3;
/// Opcode of secp256k1_add.
pub const OP_SECP256K1_ADD: u8 = 0xf4;
/// Opcode of secp256k1_dbl.
pub const OP_SECP256K1_DBL: u8 = 0xf5;
/// Opcode of sha256-f.
pub const OP_SHA256: u8 = 0xf9;

/// u64 words of the keccak-f state.
pub const KECCAK_WORDS: usize = 25;
/// u64 words of the sha256-f state: the eight u32 words `H0..H7`, two per u64, `H(2i)` in the
/// low half of word `i` (so the memory holds the u32s in order, little-endian).
pub const SHA256_STATE_WORDS: usize = 4;
/// u64 words of one sha256-f input block: word `i` is bytes `8i..8i+8` of the 64-byte block read
/// big-endian (the message-word order of FIPS 180-4: `W(2i)` is the high half of word `i`).
pub const SHA256_INPUT_WORDS: usize = 8;
/// u64 limbs of a 256-bit number.
pub const U256_WORDS: usize = 4;
/// u64 words of an affine point (`x` then `y`).
pub const POINT256_WORDS: usize = 8;

/// Pointers in the parameter block of arith256 (`a, b, c, dl, dh`).
pub const ARITH256_PARAMS: usize = 5;
/// Pointers in the parameter block of arith256_mod (`a, b, c, m, d`).
pub const ARITH256_MOD_PARAMS: usize = 5;
/// Pointers in the parameter block of secp256k1_add (`p1, p2`).
pub const SECP256K1_ADD_PARAMS: usize = 2;
/// Pointers in the parameter block of sha256-f (`state, input`).
pub const SHA256_PARAMS: usize = 2;

/// Every precompile of this ABI: (CSR, opcode, name).
pub const PRECOMPILES: [(u32, u8, &str); 6] = [
    (CSR_KECCAK, OP_KECCAK, "keccak"),
    (CSR_ARITH256, OP_ARITH256, "arith256"),
    (CSR_ARITH256_MOD, OP_ARITH256_MOD, "arith256_mod"),
    (CSR_SECP256K1_ADD, OP_SECP256K1_ADD, "secp256k1_add"),
    (CSR_SECP256K1_DBL, OP_SECP256K1_DBL, "secp256k1_dbl"),
    (CSR_SHA256, OP_SHA256, "sha256"),
];

/// Bytes a precompile reads (pointer blocks included) and writes, per call: `(in, out)`.
pub const fn io_bytes(op: u8) -> (u64, u64) {
    match op {
        OP_KECCAK => (200, 200),
        OP_ARITH256 => (136, 64),
        OP_ARITH256_MOD => (168, 32),
        OP_SECP256K1_ADD => (144, 64),
        OP_SECP256K1_DBL => (64, 64),
        OP_SHA256 => (112, 32),
        _ => (0, 0),
    }
}
