//! The pest grammar driver and the parse-tree → AST builder, with error recovery.

use std::cell::RefCell;
use std::sync::LazyLock;

use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;
use pest_derive::Parser;

use crate::ast::*;
use crate::diag::{Code, Diagnostic, Label, SourceSpan};

#[derive(Parser)]
#[grammar = "pil.pest"]
struct PilParser;

/// Deepest bracket nesting accepted before the parser gives up (protects the stack).
pub(crate) const MAX_NESTING: usize = 256;

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::ternary_op, Assoc::Right))
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::infix(Rule::op_bitor, Assoc::Left))
        .op(Op::infix(Rule::op_bitxor, Assoc::Left))
        .op(Op::infix(Rule::op_bitand, Assoc::Left))
        .op(Op::infix(Rule::op_in, Assoc::Left) | Op::postfix(Rule::is_test))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left))
        .op(Op::infix(Rule::op_shl, Assoc::Left) | Op::infix(Rule::op_shr, Assoc::Left))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::infix(Rule::op_mul, Assoc::Left)
            | Op::infix(Rule::op_div, Assoc::Left)
            | Op::infix(Rule::op_mod, Assoc::Left)
            | Op::infix(Rule::op_idiv, Assoc::Left))
        .op(Op::prefix(Rule::op_neg) | Op::prefix(Rule::op_plus) | Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_pow, Assoc::Right))
});

/// Parses `source` (named `file` in diagnostics). See the crate docs.
pub(crate) fn parse(source: &str, file: &str) -> (Option<Ast>, Vec<Diagnostic>) {
    if let Some(pos) = too_deep(source) {
        let diag = Diagnostic {
            code: Code::TooDeep,
            span: SourceSpan::new(source, file, pos..pos + 1),
            message: format!("brackets nested more than {MAX_NESTING} levels deep"),
            labels: Vec::new(),
        };
        return (None, vec![diag]);
    }
    let builder = Builder {
        src: source,
        file,
        diags: RefCell::new(Vec::new()),
    };
    let ast = match PilParser::parse(Rule::file, source) {
        Ok(mut pairs) => pairs.next().map(|p| builder.file(p)),
        Err(err) => {
            builder.pest_error(0, &err);
            None
        }
    };
    let mut diags = builder.diags.into_inner();
    diags.sort_by_key(|d| d.span.range.start);
    diags.dedup_by(|a, b| a.span.range.start == b.span.range.start);
    (ast, diags)
}

/// Returns the position of the first bracket that exceeds [`MAX_NESTING`], if any.
fn too_deep(source: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in source.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn is_punct(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::p_semi
            | Rule::p_lbrace
            | Rule::p_rbrace
            | Rule::p_lparen
            | Rule::p_rparen
            | Rule::p_rbracket
            | Rule::p_colon
            | Rule::p_eq
            | Rule::missing_rbrace
            | Rule::EOI
    )
}

/// Children of a pair, without punctuation.
fn kids(pair: Pair<'_, Rule>) -> impl Iterator<Item = Pair<'_, Rule>> {
    pair.into_inner().filter(|p| !is_punct(p.as_rule()))
}

/// The span of a pair without trailing whitespace and comments (pest includes implicit
/// whitespace consumed before an optional part that turned out to be absent).
fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.start() + trimmed_len(s.as_str()))
}

/// Length of `text` once trailing whitespace and comments are removed.
fn trimmed_len(text: &str) -> usize {
    let mut t = text.trim_end();
    loop {
        if let Some(body) = t.strip_suffix("*/") {
            match body.rfind("/*") {
                Some(open) => t = t[..open].trim_end(),
                None => return t.len(),
            }
            continue;
        }
        let line_start = t.rfind('\n').map_or(0, |i| i + 1);
        match line_comment_start(&t[line_start..]) {
            Some(c) => t = t[..line_start + c].trim_end(),
            None => return t.len(),
        }
    }
}

/// Byte offset of a `//` comment in `line`, ignoring `//` inside string literals.
fn line_comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quote = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'`' => quote = Some(b),
            None if b == b'/' && bytes.get(i + 1) == Some(&b'/') => return Some(i),
            None => {}
        }
        i += 1;
    }
    None
}

/// A human name for a grammar rule, used in "expected …" messages.
fn human(rule: Rule) -> String {
    let s = match rule {
        Rule::statement | Rule::simple_stmt => "statement",
        Rule::expression | Rule::operand | Rule::primary | Rule::prefix_op => "expression",
        Rule::ident => "identifier",
        Rule::name | Rule::decl_name | Rule::reference | Rule::decl_item | Rule::decl_list => {
            "name"
        }
        Rule::name_atom => "expression",
        Rule::number | Rule::number_atom => "number",
        Rule::string | Rule::string_body => "string literal",
        Rule::template => "template string",
        Rule::type_name => "type (`int`, `fe`, `expr` or `string`)",
        Rule::infix_op | Rule::postfix_op | Rule::is_test | Rule::k_is => "operator",
        Rule::destructure => "name",
        Rule::p_semi => "`;`",
        Rule::p_lbrace => "`{`",
        Rule::p_rbrace => "`}`",
        Rule::p_lparen => "`(`",
        Rule::p_rparen => "`)`",
        Rule::p_rbracket => "`]`",
        Rule::p_colon => "`:`",
        Rule::p_eq | Rule::assign_op => "`=`",
        Rule::array | Rule::array_item | Rule::seq_item => "array item",
        Rule::args | Rule::arg | Rule::named_arg | Rule::spread => "argument",
        Rule::params | Rule::param => "parameter",
        Rule::block => "block",
        Rule::col_kind => "column kind (`witness`, `fixed` or a commit name)",
        Rule::col_attr | Rule::bits_attr | Rule::stage_attr | Rule::virtual_attr => {
            "column attribute"
        }
        Rule::value_attr | Rule::aggregate_attr | Rule::default_attr => "value attribute",
        Rule::commit_attr | Rule::commit_public => "commit attribute",
        Rule::alias_clause => "`alias`",
        Rule::case_clause => "`case`",
        Rule::default_clause => "`default`",
        Rule::case_label => "case label",
        Rule::call => "call",
        Rule::hint_object => "hint object",
        Rule::hint_field => "hint field",
        Rule::hint_value => "hint value",
        Rule::final_scope => "`air`, `airgroup` or `proof`",
        Rule::incdec_op => "`++` or `--`",
        Rule::constraint_op => "`===` or `<==`",
        Rule::times => "`:`",
        Rule::range_tail | Rule::progression => "`..`",
        Rule::fill | Rule::item_fill => "`...`",
        Rule::next_offset => "`'`",
        Rule::dim => "`[`",
        Rule::EOI => "end of file",
        Rule::ret_type => "return type",
        Rule::visibility => "`function`",
        _ => {
            let name = format!("{rule:?}");
            return match name.strip_prefix("k_") {
                Some(kw) => format!("`{kw}`"),
                None => name.replace('_', " "),
            };
        }
    };
    s.to_string()
}

