//! Diagnostics: error codes, source locations and rustc-like rendering.

use std::fmt;
use std::ops::Range;

/// Stable diagnostic codes, rendered as `P0001` etc.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    /// P0001: syntax error (something else was expected).
    Syntax,
    /// P0002: brackets nested too deeply for the parser.
    TooDeep,
    /// P0003: destructuring declaration without an initialiser.
    MissingInit,
    /// P0004: block comment `/*` without a closing `*/`.
    UnterminatedComment,
    /// P0005: string or template literal without a closing quote.
    UnterminatedString,
    /// P0006: sequence syntax (`v:n`, `a..b`, `...`) in an array that is not an initialiser.
    SequenceOutsideInit,
}

impl Code {
    /// The code as shown to users, e.g. `"P0001"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Syntax => "P0001",
            Code::TooDeep => "P0002",
            Code::MissingInit => "P0003",
            Code::UnterminatedComment => "P0004",
            Code::UnterminatedString => "P0005",
            Code::SequenceOutsideInit => "P0006",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A location in a named source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceSpan {
    /// File name as given to the parser.
    pub file: String,
    /// 1-based line of `range.start`.
    pub line: usize,
    /// 1-based column (in characters) of `range.start`.
    pub col: usize,
    /// Byte range in the source.
    pub range: Range<usize>,
}

impl SourceSpan {
    /// Computes line and column for a byte range of `source`.
    pub fn new(source: &str, file: &str, range: Range<usize>) -> Self {
        let start = floor_char_boundary(source, range.start.min(source.len()));
        let end = floor_char_boundary(source, range.end.clamp(start, source.len()));
        let before = &source[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = source[line_start..start].chars().count() + 1;
        SourceSpan {
            file: file.to_string(),
            line,
            col,
            range: start..end,
        }
    }
}

/// A secondary message attached to another place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where the label points.
    pub span: SourceSpan,
    /// What it says.
    pub message: String,
}

/// A parse error with its location.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}:{}:{}: error[{code}]: {message}", span.file, span.line, span.col)]
pub struct Diagnostic {
    /// Stable error code.
    pub code: Code,
    /// Primary location.
    pub span: SourceSpan,
    /// Main message, e.g. ``expected `;`, found `col` ``.
    pub message: String,
    /// Secondary labels.
    pub labels: Vec<Label>,
}

impl Diagnostic {
    /// Renders the diagnostic as
    /// `file:line:col: error[P0001]: message`, followed by the source line with a caret
    /// under the primary span, and the same for each label.
    ///
    /// `source` must be the text that was parsed; `file_name` overrides the file name stored
    /// in the span.
    pub fn render(&self, source: &str, file_name: &str) -> String {
        let mut out = format!(
            "{}:{}:{}: error[{}]: {}\n",
            file_name, self.span.line, self.span.col, self.code, self.message
        );
        snippet(&mut out, source, &self.span, "");
        for label in &self.labels {
            snippet(&mut out, source, &label.span, &label.message);
        }
        out
    }
}

/// Renders every diagnostic with [`Diagnostic::render`], separated by blank lines.
pub fn render_all(diags: &[Diagnostic], source: &str, file_name: &str) -> String {
    diags
        .iter()
        .map(|d| d.render(source, file_name))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Appends the source line of `span` to `out`, with carets under the span and `message` after
/// them (rustc style). Shared by the parser's and the compiler's diagnostics.
pub fn snippet(out: &mut String, source: &str, span: &SourceSpan, message: &str) {
    let start = floor_char_boundary(source, span.range.start.min(source.len()));
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let line_text = source[line_start..line_end].trim_end_matches('\r');
    let gutter = span.line.to_string();
    let pad = " ".repeat(gutter.len());
    let col0: String = source[line_start..start]
        .chars()
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let end = span.range.end.clamp(start, line_end.max(start));
    let width = source
        .get(start..end)
        .map_or(1, |s| s.chars().count())
        .max(1);
    out.push_str(&format!(" {gutter} | {line_text}\n"));
    let carets = "^".repeat(width);
    if message.is_empty() {
        out.push_str(&format!(" {pad} | {col0}{carets}\n"));
    } else {
        out.push_str(&format!(" {pad} | {col0}{carets} {message}\n"));
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
