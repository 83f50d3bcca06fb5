//! Every proof-system parameter in one place: field, hash, FRI settings, and the security they give.
//!
//! The base field is Goldilocks; challenges live in its cubic extension `F_p[x]/(x³ − x − 1)`,
//! the field ZisK itself uses (zisk-spec §11.1). Merkle trees and the Fiat–Shamir transcript both
//! use Poseidon2 of width 8 over Goldilocks with a 4-element (256-bit) digest.

use p3_challenger::DuplexChallenger;
use p3_commit::ExtensionMmcs;
use p3_dft::Radix2DitParallel;
use p3_field::extension::CubicTrinomialExtensionField;
use p3_field::{Field, PrimeCharacteristicRing, PrimeField64};
use p3_fri::{FriParameters, TwoAdicFriPcs};
use p3_goldilocks::{default_goldilocks_poseidon2_8, Goldilocks, Poseidon2Goldilocks};
use p3_merkle_tree::MerkleTreeMmcs;
use p3_symmetric::{CryptographicHasher, PaddingFreeSponge, TruncatedPermutation};
use p3_uni_stark::StarkConfig;
use serde::{Deserialize, Serialize};

/// The base field.
pub type Val = Goldilocks;
/// The challenge field: the cubic extension of Goldilocks (about 192 bits).
pub type Challenge = CubicTrinomialExtensionField<Goldilocks>;
/// The Poseidon2 permutation used by the Merkle trees and the transcript.
pub type Perm = Poseidon2Goldilocks<8>;
/// Leaf hash: width-8 sponge, rate 4, 4-element digest.
pub type LeafHash = PaddingFreeSponge<Perm, 8, 4, 4>;
/// Two-to-one node compression.
pub type NodeCompress = TruncatedPermutation<Perm, 2, 4, 8>;
/// Merkle commitment scheme for base-field matrices (binary tree, 4-element digests).
pub type ValMmcs =
    MerkleTreeMmcs<<Val as Field>::Packing, <Val as Field>::Packing, LeafHash, NodeCompress, 2, 4>;
/// Merkle commitment scheme for extension-field matrices (FRI layers).
pub type ChallengeMmcs = ExtensionMmcs<Val, Challenge, ValMmcs>;
/// The Fiat–Shamir transcript.
pub type Challenger = DuplexChallenger<Val, Perm, 8, 4>;
/// The DFT used for low-degree extensions.
pub type Dft = Radix2DitParallel<Val>;
/// The polynomial commitment scheme.
pub type Pcs = TwoAdicFriPcs<Val, Dft, ValMmcs, ChallengeMmcs>;
/// The Plonky3 STARK configuration this crate is built on.
pub type StarkCfg = StarkConfig<Pcs, Challenge, Challenger>;
/// A Merkle commitment (root).
pub type Commitment = <Pcs as p3_commit::Pcs<Challenge, Challenger>>::Commitment;
/// A PCS (FRI) opening proof.
pub type PcsProof = <Pcs as p3_commit::Pcs<Challenge, Challenger>>::Proof;
/// The domain type of the PCS.
pub type Domain = <Pcs as p3_commit::Pcs<Challenge, Challenger>>::Domain;
/// Prover-side data of one commitment (LDEs and Merkle tree).
pub type PcsProverData = <Pcs as p3_commit::Pcs<Challenge, Challenger>>::ProverData;

/// Error type of the PCS prover.
pub type PcsProverError = <Pcs as p3_commit::Pcs<Challenge, Challenger>>::ProverError;
/// Error type of the PCS verifier.
pub type PcsError = <Pcs as p3_commit::Pcs<Challenge, Challenger>>::Error;

/// The PCS operations this crate uses, with the challenger type fixed (the generic trait methods
/// would otherwise need the challenger spelled out at every call).
pub(crate) mod pcs_ops {
    use p3_commit::{CommitmentOpening, OpenedValues, OpeningRequest, UnivariateStarkPcs};
    use p3_matrix::dense::RowMajorMatrix;

