//! The intermediate representation: what a compiled PIL program declares, per AIR.
//!
//! Everything here is plain data in source order (no hash maps), so the IR and everything
//! generated from it is deterministic. `Display` on [`Ir`] gives a readable dump used by the
//! snapshot tests.

use std::fmt;

/// The Goldilocks prime `2^64 - 2^32 + 1`; constants in [`Expr`] are reduced modulo it.
pub const GOLDILOCKS_PRIME: u64 = 0xffff_ffff_0000_0001;

/// Maximum constraint degree accepted by the checks (the STARK uses blowup 2).
pub const MAX_DEGREE: usize = 3;

/// A whole compilation: every AIR plus proof-level values and terms.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ir {
    /// AIRs in instantiation order.
    pub airs: Vec<Air>,
    /// `public` declarations (proof scope), in declaration order.
    pub publics: Vec<ValueGroup>,
    /// `proofval` declarations, in declaration order.
    pub proofvals: Vec<ValueGroup>,
    /// Proof-level bus terms (`direct_global_update_*`), over publics, proofvals and constants.
    pub global_interactions: Vec<Interaction>,
    /// The distinct `range_check` ranges, in order of first use; index = range id.
    pub ranges: Vec<RangeDef>,
}

impl Ir {
    /// Number of scalar public values.
    pub fn num_publics(&self) -> usize {
        self.publics.iter().map(ValueGroup::len).sum()
    }

    /// Number of scalar proof values.
    pub fn num_proofvals(&self) -> usize {
        self.proofvals.iter().map(ValueGroup::len).sum()
    }
}

/// A range checked by `range_check`, proved natively by the prover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeDef {
    /// Bus id of the range (`RANGE_BUS_BASE + index`).
    pub bus: u64,
    /// Smallest allowed value.
    pub min: i64,
    /// Largest allowed value.
    pub max: i64,
}

/// First bus id used for `range_check` ranges (ZisK's std allocates from 102 on).
pub const RANGE_BUS_BASE: u64 = 102;

/// A source location: file (relative to the PIL root), 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Loc {
    /// File name, e.g. `example/fibonacci_sq.pil`.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// Byte offset of the start of the statement in the file.
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One AIR: a template instance.
#[derive(Clone, Debug, PartialEq)]
pub struct Air {
    /// AIR name: the `alias`, or the template name.
    pub name: String,
    /// Template it was instantiated from.
    pub template: String,
    /// Enclosing airgroup.
    pub airgroup: String,
    /// Instantiated with `virtual` (a table the prover may pack with others).
    pub is_virtual: bool,
    /// Row count, a power of two.
    pub n: u64,
    /// Where the template was instantiated.
    pub loc: Loc,
    /// Witness column groups in declaration order.
    pub witness: Vec<ColumnGroup>,
    /// Fixed column groups in declaration order.
    pub fixed: Vec<ColumnGroup>,
    /// Contents of each scalar fixed column, by fixed column index.
    pub fixed_data: Vec<FixedData>,
    /// `airval` declarations of this AIR.
    pub airvals: Vec<ValueGroup>,
    /// Constraints, in emission order.
    pub constraints: Vec<Constraint>,
    /// Bus interactions, in emission order.
    pub interactions: Vec<Interaction>,
}

impl Air {
    /// Number of scalar witness columns.
    pub fn num_witness(&self) -> usize {
        self.witness.iter().map(ColumnGroup::len).sum()
    }

    /// Number of scalar fixed columns.
    pub fn num_fixed(&self) -> usize {
        self.fixed.iter().map(ColumnGroup::len).sum()
    }

    /// Number of scalar airvals.
    pub fn num_airvals(&self) -> usize {
        self.airvals.iter().map(ValueGroup::len).sum()
    }

    /// Largest degree over all constraints (0 without constraints).
    pub fn max_degree(&self) -> usize {
        self.constraints.iter().map(|c| c.degree).max().unwrap_or(0)
    }
}

/// Witness or fixed column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColKind {
    /// Committed by the prover (`col witness`).
    Witness,
    /// Preprocessed (`col fixed`).
    Fixed,
}

