//! Typed abstract syntax tree for PIL2 source files; every node carries a byte [`Span`].
//!
//! The tree is purely syntactic: nothing is evaluated and names are not resolved. Equality
//! (`PartialEq`) ignores spans, so two trees parsed from differently formatted sources compare
//! equal when they have the same structure.

use std::fmt;

/// A half-open byte range `start..end` into the source text.
///
/// Spans never take part in equality: all spans compare equal, so derived `PartialEq` on AST
/// nodes compares structure only.
#[derive(Clone, Copy, Default, Eq)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// Builds a span from byte offsets.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

impl PartialEq for Span {
    fn eq(&self, _other: &Self) -> bool {
        true
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A parsed file: the list of its top-level statements.
#[derive(Clone, Debug, PartialEq)]
pub struct Ast {
    /// Top-level statements in source order (empty `;` statements are dropped).
    pub stmts: Vec<Stmt>,
    /// Span of the whole file.
    pub span: Span,
}

/// An identifier with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The identifier text.
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A string literal `"…"`; `value` is the raw text between the quotes (escapes unprocessed).
#[derive(Clone, Debug, PartialEq)]
pub struct StringLit {
    /// Raw contents, without the quotes.
    pub value: String,
    /// Where it was written (including quotes).
    pub span: Span,
}

/// One piece of a template string.
#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    /// Literal text (raw, escapes unprocessed).
    Text(String),
    /// An interpolation `${expr}`.
    Interp(Expr),
}

/// A template string `` `text ${expr} text` ``.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    /// Text and interpolation pieces in order.
    pub parts: Vec<TemplatePart>,
    /// Where it was written (including backticks).
    pub span: Span,
}

/// A string-like literal: plain string or template string.
#[derive(Clone, Debug, PartialEq)]
pub enum StrOrTemplate {
    /// `"…"`.
    Str(StringLit),
    /// `` `…` ``.
    Template(Template),
}

/// One segment of a dotted name.
#[derive(Clone, Debug, PartialEq)]
pub enum NameSeg {
    /// A plain identifier (also `air`, `airgroup`, `proof` scope prefixes).
    Ident(Ident),
    /// A template string used as a name segment.
    Template(Template),
}

/// A possibly dotted name: `x`, `air.x`, `proof.dma.count`, `Tables.fill`.
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    /// The segments, at least one.
    pub segs: Vec<NameSeg>,
    /// Where it was written.
    pub span: Span,
}

/// A compile-time value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// `int`: arbitrary-precision integer.
    Int,
    /// `fe`: field element.
    Fe,
    /// `expr`: symbolic polynomial expression.
    Expr,
    /// `string`.
    String,
}

/// A whole file's statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// What kind of statement.
    pub kind: StmtKind,
    /// Where it was written (without a trailing `;`).
    pub span: Span,
}

/// The statement forms of PIL2.
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// `;` (kept only as the body of `if`/`for`/`while`).
    Empty,
    /// `#pragma text` (text after `#pragma`, trimmed).
    Pragma(String),
    /// `require "file";`.
    Require(StrOrTemplate),
    /// `include "file";`.
    Include(StrOrTemplate),
    /// `airtemplate Name(params) { … }`.
    AirTemplate(AirTemplate),
    /// `airgroup Name { … }`.
    AirGroup(AirGroup),
    /// `[private|public] function f(params)[: type] { … }`.
    Function(FunctionDef),
    /// `container name [alias x] [{ … }]`.
    Container(Container),
    /// `use name [alias x];`.
    Use(Use),
    /// `if (cond) stmt [else stmt]`.
    If(If),
    /// `for (init; cond; steps) stmt`.
    For(For),
    /// `for ([const] [type] x in expr) stmt`.
    ForIn(ForIn),
    /// `while (cond) stmt`.
    While(While),
    /// `do { … } while (cond);`.
    DoWhile(DoWhile),
    /// `switch (v) { case …: … default: … }`.
    Switch(Switch),
    /// `{ … }`.
    Block(Block),
    /// `@name{ field: value, … }`.
    Hint(Hint),
    /// `return [expr];`.
    Return(Option<Expr>),
    /// `break;`.
    Break,
    /// `continue;`.
    Continue,
    /// `col witness|fixed|<commit> [attrs] a, b[2] [= init];`.
    Col(ColDecl),
    /// `commit [stage(n)] [public(a, b)] name;`.
    Commit(CommitDecl),
    /// `public|proofval|airval|airgroupval|challenge [attrs] a, b[2];`.
    Value(ValueDecl),
    /// `[const] type a, b[2] [= init];` or `[const] type [a, b] = init;`.
    Var(VarDecl),
    /// `on final[(prio)] air|airgroup|proof f();`.
    OnFinal(OnFinal),
    /// `virtual Template(args) [alias X];` or `Template(args) alias X;`.
    Instance(Instance),
    /// `target op value;` with op one of `= += -= *=`.
    Assign(Assign),
    /// `++x`, `x++`, `--x`, `x--`.
    IncDec(IncDec),
    /// `lhs === rhs;`.
    Constraint(Expr, Expr),
    /// `col <== expr;` (constraint plus witness-computation hint).
    WitnessAssign(Expr, Expr),
    /// A bare expression statement (usually a call: `range_check(...)`, `Main(N: 2**22)`).
    Expr(Expr),
}

