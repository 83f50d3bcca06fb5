//! Snapshot tests over the `.pil` corpus.
//!
//! * `tests/data/ok/*.pil` must compile without diagnostics; the IR dump is compared with
//!   `<name>.ir` and the generated Rust of every AIR with `<name>.rs.snap`.
//! * `tests/data/err/*.pil` must produce diagnostics; their rendering is compared with
//!   `<name>.diag`.
//! * The machines under `pil/` compile and their IR is compared with `pil.ir`.
//!
//! Files in subdirectories are only loaded through `require`/`include`.
//! Update the snapshots with `UPDATE_EXPECT=1 cargo test -p zisk-pil-codegen`.

use std::path::{Path, PathBuf};

use expect_test::expect_file;
use zisk_pil_codegen::{compile, emit, render_all, Compilation};

fn data_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(kind)
}

fn top_level_pil(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("test data directory")
        .filter_map(|e| {
            let p = e.ok()?.path();
            let name = p.file_name()?.to_string_lossy().into_owned();
            (p.extension()? == "pil").then_some(name)
        })
        .collect();
    names.sort();
    names
}

fn compile_in(dir: &Path, roots: &[&str]) -> Compilation {
    let mut loader = |path: &str| std::fs::read_to_string(dir.join(path)).ok();
    compile(roots, &mut loader)
}

fn generated_rust(c: &Compilation) -> String {
    emit(&c.ir)
        .into_iter()
        .filter(|f| f.path != "src/support.rs")
        .map(|f| format!("==== {} ====\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn ok_corpus_compiles_and_matches_snapshots() {
    let dir = data_dir("ok");
    let names = top_level_pil(&dir);
    assert!(names.len() >= 3, "ok corpus is missing");
    for name in names {
        let c = compile_in(&dir, &[&name]);
        assert!(
            c.diagnostics.is_empty(),
            "{name} has diagnostics:\n{}",
            render_all(&c.diagnostics, &c.sources)
        );
        expect_file![dir.join(name.replace(".pil", ".ir"))].assert_eq(&c.ir.to_string());
        expect_file![dir.join(name.replace(".pil", ".rs.snap"))].assert_eq(&generated_rust(&c));
    }
}

#[test]
fn err_corpus_matches_snapshots() {
    let dir = data_dir("err");
    let names = top_level_pil(&dir);
    assert!(names.len() >= 10, "err corpus is missing");
    for name in names {
        let c = compile_in(&dir, &[&name]);
        assert!(!c.diagnostics.is_empty(), "{name} compiled without errors");
        let rendered = render_all(&c.diagnostics, &c.sources);
        expect_file![dir.join(name.replace(".pil", ".diag"))].assert_eq(&rendered);
    }
}

#[test]
fn machines_under_pil_compile() {
    // Each top-level directory of pil/ is one program (as `cargo xtask codegen` compiles them);
    // every program must compile, and the example program's IR is the snapshot.
    let pil = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pil");
    let mut programs: Vec<_> = std::fs::read_dir(&pil)
        .expect("pil dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    programs.sort();
    assert!(programs.iter().any(|p| p.ends_with("example")));
    for program in programs {
        let mut roots = Vec::new();
        let mut stack = vec![program.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("pil dir") {
                let p = e.expect("entry").path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "pil") {
                    let rel = p.strip_prefix(&pil).expect("under pil");
                    roots.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        roots.sort();
        let refs: Vec<&str> = roots.iter().map(String::as_str).collect();
        let c = compile_in(&pil, &refs);
        assert!(
            c.diagnostics.is_empty(),
            "{}",
            render_all(&c.diagnostics, &c.sources)
        );
        if program.ends_with("example") {
            expect_file![data_dir("ok").join("../pil.ir")].assert_eq(&c.ir.to_string());
        }
    }
}

#[test]
fn output_is_deterministic() {
    let dir = data_dir("ok");
    for name in top_level_pil(&dir) {
        let a = generated_rust(&compile_in(&dir, &[&name]));
        let b = generated_rust(&compile_in(&dir, &[&name]));
        assert_eq!(a, b, "{name}");
    }
}
