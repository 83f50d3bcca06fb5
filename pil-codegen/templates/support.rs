//! Support types shared by every generated AIR: constraint and bus metadata, the
//! [`PilAir`] trait, fixed-column expansion, parallel trace building, and a non-panicking
//! constraint and bus checker over concrete rows.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::borrow::BorrowMut;
use core::fmt;

use p3_air::{Air, AirBuilder, BaseAir, RowWindow, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing, PrimeField64};
use p3_matrix::dense::RowMajorMatrix;
use p3_matrix::Matrix;
use p3_maybe_rayon::prelude::*;

/// The Goldilocks prime; generated constants are canonical modulo it.
pub const GOLDILOCKS_PRIME: u64 = 0xffff_ffff_0000_0001;

/// A witness column (scalar element of a PIL column or column array).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnInfo {
    /// Name, with indices for array elements (`c[1]`).
    pub name: &'static str,
    /// `bits(n)` width, if declared.
    pub bits: Option<u32>,
    /// `bits(n, signed)`.
    pub signed: bool,
}

/// One constraint of an AIR, in the order `eval` asserts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConstraintInfo {
    /// PIL file, relative to `pil/`.
    pub file: &'static str,
    /// 1-based line of the statement.
    pub line: u32,
    /// Source text of the statement.
    pub text: &'static str,
    /// Polynomial degree.
    pub degree: u32,
    /// The constraint as evaluated at row `r` is the PIL constraint at row
    /// `r + row_offset` (offsets are re-based so that only the current and next rows are
    /// read; the trace is cyclic).
    pub row_offset: i64,
}

impl fmt::Display for ConstraintInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{} `{}`", self.file, self.line, self.text)
    }
}

/// What a bus call is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BusKind {
    /// `lookup_assumes` / `lookup_proves` / `lookup`: the multiplicity of proved tuples is free.
    Lookup,
    /// `permutation_*`: both sides carry boolean selectors.
    Permutation,
    /// `range_check(expr, min, max, sel)`: the value must lie in `[min, max]`; the prover
    /// supplies the range table.
    RangeCheck,
    /// `direct_update_*` / `direct_global_update_*`: a term added once, not per row.
    Direct,
}

/// Which side of a bus a term is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// Consumes tuples: contributes `-multiplicity`.
    Assume,
    /// Provides tuples: contributes `+multiplicity`.
    Prove,
    /// Side decided by the sign of the multiplicity: contributes `+multiplicity`.
    Free,
}

impl Direction {
    /// `-1` for [`Direction::Assume`], `+1` otherwise.
    pub fn sign(self) -> i64 {
        match self {
            Direction::Assume => -1,
            Direction::Prove | Direction::Free => 1,
        }
    }
}

/// How often a term counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// On every row of the trace.
    Row,
    /// Once per AIR instance (expressions over constants, publics and airvals only).
    Instance,
    /// Once per proof.
    Global,
}

/// Static description of a bus call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InteractionInfo {
    /// Bus id (PIL `opid`; for range checks the range's bus id).
    pub bus: u64,
    /// Kind of call.
    pub kind: BusKind,
    /// Side.
    pub direction: Direction,
    /// Per row, per instance or per proof.
    pub scope: Scope,
    /// Tuple width.
    pub width: usize,
    /// For range checks: `(min, max)`.
    pub range: Option<(i64, i64)>,
    /// PIL file.
    pub file: &'static str,
    /// 1-based line.
    pub line: u32,
    /// Source text of the call.
    pub text: &'static str,
    /// Offset added to every row offset (see [`ConstraintInfo::row_offset`]).
    pub row_offset: i64,
}

impl fmt::Display for InteractionInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{} `{}`", self.file, self.line, self.text)
    }
}