/// A `{ … }` block.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Statements (empty `;` statements are dropped).
    pub stmts: Vec<Stmt>,
    /// Where it was written, braces included.
    pub span: Span,
}

/// `airtemplate Name(params) { body }`.
#[derive(Clone, Debug, PartialEq)]
pub struct AirTemplate {
    /// Template name.
    pub name: Ident,
    /// Parameters.
    pub params: Vec<Param>,
    /// Body.
    pub body: Block,
}

/// `airgroup Name { body }`.
#[derive(Clone, Debug, PartialEq)]
pub struct AirGroup {
    /// Airgroup name.
    pub name: Ident,
    /// Body.
    pub body: Block,
}

/// A function or template parameter `[const] type name[][]… [= default]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// `const` was written.
    pub is_const: bool,
    /// Declared type.
    pub ty: Type,
    /// Parameter name.
    pub name: Ident,
    /// Number of `[]` after the name.
    pub array_dims: usize,
    /// Default value.
    pub default: Option<Expr>,
    /// Where it was written.
    pub span: Span,
}

/// Function visibility modifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// `private function`.
    Private,
    /// `public function`.
    Public,
}

/// A function return type `[const] type[]…`.
#[derive(Clone, Debug, PartialEq)]
pub struct RetType {
    /// `const` was written.
    pub is_const: bool,
    /// Base type.
    pub ty: Type,
    /// Number of `[]`.
    pub array_dims: usize,
}

/// `[private|public] function name(params)[: ret] { body }`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDef {
    /// Visibility modifier, if any.
    pub visibility: Option<Visibility>,
    /// Function name.
    pub name: Ident,
    /// Parameters.
    pub params: Vec<Param>,
    /// Return type, if declared.
    pub ret: Option<RetType>,
    /// Body.
    pub body: Block,
}

/// Target of an `alias` clause.
#[derive(Clone, Debug, PartialEq)]
pub enum AliasName {
    /// `alias Name`.
    Ident(Ident),
    /// `alias "Name"`.
    Str(StringLit),
    /// `` alias `Name_${i}` ``.
    Template(Template),
}

/// `container name [alias x] [{ body }]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Container {
    /// Container name (e.g. `proof.dma_64_aligned`).
    pub name: Name,
    /// Alias, if any.
    pub alias: Option<AliasName>,
    /// Body of member declarations, if any.
    pub body: Option<Block>,
}

/// `use name [alias x]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Use {
    /// Container name.
    pub name: Name,
    /// Alias, if any.
    pub alias: Option<AliasName>,
}

/// `if (cond) then [else otherwise]`.
#[derive(Clone, Debug, PartialEq)]
pub struct If {
    /// Condition.
    pub cond: Expr,
    /// Statement run when true.
    pub then: Box<Stmt>,
    /// Statement run when false.
    pub otherwise: Option<Box<Stmt>>,
}

/// C-style `for (init; cond; steps) body`.
#[derive(Clone, Debug, PartialEq)]
pub struct For {
    /// Initialiser: a variable declaration, assignment or increment.
    pub init: Option<Box<Stmt>>,
    /// Loop condition.
    pub cond: Option<Expr>,
    /// Step statements (assignments / increments), comma separated.
    pub steps: Vec<Stmt>,
    /// Loop body.
    pub body: Box<Stmt>,
}

/// `for ([const] [type] name in iter) body`.
#[derive(Clone, Debug, PartialEq)]
pub struct ForIn {
    /// `const` was written.
    pub is_const: bool,
    /// Declared type of the loop variable, if any.
    pub ty: Option<Type>,
    /// Loop variable.
    pub var: Name,
    /// Iterated expression.
    pub iter: Expr,
    /// Loop body.
    pub body: Box<Stmt>,
}

