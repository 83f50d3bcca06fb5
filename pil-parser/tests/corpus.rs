//! Corpus tests: valid files snapshot their AST, invalid files snapshot their diagnostics.

use std::fs;
use std::path::{Path, PathBuf};

use expect_test::expect_file;
use zisk_pil_parser::{parse, render_all};

fn data_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(kind)
}

/// The `.pil` files of a corpus directory, sorted by name.
fn pil_files(kind: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(data_dir(kind))
        .expect("corpus directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pil"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .pil files in tests/data/{kind}");
    files
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn ok_corpus_parses_and_matches_ast_snapshots() {
    for path in pil_files("ok") {
        let src = fs::read_to_string(&path).expect("read corpus file");
        let name = file_name(&path);
        let (ast, diags) = parse(&src, &name);
        assert!(
            diags.is_empty(),
            "{name} should parse cleanly:\n{}",
            render_all(&diags, &src, &name)
        );
        let ast = ast.expect("ast");
        expect_file![path.with_extension("ast")].assert_eq(&format!("{ast:#?}\n"));
    }
}

#[test]
fn ok_corpus_round_trips_through_the_printer() {
    for path in pil_files("ok") {
        let src = fs::read_to_string(&path).expect("read corpus file");
        let name = file_name(&path);
        let ast = zisk_pil_parser::parse_ok(&src, &name).expect("corpus parses");
        let printed = ast.to_string();
        let reparsed = zisk_pil_parser::parse_ok(&printed, &name).unwrap_or_else(|e| {
            panic!(
                "printed {name} does not parse:\n{}\n---\n{printed}",
                render_all(&e.diagnostics, &printed, &name)
            )
        });
        assert_eq!(
            ast, reparsed,
            "{name}: print/parse changed the tree:\n{printed}"
        );
        assert_eq!(
            printed,
            reparsed.to_string(),
            "{name}: printer is not idempotent"
        );
    }
}

#[test]
fn err_corpus_matches_diagnostic_snapshots() {
    for path in pil_files("err") {
        let src = fs::read_to_string(&path).expect("read corpus file");
        let name = file_name(&path);
        let (_, diags) = parse(&src, &name);
        assert!(!diags.is_empty(), "{name} should have diagnostics");
        expect_file![path.with_extension("diag")].assert_eq(&render_all(&diags, &src, &name));
    }
}

#[test]
fn every_error_in_a_file_is_reported() {
    let path = data_dir("err").join("many_errors.pil");
    let src = fs::read_to_string(&path).expect("read many_errors.pil");
    let (ast, diags) = parse(&src, "many_errors.pil");
    let lines: Vec<usize> = diags.iter().map(|d| d.span.line).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7, 8, 11, 13, 17, 21], "{diags:#?}");
    // The statement after the last error still made it into the (partial) tree.
    let ast = ast.expect("partial ast");
    assert!(ast.to_string().contains("const int fine = 1;"));
}
