//! The Fiat–Shamir schedule shared by prover and verifier.
//!
//! Global phase, one challenger:
//! 1. domain separator `"zisk-prover/global/v1"`, the verifying-key digest (parameters, AIR
//!    digests, fixed commitments);
//! 2. the proof-level public values (count, then values);
//! 3. the instance list: count, then per instance `air_id`, `log_height`, its public values
//!    (count, then values);
//! 4. every instance's main-trace commitment, in order;
//! 5. sample the LogUp challenges `alpha`, `beta` (cubic-extension elements).
//!
//! Instance phase, a fork of the global challenger per instance `i`:
//! 1. separator `"instance"`, `i`;
//! 2. the LogUp trace commitment and the instance's bus sum (when the AIR uses a bus);
//! 3. sample the constraint-folding challenge;
//! 4. the quotient commitment; sample the out-of-domain point `zeta`;
//! 5. the FRI opening argument runs on this challenger.

use p3_challenger::{CanObserve, FieldChallenger};
use p3_field::PrimeCharacteristicRing;

use crate::config::{bytes_to_elements, Challenge, Challenger, Commitment, Val};
use crate::keys::VerifyingKey;

/// What the global transcript binds for one instance.
pub(crate) struct InstanceHeader<'a> {
    pub air_id: usize,
    pub log_height: usize,
    pub public_values: &'a [Val],
}

fn observe_len(challenger: &mut Challenger, n: usize) {
    challenger.observe(Val::from_u64(n as u64));
}

/// Runs the global phase and returns the challenger (for forking) and the LogUp `(alpha, beta)`.
pub(crate) fn global_phase(
    mut challenger: Challenger,
    vk: &VerifyingKey,
    public_values: &[Val],
    instances: &[InstanceHeader<'_>],
    main_commitments: &[&Commitment],
) -> (Challenger, Challenge, Challenge) {
    challenger.observe_slice(&bytes_to_elements(b"zisk-prover/global/v1"));
    challenger.observe_slice(&bytes_to_elements(&vk.digest));
    observe_len(&mut challenger, public_values.len());
    challenger.observe_slice(public_values);
    observe_len(&mut challenger, instances.len());
    for instance in instances {
        observe_len(&mut challenger, instance.air_id);
        observe_len(&mut challenger, instance.log_height);
        observe_len(&mut challenger, instance.public_values.len());
        challenger.observe_slice(instance.public_values);
    }
    for commitment in main_commitments {
        challenger.observe((*commitment).clone());
    }
    let alpha: Challenge = challenger.sample_algebra_element();
    let beta: Challenge = challenger.sample_algebra_element();
    (challenger, alpha, beta)
}

/// Forks the global challenger for instance `index` and binds its LogUp commitment and sum.
/// Returns the challenger and the constraint-folding challenge.
pub(crate) fn instance_phase(
    global: &Challenger,
    index: usize,
    aux_commitment: Option<&Commitment>,
    bus_sum: Option<Challenge>,
) -> (Challenger, Challenge) {
    let mut challenger = global.clone();
    challenger.observe_slice(&bytes_to_elements(b"instance"));
    observe_len(&mut challenger, index);
    if let Some(commitment) = aux_commitment {
        challenger.observe(commitment.clone());
    }
    if let Some(sum) = bus_sum {
        challenger.observe_algebra_element(sum);
    }
    let folding: Challenge = challenger.sample_algebra_element();
    (challenger, folding)
}

/// Binds the quotient commitment and samples the out-of-domain point.
pub(crate) fn quotient_phase(challenger: &mut Challenger, quotient: &Commitment) -> Challenge {
    challenger.observe(quotient.clone());
    challenger.sample_algebra_element()
}
