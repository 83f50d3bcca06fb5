//! The compile-time interpreter: runs a PIL program and records every AIR into the [`Ir`].
//!
//! PIL2 is executed, not translated: loops, functions, templates and integer arithmetic run
//! here; declarations of columns and values, constraints and bus calls are the side effects
//! that end up in the IR. Errors become [`Diagnostic`]s and the offending statement is
//! skipped, so one run reports every error it can find.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use zisk_pil_parser::ast::{
    self, Arg, ArrayItem, AssignOp, AssignTarget, BinaryOp, ColAttr, ColKind as AstColKind,
    ExprKind, NameSeg, SeqKind, Span, StmtKind, StrOrTemplate, TemplatePart, Type, UnaryOp,
    ValueKind,
};
use zisk_pil_parser::{Label, SourceSpan};

use crate::check;
use crate::diag::{Code, Diagnostic};
use crate::ir::{
    self, Air, Bits, BusKind, ColKind, ColumnGroup, Constraint, ConstraintKind, Direction, Expr,
    FixedData, Interaction, Ir, Loc, RangeDef, Scope as IScope, SeqItem, Sequence, ValueGroup,
    GOLDILOCKS_PRIME, MAX_DEGREE, RANGE_BUS_BASE,
};

/// Supplies the text of `.pil` files by path (relative to the PIL root, `/`-separated).
pub trait SourceLoader {
    /// Returns the file's text, or `None` if there is no such file.
    fn load(&mut self, path: &str) -> Option<String>;
}

impl<F: FnMut(&str) -> Option<String>> SourceLoader for F {
    fn load(&mut self, path: &str) -> Option<String> {
        self(path)
    }
}

/// The result of [`compile`]: the IR (partial if there were errors), every diagnostic, and
/// the text of every file read, keyed by path, for rendering the diagnostics.
#[derive(Debug)]
pub struct Compilation {
    /// The compiled program.
    pub ir: Ir,
    /// Every error found, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// Path → text of every file loaded.
    pub sources: BTreeMap<String, String>,
}

/// Compiles the root files (each executed once, as if `require`d, in the given order) into
/// one [`Ir`], running the cross-AIR checks at the end.
pub fn compile(roots: &[&str], loader: &mut dyn SourceLoader) -> Compilation {
    let mut c = Compiler::new(loader);
    for root in roots {
        c.require_path(root, None);
    }
    let bus_diags = check::check_buses(&c.ir, &c.files_by_name());
    let mut diagnostics = c.diags;
    diagnostics.extend(bus_diags);
    let sources = c
        .files
        .iter()
        .map(|f| (f.name.clone(), f.text.to_string()))
        .collect();
    Compilation {
        ir: c.ir,
        diagnostics,
        sources,
    }
}

/// Marker: a diagnostic has been recorded and the current statement is abandoned.
#[derive(Debug)]
struct Fail;

type R<T> = Result<T, Fail>;

type FileId = usize;

struct FileInfo {
    name: String,
    text: Rc<str>,
}

#[derive(Clone, Debug, PartialEq)]
enum Value {
    Int(i128),
    Str(String),
    Expr(Expr),
    Array(Vec<Value>),
    Void,
}

