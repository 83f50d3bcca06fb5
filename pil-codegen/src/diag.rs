//! Compiler diagnostics: stable `C0xxx` codes, locations and rustc-like rendering.
//!
//! Locations reuse [`zisk_pil_parser::SourceSpan`] and [`zisk_pil_parser::Label`]; syntax
//! errors of the parser are carried over unchanged with their `P0xxx` codes.

use std::collections::BTreeMap;
use std::fmt;

use zisk_pil_parser::{snippet, Label, SourceSpan};

/// Stable diagnostic codes of the compiler (`C0xxx`), plus the parser's codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// A syntax error reported by the parser.
    Parse(zisk_pil_parser::Code),
    /// C0001: a name that is not declared.
    UnknownName,
    /// C0002: wrong number or names of arguments.
    Arity,
    /// C0003: a name declared twice.
    Duplicate,
    /// C0004: a constraint or bus expression of degree above the maximum.
    Degree,
    /// C0005: the row count `N` is not a power of two (or out of range).
    RowCount,
    /// C0006: a value of the wrong type.
    Type,
    /// C0007: a PIL feature this compiler does not support.
    Unsupported,
    /// C0008: a file given to `require`/`include` that cannot be found.
    FileNotFound,
    /// C0009: `assert`, `assert_eq` or `error` failed.
    Assertion,
    /// C0010: row offsets that do not fit the prover's two-row window.
    RowWindow,
    /// C0011: an index outside an array or column.
    Index,
    /// C0012: an invalid compile-time operation (overflow, division by zero, bad sequence).
    Eval,
    /// C0013: participants of one bus disagree (tuple width or bus kind).
    Bus,
    /// C0014: a statement that is only allowed inside an air (or only outside).
    Context,
}

impl Code {
    /// The code as shown to users, e.g. `"C0001"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Parse(code) => code.as_str(),
            Code::UnknownName => "C0001",
            Code::Arity => "C0002",
            Code::Duplicate => "C0003",
            Code::Degree => "C0004",
            Code::RowCount => "C0005",
            Code::Type => "C0006",
            Code::Unsupported => "C0007",
            Code::FileNotFound => "C0008",
            Code::Assertion => "C0009",
            Code::RowWindow => "C0010",
            Code::Index => "C0011",
            Code::Eval => "C0012",
            Code::Bus => "C0013",
            Code::Context => "C0014",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A compile error with its location.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}:{}:{}: error[{code}]: {message}", span.file, span.line, span.col)]
pub struct Diagnostic {
    /// Stable error code.
    pub code: Code,
    /// Primary location.
    pub span: SourceSpan,
    /// Main message in plain words.
    pub message: String,
    /// Secondary labels (e.g. the first declaration of a duplicate).
    pub labels: Vec<Label>,
}

impl Diagnostic {
    /// Converts a parser diagnostic.
    pub fn from_parser(d: zisk_pil_parser::Diagnostic) -> Self {
        Diagnostic {
            code: Code::Parse(d.code),
            span: d.span,
            message: d.message,
            labels: d.labels,
        }
    }

    /// Renders the diagnostic as `file:line:col: error[C0001]: message`, then the source
    /// line with carets under the span, then each label the same way.
    ///
    /// `sources` maps file names (as in the spans) to their text; a missing file renders
    /// only the first line.
    pub fn render(&self, sources: &BTreeMap<String, String>) -> String {
        let mut out = format!("{self}\n");
        if let Some(text) = sources.get(&self.span.file) {
            snippet(&mut out, text, &self.span, "");
        }
        for label in &self.labels {
            match sources.get(&label.span.file) {
                Some(text) => snippet(&mut out, text, &label.span, &label.message),
                None => out.push_str(&format!(
                    "  {}:{}:{}: {}\n",
                    label.span.file, label.span.line, label.span.col, label.message
                )),
            }
        }
        out
    }
}

/// Renders every diagnostic with [`Diagnostic::render`], separated by blank lines.
pub fn render_all(diags: &[Diagnostic], sources: &BTreeMap<String, String>) -> String {
    diags
        .iter()
        .map(|d| d.render(sources))
        .collect::<Vec<_>>()
        .join("\n")
}
