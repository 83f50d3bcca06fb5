//! PIL2 parser: text to AST, with diagnostics.
//!
//! This crate parses PIL2, the constraint language of Polygon's pil2-compiler as used by
//! ZisK's state machines (see `shared/reference/pil2.md`), into a typed, spanned AST. It does
//! not evaluate anything: loops, templates and functions stay as written, for a later
//! compiler stage to execute.
//!
//! # API
//!
//! * [`parse`]`(source, file) -> (Option<Ast>, Vec<Diagnostic>)`: parses a whole file and
//!   reports **every** syntax error. The AST is returned even when there are errors (broken
//!   statements are left out of it); it is `None` only when the file cannot be parsed at all
//!   (brackets nested deeper than the parser allows).
//! * [`parse_ok`]`(source, file) -> Result<Ast, ParseError>`: the same, but any diagnostic
//!   is an error.
//! * [`ast`]: the tree. [`ast::Ast`] holds top-level [`ast::Stmt`]s; expressions are
//!   [`ast::Expr`]. Every node carries an [`ast::Span`] (byte range); `PartialEq` ignores
//!   spans so trees can be compared structurally.
//! * Pretty-printing: [`ast::Ast`], [`ast::Stmt`] and [`ast::Expr`] implement `Display`,
//!   producing valid PIL that parses back to an equal tree.
//! * [`Diagnostic`]: `code`, `span` ([`SourceSpan`]: file, 1-based line and column, byte
//!   range), `message` and secondary `labels`. [`Diagnostic::render`] formats it as
//!
//!   ```text
//!   file.pil:3:1: error[P0001]: expected `;`, found `col`
//!    3 | col witness b;
//!      | ^^^
//!    2 | col witness a
//!      |             ^ `;` may be missing here
//!   ```
//!
//! # Error recovery
//!
//! A statement that does not parse is skipped up to the next `;` at the same nesting level
//! (brackets are balanced while skipping), or up to the next `{`, whose block is then parsed
//! normally; errors inside template, function and control-flow bodies are recovered inside
//! that body, and a block left open at end of file reports its `{`. Each skipped statement
//! yields one diagnostic that says, in plain words, what was expected where. Recovery is
//! linear-time: unclosed brackets never cause re-parsing.
//!
//! # Diagnostic codes
//!
//! | code  | meaning |
//! |-------|---------|
//! | P0001 | syntax error: something else was expected at this place |
//! | P0002 | brackets nested too deeply (more than 256 levels); nothing is parsed |
//! | P0003 | destructuring declaration (`int [a, b];`) without an initialiser |
//! | P0004 | unterminated block comment |
//! | P0005 | unterminated string or template literal |
//! | P0006 | sequence syntax (`v:n`, `a..b`, `a..+..`, `...` fill) in an array literal that is not the value of a `col fixed`/variable initialiser or of an assignment (nested sequence blocks inside one are fine) |
//!
//! # Language notes
//!
//! * Fixed-column sequences (`[1, 0...]`, `[0..255]...`, `[0:4..9:4]`, `[[1, 0]:3, 0...]`,
//!   `[1, 2..*..]`) are array literals ([`ast::ExprKind::Array`]) whose items may carry repeat
//!   counts, ranges, progressions and fills ([`ast::SeqItem`]). That syntax is accepted only
//!   where pil2.md allows sequences: as the whole value of an initialiser or assignment
//!   (and in blocks nested in it); elsewhere it is diagnostic P0006.
//! * Bus calls (`lookup_assumes`, `permutation_proves`, `range_check`,
//!   `direct_update_assumes`, …) and air instantiations such as `Main(N: 2**22);` are plain
//!   calls ([`ast::ExprKind::Call`] in an [`ast::StmtKind::Expr`]); named arguments are
//!   [`ast::Arg::Named`], including the `name:` shorthand. Instantiations written with
//!   `virtual` or `alias` are [`ast::StmtKind::Instance`].
//! * Operator precedence follows pil2.md §1.7 with C-like associativity for the bitwise
//!   operators (see [`ast::BinaryOp::precedence`]).

pub mod ast;
mod diag;
mod parser;
mod print;

pub use ast::Ast;
pub use diag::{render_all, snippet, Code, Diagnostic, Label, SourceSpan};

/// All diagnostics of a file that failed to parse cleanly.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} error(s) while parsing PIL", diagnostics.len())]
pub struct ParseError {
    /// The diagnostics, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses PIL2 `source`; `file` is the name used in diagnostics.
///
/// Returns the AST (possibly partial, see the crate docs) and every diagnostic, in source
/// order. Never panics and never prints.
pub fn parse(source: &str, file: &str) -> (Option<Ast>, Vec<Diagnostic>) {
    parser::parse(source, file)
}

/// Parses PIL2 `source` and fails if there is any diagnostic.
pub fn parse_ok(source: &str, file: &str) -> Result<Ast, ParseError> {
    match parser::parse(source, file) {
        (Some(ast), diagnostics) if diagnostics.is_empty() => Ok(ast),
        (_, diagnostics) => Err(ParseError { diagnostics }),
    }
}
