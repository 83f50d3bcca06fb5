//! Benchmark of the whole zkVM pipeline on one program:
//! `cargo run --release -p zisk-prover --example zkvm_bench -- ELF INPUT [LOG_MAIN_ROWS]`.
//!
//! Prints steps, instances, committed cells, the time of each phase (key setup, ROM setup,
//! emulation, replay, witness fill, prove, verify), proof size and peak memory (VmHWM).
//! With `RUST_LOG` (e.g. `zisk_prover=info`) the prover's per-instance timings go to stderr.

use std::time::Instant;

use p3_matrix::Matrix;
use zisk_prover::zkvm::{Program, Zkvm, ZkvmOptions};
use zisk_prover::StarkParams;

fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(elf), Some(input)) = (args.first(), args.get(1)) else {
        return Err("usage: zkvm_bench ELF INPUT [LOG_MAIN_ROWS]".into());
    };
    let mut opts = ZkvmOptions::default();
    if let Some(k) = args.get(2) {
        opts.log_main_rows = k.parse()?;
    }
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    let zkvm = Zkvm::new();
    let t = Instant::now();
    let mut pk = zkvm.setup(StarkParams::default())?;
    println!("key setup        {:>9.2?}", t.elapsed());
    let t = Instant::now();
    let program = Program::from_elf(&std::fs::read(elf)?)?;
    let key = zkvm.add_program(&mut pk, &program)?;
    println!(
        "rom setup        {:>9.2?}  (2^{} rows)",
        t.elapsed(),
        key.rom_log_height
    );
    let input = std::fs::read(input)?;
    let t = Instant::now();
    let w = zkvm.witness(&program, &input, &opts)?;
    let total_witness = t.elapsed();
    let cells: usize = w
        .statement
        .traces
        .iter()
        .map(|t| t.height() * t.width())
        .sum();
    println!("steps            {:>9}", w.steps);
    println!(
        "instances        {:>9}  ({} main cells, {:.0} per step)",
        w.statement.instances.len(),
        cells,
        cells as f64 / w.steps as f64
    );
    let mut per_air: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for (spec, trace) in w.statement.instances.iter().zip(&w.statement.traces) {
        let name = zisk_prover::ZiskAir::name(&zkvm.airs()[spec.air_id]);
        let e = per_air.entry(name).or_default();
        e.0 += 1;
        e.1 += trace.height() * trace.width();
    }
    for (name, (n, cells)) in &per_air {
        println!("  {name:<28} {n:>3} instance(s) {cells:>10} cells");
    }
    println!("emulate          {:>9.2?}", w.timings.emulate);
    println!("replay           {:>9.2?}", w.timings.replay);
    println!("witness fill     {:>9.2?}", w.timings.fill);
    println!("witness total    {:>9.2?}", total_witness);
    let t = Instant::now();
    let proof = zkvm.prove(&pk, &w)?;
    let prove = t.elapsed();
    println!("prove            {:>9.2?}", prove);
    let bytes = proof.to_bytes(&zkvm.program_vk(&pk.vk, &key))?;
    println!("proof size       {:>9} KiB", bytes.len() / 1024);
    let t = Instant::now();
    zkvm.verify(&pk.vk, &key, &proof, &w.outputs)?;
    println!("verify           {:>9.2?}", t.elapsed());
    let e2e = total_witness + prove;
    println!(
        "throughput       {:>9.0} steps/s (witness + prove)",
        w.steps as f64 / e2e.as_secs_f64()
    );
    if let Some(mib) = peak_rss_mib() {
        println!("peak memory      {:>9} MiB", mib);
    }
    Ok(())
}
