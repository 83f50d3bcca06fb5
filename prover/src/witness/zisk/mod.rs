//! Fillers of the zkVM machines in `pil/zisk/`.

pub mod binary;
pub mod binary_extension;
pub mod main;
pub mod mem;