/// One bus term evaluated by a builder: symbolic with a symbolic builder, concrete with
/// [`RowBuilder`].
#[derive(Clone, Debug)]
pub struct Interaction<E> {
    /// What the call is.
    pub info: &'static InteractionInfo,
    /// The tuple.
    pub values: Vec<E>,
    /// Selector (assumes) or multiplicity (proves), before applying the direction's sign.
    pub multiplicity: E,
}

/// A range used by `range_check`, proved natively.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeInfo {
    /// Bus id of the range.
    pub bus: u64,
    /// Smallest value.
    pub min: i64,
    /// Largest value.
    pub max: i64,
}

/// One item of a fixed-column sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeqItem {
    /// `value:times`.
    Value {
        /// Value (reduced modulo the prime).
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
        /// Nested items.
        items: &'static [SeqItem],
        /// Repetitions.
        times: u64,
    },
}

/// A fixed-column sequence: items, one of which may repeat cyclically to fill the column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sequence {
    /// Items.
    pub items: &'static [SeqItem],
    /// Index of the filling item.
    pub fill: Option<usize>,
}

/// How a fixed column's contents are given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixedValues {
    /// A sequence, expanded at run time.
    Sequence(Sequence),
    /// Runs of canonical field elements, packed into one string so large tables stay cheap to
    /// parse and format: space-separated `value` or `value*count` tokens, both in hex.
    Runs(&'static str),
}

/// A fixed column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedColumn {
    /// Name (with indices for array elements).
    pub name: &'static str,
    /// Contents.
    pub values: FixedValues,
}

fn reduce(v: i128) -> u64 {
    v.rem_euclid(i128::from(GOLDILOCKS_PRIME)) as u64
}

fn item_len(item: &SeqItem) -> usize {
    match *item {
        SeqItem::Value { times, .. } => times as usize,
        SeqItem::Range { from, to, times } => (from.abs_diff(to) as usize + 1) * times as usize,
        SeqItem::Block { items, times } => items.iter().map(item_len).sum::<usize>() * times as usize,
    }
}

fn push_item(item: &SeqItem, out: &mut Vec<u64>, limit: usize) {
    match *item {
        SeqItem::Value { value, times } => {
            for _ in 0..times {
                if out.len() >= limit {
                    return;
                }
                out.push(reduce(value));
            }
        }
        SeqItem::Range { from, to, times } => {
            let step = if to >= from { 1 } else { -1 };
            let mut v = from;
            loop {
                for _ in 0..times {
                    if out.len() >= limit {
                        return;
                    }
                    out.push(reduce(v));
                }
                if v == to {
                    break;
                }
                v += step;
            }
        }
        SeqItem::Block { items, times } => {
            for _ in 0..times {
                for i in items {
                    if out.len() >= limit {
                        return;
                    }
                    push_item(i, out, limit);
                }
            }
        }
    }
}

impl Sequence {
    /// Expands the sequence to `n` canonical values (the compiler checked that it fits).
    pub fn expand(&self, n: usize) -> Vec<u64> {
        let fixed_len: usize = self
            .items
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != self.fill)
            .map(|(_, item)| item_len(item))
            .sum();
        let mut out = Vec::with_capacity(n);
        for (i, item) in self.items.iter().enumerate() {
            if Some(i) == self.fill {
                let fill_len = n.saturating_sub(fixed_len);
                let mut one = Vec::new();
                push_item(item, &mut one, fill_len);
                if one.is_empty() {
                    continue;
                }
                let start = out.len();
                while out.len() - start < fill_len {
                    let take = (fill_len - (out.len() - start)).min(one.len());
                    out.extend_from_slice(&one[..take]);
                }
            } else {
                push_item(item, &mut out, n);
            }
        }
        out.resize(n, 0);
        out
    }
}

