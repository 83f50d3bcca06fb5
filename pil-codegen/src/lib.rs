//! PIL2 compiler and Rust code generator: `.pil` files → [`ir::Ir`] → Rust AIRs for Plonky3.
//!
//! Pipeline (see `ARCHITECTURE.md`):
//!
//! 1. [`compile`] parses the root files with `zisk-pil-parser`, executes the compile-time
//!    program (templates, loops, functions, `require`/`include`) and records every AIR's
//!    columns, constraints, bus interactions, fixed-column contents and values in an
//!    [`ir::Ir`]. Errors are [`Diagnostic`]s (`file:line:col`, caret, plain words); all of
//!    them are reported, not just the first.
//! 2. [`emit`] turns the IR into Rust source files (one module per AIR plus `lib.rs` and
//!    the `support` module), formatted with prettyplease and headed by
//!    [`GENERATED_HEADER`]. Output depends only on the IR, which is built in source order,
//!    so it is deterministic.
//!
//! The library does no I/O: files are read through a [`SourceLoader`].
//!
//! # Diagnostic codes
//!
//! | code  | meaning |
//! |-------|---------|
//! | P0xxx | syntax errors from the parser |
//! | C0001 | unknown name |
//! | C0002 | wrong number or names of arguments |
//! | C0003 | duplicate declaration (column, airval, template, air, variable) |
//! | C0004 | constraint degree above 3, or bus expression degree too high |
//! | C0005 | `N` is not a power of two (or missing) |
//! | C0006 | wrong type |
//! | C0007 | unsupported PIL feature |
//! | C0008 | file not found |
//! | C0009 | `assert`/`assert_eq`/`error` failed |
//! | C0010 | row offsets do not fit the two-row window |
//! | C0011 | index out of bounds |
//! | C0012 | invalid compile-time operation (overflow, division by zero, bad sequence) |
//! | C0013 | participants of a bus disagree on tuple width or kind |
//! | C0014 | statement in the wrong context (e.g. column outside an airtemplate) |

mod check;
mod diag;
pub mod emit;
mod eval;
pub mod ir;

pub use diag::{render_all, Code, Diagnostic};
pub use emit::{
    emit, emit_inline, emit_programs, format_file, row_borrow_impls, strip_comment_markers,
    EmitOptions, GeneratedFile, GENERATED_HEADER,
};
pub use eval::{compile, Compilation, SourceLoader};

/// A compilation that failed: every diagnostic, already rendered.
#[derive(Debug, thiserror::Error)]
#[error("PIL compilation failed with {count} error(s):\n{rendered}")]
pub struct CompileError {
    /// Number of diagnostics.
    pub count: usize,
    /// All diagnostics rendered with source snippets.
    pub rendered: String,
}

/// Compiles a single in-memory PIL source named `file` (no `require` of other files),
/// returning the IR or every error rendered.
pub fn compile_str(source: &str, file: &str) -> Result<ir::Ir, CompileError> {
    let mut loader = |path: &str| (path == file).then(|| source.to_string());
    let c = compile(&[file], &mut loader);
    if c.diagnostics.is_empty() {
        Ok(c.ir)
    } else {
        Err(CompileError {
            count: c.diagnostics.len(),
            rendered: render_all(&c.diagnostics, &c.sources),
        })
    }
}
