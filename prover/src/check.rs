//! Constraint verification mode: evaluate every constraint and every bus of a witness, no proof.
//!
//! [`ConstraintChecker`] is an `AirBuilder` over concrete base-field values that evaluates one row
//! at a time, numbering the constraints in the order `eval` asserts them and recording every bus
//! interaction. [`verify_constraints`] runs it over all instances and then balances each bus.

use std::collections::HashMap;

use p3_air::{AirBuilder, RowWindow};
use p3_field::{PrimeCharacteristicRing, PrimeField64};
use p3_lookup::{Count, InteractionBuilder};
use p3_matrix::dense::RowMajorMatrix;
use p3_matrix::Matrix;

use crate::air::{shares_public_values, DirectTerm, ZiskAir};
use crate::config::Val;
use crate::error::{BusFailure, ConstraintFailure, ConstraintReport, ShapeFailure};
use crate::proof::InstanceSpec;

/// The most constraint failures one report keeps (the total is still counted).
pub const MAX_REPORTED_FAILURES: usize = 1000;

/// One evaluated bus message: bus, payload and signed multiplicity.
#[derive(Clone, Debug)]
struct Message {
    bus: String,
    fields: Vec<Val>,
    count: Val,
}

/// An `AirBuilder` that evaluates one row of a concrete trace and records failures and messages.
pub struct ConstraintChecker<'a> {
    main: RowWindow<'a, Val>,
    preprocessed: RowWindow<'a, Val>,
    public_values: &'a [Val],
    periodic_values: &'a [Val],
    is_first_row: Val,
    is_last_row: Val,
    is_transition: Val,
    next_constraint: usize,
    failed: Vec<usize>,
    messages: Vec<Message>,
    next_local: usize,
}

impl<'a> ConstraintChecker<'a> {
    /// A checker for one row: `local`/`next` rows of the main and fixed traces and the row position.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        main: (&'a [Val], &'a [Val]),
        preprocessed: (&'a [Val], &'a [Val]),
        public_values: &'a [Val],
        periodic_values: &'a [Val],
        row: usize,
        height: usize,
    ) -> Self {
        Self {
            main: RowWindow::from_two_rows(main.0, main.1),
            preprocessed: RowWindow::from_two_rows(preprocessed.0, preprocessed.1),
            public_values,
            periodic_values,
            is_first_row: Val::from_bool(row == 0),
            is_last_row: Val::from_bool(row + 1 == height),
            is_transition: Val::from_bool(row + 1 != height),
            next_constraint: 0,
            failed: Vec::new(),
            messages: Vec::new(),
            next_local: 0,
        }
    }

    /// Indices of the constraints that did not evaluate to zero on this row.
    pub fn failed_constraints(&self) -> &[usize] {
        &self.failed
    }
}

impl<'a> AirBuilder for ConstraintChecker<'a> {
    type F = Val;
    type Expr = Val;
    type Var = Val;
    type PreprocessedWindow = RowWindow<'a, Val>;
    type MainWindow = RowWindow<'a, Val>;
    type PublicVar = Val;
    type PeriodicVar = Val;

    fn main(&self) -> Self::MainWindow {
        self.main
    }

    fn preprocessed(&self) -> &Self::PreprocessedWindow {
        &self.preprocessed
    }

    fn is_first_row(&self) -> Self::Expr {
        self.is_first_row
    }

    fn is_last_row(&self) -> Self::Expr {
        self.is_last_row
    }

    fn is_transition(&self) -> Self::Expr {
        self.is_transition
    }

    fn assert_zero<I: Into<Self::Expr>>(&mut self, x: I) {
        if x.into() != Val::ZERO {
            self.failed.push(self.next_constraint);
        }
        self.next_constraint += 1;
    }

    fn public_values(&self) -> &[Self::PublicVar] {
        self.public_values
    }

    fn periodic_values(&self) -> &[Self::PeriodicVar] {
        self.periodic_values
    }
}

impl InteractionBuilder for ConstraintChecker<'_> {
    fn push_interaction<E: Into<Self::Expr>>(
        &mut self,
        bus_name: &str,
        fields: impl IntoIterator<Item = E>,
        count: impl Into<Count<Self::Expr>>,
    ) {
        let (count, _) = count.into().into_parts();
        self.messages.push(Message {
            bus: bus_name.to_string(),
            fields: fields.into_iter().map(Into::into).collect(),
            count,
        });
    }

    fn push_local_interaction(
        &mut self,
        tuples: impl IntoIterator<Item = (Vec<Self::Expr>, Count<Self::Expr>)>,
    ) {
        let bus = format!("local#{}", self.next_local);
        self.next_local += 1;
        for (fields, count) in tuples {
            let (count, _) = count.into_parts();
            self.messages.push(Message {
                bus: bus.clone(),
                fields,
                count,
            });
        }
    }

    fn push_exclusive_interaction(
        &mut self,
        bus_name: &str,
        branches: impl IntoIterator<Item = (Self::Expr, Count<Self::Expr>, Vec<Self::Expr>)>,
    ) {
        for (flag, count, fields) in branches {
            let (count, _) = count.into_parts();
            if flag != Val::ZERO {
                self.messages.push(Message {
                    bus: bus_name.to_string(),
                    fields,
                    count: flag * count,
                });
            }
        }
    }
}

/// Net multiplicity and first locations of one tuple on one bus.
struct Balance {
    net: Val,
    locations: Vec<(usize, usize)>,
}