/// A declared column name, scalar or array (`a`, `c[4][2]`); its elements are consecutive
/// scalar columns starting at `first`, row-major over `dims`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnGroup {
    /// Name without scope prefix (`air.x` → `x`).
    pub name: String,
    /// Array dimensions (empty for a scalar).
    pub dims: Vec<usize>,
    /// Index of the first scalar column (within its kind).
    pub first: usize,
    /// `bits(n[, signed])`, if given.
    pub bits: Option<Bits>,
    /// Where it was declared.
    pub loc: Loc,
}

impl ColumnGroup {
    /// Number of scalar columns.
    pub fn len(&self) -> usize {
        self.dims.iter().product()
    }

    /// `true` for a zero-length array.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A `bits(width[, signed])` annotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bits {
    /// Bit width.
    pub width: u32,
    /// `signed` was written.
    pub signed: bool,
}

/// A declared value name (public, proofval, airval), scalar or array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueGroup {
    /// Name.
    pub name: String,
    /// Array dimensions.
    pub dims: Vec<usize>,
    /// Index of the first scalar value.
    pub first: usize,
}

impl ValueGroup {
    /// Number of scalar values.
    pub fn len(&self) -> usize {
        self.dims.iter().product()
    }

    /// `true` for a zero-length array.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Contents of one fixed column.
#[derive(Clone, Debug, PartialEq)]
pub enum FixedData {
    /// Given by a sequence initialiser; expanded to `N` rows by the generated code.
    Sequence(Sequence),
    /// Explicit values (canonical field elements) as runs `(value, count)` covering `N` rows.
    Runs(Vec<(u64, u64)>),
}

/// A fixed-column sequence such as `[1, 0...]` or `[0..255]...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequence {
    /// Items in order.
    pub items: Vec<SeqItem>,
    /// Index of the item repeated (cyclically) to fill the column, if any.
    pub fill: Option<usize>,
}

/// One item of a [`Sequence`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeqItem {
    /// `value:times`.
    Value {
        /// The value (reduced modulo the prime when expanded).
        value: i128,
        /// Repetitions.
        times: u64,
    },
    /// `from:times..to:times`, inclusive, ascending or descending.
    Range {
        /// First value.
        from: i128,
        /// Last value.
        to: i128,
        /// Repetitions of each value.
        times: u64,
    },
    /// `[items]:times`.
    Block {
        /// The nested sequence (without fill).
        items: Vec<SeqItem>,
        /// Repetitions of the whole block.
        times: u64,
    },
}

impl SeqItem {
    /// Number of values the item expands to.
    pub fn len(&self) -> u128 {
        match self {
            SeqItem::Value { times, .. } => u128::from(*times),
            SeqItem::Range { from, to, times } => {
                (from.abs_diff(*to) + 1).saturating_mul(u128::from(*times))
            }
            SeqItem::Block { items, times } => items
                .iter()
                .map(SeqItem::len)
                .fold(0u128, u128::saturating_add)
                .saturating_mul(u128::from(*times)),
        }
    }

    /// `true` if the item expands to nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn push_values(&self, out: &mut Vec<i128>, limit: usize) {
        match self {
            SeqItem::Value { value, times } => {
                for _ in 0..*times {
                    if out.len() >= limit {
                        return;
                    }
                    out.push(*value);
                }
            }
            SeqItem::Range { from, to, times } => {
                let step: i128 = if to >= from { 1 } else { -1 };
                let mut v = *from;
                loop {
                    for _ in 0..*times {
                        if out.len() >= limit {
                            return;
                        }
                        out.push(v);
                    }
                    if v == *to {
                        break;
                    }
                    v += step;
                }
            }
            SeqItem::Block { items, times } => {
                for _ in 0..*times {
                    for item in items {
                        if out.len() >= limit {
                            return;
                        }
                        item.push_values(out, limit);
                    }
                }
            }
        }
    }
}