/// Formats a list as "a", "a or b", "a, b or c".
fn one_of(items: &[String]) -> String {
    match items {
        [] => "something else".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// Describes the token found at `pos` ("end of file", `` `col` ``, …) and its byte length.
fn found_at(src: &str, pos: usize) -> (String, usize) {
    let rest = &src[pos..];
    let Some(c) = rest.chars().next() else {
        return ("end of file".to_string(), 0);
    };
    if c.is_ascii_alphanumeric() || c == '_' {
        let len = rest
            .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '$'))
            .unwrap_or(rest.len());
        return (format!("`{}`", &rest[..len]), len);
    }
    if c == '"' {
        return ("string literal".to_string(), 1);
    }
    if c == '`' {
        return ("template string".to_string(), 1);
    }
    if c.is_control() || c.is_whitespace() {
        return (format!("character {:?}", c), c.len_utf8());
    }
    (format!("`{c}`"), c.len_utf8())
}

struct Builder<'s> {
    src: &'s str,
    file: &'s str,
    diags: RefCell<Vec<Diagnostic>>,
}

/// If the expression `p` is nothing but an array literal, returns that array pair.
fn sole_array<'i>(p: &Pair<'i, Rule>) -> Option<Pair<'i, Rule>> {
    let mut operands = p.clone().into_inner();
    let operand = operands.next()?;
    if operands.next().is_some() || operand.as_rule() != Rule::operand {
        return None;
    }
    let mut atoms = operand.into_inner();
    let atom = atoms.next()?;
    (atoms.next().is_none() && atom.as_rule() == Rule::array).then_some(atom)
}

impl<'s> Builder<'s> {
    fn push(&self, diag: Diagnostic) {
        self.diags.borrow_mut().push(diag);
    }

    fn src_span(&self, range: std::ops::Range<usize>) -> SourceSpan {
        SourceSpan::new(self.src, self.file, range)
    }

    /// Re-parses a broken statement at `start` to learn what was expected, and records it.
    fn bad_statement(&self, start: usize) {
        match PilParser::parse(Rule::statement, &self.src[start..]) {
            Err(err) => self.pest_error(start, &err),
            Ok(_) => {
                let (found, len) = found_at(self.src, start);
                self.push(Diagnostic {
                    code: Code::Syntax,
                    span: self.src_span(start..start + len),
                    message: format!("unexpected {found}"),
                    labels: Vec::new(),
                });
            }
        }
    }

