//! Fillers of the zkVM machines in `pil/zisk/`.

pub mod arith;
pub mod arith_eq;
pub mod binary;
pub mod binary_extension;
pub mod keccakf;
pub mod main;
pub mod mem;
pub mod mem_align;
pub mod sha256f;