/// `while (cond) body`.
#[derive(Clone, Debug, PartialEq)]
pub struct While {
    /// Condition.
    pub cond: Expr,
    /// Body.
    pub body: Box<Stmt>,
}

/// `do { body } while (cond)`.
#[derive(Clone, Debug, PartialEq)]
pub struct DoWhile {
    /// Body.
    pub body: Block,
    /// Condition.
    pub cond: Expr,
}

/// `switch (value) { cases default }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Switch {
    /// Switched value.
    pub value: Expr,
    /// `case` clauses in order.
    pub cases: Vec<Case>,
    /// `default:` body, if present.
    pub default: Option<Vec<Stmt>>,
}

/// `case a, b..c: body` (no fall-through).
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The labels (at least one).
    pub labels: Vec<CaseLabel>,
    /// Statements of the clause.
    pub body: Vec<Stmt>,
    /// Where the clause was written.
    pub span: Span,
}

/// One `case` label.
#[derive(Clone, Debug, PartialEq)]
pub enum CaseLabel {
    /// A single value.
    Value(Expr),
    /// An inclusive range `a..b`.
    Range(Expr, Expr),
}

/// `@name{ field: value, … }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Hint {
    /// Hint name (without `@`).
    pub name: Ident,
    /// Hint fields.
    pub fields: Vec<HintField>,
}

/// `name: value` inside a hint object.
#[derive(Clone, Debug, PartialEq)]
pub struct HintField {
    /// Field name.
    pub name: Ident,
    /// Field value.
    pub value: HintValue,
}

/// The value of a hint field.
#[derive(Clone, Debug, PartialEq)]
pub enum HintValue {
    /// An expression (arrays of plain expressions parse as [`ExprKind::Array`]).
    Expr(Expr),
    /// A nested object `{ field: value, … }`.
    Object(Vec<HintField>),
    /// An array containing at least one nested object; its items are objects or expressions
    /// (never nested [`HintValue::Array`]s).
    Array(Vec<HintValue>),
}

/// Kind of column in a `col` declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum ColKind {
    /// `col witness`.
    Witness,
    /// `col fixed`.
    Fixed,
    /// `col <commit>`: a column of a custom commit declared with `commit`.
    Custom(Ident),
}

/// An attribute of a `col` declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum ColAttr {
    /// `bits(width[, signed])`.
    Bits {
        /// Bit width expression.
        width: Expr,
        /// `signed` was written.
        signed: bool,
    },
    /// `stage(n)`.
    Stage(Expr),
    /// `virtual(size)` (fixed scratch columns).
    Virtual(Expr),
}

/// A declared name with optional array dimensions: `a`, `x[4][2]`, `air.sp`.
#[derive(Clone, Debug, PartialEq)]
pub struct DeclItem {
    /// Declared name.
    pub name: Name,
    /// Array dimensions; `None` for an empty `[]`.
    pub dims: Vec<Option<Expr>>,
    /// Where it was written.
    pub span: Span,
}

/// `col kind attrs items [= init]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ColDecl {
    /// Witness, fixed or custom-commit column.
    pub kind: ColKind,
    /// `bits(..)`, `stage(..)`, `virtual(..)` in written order.
    pub attrs: Vec<ColAttr>,
    /// The declared columns.
    pub items: Vec<DeclItem>,
    /// Initialiser (a sequence such as `[1,0...]` is an [`ExprKind::Array`]).
    pub init: Option<Expr>,
}

/// An attribute of a `commit` declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum CommitAttr {
    /// `stage(n)`.
    Stage(Expr),
    /// `public(a, b)`.
    Public(Vec<Name>),
}

/// `commit attrs name`.
#[derive(Clone, Debug, PartialEq)]
pub struct CommitDecl {
    /// Attributes in written order.
    pub attrs: Vec<CommitAttr>,
    /// Name of the custom commit.
    pub name: Ident,
}

/// Kind of value declared by a [`ValueDecl`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// `public`: public input.
    Public,
    /// `proofval`: per-proof prover value.
    ProofVal,
    /// `airval`: per-instance value.
    AirVal,
    /// `airgroupval`: value aggregated over an airgroup.
    AirGroupVal,
    /// `challenge`: verifier randomness.
    Challenge,
}

