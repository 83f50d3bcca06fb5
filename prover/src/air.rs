//! The AIR interface the prover accepts, and the per-(AIR, height) shape both sides derive from it.
//!
//! An AIR declares its constraints and its bus interactions in one `eval`, generic over
//! `AB: p3_lookup::InteractionBuilder<F = Val>`. The prover, the verifier, the symbolic analysis
//! and [`crate::ConstraintChecker`] are all such builders, so one generic `impl Air<AB>` serves all.

use std::collections::HashMap;

use p3_air::symbolic::AirLayout;
use p3_air::{Air, BaseAir};
use p3_batch_stark::folder::{
    ProverConstraintFolderWithLookups, VerifierConstraintFolderWithLookups,
};
use p3_batch_stark::symbolic::{get_log_num_quotient_chunks_for_domain, get_symbolic_constraints};
use p3_commit::PolynomialSpace;
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::{
    check_bus_widths, Challenges, InteractionSymbolicBuilder, Kind, LogUpGadget, Lookups,
};
use p3_matrix::dense::RowMajorMatrix;
use p3_matrix::Matrix;

use crate::check::ConstraintChecker;
use crate::config::{bytes_to_elements, digest_elements, pcs_ops, Challenge, Pcs, StarkCfg, Val};
use crate::error::ShapeError;

/// An AIR the prover can prove: constraints plus bus interactions, evaluated by every builder.
///
/// Implement `BaseAir<Val>` and a generic `impl<AB: InteractionBuilder<F = Val>> Air<AB>`,
/// then this trait; the bounds are then met automatically.
pub trait ZiskAir:
    BaseAir<Val>
    + Air<InteractionSymbolicBuilder<Val, Challenge>>
    + for<'a> Air<ProverConstraintFolderWithLookups<'a, StarkCfg>>
    + for<'a> Air<VerifierConstraintFolderWithLookups<'a, StarkCfg>>
    + for<'a> Air<ConstraintChecker<'a>>
    + Sync
{
    /// Name used in reports and in the verifying key.
    fn name(&self) -> String;

    /// A human-readable label for constraint number `index` (the order of `assert_*` calls in `eval`).
    fn constraint_label(&self, _index: usize) -> Option<String> {
        None
    }

    /// The fixed (preprocessed) columns for a trace of `2^log_height` rows, if the AIR has any.
    ///
    /// The default returns `BaseAir::preprocessed_trace` when its height matches.
    fn fixed_trace(&self, log_height: usize) -> Option<RowMajorMatrix<Val>> {
        self.preprocessed_trace()
            .filter(|m| m.height() == 1usize << log_height)
    }

    /// How many leading instance public values are copies of the proof-level public values.
    ///
    /// Prover, verifier and [`crate::verify_constraints`] require
    /// `instance.public_values[..k] == public_values[..k]`, so an instance cannot use other
    /// publics than the proof states. The default, 0, shares nothing.
    fn shared_public_values(&self) -> usize {
        0
    }

    /// Bus terms this instance adds once (not per row), computed from its public values
    /// (PIL `direct_update_*`). The verifier adds their LogUp fractions to the bus balance.
    ///
    /// Called only with `public_values` of the length [`BaseAir::num_public_values`] gives.
    fn direct_terms(&self, _public_values: &[Val]) -> Vec<DirectTerm> {
        Vec::new()
    }

    /// Proof-level bus terms of the AIR set `airs` (PIL `direct_global_update_*`), computed from
    /// the proof-level public values; they enter the bus balance like [`ZiskAir::direct_terms`].
    ///
    /// An error (public values of the wrong shape) rejects the statement.
    fn global_terms(_airs: &[Self], _public_values: &[Val]) -> Result<Vec<DirectTerm>, String>
    where
        Self: Sized,
    {
        Ok(Vec::new())
    }
}

/// A bus term added once per instance or per proof, outside any trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectTerm {
    /// The global bus name (as given to `push_interaction`).
    pub bus: String,
    /// The tuple.
    pub fields: Vec<Val>,
    /// Signed multiplicity, with the convention of `push_interaction` (sends positive).
    pub count: Val,
}

/// Collects the direct terms of a statement: the global terms of the AIR set, then each
/// instance's own (instances whose AIR is unknown or whose public values have the wrong length
/// contribute none; callers reject those separately).
pub(crate) fn statement_direct_terms<A: ZiskAir>(
    airs: &[A],
    instances: &[(usize, &[Val])],
    public_values: &[Val],
) -> Result<Vec<DirectTerm>, String> {
    let mut terms = A::global_terms(airs, public_values)?;
    for &(air_id, instance_publics) in instances {
        if let Some(air) = airs.get(air_id) {
            if instance_publics.len() == air.num_public_values() {
                terms.extend(air.direct_terms(instance_publics));
            }
        }
    }
    Ok(terms)
}

/// Checks that instance `air`'s shared public values equal the proof-level ones.
pub(crate) fn shares_public_values<A: ZiskAir>(
    air: &A,
    instance_publics: &[Val],
    public_values: &[Val],
) -> bool {
    let k = air.shared_public_values();
    matches!(
        (instance_publics.get(..k), public_values.get(..k)),
        (Some(a), Some(b)) if a == b
    )
}

