//! `cargo xtask codegen [--check]`: `pil/**/*.pil` → `generated/`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context};

/// Write the files, or only compare them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Regenerate `generated/`.
    Write,
    /// Fail if `generated/` differs from what would be generated.
    Check,
}

/// The workspace root (parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("invariant: xtask lives in the workspace root")
        .to_path_buf()
}

/// Every `.pil` file under `dir`, as `/`-separated paths relative to it, sorted.
pub fn pil_files(dir: &Path) -> anyhow::Result<Vec<String>> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) -> anyhow::Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else if path.extension().is_some_and(|e| e == "pil") {
                let rel = path.strip_prefix(base)?;
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// Formats Rust source with `rustfmt` (so `cargo fmt --check` accepts generated files).
fn rustfmt(root: &Path, source: &str) -> anyhow::Result<String> {
    let mut child = Command::new(std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into()))
        .args(["--edition", "2021", "--emit", "stdout"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running rustfmt (install it with `rustup component add rustfmt`)")?;
    child
        .stdin
        .take()
        .context("rustfmt stdin")?
        .write_all(source.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("rustfmt failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// Compiles `pil/` and returns the files of `generated/` (path relative to it, contents).
pub fn generate(root: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let pil_dir = root.join("pil");
    let roots = pil_files(&pil_dir)?;
    let root_refs: Vec<&str> = roots.iter().map(String::as_str).collect();
    let mut loader = |path: &str| std::fs::read_to_string(pil_dir.join(path)).ok();
    let compilation = zisk_pil_codegen::compile(&root_refs, &mut loader);
    if !compilation.diagnostics.is_empty() {
        let rendered = zisk_pil_codegen::render_all(&compilation.diagnostics, &compilation.sources);
        bail!(
            "{} error(s) in pil/:\n{rendered}",
            compilation.diagnostics.len()
        );
    }
    let mut files = Vec::new();
    for f in zisk_pil_codegen::emit(&compilation.ir) {
        let contents = rustfmt(root, &f.contents)?;
        files.push((f.path, contents));
    }
    Ok(files)
}

/// Names of `.rs` files under `generated/src` that codegen did not produce.
fn stale_extra_files(root: &Path, files: &[(String, String)]) -> anyhow::Result<Vec<PathBuf>> {
    let src = root.join("generated/src");
    let mut extra = Vec::new();
    if src.is_dir() {
        for entry in std::fs::read_dir(&src)? {
            let path = entry?.path();
            let rel = format!(
                "src/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            if path.extension().is_some_and(|e| e == "rs") && !files.iter().any(|(p, _)| *p == rel)
            {
                extra.push(path);
            }
        }
    }
    extra.sort();
    Ok(extra)
}

/// Checks `generated/` against `pil/`; the error names the stale files and the fix.
pub fn check(root: &Path) -> anyhow::Result<()> {
    let files = generate(root)?;
    let mut stale = Vec::new();
    for (path, contents) in &files {
        let on_disk =
            std::fs::read_to_string(root.join("generated").join(path)).unwrap_or_default();
        if on_disk != *contents {
            stale.push(format!("generated/{path}"));
        }
    }
    for extra in stale_extra_files(root, &files)? {
        stale.push(format!("{} (no longer generated)", extra.display()));
    }
    if !stale.is_empty() {
        bail!(
            "generated/ is stale ({}); run `cargo xtask codegen` and commit the result",
            stale.join(", ")
        );
    }
    Ok(())
}

/// Runs the task.
pub fn run(mode: Mode) -> anyhow::Result<()> {
    let root = workspace_root();
    let start = Instant::now();
    match mode {
        Mode::Check => {
            check(&root)?;
            eprintln!("generated/ is up to date ({:.2?})", start.elapsed());
        }
        Mode::Write => {
            let files = generate(&root)?;
            for extra in stale_extra_files(&root, &files)? {
                std::fs::remove_file(&extra)
                    .with_context(|| format!("removing {}", extra.display()))?;
            }
            let mut changed = 0;
            for (path, contents) in &files {
                let target = root.join("generated").join(path);
                if std::fs::read_to_string(&target).ok().as_deref() != Some(contents.as_str()) {
                    if let Some(dir) = target.parent() {
                        std::fs::create_dir_all(dir)?;
                    }
                    std::fs::write(&target, contents)
                        .with_context(|| format!("writing {}", target.display()))?;
                    changed += 1;
                }
            }
            eprintln!(
                "wrote generated/ ({} files, {changed} changed) in {:.2?}",
                files.len(),
                start.elapsed()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codegen_is_fresh() {
        if let Err(e) = check(&workspace_root()) {
            panic!("{e:#}");
        }
    }
}
