//! Running an ELF in the emulator with the `ziskemu` options (shared by `ziskemu` and `cargo-zisk run`).

use std::path::PathBuf;

/// The emulator options, as `ziskemu` and `cargo-zisk run` accept them.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct EmuOptions {
    /// RISC-V ELF file to run
    #[arg(short = 'e', long = "elf")]
    pub elf: Option<PathBuf>,
    /// Input file (raw bytes, passed to the guest's `read_input()`)
    #[arg(short = 'i', long = "inputs", alias = "input")]
    pub inputs: Option<PathBuf>,
    /// Stop with an error after this many steps
    #[arg(short = 'n', long = "max-steps")]
    pub max_steps: Option<u64>,
    /// Print execution metrics (steps, duration, throughput)
    #[arg(short = 'm', long = "log-metrics")]
    pub log_metrics: bool,
    /// Print the execution cost statistics
    #[arg(short = 'x', long = "stats")]
    pub stats: bool,
    /// Write the 64 output slots (256 bytes, little-endian u32s) to this file
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Print all 64 output slots, not only those the program set
    #[arg(short = 'c', long = "log-output")]
    pub log_output: bool,
    /// Print a RISC-V-level trace of register changes
    #[arg(short = 'a', long = "tracerv")]
    pub tracerv: bool,
}

/// Runs the emulator as `ziskemu` does: prints the outputs, returns an error on failure.
pub fn run_emulator(opts: &EmuOptions) -> anyhow::Result<()> {
    anyhow::bail!("emulator not wired yet: {:?}", opts.elf)
}