impl FixedValues {
    /// The column's `n` values as canonical `u64`s.
    pub fn expand(&self, n: usize) -> Vec<u64> {
        match self {
            FixedValues::Sequence(s) => s.expand(n),
            FixedValues::Runs(runs) => {
                let mut out = Vec::with_capacity(n);
                for token in runs.split_ascii_whitespace() {
                    let (v, count) = token.split_once('*').unwrap_or((token, "1"));
                    let v = u64::from_str_radix(v, 16).expect("invariant: generated runs are hex");
                    let count = usize::from_str_radix(count, 16).expect("invariant: generated counts are hex");
                    out.extend(core::iter::repeat_n(v, count));
                }
                out.resize(n, 0);
                out
            }
        }
    }
}

/// Builds the fixed (preprocessed) trace of `n` rows from column descriptions.
pub fn fixed_trace<F: Field>(columns: &[FixedColumn], n: usize) -> RowMajorMatrix<F> {
    let width = columns.len();
    let expanded: Vec<Vec<u64>> = columns.iter().map(|c| c.values.expand(n)).collect();
    let mut values = F::zero_vec(n * width);
    values
        .par_chunks_mut(width.max(1))
        .enumerate()
        .for_each(|(row, out)| {
            for (col, cell) in out.iter_mut().enumerate() {
                *cell = F::from_u64(expanded[col][row]);
            }
        });
    RowMajorMatrix::new(values, width.max(1))
}

/// Allocates `n` zeroed rows of `width` columns and calls `fill(row_index, row)` on every
/// row in parallel, with the row viewed as the AIR's row struct `R`.
pub fn generate_trace<F, R>(n: usize, width: usize, fill: impl Fn(usize, &mut R) + Sync) -> RowMajorMatrix<F>
where
    F: Field,
    [F]: BorrowMut<R>,
{
    let mut trace = RowMajorMatrix::new(F::zero_vec(n * width), width);
    trace
        .par_rows_mut()
        .enumerate()
        .for_each(|(i, row)| fill(i, row.borrow_mut()));
    trace
}

/// Like [`generate_trace`], filling row `i < inputs.len()` from `inputs[i]` and every other
/// row with `pad(i, row)`.
///
/// # Panics
///
/// Panics if there are more inputs than rows.
pub fn generate_trace_padded<F, R, I>(
    n: usize,
    width: usize,
    inputs: &[I],
    fill: impl Fn(&I, &mut R) + Sync,
    pad: impl Fn(usize, &mut R) + Sync,
) -> RowMajorMatrix<F>
where
    F: Field,
    I: Sync,
    [F]: BorrowMut<R>,
{
    assert!(inputs.len() <= n, "{} inputs do not fit in {n} rows", inputs.len());
    generate_trace(n, width, |i, row| match inputs.get(i) {
        Some(input) => fill(input, row),
        None => pad(i, row),
    })
}

/// What every generated AIR provides beyond Plonky3's [`BaseAir`]/[`Air`].
pub trait PilAir {
    /// The AIR's name (alias or template name).
    fn name(&self) -> &'static str;
    /// Row count `N`.
    fn n(&self) -> usize;
    /// Witness columns, in row-struct order.
    fn columns(&self) -> &'static [ColumnInfo];
    /// Fixed columns, in fixed-row order.
    fn fixed_columns(&self) -> &'static [FixedColumn];
    /// Names of the public values the AIR expects: publics, then proofvals, then airvals.
    fn public_value_names(&self) -> &'static [&'static str];
    /// Every constraint, in the order `eval` asserts them.
    fn constraints(&self) -> &'static [ConstraintInfo];
    /// Every bus call, in the order [`PilAir::interactions`] returns them.
    fn interaction_infos(&self) -> &'static [InteractionInfo];
    /// Builds the bus terms from the builder's current window (local/next rows, fixed
    /// rows, public values).
    fn interactions<AB: AirBuilder>(&self, builder: &AB) -> Vec<Interaction<AB::Expr>>;
}