    use super::{
        Challenge, Challenger, Commitment, Domain, Pcs, PcsError, PcsProof, PcsProverData,
        PcsProverError, Val,
    };

    /// The trace domain of `degree` rows.
    pub(crate) fn domain(pcs: &Pcs, degree: usize) -> Domain {
        <Pcs as p3_commit::Pcs<Challenge, Challenger>>::natural_domain_for_degree(pcs, degree)
    }

    /// Commits matrices given by their evaluations over domains.
    pub(crate) fn commit(
        pcs: &Pcs,
        evaluations: Vec<(Domain, RowMajorMatrix<Val>)>,
    ) -> Result<(Commitment, PcsProverData), PcsProverError> {
        <Pcs as p3_commit::Pcs<Challenge, Challenger>>::commit(pcs, evaluations)
    }

    /// Evaluations of committed matrix `idx` over `domain`.
    pub(crate) fn evaluations<'a>(
        pcs: &Pcs,
        data: &'a PcsProverData,
        idx: usize,
        domain: Domain,
    ) -> <Pcs as UnivariateStarkPcs<Challenge, Challenger>>::EvaluationsOnDomain<'a> {
        <Pcs as UnivariateStarkPcs<Challenge, Challenger>>::get_evaluations_on_domain(
            pcs, data, idx, domain,
        )
    }

    /// LDEs of the quotient chunks.
    pub(crate) fn quotient_ldes(
        pcs: &Pcs,
        evaluations: Vec<(Domain, RowMajorMatrix<Val>)>,
        num_chunks: usize,
    ) -> Result<Vec<RowMajorMatrix<Val>>, PcsProverError> {
        <Pcs as UnivariateStarkPcs<Challenge, Challenger>>::get_quotient_ldes(
            pcs,
            evaluations,
            num_chunks,
        )
    }

    /// Commits LDE matrices.
    pub(crate) fn commit_ldes(
        pcs: &Pcs,
        ldes: Vec<RowMajorMatrix<Val>>,
    ) -> Result<(Commitment, PcsProverData), PcsProverError> {
        <Pcs as UnivariateStarkPcs<Challenge, Challenger>>::commit_ldes(pcs, ldes)
    }

    /// Opens committed matrices at points.
    #[allow(clippy::type_complexity)]
    pub(crate) fn open(
        pcs: &Pcs,
        requests: Vec<OpeningRequest<'_, PcsProverData, Challenge>>,
        challenger: &mut Challenger,
    ) -> Result<(OpenedValues<Challenge>, PcsProof), PcsProverError> {
        <Pcs as p3_commit::Pcs<Challenge, Challenger>>::open(pcs, requests, challenger)
    }

    /// Verifies an opening proof.
    pub(crate) fn verify(
        pcs: &Pcs,
        rounds: Vec<CommitmentOpening<Challenge, Commitment, Domain>>,
        proof: &PcsProof,
        challenger: &mut Challenger,
    ) -> Result<(), PcsError> {
        <Pcs as p3_commit::Pcs<Challenge, Challenger>>::verify(pcs, rounds, proof, challenger)
    }
}

/// Bits of the challenge field `|F_p³| ≈ 2^192`.
pub const CHALLENGE_FIELD_BITS: f64 = 191.999_999_9;

/// FRI and grinding parameters; everything else about the proof system is fixed by the types above.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StarkParams {
    /// log2 of the Reed–Solomon blowup (rate `2^-log_blowup`). Constraint degree ≤ `2^log_blowup + 1`.
    pub log_blowup: usize,
    /// Number of FRI query repetitions.
    pub num_queries: usize,
    /// Proof-of-work bits before the FRI queries are drawn.
    pub query_pow_bits: usize,
    /// Proof-of-work bits before each FRI folding challenge.
    pub commit_pow_bits: usize,
    /// log2 of the FRI final polynomial length.
    pub log_final_poly_len: usize,
    /// Maximum log2 folding arity per FRI round.
    pub max_log_arity: usize,
}

