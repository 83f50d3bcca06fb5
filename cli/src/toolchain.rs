//! The `zisk` Rust toolchain: a pinned nightly with `rust-src`, linked in rustup as `zisk`, plus the
//! `riscv64ima-zisk-zkvm-elf` target specification (with the guest linker script embedded).
//!
//! `cargo-zisk sdk install-toolchain` runs [`install`]:
//! 1. `rustup toolchain install nightly-2026-05-19 --component rust-src --profile minimal`;
//! 2. `rustup toolchain link zisk <sysroot of that nightly>`;
//! 3. writes `$ZISK_HOME/toolchains/riscv64ima-zisk-zkvm-elf.json` (and the `.ld` next to it, for
//!    reference) and `<sysroot>/lib/rustlib/riscv64ima-zisk-zkvm-elf/target.json`, where rustc
//!    finds the target by name (`rustc +zisk -Zunstable-options --target riscv64ima-zisk-zkvm-elf`).
//!
//! `$ZISK_HOME` defaults to `~/.zisk`.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The nightly the `zisk` toolchain is made of.
pub const NIGHTLY: &str = "nightly-2026-05-19";
/// Name of the rustup toolchain.
pub const TOOLCHAIN_NAME: &str = "zisk";
/// The guest target triple.
pub const TARGET: &str = "riscv64ima-zisk-zkvm-elf";

/// The target specification, without its linker script.
const TARGET_SPEC: &str = include_str!("../assets/riscv64ima-zisk-zkvm-elf.json");
/// The guest linker script (memory layout, see zisk-spec.md §5.2).
pub const LINKER_SCRIPT: &str = include_str!("../assets/riscv64ima-zisk-zkvm-elf.ld");

/// Errors of toolchain detection and installation.
#[derive(Debug, thiserror::Error)]
pub enum ToolchainError {
    /// A command could not be started.
    #[error("cannot run `{command}`: {source}{hint}")]
    Spawn {
        /// The command line.
        command: String,
        /// Why it could not start.
        source: std::io::Error,
        /// Extra advice.
        hint: &'static str,
    },
    /// A command exited with an error.
    #[error("`{command}` failed ({status}){stderr}")]
    Failed {
        /// The command line.
        command: String,
        /// Its exit status.
        status: std::process::ExitStatus,
        /// Its standard error, if captured (prefixed with ": ").
        stderr: String,
    },
    /// Neither `ZISK_HOME` nor `HOME` is set.
    #[error("cannot locate the ZisK home directory: set ZISK_HOME or HOME")]
    NoHome,
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The toolchain was installed but is still not usable.
    #[error("the `zisk` toolchain is incomplete after installation: {0}")]
    Incomplete(String),
}

/// An installed `zisk` toolchain.
#[derive(Debug, Clone)]
pub struct Toolchain {
    /// The toolchain's sysroot (`rustc --print sysroot`).
    pub sysroot: PathBuf,
    /// The target specification file to pass to `--target`.
    pub target_spec: PathBuf,
}

impl Toolchain {
    /// The toolchain's `cargo`.
    pub fn cargo(&self) -> PathBuf {
        self.sysroot.join("bin").join("cargo")
    }

    /// The toolchain's `rustc`.
    pub fn rustc(&self) -> PathBuf {
        self.sysroot.join("bin").join("rustc")
    }
}