    /// Converts a pest error (positions relative to `base`) into a diagnostic.
    fn pest_error(&self, base: usize, err: &pest::error::Error<Rule>) {
        let pos = base
            + match err.location {
                InputLocation::Pos(p) => p,
                InputLocation::Span((s, _)) => s,
            };
        let pos = pos.min(self.src.len());
        let rest = &self.src[pos..];
        if rest.starts_with("/*") && !rest[2..].contains("*/") {
            self.push(Diagnostic {
                code: Code::UnterminatedComment,
                span: self.src_span(pos..pos + 2),
                message: "unterminated block comment: `/*` has no matching `*/`".to_string(),
                labels: Vec::new(),
            });
            return;
        }
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '`') {
            if !unterminated_ok(rest, q) {
                self.push(Diagnostic {
                    code: Code::UnterminatedString,
                    span: self.src_span(pos..pos + 1),
                    message: "unterminated string literal".to_string(),
                    labels: Vec::new(),
                });
                return;
            }
        }
        let mut expected: Vec<String> = match &err.variant {
            ErrorVariant::ParsingError { positives, .. } => positives
                .iter()
                .filter(|r| !matches!(r, Rule::bad_stmt | Rule::bad_case_stmt | Rule::bad_top))
                .map(|r| human(*r))
                .collect(),
            ErrorVariant::CustomError { message } => vec![message.clone()],
        };
        expected.sort();
        expected.dedup();
        let (found, len) = found_at(self.src, pos);
        let mut labels = Vec::new();
        let mut pos = pos;
        if len == 0 {
            // At end of file: point just after the last token instead of at an empty line.
            pos = self.src.trim_end().len();
            if expected.iter().any(|e| e == "`}`") {
                if let Some(open) = unclosed_brace(&self.src[base..]) {
                    labels.push(Label {
                        span: self.src_span(base + open..base + open + 1),
                        message: "this `{` is never closed".to_string(),
                    });
                }
            }
        }
        let message = if expected.is_empty() {
            format!("unexpected {found}")
        } else {
            format!("expected {}, found {found}", one_of(&expected))
        };
        if len > 0 && expected.iter().any(|e| e == "`;`") {
            let before = self.src[..pos].trim_end();
            let prev_end = before.len();
            if prev_end < pos && self.src[prev_end..pos].contains('\n') && prev_end > 0 {
                let prev_start = before
                    .char_indices()
                    .next_back()
                    .map_or(prev_end, |(i, _)| i);
                labels.push(Label {
                    span: self.src_span(prev_start..prev_end),
                    message: "`;` may be missing after this".to_string(),
                });
            }
        }
        self.push(Diagnostic {
            code: Code::Syntax,
            span: self.src_span(pos..pos + len),
            message,
            labels,
        });
    }

    // -- statements --------------------------------------------------------------

    fn file(&self, pair: Pair<'_, Rule>) -> Ast {
        let span = span_of(&pair);
        let mut stmts = Vec::new();
        for p in kids(pair) {
            match p.as_rule() {
                Rule::statement => stmts.extend(self.statement(p)),
                Rule::bad_top => self.bad_statement(p.as_span().start()),
                _ => {}
            }
        }
        Ast { stmts, span }
    }

    fn block(&self, pair: Pair<'_, Rule>) -> Block {
        let span = span_of(&pair);
        if let Some(missing) = pair
            .clone()
            .into_inner()
            .find(|p| p.as_rule() == Rule::missing_rbrace)
        {
            let pos = missing.as_span().start();
            let end = self.src[..pos].trim_end().len();
            self.push(Diagnostic {
                code: Code::Syntax,
                span: self.src_span(end..end),
                message: "expected statement or `}`, found end of file".to_string(),
                labels: vec![Label {
                    span: self.src_span(span.start..span.start + 1),
                    message: "this `{` is never closed".to_string(),
                }],
            });
        }
        Block {
            stmts: self.stmt_list(pair.into_inner()),
            span,
        }
    }

    fn stmt_list(&self, pairs: Pairs<'_, Rule>) -> Vec<Stmt> {
        let mut stmts = Vec::new();
        for p in pairs {
            match p.as_rule() {
                Rule::statement => {
                    if let Some(s) = self.statement(p) {
                        if s.kind != StmtKind::Empty {
                            stmts.push(s);
                        }
                    }
                }
                Rule::bad_stmt | Rule::bad_case_stmt => self.bad_statement(p.as_span().start()),
                _ => {}
            }
        }
        stmts
    }

    /// Builds a `statement` pair. Returns `None` for a top-level `;`.
    fn statement(&self, pair: Pair<'_, Rule>) -> Option<Stmt> {
        let inner = kids(pair).next()?;
        let stmt = self.stmt_inner(inner);
        (stmt.kind != StmtKind::Empty).then_some(stmt)
    }

    /// Like [`Builder::statement`] but keeps `;` as [`StmtKind::Empty`] (loop/if bodies).
    fn body(&self, pair: Pair<'_, Rule>) -> Box<Stmt> {
        let span = span_of(&pair);
        Box::new(match kids(pair).next() {
            Some(inner) => self.stmt_inner(inner),
            None => Stmt {
                kind: StmtKind::Empty,
                span,
            },
        })
    }

    fn stmt_inner(&self, p: Pair<'_, Rule>) -> Stmt {
        let mut span = span_of(&p);
        // Statement spans never include a trailing `;` (some rules consume it themselves).
        if p.as_rule() != Rule::empty_stmt {
            if let Some(text) = p.as_str().strip_suffix(';') {
                span.end = span.start + text.trim_end().len();
            }
        }
        let kind = match p.as_rule() {
            Rule::empty_stmt => StmtKind::Empty,
            Rule::pragma => StmtKind::Pragma(
                p.into_inner()
                    .next()
                    .map_or(String::new(), |t| t.as_str().trim().to_string()),
            ),
            Rule::require_stmt => StmtKind::Require(self.str_or_template(last(p))),
            Rule::include_stmt => StmtKind::Include(self.str_or_template(last(p))),
            Rule::airtemplate_def => {
                let mut it = kids(p).skip(1);
                let name = ident(it.next().expect("airtemplate name"));
                let params = self.params(it.next().expect("airtemplate params"));
                let body = self.block(it.next().expect("airtemplate body"));
                StmtKind::AirTemplate(AirTemplate { name, params, body })
            }
            Rule::airgroup_def => {
                let mut it = kids(p).skip(1);
                let name = ident(it.next().expect("airgroup name"));
                let body = self.block(it.next().expect("airgroup body"));
                StmtKind::AirGroup(AirGroup { name, body })
            }
            Rule::function_def => StmtKind::Function(self.function(p)),
            Rule::container_def => {
                let mut name = None;
                let mut alias = None;
                let mut body = None;
                for k in kids(p) {
                    match k.as_rule() {
                        Rule::name => name = Some(self.name(k)),
                        Rule::alias_clause => alias = Some(self.alias(k)),
                        Rule::block => body = Some(self.block(k)),
                        _ => {}
                    }
                }
                StmtKind::Container(Container {
                    name: name.expect("container name"),
                    alias,
                    body,
                })
            }
            Rule::use_stmt => {
                let mut name = None;
                let mut alias = None;
                for k in kids(p) {
                    match k.as_rule() {
                        Rule::name => name = Some(self.name(k)),
                        Rule::alias_clause => alias = Some(self.alias(k)),
                        _ => {}
                    }
                }
                StmtKind::Use(Use {
                    name: name.expect("use name"),
                    alias,
                })
            }
            Rule::if_stmt => {
                let mut it = kids(p).skip(1);
                let cond = self.expr(it.next().expect("if condition"));
                let then = self.body(it.next().expect("if body"));
                let otherwise = it.nth(1).map(|s| self.body(s));
                StmtKind::If(If {
                    cond,
                    then,
                    otherwise,
                })
            }
            Rule::for_stmt => StmtKind::For(self.for_stmt(p)),
            Rule::for_in_stmt => {
                let mut is_const = false;
                let mut ty = None;
                let mut var = None;
                let mut iter = None;
                let mut body = None;
                for k in kids(p) {
                    match k.as_rule() {
                        Rule::k_const => is_const = true,
                        Rule::type_name => ty = Some(type_name(k)),
                        Rule::name => var = Some(self.name(k)),
                        Rule::expression => iter = Some(self.expr(k)),
                        Rule::statement => body = Some(self.body(k)),
                        _ => {}
                    }
                }
                StmtKind::ForIn(ForIn {
                    is_const,
                    ty,
                    var: var.expect("for-in variable"),
                    iter: iter.expect("for-in iterable"),
                    body: body.expect("for-in body"),
                })
            }
            Rule::while_stmt => {
                let mut it = kids(p).skip(1);
                let cond = self.expr(it.next().expect("while condition"));
                let body = self.body(it.next().expect("while body"));
                StmtKind::While(While { cond, body })
            }
            Rule::do_while_stmt => {
                let mut it = kids(p).skip(1);
                let body = self.block(it.next().expect("do body"));
                let cond = self.expr(it.nth(1).expect("do-while condition"));
                StmtKind::DoWhile(DoWhile { body, cond })
            }
            Rule::switch_stmt => StmtKind::Switch(self.switch(p)),
            Rule::block => StmtKind::Block(self.block(p)),
            Rule::hint_stmt => {
                let mut it = kids(p);
                let name = ident(it.next().expect("hint name"));
                let fields = self.hint_fields(it.next().expect("hint body"));
                StmtKind::Hint(Hint { name, fields })
            }
            Rule::return_stmt => StmtKind::Return(kids(p).nth(1).map(|e| self.expr(e))),
            Rule::break_stmt => StmtKind::Break,
            Rule::continue_stmt => StmtKind::Continue,
            Rule::col_decl => StmtKind::Col(self.col_decl(p)),
            Rule::commit_decl => {
                let mut attrs = Vec::new();
                let mut name = None;
                for k in kids(p) {
                    match k.as_rule() {
                        Rule::commit_attr => {
                            let a = kids(k).next().expect("commit attribute");
                            attrs.push(match a.as_rule() {
                                Rule::stage_attr => CommitAttr::Stage(self.attr_expr(a)),
                                _ => CommitAttr::Public(
                                    kids(a)
                                        .filter(|n| n.as_rule() == Rule::name)
                                        .map(|n| self.name(n))
                                        .collect(),
                                ),
                            });
                        }
                        Rule::ident => name = Some(ident(k)),
                        _ => {}
                    }
                }
                StmtKind::Commit(CommitDecl {
                    attrs,
                    name: name.expect("commit name"),
                })
            }
            Rule::value_decl => StmtKind::Value(self.value_decl(p)),
            Rule::var_decl => StmtKind::Var(self.var_decl(p)),
            Rule::on_final_stmt => {
                let mut priority = None;
                let mut scope = FinalScope::Air;
                let mut call = None;
                for k in kids(p) {
                    match k.as_rule() {
                        Rule::expression => priority = Some(self.expr(k)),
                        Rule::final_scope => {
                            scope = match kids(k).next().map(|s| s.as_rule()) {
                                Some(Rule::k_airgroup) => FinalScope::AirGroup,
                                Some(Rule::k_proof) => FinalScope::Proof,
                                _ => FinalScope::Air,
                            }
                        }
                        Rule::call => call = Some(self.call(k)),
                        _ => {}
                    }
                }
                StmtKind::OnFinal(OnFinal {
                    priority,
                    scope,
                    call: call.expect("on final call"),
                })
            }
            Rule::instance_stmt => {
                let mut is_virtual = false;
                let mut call = None;
                let mut alias = None;
                for k in kids(p) {
                    match k.as_rule() {
                        Rule::k_virtual => is_virtual = true,
                        Rule::call => call = Some(self.call(k)),
                        Rule::alias_clause => alias = Some(self.alias(k)),
                        _ => {}
                    }
                }
                StmtKind::Instance(Instance {
                    is_virtual,
                    call: call.expect("instance call"),
                    alias,
                })
            }
            Rule::assign_stmt => StmtKind::Assign(self.assign(p)),
            Rule::incdec_stmt => StmtKind::IncDec(self.incdec(p)),
            Rule::constraint_stmt => {
                let mut it = kids(p);
                let lhs = self.expr(it.next().expect("expression"));
                match it.next() {
                    None => StmtKind::Expr(lhs),
                    Some(op) => {
                        let rhs = self.expr(it.next().expect("constraint rhs"));
                        if op.as_str() == "===" {
                            StmtKind::Constraint(lhs, rhs)
                        } else {
                            StmtKind::WitnessAssign(lhs, rhs)
                        }
                    }
                }
            }
            r => unreachable!("unexpected statement rule {r:?}"),
        };
        Stmt { kind, span }
    }

    fn function(&self, p: Pair<'_, Rule>) -> FunctionDef {
        let mut visibility = None;
        let mut name = None;
        let mut params = Vec::new();
        let mut ret = None;
        let mut body = None;
        for k in kids(p) {
            match k.as_rule() {
                Rule::visibility => {
                    visibility = Some(match kids(k).next().map(|v| v.as_rule()) {
                        Some(Rule::k_private) => Visibility::Private,
                        _ => Visibility::Public,
                    })
                }
                Rule::ident => name = Some(ident(k)),
                Rule::params => params = self.params(k),
                Rule::ret_type => {
                    let mut is_const = false;
                    let mut ty = Type::Int;
                    let mut array_dims = 0;
                    for r in kids(k) {
                        match r.as_rule() {
                            Rule::k_const => is_const = true,
                            Rule::type_name => ty = type_name(r),
                            Rule::array_marks => array_dims = count_marks(&r),
                            _ => {}
                        }
                    }
                    ret = Some(RetType {
                        is_const,
                        ty,
                        array_dims,
                    });
                }
                Rule::block => body = Some(self.block(k)),
                _ => {}
            }
        }
        FunctionDef {
            visibility,
            name: name.expect("function name"),
            params,
            ret,
            body: body.expect("function body"),
        }
    }

    fn params(&self, p: Pair<'_, Rule>) -> Vec<Param> {
        kids(p)
            .map(|param| {
                let span = span_of(&param);
                let mut is_const = false;
                let mut ty = Type::Int;
                let mut name = None;
                let mut array_dims = 0;
                let mut default = None;
                for k in kids(param) {
                    match k.as_rule() {
                        Rule::k_const => is_const = true,
                        Rule::type_name => ty = type_name(k),
                        Rule::ident => name = Some(ident(k)),
                        Rule::array_marks => array_dims = count_marks(&k),
                        Rule::expression => default = Some(self.expr(k)),
                        _ => {}
                    }
                }
                Param {
                    is_const,
                    ty,
                    name: name.expect("parameter name"),
                    array_dims,
                    default,
                    span,
                }
            })
            .collect()
    }

    fn for_stmt(&self, p: Pair<'_, Rule>) -> For {
        let mut init = None;
        let mut cond = None;
        let mut steps = Vec::new();
        let mut body = None;
        for k in kids(p) {
            match k.as_rule() {
                Rule::for_init => {
                    let s = k.into_inner().next().expect("for init");
                    init = Some(Box::new(self.stmt_inner(s)));
                }
                Rule::expression => cond = Some(self.expr(k)),
                Rule::for_steps => steps = kids(k).map(|s| self.stmt_inner(s)).collect(),
                Rule::statement => body = Some(self.body(k)),
                _ => {}
            }
        }
        For {
            init,
            cond,
            steps,
            body: body.expect("for body"),
        }
    }

    fn switch(&self, p: Pair<'_, Rule>) -> Switch {
        let mut value = None;
        let mut cases = Vec::new();
        let mut default = None;
        for k in kids(p) {
            match k.as_rule() {
                Rule::expression => value = Some(self.expr(k)),
                Rule::case_clause => {
                    let span = span_of(&k);
                    let mut labels = Vec::new();
                    let mut body = Vec::new();
                    for c in kids(k) {
                        match c.as_rule() {
                            Rule::case_label => {
                                let mut it = kids(c);
                                let a = self.expr(it.next().expect("case label"));
                                labels.push(match it.next() {
                                    Some(b) => CaseLabel::Range(a, self.expr(b)),
                                    None => CaseLabel::Value(a),
                                });
                            }
                            Rule::case_body => body = self.stmt_list(c.into_inner()),
                            _ => {}
                        }
                    }
                    cases.push(Case { labels, body, span });
                }
                Rule::default_clause => {
                    let b = kids(k).find(|c| c.as_rule() == Rule::case_body);
                    default = Some(b.map_or(Vec::new(), |b| self.stmt_list(b.into_inner())));
                }
                _ => {}
            }
        }
        Switch {
            value: value.expect("switch value"),
            cases,
            default,
        }
    }

    fn hint_fields(&self, obj: Pair<'_, Rule>) -> Vec<HintField> {
        kids(obj)
            .map(|f| {
                let mut it = kids(f);
                let name = ident(it.next().expect("hint field name"));
                let value = self.hint_value(it.next().expect("hint field value"));
                HintField { name, value }
            })
            .collect()
    }

    /// Builds a `hint_value` or `hint_item`.
    fn hint_value(&self, v: Pair<'_, Rule>) -> HintValue {
        let inner = kids(v).next().expect("hint value");
        match inner.as_rule() {
            Rule::hint_object => HintValue::Object(self.hint_fields(inner)),
            Rule::hint_array => HintValue::Array(kids(inner).map(|x| self.hint_value(x)).collect()),
            _ => HintValue::Expr(self.expr(inner)),
        }
    }

    fn col_decl(&self, p: Pair<'_, Rule>) -> ColDecl {
        let mut kind = ColKind::Witness;
        let mut attrs = Vec::new();
        let mut items = Vec::new();
        let mut init = None;
        for k in kids(p) {
            match k.as_rule() {
                Rule::col_kind => {
                    let c = k.into_inner().next().expect("column kind");
                    kind = match c.as_rule() {
                        Rule::k_witness => ColKind::Witness,
                        Rule::k_fixed => ColKind::Fixed,
                        _ => ColKind::Custom(ident(c)),
                    };
                }
                Rule::col_attr => {
                    let a = k.into_inner().next().expect("column attribute");
                    attrs.push(match a.as_rule() {
                        Rule::bits_attr => {
                            let mut width = None;
                            let mut signed = false;
                            for b in kids(a) {
                                match b.as_rule() {
                                    Rule::expression => width = Some(self.expr(b)),
                                    Rule::k_signed => signed = true,
                                    _ => {}
                                }
                            }
                            ColAttr::Bits {
                                width: width.expect("bits width"),
                                signed,
                            }
                        }
                        Rule::stage_attr => ColAttr::Stage(self.attr_expr(a)),
                        _ => ColAttr::Virtual(self.attr_expr(a)),
                    });
                }
                Rule::decl_list => items = self.decl_list(k),
                Rule::expression => init = Some(self.rhs(k)),
                _ => {}
            }
        }
        ColDecl {
            kind,
            attrs,
            items,
            init,
        }
    }

    /// Builds an initialiser or assigned value: here an array literal may use sequence syntax.
    fn rhs(&self, p: Pair<'_, Rule>) -> Expr {
        match sole_array(&p) {
            Some(array) => self.array(array, true),
            None => self.expr(p),
        }
    }

    /// The expression inside `stage(e)`, `virtual(e)`, `default(e)`.
    fn attr_expr(&self, a: Pair<'_, Rule>) -> Expr {
        let e = kids(a)
            .find(|x| x.as_rule() == Rule::expression)
            .expect("attribute expression");
        self.expr(e)
    }

    fn value_decl(&self, p: Pair<'_, Rule>) -> ValueDecl {
        let mut kind = ValueKind::Public;
        let mut attrs = Vec::new();
        let mut items = Vec::new();
        for k in kids(p) {
            match k.as_rule() {
                Rule::value_kind => {
                    kind = match k.into_inner().next().map(|x| x.as_rule()) {
                        Some(Rule::k_proofval) => ValueKind::ProofVal,
                        Some(Rule::k_airval) => ValueKind::AirVal,
                        Some(Rule::k_airgroupval) => ValueKind::AirGroupVal,
                        Some(Rule::k_challenge) => ValueKind::Challenge,
                        _ => ValueKind::Public,
                    }
                }
                Rule::value_attr => {
                    let a = k.into_inner().next().expect("value attribute");
                    attrs.push(match a.as_rule() {
                        Rule::stage_attr => ValueAttr::Stage(self.attr_expr(a)),
                        Rule::default_attr => ValueAttr::Default(self.attr_expr(a)),
                        _ => ValueAttr::Aggregate(ident(
                            kids(a)
                                .find(|x| x.as_rule() == Rule::ident)
                                .expect("aggregate kind"),
                        )),
                    });
                }
                Rule::decl_list => items = self.decl_list(k),
                _ => {}
            }
        }
        ValueDecl { kind, attrs, items }
    }

    fn decl_list(&self, p: Pair<'_, Rule>) -> Vec<DeclItem> {
        kids(p)
            .map(|item| {
                let span = span_of(&item);
                let mut it = kids(item);
                let name = self.name(it.next().expect("declared name"));
                let dims = it.map(|d| kids(d).next().map(|e| self.expr(e))).collect();
                DeclItem { name, dims, span }
            })
            .collect()
    }

    fn var_decl(&self, p: Pair<'_, Rule>) -> VarDecl {
        let span = span_of(&p);
        let mut is_const = false;
        let mut ty = Type::Int;
        let mut target = VarTarget::Items(Vec::new());
        let mut init = None;
        for k in kids(p) {
            match k.as_rule() {
                Rule::k_const => is_const = true,
                Rule::type_name => ty = type_name(k),
                Rule::destructure => target = VarTarget::Destructure(self.destructure(k)),
                Rule::decl_list => target = VarTarget::Items(self.decl_list(k)),
                Rule::expression => init = Some(self.rhs(k)),
                _ => {}
            }
        }
        if matches!(target, VarTarget::Destructure(_)) && init.is_none() {
            self.push(Diagnostic {
                code: Code::MissingInit,
                span: self.src_span(span.start..span.end),
                message: "a destructuring declaration needs an initialiser (`= [...]`)".to_string(),
                labels: Vec::new(),
            });
        }
        VarDecl {
            is_const,
            ty,
            target,
            init,
        }
    }

    fn destructure(&self, p: Pair<'_, Rule>) -> Vec<Name> {
        kids(p).map(|n| self.name(n)).collect()
    }

    fn assign(&self, p: Pair<'_, Rule>) -> Assign {
        let mut it = kids(p);
        let t = it.next().expect("assignment target");
        let target = match t.as_rule() {
            Rule::destructure => AssignTarget::Destructure(self.destructure(t)),
            _ => AssignTarget::Ref(self.reference(t)),
        };
        let op = match it.next().expect("assignment operator").as_str() {
            "+=" => AssignOp::AddAssign,
            "-=" => AssignOp::SubAssign,
            "*=" => AssignOp::MulAssign,
            _ => AssignOp::Assign,
        };
        let value = self.rhs(it.next().expect("assigned value"));
        Assign { target, op, value }
    }

    fn incdec(&self, p: Pair<'_, Rule>) -> IncDec {
        let mut it = kids(p);
        let first = it.next().expect("increment");
        let second = it.next().expect("increment");
        let (op, r, prefix) = if first.as_rule() == Rule::incdec_op {
            (first, second, true)
        } else {
            (second, first, false)
        };
        IncDec {
            target: self.reference(r),
            increment: op.as_str() == "++",
            prefix,
        }
    }

    fn alias(&self, p: Pair<'_, Rule>) -> AliasName {
        let v = last(p);
        match v.as_rule() {
            Rule::ident => AliasName::Ident(ident(v)),
            Rule::string => AliasName::Str(string_lit(v)),
            _ => AliasName::Template(self.template(v)),
        }
    }

    // -- names, literals ---------------------------------------------------------

    fn name(&self, p: Pair<'_, Rule>) -> Name {
        let span = span_of(&p);
        let segs = p
            .into_inner()
            .map(|s| match s.as_rule() {
                Rule::template => NameSeg::Template(self.template(s)),
                _ => NameSeg::Ident(Ident {
                    name: s.as_str().to_string(),
                    span: span_of(&s),
                }),
            })
            .collect();
        Name { segs, span }
    }

    fn str_or_template(&self, p: Pair<'_, Rule>) -> StrOrTemplate {
        match p.as_rule() {
            Rule::string => StrOrTemplate::Str(string_lit(p)),
            _ => StrOrTemplate::Template(self.template(p)),
        }
    }

    fn template(&self, p: Pair<'_, Rule>) -> Template {
        let span = span_of(&p);
        let parts = p
            .into_inner()
            .map(|part| match part.as_rule() {
                Rule::template_text => TemplatePart::Text(part.as_str().to_string()),
                _ => TemplatePart::Interp(self.expr(kids(part).next().expect("interpolation"))),
            })
            .collect();
        Template { parts, span }
    }

    fn reference(&self, p: Pair<'_, Rule>) -> Reference {
        let span = span_of(&p);
        let mut it = kids(p);
        let name = self.name(it.next().expect("reference name"));
        let indices = it.map(|e| self.expr(e)).collect();
        Reference {
            name,
            indices,
            span,
        }
    }

    fn call(&self, p: Pair<'_, Rule>) -> Call {
        let span = span_of(&p);
        let mut it = kids(p);
        let callee = self.name(it.next().expect("callee"));
        let args = it.next().map(|a| self.args(a)).unwrap_or_default();
        Call { callee, args, span }
    }

    fn args(&self, a: Pair<'_, Rule>) -> Vec<Arg> {
        kids(a)
            .map(|arg| {
                let inner = arg.into_inner().next().expect("argument");
                match inner.as_rule() {
                    Rule::named_arg => {
                        let mut it = kids(inner);
                        let name = ident(it.next().expect("argument name"));
                        Arg::Named(name, it.next().map(|e| self.expr(e)))
                    }
                    Rule::spread => Arg::Spread(self.expr(kids(inner).next().expect("spread"))),
                    _ => Arg::Positional(self.expr(inner)),
                }
            })
            .collect()
    }

    // -- expressions -------------------------------------------------------------

    fn expr(&self, p: Pair<'_, Rule>) -> Expr {
        debug_assert_eq!(p.as_rule(), Rule::expression);
        let flat = p.into_inner().flat_map(|x| -> Vec<Pair<'_, Rule>> {
            match x.as_rule() {
                Rule::infix_op => x.into_inner().collect(),
                Rule::operand => x.into_inner().collect(),
                _ => vec![x],
            }
        });
        PRATT
            .map_primary(|atom| self.primary(atom))
            .map_prefix(|op, rhs| {
                let uop = match op.as_rule() {
                    Rule::op_neg => UnaryOp::Neg,
                    Rule::op_plus => UnaryOp::Plus,
                    _ => UnaryOp::Not,
                };
                let span = Span::new(op.as_span().start(), rhs.span.end);
                Expr {
                    kind: ExprKind::Unary(uop, Box::new(rhs)),
                    span,
                }
            })
            .map_postfix(|lhs, op| {
                let span = Span::new(lhs.span.start, op.as_span().end());
                let mut ty = Type::Int;
                let mut dims = 0;
                for k in kids(op) {
                    match k.as_rule() {
                        Rule::type_name => ty = type_name(k),
                        Rule::array_marks => dims = count_marks(&k),
                        _ => {}
                    }
                }
                Expr {
                    kind: ExprKind::Is(Box::new(lhs), ty, dims),
                    span,
                }
            })
            .map_infix(|lhs, op, rhs| {
                let span = Span::new(lhs.span.start, rhs.span.end);
                let kind = if op.as_rule() == Rule::ternary_op {
                    let mid = self.expr(op.into_inner().next().expect("ternary branch"));
                    ExprKind::Ternary(Box::new(lhs), Box::new(mid), Box::new(rhs))
                } else {
                    ExprKind::Binary(binary_op(op.as_rule()), Box::new(lhs), Box::new(rhs))
                };
                Expr { kind, span }
            })
            .parse(flat)
    }

    fn primary(&self, p: Pair<'_, Rule>) -> Expr {
        let span = span_of(&p);
        let kind = match p.as_rule() {
            Rule::prev_ref => ExprKind::Prev {
                base: self.reference(p.into_inner().next().expect("reference")),
                by: None,
            },
            Rule::number_atom => {
                let mut it = p.into_inner();
                let num = it.next().expect("number");
                let num_expr = Expr {
                    kind: ExprKind::Number(num.as_str().to_string()),
                    span: span_of(&num),
                };
                match it.next() {
                    Some(r) => ExprKind::Prev {
                        base: self.reference(r),
                        by: Some(Box::new(num_expr)),
                    },
                    None => return num_expr,
                }
            }
            Rule::paren_atom => {
                let mut it = kids(p);
                let inner = self.expr(it.next().expect("parenthesised expression"));
                match it.next() {
                    Some(r) => ExprKind::Prev {
                        base: self.reference(r),
                        by: Some(Box::new(inner)),
                    },
                    None => return inner,
                }
            }
            Rule::cast => {
                let mut it = kids(p);
                let ty = type_name(it.next().expect("cast type"));
                let e = self.expr(it.next().expect("cast operand"));
                ExprKind::Cast(ty, Box::new(e))
            }
            Rule::string => ExprKind::Str(string_lit(p)),
            Rule::template => ExprKind::Template(self.template(p)),
            Rule::name_atom => {
                let mut it = kids(p).peekable();
                let name = self.name(it.next().expect("name"));
                if let Some(args) = it.next_if(|x| x.as_rule() == Rule::args) {
                    let args = self.args(args);
                    return Expr {
                        kind: ExprKind::Call(Call {
                            callee: name,
                            args,
                            span,
                        }),
                        span,
                    };
                }
                let mut indices = Vec::new();
                while let Some(e) = it.next_if(|x| x.as_rule() == Rule::expression) {
                    indices.push(self.expr(e));
                }
                let base_end = indices.last().map_or(name.span.end, |e| {
                    self.src[e.span.end..]
                        .find(']')
                        .map_or(e.span.end, |i| e.span.end + i + 1)
                });
                let base = Reference {
                    span: Span::new(span.start, base_end),
                    name,
                    indices,
                };
                match it.next() {
                    None => ExprKind::Ref(base),
                    Some(off) => {
                        let by = off.into_inner().next().map(|b| match b.as_rule() {
                            Rule::number => Expr {
                                kind: ExprKind::Number(b.as_str().to_string()),
                                span: span_of(&b),
                            },
                            _ => self.expr(kids(b).next().expect("offset expression")),
                        });
                        ExprKind::Next {
                            base,
                            by: by.map(Box::new),
                        }
                    }
                }
            }
            Rule::array => return self.array(p, false),
            r => unreachable!("unexpected primary rule {r:?}"),
        };
        Expr { kind, span }
    }

    /// Builds an array literal; `seq` tells whether sequence syntax (repeats, ranges,
    /// progressions, fills) is allowed here, i.e. in an initialiser or assigned value.
    fn array(&self, p: Pair<'_, Rule>, seq: bool) -> Expr {
        let span = span_of(&p);
        let mut items = Vec::new();
        let mut fill = false;
        for k in kids(p) {
            match k.as_rule() {
                Rule::array_item => items.push(self.array_item(k, seq)),
                Rule::fill => {
                    fill = true;
                    if !seq {
                        self.not_a_sequence(span_of(&k), "`...`");
                    }
                }
                _ => {}
            }
        }
        Expr {
            kind: ExprKind::Array { items, fill },
            span,
        }
    }

    fn not_a_sequence(&self, span: Span, what: &str) {
        self.push(Diagnostic {
            code: Code::SequenceOutsideInit,
            span: self.src_span(span.start..span.end),
            message: format!(
                "sequence syntax ({what}) is only allowed in an array that initialises or is \
                 assigned to a variable or fixed column"
            ),
            labels: Vec::new(),
        });
    }

    fn array_item(&self, p: Pair<'_, Rule>, seq: bool) -> ArrayItem {
        let inner = p.into_inner().next().expect("array item");
        if inner.as_rule() == Rule::spread {
            return ArrayItem::Spread(self.expr(kids(inner).next().expect("spread")));
        }
        let span = span_of(&inner);
        let mut value = None;
        let mut times = None;
        let mut fill = false;
        let mut range: Option<(Expr, Option<Expr>)> = None;
        let mut geometric = None;
        for k in kids(inner) {
            let what = match k.as_rule() {
                Rule::times => Some("`:` repeat"),
                Rule::progression => Some("`..+..` / `..*..`"),
                Rule::range_tail => Some("`..` range"),
                Rule::item_fill => Some("`...`"),
                _ => None,
            };
            if let (Some(what), false) = (what, seq) {
                self.not_a_sequence(span_of(&k), what);
            }
            match k.as_rule() {
                Rule::expression => {
                    value = Some(match (seq, sole_array(&k)) {
                        (true, Some(nested)) => self.array(nested, true),
                        _ => self.expr(k),
                    })
                }
                Rule::times => times = Some(self.expr(kids(k).next().expect("repeat count"))),
                Rule::progression => {
                    geometric = Some(
                        k.into_inner()
                            .next()
                            .is_some_and(|x| x.as_rule() == Rule::prog_mul),
                    )
                }
                Rule::range_tail => {
                    let mut it = kids(k);
                    let to = self.expr(it.next().expect("range end"));
                    let to_times = it.next().map(|t| self.expr(kids(t).next().expect("count")));
                    range = Some((to, to_times));
                }
                Rule::item_fill => fill = true,
                _ => {}
            }
        }
        let value = value.expect("sequence value");
        let kind = if let Some((to, to_times)) = range {
            SeqKind::Range(Box::new(SeqRange {
                from: value,
                from_times: times,
                to,
                to_times,
            }))
        } else if let Some(geometric) = geometric {
            SeqKind::Progression {
                value,
                times,
                geometric,
            }
        } else {
            SeqKind::Value { value, times }
        };
        ArrayItem::Seq(SeqItem { kind, fill, span })
    }
}

