//! The verifier: replay the global transcript, check every instance proof on its own, then check
//! that the bus sums of all instances cancel.
//!
//! Every shape carried by the proof is validated against the AIRs and the key before it is used,
//! so a malformed proof is an error, never a panic.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::panic_in_result_fn
)]

use p3_air::RowWindow;
use p3_batch_stark::folder::VerifierConstraintFolderWithLookups;
use p3_commit::{CommitmentOpening, PeriodicColumns, PolynomialSpace};
use p3_field::{BasedVectorSpace, ExtensionField, Field, PrimeCharacteristicRing};
use p3_lookup::{check_multiplicity_height_bound, LogUpGadget, LookupProtocol, Lookups};
use p3_matrix::dense::RowMajorMatrixView;
use p3_matrix::stack::VerticalPair;
use p3_maybe_rayon::prelude::*;
use p3_uni_stark::{recompose_quotient_from_chunks, StarkGenericConfig, VerifierConstraintFolder};

use crate::air::{
    check_direct_widths, check_global_bus_widths, lay_out_challenges, shares_public_values,
    statement_direct_terms, AirShape, ShapeCache, ZiskAir,
};
use crate::config::{pcs_ops, Challenge, Challenger, Commitment, Domain, Pcs, StarkCfg, Val};
use crate::error::VerifyError;
use crate::keys::{VerifyingKey, MIN_LOG_HEIGHT};
use crate::proof::{InstanceProof, Proof};
use crate::transcript::{global_phase, instance_phase, quotient_phase, InstanceHeader};

const EXT: usize = <Challenge as BasedVectorSpace<Val>>::DIMENSION;

/// Verifies `proof` of AIR instances under `vk`, with the expected proof-level public values.
pub fn verify<A: ZiskAir>(
    vk: &VerifyingKey,
    airs: &[A],
    proof: &Proof,
    public_values: &[Val],
) -> Result<(), VerifyError> {
    vk.check(airs).map_err(VerifyError::KeyMismatch)?;
    if proof.public_values != public_values {
        return Err(VerifyError::PublicValuesMismatch {
            expected: public_values.len(),
            got: proof.public_values.len(),
        });
    }
    if proof.instances.is_empty() {
        return Err(VerifyError::NoInstances);
    }
    let config = vk.params.stark_config();
    let pcs = config.pcs();
    let mut cache = ShapeCache::new(airs, pcs, vk.params.log_blowup);
    let mut shapes = Vec::with_capacity(proof.instances.len());
    for (index, instance) in proof.instances.iter().enumerate() {
        if !(MIN_LOG_HEIGHT..=vk.max_log_height()).contains(&instance.log_height) {
            return Err(VerifyError::InvalidShape {
                instance: index,
                reason: format!("log height {} out of range", instance.log_height),
            });
        }
        if airs.get(instance.air_id).is_none() {
            return Err(VerifyError::InvalidShape {
                instance: index,
                reason: format!("unknown air id {}", instance.air_id),
            });
        }
        let shape = cache.get(instance.air_id, instance.log_height)?.clone();
        validate_shape(index, instance, &shape, vk)?;
        if airs
            .get(instance.air_id)
            .is_some_and(|air| !shares_public_values(air, &instance.public_values, public_values))
        {
            return Err(VerifyError::InstancePublicValues { instance: index });
        }
        shapes.push(shape);
    }
    let lookups: Vec<Lookups<Val>> = shapes.iter().map(|s| s.lookups.clone()).collect();
    check_global_bus_widths(&lookups)?;
    let heights: Vec<usize> = proof
        .instances
        .iter()
        .map(|i| 1usize << i.log_height)
        .collect();
    check_multiplicity_height_bound(&lookups, &heights)
        .map_err(|e| VerifyError::MultiplicityBound(e.to_string()))?;
    let instance_publics: Vec<(usize, &[Val])> = proof
        .instances
        .iter()
        .map(|i| (i.air_id, i.public_values.as_slice()))
        .collect();
    let direct_terms = statement_direct_terms(airs, &instance_publics, public_values)
        .map_err(VerifyError::GlobalTerms)?;
    check_direct_widths(&lookups, &direct_terms)?;

    let headers: Vec<InstanceHeader<'_>> = proof
        .instances
        .iter()
        .map(|i| InstanceHeader {
            air_id: i.air_id,
            log_height: i.log_height,
            public_values: &i.public_values,
        })
        .collect();
    let commitments: Vec<&Commitment> =
        proof.instances.iter().map(|i| &i.main_commitment).collect();
    let (global, alpha, beta) = global_phase(
        config.initialise_challenger(),
        vk,
        public_values,
        &headers,
        &commitments,
    );
    let lookup_refs: Vec<&Lookups<Val>> = lookups.iter().collect();
    let layout = lay_out_challenges(&lookup_refs, &direct_terms, alpha, beta);
    let challenges = &layout.per_instance;

    // The direct terms (per instance and per proof) enter the balance with the same challenges.
    let mut total = layout
        .direct_sum(&direct_terms)
        .ok_or(VerifyError::BusImbalance)?;
    // Instance proofs are independent once the global challenges are fixed: check them in
    // parallel and report the first failure in instance order.
    let results: Vec<Result<Option<Challenge>, VerifyError>> = proof
        .instances
        .par_iter()
        .zip(shapes.par_iter())
        .zip(challenges.par_iter())
        .enumerate()
        .map(|(index, ((instance, shape), instance_challenges))| {
            let air = airs
                .get(instance.air_id)
                .ok_or_else(|| VerifyError::InvalidShape {
                    instance: index,
                    reason: "unknown air".into(),
                })?;
            verify_instance(
                pcs,
                vk,
                air,
                shape,
                index,
                instance,
                instance_challenges,
                &global,
            )?;
            Ok(instance.bus_sum)
        })
        .collect();
    for result in results {
        if let Some(sum) = result? {
            total += sum;
        }
    }
    if total != Challenge::ZERO {
        return Err(VerifyError::BusImbalance);
    }
    Ok(())
}