impl Sequence {
    /// Expands the sequence to exactly `n` values, or explains why it cannot.
    pub fn expand(&self, n: usize) -> Result<Vec<i128>, String> {
        let fixed_len: u128 = self
            .items
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != self.fill)
            .map(|(_, item)| item.len())
            .fold(0, u128::saturating_add);
        if fixed_len > n as u128 || (self.fill.is_none() && fixed_len != n as u128) {
            return Err(format!(
                "the sequence has {fixed_len} values but the column has {n} rows"
            ));
        }
        let mut out = Vec::with_capacity(n);
        for (i, item) in self.items.iter().enumerate() {
            if Some(i) == self.fill {
                let fill_len = n - fixed_len as usize;
                if fill_len == 0 {
                    continue;
                }
                if item.is_empty() {
                    return Err("the repeated item of the sequence is empty".to_string());
                }
                let mut one = Vec::new();
                item.push_values(&mut one, fill_len);
                let start = out.len();
                while out.len() - start < fill_len {
                    let take = (fill_len - (out.len() - start)).min(one.len());
                    out.extend_from_slice(&one[..take]);
                }
            } else {
                item.push_values(&mut out, n);
            }
        }
        Ok(out)
    }
}

/// A polynomial expression over the columns and values of one AIR.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Expr {
    /// A constant, canonical modulo [`GOLDILOCKS_PRIME`].
    Const(u64),
    /// A scalar column at a row offset (`x'` is +1, `'x` is -1).
    Col {
        /// Witness or fixed.
        kind: ColKind,
        /// Scalar column index within its kind.
        index: usize,
        /// Row offset.
        offset: i64,
    },
    /// A public value (index into [`Ir::publics`] scalars).
    Public(usize),
    /// A proof value (index into [`Ir::proofvals`] scalars).
    ProofVal(usize),
    /// An airval of the current AIR.
    AirVal(usize),
    /// Sum.
    Add(Box<Expr>, Box<Expr>),
    /// Difference.
    Sub(Box<Expr>, Box<Expr>),
    /// Product.
    Mul(Box<Expr>, Box<Expr>),
    /// Negation.
    Neg(Box<Expr>),
}

impl Expr {
    /// Reduces a compile-time integer to a constant.
    pub fn constant(v: i128) -> Expr {
        let p = i128::from(GOLDILOCKS_PRIME);
        Expr::Const(v.rem_euclid(p) as u64)
    }

    /// Polynomial degree (columns count 1; constants and values 0).
    pub fn degree(&self) -> usize {
        match self {
            Expr::Const(_) | Expr::Public(_) | Expr::ProofVal(_) | Expr::AirVal(_) => 0,
            Expr::Col { .. } => 1,
            Expr::Add(a, b) | Expr::Sub(a, b) => a.degree().max(b.degree()),
            Expr::Mul(a, b) => a.degree() + b.degree(),
            Expr::Neg(a) => a.degree(),
        }
    }

    /// Smallest and largest row offset of a column in the expression, if any column.
    pub fn offset_range(&self) -> Option<(i64, i64)> {
        let mut range: Option<(i64, i64)> = None;
        self.visit_cols(&mut |_, _, off| {
            range = Some(match range {
                None => (off, off),
                Some((lo, hi)) => (lo.min(off), hi.max(off)),
            });
        });
        range
    }

    /// Calls `f(kind, index, offset)` for every column leaf.
    pub fn visit_cols(&self, f: &mut impl FnMut(ColKind, usize, i64)) {
        match self {
            Expr::Col {
                kind,
                index,
                offset,
            } => f(*kind, *index, *offset),
            Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) => {
                a.visit_cols(f);
                b.visit_cols(f);
            }
            Expr::Neg(a) => a.visit_cols(f),
            _ => {}
        }
    }

    /// The expression with every row offset increased by `by`.
    pub fn shifted(&self, by: i64) -> Expr {
        match self {
            Expr::Col {
                kind,
                index,
                offset,
            } => Expr::Col {
                kind: *kind,
                index: *index,
                offset: offset + by,
            },
            Expr::Add(a, b) => Expr::Add(Box::new(a.shifted(by)), Box::new(b.shifted(by))),
            Expr::Sub(a, b) => Expr::Sub(Box::new(a.shifted(by)), Box::new(b.shifted(by))),
            Expr::Mul(a, b) => Expr::Mul(Box::new(a.shifted(by)), Box::new(b.shifted(by))),
            Expr::Neg(a) => Expr::Neg(Box::new(a.shifted(by))),
            other => other.clone(),
        }
    }

    /// Evaluates the expression with the given leaf values, in `u64` arithmetic modulo
    /// [`GOLDILOCKS_PRIME`].
    pub fn eval_mod_p(&self, leaf: &mut impl FnMut(&Expr) -> u64) -> u64 {
        const P: u128 = GOLDILOCKS_PRIME as u128;
        match self {
            Expr::Const(c) => *c,
            Expr::Add(a, b) => {
                ((u128::from(a.eval_mod_p(leaf)) + u128::from(b.eval_mod_p(leaf))) % P) as u64
            }
            Expr::Sub(a, b) => {
                ((u128::from(a.eval_mod_p(leaf)) + P - u128::from(b.eval_mod_p(leaf))) % P) as u64
            }
            Expr::Mul(a, b) => {
                ((u128::from(a.eval_mod_p(leaf)) * u128::from(b.eval_mod_p(leaf))) % P) as u64
            }
            Expr::Neg(a) => ((P - u128::from(a.eval_mod_p(leaf))) % P) as u64,
            other => leaf(other) % GOLDILOCKS_PRIME,
        }
    }
}

