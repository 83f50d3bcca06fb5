//! The instance-by-instance prover.
//!
//! 1. Global phase: commit every instance's main trace (one at a time; the trace and its LDE can
//!    be dropped after the commitment is taken), then draw the LogUp challenges from all
//!    commitments and public values.
//! 2. Instance phase: for each instance on its own, build its LogUp trace against the global
//!    challenges, commit it, compute and commit the quotient, and open everything with FRI.
//!
//! Memory is bounded by the largest instance (plus its LDE), not by the whole statement, when
//! [`TraceRetention::Regenerate`] is used.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use p3_batch_stark::prover::quotient_values;
use p3_commit::{OpeningRequest, PolynomialSpace};
use p3_lookup::{check_multiplicity_height_bound, LogUpGadget, LookupProtocol, Lookups};
use p3_matrix::dense::RowMajorMatrix;
use p3_matrix::Matrix;
use p3_uni_stark::StarkGenericConfig;

use crate::air::{
    check_direct_widths, check_global_bus_widths, lay_out_challenges, shares_public_values,
    statement_direct_terms, AirShape, ShapeCache, ZiskAir,
};
use crate::config::{pcs_ops, Challenge, Commitment, PcsProverData, PcsProverError, StarkCfg, Val};
use crate::error::ProveError;
use crate::keys::{ProvingKey, MIN_LOG_HEIGHT};
use crate::proof::{InstanceProof, InstanceSpec, OpenedValues, Proof};
use crate::transcript::{global_phase, instance_phase, quotient_phase, InstanceHeader};

/// What the prover does with a main trace between the global and the instance phase.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TraceRetention {
    /// Keep every trace and its committed LDE: fastest, memory grows with the statement.
    #[default]
    Keep,
    /// Drop each trace after committing it and regenerate it (and its LDE) in the instance phase:
    /// memory bounded by one instance, Merkle work on main traces doubled.
    Regenerate,
}

/// Prover options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProveOptions {
    /// Trace retention between the phases.
    pub retention: TraceRetention,
}

fn pcs_err(phase: &'static str) -> impl Fn(PcsProverError) -> ProveError {
    move |e| ProveError::Pcs {
        phase,
        message: format!("{e:?}"),
    }
}

/// A committed main trace.
struct CommittedMain {
    commitment: Commitment,
    kept: Option<(RowMajorMatrix<Val>, PcsProverData)>,
}

