//! `cargo xtask codegen [--check]`: `pil/<program>/**/*.pil` → `generated/src/<program>/`,
//! one program per top-level directory of `pil/`.

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

/// The programs under `pil/`: every top-level directory holding `.pil` files is one program
/// (module name = directory name), with its `.pil` files (paths relative to `pil/`, sorted) as
/// compilation roots. A `.pil` file directly in `pil/` belongs to no program and is an error.
pub fn programs(pil_dir: &Path) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let mut programs: Vec<(String, Vec<String>)> = Vec::new();
    for file in pil_files(pil_dir)? {
        let Some((program, _)) = file.split_once('/') else {
            bail!(
                "pil/{file} is outside a program directory; move it to pil/<program>/ \
                 (each top-level directory of pil/ is compiled as its own program)"
            );
        };
        let valid = program.starts_with(|c: char| c.is_ascii_lowercase())
            && program
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid || program == "support" {
            bail!("pil/{program}/: program directories are snake_case and not `support`");
        }
        match programs.last_mut() {
            Some((name, roots)) if name == program => roots.push(file),
            _ => programs.push((program.to_string(), vec![file])),
        }
    }
    Ok(programs)
}

/// Compiles every program of `pil/` separately and returns the files of `generated/` (path
/// relative to it, contents).
pub fn generate(root: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let pil_dir = root.join("pil");
    let mut compiled = Vec::new();
    let mut errors = Vec::new();
    for (program, roots) in programs(&pil_dir)? {
        let root_refs: Vec<&str> = roots.iter().map(String::as_str).collect();
        let mut loader = |path: &str| std::fs::read_to_string(pil_dir.join(path)).ok();
        let compilation = zisk_pil_codegen::compile(&root_refs, &mut loader);
        if !compilation.diagnostics.is_empty() {
            let rendered =
                zisk_pil_codegen::render_all(&compilation.diagnostics, &compilation.sources);
            errors.push(format!(
                "{} error(s) in pil/{program}/:\n{rendered}",
                compilation.diagnostics.len()
            ));
            continue;
        }
        compiled.push((program, compilation.ir));
    }
    if !errors.is_empty() {
        bail!("{}", errors.join("\n"));
    }
    let programs: Vec<(String, &zisk_pil_codegen::ir::Ir)> =
        compiled.iter().map(|(p, ir)| (p.clone(), ir)).collect();
    let mut files = Vec::new();
    for f in zisk_pil_codegen::emit_programs(&programs) {
        let contents = rustfmt(root, &f.contents)?;
        files.push((f.path, contents));
    }
    Ok(files)
}

/// `.rs` files under `generated/src` (recursively) that codegen did not produce.
fn stale_extra_files(root: &Path, files: &[(String, String)]) -> anyhow::Result<Vec<PathBuf>> {
    let generated = root.join("generated");
    let src = generated.join("src");
    let mut extra = Vec::new();
    if src.is_dir() {
        for rel in rs_files(&src)? {
            let rel = format!("src/{rel}");
            if !files.iter().any(|(p, _)| *p == rel) {
                extra.push(generated.join(rel));
            }
        }
    }
    extra.sort();
    Ok(extra)
}

/// Every `.rs` file under `dir`, as `/`-separated paths relative to it.
fn rs_files(dir: &Path) -> anyhow::Result<Vec<String>> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) -> anyhow::Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else if path.extension().is_some_and(|e| e == "rs") {
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
    Ok(out)
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
                if let Some(dir) = extra.parent() {
                    // A program directory whose last file went away; fails harmlessly otherwise.
                    let _ = std::fs::remove_dir(dir);
                }
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
    fn each_top_level_directory_is_a_program() {
        let programs = programs(&workspace_root().join("pil")).unwrap_or_else(|e| panic!("{e:#}"));
        let example = programs
            .iter()
            .find(|(name, _)| name == "example")
            .expect("pil/example/ is a program");
        assert!(example.1.contains(&"example/fibonacci_sq.pil".to_string()));
        for (name, roots) in &programs {
            assert!(roots.iter().all(|r| r.starts_with(&format!("{name}/"))));
        }
    }

    #[test]
    fn codegen_is_fresh() {
        if let Err(e) = check(&workspace_root()) {
            panic!("{e:#}");
        }
    }
}
