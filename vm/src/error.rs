//! Typed errors of the transpiler and the emulator.

use thiserror::Error;
use zisk_precompiles::PrecompileError;

/// Errors found while loading and transpiling an ELF file.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ElfError {
    /// The bytes are not an ELF file.
    #[error("not an ELF file: {0}")]
    NotElf(String),
    /// An ELF, but not 64-bit little-endian RISC-V.
    #[error("not a 64-bit RISC-V ELF: {0}")]
    WrongArch(String),
    /// A section lies where the VM cannot place it.
    #[error("section {name} at {addr:#x}..{end:#x} {reason}")]
    BadSection {
        /// Section name.
        name: String,
        /// Start address.
        addr: u64,
        /// End address (exclusive).
        end: u64,
        /// What is wrong.
        reason: &'static str,
    },
    /// No executable code.
    #[error("the ELF file has no executable code")]
    NoCode,
    /// The entry point is not an instruction.
    #[error("entry point {0:#x} is not inside the program code")]
    BadEntry(u64),
}

/// Errors raised while executing a program.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum EmuError {
    /// The step limit was reached before the program ended.
    #[error("EmulationNoCompleted")]
    EmulationNoCompleted,
    /// The program executed an instruction outside RV64IMAC.
    #[error("illegal instruction {word:#010x} at pc {pc:#x}")]
    IllegalInstruction {
        /// The instruction's encoding.
        word: u32,
        /// Its address.
        pc: u64,
    },
    /// The guest aborted (a Rust panic ends in `unimp`).
    #[error("guest program aborted (panic) at pc {pc:#x}")]
    GuestAbort {
        /// Address of the abort instruction.
        pc: u64,
    },
    /// A load outside readable memory.
    #[error("invalid memory read of {width} bytes at {addr:#x} (pc {pc:#x})")]
    BadRead {
        /// Address.
        addr: u64,
        /// Width in bytes.
        width: u64,
        /// pc of the instruction.
        pc: u64,
    },
    /// A store outside writable memory.
    #[error("invalid memory write of {width} bytes at {addr:#x} (pc {pc:#x})")]
    BadWrite {
        /// Address.
        addr: u64,
        /// Width in bytes.
        width: u64,
        /// pc of the instruction.
        pc: u64,
    },
    /// A jump to an address that holds no instruction.
    #[error("jump to {target:#x}, which is not an instruction (from pc {pc:#x})")]
    BadJump {
        /// Target address.
        target: u64,
        /// pc of the jump.
        pc: u64,
    },
    /// An operation this VM does not support yet.
    #[error("unsupported operation {name} at pc {pc:#x}")]
    Unsupported {
        /// Operation name.
        name: &'static str,
        /// Its address.
        pc: u64,
    },
    /// The input does not fit the input region.
    #[error("input of {len} bytes is larger than the input region ({max} bytes)")]
    InputTooLarge {
        /// Input size.
        len: u64,
        /// Largest allowed.
        max: u64,
    },
    /// A chunk of a minimal trace does not replay as recorded.
    #[error("trace chunk starting at step {step} does not replay: {reason}")]
    TraceMismatch {
        /// First step of the chunk.
        step: u64,
        /// What differed.
        reason: &'static str,
    },
    /// A `pubout` with an index outside 0..32.
    #[error("public output index {index} out of range at pc {pc:#x}")]
    BadPubout {
        /// The index.
        index: u64,
        /// pc.
        pc: u64,
    },
    /// A precompile call with no defined result (zero modulus, equal x coordinates, a point
    /// with y = 0, an unaligned pointer).
    #[error("precompile {} at pc {pc:#x}: {source}", crate::ops::op_name(*op))]
    Precompile {
        /// The precompile's opcode.
        op: u8,
        /// pc of the call.
        pc: u64,
        /// What is wrong.
        source: PrecompileError,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emu_error_stays_small() {
        // Every memory access of the interpreter returns `Result<_, EmuError>`.
        assert!(std::mem::size_of::<EmuError>() <= 32);
    }
}
