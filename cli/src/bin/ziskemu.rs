//! `ziskemu`: runs a RISC-V ELF in the ZisK emulator and prints its public outputs.

use clap::Parser;
use zisk_cli::emu::{run_emulator, EmuOptions, EmulationFailed};

/// Runs a RISC-V ELF in the ZisK emulator.
#[derive(Parser, Debug)]
#[command(name = "ziskemu", version, about)]
struct Cli {
    #[command(flatten)]
    opts: EmuOptions,
}

fn main() {
    let cli = Cli::parse();
    if cli.opts.elf.is_none() {
        eprintln!("Error: no ELF file given (use -e FILE)");
        std::process::exit(2);
    }
    if let Err(e) = run_emulator(&cli.opts) {
        if e.downcast_ref::<EmulationFailed>().is_none() {
            eprintln!("Error: {e:#}");
        }
        std::process::exit(1);
    }
}
