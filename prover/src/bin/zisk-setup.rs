//! `zisk-setup [-k DIR] [--check] [--max-log-height K] [--program P]`: the proving and verifying
//! key of every AIR of the program `pil/P/` (`zisk` by default, or `example`), run through
//! `cargo xtask setup`.
//!
//! Without `--check`, commits the fixed columns of every AIR at its declared `N` (AIRs taller
//! than `2^K`, default `2^22`, get no fixed commitment and cannot be proven with the key) and
//! writes the key into `DIR` (default `~/.zisk/provingKey`). With `--check`, loads the key in
//! `DIR` and checks it against the code: AIR digests, parameters and recomputed fixed commitments.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use zisk_prover::pil::{PilMachine, PilProgram};
use zisk_prover::zkvm::Zkvm;
use zisk_prover::{setup, ProvingKey, StarkParams, ZiskAir};

const USAGE: &str =
    "usage: zisk-setup [-k DIR] [--check] [--max-log-height K] [--program zisk|example]";

struct Options {
    dir: PathBuf,
    check: bool,
    max_log_height: usize,
    program: String,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let mut options = Options {
        dir: home.join(".zisk").join("provingKey"),
        check: false,
        max_log_height: 22,
        program: "zisk".into(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-k" | "--key" => {
                options.dir = PathBuf::from(args.next().ok_or(USAGE)?);
            }
            "--check" => options.check = true,
            "--program" => options.program = args.next().ok_or(USAGE)?.clone(),
            "--max-log-height" => {
                options.max_log_height = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--max-log-height needs a number")?;
            }
            _ => return Err(USAGE.into()),
        }
    }
    Ok(options)
}

fn run(options: &Options) -> Result<(), String> {
    match options.program.as_str() {
        "zisk" => run_program::<zisk_generated::zisk::AnyAir>(options, zkvm_heights),
        "example" => {
            run_program::<zisk_generated::example::AnyAir>(options, |m, k| m.log_heights(k))
        }
        other => Err(format!("unknown program `{other}` (zisk or example)")),
    }
}

/// The zkVM's heights: every AIR's but the Rom's, whose fixed columns are per program
/// (`cargo-zisk rom-setup`).
fn zkvm_heights(
    _machine: &PilMachine<zisk_generated::zisk::AnyAir>,
    max_log_height: usize,
) -> Vec<Vec<usize>> {
    Zkvm::new().log_heights(max_log_height)
}

fn run_program<A: PilProgram>(
    options: &Options,
    heights_of: impl Fn(&PilMachine<A>, usize) -> Vec<Vec<usize>>,
) -> Result<(), String> {
    let machine = PilMachine::<A>::new();
    let start = Instant::now();
    let dir = options.dir.display();
    if options.check {
        let pk = ProvingKey::load(&options.dir, machine.airs()).map_err(|e| e.to_string())?;
        println!(
            "{dir}: key matches the code ({} AIRs, {} fixed commitments, checked in {:.2?})",
            pk.vk.airs.len(),
            pk.vk.fixed.len(),
            start.elapsed()
        );
        return Ok(());
    }
    let heights = heights_of(&machine, options.max_log_height);
    let pk = setup(StarkParams::default(), machine.airs(), &heights).map_err(|e| e.to_string())?;
    pk.save(&options.dir).map_err(|e| e.to_string())?;
    for (air, heights) in machine.airs().iter().zip(&heights) {
        match heights.first() {
            Some(h) => println!("  {:<24} 2^{h}", air.name()),
            None if p3_air::BaseAir::<zisk_prover::Val>::preprocessed_width(air) == 0 => {}
            None => println!(
                "  {:<24} no fixed commitment (per program, or taller than 2^{})",
                air.name(),
                options.max_log_height
            ),
        }
    }
    println!(
        "wrote {dir} ({} AIRs, vk digest {}) in {:.2?}",
        pk.vk.airs.len(),
        pk.vk
            .digest
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
        start.elapsed()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args).and_then(|options| run(&options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