/// `$ZISK_HOME`, or `~/.zisk`.
pub fn zisk_home() -> Result<PathBuf, ToolchainError> {
    if let Some(home) = std::env::var_os("ZISK_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(home));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| PathBuf::from(h).join(".zisk"))
        .ok_or(ToolchainError::NoHome)
}

/// Where the target specification is installed.
pub fn target_spec_path() -> Result<PathBuf, ToolchainError> {
    Ok(zisk_home()?
        .join("toolchains")
        .join(format!("{TARGET}.json")))
}

/// The full target specification, with the linker script embedded as `link-script`.
pub fn target_spec_json() -> String {
    let mut spec: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(TARGET_SPEC).expect("the bundled target specification is valid JSON");
    spec.insert("link-script".into(), LINKER_SCRIPT.into());
    let mut text = serde_json::to_string_pretty(&spec).expect("a JSON map serializes");
    text.push('\n');
    text
}

/// A command's line, for messages.
fn describe(cmd: &Command) -> String {
    let mut line = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// A `rustup` command that ignores toolchain overrides of the environment.
fn rustup<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(args: I) -> Command {
    let mut cmd = Command::new("rustup");
    cmd.args(args).env_remove("RUSTUP_TOOLCHAIN");
    cmd
}

/// Runs `cmd` with captured output and returns its standard output.
fn output(mut cmd: Command) -> Result<String, ToolchainError> {
    let command = describe(&cmd);
    let out = cmd.output().map_err(|source| ToolchainError::Spawn {
        command: command.clone(),
        source,
        hint: "; install rustup from https://rustup.rs",
    })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        return Err(ToolchainError::Failed {
            command,
            status: out.status,
            stderr: if stderr.is_empty() {
                stderr
            } else {
                format!(": {stderr}")
            },
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Runs `cmd` with inherited output.
fn status(mut cmd: Command) -> Result<(), ToolchainError> {
    let command = describe(&cmd);
    let status = cmd.status().map_err(|source| ToolchainError::Spawn {
        command: command.clone(),
        source,
        hint: "; install rustup from https://rustup.rs",
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(ToolchainError::Failed {
            command,
            status,
            stderr: String::new(),
        })
    }
}

/// The sysroot of a rustup toolchain, if it is installed.
fn sysroot_of(toolchain: &str) -> Option<PathBuf> {
    output(rustup(["run", toolchain, "rustc", "--print", "sysroot"]))
        .ok()
        .map(PathBuf::from)
}

/// Why an installed toolchain at `sysroot` is not usable, if it is not.
fn problem(sysroot: &Path, spec: &Path) -> Option<String> {
    let std_src = sysroot.join("lib/rustlib/src/rust/library/std/src/sys/pal/zkvm");
    if !std_src.is_dir() {
        return Some(format!(
            "rust-src (with the zkvm std) is missing from {}",
            sysroot.display()
        ));
    }
    for tool in ["cargo", "rustc"] {
        if !sysroot.join("bin").join(tool).is_file() {
            return Some(format!("{} has no bin/{tool}", sysroot.display()));
        }
    }
    match std::fs::read_to_string(spec) {
        Ok(text) if text == target_spec_json() => None,
        Ok(_) => Some(format!("{} is out of date", spec.display())),
        Err(_) => Some(format!("{} is missing", spec.display())),
    }
}

/// The installed `zisk` toolchain, or `None` when it is missing or incomplete.
pub fn find() -> Result<Option<Toolchain>, ToolchainError> {
    let target_spec = target_spec_path()?;
    let Some(sysroot) = sysroot_of(TOOLCHAIN_NAME) else {
        return Ok(None);
    };
    if problem(&sysroot, &target_spec).is_some() {
        return Ok(None);
    }
    Ok(Some(Toolchain {
        sysroot,
        target_spec,
    }))
}

/// Writes `contents` to `path`, creating its directory.
fn write_file(path: &Path, contents: &str) -> Result<(), ToolchainError> {
    let write = || {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, contents)
    };
    write().map_err(|source| ToolchainError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Installs the pinned nightly with `rust-src`, links it as `zisk` and installs the target spec.
pub fn install() -> Result<Toolchain, ToolchainError> {
    eprintln!("Installing {NIGHTLY} with rust-src through rustup");
    status(rustup([
        "toolchain",
        "install",
        NIGHTLY,
        "--component",
        "rust-src",
        "--profile",
        "minimal",
    ]))?;
    let sysroot = PathBuf::from(output(rustup([
        "run", NIGHTLY, "rustc", "--print", "sysroot",
    ]))?);

    eprintln!(
        "Linking {} as the rustup toolchain `{TOOLCHAIN_NAME}`",
        sysroot.display()
    );
    let mut link = rustup(["toolchain", "link", TOOLCHAIN_NAME]);
    link.arg(&sysroot);
    output(link)?;

    let target_spec = target_spec_path()?;
    let spec = target_spec_json();
    write_file(&target_spec, &spec)?;
    write_file(&target_spec.with_extension("ld"), LINKER_SCRIPT)?;
    write_file(
        &sysroot.join("lib/rustlib").join(TARGET).join("target.json"),
        &spec,
    )?;
    eprintln!("Installed the target {TARGET} in {}", target_spec.display());

    if let Some(problem) = problem(&sysroot, &target_spec) {
        return Err(ToolchainError::Incomplete(problem));
    }
    Ok(Toolchain {
        sysroot,
        target_spec,
    })
}

/// The installed toolchain, installing it first when it is missing.
pub fn ensure() -> Result<Toolchain, ToolchainError> {
    if let Some(toolchain) = find()? {
        return Ok(toolchain);
    }
    eprintln!("The `{TOOLCHAIN_NAME}` toolchain is missing or incomplete; installing it");
    install()
}