/// Checks every count and width the proof carries for one instance.
fn validate_shape(
    index: usize,
    instance: &InstanceProof,
    shape: &AirShape,
    vk: &VerifyingKey,
) -> Result<(), VerifyError> {
    let bad = |reason: String| VerifyError::InvalidShape {
        instance: index,
        reason,
    };
    let opened = &instance.opened;
    if instance.public_values.len() != shape.num_public_values {
        return Err(bad(format!(
            "{} public values, air expects {}",
            instance.public_values.len(),
            shape.num_public_values
        )));
    }
    if opened.main_local.len() != shape.width {
        return Err(bad("main opening width".into()));
    }
    match &opened.main_next {
        Some(next) if shape.main_next && next.len() == shape.width => {}
        None if !shape.main_next => {}
        _ => return Err(bad("main next-row opening".into())),
    }
    if shape.preprocessed_width > 0 {
        if vk
            .fixed_commitment(instance.air_id, instance.log_height)
            .is_none()
        {
            return Err(bad(format!(
                "key has no fixed columns for air {} at log height {}",
                instance.air_id, instance.log_height
            )));
        }
        if opened
            .fixed_local
            .as_ref()
            .is_none_or(|v| v.len() != shape.preprocessed_width)
        {
            return Err(bad("fixed opening width".into()));
        }
        match &opened.fixed_next {
            Some(next) if shape.preprocessed_next && next.len() == shape.preprocessed_width => {}
            None if !shape.preprocessed_next => {}
            _ => return Err(bad("fixed next-row opening".into())),
        }
    } else if opened.fixed_local.is_some() || opened.fixed_next.is_some() {
        return Err(bad("unexpected fixed opening".into()));
    }
    let has_bus = !shape.lookups.is_empty();
    let aux_len = shape.aux_width() * EXT;
    if instance.aux_commitment.is_some() != has_bus || instance.bus_sum.is_some() != has_bus {
        return Err(bad("bus commitment or sum presence".into()));
    }
    if opened.aux_local.len() != aux_len || opened.aux_next.len() != aux_len {
        return Err(bad("bus opening width".into()));
    }
    let n_chunks = 1usize << shape.log_quotient_chunks;
    if opened.quotient_chunks.len() != n_chunks
        || opened.quotient_chunks.iter().any(|c| c.len() != EXT)
    {
        return Err(bad("quotient chunk count or width".into()));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn verify_instance<A: ZiskAir>(
    pcs: &Pcs,
    vk: &VerifyingKey,
    air: &A,
    shape: &AirShape,
    index: usize,
    instance: &InstanceProof,
    challenges: &[Challenge],
    global: &Challenger,
) -> Result<(), VerifyError> {
    let bad = |reason: &str| VerifyError::InvalidShape {
        instance: index,
        reason: reason.to_string(),
    };
    let opened = &instance.opened;
    let (mut challenger, folding) = instance_phase(
        global,
        index,
        instance.aux_commitment.as_ref(),
        instance.bus_sum,
    );
    let zeta = quotient_phase(&mut challenger, &instance.quotient_commitment);

    let height = 1usize << instance.log_height;
    let trace_domain = pcs_ops::domain(pcs, height);
    let zeta_next = trace_domain
        .next_point(zeta)
        .ok_or_else(|| bad("no next point"))?;
    let n_chunks = 1usize << shape.log_quotient_chunks;
    let quotient_domain = trace_domain
        .try_create_disjoint_domain(height << shape.log_quotient_chunks)
        .ok_or_else(|| bad("quotient domain too large"))?;
    let chunk_domains = quotient_domain.split_domains(n_chunks);

    let mut main_points = vec![(zeta, opened.main_local.clone())];
    if let Some(next) = &opened.main_next {
        main_points.push((zeta_next, next.clone()));
    }
    let mut rounds: Vec<CommitmentOpening<Challenge, Commitment, Domain>> = vec![
        (
            instance.main_commitment.clone(),
            vec![(trace_domain, main_points)],
        )
            .into(),
        (
            instance.quotient_commitment.clone(),
            chunk_domains
                .iter()
                .zip(&opened.quotient_chunks)
                .map(|(domain, values)| {
                    (
                        pcs_ops::domain(pcs, domain.size()),
                        vec![(zeta, values.clone())],
                    )
                })
                .collect(),
        )
            .into(),
    ];
    if shape.preprocessed_width > 0 {
        let commitment = vk
            .fixed_commitment(instance.air_id, instance.log_height)
            .ok_or_else(|| bad("missing fixed commitment"))?;
        let local = opened
            .fixed_local
            .clone()
            .ok_or_else(|| bad("missing fixed opening"))?;
        let mut points = vec![(zeta, local)];
        if let Some(next) = &opened.fixed_next {
            points.push((zeta_next, next.clone()));
        }
        rounds.push((commitment.clone(), vec![(trace_domain, points)]).into());
    }
    if let Some(commitment) = &instance.aux_commitment {
        rounds.push(
            (
                commitment.clone(),
                vec![(
                    trace_domain,
                    vec![
                        (zeta, opened.aux_local.clone()),
                        (zeta_next, opened.aux_next.clone()),
                    ],
                )],
            )
                .into(),
        );
    }
    pcs_ops::verify(pcs, rounds, &instance.opening_proof, &mut challenger).map_err(|e| {
        VerifyError::InvalidOpening {
            instance: index,
            reason: format!("{e:?}"),
        }
    })?;

    let quotient =
        recompose_quotient_from_chunks::<StarkCfg>(&chunk_domains, &opened.quotient_chunks, zeta)
            .map_err(|e| VerifyError::InvalidShape {
            instance: index,
            reason: format!("{e:?}"),
        })?;
    if trace_domain.vanishing_poly_at_point(zeta).is_zero() {
        return Err(VerifyError::OodPointInDomain { instance: index });
    }
    let selectors = trace_domain.selectors_at_point(zeta);

    let recompose = |flat: &[Challenge]| -> Result<Vec<Challenge>, VerifyError> {
        flat.chunks_exact(EXT)
            .map(|chunk| {
                <Challenge as ExtensionField<Val>>::from_ext_basis_coefficients(chunk)
                    .ok_or_else(|| bad("bus opening width"))
            })
            .collect()
    };
    let aux_local = recompose(&opened.aux_local)?;
    let aux_next = recompose(&opened.aux_next)?;
    let main_next_zeros;
    let main_next: &[Challenge] = match &opened.main_next {
        Some(next) => next,
        None => {
            main_next_zeros = Challenge::zero_vec(shape.width);
            &main_next_zeros
        }
    };
    let fixed_local: &[Challenge] = opened.fixed_local.as_deref().unwrap_or(&[]);
    let fixed_next_zeros;
    let fixed_next: &[Challenge] = match &opened.fixed_next {
        Some(next) => next,
        None => {
            fixed_next_zeros = Challenge::zero_vec(fixed_local.len());
            &fixed_next_zeros
        }
    };
    let declared = air.periodic_columns();
    let periodic_columns = PeriodicColumns::new(&declared, height)
        .map_err(|e| bad(&format!("periodic columns: {e:?}")))?;
    let periodic_values: Vec<Challenge> =
        trace_domain.evaluate_periodic_columns_at(periodic_columns, zeta);
    let bus_values: Vec<Challenge> = instance.bus_sum.into_iter().collect();
    if challenges.len() != 2 * shape.lookups.len() {
        return Err(bad("bus challenge count"));
    }

    let fixed_pair = VerticalPair::new(
        RowMajorMatrixView::new_row(fixed_local),
        RowMajorMatrixView::new_row(fixed_next),
    );
    let inner = VerifierConstraintFolder::<StarkCfg> {
        main: VerticalPair::new(
            RowMajorMatrixView::new_row(&opened.main_local),
            RowMajorMatrixView::new_row(main_next),
        ),
        preprocessed: fixed_pair,
        preprocessed_window: RowWindow::from_two_rows(fixed_local, fixed_next),
        periodic_values: &periodic_values,
        public_values: &instance.public_values,
        is_first_row: selectors.is_first_row,
        is_last_row: selectors.is_last_row,
        is_transition: selectors.is_transition,
        alpha: folding,
        accumulator: Challenge::ZERO,
    };
    let mut folder = VerifierConstraintFolderWithLookups {
        inner,
        permutation: VerticalPair::new(
            RowMajorMatrixView::new_row(&aux_local),
            RowMajorMatrixView::new_row(&aux_next),
        ),
        permutation_challenges: challenges,
        permutation_values: &bus_values,
    };
    LogUpGadget::new().eval_air_and_lookups(air, &mut folder, &shape.lookups);
    if folder.inner.accumulator * selectors.inv_vanishing != quotient {
        return Err(VerifyError::OodEvaluationMismatch {
            instance: index,
            air: air.name(),
        });
    }
    Ok(())
}

/// Checks the proof file header and verifies: the single entry point for untrusted bytes.
pub fn verify_bytes<A: ZiskAir>(
    vk: &VerifyingKey,
    airs: &[A],
    bytes: &[u8],
    public_values: &[Val],
) -> Result<(), VerifyBytesError> {
    let proof = Proof::from_bytes(bytes, vk)?;
    verify(vk, airs, &proof, public_values)?;
    Ok(())
}

/// Error of [`verify_bytes`]: the file could not be read, or the proof is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyBytesError {
    /// The file is malformed.
    #[error(transparent)]
    Format(#[from] crate::error::ProofFormatError),
    /// The proof does not verify.
    #[error(transparent)]
    Verify(#[from] VerifyError),
}