/// An attribute of a value declaration.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueAttr {
    /// `stage(n)`.
    Stage(Expr),
    /// `aggregate(sum|prod)`.
    Aggregate(Ident),
    /// `default(v)`.
    Default(Expr),
}

/// `public|proofval|airval|airgroupval|challenge attrs items`.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueDecl {
    /// What is declared.
    pub kind: ValueKind,
    /// Attributes in written order.
    pub attrs: Vec<ValueAttr>,
    /// Declared names.
    pub items: Vec<DeclItem>,
}

/// The declared names of a [`VarDecl`].
#[derive(Clone, Debug, PartialEq)]
pub enum VarTarget {
    /// `a, b[2]`.
    Items(Vec<DeclItem>),
    /// `[a, b, c]` (destructuring; requires an initialiser).
    Destructure(Vec<Name>),
}

/// `[const] type target [= init]`.
#[derive(Clone, Debug, PartialEq)]
pub struct VarDecl {
    /// `const` was written.
    pub is_const: bool,
    /// Declared type.
    pub ty: Type,
    /// Declared names.
    pub target: VarTarget,
    /// Initial value.
    pub init: Option<Expr>,
}

/// Scope of an `on final` hook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinalScope {
    /// `air`.
    Air,
    /// `airgroup`.
    AirGroup,
    /// `proof`.
    Proof,
}

/// `on final[(prio)] scope call`.
#[derive(Clone, Debug, PartialEq)]
pub struct OnFinal {
    /// Priority, if given.
    pub priority: Option<Expr>,
    /// When to run.
    pub scope: FinalScope,
    /// The call to run.
    pub call: Call,
}

/// An air instantiation with `virtual` and/or `alias`.
#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    /// `virtual` was written.
    pub is_virtual: bool,
    /// The template call.
    pub call: Call,
    /// The `alias`, if any.
    pub alias: Option<AliasName>,
}

/// Left-hand side of an assignment.
#[derive(Clone, Debug, PartialEq)]
pub enum AssignTarget {
    /// `x`, `x[i][j]`, `air.x`.
    Ref(Reference),
    /// `[a, b]`.
    Destructure(Vec<Name>),
}

/// Assignment operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    /// `=`.
    Assign,
    /// `+=`.
    AddAssign,
    /// `-=`.
    SubAssign,
    /// `*=`.
    MulAssign,
}

/// `target op value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assign {
    /// Assigned place.
    pub target: AssignTarget,
    /// Operator.
    pub op: AssignOp,
    /// Assigned value.
    pub value: Expr,
}

/// `++x`, `x++`, `--x`, `x--`.
#[derive(Clone, Debug, PartialEq)]
pub struct IncDec {
    /// Modified place.
    pub target: Reference,
    /// `true` for `++`, `false` for `--`.
    pub increment: bool,
    /// Operator written before the operand.
    pub prefix: bool,
}

/// A reference to a named thing with optional indices: `x`, `a[i][j]`, `air.CLK[i]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// Name.
    pub name: Name,
    /// Indices in order.
    pub indices: Vec<Expr>,
    /// Where it was written.
    pub span: Span,
}

/// A call `f(args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// Callee name (e.g. `lookup_assumes`, `Tables.fill`).
    pub callee: Name,
    /// Arguments in order.
    pub args: Vec<Arg>,
    /// Where it was written.
    pub span: Span,
}

/// A call argument.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// `expr`.
    Positional(Expr),
    /// `name: expr`, or `name:` (shorthand passing the caller's variable `name`).
    Named(Ident, Option<Expr>),
    /// `...expr`.
    Spread(Expr),
}

/// An expression node.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`.
    Neg,
    /// `+x`.
    Plus,
    /// `!x`.
    Not,
}

/// Binary operators, see [`BinaryOp::precedence`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `||`.
    Or,
    /// `&&`.
    And,
    /// `|`.
    BitOr,
    /// `^`.
    BitXor,
    /// `&`.
    BitAnd,
    /// `in`.
    In,
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `>`.
    Gt,
    /// `<=`.
    Le,
    /// `>=`.
    Ge,
    /// `<<`.
    Shl,
    /// `>>`.
    Shr,
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Mod,
    /// `\` (integer division).
    IntDiv,
    /// `**` (right associative).
    Pow,
}

