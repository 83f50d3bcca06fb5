//! Setup: the proving key (fixed-column commitments and their prover data) and the verifying key.
//!
//! Fixed columns are committed once per (AIR, height). The verifying key records the parameters,
//! a digest of every AIR (widths, symbolic constraints, bus interactions) and the fixed
//! commitments; its own digest is absorbed into every transcript, so a proof made under another
//! key or AIR set cannot verify.

use std::collections::HashMap;

use p3_matrix::dense::RowMajorMatrix;
use p3_matrix::Matrix;
use serde::{Deserialize, Serialize};

use crate::air::{air_digest, AirShape, ZiskAir};
use crate::config::{
    bytes_to_elements, digest_elements, pcs_ops, Commitment, PcsProverData, StarkCfg, StarkParams,
    Val,
};
use crate::error::SetupError;

/// Version of the key format.
pub const KEY_FORMAT_VERSION: u32 = 1;
/// Smallest supported trace height (log2).
pub const MIN_LOG_HEIGHT: usize = 3;

/// What the verifying key records about one AIR.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AirDescriptor {
    /// The AIR's name.
    pub name: String,
    /// Main trace width.
    pub width: usize,
    /// Fixed-column width.
    pub fixed_width: usize,
    /// Number of per-instance public values.
    pub num_public_values: usize,
    /// Digest of widths, symbolic constraints and bus interactions.
    pub digest: [u8; 32],
}

impl AirDescriptor {
    /// Describes `air`.
    pub fn of<A: ZiskAir>(air: &A) -> Self {
        Self {
            name: air.name(),
            width: air.width(),
            fixed_width: air.preprocessed_width(),
            num_public_values: air.num_public_values(),
            digest: air_digest(air),
        }
    }
}

/// The commitment to the fixed columns of one AIR at one height.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FixedCommitment {
    /// The AIR id.
    pub air_id: usize,
    /// log2 of the height.
    pub log_height: usize,
    /// Merkle root of the fixed columns' low-degree extension.
    pub commitment: Commitment,
}

/// Everything a verifier needs besides the AIRs themselves.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VerifyingKey {
    /// [`KEY_FORMAT_VERSION`].
    pub version: u32,
    /// The STARK parameters.
    pub params: StarkParams,
    /// `params.hash()`.
    pub params_hash: [u8; 32],
    /// One descriptor per AIR, in AIR-id order.
    pub airs: Vec<AirDescriptor>,
    /// Fixed commitments per (AIR, height).
    pub fixed: Vec<FixedCommitment>,
    /// Digest over all of the above.
    pub digest: [u8; 32],
}

impl VerifyingKey {
    fn compute_digest(&self) -> [u8; 32] {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&self.version.to_le_bytes());
        bytes.extend_from_slice(&self.params_hash);
        bytes.extend(postcard::to_allocvec(&self.airs).unwrap_or_default());
        bytes.extend(postcard::to_allocvec(&self.fixed).unwrap_or_default());
        digest_elements(&bytes_to_elements(&bytes))
    }

    /// Largest supported trace height (log2): the LDE of the quotient must fit the two-adic subgroup.
    pub fn max_log_height(&self) -> usize {
        32usize.saturating_sub(2 * self.params.log_blowup)
    }

    /// The fixed commitment of AIR `air_id` at `log_height`.
    pub fn fixed_commitment(&self, air_id: usize, log_height: usize) -> Option<&Commitment> {
        self.fixed
            .iter()
            .find(|f| f.air_id == air_id && f.log_height == log_height)
            .map(|f| &f.commitment)
    }

    /// Checks version, parameter hash, digest, and that `airs` are the AIRs this key was made for.
    pub fn check<A: ZiskAir>(&self, airs: &[A]) -> Result<(), String> {
        if self.version != KEY_FORMAT_VERSION {
            return Err(format!(
                "key format version {} (expected {KEY_FORMAT_VERSION})",
                self.version
            ));
        }
        if self.params_hash != self.params.hash() {
            return Err("parameter hash does not match the parameters".into());
        }
        if self.digest != self.compute_digest() {
            return Err("key digest does not match its contents".into());
        }
        if self.airs.len() != airs.len() {
            return Err(format!(
                "key has {} airs, verifier has {}",
                self.airs.len(),
                airs.len()
            ));
        }
        for (id, (descriptor, air)) in self.airs.iter().zip(airs).enumerate() {
            if *descriptor != AirDescriptor::of(air) {
                return Err(format!(
                    "air {id} ({}) differs from the key's {}",
                    air.name(),
                    descriptor.name
                ));
            }
        }
        Ok(())
    }

    /// Compact binary encoding (postcard).
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// Decodes [`VerifyingKey::to_bytes`] output.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SetupError> {
        let vk: Self = postcard::from_bytes(bytes)
            .map_err(|e| SetupError::KeyMismatch(format!("corrupt key: {e}")))?;
        if vk.version != KEY_FORMAT_VERSION || vk.digest != vk.compute_digest() {
            return Err(SetupError::KeyMismatch(
                "key version or digest mismatch".into(),
            ));
        }
        Ok(vk)
    }
}