/// Checks every constraint and every bus of a witness without proving.
///
/// `traces(i)` returns the main trace of instance `i`; fixed columns come from
/// [`ZiskAir::fixed_trace`]; `public_values` are the proof-level public values, from which the
/// proof-level bus terms ([`ZiskAir::global_terms`]) are computed, as the verifier does.
/// Every failure is collected into the returned [`ConstraintReport`].
pub fn verify_constraints<A: ZiskAir>(
    airs: &[A],
    instances: &[InstanceSpec],
    public_values: &[Val],
    mut traces: impl FnMut(usize) -> RowMajorMatrix<Val>,
) -> Result<(), ConstraintReport> {
    let mut report = ConstraintReport::default();
    let mut buses: HashMap<(String, Vec<Val>), Balance> = HashMap::new();
    let add_direct = |buses: &mut HashMap<(String, Vec<Val>), Balance>, terms: Vec<DirectTerm>| {
        for term in terms {
            let entry = buses.entry((term.bus, term.fields)).or_insert(Balance {
                net: Val::ZERO,
                locations: Vec::new(),
            });
            entry.net += term.count;
        }
    };
    match A::global_terms(airs, public_values) {
        Ok(terms) => add_direct(&mut buses, terms),
        Err(message) => report.shape_failures.push(ShapeFailure {
            instance: usize::MAX,
            message: format!("proof-level bus terms: {message}"),
        }),
    }
    for (index, spec) in instances.iter().enumerate() {
        let Some(air) = airs.get(spec.air_id) else {
            report.shape_failures.push(ShapeFailure {
                instance: index,
                message: format!("unknown air id {}", spec.air_id),
            });
            continue;
        };
        let trace = traces(index);
        let height = 1usize << spec.log_height;
        if trace.width() != air.width() || trace.height() != height {
            report.shape_failures.push(ShapeFailure {
                instance: index,
                message: format!(
                    "trace is {}x{}, air {} expects {}x{}",
                    trace.height(),
                    trace.width(),
                    air.name(),
                    height,
                    air.width()
                ),
            });
            continue;
        }
        if spec.public_values.len() != air.num_public_values() {
            report.shape_failures.push(ShapeFailure {
                instance: index,
                message: format!(
                    "{} public values, air {} expects {}",
                    spec.public_values.len(),
                    air.name(),
                    air.num_public_values()
                ),
            });
            continue;
        }
        if !shares_public_values(air, &spec.public_values, public_values) {
            report.shape_failures.push(ShapeFailure {
                instance: index,
                message: format!(
                    "the first {} public values of air {} differ from the proof's",
                    air.shared_public_values(),
                    air.name()
                ),
            });
            continue;
        }
        add_direct(&mut buses, air.direct_terms(&spec.public_values));
        let fixed = air.fixed_trace(spec.log_height);
        let fixed_width = air.preprocessed_width();
        if fixed_width > 0
            && fixed
                .as_ref()
                .is_none_or(|f| f.width() != fixed_width || f.height() != height)
        {
            report.shape_failures.push(ShapeFailure {
                instance: index,
                message: format!(
                    "air {} has no {fixed_width}-column fixed trace of height {height}",
                    air.name()
                ),
            });
            continue;
        }
        let rows: Vec<&[Val]> = trace.values.chunks_exact(trace.width().max(1)).collect();
        let fixed_rows: Vec<&[Val]> = match &fixed {
            Some(f) if fixed_width > 0 => f.values.chunks_exact(fixed_width).collect(),
            _ => vec![&[][..]; height],
        };
        let empty: &[Val] = &[];
        let name = air.name();
        for row in 0..height {
            let next = (row + 1) % height;
            let local = rows.get(row).copied().unwrap_or(empty);
            let next_row = rows.get(next).copied().unwrap_or(empty);
            let fixed_local = fixed_rows.get(row).copied().unwrap_or(empty);
            let fixed_next = fixed_rows.get(next).copied().unwrap_or(empty);
            let periodic = air.periodic_values(row);
            let mut checker = ConstraintChecker::new(
                (local, next_row),
                (fixed_local, fixed_next),
                &spec.public_values,
                &periodic,
                row,
                height,
            );
            air.eval(&mut checker);
            for &constraint in checker.failed_constraints() {
                report.total_constraint_failures += 1;
                if report.constraint_failures.len() < MAX_REPORTED_FAILURES {
                    report.constraint_failures.push(ConstraintFailure {
                        air: name.clone(),
                        instance: index,
                        row,
                        constraint,
                        label: air.constraint_label(constraint),
                    });
                }
            }
            for message in checker.messages {
                if message.count == Val::ZERO {
                    continue;
                }
                let bus = if message.bus.starts_with("local#") {
                    format!("{name}[{index}]/{}", message.bus)
                } else {
                    message.bus
                };
                let entry = buses.entry((bus, message.fields)).or_insert(Balance {
                    net: Val::ZERO,
                    locations: Vec::new(),
                });
                entry.net += message.count;
                if entry.locations.len() < 4 {
                    entry.locations.push((index, row));
                }
            }
        }
    }
    let mut bus_failures: Vec<BusFailure> = buses
        .into_iter()
        .filter(|(_, balance)| balance.net != Val::ZERO)
        .map(|((bus, fields), balance)| BusFailure {
            bus,
            tuple: fields.iter().map(|v| v.as_canonical_u64()).collect(),
            net_multiplicity: signed(balance.net),
            locations: balance.locations,
        })
        .collect();
    bus_failures.sort_by(|a, b| (&a.bus, &a.tuple).cmp(&(&b.bus, &b.tuple)));
    report.bus_failures = bus_failures;
    if report.is_ok() {
        Ok(())
    } else {
        Err(report)
    }
}

/// A field element read as a signed integer (values above p/2 are negative).
fn signed(v: Val) -> i128 {
    let x = v.as_canonical_u64();
    let p = Val::ORDER_U64;
    if x > p / 2 {
        -i128::from(p - x)
    } else {
        i128::from(x)
    }
}