/// How a constraint was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstraintKind {
    /// `a === b`.
    Equal,
    /// `col <== expr` (the prover may compute `col` from `expr`).
    WitnessAssign,
    /// Added by the compiler: a bus selector must be boolean.
    BooleanSelector,
}

/// A polynomial that must vanish on every row (the domain is cyclic).
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    /// The polynomial (`lhs - rhs`), with the row offsets as written.
    pub expr: Expr,
    /// Its degree.
    pub degree: usize,
    /// How it was written.
    pub kind: ConstraintKind,
    /// Source location of the statement.
    pub loc: Loc,
    /// Source text of the statement, whitespace collapsed.
    pub text: String,
}

/// What a bus is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BusKind {
    /// `lookup_assumes` / `lookup_proves` / `lookup`.
    Lookup,
    /// `permutation_assumes` / `permutation_proves` / `permutation`.
    Permutation,
    /// `range_check(expr, min, max[, sel])`: an assume on the range's bus.
    RangeCheck,
    /// `direct_update_*` / `direct_global_update_*`: a term added once, not per row.
    Direct,
}

/// Which side of the bus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Consumes tuples (`*_assumes`): contributes `-multiplicity`.
    Assume,
    /// Provides tuples (`*_proves`): contributes `+multiplicity`.
    Prove,
    /// `lookup`/`permutation` without side: contributes `+multiplicity`, whose sign decides.
    Free,
}

/// Whether an interaction counts per row or once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Evaluated on every row.
    Row,
    /// Evaluated once per AIR instance (`direct_update_*`), from airvals/publics/constants.
    Instance,
    /// Evaluated once per proof (`direct_global_update_*`).
    Global,
}

/// One bus term: `direction · multiplicity` copies of the tuple `values` on bus `bus`.
#[derive(Clone, Debug, PartialEq)]
pub struct Interaction {
    /// Bus id (PIL `opid`; for range checks the range's bus).
    pub bus: u64,
    /// Kind of bus call.
    pub kind: BusKind,
    /// Side.
    pub direction: Direction,
    /// Per row, per instance or per proof.
    pub scope: Scope,
    /// Tuple.
    pub values: Vec<Expr>,
    /// Selector (assumes) or multiplicity (proves).
    pub multiplicity: Expr,
    /// For range checks, the index into [`Ir::ranges`].
    pub range: Option<usize>,
    /// Source location of the call.
    pub loc: Loc,
    /// Source text of the call, whitespace collapsed.
    pub text: String,
}

/// Names used when printing expressions of one AIR.
pub struct Names {
    /// Scalar witness column names.
    pub witness: Vec<String>,
    /// Scalar fixed column names.
    pub fixed: Vec<String>,
    /// Scalar public names.
    pub publics: Vec<String>,
    /// Scalar proofval names.
    pub proofvals: Vec<String>,
    /// Scalar airval names.
    pub airvals: Vec<String>,
}

/// The scalar names of a list of groups (`c[0][1]` for element (0, 1) of `c[2][2]`).
pub fn scalar_names<'g>(groups: impl IntoIterator<Item = (&'g str, &'g [usize])>) -> Vec<String> {
    let mut out = Vec::new();
    for (name, dims) in groups {
        let total: usize = dims.iter().product();
        for flat in 0..total {
            let mut s = name.to_string();
            let mut rem = flat;
            let mut idx = vec![0; dims.len()];
            for (d, &len) in dims.iter().enumerate().rev() {
                idx[d] = rem % len;
                rem /= len;
            }
            for i in idx {
                s.push_str(&format!("[{i}]"));
            }
            out.push(s);
        }
    }
    out
}

