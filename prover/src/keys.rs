//! Setup: the proving key (fixed-column commitments and their prover data) and the verifying key.
//!
//! Fixed columns are committed once per (AIR, height). The verifying key records the parameters,
//! a digest of every AIR (widths, symbolic constraints, bus interactions) and the fixed
//! commitments; its own digest is absorbed into every transcript, so a proof made under another
//! key or AIR set cannot verify.

use std::collections::HashMap;
use std::path::Path;

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

    /// Adds (or replaces) the fixed commitment of `air_id` at `log_height` and re-digests the
    /// key: how a per-statement fixed trace (the zkVM's program ROM) joins a shared key. The
    /// new digest binds every proof made with it to that commitment.
    pub fn with_fixed_commitment(
        mut self,
        air_id: usize,
        log_height: usize,
        commitment: Commitment,
    ) -> Self {
        self.fixed
            .retain(|f| !(f.air_id == air_id && f.log_height == log_height));
        self.fixed.push(FixedCommitment {
            air_id,
            log_height,
            commitment,
        });
        self.digest = self.compute_digest();
        self
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

    /// Commits `trace` as the fixed columns of `air_id` at its height, replacing any earlier
    /// ones, and updates the verifying key ([`VerifyingKey::with_fixed_commitment`]); returns
    /// the commitment.
    pub fn add_fixed<A: ZiskAir>(
        &mut self,
        air: &A,
        air_id: usize,
        trace: RowMajorMatrix<Val>,
    ) -> Result<Commitment, SetupError> {
        let width = air.preprocessed_width();
        let height = trace.height();
        let log_height = height.trailing_zeros() as usize;
        let max_log_height = self.vk.max_log_height();
        if !height.is_power_of_two() || !(MIN_LOG_HEIGHT..=max_log_height).contains(&log_height) {
            return Err(SetupError::HeightOutOfRange {
                air: air_id,
                log_height,
                min: MIN_LOG_HEIGHT,
                max: max_log_height,
            });
        }
        if width == 0 || trace.width() != width {
            return Err(SetupError::MissingFixedTrace {
                air: air_id,
                log_height,
                width,
            });
        }
        let pcs = p3_uni_stark::StarkGenericConfig::pcs(&self.config);
        AirShape::new(air, air_id, pcs, log_height, self.vk.params.log_blowup)?;
        let domain = pcs_ops::domain(pcs, height);
        let (commitment, prover_data) = pcs_ops::commit(pcs, vec![(domain, trace.clone())])
            .map_err(|e| SetupError::Commit(format!("{e:?}")))?;
        self.fixed
            .insert((air_id, log_height), FixedData { trace, prover_data });
        self.vk = self
            .vk
            .clone()
            .with_fixed_commitment(air_id, log_height, commitment.clone());
        Ok(commitment)
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

/// Name of the verifying-key file inside a key directory.
pub const VK_FILE: &str = "verifying_key.bin";
/// Name of the human-readable manifest inside a key directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// Magic bytes at the start of [`VK_FILE`].
pub const KEY_MAGIC: [u8; 8] = *b"ZISK-VK\0";

/// Errors reading or writing a key directory; a bad or foreign file is an error, never a panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyFileError {
    /// The file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        message: String,
    },
    /// The file does not start with [`KEY_MAGIC`].
    #[error("{path}: not a zisk verifying key")]
    NotAKey {
        /// The file.
        path: String,
    },
    /// The key format version is not the one this build reads.
    #[error(
        "{path}: key format version {found}, this build reads {expected}; run `cargo xtask setup`"
    )]
    UnsupportedVersion {
        /// The file.
        path: String,
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// The key does not decode or its digest does not match its contents.
    #[error("{path}: corrupt key: {message}")]
    Corrupt {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The key was made for other AIRs, parameters or fixed columns than the code's.
    #[error("{path}: key does not match this code ({message}); run `cargo xtask setup`")]
    Mismatch {
        /// The file.
        path: String,
        /// What differs.
        message: String,
    },
    /// Recomputing the fixed commitments failed.
    #[error(transparent)]
    Setup(#[from] SetupError),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl VerifyingKey {
    /// The key file contents: [`KEY_MAGIC`], [`KEY_FORMAT_VERSION`] (u32, little endian), postcard.
    pub fn to_file_bytes(&self) -> Vec<u8> {
        let mut bytes = KEY_MAGIC.to_vec();
        bytes.extend_from_slice(&KEY_FORMAT_VERSION.to_le_bytes());
        bytes.extend(self.to_bytes());
        bytes
    }

    /// Decodes [`VerifyingKey::to_file_bytes`] output; `path` names the file in errors.
    pub fn from_file_bytes(bytes: &[u8], path: &str) -> Result<Self, KeyFileError> {
        let path = path.to_string();
        let Some(rest) = bytes.strip_prefix(&KEY_MAGIC) else {
            return Err(KeyFileError::NotAKey { path });
        };
        let (version, body) = match rest.split_first_chunk::<4>() {
            Some((version, body)) => (u32::from_le_bytes(*version), body),
            None => {
                return Err(KeyFileError::Corrupt {
                    path,
                    message: "truncated header".into(),
                })
            }
        };
        if version != KEY_FORMAT_VERSION {
            return Err(KeyFileError::UnsupportedVersion {
                path,
                found: version,
                expected: KEY_FORMAT_VERSION,
            });
        }
        let (vk, unused) =
            postcard::take_from_bytes::<Self>(body).map_err(|e| KeyFileError::Corrupt {
                path: path.clone(),
                message: e.to_string(),
            })?;
        if !unused.is_empty() {
            return Err(KeyFileError::Corrupt {
                path,
                message: format!("{} trailing bytes", unused.len()),
            });
        }
        if vk.version != KEY_FORMAT_VERSION || vk.digest != vk.compute_digest() {
            return Err(KeyFileError::Corrupt {
                path,
                message: "digest does not match the contents".into(),
            });
        }
        Ok(vk)
    }

    /// A JSON summary of the key: version, digest, parameters, and per AIR its name, shape digest
    /// and committed heights.
    pub fn manifest(&self) -> String {
        let airs: Vec<serde_json::Value> = self
            .airs
            .iter()
            .enumerate()
            .map(|(id, air)| {
                let heights: Vec<usize> = self
                    .fixed
                    .iter()
                    .filter(|f| f.air_id == id)
                    .map(|f| f.log_height)
                    .collect();
                serde_json::json!({
                    "id": id,
                    "name": air.name,
                    "width": air.width,
                    "fixed_width": air.fixed_width,
                    "num_public_values": air.num_public_values,
                    "digest": hex(&air.digest),
                    "fixed_log_heights": heights,
                })
            })
            .collect();
        let manifest = serde_json::json!({
            "format_version": self.version,
            "prover_version": env!("CARGO_PKG_VERSION"),
            "vk_digest": hex(&self.digest),
            "params_hash": hex(&self.params_hash),
            "params": self.params,
            "airs": airs,
        });
        serde_json::to_string_pretty(&manifest).unwrap_or_default()
    }

    /// Reads `dir/`[`VK_FILE`].
    pub fn load(dir: &Path) -> Result<Self, KeyFileError> {
        let path = dir.join(VK_FILE);
        let bytes = std::fs::read(&path).map_err(|e| KeyFileError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::from_file_bytes(&bytes, &path.display().to_string())
    }
}

impl ProvingKey {
    /// Writes the verifying key ([`VK_FILE`]) and a manifest ([`MANIFEST_FILE`]) into `dir`,
    /// creating it. The fixed columns' LDEs are not stored: [`ProvingKey::load`] recomputes them.
    pub fn save(&self, dir: &Path) -> Result<(), KeyFileError> {
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |e: std::io::Error| KeyFileError::Io {
                path,
                message: e.to_string(),
            }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let vk_path = dir.join(VK_FILE);
        std::fs::write(&vk_path, self.vk.to_file_bytes()).map_err(io(&vk_path))?;
        let manifest_path = dir.join(MANIFEST_FILE);
        std::fs::write(&manifest_path, self.vk.manifest()).map_err(io(&manifest_path))?;
        Ok(())
    }

    /// Loads the key in `dir` for `airs`: reads the verifying key, checks that it was made for
    /// these AIRs (names, widths, digests of constraints and buses) and parameters, recomputes
    /// the fixed columns at the key's heights and checks their commitments against the key.
    pub fn load<A: ZiskAir>(dir: &Path, airs: &[A]) -> Result<Self, KeyFileError> {
        let vk = VerifyingKey::load(dir)?;
        let path = dir.join(VK_FILE).display().to_string();
        vk.check(airs).map_err(|message| KeyFileError::Mismatch {
            path: path.clone(),
            message,
        })?;
        let mut log_heights = vec![Vec::new(); airs.len()];
        for f in &vk.fixed {
            match log_heights.get_mut(f.air_id) {
                Some(heights) => heights.push(f.log_height),
                None => {
                    return Err(KeyFileError::Corrupt {
                        path,
                        message: format!("fixed commitment of unknown air {}", f.air_id),
                    })
                }
            }
        }
        let pk = setup(vk.params, airs, &log_heights)?;
        if pk.vk.digest != vk.digest {
            return Err(KeyFileError::Mismatch {
                path,
                message: "the fixed columns differ from the committed ones".into(),
            });
        }
        Ok(pk)
    }
}
