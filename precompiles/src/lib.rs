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