/// What prover and verifier derive from an AIR at one height: its bus columns and quotient size.
#[derive(Clone, Debug)]
pub(crate) struct AirShape {
    /// The AIR's lookups, same-bus interactions packed into shared fraction columns.
    pub lookups: Lookups<Val>,
    /// log2 of the number of quotient chunks.
    pub log_quotient_chunks: usize,
    /// Width of the main trace.
    pub width: usize,
    /// Width of the fixed columns (0 if none).
    pub preprocessed_width: usize,
    /// Number of per-instance public values.
    pub num_public_values: usize,
    /// Whether the main trace is opened at the next row.
    pub main_next: bool,
    /// Whether the fixed columns are opened at the next row.
    pub preprocessed_next: bool,
}

impl AirShape {
    /// Derives the shape of `air` at `2^log_height` rows.
    pub(crate) fn new<A: ZiskAir>(
        air: &A,
        air_id: usize,
        pcs: &Pcs,
        log_height: usize,
        log_blowup: usize,
    ) -> Result<Self, ShapeError> {
        let gadget = LogUpGadget::new();
        let layout = AirLayout::from_air(air);
        let unpacked = Lookups::<Val>::from_air::<Challenge, A>(air);
        check_bus_widths(std::slice::from_ref(&unpacked))
            .map_err(|e| ShapeError::BusWidth(e.to_string()))?;
        let domain = pcs_ops::domain(pcs, 1usize << log_height);
        let log_chunks = get_log_num_quotient_chunks_for_domain::<Val, Challenge, A, _>(
            air, layout, domain, &unpacked, 0, &gadget,
        );
        if log_chunks > log_blowup {
            return Err(ShapeError::DegreeTooHigh {
                air: air_id,
                log_chunks,
                log_blowup,
            });
        }
        let budget = (1usize << log_chunks) + 1;
        let transition = domain.transition_degree_multiple();
        let lookups = unpacked.pack_same_bus_with_degree(budget, |lookup| {
            gadget.constraint_degree_with_transition(lookup, transition)
        });
        Ok(Self {
            lookups,
            log_quotient_chunks: log_chunks,
            width: air.width(),
            preprocessed_width: air.preprocessed_width(),
            num_public_values: air.num_public_values(),
            main_next: !air.main_next_row_columns().is_empty(),
            preprocessed_next: !air.preprocessed_next_row_columns().is_empty(),
        })
    }

    /// Symbolic layout of the AIR (for the quotient evaluator).
    pub(crate) fn layout<A: BaseAir<Val>>(&self, air: &A) -> AirLayout {
        AirLayout {
            preprocessed_width: self.preprocessed_width,
            main_width: self.width,
            num_public_values: self.num_public_values,
            num_periodic_columns: air.num_periodic_columns(),
            ..Default::default()
        }
    }

    /// Width of the auxiliary (LogUp) trace in extension elements; 0 without lookups.
    pub(crate) fn aux_width(&self) -> usize {
        if self.lookups.is_empty() {
            0
        } else {
            self.lookups.len() + 1
        }
    }
}

/// Caches [`AirShape`]s per (AIR id, log height).
pub(crate) struct ShapeCache<'a, A> {
    airs: &'a [A],
    pcs: &'a Pcs,
    log_blowup: usize,
    shapes: HashMap<(usize, usize), AirShape>,
}

impl<'a, A: ZiskAir> ShapeCache<'a, A> {
    pub(crate) fn new(airs: &'a [A], pcs: &'a Pcs, log_blowup: usize) -> Self {
        Self {
            airs,
            pcs,
            log_blowup,
            shapes: HashMap::new(),
        }
    }

    /// Returns the shape of AIR `air_id` at `log_height`, computing it on first use.
    pub(crate) fn get(
        &mut self,
        air_id: usize,
        log_height: usize,
    ) -> Result<&AirShape, ShapeError> {
        let key = (air_id, log_height);
        if !self.shapes.contains_key(&key) {
            let air = self
                .airs
                .get(air_id)
                .ok_or(ShapeError::UnknownAir { air: air_id })?;
            let shape = AirShape::new(air, air_id, self.pcs, log_height, self.log_blowup)?;
            self.shapes.insert(key, shape);
        }
        self.shapes
            .get(&key)
            .ok_or(ShapeError::UnknownAir { air: air_id })
    }
}

/// The LogUp challenges of a statement: per instance, one `[bus_prefix, beta]` pair per lookup,
/// plus the prefix of every global bus (for the direct terms).
pub(crate) struct ChallengeLayout {
    /// Per instance, the flat challenge list its LogUp gadget reads.
    pub per_instance: Vec<Vec<Challenge>>,
    global_prefix: HashMap<String, Challenge>,
    beta: Challenge,
}

