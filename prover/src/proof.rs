//! The statement and proof types, and the proof file format (binary and JSON, with a header).
//!
//! Binary layout: `magic (8) ‖ version (u32 LE) ‖ params hash (32) ‖ key digest (32) ‖ postcard body`.
//! JSON: `{"header": {...}, "proof": {...}}` with the same header fields.

use serde::{Deserialize, Serialize};

use crate::config::{Challenge, Commitment, PcsProof, Val};
use crate::error::ProofFormatError;
use crate::keys::VerifyingKey;

/// Magic bytes at the start of a binary proof file.
pub const PROOF_MAGIC: [u8; 8] = *b"ZISKPRF\0";
/// Version of the proof format this build writes and reads.
pub const PROOF_FORMAT_VERSION: u32 = 1;
/// Size of the binary header.
pub const HEADER_LEN: usize = 8 + 4 + 32 + 32;

/// One AIR instance of a statement: which AIR, how tall, and its own public values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceSpec {
    /// Index into the AIR list.
    pub air_id: usize,
    /// log2 of the trace height.
    pub log_height: usize,
    /// Public values the AIR reads through `builder.public_values()`.
    pub public_values: Vec<Val>,
}

/// Values opened by one instance proof at the out-of-domain point `zeta` (and `zeta·g`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenedValues {
    /// Main trace at `zeta`.
    pub main_local: Vec<Challenge>,
    /// Main trace at `zeta·g` (only when the AIR reads the next row).
    pub main_next: Option<Vec<Challenge>>,
    /// Fixed columns at `zeta` (only when the AIR has fixed columns).
    pub fixed_local: Option<Vec<Challenge>>,
    /// Fixed columns at `zeta·g` (only when the AIR reads their next row).
    pub fixed_next: Option<Vec<Challenge>>,
    /// LogUp trace at `zeta`, base-flattened (empty without buses).
    pub aux_local: Vec<Challenge>,
    /// LogUp trace at `zeta·g`, base-flattened (empty without buses).
    pub aux_next: Vec<Challenge>,
    /// Each quotient chunk at `zeta`, base-flattened (3 values per chunk).
    pub quotient_chunks: Vec<Vec<Challenge>>,
}

/// The proof of one instance against the global bus challenges.
#[derive(Clone, Serialize, Deserialize)]
pub struct InstanceProof {
    /// Which AIR.
    pub air_id: usize,
    /// log2 of the trace height.
    pub log_height: usize,
    /// The instance's public values.
    pub public_values: Vec<Val>,
    /// Commitment to the main trace (global phase).
    pub main_commitment: Commitment,
    /// Commitment to the LogUp trace (absent when the AIR uses no bus).
    pub aux_commitment: Option<Commitment>,
    /// The instance's LogUp sum over all its rows (absent when the AIR uses no bus).
    pub bus_sum: Option<Challenge>,
    /// Commitment to the quotient chunks.
    pub quotient_commitment: Commitment,
    /// The opened values.
    pub opened: OpenedValues,
    /// The FRI opening proof.
    pub opening_proof: PcsProof,
}

/// A proof of a set of AIR instances connected by buses.
#[derive(Clone, Serialize, Deserialize)]
pub struct Proof {
    /// Proof-level public values (program outputs, program identity).
    pub public_values: Vec<Val>,
    /// One proof per instance, in statement order.
    pub instances: Vec<InstanceProof>,
}

impl std::fmt::Debug for InstanceProof {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InstanceProof")
            .field("air_id", &self.air_id)
            .field("log_height", &self.log_height)
            .field("public_values", &self.public_values)
            .field("bus_sum", &self.bus_sum)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Proof {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proof")
            .field("public_values", &self.public_values)
            .field("instances", &self.instances)
            .finish()
    }
}

/// Header of a proof file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofHeader {
    /// Must be [`PROOF_MAGIC`].
    pub magic: [u8; 8],
    /// Must be [`PROOF_FORMAT_VERSION`].
    pub version: u32,
    /// Hash of the STARK parameters.
    pub params_hash: [u8; 32],
    /// Digest of the verifying key (AIR set and fixed commitments).
    pub key_digest: [u8; 32],
}

impl ProofHeader {
    /// The header for proofs made with `vk`.
    pub fn for_key(vk: &VerifyingKey) -> Self {
        Self {
            magic: PROOF_MAGIC,
            version: PROOF_FORMAT_VERSION,
            params_hash: vk.params_hash,
            key_digest: vk.digest,
        }
    }