/// Proves `instances` of `airs` with proof-level `public_values`.
///
/// `traces(i)` produces the main trace of instance `i`; with [`TraceRetention::Regenerate`] it is
/// called twice per instance and must return the same trace both times.
/// A witness that violates constraints or buses yields a proof that fails verification (this
/// function does not check the witness; use [`crate::verify_constraints`] for that).
pub fn prove<A: ZiskAir>(
    pk: &ProvingKey,
    airs: &[A],
    instances: &[InstanceSpec],
    public_values: &[Val],
    mut traces: impl FnMut(usize) -> RowMajorMatrix<Val>,
    options: ProveOptions,
) -> Result<Proof, ProveError> {
    let config = &pk.config;
    let pcs = config.pcs();
    let vk = &pk.vk;
    if vk.airs.len() != airs.len() {
        return Err(ProveError::InvalidInstance {
            instance: 0,
            reason: format!(
                "proving key has {} airs, {} given",
                vk.airs.len(),
                airs.len()
            ),
        });
    }
    let mut cache = ShapeCache::new(airs, pcs, vk.params.log_blowup);
    let mut shapes: Vec<AirShape> = Vec::with_capacity(instances.len());
    for (index, spec) in instances.iter().enumerate() {
        let invalid = |reason: String| ProveError::InvalidInstance {
            instance: index,
            reason,
        };
        let air = airs
            .get(spec.air_id)
            .ok_or_else(|| invalid(format!("unknown air id {}", spec.air_id)))?;
        if !(MIN_LOG_HEIGHT..=vk.max_log_height()).contains(&spec.log_height) {
            return Err(invalid(format!(
                "log height {} outside {MIN_LOG_HEIGHT}..={}",
                spec.log_height,
                vk.max_log_height()
            )));
        }
        if spec.public_values.len() != air.num_public_values() {
            return Err(invalid(format!(
                "{} public values, air expects {}",
                spec.public_values.len(),
                air.num_public_values()
            )));
        }
        if !shares_public_values(air, &spec.public_values, public_values) {
            return Err(invalid(format!(
                "the first {} public values differ from the proof's",
                air.shared_public_values()
            )));
        }
        if air.preprocessed_width() > 0 && !pk.fixed.contains_key(&(spec.air_id, spec.log_height)) {
            return Err(invalid(format!(
                "no fixed columns committed for air {} at log height {}",
                spec.air_id, spec.log_height
            )));
        }
        shapes.push(cache.get(spec.air_id, spec.log_height)?.clone());
    }
    let lookups: Vec<Lookups<Val>> = shapes.iter().map(|s| s.lookups.clone()).collect();
    check_global_bus_widths(&lookups)?;
    let heights: Vec<usize> = instances.iter().map(|s| 1usize << s.log_height).collect();
    check_multiplicity_height_bound(&lookups, &heights)
        .map_err(|e| ProveError::MultiplicityBound(e.to_string()))?;
    let instance_publics: Vec<(usize, &[Val])> = instances
        .iter()
        .map(|s| (s.air_id, s.public_values.as_slice()))
        .collect();
    let direct_terms = statement_direct_terms(airs, &instance_publics, public_values)
        .map_err(ProveError::GlobalTerms)?;
    check_direct_widths(&lookups, &direct_terms)?;

    let mut mains = Vec::with_capacity(instances.len());
    for (index, spec) in instances.iter().enumerate() {
        let trace = checked_trace(&mut traces, index, spec, airs)?;
        let domain = pcs_ops::domain(pcs, trace.height());
        // The LogUp trace generator reads the main trace; an AIR without buses never needs it again.
        let needs_trace = shapes.get(index).is_some_and(|s| !s.lookups.is_empty());
        let kept_trace = (options.retention == TraceRetention::Keep).then(|| {
            if needs_trace {
                trace.clone()
            } else {
                RowMajorMatrix::new(Vec::new(), trace.width())
            }
        });
        let started = Instant::now();
        let (commitment, data) =
            pcs_ops::commit(pcs, vec![(domain, trace)]).map_err(pcs_err("main commitment"))?;
        tracing::info!(
            stage = "commit",
            done = index + 1,
            total = instances.len(),
            air = %air_name(airs, spec),
            log_height = spec.log_height,
            elapsed = ?started.elapsed(),
            "committed main trace"
        );
        mains.push(CommittedMain {
            commitment,
            kept: kept_trace.map(|t| (t, data)),
        });
    }

    let headers: Vec<InstanceHeader<'_>> = instances
        .iter()
        .map(|s| InstanceHeader {
            air_id: s.air_id,
            log_height: s.log_height,
            public_values: &s.public_values,
        })
        .collect();
    let commitments: Vec<&Commitment> = mains.iter().map(|m| &m.commitment).collect();
    let (global, alpha, beta) = global_phase(
        config.initialise_challenger(),
        vk,
        public_values,
        &headers,
        &commitments,
    );
    let lookup_refs: Vec<&Lookups<Val>> = lookups.iter().collect();
    let challenges = lay_out_challenges(&lookup_refs, &direct_terms, alpha, beta).per_instance;

    let mut proofs = Vec::with_capacity(instances.len());
    for (index, (spec, main)) in instances.iter().zip(mains).enumerate() {
        let (trace, main_data) = match main.kept {
            Some(kept) => kept,
            None => {
                let trace = checked_trace(&mut traces, index, spec, airs)?;
                let domain = pcs_ops::domain(pcs, trace.height());
                let needs_trace = shapes.get(index).is_some_and(|s| !s.lookups.is_empty());
                let (kept, to_commit) = if needs_trace {
                    (trace.clone(), trace)
                } else {
                    (RowMajorMatrix::new(Vec::new(), trace.width()), trace)
                };
                let (commitment, data) = pcs_ops::commit(pcs, vec![(domain, to_commit)])
                    .map_err(pcs_err("main recommitment"))?;
                let trace = kept;
                if commitment != main.commitment {
                    return Err(ProveError::NondeterministicTrace { instance: index });
                }
                (trace, data)
            }
        };
        let air = airs.get(spec.air_id).ok_or(ProveError::InvalidInstance {
            instance: index,
            reason: "unknown air".into(),
        })?;
        let shape = shapes.get(index).ok_or(ProveError::InvalidInstance {
            instance: index,
            reason: "missing shape".into(),
        })?;
        let instance_challenges = challenges.get(index).cloned().unwrap_or_default();
        let started = Instant::now();
        let proof = prove_instance(
            pk,
            air,
            shape,
            index,
            spec,
            InstanceInputs {
                trace,
                main_commitment: main.commitment,
                main_data,
                challenges: instance_challenges,
            },
            &global,
        )?;
        tracing::info!(
            stage = "prove",
            done = index + 1,
            total = instances.len(),
            air = %air.name(),
            log_height = spec.log_height,
            elapsed = ?started.elapsed(),
            "proved instance"
        );
        proofs.push(proof);
    }
    Ok(Proof {
        public_values: public_values.to_vec(),
        instances: proofs,
    })
}