impl ChallengeLayout {
    /// The sum of the LogUp fractions `count / (prefix[bus] − Σ fᵢ·β^(k−1−i))` of `terms`,
    /// the same fraction the gadget computes for a trace row. `None` if a denominator vanishes
    /// (probability negligible over the challenge field) or a bus has no prefix.
    pub(crate) fn direct_sum(&self, terms: &[DirectTerm]) -> Option<Challenge> {
        let mut total = Challenge::ZERO;
        for term in terms {
            let prefix = *self.global_prefix.get(&term.bus)?;
            let combined = term
                .fields
                .iter()
                .fold(Challenge::ZERO, |acc, &f| acc * self.beta + f);
            let denominator = prefix - combined;
            total += denominator.try_inverse()? * term.count;
        }
        Some(total)
    }
}

/// Lays out the LogUp challenges of every instance: one `[bus_prefix, beta]` pair per lookup.
///
/// Global buses get one index per name across the whole proof (instances first, then buses only
/// direct terms use), so their messages cancel between instances and with the direct terms;
/// every local lookup of every instance gets a fresh index, so it must balance alone.
pub(crate) fn lay_out_challenges(
    lookups_per_instance: &[&Lookups<Val>],
    direct_terms: &[DirectTerm],
    alpha: Challenge,
    beta: Challenge,
) -> ChallengeLayout {
    let mut global: HashMap<String, usize> = HashMap::new();
    let mut next_bus = 0usize;
    let mut max_width = 1usize;
    let mut fresh = || {
        next_bus += 1;
        next_bus - 1
    };
    let bus_ids: Vec<Vec<usize>> = lookups_per_instance
        .iter()
        .map(|lookups| {
            lookups
                .iter()
                .map(|lookup| {
                    let width = lookup.elements.iter().map(Vec::len).max().unwrap_or(0);
                    max_width = max_width.max(width);
                    match &lookup.kind {
                        Kind::Global(name) => {
                            *global.entry(name.clone()).or_insert_with(&mut fresh)
                        }
                        Kind::Local => fresh(),
                    }
                })
                .collect()
        })
        .collect();
    for term in direct_terms {
        max_width = max_width.max(term.fields.len());
        global.entry(term.bus.clone()).or_insert_with(&mut fresh);
    }
    let challenges = Challenges::new(alpha, beta, max_width, next_bus);
    let prefix = |id: usize| challenges.bus_prefix.get(id).copied().unwrap_or(alpha);
    let per_instance = bus_ids
        .iter()
        .map(|ids| ids.iter().flat_map(|&id| [prefix(id), beta]).collect())
        .collect();
    let global_prefix = global
        .into_iter()
        .map(|(name, id)| (name, prefix(id)))
        .collect();
    ChallengeLayout {
        per_instance,
        global_prefix,
        beta,
    }
}

/// Checks that every direct term carries tuples of the width its bus has in `lookups`, and that
/// direct terms on one bus agree (LogUp fingerprints are injective only within one width).
pub(crate) fn check_direct_widths(
    lookups: &[Lookups<Val>],
    terms: &[DirectTerm],
) -> Result<(), ShapeError> {
    let mut widths: HashMap<&str, usize> = HashMap::new();
    for lookup in lookups.iter().flat_map(|l| l.iter()) {
        if let Kind::Global(name) = &lookup.kind {
            if let Some(width) = lookup.elements.iter().map(Vec::len).max() {
                widths.entry(name.as_str()).or_insert(width);
            }
        }
    }
    for term in terms {
        let width = *widths.entry(term.bus.as_str()).or_insert(term.fields.len());
        if width != term.fields.len() {
            return Err(ShapeError::BusWidth(format!(
                "direct term on bus {} has {} fields, the bus carries {width}",
                term.bus,
                term.fields.len()
            )));
        }
    }
    Ok(())
}

/// Checks that every bus carries tuples of one width across all the given AIR shapes.
pub(crate) fn check_global_bus_widths(lookups: &[Lookups<Val>]) -> Result<(), ShapeError> {
    check_bus_widths(lookups)
        .map(|_| ())
        .map_err(|e| ShapeError::BusWidth(e.to_string()))
}

/// A digest of an AIR's definition: widths, symbolic constraints and bus interactions.
pub(crate) fn air_digest<A: ZiskAir>(air: &A) -> [u8; 32] {
    let layout = AirLayout::from_air(air);
    let lookups = Lookups::<Val>::from_air::<Challenge, A>(air);
    let (base, ext) = get_symbolic_constraints::<Val, Challenge, A, _>(
        air,
        layout,
        &lookups,
        &LogUpGadget::new(),
    );
    let mut bytes = Vec::new();
    bytes.extend_from_slice(air.name().as_bytes());
    for v in [
        air.width(),
        air.preprocessed_width(),
        air.num_public_values(),
        air.num_periodic_columns(),
        base.len(),
        ext.len(),
    ] {
        bytes.extend_from_slice(&(v as u64).to_le_bytes());
    }
    bytes.extend(postcard::to_allocvec(&base).unwrap_or_default());
    bytes.extend(postcard::to_allocvec(&lookups).unwrap_or_default());
    bytes.extend(format!("{ext:?}").as_bytes());
    digest_elements(&bytes_to_elements(&bytes))
}