impl Default for StarkParams {
    /// The production parameters: rate 1/2, 100 queries, 16 bits of query grinding.
    fn default() -> Self {
        Self {
            log_blowup: 1,
            num_queries: 100,
            query_pow_bits: 16,
            commit_pow_bits: 0,
            log_final_poly_len: 0,
            max_log_arity: 1,
        }
    }
}

/// Security figures of a parameter set, in bits.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecurityReport {
    /// ethSTARK-conjecture soundness: the minimum over the FRI query phase
    /// (`log_blowup · queries + query_pow`) and the challenge-field terms below.
    pub conjectured_bits: f64,
    /// Provable soundness in the Johnson-bound regime (per-query error `√ρ + η`, proximity-gaps
    /// commit-phase error of BCIKS20), optimised over the proximity slack `η`.
    pub proven_bits: f64,
    /// FRI query-phase term of the conjectured bound.
    pub query_phase_bits: f64,
    /// Smallest challenge-field term: LogUp fingerprint collisions, DEEP-ALI and constraint folding.
    pub field_bits: f64,
}

/// Shape of the largest statement the security report should cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecurityShape {
    /// log2 of the tallest trace.
    pub max_log_height: usize,
    /// Total number of rows over all instances (log2, rounded up).
    pub log_total_rows: usize,
    /// Largest number of constraints of one AIR.
    pub max_constraints: usize,
    /// Largest number of committed columns (base-field) of one instance.
    pub max_columns: usize,
    /// Largest number of bus interactions of one row.
    pub max_interactions_per_row: usize,
}

impl Default for SecurityShape {
    /// A ZisK-sized statement: 2^22-row instances, 2^30 rows in all, 1024 constraints and columns.
    fn default() -> Self {
        Self {
            max_log_height: 22,
            log_total_rows: 30,
            max_constraints: 1024,
            max_columns: 1024,
            max_interactions_per_row: 64,
        }
    }
}

impl StarkParams {
    /// Parameters for fast tests: 40 queries (about 56 conjectured bits). Never for real proofs.
    pub fn testing() -> Self {
        Self {
            num_queries: 40,
            ..Self::default()
        }
    }

    /// Builds the Plonky3 configuration for these parameters.
    pub fn stark_config(&self) -> StarkCfg {
        let perm = default_goldilocks_poseidon2_8();
        let val_mmcs = ValMmcs::new(
            LeafHash::new(perm.clone()),
            NodeCompress::new(perm.clone()),
            0,
        );
        let fri = FriParameters {
            log_blowup: self.log_blowup,
            log_final_poly_len: self.log_final_poly_len,
            max_log_arity: self.max_log_arity,
            num_queries: self.num_queries,
            batch_proof_of_work_bits: 0,
            commit_proof_of_work_bits: self.commit_pow_bits,
            query_proof_of_work_bits: self.query_pow_bits,
            mmcs: ChallengeMmcs::new(val_mmcs.clone()),
        };
        let pcs = Pcs::new(Dft::default(), val_mmcs, fri);
        StarkConfig::new(pcs, Challenger::new(perm))
    }

    /// Field elements that describe the parameters and the fixed choices (field, hash, extension).
    pub fn to_field_elements(&self) -> Vec<Val> {
        let mut out: Vec<Val> = b"GL3-P2W8-FRI".iter().map(|&b| Val::from_u8(b)).collect();
        for v in [
            self.log_blowup,
            self.num_queries,
            self.query_pow_bits,
            self.commit_pow_bits,
            self.log_final_poly_len,
            self.max_log_arity,
        ] {
            out.push(Val::from_u64(v as u64));
        }
        out
    }

    /// A 32-byte digest of the parameters (Poseidon2 sponge), stored in every proof header and key.
    pub fn hash(&self) -> [u8; 32] {
        digest_elements(&self.to_field_elements())
    }

