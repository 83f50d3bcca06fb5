//! End-to-end soundness: a valid multi-instance witness proves and verifies; a changed cell, a
//! dropped or duplicated bus tuple, an out-of-range value or a changed public value is caught by
//! both `verify_constraints` and the verifier.

mod common;

use common::{airs, deterministic_part, log_heights, valid_witness, Witness};
use p3_field::PrimeCharacteristicRing;
use zisk_prover::{
    prove, prove_traces, setup, verify, verify_constraints, ConstraintReport, ProveOptions,
    ProvingKey, StarkParams, TraceRetention, Val, VerifyError,
};

fn key() -> ProvingKey {
    setup(StarkParams::testing(), &airs(), &log_heights()).expect("setup")
}

fn check(w: &Witness) -> Result<(), ConstraintReport> {
    verify_constraints(&airs(), &w.instances, &w.public_values, |i| {
        w.traces[i].clone()
    })
}

/// Proves the (possibly bad) witness and verifies it against its own public values.
fn prove_and_verify(pk: &ProvingKey, w: &Witness) -> Result<(), VerifyError> {
    let proof = prove_traces(pk, &airs(), &w.instances, &w.public_values, &w.traces)
        .expect("proving never fails on a well-shaped witness");
    verify(&pk.vk, &airs(), &proof, &w.public_values)
}

#[test]
fn valid_witness_proves_and_verifies() {
    let pk = key();
    let w = valid_witness();
    check(&w).expect("valid witness satisfies every constraint and bus");
    prove_and_verify(&pk, &w).expect("valid proof verifies");
}

#[test]
fn regenerate_mode_gives_the_same_proof() {
    let pk = key();
    let w = valid_witness();
    let kept = prove_traces(&pk, &airs(), &w.instances, &w.public_values, &w.traces).unwrap();
    let mut calls = 0;
    let regenerated = prove(
        &pk,
        &airs(),
        &w.instances,
        &w.public_values,
        |i| {
            calls += 1;
            w.traces[i].clone()
        },
        ProveOptions {
            retention: TraceRetention::Regenerate,
        },
    )
    .unwrap();
    assert_eq!(calls, 2 * w.instances.len());
    assert_eq!(deterministic_part(&kept), deterministic_part(&regenerated));
    verify(&pk.vk, &airs(), &regenerated, &w.public_values).unwrap();
}

#[test]
fn nondeterministic_trace_rejected() {
    let pk = key();
    let w = valid_witness();
    let mut calls = 0;
    let result = prove(
        &pk,
        &airs(),
        &w.instances,
        &w.public_values,
        |i| {
            calls += 1;
            let mut t = w.traces[i].clone();
            if calls > w.instances.len() && i == 0 {
                t.values[0] += Val::ONE;
            }
            t
        },
        ProveOptions {
            retention: TraceRetention::Regenerate,
        },
    );
    assert_eq!(
        result.unwrap_err(),
        zisk_prover::ProveError::NondeterministicTrace { instance: 0 }
    );
}

#[test]
fn changed_cell_rejected() {
    let pk = key();
    let mut w = valid_witness();
    // Sender instance 0, row 2: y = 5 becomes 6.
    *w.cell(0, 2, 1) += Val::ONE;
    let report = check(&w).unwrap_err();
    let failure = &report.constraint_failures[0];
    assert_eq!(
        (
            failure.air.as_str(),
            failure.instance,
            failure.row,
            failure.constraint
        ),
        ("Sender", 0, 2, 1)
    );
    assert_eq!(failure.label.as_deref(), Some("y = x^2 + 1"));
    assert_eq!(report.total_constraint_failures, 1);
    assert!(report.bus_failures.iter().any(|b| b.bus == "xy"
        && b.tuple == vec![2, 6]
        && b.net_multiplicity == 1
        && b.locations == vec![(0, 2)]));
    assert!(prove_and_verify(&pk, &w).is_err());
}

#[test]
fn receiver_fixed_column_violation_rejected() {
    let pk = key();
    let mut w = valid_witness();
    // Swap two receiver rows: the bus still balances, but x = row fails on both.
    let (a, b) = (w.cell(2, 1, 0).to_owned(), w.cell(2, 1, 1).to_owned());
    let (c, d) = (w.cell(2, 3, 0).to_owned(), w.cell(2, 3, 1).to_owned());
    *w.cell(2, 1, 0) = c;
    *w.cell(2, 1, 1) = d;
    *w.cell(2, 3, 0) = a;
    *w.cell(2, 3, 1) = b;
    let report = check(&w).unwrap_err();
    assert!(report.bus_failures.is_empty());
    let rows: Vec<(usize, usize, usize)> = report
        .constraint_failures
        .iter()
        .map(|f| (f.instance, f.row, f.constraint))
        .collect();
    assert_eq!(rows, vec![(2, 1, 0), (2, 3, 0)]);
    assert!(matches!(
        prove_and_verify(&pk, &w),
        Err(VerifyError::OodEvaluationMismatch { instance: 2, .. })
    ));
}

