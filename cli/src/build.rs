//! Building a guest program for the ZisK zkVM (`cargo-zisk build`).
//!
//! Runs the `zisk` toolchain's cargo as
//! `cargo build --target <ZISK_HOME>/toolchains/riscv64ima-zisk-zkvm-elf.json -Zjson-target-spec
//! -Zbuild-std=std,panic_abort -Zbuild-std-features=compiler-builtins-mem -Ztrim-paths ...`,
//! so the ELF lands in `target/riscv64ima-zisk-zkvm-elf/{debug,release}/<name>`. The toolchain's
//! `cargo` and `rustc` are called directly, so a `rust-toolchain.toml` of the project or of an
//! enclosing directory does not interfere.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::toolchain::{Toolchain, TARGET};

/// The build flags of `cargo-zisk build` and `cargo-zisk run`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct BuildOptions {
    /// Space or comma separated list of features to activate
    #[arg(short = 'F', long = "features")]
    pub features: Vec<String>,
    /// Activate all available features
    #[arg(long = "all-features")]
    pub all_features: bool,
    /// Do not activate the `default` feature
    #[arg(long = "no-default-features")]
    pub no_default_features: bool,
    /// Build in release mode
    #[arg(long = "release")]
    pub release: bool,
}

/// Errors of a guest build.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// No `Cargo.toml` in the project directory.
    #[error("no Cargo.toml in {0}: run cargo-zisk in a Rust project directory")]
    NoManifest(PathBuf),
    /// cargo could not be started.
    #[error("cannot run {cargo}: {source}")]
    Spawn {
        /// The cargo binary.
        cargo: PathBuf,
        /// Why it could not start.
        source: std::io::Error,
    },
    /// Reading cargo's output failed.
    #[error("cannot read the output of cargo: {0}")]
    Read(std::io::Error),
    /// cargo reported a failure.
    #[error("cargo build for {TARGET} failed ({0}); see the errors above")]
    Failed(std::process::ExitStatus),
    /// The build produced no program.
    #[error(
        "the build produced no executable for {TARGET} (does the package have a binary target?)"
    )]
    NoElf,
    /// A reported ELF does not exist.
    #[error("cargo reported the ELF {0}, but it does not exist")]
    MissingElf(PathBuf),
}

/// The cargo command that builds the project in `dir` for the zkVM target.
pub fn cargo_command(toolchain: &Toolchain, dir: &Path, opts: &BuildOptions) -> Command {
    let mut cmd = Command::new(toolchain.cargo());
    cmd.current_dir(dir)
        .env("RUSTC", toolchain.rustc())
        .env("RUSTUP_TOOLCHAIN", crate::toolchain::TOOLCHAIN_NAME)
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("RUSTDOC")
        .arg("build")
        .arg("--target")
        .arg(&toolchain.target_spec)
        .args([
            "-Zjson-target-spec",
            "-Zbuild-std=std,panic_abort",
            "-Zbuild-std-features=compiler-builtins-mem",
            "-Ztrim-paths",
            "--message-format=json-render-diagnostics",
            // Replaces `build.rustflags` of enclosing configs (e.g. `-C target-cpu=native`),
            // which are meant for the host.
            "--config",
            &format!("target.{TARGET}.rustflags=[\"-Ctarget-cpu=generic-rv64\"]"),
            "--config",
            "profile.dev.trim-paths=\"all\"",
            "--config",
            "profile.release.trim-paths=\"all\"",
        ]);
    if opts.release {
        cmd.arg("--release");
    }
    for features in &opts.features {
        cmd.arg("--features").arg(features);
    }
    if opts.all_features {
        cmd.arg("--all-features");
    }
    if opts.no_default_features {
        cmd.arg("--no-default-features");
    }
    cmd
}

/// Checks that `dir` holds a cargo project.
pub fn check_project(dir: &Path) -> Result<(), BuildError> {
    if dir.join("Cargo.toml").is_file() {
        Ok(())
    } else {
        Err(BuildError::NoManifest(dir.to_owned()))
    }
}

/// Builds the project in `dir` and returns the ELF of every binary it built.
pub fn build(
    toolchain: &Toolchain,
    dir: &Path,
    opts: &BuildOptions,
) -> Result<Vec<PathBuf>, BuildError> {
    check_project(dir)?;
    let mut cmd = cargo_command(toolchain, dir, opts);
    cmd.stdout(Stdio::piped());
    let mut child = cmd.spawn().map_err(|source| BuildError::Spawn {
        cargo: toolchain.cargo(),
        source,
    })?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut elfs = Vec::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.map_err(BuildError::Read)?;
        if let Some(elf) = executable(&line) {
            if !elfs.contains(&elf) {
                elfs.push(elf);
            }
        }
    }
    let status = child.wait().map_err(BuildError::Read)?;
    if !status.success() {
        return Err(BuildError::Failed(status));
    }
    if elfs.is_empty() {
        return Err(BuildError::NoElf);
    }
    if let Some(missing) = elfs.iter().find(|elf| !elf.is_file()) {
        return Err(BuildError::MissingElf(missing.clone()));
    }
    Ok(elfs)
}

/// The executable of a cargo `compiler-artifact` message for a binary target.
fn executable(line: &str) -> Option<PathBuf> {
    let msg: serde_json::Value = serde_json::from_str(line).ok()?;
    if msg.get("reason")?.as_str()? != "compiler-artifact" {
        return None;
    }
    let kinds = msg.get("target")?.get("kind")?.as_array()?;
    if !kinds.iter().any(|kind| kind.as_str() == Some("bin")) {
        return None;
    }
    msg.get("executable")?.as_str().map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_binary_artifacts_only() {
        let bin = r#"{"reason":"compiler-artifact","target":{"kind":["bin"]},"executable":"/p/target/riscv64ima-zisk-zkvm-elf/release/fib"}"#;
        let build_script = r#"{"reason":"compiler-artifact","target":{"kind":["custom-build"]},"executable":null}"#;
        let lib = r#"{"reason":"compiler-artifact","target":{"kind":["lib"]},"executable":null}"#;
        assert_eq!(
            executable(bin),
            Some(PathBuf::from(
                "/p/target/riscv64ima-zisk-zkvm-elf/release/fib"
            ))
        );
        assert_eq!(executable(build_script), None);
        assert_eq!(executable(lib), None);
        assert_eq!(executable("Compiling foo"), None);
    }

    #[test]
    fn missing_manifest_is_a_clear_error() {
        let dir = std::env::temp_dir().join("zisk-cli-no-manifest-test");
        std::fs::create_dir_all(&dir).unwrap();
        let err = check_project(&dir).unwrap_err();
        assert!(err.to_string().starts_with("no Cargo.toml in"), "{err}");
    }
}