    fn to_bytes(self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[..8].copy_from_slice(&self.magic);
        out[8..12].copy_from_slice(&self.version.to_le_bytes());
        out[12..44].copy_from_slice(&self.params_hash);
        out[44..76].copy_from_slice(&self.key_digest);
        out
    }

    fn from_bytes(bytes: &[u8]) -> Result<Self, ProofFormatError> {
        let truncated = ProofFormatError::Truncated {
            len: bytes.len(),
            needed: HEADER_LEN,
        };
        let header = bytes.get(..HEADER_LEN).ok_or(truncated.clone())?;
        let field = |range: std::ops::Range<usize>| header.get(range).ok_or(truncated.clone());
        let magic: [u8; 8] = field(0..8)?.try_into().map_err(|_| truncated.clone())?;
        let version = u32::from_le_bytes(field(8..12)?.try_into().map_err(|_| truncated.clone())?);
        let params_hash: [u8; 32] = field(12..44)?.try_into().map_err(|_| truncated.clone())?;
        let key_digest: [u8; 32] = field(44..76)?.try_into().map_err(|_| truncated.clone())?;
        Ok(Self {
            magic,
            version,
            params_hash,
            key_digest,
        })
    }

    /// Checks magic, version and that the header belongs to `vk`.
    pub fn check(&self, vk: &VerifyingKey) -> Result<(), ProofFormatError> {
        if self.magic != PROOF_MAGIC {
            return Err(ProofFormatError::BadMagic);
        }
        if self.version != PROOF_FORMAT_VERSION {
            return Err(ProofFormatError::UnsupportedVersion {
                found: self.version,
                expected: PROOF_FORMAT_VERSION,
            });
        }
        if self.params_hash != vk.params_hash {
            return Err(ProofFormatError::ParamsMismatch);
        }
        if self.key_digest != vk.digest {
            return Err(ProofFormatError::KeyMismatch);
        }
        Ok(())
    }
}

#[derive(Serialize)]
struct JsonProofRef<'a> {
    header: ProofHeader,
    proof: &'a Proof,
}

#[derive(Deserialize)]
struct JsonProof {
    header: ProofHeader,
    proof: Proof,
}

impl Proof {
    /// Compact binary encoding: header then postcard body.
    pub fn to_bytes(&self, vk: &VerifyingKey) -> Result<Vec<u8>, ProofFormatError> {
        let mut out = ProofHeader::for_key(vk).to_bytes().to_vec();
        let body =
            postcard::to_allocvec(self).map_err(|e| ProofFormatError::Encode(e.to_string()))?;
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Decodes [`Proof::to_bytes`] output, refusing proofs for other parameters or keys.
    pub fn from_bytes(bytes: &[u8], vk: &VerifyingKey) -> Result<Self, ProofFormatError> {
        let header = ProofHeader::from_bytes(bytes)?;
        header.check(vk)?;
        let body = bytes.get(HEADER_LEN..).unwrap_or_default();
        let (proof, rest) = postcard::take_from_bytes::<Proof>(body)
            .map_err(|e| ProofFormatError::Corrupt(e.to_string()))?;
        if !rest.is_empty() {
            return Err(ProofFormatError::TrailingBytes(rest.len()));
        }
        Ok(proof)
    }

    /// JSON encoding with the header as an object.
    pub fn to_json(&self, vk: &VerifyingKey) -> Result<String, ProofFormatError> {
        serde_json::to_string(&JsonProofRef {
            header: ProofHeader::for_key(vk),
            proof: self,
        })
        .map_err(|e| ProofFormatError::Encode(e.to_string()))
    }

    /// Decodes [`Proof::to_json`] output, refusing proofs for other parameters or keys.
    pub fn from_json(json: &str, vk: &VerifyingKey) -> Result<Self, ProofFormatError> {
        let parsed: JsonProof =
            serde_json::from_str(json).map_err(|e| ProofFormatError::Corrupt(e.to_string()))?;
        parsed.header.check(vk)?;
        Ok(parsed.proof)
    }

    /// Size of the binary encoding in bytes.
    pub fn size_in_bytes(&self) -> usize {
        postcard::to_allocvec(self).map_or(0, |v| v.len()) + HEADER_LEN
    }
}