impl Names {
    /// Names for expressions of `air` within `ir` (`air` may be `None` for global terms).
    pub fn new(ir: &Ir, air: Option<&Air>) -> Self {
        let col = |g: &[ColumnGroup]| {
            scalar_names(g.iter().map(|g| (g.name.as_str(), g.dims.as_slice())))
        };
        let val =
            |g: &[ValueGroup]| scalar_names(g.iter().map(|g| (g.name.as_str(), g.dims.as_slice())));
        Names {
            witness: air.map(|a| col(&a.witness)).unwrap_or_default(),
            fixed: air.map(|a| col(&a.fixed)).unwrap_or_default(),
            publics: val(&ir.publics),
            proofvals: val(&ir.proofvals),
            airvals: air.map(|a| val(&a.airvals)).unwrap_or_default(),
        }
    }

    /// Formats `e` as PIL-like text with minimal parentheses.
    pub fn expr(&self, e: &Expr) -> String {
        self.fmt_prec(e, 0)
    }

    fn fmt_prec(&self, e: &Expr, prec: u8) -> String {
        let get = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_else(|| format!("?{i}"));
        let (s, p) = match e {
            Expr::Const(c) => {
                if *c > GOLDILOCKS_PRIME / 2 {
                    (format!("-{}", GOLDILOCKS_PRIME - c), 3)
                } else {
                    (c.to_string(), 4)
                }
            }
            Expr::Col {
                kind,
                index,
                offset,
            } => {
                let name = match kind {
                    ColKind::Witness => get(&self.witness, *index),
                    ColKind::Fixed => get(&self.fixed, *index),
                };
                let s = match offset {
                    0 => name,
                    1 => format!("{name}'"),
                    -1 => format!("'{name}"),
                    o if *o > 0 => format!("{name}'{o}"),
                    o => format!("{}'{name}", -o),
                };
                (s, 4)
            }
            Expr::Public(i) => (get(&self.publics, *i), 4),
            Expr::ProofVal(i) => (get(&self.proofvals, *i), 4),
            Expr::AirVal(i) => (get(&self.airvals, *i), 4),
            Expr::Add(a, b) => (
                format!("{} + {}", self.fmt_prec(a, 1), self.fmt_prec(b, 2)),
                1,
            ),
            Expr::Sub(a, b) => (
                format!("{} - {}", self.fmt_prec(a, 1), self.fmt_prec(b, 2)),
                1,
            ),
            Expr::Mul(a, b) => (
                format!("{} * {}", self.fmt_prec(a, 2), self.fmt_prec(b, 3)),
                2,
            ),
            Expr::Neg(a) => (format!("-{}", self.fmt_prec(a, 3)), 3),
        };
        if p < prec {
            format!("({s})")
        } else {
            s
        }
    }
}

fn dims_str(dims: &[usize]) -> String {
    dims.iter().map(|d| format!("[{d}]")).collect()
}

fn write_interaction(f: &mut fmt::Formatter<'_>, names: &Names, i: &Interaction) -> fmt::Result {
    let values: Vec<String> = i.values.iter().map(|v| names.expr(v)).collect();
    writeln!(
        f,
        "    {:?} {:?} {:?} bus {} [{}] x {}    // {} `{}`",
        i.scope,
        i.kind,
        i.direction,
        i.bus,
        values.join(", "),
        names.expr(&i.multiplicity),
        i.loc,
        i.text
    )
}