/// The name of an instance's AIR, for progress events.
fn air_name<A: ZiskAir>(airs: &[A], spec: &InstanceSpec) -> String {
    airs.get(spec.air_id)
        .map_or_else(|| format!("air {}", spec.air_id), |a| a.name())
}

/// Convenience wrapper: proves with traces already in memory.
pub fn prove_traces<A: ZiskAir>(
    pk: &ProvingKey,
    airs: &[A],
    instances: &[InstanceSpec],
    public_values: &[Val],
    traces: &[RowMajorMatrix<Val>],
) -> Result<Proof, ProveError> {
    prove(
        pk,
        airs,
        instances,
        public_values,
        |i| {
            traces
                .get(i)
                .cloned()
                .unwrap_or_else(|| RowMajorMatrix::new(Vec::new(), 1))
        },
        ProveOptions::default(),
    )
}

fn checked_trace<A: ZiskAir>(
    traces: &mut impl FnMut(usize) -> RowMajorMatrix<Val>,
    index: usize,
    spec: &InstanceSpec,
    airs: &[A],
) -> Result<RowMajorMatrix<Val>, ProveError> {
    let trace = traces(index);
    let rows = 1usize << spec.log_height;
    let cols = airs.get(spec.air_id).map_or(0, |a| a.width());
    if trace.height() != rows || trace.width() != cols {
        return Err(ProveError::TraceShape {
            instance: index,
            rows,
            cols,
            got_rows: trace.height(),
            got_cols: trace.width(),
        });
    }
    Ok(trace)
}

/// The per-instance inputs of the instance phase.
struct InstanceInputs {
    trace: RowMajorMatrix<Val>,
    main_commitment: Commitment,
    main_data: PcsProverData,
    challenges: Vec<Challenge>,
}