/// The registry of one generated PIL program, implemented by the program's `AnyAir`: what a
/// prover needs to build every AIR of one statement.
pub trait PilProgramInfo: PilAir + Sized + 'static {
    /// Every AIR of the program, in AIR-id order.
    fn program_airs() -> Vec<Self>;
    /// The ranges `range_check` uses, by bus id.
    fn ranges() -> &'static [RangeInfo];
    /// Names of the proof-level public values: publics, then proofvals.
    fn public_names() -> &'static [&'static str];
    /// Number of proof-level public values.
    fn num_publics() -> usize {
        Self::public_names().len()
    }
    /// The proof-level bus terms (`direct_global_update_*`) from the public values.
    fn global_interactions<E: PrimeCharacteristicRing + Copy>(
        public_values: &[E],
    ) -> Vec<Interaction<E>>;
}

/// An [`AirBuilder`] over two concrete rows that records failed constraints instead of
/// panicking; [`check_air`] and [`eval_interactions`] use it.
#[derive(Debug)]
pub struct RowBuilder<'a, F> {
    main: RowWindow<'a, F>,
    preprocessed: RowWindow<'a, F>,
    public_values: &'a [F],
    is_first: F,
    is_last: F,
    next_constraint: usize,
    failed: Vec<usize>,
}

impl<'a, F: Field> RowBuilder<'a, F> {
    /// A builder over `local`/`next` rows of the main and fixed traces.
    pub fn new(
        main: RowWindow<'a, F>,
        preprocessed: RowWindow<'a, F>,
        public_values: &'a [F],
        row: usize,
        height: usize,
    ) -> Self {
        RowBuilder {
            main,
            preprocessed,
            public_values,
            is_first: F::from_bool(row == 0),
            is_last: F::from_bool(row + 1 == height),
            next_constraint: 0,
            failed: Vec::new(),
        }
    }

    /// Indices of the constraints that did not evaluate to zero.
    pub fn failed(&self) -> &[usize] {
        &self.failed
    }
}

impl<'a, F: Field> AirBuilder for RowBuilder<'a, F> {
    type F = F;
    type Expr = F;
    type Var = F;
    type PreprocessedWindow = RowWindow<'a, F>;
    type MainWindow = RowWindow<'a, F>;
    type PublicVar = F;
    type PeriodicVar = F;

    fn main(&self) -> Self::MainWindow {
        self.main
    }

    fn preprocessed(&self) -> &Self::PreprocessedWindow {
        &self.preprocessed
    }

    fn is_first_row(&self) -> F {
        self.is_first
    }

    fn is_last_row(&self) -> F {
        self.is_last
    }

    fn is_transition(&self) -> F {
        F::ONE - self.is_last
    }

    fn assert_zero<I: Into<F>>(&mut self, x: I) {
        if x.into() != F::ZERO {
            self.failed.push(self.next_constraint);
        }
        self.next_constraint += 1;
    }

    fn public_values(&self) -> &[F] {
        self.public_values
    }
}

/// A constraint that does not hold on a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConstraintFailure {
    /// AIR name.
    pub air: &'static str,
    /// Row of the PIL constraint (offsets as written in PIL, cyclic).
    pub row: usize,
    /// Index into the AIR's constraint table.
    pub constraint: usize,
    /// The constraint.
    pub info: &'static ConstraintInfo,
}

impl fmt::Display for ConstraintFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: constraint #{} ({}) fails on row {}",
            self.air, self.constraint, self.info, self.row
        )
    }
}

fn row_window<F>(m: &RowMajorMatrix<F>, row: usize) -> RowWindow<'_, F> {
    let width = m.width;
    let height = m.values.len() / width.max(1);
    let next = (row + 1) % height.max(1);
    RowWindow::from_two_rows(
        &m.values[row * width..(row + 1) * width],
        &m.values[next * width..(next + 1) * width],
    )
}

