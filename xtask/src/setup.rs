//! `cargo xtask setup [-k DIR] [--check] [--max-log-height K] [--program P]`: builds (or checks) the proving
//! key of every AIR generated from `pil/` by running the prover's `zisk-setup` binary.
//!
//! xtask itself does not link the prover: it must keep building while `generated/` is being
//! regenerated. The binary is built with the `test` profile (optimised, and shared with the
//! test builds, so no extra compilation after `cargo test`).

use std::process::Command;

use anyhow::{bail, Context};

use crate::codegen::workspace_root;

/// Runs `zisk-setup` with `args`.
pub fn run(args: &[&str]) -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(workspace_root())
        .args([
            "run",
            "--quiet",
            "--profile",
            "test",
            "-p",
            "zisk-prover",
            "--bin",
            "zisk-setup",
            "--",
        ])
        .args(args)
        .status()
        .context("running cargo")?;
    if !status.success() {
        bail!("zisk-setup failed ({status})");
    }
    Ok(())
}
