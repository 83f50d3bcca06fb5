//! Criterion benchmarks: prove and verify the 48-column degree-3 AIR at 2^16 rows, with and
//! without a bus to a 2-column receiver (production parameters).

#[path = "common/wide_air.rs"]
mod wide_air;

use criterion::{criterion_group, criterion_main, Criterion};
use zisk_prover::{prove_traces, setup, verify, StarkParams};

const CASES: [(&str, bool); 2] = [("wide48", false), ("wide48_bus", true)];
const LOG_HEIGHT: usize = 16;

fn bench_prove(c: &mut Criterion) {
    let mut group = c.benchmark_group("prove");
    group.sample_size(10);
    for (name, with_bus) in CASES {
        let (airs, instances, traces) = wide_air::statement(LOG_HEIGHT, with_bus);
        let pk = setup(StarkParams::default(), &airs, &[]).expect("setup");
        group.bench_function(format!("{name}/2^{LOG_HEIGHT}"), |b| {
            b.iter(|| prove_traces(&pk, &airs, &instances, &[], &traces).expect("prove"))
        });
    }
    group.finish();
}

fn bench_verify(c: &mut Criterion) {
    let mut group = c.benchmark_group("verify");
    for (name, with_bus) in CASES {
        let (airs, instances, traces) = wide_air::statement(LOG_HEIGHT, with_bus);
        let pk = setup(StarkParams::default(), &airs, &[]).expect("setup");
        let proof = prove_traces(&pk, &airs, &instances, &[], &traces).expect("prove");
        group.bench_function(format!("{name}/2^{LOG_HEIGHT}"), |b| {
            b.iter(|| verify(&pk.vk, &airs, &proof, &[]).expect("verify"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_prove, bench_verify);
criterion_main!(benches);