/// Evaluates every constraint of `air` on every row of `trace` and returns all failures.
///
/// `fixed` is the preprocessed trace; `None` computes it with [`BaseAir::preprocessed_trace`].
///
/// # Panics
///
/// Panics if the trace width or height does not match the AIR.
pub fn check_air<F, A>(
    air: &A,
    trace: &RowMajorMatrix<F>,
    fixed: Option<&RowMajorMatrix<F>>,
    public_values: &[F],
) -> Vec<ConstraintFailure>
where
    F: Field,
    A: PilAir + BaseAir<F> + for<'a> Air<RowBuilder<'a, F>>,
{
    let height = trace.height();
    assert_eq!(trace.width(), air.width(), "trace width of {}", air.name());
    let owned;
    let fixed = match fixed {
        Some(f) => Some(f),
        None => {
            owned = air.preprocessed_trace();
            owned.as_ref()
        }
    };
    let empty = RowMajorMatrix::new(Vec::new(), 1);
    let failures: Vec<Vec<ConstraintFailure>> = (0..height)
        .into_par_iter()
        .map(|row| {
            let pre = match fixed {
                Some(f) if f.width() > 0 && air.preprocessed_width() > 0 => row_window(f, row),
                _ => RowWindow::from_two_rows(&empty.values[..0], &empty.values[..0]),
            };
            let mut builder = RowBuilder::new(row_window(trace, row), pre, public_values, row, height);
            air.eval(&mut builder);
            builder
                .failed()
                .iter()
                .map(|&c| {
                    let info = &air.constraints()[c];
                    ConstraintFailure {
                        air: air.name(),
                        row: (row as i64 + info.row_offset).rem_euclid(height as i64) as usize,
                        constraint: c,
                        info,
                    }
                })
                .collect()
        })
        .collect();
    failures.into_iter().flatten().collect()
}

/// A bus term evaluated on a concrete row, with the direction's sign applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusTerm {
    /// AIR name (empty for global terms).
    pub air: &'static str,
    /// Row (for per-row terms).
    pub row: usize,
    /// The call.
    pub info: &'static InteractionInfo,
    /// Tuple, canonical.
    pub values: Vec<u64>,
    /// Signed multiplicity, canonical (`p - 1` is `-1`).
    pub multiplicity: u64,
}

/// Evaluates the bus terms of `air` over `trace`: per-row terms on every row where the
/// multiplicity is non-zero, instance terms once.
pub fn eval_interactions<F, A>(
    air: &A,
    trace: &RowMajorMatrix<F>,
    fixed: Option<&RowMajorMatrix<F>>,
    public_values: &[F],
) -> Vec<BusTerm>
where
    F: PrimeField64,
    A: PilAir + BaseAir<F>,
{
    let height = trace.height();
    let owned;
    let fixed = match fixed {
        Some(f) => Some(f),
        None => {
            owned = air.preprocessed_trace();
            owned.as_ref()
        }
    };
    let empty: Vec<F> = Vec::new();
    let mut out = Vec::new();
    for row in 0..height {
        let pre = match fixed {
            Some(f) if air.preprocessed_width() > 0 => row_window(f, row),
            _ => RowWindow::from_two_rows(&empty[..], &empty[..]),
        };
        let builder = RowBuilder::new(row_window(trace, row), pre, public_values, row, height);
        for term in air.interactions(&builder) {
            if term.info.scope != Scope::Row && row != 0 {
                continue;
            }
            let m = if term.info.direction.sign() < 0 {
                -term.multiplicity
            } else {
                term.multiplicity
            };
            if m == F::ZERO {
                continue;
            }
            out.push(BusTerm {
                air: air.name(),
                row: (row as i64 + term.info.row_offset).rem_euclid(height as i64) as usize,
                info: term.info,
                values: term.values.iter().map(|v| v.as_canonical_u64()).collect(),
                multiplicity: m.as_canonical_u64(),
            });
        }
    }
    out
}