fn last(p: Pair<'_, Rule>) -> Pair<'_, Rule> {
    kids(p).last().expect("non-empty rule")
}

fn ident(p: Pair<'_, Rule>) -> Ident {
    Ident {
        name: p.as_str().to_string(),
        span: span_of(&p),
    }
}

fn string_lit(p: Pair<'_, Rule>) -> StringLit {
    let span = span_of(&p);
    StringLit {
        value: p
            .into_inner()
            .next()
            .map_or(String::new(), |b| b.as_str().to_string()),
        span,
    }
}

fn type_name(p: Pair<'_, Rule>) -> Type {
    match p.into_inner().next().map(|k| k.as_rule()) {
        Some(Rule::k_fe) => Type::Fe,
        Some(Rule::k_expr) => Type::Expr,
        Some(Rule::k_string) => Type::String,
        _ => Type::Int,
    }
}

fn count_marks(p: &Pair<'_, Rule>) -> usize {
    p.as_str().matches('[').count()
}

fn binary_op(rule: Rule) -> BinaryOp {
    match rule {
        Rule::op_or => BinaryOp::Or,
        Rule::op_and => BinaryOp::And,
        Rule::op_bitor => BinaryOp::BitOr,
        Rule::op_bitxor => BinaryOp::BitXor,
        Rule::op_bitand => BinaryOp::BitAnd,
        Rule::op_in => BinaryOp::In,
        Rule::op_eq => BinaryOp::Eq,
        Rule::op_ne => BinaryOp::Ne,
        Rule::op_lt => BinaryOp::Lt,
        Rule::op_gt => BinaryOp::Gt,
        Rule::op_le => BinaryOp::Le,
        Rule::op_ge => BinaryOp::Ge,
        Rule::op_shl => BinaryOp::Shl,
        Rule::op_shr => BinaryOp::Shr,
        Rule::op_add => BinaryOp::Add,
        Rule::op_sub => BinaryOp::Sub,
        Rule::op_mul => BinaryOp::Mul,
        Rule::op_div => BinaryOp::Div,
        Rule::op_mod => BinaryOp::Mod,
        Rule::op_idiv => BinaryOp::IntDiv,
        _ => BinaryOp::Pow,
    }
}

/// Byte offset of the innermost `{` that is still open at the end of `text`, skipping
/// comments and string literals.
fn unclosed_brace(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut stack = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 1);
            }
            q @ (b'"' | b'`') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' => stack.push(i),
            b'}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    stack.pop()
}

/// `true` when the literal starting at `rest` (opening quote `q`) is closed somewhere.
fn unterminated_ok(rest: &str, q: char) -> bool {
    let mut chars = rest.chars().skip(1);
    while let Some(c) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if c == q {
            return true;
        }
    }
    false
}