/// Fixed columns of one (AIR, height) with their committed LDE.
pub(crate) struct FixedData {
    pub trace: RowMajorMatrix<Val>,
    pub prover_data: PcsProverData,
}

/// The verifying key plus what the prover keeps: the configuration and the fixed columns' LDEs.
pub struct ProvingKey {
    /// The verifying key.
    pub vk: VerifyingKey,
    pub(crate) config: StarkCfg,
    pub(crate) fixed: HashMap<(usize, usize), FixedData>,
}

impl ProvingKey {
    /// The Plonky3 configuration.
    pub fn config(&self) -> &StarkCfg {
        &self.config
    }
}

/// Commits the fixed columns of every AIR at every height in `log_heights` and builds the keys.
///
/// `log_heights[a]` lists the heights AIR `a` may be proven at (only AIRs with fixed columns need
/// them; others may be proven at any supported height).
pub fn setup<A: ZiskAir>(
    params: StarkParams,
    airs: &[A],
    log_heights: &[Vec<usize>],
) -> Result<ProvingKey, SetupError> {
    let config = params.stark_config();
    let pcs = p3_uni_stark::StarkGenericConfig::pcs(&config);
    let max_log_height = 32usize.saturating_sub(2 * params.log_blowup);
    let mut fixed = HashMap::new();
    let mut fixed_commitments = Vec::new();
    for (air_id, air) in airs.iter().enumerate() {
        let heights = log_heights.get(air_id).cloned().unwrap_or_default();
        AirShape::new(air, air_id, pcs, MIN_LOG_HEIGHT, params.log_blowup)?;
        for log_height in heights {
            if !(MIN_LOG_HEIGHT..=max_log_height).contains(&log_height) {
                return Err(SetupError::HeightOutOfRange {
                    air: air_id,
                    log_height,
                    min: MIN_LOG_HEIGHT,
                    max: max_log_height,
                });
            }
            AirShape::new(air, air_id, pcs, log_height, params.log_blowup)?;
            let width = air.preprocessed_width();
            if width == 0 || fixed.contains_key(&(air_id, log_height)) {
                continue;
            }
            let trace = air
                .fixed_trace(log_height)
                .filter(|t| t.width() == width && t.height() == 1usize << log_height)
                .ok_or(SetupError::MissingFixedTrace {
                    air: air_id,
                    log_height,
                    width,
                })?;
            let domain = pcs_ops::domain(pcs, 1usize << log_height);
            let (commitment, prover_data) = pcs_ops::commit(pcs, vec![(domain, trace.clone())])
                .map_err(|e| SetupError::Commit(format!("{e:?}")))?;
            fixed_commitments.push(FixedCommitment {
                air_id,
                log_height,
                commitment,
            });
            fixed.insert((air_id, log_height), FixedData { trace, prover_data });
        }
    }
    let mut vk = VerifyingKey {
        version: KEY_FORMAT_VERSION,
        params,
        params_hash: params.hash(),
        airs: airs.iter().map(AirDescriptor::of).collect(),
        fixed: fixed_commitments,
        digest: [0; 32],
    };
    vk.digest = vk.compute_digest();
    Ok(ProvingKey { vk, config, fixed })
}