#[test]
fn dropped_tuple_rejected() {
    let pk = key();
    let mut w = valid_witness();
    // Sender instance 1 stops sending x = 7 (its last real row): every constraint still holds.
    *w.cell(1, 2, 2) = Val::ZERO;
    let report = check(&w).unwrap_err();
    assert_eq!(report.total_constraint_failures, 0);
    assert!(report.bus_failures.iter().any(|b| b.bus == "xy"
        && b.tuple == vec![7, 50]
        && b.net_multiplicity == -1
        && b.locations == vec![(2, 7)]));
    assert!(report
        .bus_failures
        .iter()
        .any(|b| b.bus == "byte" && b.tuple == vec![7]));
    assert_eq!(prove_and_verify(&pk, &w), Err(VerifyError::BusImbalance));
}

#[test]
fn duplicated_tuple_rejected() {
    let pk = key();
    let mut w = valid_witness();
    // Sender instance 0 sends (4, 17) twice; the byte table counts the extra lookup, so only
    // the xy bus is unbalanced.
    *w.cell(0, 5, 0) = Val::from_u64(4);
    *w.cell(0, 5, 1) = Val::from_u64(17);
    *w.cell(0, 5, 2) = Val::ONE;
    *w.cell(3, 4, 0) += Val::ONE;
    let report = check(&w).unwrap_err();
    assert_eq!(report.total_constraint_failures, 0);
    assert_eq!(report.bus_failures.len(), 1);
    let failure = &report.bus_failures[0];
    assert_eq!(
        (
            failure.bus.as_str(),
            failure.tuple.clone(),
            failure.net_multiplicity
        ),
        ("xy", vec![4, 17], 1)
    );
    assert_eq!(prove_and_verify(&pk, &w), Err(VerifyError::BusImbalance));
}

#[test]
fn out_of_range_value_rejected() {
    let pk = key();
    let mut w = valid_witness();
    // The receiver and the sender agree on a tuple whose x is outside the byte table.
    *w.cell(0, 3, 0) = Val::from_u64(300);
    *w.cell(0, 3, 1) = Val::from_u64(300 * 300 + 1);
    *w.cell(3, 3, 0) -= Val::ONE;
    let report = check(&w).unwrap_err();
    assert_eq!(report.total_constraint_failures, 0);
    assert!(report
        .bus_failures
        .iter()
        .any(|b| b.bus == "byte" && b.tuple == vec![300]));
    assert_eq!(prove_and_verify(&pk, &w), Err(VerifyError::BusImbalance));
}

#[test]
fn changed_public_value_rejected() {
    let pk = key();
    let w = valid_witness();
    let proof = prove_traces(&pk, &airs(), &w.instances, &w.public_values, &w.traces).unwrap();
    let mut other = w.public_values.clone();
    other[0] += Val::ONE;
    assert!(matches!(
        verify(&pk.vk, &airs(), &proof, &other),
        Err(VerifyError::PublicValuesMismatch { .. })
    ));

    // A proof whose own public values were edited no longer matches its transcript.
    let mut tampered = proof.clone();
    tampered.public_values = other.clone();
    assert!(verify(&pk.vk, &airs(), &tampered, &other).is_err());

    // An instance public value is bound by the sender's first-row constraint.
    let mut bad = w.clone();
    bad.instances[1].public_values[0] = Val::from_u64(6);
    let report = check(&bad).unwrap_err();
    let failure = &report.constraint_failures[0];
    assert_eq!(
        (failure.instance, failure.row, failure.constraint),
        (1, 0, 3)
    );
    assert!(prove_and_verify(&pk, &bad).is_err());

    let mut tampered = proof;
    tampered.instances[0].public_values[0] = Val::ONE;
    assert!(verify(&pk.vk, &airs(), &tampered, &w.public_values).is_err());
}

#[test]
fn wrong_shapes_are_errors() {
    let pk = key();
    let w = valid_witness();
    let mut bad = w.clone();
    bad.instances[2].log_height = 4;
    let err = prove_traces(
        &pk,
        &airs(),
        &bad.instances,
        &bad.public_values,
        &bad.traces,
    );
    assert!(matches!(
        err,
        Err(zisk_prover::ProveError::InvalidInstance { instance: 2, .. })
    ));
    let mut bad = w.clone();
    bad.traces[0] = bad.traces[1].clone();
    let err = prove_traces(
        &pk,
        &airs(),
        &bad.instances,
        &bad.public_values,
        &bad.traces,
    );
    assert!(matches!(
        err,
        Err(zisk_prover::ProveError::TraceShape { instance: 0, .. })
    ));
    let report = check(&bad).unwrap_err();
    assert_eq!(report.shape_failures[0].instance, 0);
}

#[test]
fn key_for_other_airs_rejected() {
    let pk = key();
    let w = valid_witness();
    let proof = prove_traces(&pk, &airs(), &w.instances, &w.public_values, &w.traces).unwrap();
    let swapped = vec![airs()[0], airs()[2], airs()[1]];
    assert!(matches!(
        verify(&pk.vk, &swapped, &proof, &w.public_values),
        Err(VerifyError::KeyMismatch(_))
    ));
    let other = setup(StarkParams::default(), &airs(), &log_heights()).unwrap();
    assert!(verify(&other.vk, &airs(), &proof, &w.public_values).is_err());
}