fn prove_instance<A: ZiskAir>(
    pk: &ProvingKey,
    air: &A,
    shape: &AirShape,
    index: usize,
    spec: &InstanceSpec,
    inputs: InstanceInputs,
    global: &crate::config::Challenger,
) -> Result<InstanceProof, ProveError> {
    let pcs = pk.config.pcs();
    let gadget = LogUpGadget::new();
    let height = 1usize << spec.log_height;
    let trace_domain = pcs_ops::domain(pcs, height);
    let fixed = pk.fixed.get(&(spec.air_id, spec.log_height));
    let fixed_trace = fixed.map(|f| f.trace.clone());
    let started = Instant::now();

    let (aux_commit, aux_data, bus_sum) = if shape.lookups.is_empty() {
        (None, None, None)
    } else {
        let generated = catch_unwind(AssertUnwindSafe(|| {
            gadget.generate_permutation::<Val, Challenge>(
                &inputs.trace,
                &fixed_trace,
                &spec.public_values,
                &shape.lookups,
                &inputs.challenges,
            )
        }))
        .map_err(|_| ProveError::WitnessRejected { instance: index })?;
        let (aux_trace, terminal) = generated;
        let (commitment, data) =
            pcs_ops::commit(pcs, vec![(trace_domain, aux_trace.flatten_to_base())])
                .map_err(pcs_err("bus commitment"))?;
        (Some(commitment), Some(data), terminal.map(|t| t.0))
    };
    drop(fixed_trace);
    tracing::debug!(instance = index, elapsed = ?started.elapsed(), "bus trace committed");
    let started = Instant::now();

    let (mut challenger, folding) = instance_phase(global, index, aux_commit.as_ref(), bus_sum);

    let log_chunks = shape.log_quotient_chunks;
    let n_chunks = 1usize << log_chunks;
    let quotient_domain = trace_domain.create_disjoint_domain(height << log_chunks);
    let main_on_q = pcs_ops::evaluations(pcs, &inputs.main_data, 0, quotient_domain);
    let aux_on_q = aux_data
        .as_ref()
        .map(|d| pcs_ops::evaluations(pcs, d, 0, quotient_domain));
    let fixed_on_q = fixed.map(|f| pcs_ops::evaluations(pcs, &f.prover_data, 0, quotient_domain));
    let bus_values: Vec<Challenge> = bus_sum.into_iter().collect();
    let q_values = quotient_values::<StarkCfg, A, _, LogUpGadget>(
        pcs,
        air,
        &spec.public_values,
        shape.layout(air),
        trace_domain,
        quotient_domain,
        &main_on_q,
        aux_on_q.as_ref(),
        &shape.lookups,
        &bus_values,
        &gadget,
        &inputs.challenges,
        fixed_on_q.as_ref(),
        folding,
    );
    drop((main_on_q, aux_on_q, fixed_on_q));
    let q_flat = RowMajorMatrix::new_col(q_values).flatten_to_base();
    let chunk_mats = quotient_domain.split_evals(n_chunks, q_flat);
    let chunk_domains = quotient_domain.split_domains(n_chunks);
    let ldes = pcs_ops::quotient_ldes(
        pcs,
        chunk_domains.into_iter().zip(chunk_mats).collect(),
        n_chunks,
    )
    .map_err(pcs_err("quotient extension"))?;
    let (quotient_commitment, quotient_data) =
        pcs_ops::commit_ldes(pcs, ldes).map_err(pcs_err("quotient commitment"))?;

    tracing::debug!(instance = index, elapsed = ?started.elapsed(), "quotient committed");
    let started = Instant::now();

    let zeta = quotient_phase(&mut challenger, &quotient_commitment);
    let zeta_next = trace_domain.next_point(zeta).ok_or(ProveError::Pcs {
        phase: "opening",
        message: "no next point".into(),
    })?;
    let point_pair = vec![zeta, zeta_next];
    let main_points = if shape.main_next {
        point_pair.clone()
    } else {
        vec![zeta]
    };
    let mut rounds: Vec<OpeningRequest<'_, PcsProverData, Challenge>> = vec![
        (&inputs.main_data, vec![main_points]).into(),
        (&quotient_data, vec![vec![zeta]; n_chunks]).into(),
    ];
    if let Some(f) = fixed {
        let points = if shape.preprocessed_next {
            point_pair.clone()
        } else {
            vec![zeta]
        };
        rounds.push((&f.prover_data, vec![points]).into());
    }
    if let Some(d) = &aux_data {
        rounds.push((d, vec![point_pair]).into());
    }
    let (opened, opening_proof) =
        pcs_ops::open(pcs, rounds, &mut challenger).map_err(pcs_err("opening"))?;
    tracing::debug!(instance = index, elapsed = ?started.elapsed(), "FRI opening done");

    let missing = || ProveError::Pcs {
        phase: "opening",
        message: "opened values have an unexpected shape".into(),
    };
    let point = |round: usize, matrix: usize, point: usize| -> Result<Vec<Challenge>, ProveError> {
        opened
            .get(round)
            .and_then(|r| r.get(matrix))
            .and_then(|m| m.get(point))
            .cloned()
            .ok_or_else(missing)
    };
    let main_local = point(0, 0, 0)?;
    let main_next = if shape.main_next {
        Some(point(0, 0, 1)?)
    } else {
        None
    };
    let quotient_chunks = (0..n_chunks)
        .map(|c| point(1, c, 0))
        .collect::<Result<Vec<_>, _>>()?;
    let mut next_round = 2;
    let (fixed_local, fixed_next) = if fixed.is_some() {
        let local = point(next_round, 0, 0)?;
        let next = if shape.preprocessed_next {
            Some(point(next_round, 0, 1)?)
        } else {
            None
        };
        next_round += 1;
        (Some(local), next)
    } else {
        (None, None)
    };
    let (aux_local, aux_next) = if aux_data.is_some() {
        (point(next_round, 0, 0)?, point(next_round, 0, 1)?)
    } else {
        (Vec::new(), Vec::new())
    };

    Ok(InstanceProof {
        air_id: spec.air_id,
        log_height: spec.log_height,
        public_values: spec.public_values.clone(),
        main_commitment: inputs.main_commitment,
        aux_commitment: aux_commit,
        bus_sum,
        quotient_commitment,
        opened: OpenedValues {
            main_local,
            main_next,
            fixed_local,
            fixed_next,
            aux_local,
            aux_next,
            quotient_chunks,
        },
        opening_proof,
    })
}