    /// Security of these parameters for statements up to `shape`.
    pub fn security(&self, shape: &SecurityShape) -> SecurityReport {
        let query_phase_bits = (self.log_blowup * self.num_queries + self.query_pow_bits) as f64;
        let n = shape.max_log_height as f64;
        let lde = n + self.log_blowup as f64;
        let degree_bound = 2f64.powi(self.log_blowup as i32) + 1.0;
        // LogUp: a false bus balance survives only at roots of the fingerprint polynomial, whose
        // degree is at most (rows × interactions per row) in alpha, plus width in beta.
        let logup = CHALLENGE_FIELD_BITS
            - (shape.log_total_rows as f64
                + (shape.max_interactions_per_row.max(1) as f64).log2()
                + 1.0);
        // DEEP-ALI: the out-of-domain point hits a bad value with probability ≈ deg·n / |F|.
        let deep = CHALLENGE_FIELD_BITS - (lde + degree_bound.log2() + 1.0);
        // Constraint folding with powers of one challenge: ≈ #constraints / |F|.
        let folding = CHALLENGE_FIELD_BITS - (shape.max_constraints.max(1) as f64).log2();
        // FRI batching of every opened column with powers of one challenge.
        let batching = CHALLENGE_FIELD_BITS - (shape.max_columns.max(1) as f64).log2() - lde;
        let field_bits = logup.min(deep).min(folding).min(batching);
        let conjectured_bits = query_phase_bits.min(field_bits);
        let proven_bits = self.proven_bits(shape).min(field_bits);
        SecurityReport {
            conjectured_bits,
            proven_bits,
            query_phase_bits,
            field_bits,
        }
    }

    /// Johnson-bound soundness: query error `(√ρ + η)^q · 2^-pow` against the proximity-gaps
    /// commit-phase error `(m + ½)^7 |D|² / (3 ρ^{3/2} |F|)` with `m = ⌈√ρ / 2η⌉`, maximised over `η`.
    fn proven_bits(&self, shape: &SecurityShape) -> f64 {
        let rho = 2f64.powi(-(self.log_blowup as i32));
        let sqrt_rho = rho.sqrt();
        let log_domain = (shape.max_log_height + self.log_blowup) as f64;
        let mut best = 0.0f64;
        let mut eta = 1e-4;
        while eta < 1.0 - sqrt_rho {
            let per_query = -(sqrt_rho + eta).log2();
            let query = per_query * self.num_queries as f64 + self.query_pow_bits as f64;
            let m = (sqrt_rho / (2.0 * eta)).ceil().max(3.0);
            let commit_log = 7.0 * (m + 0.5).log2() + 2.0 * log_domain
                - (3.0f64).log2()
                - 1.5 * rho.log2()
                - CHALLENGE_FIELD_BITS;
            let commit = -commit_log + self.commit_pow_bits as f64;
            best = best.max(query.min(commit));
            eta *= 1.05;
        }
        best
    }
}

/// Hashes field elements to 32 bytes with the Poseidon2 sponge (length-prefixed).
pub fn digest_elements(elements: &[Val]) -> [u8; 32] {
    let hasher = LeafHash::new(default_goldilocks_poseidon2_8());
    let input =
        std::iter::once(Val::from_u64(elements.len() as u64)).chain(elements.iter().copied());
    let digest: [Val; 4] = hasher.hash_iter(input);
    let mut out = [0u8; 32];
    for (chunk, value) in out.chunks_exact_mut(8).zip(digest) {
        chunk.copy_from_slice(&value.as_canonical_u64().to_le_bytes());
    }
    out
}

/// Encodes bytes as field elements, seven bytes per element (always canonical).
pub fn bytes_to_elements(bytes: &[u8]) -> Vec<Val> {
    bytes
        .chunks(7)
        .map(|chunk| {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            Val::from_u64(u64::from_le_bytes(word))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_params_reach_100_conjectured_bits() {
        let report = StarkParams::default().security(&SecurityShape::default());
        assert!(report.conjectured_bits >= 100.0, "{report:?}");
        assert!(report.proven_bits > 40.0, "{report:?}");
    }

    #[test]
    fn params_hash_depends_on_every_field() {
        let base = StarkParams::default();
        let other = StarkParams {
            num_queries: 99,
            ..base
        };
        assert_ne!(base.hash(), other.hash());
    }
}
