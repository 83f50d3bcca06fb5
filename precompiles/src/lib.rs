//! Host-side semantics of the ZisK precompiles (zisk-spec §2.2, §5.4).
//!
//! Each module computes one precompile on plain values; [`abi`] holds the CSR numbers, opcodes
//! and memory layouts shared with the emulator (`zisk-vm`) and the guest syscalls (`ziskos`).
//! Everything is hand-written and dependency-free (keccak-f, SHA-256 compression, 4-limb 256-bit
//! arithmetic with Knuth division, and the secp256k1 field with its special reduction); the
//! tests compare it with independent implementations.

pub mod abi;
pub mod arith256;
pub mod error;
pub mod keccak;
pub mod secp256k1;
pub mod sha256;

pub use arith256::{arith256, arith256_mod, U256};
pub use error::PrecompileError;
pub use keccak::keccak_f;
pub use secp256k1::{secp256k1_add, secp256k1_dbl};
pub use sha256::sha256_f;

/// A 256-bit number printed as `0x` and 64 hex digits (most significant first).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HexU256(pub U256);

impl std::fmt::Display for HexU256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "0x")?;
        for limb in self.0.iter().rev() {
            write!(f, "{limb:016x}")?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for HexU256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}
