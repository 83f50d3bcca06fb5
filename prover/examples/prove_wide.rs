//! Proves the benchmark AIR once and prints prove time, throughput, proof size and verify time.
//!
//! `cargo run --release -p zisk-prover --example prove_wide -- <log_rows> [bus] [regenerate] [baseline]`
//!
//! `baseline` proves the same statement with `p3_batch_stark::prove_batch` (one FRI for all
//! tables, no per-instance split) under the same configuration, for comparison.

#[path = "../benches/common/wide_air.rs"]
mod wide_air;

use std::time::Instant;

use zisk_prover::{prove, setup, verify, ProveOptions, SecurityShape, StarkParams, TraceRetention};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let log_height: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(16);
    let with_bus = args.iter().any(|a| a == "bus");
    let retention = if args.iter().any(|a| a == "regenerate") {
        TraceRetention::Regenerate
    } else {
        TraceRetention::Keep
    };
    let params = StarkParams::default();
    let (airs, instances, traces) = wide_air::statement(log_height, with_bus);
    let pk = setup(params, &airs, &[]).expect("setup");
    let cells: usize = traces.iter().map(|t| t.values.len()).sum();
    if args.iter().any(|a| a == "baseline") {
        let config = params.stark_config();
        let degrees: Vec<usize> = instances.iter().map(|i| i.log_height).collect();
        let data = p3_batch_stark::ProverData::from_airs_and_degrees(&config, &airs, &degrees)
            .expect("prover data");
        let trace_refs: Vec<_> = traces.iter().collect();
        let publics = vec![vec![]; airs.len()];
        let batch = p3_batch_stark::StarkInstance::new_multiple(&airs, &trace_refs, &publics);
        let start = Instant::now();
        let proof = p3_batch_stark::prove_batch(&config, &batch, &data).expect("prove");
        let prove_s = start.elapsed().as_secs_f64();
        let start = Instant::now();
        p3_batch_stark::verify_batch(&config, &airs, &proof, &publics, &data.common)
            .expect("verify");
        let verify_ms = start.elapsed().as_secs_f64() * 1e3;
        let size = postcard::to_allocvec(&proof).expect("encode").len();
        println!(
            "baseline p3-batch-stark rows 2^{log_height} bus {with_bus}: prove {prove_s:.3} s, {:.2} Mcells/s, proof {:.1} KiB, verify {verify_ms:.1} ms",
            cells as f64 / prove_s / 1e6,
            size as f64 / 1024.0
        );
        return;
    }
    let start = Instant::now();
    let proof = prove(
        &pk,
        &airs,
        &instances,
        &[],
        |i| traces[i].clone(),
        ProveOptions { retention },
    )
    .expect("prove");
    let prove_s = start.elapsed().as_secs_f64();
    let start = Instant::now();
    verify(&pk.vk, &airs, &proof, &[]).expect("verify");
    let verify_ms = start.elapsed().as_secs_f64() * 1e3;
    let size = proof.to_bytes(&pk.vk).expect("encode").len();
    let security = params.security(&SecurityShape::default());
    println!(
        "rows 2^{log_height} bus {with_bus} {retention:?}: prove {prove_s:.3} s, {:.2} Mcells/s, proof {:.1} KiB, verify {verify_ms:.1} ms",
        cells as f64 / prove_s / 1e6,
        size as f64 / 1024.0
    );
    println!(
        "security: conjectured {:.1} bits, proven {:.1} bits (query phase {:.1}, field terms {:.1})",
        security.conjectured_bits,
        security.proven_bits,
        security.query_phase_bits,
        security.field_bits
    );
}
