//! `cargo-zisk`: build and run ZisK programs, install the guest toolchain, create projects, set
//! up keys, check constraints, prove and verify.
//!
//! Also works as a cargo subcommand: `cargo zisk build` runs `cargo-zisk zisk build`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use zisk_cli::build::BuildOptions;
use zisk_cli::emu::EmuOptions;
use zisk_cli::prove::{self, ProveFlags, RunInputs, VerifyOutcome};
use zisk_cli::{build, emu, sdk, toolchain};

#[derive(Parser, Debug)]
#[command(
    name = "cargo-zisk",
    bin_name = "cargo-zisk",
    version,
    about = "Build, run, prove and verify ZisK programs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the program in the current directory for the ZisK zkVM
    /// (ELF in target/riscv64ima-zisk-zkvm-elf/{debug,release}/<name>)
    Build(BuildOptions),
    /// Build the program in the current directory, then run it in the emulator
    Run(RunArgs),
    /// Toolchain and project management
    #[command(subcommand)]
    Sdk(SdkCommand),
    /// Check the proving key (~/.zisk/provingKey), building it when missing
    CheckSetup {
        /// Proving key directory
        #[arg(short = 'k', long = "proving-key")]
        proving_key: Option<PathBuf>,
        /// Aggregation (accepted: no separate aggregation key is needed)
        #[arg(short = 'a', long = "aggregation")]
        aggregation: bool,
    },
    /// Program setup: commit the ROM of an ELF (written to ~/.zisk/cache)
    RomSetup {
        /// The program's ELF
        #[arg(short = 'e', long = "elf")]
        elf: PathBuf,
        /// Proving key directory
        #[arg(short = 'k', long = "proving-key")]
        proving_key: Option<PathBuf>,
    },
    /// Empty the program setup cache (~/.zisk/cache)
    Clean,
    /// Build the witness of a run and check every constraint, without proving
    VerifyConstraints(ProveArgs),
    /// Prove a run of a program (after `cargo-zisk rom-setup`)
    Prove {
        #[command(flatten)]
        run: ProveArgs,
        /// Output directory (proofs/vadcop_final_proof.{bin,json} and publics.json)
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        /// Aggregation: the proof is one file with every instance proof and the global check
        #[arg(short = 'a', long = "aggregation")]
        aggregation: bool,
        /// Verify the proof right after generating it
        #[arg(short = 'y', long = "verify-proofs")]
        verify_proofs: bool,
    },
    /// Verify a proof against its publics.json
    Verify {
        /// The proof (.json, or the binary .bin)
        #[arg(short = 'p', long = "proof")]
        proof: PathBuf,
        /// The public inputs (publics.json written by `prove`)
        #[arg(short = 'u', long = "public-inputs")]
        public_inputs: PathBuf,
        /// Proving key directory (holds the verifying key)
        #[arg(short = 'k', long = "proving-key")]
        proving_key: Option<PathBuf>,
        /// Legacy stark info file (ignored)
        #[arg(short = 's', long = "starkinfo")]
        starkinfo: Option<PathBuf>,
        /// Legacy verifier binary (ignored)
        #[arg(short = 'e', long = "verifier")]
        verifier: Option<PathBuf>,
    },
}

#[derive(clap::Args, Debug)]
struct ProveArgs {
    /// The program's ELF
    #[arg(short = 'e', long = "elf")]
    elf: PathBuf,
    /// Input file for the program
    #[arg(short = 'i', long = "input")]
    input: Option<PathBuf>,
    /// Proving key directory
    #[arg(short = 'k', long = "proving-key")]
    proving_key: Option<PathBuf>,
    /// Witness library (ignored: the witness is built in-process)
    #[arg(short = 'w', long = "witness")]
    witness: Option<PathBuf>,
    /// Stop a run that has not ended after this many steps
    #[arg(short = 'n', long = "max-steps")]
    max_steps: Option<u64>,
}

impl ProveArgs {
    fn inputs(&self) -> RunInputs<'_> {
        RunInputs {
            elf: &self.elf,
            input: self.input.as_deref(),
            key: self.proving_key.as_deref(),
            witness_lib: self.witness.as_deref(),
            max_steps: self.max_steps,
        }
    }
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    #[command(flatten)]
    build: BuildOptions,
    #[command(flatten)]
    emu: EmuOptions,
}