impl Value {
    fn describe(&self) -> &'static str {
        match self {
            Value::Int(_) => "an integer",
            Value::Str(_) => "a string",
            Value::Expr(_) => "an expression",
            Value::Array(_) => "an array",
            Value::Void => "nothing",
        }
    }

    fn display(&self) -> String {
        match self {
            Value::Int(v) => v.to_string(),
            Value::Str(s) => s.clone(),
            Value::Expr(Expr::Const(c)) => c.to_string(),
            Value::Expr(_) => "<expr>".to_string(),
            Value::Array(items) => {
                let parts: Vec<String> = items.iter().map(Value::display).collect();
                format!("[{}]", parts.join(", "))
            }
            Value::Void => String::new(),
        }
    }

    fn shifted(&self, by: i64) -> Value {
        match self {
            Value::Expr(e) => Value::Expr(e.shifted(by)),
            Value::Array(items) => Value::Array(items.iter().map(|v| v.shifted(by)).collect()),
            other => other.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VarTy {
    Int,
    Expr,
    Str,
    Col,
    Val,
    Any,
}

impl VarTy {
    fn from_ast(ty: Type) -> VarTy {
        match ty {
            Type::Int | Type::Fe => VarTy::Int,
            Type::Expr => VarTy::Expr,
            Type::String => VarTy::Str,
        }
    }

    fn default_value(self) -> Value {
        match self {
            VarTy::Int | VarTy::Any => Value::Int(0),
            VarTy::Expr | VarTy::Col | VarTy::Val => Value::Expr(Expr::Const(0)),
            VarTy::Str => Value::Str(String::new()),
        }
    }
}

struct Var {
    ty: VarTy,
    is_const: bool,
    assigned: bool,
    value: Value,
    decl: SourceSpan,
}

struct FnDef {
    def: ast::FunctionDef,
    file: FileId,
}

struct TplDef {
    def: ast::AirTemplate,
    file: FileId,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ScopeKind {
    Global,
    AirGroup,
    Air,
    Function,
    Block,
}

struct Scope {
    kind: ScopeKind,
    vars: HashMap<String, Var>,
    funcs: HashMap<String, Rc<FnDef>>,
}

impl Scope {
    fn new(kind: ScopeKind) -> Self {
        Scope {
            kind,
            vars: HashMap::new(),
            funcs: HashMap::new(),
        }
    }
}

enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

#[derive(Default)]
struct FixedSlot {
    seq: Option<Sequence>,
    values: Option<Vec<u64>>,
}

struct AirState {
    airgroup: String,
    is_virtual: bool,
    loc: Loc,
    witness: Vec<ColumnGroup>,
    fixed: Vec<ColumnGroup>,
    fixed_slots: Vec<FixedSlot>,
    airvals: Vec<ValueGroup>,
    constraints: Vec<Constraint>,
    interactions: Vec<Interaction>,
    names: BTreeMap<String, SourceSpan>,
}

const MAX_LOOP_ITERATIONS: u64 = 1 << 28;
const MAX_CALL_DEPTH: usize = 256;
const MAX_LOG_N: u32 = 32;

struct Compiler<'l> {
    loader: &'l mut dyn SourceLoader,
    files: Vec<FileInfo>,
    file_ids: HashMap<String, FileId>,
    required: BTreeSet<String>,
    diags: Vec<Diagnostic>,
    seen: HashSet<(String, usize, usize, String)>,
    templates: BTreeMap<String, Rc<TplDef>>,
    scopes: Vec<Scope>,
    file: FileId,
    air: Option<AirState>,
    airgroup: Option<String>,
    ir: Ir,
    ranges: BTreeMap<(i64, i64), usize>,
    stmt: Option<(FileId, Span)>,
    depth: usize,
    public_names: BTreeMap<String, SourceSpan>,
}

fn loc_of(span: &SourceSpan) -> Loc {
    Loc {
        file: span.file.clone(),
        line: span.line,
        col: span.col,
        start: span.range.start,
        end: span.range.end,
    }
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn parse_number(text: &str) -> Option<i128> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    if let Some(hex) = clean
        .strip_prefix("0x")
        .or_else(|| clean.strip_prefix("0X"))
    {
        i128::from_str_radix(hex, 16).ok()
    } else {
        clean.parse::<i128>().ok()
    }
}

fn e_add(a: Expr, b: Expr) -> Expr {
    match (a, b) {
        (Expr::Const(x), Expr::Const(y)) => {
            Expr::Const(((u128::from(x) + u128::from(y)) % u128::from(GOLDILOCKS_PRIME)) as u64)
        }
        (Expr::Const(0), e) | (e, Expr::Const(0)) => e,
        (a, b) => Expr::Add(Box::new(a), Box::new(b)),
    }
}

fn e_sub(a: Expr, b: Expr) -> Expr {
    match (a, b) {
        (Expr::Const(x), Expr::Const(y)) => Expr::Const(
            ((u128::from(x) + u128::from(GOLDILOCKS_PRIME) - u128::from(y))
                % u128::from(GOLDILOCKS_PRIME)) as u64,
        ),
        (e, Expr::Const(0)) => e,
        (Expr::Const(0), e) => e_neg(e),
        (a, b) => Expr::Sub(Box::new(a), Box::new(b)),
    }
}

fn e_mul(a: Expr, b: Expr) -> Expr {
    match (a, b) {
        (Expr::Const(x), Expr::Const(y)) => {
            Expr::Const(((u128::from(x) * u128::from(y)) % u128::from(GOLDILOCKS_PRIME)) as u64)
        }
        (Expr::Const(0), _) | (_, Expr::Const(0)) => Expr::Const(0),
        (Expr::Const(1), e) | (e, Expr::Const(1)) => e,
        (a, b) => Expr::Mul(Box::new(a), Box::new(b)),
    }
}

fn e_neg(a: Expr) -> Expr {
    match a {
        Expr::Const(x) => Expr::Const((GOLDILOCKS_PRIME - x) % GOLDILOCKS_PRIME),
        Expr::Neg(inner) => *inner,
        e => Expr::Neg(Box::new(e)),
    }
}

/// Builds nested arrays of `make(flat_index)` with the given dimensions.
fn shaped(dims: &[usize], start: &mut usize, make: &mut impl FnMut(usize) -> Value) -> Value {
    match dims.split_first() {
        None => {
            let v = make(*start);
            *start += 1;
            v
        }
        Some((&len, rest)) => Value::Array((0..len).map(|_| shaped(rest, start, make)).collect()),
    }
}

/// Built-in bus calls: (name, kind, direction, scope, parameter names, required count).
struct BusBuiltin {
    kind: BusKind,
    direction: Direction,
    scope: IScope,
    params: &'static [&'static str],
    required: usize,
}

fn bus_builtin(name: &str) -> Option<BusBuiltin> {
    const ASSUMES: &[&str] = &[
        "opid",
        "expressions",
        "sel",
        "sel_is_binary",
        "name",
        "surname",
    ];
    const PROVES: &[&str] = &["opid", "expressions", "mul", "name", "surname", "table_id"];
    const PERM: &[&str] = &["opid", "expressions", "sel", "sel_is_binary", "bus_type"];
    const FREE: &[&str] = &["opid", "expressions", "mul"];
    const FREE_PERM: &[&str] = &["opid", "expressions", "sel"];
    const DIRECT: &[&str] = &["opid", "expressions", "sel"];
    const RANGE: &[&str] = &["expression", "min", "max", "sel", "predefined"];
    let b = |kind, direction, scope, params, required| {
        Some(BusBuiltin {
            kind,
            direction,
            scope,
            params,
            required,
        })
    };
    use BusKind::*;
    use Direction::*;
    match name {
        "lookup_assumes" => b(Lookup, Assume, IScope::Row, ASSUMES, 2),
        "lookup_proves" => b(Lookup, Prove, IScope::Row, PROVES, 2),
        "lookup" => b(Lookup, Free, IScope::Row, FREE, 3),
        "permutation_assumes" => b(Permutation, Assume, IScope::Row, PERM, 2),
        "permutation_proves" => b(Permutation, Prove, IScope::Row, PERM, 2),
        "permutation" => b(Permutation, Free, IScope::Row, FREE_PERM, 3),
        "range_check" => b(RangeCheck, Assume, IScope::Row, RANGE, 3),
        "direct_update_assumes" => b(Direct, Assume, IScope::Instance, DIRECT, 2),
        "direct_update_proves" => b(Direct, Prove, IScope::Instance, DIRECT, 2),
        "direct_global_update_assumes" => b(Direct, Assume, IScope::Global, DIRECT, 2),
        "direct_global_update_proves" => b(Direct, Prove, IScope::Global, DIRECT, 2),
        _ => None,
    }
}

const PLAIN_BUILTINS: &[&str] = &[
    "assert",
    "assert_eq",
    "error",
    "println",
    "log",
    "length",
    "degree",
    "log2",
    "defined",
];

impl<'l> Compiler<'l> {
    fn new(loader: &'l mut dyn SourceLoader) -> Self {
        let mut global = Scope::new(ScopeKind::Global);
        let builtin_span = SourceSpan {
            file: "<builtin>".to_string(),
            line: 0,
            col: 0,
            range: 0..0,
        };
        global.vars.insert(
            "PRIME".to_string(),
            Var {
                ty: VarTy::Int,
                is_const: true,
                assigned: true,
                value: Value::Int(i128::from(GOLDILOCKS_PRIME)),
                decl: builtin_span,
            },
        );
        Compiler {
            loader,
            files: Vec::new(),
            file_ids: HashMap::new(),
            required: BTreeSet::new(),
            diags: Vec::new(),
            seen: HashSet::new(),
            templates: BTreeMap::new(),
            scopes: vec![global],
            file: 0,
            air: None,
            airgroup: None,
            ir: Ir::default(),
            ranges: BTreeMap::new(),
            stmt: None,
            depth: 0,
            public_names: BTreeMap::new(),
        }
    }

    fn files_by_name(&self) -> BTreeMap<String, String> {
        self.files
            .iter()
            .map(|f| (f.name.clone(), f.text.to_string()))
            .collect()
    }

    // ----- diagnostics -------------------------------------------------------------------

    fn sspan(&self, span: Span) -> SourceSpan {
        match self.files.get(self.file) {
            Some(f) => SourceSpan::new(&f.text, &f.name, span.start..span.end),
            None => SourceSpan {
                file: "<root>".to_string(),
                line: 1,
                col: 1,
                range: 0..0,
            },
        }
    }

    fn report(&mut self, code: Code, span: Span, message: impl Into<String>) -> Fail {
        let sspan = self.sspan(span);
        self.report_at(code, sspan, message.into(), Vec::new())
    }

    fn report_at(
        &mut self,
        code: Code,
        span: SourceSpan,
        message: String,
        labels: Vec<Label>,
    ) -> Fail {
        let key = (
            span.file.clone(),
            span.range.start,
            span.range.end,
            message.clone(),
        );
        if self.seen.insert(key) {
            self.diags.push(Diagnostic {
                code,
                span,
                message,
                labels,
            });
        }
        Fail
    }

    fn stmt_loc_text(&self) -> (Loc, String) {
        match self.stmt {
            Some((file, span)) => {
                let f = &self.files[file];
                let s = SourceSpan::new(&f.text, &f.name, span.start..span.end);
                let text = collapse_ws(f.text.get(span.start..span.end).unwrap_or(""));
                (loc_of(&s), text)
            }
            None => (
                Loc {
                    file: "<unknown>".to_string(),
                    line: 0,
                    col: 0,
                    start: 0,
                    end: 0,
                },
                String::new(),
            ),
        }
    }

    // ----- files -----------------------------------------------------------------------

    fn resolve_path(&mut self, path: &str) -> Option<(String, String)> {
        let mut candidates = Vec::new();
        if let Some(cur) = self.files.get(self.file) {
            if let Some(dir) = cur.name.rfind('/').map(|i| &cur.name[..i]) {
                candidates.push(normalize(&format!("{dir}/{path}")));
            }
        }
        candidates.push(normalize(path));
        for cand in candidates {
            if let Some(&id) = self.file_ids.get(&cand) {
                return Some((cand, self.files[id].text.to_string()));
            }
            if let Some(text) = self.loader.load(&cand) {
                return Some((cand, text));
            }
        }
        None
    }

    fn require_path(&mut self, path: &str, at: Option<Span>) {
        self.load_and_run(path, at, true);
    }

    fn load_and_run(&mut self, path: &str, at: Option<Span>, once: bool) {
        let Some((name, text)) = self.resolve_path(path) else {
            match at {
                Some(span) => {
                    self.report(
                        Code::FileNotFound,
                        span,
                        format!("cannot find file `{path}`"),
                    );
                }
                None => {
                    let span = SourceSpan {
                        file: path.to_string(),
                        line: 1,
                        col: 1,
                        range: 0..0,
                    };
                    self.report_at(
                        Code::FileNotFound,
                        span,
                        format!("cannot find file `{path}`"),
                        Vec::new(),
                    );
                }
            }
            return;
        };
        if once && !self.required.insert(name.clone()) {
            return;
        }
        let id = match self.file_ids.get(&name) {
            Some(&id) => id,
            None => {
                let id = self.files.len();
                self.files.push(FileInfo {
                    name: name.clone(),
                    text: Rc::from(text.as_str()),
                });
                self.file_ids.insert(name.clone(), id);
                id
            }
        };
        let (ast, parse_diags) = zisk_pil_parser::parse(&text, &name);
        for d in parse_diags {
            let d = Diagnostic::from_parser(d);
            let key = (
                d.span.file.clone(),
                d.span.range.start,
                d.span.range.end,
                d.message.clone(),
            );
            if self.seen.insert(key) {
                self.diags.push(d);
            }
        }
        let Some(ast) = ast else { return };
        let saved = self.file;
        self.file = id;
        self.depth += 1;
        if self.depth > MAX_CALL_DEPTH {
            self.report(
                Code::Eval,
                ast.span,
                "files include each other too deeply".to_string(),
            );
        } else {
            let _ = self.exec_stmts(&ast.stmts);
        }
        self.depth -= 1;
        self.file = saved;
    }

    // ----- scopes and names ---------------------------------------------------------------

    fn scope_index(&self, prefix: Option<&str>) -> Option<usize> {
        let kind = match prefix {
            None => return Some(self.scopes.len() - 1),
            Some("air") => ScopeKind::Air,
            Some("airgroup") => ScopeKind::AirGroup,
            Some("proof") => ScopeKind::Global,
            Some(_) => return None,
        };
        self.scopes.iter().rposition(|s| s.kind == kind)
    }

    fn find_var(&self, prefix: Option<&str>, name: &str) -> Option<usize> {
        if prefix.is_some() {
            let i = self.scope_index(prefix)?;
            return self.scopes[i].vars.contains_key(name).then_some(i);
        }
        let mut crossed_fn = false;
        for (i, s) in self.scopes.iter().enumerate().rev() {
            if crossed_fn && matches!(s.kind, ScopeKind::Block | ScopeKind::Function) {
                continue;
            }
            if s.vars.contains_key(name) {
                return Some(i);
            }
            if s.kind == ScopeKind::Function {
                crossed_fn = true;
            }
        }
        None
    }

    fn find_fn(&self, name: &str) -> Option<Rc<FnDef>> {
        let mut crossed_fn = false;
        for s in self.scopes.iter().rev() {
            if crossed_fn && matches!(s.kind, ScopeKind::Block | ScopeKind::Function) {
                continue;
            }
            if let Some(f) = s.funcs.get(name) {
                return Some(f.clone());
            }
            if s.kind == ScopeKind::Function {
                crossed_fn = true;
            }
        }
        None
    }

    /// Splits a name into an optional scope prefix and the identifier.
    fn split_name(&mut self, name: &ast::Name) -> R<(Option<String>, String)> {
        let mut segs = Vec::new();
        for seg in &name.segs {
            match seg {
                NameSeg::Ident(id) => segs.push(id.name.clone()),
                NameSeg::Template(t) => {
                    let s = self.eval_template(t)?;
                    segs.push(s);
                }
            }
        }
        match segs.len() {
            1 => Ok((None, segs.pop().unwrap_or_default())),
            2 if matches!(segs[0].as_str(), "air" | "airgroup" | "proof") => {
                let ident = segs.pop().unwrap_or_default();
                Ok((segs.pop(), ident))
            }
            _ => Err(self.report(
                Code::UnknownName,
                name.span,
                format!(
                    "unknown name `{}` (dotted names other than `air.`, `airgroup.`, `proof.` are not supported)",
                    segs.join(".")
                ),
            )),
        }
    }

    fn declare(
        &mut self,
        prefix: Option<&str>,
        name: &str,
        span: Span,
        var: impl FnOnce(SourceSpan) -> Var,
    ) -> R<()> {
        let Some(idx) = self.scope_index(prefix) else {
            return Err(self.report(
                Code::Context,
                span,
                format!("`{}.` is not available here", prefix.unwrap_or_default()),
            ));
        };
        let sspan = self.sspan(span);
        if let Some(prev) = self.scopes[idx].vars.get(name) {
            let label = Label {
                span: prev.decl.clone(),
                message: "first declared here".to_string(),
            };
            return Err(self.report_at(
                Code::Duplicate,
                sspan,
                format!("`{name}` is declared twice in the same scope"),
                vec![label],
            ));
        }
        let v = var(sspan);
        self.scopes[idx].vars.insert(name.to_string(), v);
        Ok(())
    }

    fn declare_simple(&mut self, name: &str, span: Span, ty: VarTy, value: Value) -> R<()> {
        self.declare(None, name, span, |decl| Var {
            ty,
            is_const: false,
            assigned: true,
            value,
            decl,
        })
    }

    // ----- statements -------------------------------------------------------------------

    fn exec_stmts(&mut self, stmts: &[ast::Stmt]) -> R<Flow> {
        for s in stmts {
            match self.exec_stmt(s) {
                Ok(Flow::Normal) | Err(Fail) => {}
                Ok(flow) => return Ok(flow),
            }
        }
        Ok(Flow::Normal)
    }

    fn exec_block(&mut self, stmts: &[ast::Stmt]) -> R<Flow> {
        self.scopes.push(Scope::new(ScopeKind::Block));
        let r = self.exec_stmts(stmts);
        self.scopes.pop();
        r
    }

    fn exec_body(&mut self, stmt: &ast::Stmt) -> R<Flow> {
        match &stmt.kind {
            StmtKind::Block(b) => self.exec_block(&b.stmts),
            _ => {
                self.scopes.push(Scope::new(ScopeKind::Block));
                let r = self.exec_stmt(stmt);
                self.scopes.pop();
                r
            }
        }
    }

    fn exec_stmt(&mut self, stmt: &ast::Stmt) -> R<Flow> {
        let span = stmt.span;
        match &stmt.kind {
            StmtKind::Empty | StmtKind::Pragma(_) => Ok(Flow::Normal),
            StmtKind::Require(path) | StmtKind::Include(path) => {
                let once = matches!(stmt.kind, StmtKind::Require(_));
                let p = self.eval_str_or_template(path)?;
                self.load_and_run(&p, Some(span), once);
                Ok(Flow::Normal)
            }
            StmtKind::AirTemplate(t) => {
                let name = t.name.name.clone();
                if let Some(prev) = self.templates.get(&name) {
                    let f = &self.files[prev.file];
                    let prev_span = SourceSpan::new(
                        &f.text,
                        &f.name,
                        prev.def.name.span.start..prev.def.name.span.end,
                    );
                    let sspan = self.sspan(t.name.span);
                    return Err(self.report_at(
                        Code::Duplicate,
                        sspan,
                        format!("airtemplate `{name}` is defined twice"),
                        vec![Label {
                            span: prev_span,
                            message: "first defined here".to_string(),
                        }],
                    ));
                }
                self.templates.insert(
                    name,
                    Rc::new(TplDef {
                        def: t.clone(),
                        file: self.file,
                    }),
                );
                Ok(Flow::Normal)
            }
            StmtKind::AirGroup(g) => {
                if self.air.is_some() || self.airgroup.is_some() {
                    return Err(self.report(
                        Code::Context,
                        g.name.span,
                        "an airgroup cannot be nested in another airgroup or air",
                    ));
                }
                self.airgroup = Some(g.name.name.clone());
                self.scopes.push(Scope::new(ScopeKind::AirGroup));
                let r = self.exec_stmts(&g.body.stmts);
                self.scopes.pop();
                self.airgroup = None;
                r.map(|_| Flow::Normal)
            }
            StmtKind::Function(f) => {
                let name = f.name.name.clone();
                if bus_builtin(&name).is_some() || PLAIN_BUILTINS.contains(&name.as_str()) {
                    return Err(self.report(
                        Code::Duplicate,
                        f.name.span,
                        format!("`{name}` is a built-in and cannot be redefined"),
                    ));
                }
                let def = Rc::new(FnDef {
                    def: f.clone(),
                    file: self.file,
                });
                let top = self.scopes.len() - 1;
                if self.scopes[top].funcs.contains_key(&name) {
                    return Err(self.report(
                        Code::Duplicate,
                        f.name.span,
                        format!("function `{name}` is defined twice"),
                    ));
                }
                self.scopes[top].funcs.insert(name, def);
                Ok(Flow::Normal)
            }
            StmtKind::Container(_) | StmtKind::Use(_) => {
                Err(self.report(Code::Unsupported, span, "containers are not supported"))
            }
            StmtKind::Hint(_) => Err(self.report(
                Code::Unsupported,
                span,
                "hints are not supported (buses and witness hints are built in)",
            )),
            StmtKind::OnFinal(_) => Err(self.report(
                Code::Unsupported,
                span,
                "`on final` hooks are not supported",
            )),
            StmtKind::Commit(_) => {
                Err(self.report(Code::Unsupported, span, "custom commits are not supported"))
            }
            StmtKind::If(i) => {
                let c = self.eval_cond(&i.cond)?;
                if c {
                    self.exec_body(&i.then)
                } else if let Some(o) = &i.otherwise {
                    self.exec_body(o)
                } else {
                    Ok(Flow::Normal)
                }
            }
            StmtKind::For(f) => {
                self.scopes.push(Scope::new(ScopeKind::Block));
                let r = self.exec_for(f, span);
                self.scopes.pop();
                r
            }
            StmtKind::ForIn(f) => self.exec_for_in(f, span),
            StmtKind::While(w) => {
                let mut n = 0u64;
                while self.eval_cond(&w.cond)? {
                    n += 1;
                    if n > MAX_LOOP_ITERATIONS {
                        return Err(self.report(Code::Eval, span, "loop runs too long"));
                    }
                    match self.exec_body(&w.body)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                }
                Ok(Flow::Normal)
            }
            StmtKind::DoWhile(w) => {
                let mut n = 0u64;
                loop {
                    n += 1;
                    if n > MAX_LOOP_ITERATIONS {
                        return Err(self.report(Code::Eval, span, "loop runs too long"));
                    }
                    match self.exec_block(&w.body.stmts)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        _ => {}
                    }
                    if !self.eval_cond(&w.cond)? {
                        break;
                    }
                }
                Ok(Flow::Normal)
            }
            StmtKind::Switch(s) => self.exec_switch(s),
            StmtKind::Block(b) => self.exec_block(&b.stmts),
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::Void,
                };
                Ok(Flow::Return(v))
            }
            StmtKind::Break => Ok(Flow::Break),
            StmtKind::Continue => Ok(Flow::Continue),
            StmtKind::Col(c) => self.exec_col(c, span).map(|_| Flow::Normal),
            StmtKind::Value(v) => self.exec_value_decl(v, span).map(|_| Flow::Normal),
            StmtKind::Var(v) => self.exec_var_decl(v, span).map(|_| Flow::Normal),
            StmtKind::Instance(inst) => {
                let alias = match &inst.alias {
                    None => None,
                    Some(ast::AliasName::Ident(id)) => Some(id.name.clone()),
                    Some(ast::AliasName::Str(s)) => Some(s.value.clone()),
                    Some(ast::AliasName::Template(t)) => Some(self.eval_template(t)?),
                };
                self.stmt = Some((self.file, span));
                self.instantiate(&inst.call, alias, inst.is_virtual)
                    .map(|_| Flow::Normal)
            }
            StmtKind::Assign(a) => self.exec_assign(a, span).map(|_| Flow::Normal),
            StmtKind::IncDec(i) => {
                let one = Value::Int(1);
                let op = if i.increment {
                    BinaryOp::Add
                } else {
                    BinaryOp::Sub
                };
                let indices = self.eval_indices(&i.target.indices)?;
                let cur = self.read_ref(&i.target, &indices)?;
                let new = self.binary(op, cur, one, span)?;
                self.write_ref(&i.target, &indices, new, span)?;
                Ok(Flow::Normal)
            }
            StmtKind::Constraint(l, r) | StmtKind::WitnessAssign(l, r) => {
                let is_assign = matches!(stmt.kind, StmtKind::WitnessAssign(..));
                self.stmt = Some((self.file, span));
                let lv = self.eval(l)?;
                let rv = self.eval(r)?;
                if self.air.is_none() {
                    return Err(self.report(
                        Code::Unsupported,
                        span,
                        "constraints outside an air (global constraints) are not supported",
                    ));
                }
                let le = self.as_expr(lv, l.span)?;
                let re = self.as_expr(rv, r.span)?;
                let kind = if is_assign {
                    if !matches!(
                        le,
                        Expr::Col {
                            kind: ColKind::Witness,
                            offset: 0,
                            ..
                        }
                    ) {
                        return Err(self.report(
                            Code::Type,
                            l.span,
                            "the left side of `<==` must be a witness column",
                        ));
                    }
                    ConstraintKind::WitnessAssign
                } else {
                    ConstraintKind::Equal
                };
                self.add_constraint(e_sub(le, re), kind, span)?;
                Ok(Flow::Normal)
            }
            StmtKind::Expr(e) => {
                self.stmt = Some((self.file, span));
                if let ExprKind::Call(call) = &e.kind {
                    let callee = self.callee_name(call)?;
                    if self.templates.contains_key(&callee) && self.find_fn(&callee).is_none() {
                        self.instantiate(call, None, false)?;
                        return Ok(Flow::Normal);
                    }
                }
                self.eval(e)?;
                Ok(Flow::Normal)
            }
        }
    }

    fn exec_for(&mut self, f: &ast::For, span: Span) -> R<Flow> {
        if let Some(init) = &f.init {
            self.exec_stmt(init)?;
        }
        let mut n = 0u64;
        loop {
            if let Some(c) = &f.cond {
                if !self.eval_cond(c)? {
                    break;
                }
            }
            n += 1;
            if n > MAX_LOOP_ITERATIONS {
                return Err(self.report(Code::Eval, span, "loop runs too long"));
            }
            match self.exec_body(&f.body)? {
                Flow::Break => break,
                Flow::Return(v) => return Ok(Flow::Return(v)),
                _ => {}
            }
            for s in &f.steps {
                self.exec_stmt(s)?;
            }
        }
        Ok(Flow::Normal)
    }

    fn exec_for_in(&mut self, f: &ast::ForIn, span: Span) -> R<Flow> {
        let items = match self.eval(&f.iter)? {
            Value::Array(items) => items,
            other => {
                return Err(self.report(
                    Code::Type,
                    f.iter.span,
                    format!("`for … in` needs an array, found {}", other.describe()),
                ))
            }
        };
        let (_, name) = self.split_name(&f.var)?;
        for item in items {
            self.scopes.push(Scope::new(ScopeKind::Block));
            let flow = self
                .declare_simple(&name, f.var.span, VarTy::Any, item)
                .and_then(|_| self.exec_body(&f.body));
            self.scopes.pop();
            match flow? {
                Flow::Break => break,
                Flow::Return(v) => return Ok(Flow::Return(v)),
                _ => {}
            }
        }
        let _ = span;
        Ok(Flow::Normal)
    }

    fn exec_switch(&mut self, s: &ast::Switch) -> R<Flow> {
        let v = self.eval(&s.value)?;
        for case in &s.cases {
            let mut hit = false;
            for label in &case.labels {
                match label {
                    ast::CaseLabel::Value(e) => {
                        let lv = self.eval(e)?;
                        if lv == v {
                            hit = true;
                        }
                    }
                    ast::CaseLabel::Range(a, b) => {
                        let lo = self.eval_int(a)?;
                        let hi = self.eval_int(b)?;
                        if let Value::Int(x) = v {
                            if lo <= x && x <= hi {
                                hit = true;
                            }
                        }
                    }
                }
            }
            if hit {
                return self.exec_block(&case.body);
            }
        }
        match &s.default {
            Some(body) => self.exec_block(body),
            None => Ok(Flow::Normal),
        }
    }

    // ----- declarations ---------------------------------------------------------------

    fn eval_dims(&mut self, dims: &[Option<ast::Expr>], span: Span) -> R<Vec<usize>> {
        let mut out = Vec::new();
        for d in dims {
            match d {
                Some(e) => {
                    let v = self.eval_int(e)?;
                    if !(0..=1 << 32).contains(&v) {
                        return Err(self.report(
                            Code::Index,
                            e.span,
                            format!("array length {v} is out of range"),
                        ));
                    }
                    out.push(v as usize);
                }
                None => {
                    return Err(self.report(
                        Code::Type,
                        span,
                        "an array without a length needs an initialiser",
                    ))
                }
            }
        }
        Ok(out)
    }

    fn exec_var_decl(&mut self, v: &ast::VarDecl, span: Span) -> R<()> {
        let ty = VarTy::from_ast(v.ty);
        let init = v.init.as_ref().map(|e| (self.eval(e), e.span));
        match &v.target {
            ast::VarTarget::Items(items) => {
                let mut result = Ok(());
                for item in items {
                    let (prefix, name) = self.split_name(&item.name)?;
                    let value = match &init {
                        Some((Ok(val), vspan)) => {
                            let val = self.coerce(ty, val.clone(), *vspan)?;
                            Some(val)
                        }
                        Some((Err(_), _)) => {
                            result = Err(Fail);
                            None
                        }
                        None => None,
                    };
                    let value = match value {
                        Some(v) => v,
                        None => {
                            let dims = if item.dims.iter().all(Option::is_some) {
                                self.eval_dims(&item.dims, item.span)?
                            } else if init.is_some() {
                                Vec::new()
                            } else {
                                return Err(self.report(
                                    Code::Type,
                                    item.span,
                                    "an array without a length needs an initialiser",
                                ));
                            };
                            shaped(&dims, &mut 0, &mut |_| ty.default_value())
                        }
                    };
                    let assigned = v.init.is_some() || !v.is_const;
                    self.declare(prefix.as_deref(), &name, item.span, |decl| Var {
                        ty,
                        is_const: v.is_const,
                        assigned,
                        value,
                        decl,
                    })?;
                }
                result
            }
            ast::VarTarget::Destructure(names) => {
                let Some((Ok(val), vspan)) = init else {
                    return Err(Fail);
                };
                let Value::Array(items) = val else {
                    return Err(self.report(
                        Code::Type,
                        vspan,
                        format!("cannot destructure {}", val.describe()),
                    ));
                };
                if items.len() != names.len() {
                    return Err(self.report(
                        Code::Arity,
                        span,
                        format!(
                            "{} names but the array has {} elements",
                            names.len(),
                            items.len()
                        ),
                    ));
                }
                for (n, item) in names.iter().zip(items) {
                    let (prefix, name) = self.split_name(n)?;
                    let item = self.coerce(ty, item, vspan)?;
                    self.declare(prefix.as_deref(), &name, n.span, |decl| Var {
                        ty,
                        is_const: v.is_const,
                        assigned: true,
                        value: item,
                        decl,
                    })?;
                }
                Ok(())
            }
        }
    }

    /// Checks a value against a declared type; ints are promoted for `expr`.
    fn coerce(&mut self, ty: VarTy, v: Value, span: Span) -> R<Value> {
        let ok = match (&v, ty) {
            (_, VarTy::Any) => true,
            (Value::Array(items), _) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.coerce(ty, i.clone(), span)?);
                }
                return Ok(Value::Array(out));
            }
            (Value::Int(_), VarTy::Int | VarTy::Expr) => true,
            (Value::Expr(_), VarTy::Expr) => true,
            (Value::Str(_), VarTy::Str) => true,
            (Value::Expr(_), VarTy::Col | VarTy::Val) => true,
            _ => false,
        };
        if ok {
            Ok(v)
        } else {
            let want = match ty {
                VarTy::Int => "an integer",
                VarTy::Expr => "an expression",
                VarTy::Str => "a string",
                VarTy::Col => "a column",
                VarTy::Val => "a value",
                VarTy::Any => "anything",
            };
            Err(self.report(
                Code::Type,
                span,
                format!("expected {want}, found {}", v.describe()),
            ))
        }
    }

    fn check_air_name(&mut self, name: &str, span: Span) -> R<()> {
        let sspan = self.sspan(span);
        let air = self.air.as_mut().ok_or(Fail)?;
        if let Some(prev) = air.names.get(name) {
            let label = Label {
                span: prev.clone(),
                message: "first declared here".to_string(),
            };
            return Err(self.report_at(
                Code::Duplicate,
                sspan,
                format!("duplicate column or airval `{name}` in this air"),
                vec![label],
            ));
        }
        air.names.insert(name.to_string(), sspan);
        Ok(())
    }

    fn exec_col(&mut self, c: &ast::ColDecl, span: Span) -> R<()> {
        if self.air.is_none() {
            return Err(self.report(
                Code::Context,
                span,
                "columns can only be declared inside an airtemplate",
            ));
        }
        let kind = match &c.kind {
            AstColKind::Witness => ColKind::Witness,
            AstColKind::Fixed => ColKind::Fixed,
            AstColKind::Custom(id) => {
                return Err(self.report(
                    Code::Unsupported,
                    id.span,
                    "columns of custom commits are not supported",
                ))
            }
        };
        let mut bits = None;
        for attr in &c.attrs {
            match attr {
                ColAttr::Bits { width, signed } => {
                    let w = self.eval_int(width)?;
                    if !(1..=64).contains(&w) {
                        return Err(self.report(
                            Code::Eval,
                            width.span,
                            format!("bit width {w} is not between 1 and 64"),
                        ));
                    }
                    bits = Some(Bits {
                        width: w as u32,
                        signed: *signed,
                    });
                }
                ColAttr::Stage(e) => {
                    let s = self.eval_int(e)?;
                    if s != 1 || kind != ColKind::Witness {
                        return Err(self.report(
                            Code::Unsupported,
                            e.span,
                            "only stage-1 witness columns are supported (bus columns are built in)",
                        ));
                    }
                }
                ColAttr::Virtual(e) => {
                    return Err(self.report(
                        Code::Unsupported,
                        e.span,
                        "virtual fixed columns are not supported",
                    ))
                }
            }
        }
        let seq = match (&c.init, kind) {
            (Some(e), ColKind::Witness) => {
                return Err(self.report(
                    Code::Type,
                    e.span,
                    "a witness column cannot have an initialiser",
                ))
            }
            (Some(e), ColKind::Fixed) => {
                let seq = self.eval_sequence(e)?;
                if let Some(n) = self.peek_n() {
                    if let Err(msg) = seq.expand(n as usize) {
                        return Err(self.report(Code::Eval, e.span, msg));
                    }
                }
                Some(seq)
            }
            (None, _) => None,
        };
        for item in &c.items {
            let (prefix, name) = self.split_name(&item.name)?;
            let dims = self.eval_dims(&item.dims, item.span)?;
            self.check_air_name(&name, item.span)?;
            let loc = loc_of(&self.sspan(item.span));
            let air = self.air.as_mut().ok_or(Fail)?;
            let groups = match kind {
                ColKind::Witness => &mut air.witness,
                ColKind::Fixed => &mut air.fixed,
            };
            let first = groups.iter().map(ColumnGroup::len).sum::<usize>();
            let group = ColumnGroup {
                name: name.clone(),
                dims: dims.clone(),
                first,
                bits,
                loc,
            };
            let count = group.len();
            groups.push(group);
            if kind == ColKind::Fixed {
                for _ in 0..count {
                    air.fixed_slots.push(FixedSlot {
                        seq: seq.clone(),
                        values: None,
                    });
                }
            }
            let value = shaped(&dims, &mut first.clone(), &mut |index| {
                Value::Expr(Expr::Col {
                    kind,
                    index,
                    offset: 0,
                })
            });
            self.declare(prefix.as_deref(), &name, item.span, |decl| Var {
                ty: VarTy::Col,
                is_const: true,
                assigned: true,
                value,
                decl,
            })?;
        }
        Ok(())
    }

    fn exec_value_decl(&mut self, v: &ast::ValueDecl, span: Span) -> R<()> {
        for attr in &v.attrs {
            if let ast::ValueAttr::Stage(e) = attr {
                if self.eval_int(e)? != 1 {
                    return Err(self.report(
                        Code::Unsupported,
                        e.span,
                        "only stage-1 values are supported",
                    ));
                }
            }
        }
        for item in &v.items {
            let (prefix, name) = self.split_name(&item.name)?;
            let dims = self.eval_dims(&item.dims, item.span)?;
            let value = match v.kind {
                ValueKind::Public | ValueKind::ProofVal => {
                    let sspan = self.sspan(item.span);
                    if let Some(prev) = self.public_names.get(&name) {
                        let label = Label {
                            span: prev.clone(),
                            message: "first declared here".to_string(),
                        };
                        return Err(self.report_at(
                            Code::Duplicate,
                            sspan,
                            format!("`{name}` is declared twice"),
                            vec![label],
                        ));
                    }
                    self.public_names.insert(name.clone(), sspan);
                    let is_public = v.kind == ValueKind::Public;
                    let list = if is_public {
                        &mut self.ir.publics
                    } else {
                        &mut self.ir.proofvals
                    };
                    let first = list.iter().map(ValueGroup::len).sum::<usize>();
                    list.push(ValueGroup {
                        name: name.clone(),
                        dims: dims.clone(),
                        first,
                    });
                    shaped(&dims, &mut first.clone(), &mut |i| {
                        Value::Expr(if is_public {
                            Expr::Public(i)
                        } else {
                            Expr::ProofVal(i)
                        })
                    })
                }
                ValueKind::AirVal => {
                    if self.air.is_none() {
                        return Err(self.report(
                            Code::Context,
                            span,
                            "airvals can only be declared inside an airtemplate",
                        ));
                    }
                    self.check_air_name(&name, item.span)?;
                    let air = self.air.as_mut().ok_or(Fail)?;
                    let first = air.airvals.iter().map(ValueGroup::len).sum::<usize>();
                    air.airvals.push(ValueGroup {
                        name: name.clone(),
                        dims: dims.clone(),
                        first,
                    });
                    shaped(&dims, &mut first.clone(), &mut |i| {
                        Value::Expr(Expr::AirVal(i))
                    })
                }
                ValueKind::AirGroupVal | ValueKind::Challenge => {
                    return Err(self.report(
                        Code::Unsupported,
                        span,
                        "airgroupvals and challenges are not supported (buses are built in)",
                    ))
                }
            };
            let scope_prefix = match v.kind {
                ValueKind::Public | ValueKind::ProofVal if prefix.is_none() => {
                    Some("proof".to_string())
                }
                _ => prefix,
            };
            self.declare(scope_prefix.as_deref(), &name, item.span, |decl| Var {
                ty: VarTy::Val,
                is_const: true,
                assigned: true,
                value,
                decl,
            })?;
        }
        Ok(())
    }

    // ----- sequences ----------------------------------------------------------------------

    fn eval_sequence(&mut self, e: &ast::Expr) -> R<Sequence> {
        match &e.kind {
            ExprKind::Array { items, fill } => {
                let mut out = Vec::new();
                let mut fill_at = None;
                for item in items {
                    let (it, is_fill, span) = self.eval_seq_item(item)?;
                    if is_fill {
                        if fill_at.is_some() || *fill {
                            return Err(self.report(
                                Code::Eval,
                                span,
                                "a sequence can repeat only one item with `...`",
                            ));
                        }
                        fill_at = Some(out.len());
                    }
                    out.push(it);
                }
                if *fill {
                    Ok(Sequence {
                        items: vec![SeqItem::Block {
                            items: out,
                            times: 1,
                        }],
                        fill: Some(0),
                    })
                } else {
                    Ok(Sequence {
                        items: out,
                        fill: fill_at,
                    })
                }
            }
            _ => {
                let v = self.eval_int(e)?;
                Ok(Sequence {
                    items: vec![SeqItem::Value { value: v, times: 1 }],
                    fill: Some(0),
                })
            }
        }
    }

    fn eval_times(&mut self, t: &Option<ast::Expr>) -> R<u64> {
        match t {
            None => Ok(1),
            Some(e) => {
                let v = self.eval_int(e)?;
                u64::try_from(v).map_err(|_| {
                    self.report(Code::Eval, e.span, format!("repeat count {v} is negative"))
                })
            }
        }
    }

    fn eval_seq_item(&mut self, item: &ArrayItem) -> R<(SeqItem, bool, Span)> {
        match item {
            ArrayItem::Spread(e) => {
                let v = self.eval(e)?;
                let items = self.int_array_items(v, e.span)?;
                Ok((SeqItem::Block { items, times: 1 }, false, e.span))
            }
            ArrayItem::Seq(s) => {
                let it = match &s.kind {
                    SeqKind::Value { value, times } => {
                        let times = self.eval_times(times)?;
                        if let ExprKind::Array { .. } = value.kind {
                            let inner = self.eval_sequence(value)?;
                            if inner.fill.is_some() {
                                return Err(self.report(
                                    Code::Eval,
                                    value.span,
                                    "`...` is only allowed at the top level of a sequence",
                                ));
                            }
                            SeqItem::Block {
                                items: inner.items,
                                times,
                            }
                        } else {
                            match self.eval(value)? {
                                Value::Int(v) => SeqItem::Value { value: v, times },
                                other => {
                                    let items = self.int_array_items(other, value.span)?;
                                    SeqItem::Block { items, times }
                                }
                            }
                        }
                    }
                    SeqKind::Range(range) => {
                        let ast::SeqRange {
                            from,
                            from_times,
                            to,
                            to_times,
                        } = &**range;
                        let a = self.eval_int(from)?;
                        let b = self.eval_int(to)?;
                        let ta = self.eval_times(from_times)?;
                        let tb = self.eval_times(to_times)?;
                        let times = match (from_times.is_some(), to_times.is_some()) {
                            (true, true) if ta != tb => {
                                return Err(self.report(
                                    Code::Eval,
                                    s.span,
                                    format!("a range repeats its values {ta} and {tb} times"),
                                ))
                            }
                            (true, _) => ta,
                            (_, true) => tb,
                            _ => 1,
                        };
                        SeqItem::Range {
                            from: a,
                            to: b,
                            times,
                        }
                    }
                    SeqKind::Progression { .. } => {
                        return Err(self.report(
                            Code::Unsupported,
                            s.span,
                            "progressions (`..+..`, `..*..`) are not supported",
                        ))
                    }
                };
                Ok((it, s.fill, s.span))
            }
        }
    }

    fn int_array_items(&mut self, v: Value, span: Span) -> R<Vec<SeqItem>> {
        match v {
            Value::Int(x) => Ok(vec![SeqItem::Value { value: x, times: 1 }]),
            Value::Array(items) => {
                let mut out = Vec::new();
                for i in items {
                    out.extend(self.int_array_items(i, span)?);
                }
                Ok(out)
            }
            other => Err(self.report(
                Code::Type,
                span,
                format!(
                    "a fixed-column sequence needs integers, found {}",
                    other.describe()
                ),
            )),
        }
    }

    // ----- templates and functions -----------------------------------------------------------

    fn callee_name(&mut self, call: &ast::Call) -> R<String> {
        let (prefix, name) = self.split_name(&call.callee)?;
        if prefix.is_some() {
            return Err(self.report(
                Code::UnknownName,
                call.callee.span,
                format!("unknown function `{name}`"),
            ));
        }
        Ok(name)
    }

    /// Binds call arguments to parameter names; returns one slot per parameter.
    fn bind_args(
        &mut self,
        callee: &str,
        params: &[String],
        args: &[Arg],
        span: Span,
    ) -> R<Vec<Option<(Value, Span)>>> {
        let mut slots: Vec<Option<(Value, Span)>> = vec![None; params.len()];
        let mut positional = 0usize;
        let mut failed = false;
        for arg in args {
            match arg {
                Arg::Positional(e) | Arg::Spread(e) => {
                    let v = match self.eval(e) {
                        Ok(v) => v,
                        Err(_) => {
                            failed = true;
                            Value::Void
                        }
                    };
                    let values = match (arg, v) {
                        (Arg::Spread(_), Value::Array(items)) => items,
                        (Arg::Spread(_), other) => {
                            self.report(
                                Code::Type,
                                e.span,
                                format!("cannot spread {}", other.describe()),
                            );
                            failed = true;
                            Vec::new()
                        }
                        (_, v) => vec![v],
                    };
                    for v in values {
                        if positional >= params.len() {
                            return Err(self.report(
                                Code::Arity,
                                e.span,
                                format!(
                                    "`{callee}` takes at most {} argument{}",
                                    params.len(),
                                    if params.len() == 1 { "" } else { "s" }
                                ),
                            ));
                        }
                        slots[positional] = Some((v, e.span));
                        positional += 1;
                    }
                }
                Arg::Named(id, e) => {
                    let Some(pos) = params.iter().position(|p| *p == id.name) else {
                        self.report(
                            Code::Arity,
                            id.span,
                            format!("`{callee}` has no parameter named `{}`", id.name),
                        );
                        failed = true;
                        continue;
                    };
                    if slots[pos].is_some() {
                        self.report(
                            Code::Arity,
                            id.span,
                            format!("argument `{}` is given twice", id.name),
                        );
                        failed = true;
                        continue;
                    }
                    let (v, vspan) = match e {
                        Some(e) => (self.eval(e), e.span),
                        None => {
                            let r = ast::Reference {
                                name: ast::Name {
                                    segs: vec![NameSeg::Ident(id.clone())],
                                    span: id.span,
                                },
                                indices: Vec::new(),
                                span: id.span,
                            };
                            (self.read_ref(&r, &[]), id.span)
                        }
                    };
                    match v {
                        Ok(v) => slots[pos] = Some((v, vspan)),
                        Err(_) => failed = true,
                    }
                }
            }
        }
        if failed {
            return Err(Fail);
        }
        let _ = span;
        Ok(slots)
    }

    fn missing_arg(&mut self, callee: &str, param: &str, span: Span) -> Fail {
        self.report(
            Code::Arity,
            span,
            format!("missing argument `{param}` of `{callee}`"),
        )
    }

    /// Binds parameters into the (already pushed) top scope, evaluating defaults there.
    fn bind_params(
        &mut self,
        callee: &str,
        params: &[ast::Param],
        slots: Vec<Option<(Value, Span)>>,
        span: Span,
        def_file: FileId,
        call_file: FileId,
    ) -> R<()> {
        for (p, slot) in params.iter().zip(slots) {
            let (value, vspan) = match slot {
                Some(v) => v,
                None => match &p.default {
                    Some(d) => {
                        self.file = def_file;
                        let v = self.eval(d);
                        self.file = call_file;
                        (v?, span)
                    }
                    None => return Err(self.missing_arg(callee, &p.name.name, span)),
                },
            };
            let ty = VarTy::from_ast(p.ty);
            let value = if p.array_dims > 0 {
                if !matches!(value, Value::Array(_)) {
                    return Err(self.report(
                        Code::Type,
                        vspan,
                        format!(
                            "parameter `{}` of `{callee}` expects an array, found {}",
                            p.name.name,
                            value.describe()
                        ),
                    ));
                }
                self.coerce(ty, value, vspan)?
            } else {
                self.coerce(ty, value, vspan)?
            };
            self.file = def_file;
            let r = self.declare(None, &p.name.name, p.name.span, |decl| Var {
                ty,
                is_const: false,
                assigned: true,
                value,
                decl,
            });
            self.file = call_file;
            r?;
        }
        Ok(())
    }

    fn call_function(&mut self, f: Rc<FnDef>, call: &ast::Call, name: &str) -> R<Value> {
        if self.depth >= MAX_CALL_DEPTH {
            return Err(self.report(
                Code::Eval,
                call.span,
                format!("calls nest too deeply (more than {MAX_CALL_DEPTH}) in `{name}`"),
            ));
        }
        let params: Vec<String> = f.def.params.iter().map(|p| p.name.name.clone()).collect();
        let slots = self.bind_args(name, &params, &call.args, call.span)?;
        let call_file = self.file;
        self.scopes.push(Scope::new(ScopeKind::Function));
        let bound = self.bind_params(name, &f.def.params, slots, call.span, f.file, call_file);
        if bound.is_err() {
            self.scopes.pop();
            return Err(Fail);
        }
        self.file = f.file;
        self.depth += 1;
        let saved_stmt = self.stmt;
        let r = self.exec_stmts(&f.def.body.stmts);
        self.stmt = saved_stmt;
        self.depth -= 1;
        self.file = call_file;
        self.scopes.pop();
        match r? {
            Flow::Return(v) => Ok(v),
            _ => Ok(Value::Void),
        }
    }

    fn instantiate(&mut self, call: &ast::Call, alias: Option<String>, is_virtual: bool) -> R<()> {
        let name = self.callee_name(call)?;
        let Some(tpl) = self.templates.get(&name).cloned() else {
            return Err(self.report(
                Code::UnknownName,
                call.callee.span,
                format!("unknown airtemplate `{name}`"),
            ));
        };
        if self.air.is_some() {
            return Err(self.report(
                Code::Context,
                call.span,
                "an air cannot be instantiated inside another air",
            ));
        }
        let Some(airgroup) = self.airgroup.clone() else {
            return Err(self.report(
                Code::Context,
                call.span,
                "airs must be instantiated inside an `airgroup` block",
            ));
        };
        if !tpl.def.params.iter().any(|p| p.name.name == "N") {
            let f = &self.files[tpl.file];
            let s = SourceSpan::new(
                &f.text,
                &f.name,
                tpl.def.name.span.start..tpl.def.name.span.end,
            );
            return Err(self.report_at(
                Code::RowCount,
                s,
                format!("airtemplate `{name}` has no parameter `N` (the row count)"),
                Vec::new(),
            ));
        }
        let params: Vec<String> = tpl.def.params.iter().map(|p| p.name.name.clone()).collect();
        let slots = self.bind_args(&name, &params, &call.args, call.span)?;
        let call_file = self.file;
        let call_loc = loc_of(&self.sspan(call.span));
        let air_name = alias.unwrap_or_else(|| name.clone());
        self.scopes.push(Scope::new(ScopeKind::Air));
        let bound = self.bind_params(
            &name,
            &tpl.def.params,
            slots,
            call.span,
            tpl.file,
            call_file,
        );
        if bound.is_err() {
            self.scopes.pop();
            return Err(Fail);
        }
        let n0 = self.current_n(call.span);
        let air_id = self.ir.airs.len() as i128;
        for (var, value) in [
            ("AIR_NAME", Value::Str(air_name.clone())),
            ("AIRTEMPLATE", Value::Str(name.clone())),
            ("AIRGROUP", Value::Str(airgroup.clone())),
            ("AIR_ID", Value::Int(air_id)),
            ("VIRTUAL", Value::Int(i128::from(is_virtual))),
            (
                "BITS",
                Value::Int(n0.map_or(0, |n| i128::from(n.trailing_zeros()))),
            ),
        ] {
            let top = self.scopes.len() - 1;
            let decl = self.sspan(call.span);
            self.scopes[top].vars.insert(
                var.to_string(),
                Var {
                    ty: VarTy::Any,
                    is_const: true,
                    assigned: true,
                    value,
                    decl,
                },
            );
        }
        self.air = Some(AirState {
            airgroup,
            is_virtual,
            loc: call_loc,
            witness: Vec::new(),
            fixed: Vec::new(),
            fixed_slots: Vec::new(),
            airvals: Vec::new(),
            constraints: Vec::new(),
            interactions: Vec::new(),
            names: BTreeMap::new(),
        });
        self.file = tpl.file;
        let saved_stmt = self.stmt;
        self.depth += 1;
        let _ = self.exec_stmts(&tpl.def.body.stmts);
        self.depth -= 1;
        self.stmt = saved_stmt;
        self.file = call_file;
        let n = self.current_n(call.span);
        self.scopes.pop();
        let Some(state) = self.air.take() else {
            return Err(Fail);
        };
        let n = n.ok_or(Fail)?;
        let mut fixed_data = Vec::with_capacity(state.fixed_slots.len());
        let mut failed = false;
        let fixed_names = ir::scalar_names(
            state
                .fixed
                .iter()
                .map(|g| (g.name.as_str(), g.dims.as_slice())),
        );
        for (i, slot) in state.fixed_slots.into_iter().enumerate() {
            let data = match (slot.seq, slot.values) {
                (Some(seq), _) => {
                    if let Err(msg) = seq.expand(n as usize) {
                        let fname = fixed_names.get(i).cloned().unwrap_or_default();
                        self.report(
                            Code::Eval,
                            call.span,
                            format!("fixed column `{fname}`: {msg}"),
                        );
                        failed = true;
                    }
                    FixedData::Sequence(seq)
                }
                (None, Some(values)) => {
                    if values.len() as u64 != n {
                        let fname = fixed_names.get(i).cloned().unwrap_or_default();
                        self.report(
                            Code::RowCount,
                            call.span,
                            format!(
                                "fixed column `{fname}` was filled for {} rows but N is {n}",
                                values.len()
                            ),
                        );
                        failed = true;
                    }
                    let mut runs: Vec<(u64, u64)> = Vec::new();
                    for v in values {
                        match runs.last_mut() {
                            Some((last, count)) if *last == v => *count += 1,
                            _ => runs.push((v, 1)),
                        }
                    }
                    FixedData::Runs(runs)
                }
                (None, None) => FixedData::Runs(vec![(0, n)]),
            };
            fixed_data.push(data);
        }
        if failed {
            return Err(Fail);
        }
        if let Some(prev) = self.ir.airs.iter().find(|a| a.name == air_name) {
            let label = Label {
                span: SourceSpan {
                    file: prev.loc.file.clone(),
                    line: prev.loc.line,
                    col: prev.loc.col,
                    range: prev.loc.start..prev.loc.end,
                },
                message: "first instantiated here".to_string(),
            };
            let sspan = self.sspan(call.span);
            return Err(self.report_at(
                Code::Duplicate,
                sspan,
                format!("two airs are named `{air_name}` (use `alias` to rename one)"),
                vec![label],
            ));
        }
        self.ir.airs.push(Air {
            name: air_name,
            template: name,
            airgroup: state.airgroup,
            is_virtual: state.is_virtual,
            n,
            loc: state.loc,
            witness: state.witness,
            fixed: state.fixed,
            fixed_data,
            airvals: state.airvals,
            constraints: state.constraints,
            interactions: state.interactions,
        });
        Ok(())
    }

    /// The current air's `N` if it is a valid row count, without reporting anything.
    fn peek_n(&self) -> Option<u64> {
        let idx = self.scope_index(Some("air"))?;
        match self.scopes[idx].vars.get("N").map(|v| &v.value) {
            Some(Value::Int(n))
                if (2..=1i128 << MAX_LOG_N).contains(n) && (*n as u128).is_power_of_two() =>
            {
                Some(*n as u64)
            }
            _ => None,
        }
    }

    /// The current air's `N`, if it is a valid row count (reports it otherwise).
    fn current_n(&mut self, span: Span) -> Option<u64> {
        let idx = self.scope_index(Some("air"))?;
        let v = self.scopes[idx].vars.get("N").map(|v| v.value.clone());
        match v {
            Some(Value::Int(n))
                if (2..=1i128 << MAX_LOG_N).contains(&n) && (n as u128).is_power_of_two() =>
            {
                Some(n as u64)
            }
            Some(Value::Int(n)) => {
                self.report(
                    Code::RowCount,
                    span,
                    format!("N = {n} is not a power of two between 2 and 2^{MAX_LOG_N}"),
                );
                None
            }
            _ => {
                self.report(Code::RowCount, span, "N must be an integer");
                None
            }
        }
    }

    // ----- constraints and buses -------------------------------------------------------------

    fn add_constraint(&mut self, expr: Expr, kind: ConstraintKind, span: Span) -> R<()> {
        let degree = expr.degree();
        if degree > MAX_DEGREE {
            return Err(self.report(
                Code::Degree,
                span,
                format!(
                    "this constraint has degree {degree}; the maximum is {MAX_DEGREE} (introduce a witness column for a sub-product)"
                ),
            ));
        }
        if let Some((lo, hi)) = expr.offset_range() {
            if hi - lo > 1 {
                return Err(self.report(
                    Code::RowWindow,
                    span,
                    format!(
                        "this constraint reads rows {} to {} relative to each other ({} rows); the prover's window is 2 consecutive rows",
                        lo, hi, hi - lo + 1
                    ),
                ));
            }
        }
        let (loc, text) = self.stmt_loc_text();
        let air = self.air.as_mut().ok_or(Fail)?;
        air.constraints.push(Constraint {
            expr,
            degree,
            kind,
            loc,
            text,
        });
        Ok(())
    }

    fn range_bus(&mut self, min: i128, max: i128, span: Span) -> R<(u64, usize)> {
        let (Ok(lo), Ok(hi)) = (i64::try_from(min), i64::try_from(max)) else {
            return Err(self.report(
                Code::Eval,
                span,
                format!("range [{min}, {max}] does not fit in 64-bit signed integers"),
            ));
        };
        if lo > hi {
            return Err(self.report(
                Code::Eval,
                span,
                format!("empty range: min {lo} is greater than max {hi}"),
            ));
        }
        let next = self.ranges.len();
        let idx = *self.ranges.entry((lo, hi)).or_insert(next);
        if idx == next {
            self.ir.ranges.push(RangeDef {
                bus: RANGE_BUS_BASE + idx as u64,
                min: lo,
                max: hi,
            });
        }
        Ok((RANGE_BUS_BASE + idx as u64, idx))
    }

    fn bus_call(&mut self, b: BusBuiltin, name: &str, call: &ast::Call) -> R<Value> {
        let params: Vec<String> = b.params.iter().map(|s| s.to_string()).collect();
        let slots = self.bind_args(name, &params, &call.args, call.span)?;
        for (i, p) in b.params.iter().enumerate().take(b.required) {
            if slots[i].is_none() {
                return Err(self.missing_arg(name, p, call.span));
            }
        }
        let get = |i: usize| slots.get(i).cloned().flatten();
        let (bus, range, values_v, mul_v, binary_flag) = if b.kind == BusKind::RangeCheck {
            let (ev, espan) = get(0).ok_or(Fail)?;
            let (min, mspan) = get(1).ok_or(Fail)?;
            let (max, _) = get(2).ok_or(Fail)?;
            let (Value::Int(min), Value::Int(max)) = (min, max) else {
                return Err(self.report(
                    Code::Type,
                    mspan,
                    "range_check needs integer `min` and `max`",
                ));
            };
            let (bus, idx) = self.range_bus(min, max, call.span)?;
            (bus, Some(idx), vec![(ev, espan)], get(3), Value::Int(0))
        } else {
            let (opid, ospan) = get(0).ok_or(Fail)?;
            let bus = match opid {
                Value::Int(v) if (0..=i128::from(u32::MAX)).contains(&v) => v as u64,
                other => {
                    return Err(self.report(
                        Code::Type,
                        ospan,
                        format!(
                            "a bus id must be a non-negative integer, found {}",
                            other.describe()
                        ),
                    ))
                }
            };
            let (exprs, espan) = get(1).ok_or(Fail)?;
            let Value::Array(items) = exprs else {
                return Err(self.report(
                    Code::Type,
                    espan,
                    format!("`expressions` must be an array, found {}", exprs.describe()),
                ));
            };
            let flag = if b.direction == Direction::Assume || b.kind == BusKind::Permutation {
                get(3).map(|(v, _)| v).unwrap_or(Value::Int(0))
            } else {
                Value::Int(1)
            };
            (
                bus,
                None,
                items.into_iter().map(|v| (v, espan)).collect(),
                get(2),
                flag,
            )
        };
        let mut values = Vec::new();
        for (v, s) in values_v {
            values.push(self.as_expr(v, s)?);
        }
        let multiplicity = match mul_v {
            Some((v, s)) => self.as_expr(v, s)?,
            None => Expr::Const(1),
        };
        let sel_is_binary = matches!(binary_flag, Value::Int(x) if x != 0);
        if b.scope != IScope::Global && self.air.is_none() {
            return Err(self.report(
                Code::Context,
                call.span,
                format!("`{name}` can only be used inside an airtemplate"),
            ));
        }
        let all: Vec<&Expr> = values
            .iter()
            .chain(std::iter::once(&multiplicity))
            .collect();
        if b.scope != IScope::Row {
            for e in &all {
                let mut has_col = false;
                e.visit_cols(&mut |_, _, _| has_col = true);
                let mut has_airval = false;
                e.eval_mod_p(&mut |leaf| {
                    if matches!(leaf, Expr::AirVal(_)) {
                        has_airval = true;
                    }
                    0
                });
                if has_col || (b.scope == IScope::Global && has_airval) {
                    return Err(self.report(
                        Code::Type,
                        call.span,
                        format!(
                            "`{name}` takes only constants, publics, proofvals{} (no columns)",
                            if b.scope == IScope::Instance {
                                " and airvals"
                            } else {
                                ""
                            }
                        ),
                    ));
                }
            }
        }
        for v in &values {
            if v.degree() > 2 {
                return Err(self.report(
                    Code::Degree,
                    call.span,
                    format!(
                        "a bus tuple element has degree {}; the maximum is 2",
                        v.degree()
                    ),
                ));
            }
        }
        if multiplicity.degree() > MAX_DEGREE {
            return Err(self.report(
                Code::Degree,
                call.span,
                format!(
                    "the selector/multiplicity has degree {}; the maximum is {MAX_DEGREE}",
                    multiplicity.degree()
                ),
            ));
        }
        let mut lo_hi: Option<(i64, i64)> = None;
        for e in &all {
            if let Some((lo, hi)) = e.offset_range() {
                lo_hi = Some(match lo_hi {
                    None => (lo, hi),
                    Some((a, b)) => (a.min(lo), b.max(hi)),
                });
            }
        }
        if let Some((lo, hi)) = lo_hi {
            if hi - lo > 1 {
                return Err(self.report(
                    Code::RowWindow,
                    call.span,
                    format!(
                        "this bus call reads rows {lo} to {hi} relative to each other; the prover's window is 2 consecutive rows"
                    ),
                ));
            }
        }
        let needs_bool = b.scope == IScope::Row
            && !sel_is_binary
            && !matches!(multiplicity, Expr::Const(0) | Expr::Const(1))
            && (b.direction == Direction::Assume
                || (b.kind == BusKind::Permutation && b.direction == Direction::Prove));
        if needs_bool {
            let sel = multiplicity.clone();
            let check = e_mul(sel.clone(), e_sub(sel, Expr::Const(1)));
            self.add_constraint(check, ConstraintKind::BooleanSelector, call.span)?;
        }
        let (loc, text) = self.stmt_loc_text();
        let interaction = Interaction {
            bus,
            kind: b.kind,
            direction: b.direction,
            scope: b.scope,
            values,
            multiplicity,
            range,
            loc,
            text,
        };
        match (b.scope, self.air.as_mut()) {
            (IScope::Global, _) => self.ir.global_interactions.push(interaction),
            (_, Some(air)) => air.interactions.push(interaction),
            (_, None) => return Err(Fail),
        }
        Ok(Value::Void)
    }

    fn plain_builtin(&mut self, name: &str, call: &ast::Call) -> R<Value> {
        let mut args = Vec::new();
        for a in &call.args {
            match a {
                Arg::Positional(e) => args.push((self.eval(e)?, e.span)),
                Arg::Spread(e) => match self.eval(e)? {
                    Value::Array(items) => args.extend(items.into_iter().map(|v| (v, e.span))),
                    other => {
                        return Err(self.report(
                            Code::Type,
                            e.span,
                            format!("cannot spread {}", other.describe()),
                        ))
                    }
                },
                Arg::Named(id, _) => {
                    return Err(self.report(
                        Code::Arity,
                        id.span,
                        format!("`{name}` takes no named arguments"),
                    ))
                }
            }
        }
        let arity = |this: &mut Self, lo: usize, hi: usize| -> R<()> {
            if args.len() < lo || args.len() > hi {
                let want = if lo == hi {
                    format!("{lo}")
                } else {
                    format!("{lo} to {hi}")
                };
                Err(this.report(
                    Code::Arity,
                    call.span,
                    format!("`{name}` takes {want} arguments, {} given", args.len()),
                ))
            } else {
                Ok(())
            }
        };
        match name {
            "assert" => {
                arity(self, 1, 2)?;
                let ok = match &args[0].0 {
                    Value::Int(v) => *v != 0,
                    other => {
                        return Err(self.report(
                            Code::Type,
                            args[0].1,
                            format!("`assert` needs an integer, found {}", other.describe()),
                        ))
                    }
                };
                if !ok {
                    let msg = args.get(1).map(|(v, _)| v.display()).unwrap_or_default();
                    return Err(self.report(
                        Code::Assertion,
                        call.span,
                        format!(
                            "assertion failed{}{msg}",
                            if msg.is_empty() { "" } else { ": " }
                        ),
                    ));
                }
                Ok(Value::Void)
            }
            "assert_eq" => {
                arity(self, 2, 3)?;
                if args[0].0 != args[1].0 {
                    let msg = args.get(2).map(|(v, _)| v.display()).unwrap_or_default();
                    return Err(self.report(
                        Code::Assertion,
                        call.span,
                        format!(
                            "assertion failed: {} != {}{}{msg}",
                            args[0].0.display(),
                            args[1].0.display(),
                            if msg.is_empty() { "" } else { ": " }
                        ),
                    ));
                }
                Ok(Value::Void)
            }
            "error" => {
                let msg: Vec<String> = args.iter().map(|(v, _)| v.display()).collect();
                Err(self.report(Code::Assertion, call.span, msg.join(" ")))
            }
            "println" | "log" => Ok(Value::Void),
            "length" => {
                arity(self, 1, 1)?;
                match &args[0].0 {
                    Value::Array(a) => Ok(Value::Int(a.len() as i128)),
                    Value::Str(s) => Ok(Value::Int(s.len() as i128)),
                    other => Err(self.report(
                        Code::Type,
                        args[0].1,
                        format!(
                            "`length` needs an array or string, found {}",
                            other.describe()
                        ),
                    )),
                }
            }
            "degree" => {
                arity(self, 1, 1)?;
                match &args[0].0 {
                    Value::Int(_) => Ok(Value::Int(0)),
                    Value::Expr(e) => Ok(Value::Int(e.degree() as i128)),
                    other => Err(self.report(
                        Code::Type,
                        args[0].1,
                        format!("`degree` needs an expression, found {}", other.describe()),
                    )),
                }
            }
            "log2" => {
                arity(self, 1, 1)?;
                match args[0].0 {
                    Value::Int(v) if v > 0 => Ok(Value::Int(i128::from(127 - v.leading_zeros()))),
                    _ => Err(self.report(Code::Type, args[0].1, "`log2` needs a positive integer")),
                }
            }
            _ => Err(self.report(
                Code::Unsupported,
                call.span,
                format!("`{name}` is not supported"),
            )),
        }
    }

    fn eval_call(&mut self, call: &ast::Call) -> R<Value> {
        let name = self.callee_name(call)?;
        if let Some(b) = bus_builtin(&name) {
            return self.bus_call(b, &name, call);
        }
        if PLAIN_BUILTINS.contains(&name.as_str()) {
            return self.plain_builtin(&name, call);
        }
        if let Some(f) = self.find_fn(&name) {
            return self.call_function(f, call, &name);
        }
        if self.templates.contains_key(&name) {
            self.instantiate(call, None, false)?;
            return Ok(Value::Void);
        }
        Err(self.report(
            Code::UnknownName,
            call.callee.span,
            format!("unknown function `{name}`"),
        ))
    }

    // ----- expressions ---------------------------------------------------------------------

    fn eval_template(&mut self, t: &ast::Template) -> R<String> {
        let mut out = String::new();
        for part in &t.parts {
            match part {
                TemplatePart::Text(s) => out.push_str(s),
                TemplatePart::Interp(e) => {
                    let v = self.eval(e)?;
                    out.push_str(&v.display());
                }
            }
        }
        Ok(out)
    }

    fn eval_str_or_template(&mut self, s: &StrOrTemplate) -> R<String> {
        match s {
            StrOrTemplate::Str(s) => Ok(s.value.clone()),
            StrOrTemplate::Template(t) => self.eval_template(t),
        }
    }

    fn eval_int(&mut self, e: &ast::Expr) -> R<i128> {
        match self.eval(e)? {
            Value::Int(v) => Ok(v),
            other => Err(self.report(
                Code::Type,
                e.span,
                format!(
                    "expected a compile-time integer, found {}",
                    other.describe()
                ),
            )),
        }
    }

    fn eval_cond(&mut self, e: &ast::Expr) -> R<bool> {
        Ok(self.eval_int(e)? != 0)
    }

    fn as_expr(&mut self, v: Value, span: Span) -> R<Expr> {
        match v {
            Value::Int(i) => Ok(Expr::constant(i)),
            Value::Expr(e) => Ok(e),
            other => Err(self.report(
                Code::Type,
                span,
                format!("expected an expression, found {}", other.describe()),
            )),
        }
    }

    fn eval_indices(&mut self, indices: &[ast::Expr]) -> R<Vec<(i128, Span)>> {
        let mut out = Vec::with_capacity(indices.len());
        for i in indices {
            out.push((self.eval_int(i)?, i.span));
        }
        Ok(out)
    }

    fn fixed_values(&mut self, index: usize, span: Span, write: bool) -> R<&mut Vec<u64>> {
        let n = self.current_n(span).ok_or(Fail)? as usize;
        let air = self.air.as_mut().ok_or(Fail)?;
        let slot = &mut air.fixed_slots[index];
        if slot.values.is_none() {
            let values = match &slot.seq {
                Some(seq) => match seq.expand(n) {
                    Ok(v) => v
                        .into_iter()
                        .map(|x| Expr::constant(x).const_value())
                        .collect(),
                    Err(msg) => return Err(self.report(Code::Eval, span, msg)),
                },
                None => vec![0; n],
            };
            let air = self.air.as_mut().ok_or(Fail)?;
            air.fixed_slots[index].values = Some(values);
            if write {
                air.fixed_slots[index].seq = None;
            }
        }
        let air = self.air.as_mut().ok_or(Fail)?;
        if write {
            air.fixed_slots[index].seq = None;
        }
        air.fixed_slots[index].values.as_mut().ok_or(Fail)
    }

    fn read_ref(&mut self, r: &ast::Reference, indices: &[(i128, Span)]) -> R<Value> {
        let (prefix, name) = self.split_name(&r.name)?;
        let Some(si) = self.find_var(prefix.as_deref(), &name) else {
            let what = if self.templates.contains_key(&name) || self.find_fn(&name).is_some() {
                format!("`{name}` is a function or template; call it with `(…)`")
            } else {
                format!("unknown name `{name}`")
            };
            return Err(self.report(Code::UnknownName, r.name.span, what));
        };
        let var = &self.scopes[si].vars[&name];
        if !var.assigned {
            return Err(self.report(
                Code::Eval,
                r.span,
                format!("`{name}` is read before it is assigned"),
            ));
        }
        let mut cur = &var.value;
        for (k, (i, ispan)) in indices.iter().enumerate() {
            match cur {
                Value::Array(items) => {
                    if *i < 0 || *i as usize >= items.len() {
                        let len = items.len();
                        return Err(self.report(
                            Code::Index,
                            *ispan,
                            format!("index {i} is out of bounds for `{name}` of length {len}"),
                        ));
                    }
                    cur = &items[*i as usize];
                }
                Value::Expr(Expr::Col {
                    kind: ColKind::Fixed,
                    index,
                    offset: 0,
                }) if k + 1 == indices.len() => {
                    let index = *index;
                    let (row, rspan) = (*i, *ispan);
                    let values = self.fixed_values(index, rspan, false)?;
                    if row < 0 || row as usize >= values.len() {
                        let len = values.len();
                        return Err(self.report(
                            Code::Index,
                            rspan,
                            format!("row {row} is out of bounds for fixed column `{name}` of {len} rows"),
                        ));
                    }
                    return Ok(Value::Int(i128::from(values[row as usize])));
                }
                other => {
                    let d = other.describe();
                    return Err(self.report(
                        Code::Index,
                        *ispan,
                        format!("cannot index `{name}`: it is {d}"),
                    ));
                }
            }
        }
        Ok(cur.clone())
    }

    fn write_ref(
        &mut self,
        r: &ast::Reference,
        indices: &[(i128, Span)],
        value: Value,
        span: Span,
    ) -> R<()> {
        let (prefix, name) = self.split_name(&r.name)?;
        let Some(si) = self.find_var(prefix.as_deref(), &name) else {
            return Err(self.report(
                Code::UnknownName,
                r.name.span,
                format!("unknown name `{name}`"),
            ));
        };
        let (ty, is_const, assigned) = {
            let v = &self.scopes[si].vars[&name];
            (v.ty, v.is_const, v.assigned)
        };
        if ty == VarTy::Val {
            return Err(self.report(
                Code::Type,
                span,
                format!("cannot assign to `{name}`: publics and airvals get their values from the prover"),
            ));
        }
        if ty == VarTy::Col {
            let target = {
                let mut cur = &self.scopes[si].vars[&name].value;
                let mut ok = true;
                for (i, _) in indices.iter().take(indices.len().saturating_sub(1)) {
                    match cur {
                        Value::Array(items) if *i >= 0 && (*i as usize) < items.len() => {
                            cur = &items[*i as usize]
                        }
                        _ => ok = false,
                    }
                }
                if ok {
                    cur.clone()
                } else {
                    Value::Void
                }
            };
            return match (target, indices.last()) {
                (
                    Value::Expr(Expr::Col {
                        kind: ColKind::Fixed,
                        index,
                        offset: 0,
                    }),
                    Some(&(row, rspan)),
                ) => {
                    let Value::Int(v) = value else {
                        return Err(self.report(
                            Code::Type,
                            span,
                            format!("a fixed column row needs an integer, found {}", value.describe()),
                        ));
                    };
                    let values = self.fixed_values(index, rspan, true)?;
                    if row < 0 || row as usize >= values.len() {
                        let len = values.len();
                        return Err(self.report(
                            Code::Index,
                            rspan,
                            format!("row {row} is out of bounds for fixed column `{name}` of {len} rows"),
                        ));
                    }
                    values[row as usize] = Expr::constant(v).const_value();
                    Ok(())
                }
                _ => Err(self.report(
                    Code::Type,
                    span,
                    format!("cannot assign to column `{name}` (only rows of fixed columns can be assigned: `{name}[row] = value`)"),
                )),
            };
        }
        if is_const && assigned && indices.is_empty() {
            return Err(self.report(
                Code::Type,
                span,
                format!("cannot assign twice to constant `{name}`"),
            ));
        }
        let value = self.coerce(ty, value, span)?;
        let var = self
            .scopes
            .get_mut(si)
            .and_then(|s| s.vars.get_mut(&name))
            .ok_or(Fail)?;
        let mut err = None;
        {
            let mut probe = &var.value;
            for (i, ispan) in indices {
                match probe {
                    Value::Array(items) if *i >= 0 && (*i as usize) < items.len() => {
                        probe = &items[*i as usize];
                    }
                    Value::Array(items) => {
                        err = Some((
                            *ispan,
                            format!(
                                "index {i} is out of bounds for `{name}` of length {}",
                                items.len()
                            ),
                        ));
                        break;
                    }
                    other => {
                        err = Some((
                            *ispan,
                            format!("cannot index `{name}`: it is {}", other.describe()),
                        ));
                        break;
                    }
                }
            }
        }
        if let Some((s, msg)) = err {
            return Err(self.report(Code::Index, s, msg));
        }
        let var = self
            .scopes
            .get_mut(si)
            .and_then(|s| s.vars.get_mut(&name))
            .ok_or(Fail)?;
        let mut cur = &mut var.value;
        for (i, _) in indices {
            if let Value::Array(items) = cur {
                cur = &mut items[*i as usize];
            }
        }
        *cur = value;
        var.assigned = true;
        Ok(())
    }

    fn exec_assign(&mut self, a: &ast::Assign, span: Span) -> R<()> {
        let value = self.eval(&a.value)?;
        match &a.target {
            AssignTarget::Destructure(names) => {
                let Value::Array(items) = value else {
                    return Err(self.report(
                        Code::Type,
                        a.value.span,
                        format!("cannot destructure {}", value.describe()),
                    ));
                };
                if items.len() != names.len() {
                    return Err(self.report(
                        Code::Arity,
                        span,
                        format!(
                            "{} names but the array has {} elements",
                            names.len(),
                            items.len()
                        ),
                    ));
                }
                for (n, v) in names.iter().zip(items) {
                    let r = ast::Reference {
                        name: n.clone(),
                        indices: Vec::new(),
                        span: n.span,
                    };
                    self.write_ref(&r, &[], v, span)?;
                }
                Ok(())
            }
            AssignTarget::Ref(r) => {
                let indices = self.eval_indices(&r.indices)?;
                let new = match a.op {
                    AssignOp::Assign => value,
                    op => {
                        let cur = self.read_ref(r, &indices)?;
                        let bop = match op {
                            AssignOp::AddAssign => BinaryOp::Add,
                            AssignOp::SubAssign => BinaryOp::Sub,
                            _ => BinaryOp::Mul,
                        };
                        self.binary(bop, cur, value, span)?
                    }
                };
                self.write_ref(r, &indices, new, span)
            }
        }
    }

    fn eval(&mut self, e: &ast::Expr) -> R<Value> {
        match &e.kind {
            ExprKind::Number(text) => match parse_number(text) {
                Some(v) => Ok(Value::Int(v)),
                None => Err(self.report(
                    Code::Eval,
                    e.span,
                    format!("the number {text} does not fit in 127 bits"),
                )),
            },
            ExprKind::Str(s) => Ok(Value::Str(s.value.clone())),
            ExprKind::Template(t) => Ok(Value::Str(self.eval_template(t)?)),
            ExprKind::Ref(r) => {
                let indices = self.eval_indices(&r.indices)?;
                self.read_ref(r, &indices)
            }
            ExprKind::Next { base, by } | ExprKind::Prev { base, by } => {
                let n = match by {
                    Some(b) => self.eval_int(b)?,
                    None => 1,
                };
                let n = i64::try_from(n)
                    .map_err(|_| self.report(Code::Eval, e.span, "row offset out of range"))?;
                let n = if matches!(e.kind, ExprKind::Prev { .. }) {
                    -n
                } else {
                    n
                };
                let indices = self.eval_indices(&base.indices)?;
                let v = self.read_ref(base, &indices)?;
                if let Value::Str(_) = v {
                    return Err(self.report(Code::Type, e.span, "a string has no row offset"));
                }
                Ok(v.shifted(n))
            }
            ExprKind::Call(c) => self.eval_call(c),
            ExprKind::Cast(ty, inner) => {
                let v = self.eval(inner)?;
                match (ty, v) {
                    (Type::String, v) => Ok(Value::Str(v.display())),
                    (Type::Int | Type::Fe, Value::Int(i)) => Ok(Value::Int(i)),
                    (Type::Int | Type::Fe, Value::Expr(Expr::Const(c))) => {
                        Ok(Value::Int(i128::from(c)))
                    }
                    (Type::Expr, Value::Int(i)) => Ok(Value::Expr(Expr::constant(i))),
                    (Type::Expr, Value::Expr(x)) => Ok(Value::Expr(x)),
                    (_, v) => Err(self.report(
                        Code::Type,
                        e.span,
                        format!("cannot convert {}", v.describe()),
                    )),
                }
            }
            ExprKind::Array { items, fill } => {
                if *fill {
                    return Err(self.report(
                        Code::Type,
                        e.span,
                        "a sequence with `...` is only allowed as a fixed column initialiser",
                    ));
                }
                let mut out = Vec::new();
                for item in items {
                    match item {
                        ArrayItem::Spread(x) => match self.eval(x)? {
                            Value::Array(v) => out.extend(v),
                            other => {
                                return Err(self.report(
                                    Code::Type,
                                    x.span,
                                    format!("cannot spread {}", other.describe()),
                                ))
                            }
                        },
                        ArrayItem::Seq(s) => match &s.kind {
                            SeqKind::Value { value, times: None } if !s.fill => {
                                out.push(self.eval(value)?)
                            }
                            _ => {
                                return Err(self.report(
                                    Code::Type,
                                    s.span,
                                    "sequence items (`v:n`, `a..b`, `...`) are only allowed in a fixed column initialiser",
                                ))
                            }
                        },
                    }
                }
                Ok(Value::Array(out))
            }
            ExprKind::Unary(op, inner) => {
                let v = self.eval(inner)?;
                match (op, v) {
                    (UnaryOp::Plus, v @ (Value::Int(_) | Value::Expr(_))) => Ok(v),
                    (UnaryOp::Neg, Value::Int(i)) => Ok(Value::Int(-i)),
                    (UnaryOp::Neg, Value::Expr(x)) => Ok(Value::Expr(e_neg(x))),
                    (UnaryOp::Not, Value::Int(i)) => Ok(Value::Int(i128::from(i == 0))),
                    (_, v) => Err(self.report(
                        Code::Type,
                        e.span,
                        format!("this operator cannot be applied to {}", v.describe()),
                    )),
                }
            }
            ExprKind::Binary(op, a, b) => {
                if matches!(op, BinaryOp::And | BinaryOp::Or) {
                    let x = self.eval_cond(a)?;
                    if (*op == BinaryOp::And && !x) || (*op == BinaryOp::Or && x) {
                        return Ok(Value::Int(i128::from(x)));
                    }
                    let y = self.eval_cond(b)?;
                    return Ok(Value::Int(i128::from(y)));
                }
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                self.binary(*op, x, y, e.span)
            }
            ExprKind::Ternary(c, a, b) => {
                if self.eval_cond(c)? {
                    self.eval(a)
                } else {
                    self.eval(b)
                }
            }
            ExprKind::Is(..) => Err(self.report(
                Code::Unsupported,
                e.span,
                "the `is` type test is not supported",
            )),
        }
    }

    fn binary(&mut self, op: BinaryOp, x: Value, y: Value, span: Span) -> R<Value> {
        use BinaryOp::*;
        match (x, y) {
            (Value::Int(a), Value::Int(b)) => {
                let overflow = |this: &mut Self| {
                    this.report(
                        Code::Eval,
                        span,
                        format!(
                            "integer overflow in `{}` (compile-time integers have 128 bits)",
                            op.symbol()
                        ),
                    )
                };
                let r = match op {
                    Add => a.checked_add(b),
                    Sub => a.checked_sub(b),
                    Mul => a.checked_mul(b),
                    Div | IntDiv | Mod => {
                        if b == 0 {
                            return Err(self.report(Code::Eval, span, "division by zero"));
                        }
                        if op == Mod {
                            a.checked_rem_euclid(b)
                        } else {
                            a.checked_div_euclid(b)
                        }
                    }
                    Pow => {
                        if b < 0 {
                            return Err(self.report(Code::Eval, span, "negative exponent"));
                        }
                        u32::try_from(b).ok().and_then(|e| a.checked_pow(e))
                    }
                    Shl => u32::try_from(b)
                        .ok()
                        .filter(|s| *s < 127)
                        .and_then(|s| a.checked_mul(1i128 << s)),
                    Shr => u32::try_from(b).ok().map(|s| {
                        if s >= 127 {
                            if a < 0 {
                                -1
                            } else {
                                0
                            }
                        } else {
                            a >> s
                        }
                    }),
                    BitAnd => Some(a & b),
                    BitOr => Some(a | b),
                    BitXor => Some(a ^ b),
                    Eq => Some(i128::from(a == b)),
                    Ne => Some(i128::from(a != b)),
                    Lt => Some(i128::from(a < b)),
                    Gt => Some(i128::from(a > b)),
                    Le => Some(i128::from(a <= b)),
                    Ge => Some(i128::from(a >= b)),
                    And => Some(i128::from(a != 0 && b != 0)),
                    Or => Some(i128::from(a != 0 || b != 0)),
                    In => None,
                };
                match r {
                    Some(v) => Ok(Value::Int(v)),
                    None if op == In => Err(self.report(
                        Code::Unsupported,
                        span,
                        "the `in` operator is not supported",
                    )),
                    None => Err(overflow(self)),
                }
            }
            (Value::Str(a), Value::Str(b)) => match op {
                Eq => Ok(Value::Int(i128::from(a == b))),
                Ne => Ok(Value::Int(i128::from(a != b))),
                Add => Ok(Value::Str(a + &b)),
                _ => Err(self.report(
                    Code::Type,
                    span,
                    format!("`{}` cannot be applied to strings", op.symbol()),
                )),
            },
            (Value::Str(a), b) if op == Add => Ok(Value::Str(a + &b.display())),
            (x @ (Value::Int(_) | Value::Expr(_)), y @ (Value::Int(_) | Value::Expr(_))) => {
                if op == Pow {
                    let Value::Int(n) = y else {
                        return Err(self.report(
                            Code::Type,
                            span,
                            "the exponent of `**` must be a compile-time integer",
                        ));
                    };
                    if !(0..=64).contains(&n) {
                        return Err(self.report(
                            Code::Eval,
                            span,
                            format!("exponent {n} of an expression is out of range"),
                        ));
                    }
                    let base = self.as_expr(x, span)?;
                    let mut acc = Expr::Const(1);
                    for _ in 0..n {
                        acc = e_mul(acc, base.clone());
                    }
                    return Ok(Value::Expr(acc));
                }
                let a = self.as_expr(x, span)?;
                let b = self.as_expr(y, span)?;
                match op {
                    Add => Ok(Value::Expr(e_add(a, b))),
                    Sub => Ok(Value::Expr(e_sub(a, b))),
                    Mul => Ok(Value::Expr(e_mul(a, b))),
                    Eq | Ne if a == b => Ok(Value::Int(i128::from(op == Eq))),
                    _ => Err(self.report(
                        Code::Type,
                        span,
                        format!(
                            "`{}` needs compile-time integers; on expressions only `+`, `-`, `*` and `**` are allowed",
                            op.symbol()
                        ),
                    )),
                }
            }
            (x, y) => Err(self.report(
                Code::Type,
                span,
                format!(
                    "`{}` cannot be applied to {} and {}",
                    op.symbol(),
                    x.describe(),
                    y.describe()
                ),
            )),
        }
    }
}

impl Expr {
    /// The value of a constant expression (0 for anything else).
    fn const_value(&self) -> u64 {
        match self {
            Expr::Const(c) => *c,
            _ => 0,
        }
    }
}

/// Normalises a `/`-separated path: removes `.` and resolves `..`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}
