//! Emulator throughput (steps per second) in fast mode and trace mode, on the committed C guests.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use zisk_vm::{transpile_elf, Emulator, RunOptions};

fn bench_program(c: &mut Criterion, name: &str, elf: &[u8], n: u64) {
    let rom = transpile_elf(elf).expect("benchmark ELF transpiles");
    let emu = Emulator::new(&rom);
    let input = n.to_le_bytes();
    let steps = emu
        .run(&input, &RunOptions::default(), Box::new(std::io::sink()))
        .expect("runs")
        .steps;
    let mut group = c.benchmark_group(format!("exec/{name}/n={n}"));
    group.throughput(Throughput::Elements(steps));
    group.sample_size(10);
    group.bench_function("fast", |b| {
        b.iter(|| {
            emu.run(&input, &RunOptions::default(), Box::new(std::io::sink()))
                .expect("runs")
        })
    });
    let traced = RunOptions {
        trace: true,
        ..Default::default()
    };
    group.bench_function("trace", |b| {
        b.iter(|| {
            emu.run(&input, &traced, Box::new(std::io::sink()))
                .expect("runs")
        })
    });
    group.finish();
}

fn exec(c: &mut Criterion) {
    bench_program(c, "fib", include_bytes!("guest/fib.elf"), 2_000_000);
    bench_program(c, "sha256", include_bytes!("guest/sha256.elf"), 2_000);
}

criterion_group!(benches, exec);
criterion_main!(benches);
