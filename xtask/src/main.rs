//! Developer tasks for the workspace, run as `cargo xtask <task>`.
//!
//! * `cargo xtask codegen` compiles each top-level directory `pil/<program>/` as its own
//!   program and writes the `generated/` crate (module `zisk_generated::<program>` each); `cargo xtask codegen --check` only checks that `generated/` is up to
//!   date and fails with the command to run if it is not.
//! * `cargo xtask new-machine [<program>/]<name>` creates `pil/<program>/<name>.pil` (program
//!   `zisk` by default) and the witness-filler stub `prover/src/witness/<program>/<name>.rs`,
//!   regenerates `generated/` and prints the next steps.
//! * `cargo xtask setup [-k DIR] [--check] [--max-log-height K] [--program P]` builds the proving key of every
//!   generated AIR into `DIR` (default `~/.zisk/provingKey`), or checks that it matches the code.

mod codegen;
mod new_machine;
mod setup;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask new-machine [<program>/]<name> | cargo xtask setup [-k DIR] [--check] [--max-log-height K] [--program P]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(codegen::Mode::Check),
        ["new-machine", name] => new_machine::run(name),
        ["setup", rest @ ..] => setup::run(rest),
        _ => Err(anyhow::anyhow!("{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