/// Evaluates proof-level terms built by the generated `global_interactions`.
pub fn eval_global_interactions<F: PrimeField64>(terms: Vec<Interaction<F>>) -> Vec<BusTerm> {
    terms
        .into_iter()
        .filter_map(|t| {
            let m = if t.info.direction.sign() < 0 {
                -t.multiplicity
            } else {
                t.multiplicity
            };
            (m != F::ZERO).then(|| BusTerm {
                air: "",
                row: 0,
                info: t.info,
                values: t.values.iter().map(|v| v.as_canonical_u64()).collect(),
                multiplicity: m.as_canonical_u64(),
            })
        })
        .collect()
}

/// A bus problem found by [`check_buses`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BusError {
    /// A tuple whose multiplicities do not sum to zero over all AIRs.
    Imbalance {
        /// Bus id.
        bus: u64,
        /// The tuple.
        values: Vec<u64>,
        /// Net multiplicity (canonical).
        net: u64,
        /// One term that carried the tuple.
        example: BusTerm,
    },
    /// A range-checked value outside its range.
    OutOfRange {
        /// The term.
        term: BusTerm,
    },
}

impl fmt::Display for BusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BusError::Imbalance {
                bus,
                values,
                net,
                example,
            } => write!(
                f,
                "bus {bus}: tuple {values:?} has net multiplicity {net} (e.g. {} row {}: {})",
                example.air, example.row, example.info
            ),
            BusError::OutOfRange { term } => write!(
                f,
                "{} row {}: value {:?} out of range {:?} ({})",
                term.air, term.row, term.values, term.info.range, term.info
            ),
        }
    }
}

fn in_range(v: u64, min: i64, max: i64) -> bool {
    let signed = if v > GOLDILOCKS_PRIME / 2 {
        -((GOLDILOCKS_PRIME - v) as i128)
    } else {
        i128::from(v)
    };
    i128::from(min) <= signed && signed <= i128::from(max)
}

/// Checks that every bus balances over all `terms` (from all AIRs and global terms).
/// Range-check terms are checked against their range instead (the range table is the
/// prover's).
pub fn check_buses(terms: &[BusTerm]) -> Vec<BusError> {
    let mut errors = Vec::new();
    let mut sums: BTreeMap<(u64, Vec<u64>), (u128, usize)> = BTreeMap::new();
    for (i, t) in terms.iter().enumerate() {
        if t.info.kind == BusKind::RangeCheck {
            let (min, max) = t.info.range.unwrap_or((0, 0));
            if !t.values.iter().all(|&v| in_range(v, min, max)) {
                errors.push(BusError::OutOfRange { term: t.clone() });
            }
            continue;
        }
        let e = sums.entry((t.info.bus, t.values.clone())).or_insert((0, i));
        e.0 = (e.0 + u128::from(t.multiplicity)) % u128::from(GOLDILOCKS_PRIME);
    }
    for ((bus, values), (net, i)) in sums {
        if net != 0 {
            errors.push(BusError::Imbalance {
                bus,
                values,
                net: net as u64,
                example: terms[i].clone(),
            });
        }
    }
    errors
}

/// `F::from_u64` for generated constants (canonical modulo the Goldilocks prime).
#[inline]
pub fn constant<E: PrimeCharacteristicRing>(c: u64) -> E {
    E::from_u64(c)
}

/// One step of a constraint program: how AIRs with many constraints evaluate them (an
/// interpreter over a shared expression DAG instead of one huge generated function per
/// builder, which compilers optimise in time that grows faster than its size).
///
/// Operands name earlier steps by index; leaves are columns (by scalar index in the row),
/// public values (by index into the builder's public values) and constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// The witness column at this row.
    Local(u32),
    /// The witness column at the next row.
    Next(u32),
    /// The fixed column at this row.
    FixedLocal(u32),
    /// The fixed column at the next row.
    FixedNext(u32),
    /// A public value.
    Public(u32),
    /// A constant, canonical modulo the Goldilocks prime.
    Const(u64),
    /// Sum of two steps.
    Add(u32, u32),
    /// Difference of two steps.
    Sub(u32, u32),
    /// Product of two steps.
    Mul(u32, u32),
    /// Negation of a step.
    Neg(u32),
}

