//! `cargo-zisk`: build and run ZisK programs, install the guest toolchain, create projects.
//!
//! Also works as a cargo subcommand: `cargo zisk build` runs `cargo-zisk zisk build`.

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use zisk_cli::build::BuildOptions;
use zisk_cli::emu::EmuOptions;
use zisk_cli::{build, emu, sdk, toolchain};

#[derive(Parser, Debug)]
#[command(
    name = "cargo-zisk",
    bin_name = "cargo-zisk",
    version,
    about = "Build and run ZisK programs"
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

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse_from(args());
    match cli.command {
        Command::Build(opts) => {
            for elf in build_program(&opts)? {
                eprintln!("Built {}", elf.display());
            }
            Ok(())
        }
        Command::Run(args) => run(args),
        Command::Sdk(SdkCommand::InstallToolchain) => {
            let toolchain = toolchain::install().context("cannot install the zisk toolchain")?;
            eprintln!(
                "The `{}` toolchain is ready ({}); target specification: {}",
                toolchain::TOOLCHAIN_NAME,
                toolchain.sysroot.display(),
                toolchain.target_spec.display()
            );
            Ok(())
        }
        Command::Sdk(SdkCommand::New { name }) => {
            let dir = sdk::new_project(&current_dir()?, &name)
                .with_context(|| format!("cannot create the project `{name}`"))?;
            eprintln!("Created the ZisK project {}", dir.display());
            Ok(())
        }
    }
}
