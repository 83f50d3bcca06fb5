//! Parses PIL files given on the command line and prints their diagnostics (or `ok`).
//!
//! `cargo run -p zisk-pil-parser --example pilcheck -- file.pil…`; with `--print`, also
//! pretty-prints each file that parsed cleanly.

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut print = false;
    let mut failed = false;
    for arg in std::env::args().skip(1) {
        if arg == "--print" {
            print = true;
            continue;
        }
        let src = match std::fs::read_to_string(&arg) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{arg}: {e}");
                failed = true;
                continue;
            }
        };
        let start = Instant::now();
        let (ast, diags) = zisk_pil_parser::parse(&src, &arg);
        let elapsed = start.elapsed();
        if diags.is_empty() {
            println!("{arg}: ok ({elapsed:?})");
            if let (true, Some(ast)) = (print, ast) {
                print!("{ast}");
            }
        } else {
            failed = true;
            print!("{}", zisk_pil_parser::render_all(&diags, &src, &arg));
            println!("{arg}: {} error(s) ({elapsed:?})", diags.len());
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