/// A constraint program: `ops` in evaluation order, and the steps asserted zero (`roots`, in
/// constraint order).
#[derive(Clone, Copy, Debug)]
pub struct ConstraintProgram {
    /// The steps.
    pub ops: &'static [Op],
    /// One step per constraint, in the order of the AIR's constraint table.
    pub roots: &'static [u32],
    /// Whether some step reads a fixed column.
    pub uses_fixed: bool,
    /// Whether some step reads a public value.
    pub uses_publics: bool,
}

impl ConstraintProgram {
    /// Evaluates every step on `builder`'s current window and asserts the roots zero.
    pub fn eval<AB: AirBuilder>(&self, builder: &mut AB) {
        let vals = self.values(builder);
        for &r in self.roots {
            builder.assert_zero(vals[r as usize].clone());
        }
    }

    /// The value of every step on `builder`'s current window.
    pub fn values<AB: AirBuilder>(&self, builder: &AB) -> Vec<AB::Expr> {
        let main = builder.main();
        let local = main.current_slice();
        let next = main.next_slice();
        let preprocessed = if self.uses_fixed {
            Some(builder.preprocessed().clone())
        } else {
            None
        };
        let (fixed_local, fixed_next): (&[AB::Var], &[AB::Var]) = match &preprocessed {
            Some(p) => (p.current_slice(), p.next_slice()),
            None => (&[], &[]),
        };
        let publics: Vec<AB::Expr> = if self.uses_publics {
            builder.public_values().iter().map(|&p| p.into()).collect()
        } else {
            Vec::new()
        };
        let mut vals: Vec<AB::Expr> = Vec::with_capacity(self.ops.len());
        for op in self.ops {
            let v = match *op {
                Op::Local(i) => local[i as usize].into(),
                Op::Next(i) => next[i as usize].into(),
                Op::FixedLocal(i) => fixed_local[i as usize].into(),
                Op::FixedNext(i) => fixed_next[i as usize].into(),
                Op::Public(i) => publics[i as usize].clone(),
                Op::Const(c) => AB::Expr::from_u64(c),
                Op::Add(a, b) => vals[a as usize].clone() + vals[b as usize].clone(),
                Op::Sub(a, b) => vals[a as usize].clone() - vals[b as usize].clone(),
                Op::Mul(a, b) => vals[a as usize].clone() * vals[b as usize].clone(),
                Op::Neg(a) => -vals[a as usize].clone(),
            };
            vals.push(v);
        }
        vals
    }
}

/// The bus calls of an AIR with many of them, as steps of a [`ConstraintProgram`] (without
/// roots): per call, the steps of its tuple and of its multiplicity.
#[derive(Clone, Copy, Debug)]
pub struct InteractionProgram {
    /// The shared steps.
    pub program: ConstraintProgram,
    /// Per call, the step of each tuple element.
    pub values: &'static [&'static [u32]],
    /// Per call, the step of its multiplicity.
    pub multiplicities: &'static [u32],
}

impl InteractionProgram {
    /// The calls on `builder`'s current window, described by `infos` (same order).
    pub fn interactions<AB: AirBuilder>(
        &self,
        builder: &AB,
        infos: &'static [InteractionInfo],
    ) -> Vec<Interaction<AB::Expr>> {
        let vals = self.program.values(builder);
        infos
            .iter()
            .zip(self.values)
            .zip(self.multiplicities)
            .map(|((info, values), &m)| Interaction {
                info,
                values: values.iter().map(|&i| vals[i as usize].clone()).collect(),
                multiplicity: vals[m as usize].clone(),
            })
            .collect()
    }
}
