//! The ZisK memory map and fixed addresses (zisk-spec §4).

/// First executed pc: the BIOS entry.
pub const ROM_ENTRY: u64 = 0x1000;
/// The END instruction; every successful run finishes here.
pub const ROM_EXIT: u64 = 0x1004;
/// Start of the BIOS data-initialisation code.
pub const BIOS_INIT_ADDR: u64 = 0x1110;
/// Highest address the BIOS may use.
pub const MAX_ZISK_OS_ROM_ADDR: u64 = 0x0FFF_FFFF;

/// Read-only input region. The first 8 bytes are the free-input slot.
pub const INPUT_ADDR: u64 = 0x4000_0000;
/// Size of the input region.
pub const MAX_INPUT_SIZE: u64 = 0x4000_0000;
/// Where the input length (u64 LE) is placed; the input bytes follow at `INPUT_ADDR + 16`.
pub const INPUT_LEN_ADDR: u64 = INPUT_ADDR + 8;
/// Where the input bytes start.
pub const INPUT_DATA_ADDR: u64 = INPUT_ADDR + 16;

/// Program code and read-only data.
pub const ROM_ADDR: u64 = 0x8000_0000;
/// Last address of the program ROM.
pub const ROM_ADDR_MAX: u64 = 0x87FF_FFFF;

/// Read/write memory.
pub const RAM_ADDR: u64 = 0xA000_0000;
/// Size of RAM (512 MiB).
pub const RAM_SIZE: u64 = 0x2000_0000;
/// Memory image of register `idx` (only used for indices ≥ 32: transpiler temporaries).
pub const REG_FIRST: u64 = RAM_ADDR;
/// Transpiler scratch register 32.
pub const TEMP_REG_A: u64 = 32;
/// Transpiler scratch register 33.
pub const TEMP_REG_B: u64 = 33;
/// A one-byte store here is echoed to the emulator's stdout.
pub const UART_ADDR: u64 = 0xA000_0200;
/// Extra precompile parameters.
pub const EXTRA_PARAMS_ADDR: u64 = 0xA000_0F00;
/// Control and status registers: CSR `n` lives at `CSR_ADDR + 8 * n`.
pub const CSR_ADDR: u64 = 0xA000_8000;
/// CSR number of `mtvec` (trap handler address).
pub const CSR_MTVEC: u64 = 0x305;
/// CSR number of `marchid`.
pub const CSR_MARCHID: u64 = 0xF12;
/// Value of `marchid` under ZisK.
pub const ARCH_ID_ZISK: u64 = 0xFFFEEEE;
/// Public outputs: 64 u32 slots.
pub const OUTPUT_ADDR: u64 = 0xA001_0000;
/// Number of u32 output slots.
pub const OUTPUT_SLOTS: usize = 64;
/// General RAM available to programs.
pub const AVAILABLE_MEM_ADDR: u64 = 0xA003_0000;

/// Steps per minimal-trace chunk.
pub const CHUNK_SIZE: u64 = 1 << 18;
/// Default step limit (2^36 − 1).
pub const DEFAULT_MAX_STEPS: u64 = 0xF_FFFF_FFFF;

/// Memory address of register index `idx` (used for `idx >= 32`).
pub const fn reg_addr(idx: u64) -> u64 {
    REG_FIRST + 8 * idx
}

/// Memory address of CSR `n`.
pub const fn csr_addr(n: u64) -> u64 {
    CSR_ADDR + 8 * n
}
