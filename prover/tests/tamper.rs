//! Proof tampering and proof files: flipped bytes, truncation, foreign proofs, edited structure
//! and wrong headers are all rejected with errors, never panics. Also pins the proof format.

mod common;

use common::{airs, deterministic_part, log_heights, valid_witness};
use p3_field::PrimeCharacteristicRing;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zisk_prover::config::{bytes_to_elements, digest_elements};
use zisk_prover::proof::{HEADER_LEN, PROOF_FORMAT_VERSION};
use zisk_prover::{
    prove_traces, setup, verify, verify_bytes, ProofFormatError, ProvingKey, StarkParams, Val,
    VerifyBytesError,
};

fn key() -> ProvingKey {
    setup(StarkParams::testing(), &airs(), &log_heights()).expect("setup")
}

fn valid_proof_bytes(pk: &ProvingKey) -> Vec<u8> {
    let w = valid_witness();
    prove_traces(pk, &airs(), &w.instances, &w.public_values, &w.traces)
        .unwrap()
        .to_bytes(&pk.vk)
        .unwrap()
}

#[test]
fn proof_roundtrips_through_bytes_and_json() {
    let pk = key();
    let w = valid_witness();
    let proof = prove_traces(&pk, &airs(), &w.instances, &w.public_values, &w.traces).unwrap();
    let bytes = proof.to_bytes(&pk.vk).unwrap();
    verify_bytes(&pk.vk, &airs(), &bytes, &w.public_values).unwrap();
    let json = proof.to_json(&pk.vk).unwrap();
    let back = zisk_prover::Proof::from_json(&json, &pk.vk).unwrap();
    verify(&pk.vk, &airs(), &back, &w.public_values).unwrap();
    assert_eq!(back.to_bytes(&pk.vk).unwrap(), bytes);
    assert!(json.len() > bytes.len());
}

#[test]
fn flipped_bytes_rejected() {
    let pk = key();
    let w = valid_witness();
    let bytes = valid_proof_bytes(&pk);
    let mut rng = StdRng::seed_from_u64(7);
    let mut positions: Vec<usize> = (0..HEADER_LEN).collect();
    positions.extend((0..300).map(|_| rng.gen_range(HEADER_LEN..bytes.len())));
    for pos in positions {
        let mut bad = bytes.clone();
        bad[pos] ^= 1 << rng.gen_range(0..8);
        let result = verify_bytes(&pk.vk, &airs(), &bad, &w.public_values);
        assert!(result.is_err(), "flip at byte {pos} accepted");
    }
}

#[test]
fn truncated_or_extended_proof_rejected() {
    let pk = key();
    let w = valid_witness();
    let bytes = valid_proof_bytes(&pk);
    let mut rng = StdRng::seed_from_u64(11);
    let mut lengths: Vec<usize> = vec![0, 1, 8, HEADER_LEN - 1, HEADER_LEN, HEADER_LEN + 1];
    lengths.extend((0..50).map(|_| rng.gen_range(0..bytes.len())));
    lengths.push(bytes.len() - 1);
    for len in lengths {
        let result = verify_bytes(&pk.vk, &airs(), &bytes[..len], &w.public_values);
        assert!(result.is_err(), "truncation to {len} accepted");
    }
    assert_eq!(
        verify_bytes(&pk.vk, &airs(), &bytes[..10], &w.public_values),
        Err(VerifyBytesError::Format(ProofFormatError::Truncated {
            len: 10,
            needed: HEADER_LEN
        }))
    );
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        verify_bytes(&pk.vk, &airs(), &longer, &w.public_values),
        Err(VerifyBytesError::Format(ProofFormatError::TrailingBytes(1)))
    );
}

#[test]
fn header_errors_are_typed() {
    let pk = key();
    let w = valid_witness();
    let bytes = valid_proof_bytes(&pk);
    let mut bad = bytes.clone();
    bad[0] = b'X';
    assert_eq!(
        verify_bytes(&pk.vk, &airs(), &bad, &w.public_values),
        Err(VerifyBytesError::Format(ProofFormatError::BadMagic))
    );
    let mut bad = bytes.clone();
    bad[8] = 9;
    assert_eq!(
        verify_bytes(&pk.vk, &airs(), &bad, &w.public_values),
        Err(VerifyBytesError::Format(
            ProofFormatError::UnsupportedVersion {
                found: 9,
                expected: PROOF_FORMAT_VERSION
            }
        ))
    );
    let other = setup(StarkParams::default(), &airs(), &log_heights()).unwrap();
    assert_eq!(
        verify_bytes(&other.vk, &airs(), &bytes, &w.public_values),
        Err(VerifyBytesError::Format(ProofFormatError::ParamsMismatch))
    );
    let json = "{\"header\": 3}";
    assert!(matches!(
        zisk_prover::Proof::from_json(json, &pk.vk),
        Err(ProofFormatError::Corrupt(_))
    ));
}

