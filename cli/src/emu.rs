//! Running an ELF in the emulator with the `ziskemu` options (shared by `ziskemu` and `cargo-zisk run`).

use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use zisk_vm::consts::{DEFAULT_MAX_STEPS, OUTPUT_SLOTS};
use zisk_vm::stats::{RegTrace, Stats};
use zisk_vm::{Emulator, RunOptions, RunResult, ZiskRom};

/// The emulator options, as `ziskemu` and `cargo-zisk run` accept them.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct EmuOptions {
    /// RISC-V ELF file to run
    #[arg(short = 'e', long = "elf")]
    pub elf: Option<PathBuf>,
    /// Input file (raw bytes, passed to the guest's `read_input()`)
    #[arg(short = 'i', long = "inputs", alias = "input")]
    pub inputs: Option<PathBuf>,
    /// Stop with an error after this many steps [default: 2^36-1]
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

/// The emulation itself failed; the message (`Error during emulation: ...`) was already printed.
#[derive(Debug, thiserror::Error)]
#[error("emulation failed: {0}")]
pub struct EmulationFailed(pub zisk_vm::EmuError);

/// Reads and transpiles an ELF file, with errors that name the file.
pub fn load_rom(path: &Path) -> anyhow::Result<ZiskRom> {
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read ELF file {}", path.display()))?;
    zisk_vm::transpile_elf(&bytes).with_context(|| format!("invalid ELF file {}", path.display()))
}

/// Reads an input file (none: empty input).
pub fn load_input(path: Option<&Path>) -> anyhow::Result<Vec<u8>> {
    match path {
        Some(p) => {
            std::fs::read(p).with_context(|| format!("cannot read input file {}", p.display()))
        }
        None => Ok(Vec::new()),
    }
}

#[cfg(target_arch = "x86_64")]
fn clock() -> u64 {
    // SAFETY: rdtsc has no preconditions on x86-64.
    unsafe { core::arch::x86_64::_rdtsc() }
}

#[cfg(not(target_arch = "x86_64"))]
fn clock() -> u64 {
    0
}

/// Runs the emulator as `ziskemu` does: prints the outputs, returns an error on failure.
pub fn run_emulator(opts: &EmuOptions) -> anyhow::Result<()> {
    let elf = opts
        .elf
        .as_deref()
        .context("no ELF file given (use -e FILE)")?;
    let rom = load_rom(elf)?;
    let input = load_input(opts.inputs.as_deref())?;
    let emu = Emulator::new(&rom);
    let run_opts = RunOptions {
        max_steps: opts.max_steps.unwrap_or(DEFAULT_MAX_STEPS),
        ..Default::default()
    };
    let console: Box<dyn Write> = Box::new(std::io::LineWriter::new(std::io::stdout()));
    let mut stats = Stats::default();
    let start = Instant::now();
    let clock_start = clock();
    let result: Result<RunResult, zisk_vm::EmuError> = if opts.stats {
        emu.run_observed(&input, &run_opts, console, &mut stats)
    } else if opts.tracerv {
        let mut trace = RegTrace::new(std::io::BufWriter::new(std::io::stdout()));
        let r = emu.run_observed(&input, &run_opts, console, &mut trace);
        trace
            .into_inner()
            .flush()
            .context("writing the register trace")?;
        r
    } else {
        emu.run(&input, &run_opts, console)
    };
    let clocks = clock().wrapping_sub(clock_start);
    let duration = start.elapsed().as_secs_f64();
    let result = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Error during emulation: {e}");
            return Err(EmulationFailed(e).into());
        }
    };
    let report = render_report(opts, &result, &stats, duration, clocks);
    let mut out = std::io::stdout().lock();
    match out.write_all(report.as_bytes()).and_then(|()| out.flush()) {
        // A reader that stopped early (`| head`) is not an error of the run.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        r => r.context("writing to stdout")?,
    }
    if let Some(path) = &opts.output {
        let bytes: Vec<u8> = result
            .outputs
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        std::fs::write(path, bytes)
            .with_context(|| format!("cannot write output file {}", path.display()))?;
    }
    Ok(())
}

/// The text `ziskemu` prints after a successful run: metrics, statistics and the outputs.
fn render_report(
    opts: &EmuOptions,
    result: &RunResult,
    stats: &Stats,
    duration: f64,
    clocks: u64,
) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if opts.log_metrics {
        let steps = result.steps;
        let tp = steps as f64 / duration.max(1e-9) / 1e6;
        let freq = clocks as f64 / duration.max(1e-9) / 1e6;
        let cps = clocks as f64 / steps.max(1) as f64;
        let _ = writeln!(
            out,
            "process_rom() steps={steps} duration={duration:.4} tp={tp:.4} Msteps/s freq={freq:.4} {cps:.4} clocks/step"
        );
    }
    if opts.stats {
        let _ = writeln!(out, "{}", stats.report());
    }
    let shown = if opts.log_output {
        OUTPUT_SLOTS
    } else {
        result.outputs_set
    };
    for v in &result.outputs[..shown] {
        let _ = writeln!(out, "{v:08x}");
    }
    out
}