#[derive(Subcommand, Debug)]
enum SdkCommand {
    /// Install the `zisk` Rust toolchain (pinned nightly + rust-src) and the
    /// riscv64ima-zisk-zkvm-elf target
    InstallToolchain,
    /// Create a new ZisK project (the sha_hasher example) in directory NAME
    New {
        /// Name of the project and of its directory
        name: String,
    },
}

/// The arguments, without the `zisk` that cargo inserts when run as `cargo zisk ...`.
fn args() -> Vec<OsString> {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|arg| arg == "zisk") {
        args.remove(1);
    }
    args
}

fn current_dir() -> anyhow::Result<PathBuf> {
    std::env::current_dir().context("cannot determine the current directory")
}

/// Builds the project in the current directory and returns its ELFs.
fn build_program(opts: &BuildOptions) -> anyhow::Result<Vec<PathBuf>> {
    let dir = current_dir()?;
    build::check_project(&dir)?;
    let toolchain = toolchain::ensure().context("cannot set up the zisk toolchain")?;
    let elfs = build::build(&toolchain, &dir, opts)
        .with_context(|| format!("cannot build the program in {}", dir.display()))?;
    Ok(elfs)
}

fn run(args: RunArgs) -> anyhow::Result<()> {
    let mut opts = args.emu;
    if opts.elf.is_none() {
        let elfs = build_program(&args.build)?;
        let [elf] = elfs.as_slice() else {
            let names: Vec<String> = elfs.iter().map(|e| e.display().to_string()).collect();
            bail!(
                "the build produced several programs ({}); choose one with -e/--elf",
                names.join(", ")
            );
        };
        opts.elf = Some(elf.clone());
    }
    emu::run_emulator(&opts)
}

fn opt(path: &Option<PathBuf>) -> Option<&Path> {
    path.as_deref()
}

/// Runs a command: `Ok(false)` when it ran but its check failed (already reported).
fn dispatch(command: Command) -> anyhow::Result<bool> {
    match command {
        Command::Build(opts) => {
            for elf in build_program(&opts)? {
                eprintln!("Built {}", elf.display());
            }
        }
        Command::Run(args) => run(args)?,
        Command::Sdk(SdkCommand::InstallToolchain) => {
            let toolchain = toolchain::install().context("cannot install the zisk toolchain")?;
            eprintln!(
                "The `{}` toolchain is ready ({}); target specification: {}",
                toolchain::TOOLCHAIN_NAME,
                toolchain.sysroot.display(),
                toolchain.target_spec.display()
            );
        }
        Command::Sdk(SdkCommand::New { name }) => {
            let dir = sdk::new_project(&current_dir()?, &name)
                .with_context(|| format!("cannot create the project `{name}`"))?;
            eprintln!("Created the ZisK project {}", dir.display());
        }
        Command::CheckSetup {
            proving_key,
            aggregation,
        } => prove::check_setup(opt(&proving_key), aggregation)?,
        Command::RomSetup { elf, proving_key } => prove::rom_setup(&elf, opt(&proving_key))?,
        Command::Clean => prove::clean()?,
        Command::VerifyConstraints(args) => return prove::verify_constraints_cmd(&args.inputs()),
        Command::Prove {
            run,
            output,
            aggregation,
            verify_proofs,
        } => prove::prove_cmd(
            &run.inputs(),
            &ProveFlags {
                output: &output,
                aggregation,
                verify: verify_proofs,
            },
        )?,
        Command::Verify {
            proof,
            public_inputs,
            proving_key,
            starkinfo,
            verifier,
        } => {
            let legacy = [("-s", opt(&starkinfo)), ("-e", opt(&verifier))];
            match prove::verify_cmd(&proof, &public_inputs, opt(&proving_key), &legacy)? {
                VerifyOutcome::Verified => {}
                VerifyOutcome::Rejected(reason) => {
                    eprintln!("error: proof rejected: {reason}");
                    return Ok(false);
                }
            }
        }
    }
    Ok(true)
}

fn main() -> ExitCode {
    let cli = Cli::parse_from(args());
    zisk_cli::progress::init();
    match dispatch(cli.command) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
