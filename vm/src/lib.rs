//! The execution half of the zkVM: the RISC-V → ZisK transpiler and the ZisK emulator.
//!
//! `transpile_elf` turns an ELF file into a [`ZiskRom`]; an [`Emulator`] runs it in fast mode
//! (outputs only) or trace mode (a minimal trace of chunks that can be replayed independently).

pub mod consts;
pub mod elf;
pub mod emu;
pub mod error;
pub mod inst;
pub mod mem;
pub mod ops;
pub mod precompile;
pub mod riscv;
pub mod rom;
pub mod stats;
pub mod transpile;

pub use emu::{Chunk, EmuState, Emulator, ExecInst, NoObserver, Observer, RunOptions, RunResult};
pub use error::{ElfError, EmuError};
pub use rom::ZiskRom;
pub use transpile::transpile_elf;