impl BinaryOp {
    /// The operator as written in source.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "||",
            BinaryOp::And => "&&",
            BinaryOp::BitOr => "|",
            BinaryOp::BitXor => "^",
            BinaryOp::BitAnd => "&",
            BinaryOp::In => "in",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Gt => ">",
            BinaryOp::Le => "<=",
            BinaryOp::Ge => ">=",
            BinaryOp::Shl => "<<",
            BinaryOp::Shr => ">>",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::IntDiv => "\\",
            BinaryOp::Pow => "**",
        }
    }

    /// Binding power (higher binds tighter), following pil2.md §1.7: ternary 1, `||` 2,
    /// `&&` 3, `|` 4, `^` 5, `&` 6, `in`/`is` 7, comparisons 8, shifts 9, `+ -` 10,
    /// `* / % \` 11, unary 12, `**` 13.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 2,
            BinaryOp::And => 3,
            BinaryOp::BitOr => 4,
            BinaryOp::BitXor => 5,
            BinaryOp::BitAnd => 6,
            BinaryOp::In => 7,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Gt
            | BinaryOp::Le
            | BinaryOp::Ge => 8,
            BinaryOp::Shl | BinaryOp::Shr => 9,
            BinaryOp::Add | BinaryOp::Sub => 10,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod | BinaryOp::IntDiv => 11,
            BinaryOp::Pow => 13,
        }
    }

    /// `true` for the right-associative `**`.
    pub fn is_right_assoc(self) -> bool {
        self == BinaryOp::Pow
    }
}

/// Expression forms.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// Integer literal, as written (decimal or `0x` hex, `_` separators allowed).
    Number(String),
    /// String literal.
    Str(StringLit),
    /// Template string.
    Template(Template),
    /// A (possibly indexed) name.
    Ref(Reference),
    /// Row offset into the future: `x'` (`by` = `None`, i.e. 1), `x'3`, `x'(e)`.
    Next {
        /// Shifted reference.
        base: Reference,
        /// Offset; `None` means 1.
        by: Option<Box<Expr>>,
    },
    /// Row offset into the past: `'x` (`by` = `None`, i.e. 1), `3'x`, `(e)'x`.
    Prev {
        /// Shifted reference.
        base: Reference,
        /// Offset; `None` means 1.
        by: Option<Box<Expr>>,
    },
    /// A call.
    Call(Call),
    /// A cast `int(x)`, `string(x)`, `expr(x)`, `fe(x)`.
    Cast(Type, Box<Expr>),
    /// An array literal / fixed-column sequence `[…]`, `[…]...` when `fill`.
    Array {
        /// Items in order.
        items: Vec<ArrayItem>,
        /// A trailing `...` repeats the whole block to fill the column.
        fill: bool,
    },
    /// Unary operation.
    Unary(UnaryOp, Box<Expr>),
    /// Binary operation.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `cond ? a : b`.
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
    /// Type test `x is type[]…`.
    Is(Box<Expr>, Type, usize),
}

/// One item of an array literal / sequence.
#[derive(Clone, Debug, PartialEq)]
pub enum ArrayItem {
    /// `...expr` (spread another array).
    Spread(Expr),
    /// A sequence item, see [`SeqItem`].
    Seq(SeqItem),
}

/// A sequence item: value, repeated value, range or progression, optionally filling.
#[derive(Clone, Debug, PartialEq)]
pub struct SeqItem {
    /// The item's shape.
    pub kind: SeqKind,
    /// Trailing `...`: repeat to fill the column.
    pub fill: bool,
    /// Where it was written.
    pub span: Span,
}

/// An inclusive range item `from[:from_times]..to[:to_times]`.
#[derive(Clone, Debug, PartialEq)]
pub struct SeqRange {
    /// First value.
    pub from: Expr,
    /// Repetition of each value (written on the left).
    pub from_times: Option<Expr>,
    /// Last value.
    pub to: Expr,
    /// Repetition written on the right.
    pub to_times: Option<Expr>,
}

/// Shapes of a [`SeqItem`].
#[derive(Clone, Debug, PartialEq)]
pub enum SeqKind {
    /// `v` or `v:n` (value repeated `n` times); `v` may itself be a nested `[…]` block.
    Value {
        /// Value.
        value: Expr,
        /// Repetition count.
        times: Option<Expr>,
    },
    /// `a..b`, `a:n..b:m` (inclusive range; each value repeated).
    Range(Box<SeqRange>),
    /// `v..+..` (arithmetic) or `v..*..` (geometric) progression continuing from the
    /// previous item.
    Progression {
        /// Value.
        value: Expr,
        /// Repetition count of the value.
        times: Option<Expr>,
        /// `true` for `..*..`, `false` for `..+..`.
        geometric: bool,
    },
}
