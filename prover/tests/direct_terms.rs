//! Per-instance (`ZiskAir::direct_terms`) and proof-level (`ZiskAir::global_terms`) bus terms
//! enter the bus balance of `verify_constraints` and of the verifier.
//!
//! `Outbox` `[v, sel]` with one public value `claim`: every selected row sends `[v]` on bus
//! `out`; the instance assumes `[claim]` on `out` once and provides `[claim]` on `total`; the
//! proof assumes `[public_values[0]]` on `total`. So a valid statement has one selected row whose
//! `v` is the instance's claim, which is the proof's public value.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{Count, InteractionBuilder};
use p3_matrix::dense::RowMajorMatrix;
use zisk_prover::{
    prove_traces, setup, verify, verify_constraints, DirectTerm, InstanceSpec, StarkParams, Val,
    VerifyError, ZiskAir,
};

#[derive(Clone, Copy, Debug)]
struct Outbox;

impl BaseAir<Val> for Outbox {
    fn width(&self) -> usize {
        2
    }

    fn num_public_values(&self) -> usize {
        1
    }

    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: InteractionBuilder<F = Val>> Air<AB> for Outbox {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let v: AB::Expr = main.current_slice()[0].into();
        let sel: AB::Expr = main.current_slice()[1].into();
        builder.assert_bool(sel.clone());
        builder.push_interaction("out", [v], Count::bounded(sel, 1));
    }
}

impl ZiskAir for Outbox {
    fn name(&self) -> String {
        "Outbox".into()
    }

    fn direct_terms(&self, public_values: &[Val]) -> Vec<DirectTerm> {
        let claim = public_values[0];
        vec![
            DirectTerm {
                bus: "out".into(),
                fields: vec![claim],
                count: -Val::ONE,
            },
            DirectTerm {
                bus: "total".into(),
                fields: vec![claim],
                count: Val::ONE,
            },
        ]
    }

    fn global_terms(_airs: &[Self], public_values: &[Val]) -> Result<Vec<DirectTerm>, String> {
        let value = public_values.first().ok_or("one public value")?;
        Ok(vec![DirectTerm {
            bus: "total".into(),
            fields: vec![*value],
            count: -Val::ONE,
        }])
    }
}

struct Statement {
    instances: Vec<InstanceSpec>,
    traces: Vec<RowMajorMatrix<Val>>,
    public_values: Vec<Val>,
}

fn valid() -> Statement {
    let mut values = vec![Val::ZERO; 16];
    values[6] = Val::from_u64(77); // row 3: v
    values[7] = Val::ONE; // row 3: sel
    Statement {
        instances: vec![InstanceSpec {
            air_id: 0,
            log_height: 3,
            public_values: vec![Val::from_u64(77)],
        }],
        traces: vec![RowMajorMatrix::new(values, 2)],
        public_values: vec![Val::from_u64(77)],
    }
}

fn check(s: &Statement) -> Vec<String> {
    match verify_constraints(&[Outbox], &s.instances, &s.public_values, |i| {
        s.traces[i].clone()
    }) {
        Ok(()) => Vec::new(),
        Err(report) => report.bus_failures.into_iter().map(|b| b.bus).collect(),
    }
}

fn prove_and_verify(s: &Statement) -> Result<(), VerifyError> {
    let pk = setup(StarkParams::testing(), &[Outbox], &[vec![3]]).unwrap();
    let proof = prove_traces(&pk, &[Outbox], &s.instances, &s.public_values, &s.traces).unwrap();
    verify(&pk.vk, &[Outbox], &proof, &s.public_values)
}

#[test]
fn balanced_direct_terms_verify() {
    let s = valid();
    assert!(check(&s).is_empty());
    prove_and_verify(&s).unwrap();
}

#[test]
fn changed_instance_public_value_is_rejected() {
    let mut s = valid();
    s.instances[0].public_values[0] += Val::ONE;
    assert_eq!(check(&s), ["out", "out", "total", "total"]);
    assert_eq!(prove_and_verify(&s), Err(VerifyError::BusImbalance));
}

#[test]
fn changed_proof_public_value_is_rejected() {
    let mut s = valid();
    s.public_values[0] += Val::ONE;
    assert_eq!(check(&s), ["total", "total"]);
    assert_eq!(prove_and_verify(&s), Err(VerifyError::BusImbalance));
}

#[test]
fn changed_row_is_rejected() {
    let mut s = valid();
    s.traces[0].values[6] += Val::ONE;
    assert_eq!(check(&s), ["out", "out"]);
    assert_eq!(prove_and_verify(&s), Err(VerifyError::BusImbalance));
}

#[test]
fn missing_public_values_are_an_error() {
    let mut s = valid();
    s.public_values.clear();
    let pk = setup(StarkParams::testing(), &[Outbox], &[vec![3]]).unwrap();
    let proof = prove_traces(&pk, &[Outbox], &s.instances, &[Val::ONE], &s.traces).unwrap();
    assert!(matches!(
        verify(&pk.vk, &[Outbox], &proof, &s.public_values),
        Err(VerifyError::PublicValuesMismatch { .. })
    ));
    let mut stripped = proof.clone();
    stripped.public_values.clear();
    assert!(matches!(
        verify(&pk.vk, &[Outbox], &stripped, &[]),
        Err(VerifyError::GlobalTerms(_))
    ));
}