#[test]
fn proof_of_another_statement_rejected() {
    let pk = key();
    let w = valid_witness();
    let mut other = valid_witness();
    other.public_values[1] = Val::from_u64(1);
    let foreign = prove_traces(
        &pk,
        &airs(),
        &other.instances,
        &other.public_values,
        &other.traces,
    )
    .unwrap();
    assert!(verify(&pk.vk, &airs(), &foreign, &w.public_values).is_err());

    // Splicing an instance proof from another statement into a valid proof fails.
    let mut spliced =
        prove_traces(&pk, &airs(), &w.instances, &w.public_values, &w.traces).unwrap();
    spliced.instances[3] = foreign.instances[3].clone();
    assert!(verify(&pk.vk, &airs(), &spliced, &w.public_values).is_err());
}

/// A structural edit of a proof.
type Edit = Box<dyn Fn(&mut zisk_prover::Proof)>;

#[test]
fn edited_proof_structure_rejected() {
    let pk = key();
    let w = valid_witness();
    let proof = prove_traces(&pk, &airs(), &w.instances, &w.public_values, &w.traces).unwrap();
    let edits: Vec<Edit> = vec![
        Box::new(|p| p.instances.clear()),
        Box::new(|p| {
            p.instances.pop();
        }),
        Box::new(|p| p.instances.swap(0, 1)),
        Box::new(|p| p.instances[0].air_id = 7),
        Box::new(|p| p.instances[0].air_id = 1),
        Box::new(|p| p.instances[0].log_height = 60),
        Box::new(|p| p.instances[0].log_height = 0),
        Box::new(|p| p.instances[1].log_height = 4),
        Box::new(|p| {
            p.instances[0]
                .opened
                .main_local
                .pop()
                .map(drop)
                .unwrap_or(())
        }),
        Box::new(|p| p.instances[0].opened.main_next = None),
        Box::new(|p| p.instances[0].opened.quotient_chunks.clear()),
        Box::new(|p| p.instances[0].opened.quotient_chunks[0].push(Default::default())),
        Box::new(|p| p.instances[0].opened.aux_local.clear()),
        Box::new(|p| p.instances[0].opened.aux_next[0] += zisk_prover::Challenge::ONE),
        Box::new(|p| p.instances[2].opened.fixed_local = None),
        Box::new(|p| p.instances[2].opened.fixed_next = Some(vec![])),
        Box::new(|p| p.instances[0].opened.fixed_local = Some(vec![])),
        Box::new(|p| p.instances[0].aux_commitment = None),
        Box::new(|p| p.instances[0].bus_sum = None),
        Box::new(|p| {
            p.instances[0].bus_sum = p.instances[0]
                .bus_sum
                .map(|s| s + zisk_prover::Challenge::ONE)
        }),
        Box::new(|p| {
            let sum = p.instances[0].bus_sum;
            p.instances[0].bus_sum = p.instances[1].bus_sum;
            p.instances[1].bus_sum = sum;
        }),
        Box::new(|p| p.instances[0].public_values.push(Val::ONE)),
        Box::new(|p| {
            let c = p.instances[1].main_commitment.clone();
            p.instances[0].main_commitment = c;
        }),
        Box::new(|p| {
            let c = p.instances[1].opening_proof.clone();
            p.instances[0].opening_proof = c;
        }),
    ];
    for (i, edit) in edits.iter().enumerate() {
        let mut bad = proof.clone();
        edit(&mut bad);
        assert!(
            verify(&pk.vk, &airs(), &bad, &w.public_values).is_err(),
            "edit {i} accepted"
        );
    }
}

#[test]
fn tiny_proof_format_is_pinned() {
    // The FRI query proof-of-work may find a different (equally valid) witness when searched in
    // parallel, so the pinned digest covers everything before it: commitments, bus sums and
    // openings. The header layout and the instance shapes are pinned alongside.
    let pk = key();
    let w = valid_witness();
    let proof = prove_traces(&pk, &airs(), &w.instances, &w.public_values, &w.traces).unwrap();
    let digest = digest_elements(&bytes_to_elements(&deterministic_part(&proof)));
    let hex = |bytes: &[u8]| -> String { bytes.iter().map(|b| format!("{b:02x}")).collect() };
    let bytes = proof.to_bytes(&pk.vk).unwrap();
    let mut summary = format!(
        "header {}\nparams {}\nkey {}\ndigest {}\n",
        hex(&bytes[..12]),
        hex(&pk.vk.params_hash),
        hex(&pk.vk.digest),
        hex(&digest)
    );
    for i in &proof.instances {
        summary.push_str(&format!(
            "instance air {} 2^{} main {} next {} fixed {} aux {} chunks {}\n",
            i.air_id,
            i.log_height,
            i.opened.main_local.len(),
            i.opened.main_next.as_ref().map_or(0, Vec::len),
            i.opened.fixed_local.as_ref().map_or(0, Vec::len),
            i.opened.aux_local.len(),
            i.opened.quotient_chunks.len()
        ));
    }
    expect_test::expect_file!["fixtures/tiny_proof.txt"].assert_eq(&summary);
}