impl fmt::Display for Ir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.publics {
            writeln!(f, "public {}{}", p.name, dims_str(&p.dims))?;
        }
        for p in &self.proofvals {
            writeln!(f, "proofval {}{}", p.name, dims_str(&p.dims))?;
        }
        for r in &self.ranges {
            writeln!(f, "range bus {}: [{}..{}]", r.bus, r.min, r.max)?;
        }
        if !self.global_interactions.is_empty() {
            writeln!(f, "global:")?;
            let names = Names::new(self, None);
            for i in &self.global_interactions {
                write_interaction(f, &names, i)?;
            }
        }
        for air in &self.airs {
            let names = Names::new(self, Some(air));
            writeln!(
                f,
                "air {} (template {}, airgroup {}{}) N = {} at {}",
                air.name,
                air.template,
                air.airgroup,
                if air.is_virtual { ", virtual" } else { "" },
                air.n,
                air.loc
            )?;
            for g in &air.witness {
                let bits = match g.bits {
                    Some(Bits { width, signed }) => {
                        format!(" bits({width}{})", if signed { ", signed" } else { "" })
                    }
                    None => String::new(),
                };
                writeln!(
                    f,
                    "  witness{bits} {}{} @{}",
                    g.name,
                    dims_str(&g.dims),
                    g.first
                )?;
            }
            for g in &air.fixed {
                writeln!(f, "  fixed {}{} @{}", g.name, dims_str(&g.dims), g.first)?;
            }
            for (i, data) in air.fixed_data.iter().enumerate() {
                let name = names.fixed.get(i).cloned().unwrap_or_default();
                match data {
                    FixedData::Sequence(s) => writeln!(f, "  {name} = {s:?}")?,
                    FixedData::Runs(runs) => {
                        let shown: Vec<String> = runs
                            .iter()
                            .take(8)
                            .map(|(v, n)| format!("{v}x{n}"))
                            .collect();
                        let more = if runs.len() > 8 { ", …" } else { "" };
                        writeln!(
                            f,
                            "  {name} = runs({}) [{}{more}]",
                            runs.len(),
                            shown.join(", ")
                        )?
                    }
                }
            }
            for v in &air.airvals {
                writeln!(f, "  airval {}{} @{}", v.name, dims_str(&v.dims), v.first)?;
            }
            for c in &air.constraints {
                writeln!(
                    f,
                    "  constraint deg {} {:?}: {} === 0    // {} `{}`",
                    c.degree,
                    c.kind,
                    names.expr(&c.expr),
                    c.loc,
                    c.text
                )?;
            }
            for i in &air.interactions {
                write!(f, "  ")?;
                write_interaction(f, &names, i)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq(items: Vec<SeqItem>, fill: Option<usize>) -> Sequence {
        Sequence { items, fill }
    }

    #[test]
    fn sequences_expand_like_pil() {
        let one_then_zeros = seq(
            vec![
                SeqItem::Value { value: 1, times: 1 },
                SeqItem::Value { value: 0, times: 1 },
            ],
            Some(1),
        );
        assert_eq!(one_then_zeros.expand(4), Ok(vec![1, 0, 0, 0]));
        let cycle = seq(
            vec![SeqItem::Block {
                items: vec![SeqItem::Range {
                    from: 0,
                    to: 2,
                    times: 1,
                }],
                times: 1,
            }],
            Some(0),
        );
        assert_eq!(cycle.expand(8), Ok(vec![0, 1, 2, 0, 1, 2, 0, 1]));
        let down = seq(
            vec![SeqItem::Range {
                from: 1,
                to: -1,
                times: 2,
            }],
            None,
        );
        assert_eq!(down.expand(6), Ok(vec![1, 1, 0, 0, -1, -1]));
        let tail = seq(
            vec![
                SeqItem::Value { value: 5, times: 1 },
                SeqItem::Value { value: 0, times: 1 },
                SeqItem::Value { value: 9, times: 2 },
            ],
            Some(1),
        );
        assert_eq!(tail.expand(5), Ok(vec![5, 0, 0, 9, 9]));
        assert!(down.expand(4).is_err());
        assert!(down.expand(8).is_err());
    }

    #[test]
    fn degree_offsets_and_shift() {
        let col = |index, offset| Expr::Col {
            kind: ColKind::Witness,
            index,
            offset,
        };
        let e = Expr::Mul(
            Box::new(col(0, -1)),
            Box::new(Expr::Add(Box::new(col(1, 0)), Box::new(Expr::Const(3)))),
        );
        assert_eq!(e.degree(), 2);
        assert_eq!(e.offset_range(), Some((-1, 0)));
        assert_eq!(e.shifted(1).offset_range(), Some((0, 1)));
        assert_eq!(Expr::constant(-1), Expr::Const(GOLDILOCKS_PRIME - 1));
    }
}
