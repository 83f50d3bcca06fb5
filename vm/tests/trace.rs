//! Trace mode: the minimal trace gives the same run as fast mode, and every chunk replays on its
//! own (from its start state and recorded reads) to the start state of the next one.

use zisk_vm::{transpile_elf, EmuState, Emulator, Observer, RunOptions};

const SHA256_ELF: &[u8] = include_bytes!("../benches/guest/sha256.elf");

fn input(n: u64) -> Vec<u8> {
    n.to_le_bytes().to_vec()
}

#[derive(Default)]
struct Counter {
    steps: u64,
    checksum: u64,
}

impl Observer for Counter {
    fn on_step(
        &mut self,
        inst: &zisk_vm::ExecInst,
        a: u64,
        b: u64,
        c: u64,
        flag: bool,
        _regs: &[u64; 32],
    ) {
        self.steps += 1;
        self.checksum = self.checksum.rotate_left(5)
            ^ inst.pc
            ^ a.wrapping_mul(3)
            ^ b.wrapping_mul(7)
            ^ c
            ^ flag as u64;
    }
}

#[test]
fn trace_mode_matches_fast_mode_and_chunks_replay() {
    let rom = transpile_elf(SHA256_ELF).unwrap();
    let emu = Emulator::new(&rom);
    let fast = emu
        .run(
            &input(20),
            &RunOptions::default(),
            Box::new(std::io::sink()),
        )
        .unwrap();
    let opts = RunOptions {
        trace: true,
        chunk_size: 1 << 12,
        ..Default::default()
    };
    let mut full = Counter::default();
    let traced = emu
        .run_observed(&input(20), &opts, Box::new(std::io::sink()), &mut full)
        .unwrap();
    assert_eq!(fast.outputs, traced.outputs);
    assert_eq!(fast.steps, traced.steps);
    assert_eq!(fast.outputs[0], 0x98211882);
    assert!(
        traced.chunks.len() > 10,
        "expected many chunks, got {}",
        traced.chunks.len()
    );
    assert_eq!(
        traced.chunks.iter().map(|c| c.steps).sum::<u64>(),
        fast.steps
    );
    assert!(traced.chunks.last().unwrap().end);

    let mut replayed = Counter::default();
    let mut prev: Option<EmuState> = None;
    for chunk in &traced.chunks {
        if let Some(p) = &prev {
            assert_eq!(
                p, &chunk.start,
                "chunk does not start where the previous one ended"
            );
        }
        prev = Some(emu.replay_chunk(chunk, &mut replayed).unwrap());
    }
    assert_eq!(replayed.steps, full.steps);
    assert_eq!(
        replayed.checksum, full.checksum,
        "replay saw different operands than the original run"
    );
}

#[test]
fn replay_rejects_a_truncated_chunk() {
    let rom = transpile_elf(SHA256_ELF).unwrap();
    let emu = Emulator::new(&rom);
    let opts = RunOptions {
        trace: true,
        chunk_size: 1 << 12,
        ..Default::default()
    };
    let traced = emu
        .run(&input(3), &opts, Box::new(std::io::sink()))
        .unwrap();
    let mut chunk = traced.chunks[2].clone();
    chunk.mem_reads.truncate(chunk.mem_reads.len() / 2);
    assert!(emu.replay_chunk(&chunk, &mut Counter::default()).is_err());
}

#[test]
fn max_steps_stops_trace_mode_too() {
    let rom = transpile_elf(SHA256_ELF).unwrap();
    let emu = Emulator::new(&rom);
    let opts = RunOptions {
        trace: true,
        chunk_size: 1000,
        max_steps: 5000,
    };
    let err = emu
        .run(&input(20), &opts, Box::new(std::io::sink()))
        .unwrap_err();
    assert_eq!(err, zisk_vm::EmuError::EmulationNoCompleted);
}
