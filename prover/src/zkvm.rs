//! The zkVM end to end: a program's ROM as the Rom AIR's fixed columns (its verifying key), its
//! run replayed from the emulator's minimal trace into every machine's witness, and the
//! statement (the 64 output slots) proven and verified.
//!
//! Witness generation: the emulator runs once in trace mode (chunks of `CHUNK_SIZE` steps with
//! their memory reads); the chunks are re-executed in parallel to recover every step's
//! operands; Main's segments, the operation lists of Binary, BinaryExtension and Arith, and the
//! memory accesses (one ordered pass that also tracks the words MemAlign splits) are derived
//! from those steps; each machine's filler builds its instances.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;
use serde::{Deserialize, Serialize};
use zisk_generated::zisk::main::MAIN_N;
use zisk_generated::zisk::mem_align::MEM_ALIGN_N;
use zisk_generated::zisk::{main::MainAir, rom::RomAir, AnyAir};
use zisk_vm::consts::{reg_addr, OUTPUT_SLOTS};
use zisk_vm::inst::{SRC_IND, SRC_MEM, SRC_REG, STORE_IND, STORE_MEM, STORE_REG};
use zisk_vm::mem::Memory;
use zisk_vm::ops::{op_info, op_name, OpType};
use zisk_vm::{Chunk, Emulator, ExecInst, Observer, RunOptions, ZiskRom};

use crate::config::{Commitment, StarkParams, Val};
use crate::error::{ProveError, SetupError, VerifyError};
use crate::keys::{setup, ProvingKey, VerifyingKey};
use crate::pil::{PilError, PilMachine, PilMachineAir, PilStatement};
use crate::proof::Proof;
use crate::prover::prove_traces;
use crate::verifier::verify;
use crate::witness::zisk::main::{self as main_sm, MainError, Step};
use crate::witness::zisk::{
    arith, arith_eq, binary, binary_extension, keccakf, mem, mem_align, sha256f,
};

/// Number of proof-level public values: the 64 u32 output slots.
pub const NUM_OUTPUTS: usize = OUTPUT_SLOTS;

/// Why a program cannot be proven.
#[derive(Debug, thiserror::Error)]
pub enum ZkvmError {
    /// The ELF could not be transpiled.
    #[error(transparent)]
    Elf(#[from] zisk_vm::ElfError),
    /// The run failed (no proof of a failed run).
    #[error("emulation failed: {0}")]
    Emulation(#[from] zisk_vm::EmuError),
    /// A step the proof cannot cover yet.
    #[error("step {step} at pc {pc:#x}: `{name}` is a precompile, which cannot be proven yet")]
    Precompile {
        /// The step.
        step: u64,
        /// Its pc.
        pc: u64,
        /// The opcode's name.
        name: &'static str,
    },
    /// A precompile call whose operands share a memory word (each word is read once per step).
    #[error("step {step}: the operands of `{name}` overlap in memory, which cannot be proven")]
    OverlappingOperands {
        /// The step.
        step: u64,
        /// The precompile's name.
        name: &'static str,
    },
    /// A precompile call without a defined result (the emulator refuses it too).
    #[error("step {step}: {source}")]
    PrecompileCall {
        /// The step.
        step: u64,
        /// Why.
        source: zisk_precompiles::PrecompileError,
    },
    /// Main or Rom.
    #[error(transparent)]
    Main(#[from] MainError),
    /// Binary.
    #[error(transparent)]
    Binary(#[from] binary::BinaryError),
    /// Arith.
    #[error(transparent)]
    Arith(#[from] arith::ArithError),
    /// Mem.
    #[error(transparent)]
    Mem(#[from] mem::MemError),
    /// MemAlign.
    #[error(transparent)]
    MemAlign(#[from] mem_align::MemAlignError),
    /// A memory access outside every region.
    #[error("step {step}: access to {addr:#x} is outside RAM, ROM data and input")]
    BadAddress {
        /// The step.
        step: u64,
        /// The address.
        addr: u64,
    },
    /// An instance was refused.
    #[error(transparent)]
    Pil(#[from] PilError),
    /// Setup of the program's Rom failed.
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// Proving failed.
    #[error(transparent)]
    Prove(#[from] ProveError),
}

/// How a run is split into instances.
#[derive(Clone, Copy, Debug)]
pub struct ZkvmOptions {
    /// Stop a run that has not ended after this many steps.
    pub max_steps: u64,
    /// log2 of the rows of a full Main segment (≤ log2 of Main's N).
    pub log_main_rows: usize,
    /// log2 of the rows of a full memory instance (Mem, MemAlign; capped at each one's N).
    pub log_mem_rows: usize,
}

impl Default for ZkvmOptions {
    fn default() -> Self {
        ZkvmOptions {
            max_steps: zisk_vm::consts::DEFAULT_MAX_STEPS,
            log_main_rows: MAIN_N.trailing_zeros() as usize,
            log_mem_rows: 18,
        }
    }
}

/// A transpiled program and its ROM rows.
#[derive(Clone, Debug)]
pub struct Program {
    /// The ROM.
    pub rom: ZiskRom,
    rows: Vec<[u64; 11]>,
}

impl Program {
    /// Transpiles an ELF and checks that Main can prove every instruction.
    pub fn from_elf(bytes: &[u8]) -> Result<Self, ZkvmError> {
        Self::from_rom(zisk_vm::transpile_elf(bytes)?)
    }

    /// Wraps a transpiled ROM.
    pub fn from_rom(rom: ZiskRom) -> Result<Self, ZkvmError> {
        main_sm::check_rom(&rom)?;
        let rows = main_sm::rom_rows(&rom);
        Ok(Program { rom, rows })
    }

    /// The Rom AIR's fixed columns for this program.
    pub fn rom_fixed(&self) -> RowMajorMatrix<Val> {
        main_sm::rom_fixed(&self.rows)
    }

    /// log2 of the Rom instance's height.
    pub fn rom_log_height(&self) -> usize {
        crate::pil::instance_height(self.rows.len()).trailing_zeros() as usize
    }
}

/// A program's verifying key: the commitment to its ROM (what `publics.json` names).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ProgramKey {
    /// log2 of the Rom instance's height.
    pub rom_log_height: usize,
    /// Merkle root of the Rom's fixed columns.
    pub rom_root: Commitment,
}

impl ProgramKey {
    /// A short hex fingerprint (for file names and messages).
    pub fn fingerprint(&self) -> String {
        let bytes = postcard::to_allocvec(self).unwrap_or_default();
        let digest = crate::config::digest_elements(&crate::config::bytes_to_elements(&bytes));
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Timings of witness generation.
#[derive(Clone, Copy, Debug, Default)]
pub struct WitnessTimings {
    /// Emulation in trace mode.
    pub emulate: Duration,
    /// Parallel replay of the chunks.
    pub replay: Duration,
    /// Trace building for every machine.
    pub fill: Duration,
}

/// A run ready to prove.
pub struct ZkvmWitness {
    /// Instances, traces, public values.
    pub statement: PilStatement,
    /// Steps executed.
    pub steps: u64,
    /// The 64 output slots.
    pub outputs: [u32; NUM_OUTPUTS],
    /// Timings.
    pub timings: WitnessTimings,
}

/// The zkVM program's AIRs (`zisk_generated::zisk`) and what it knows about them.
pub struct Zkvm {
    machine: PilMachine<AnyAir>,
    rom_id: usize,
}

impl Default for Zkvm {
    fn default() -> Self {
        Self::new()
    }
}

impl Zkvm {
    /// The zkVM's AIRs.
    pub fn new() -> Self {
        let machine = PilMachine::new();
        let rom_id = machine
            .air_id(&AnyAir::Rom(RomAir))
            .expect("invariant: pil/zisk declares Rom");
        Zkvm { machine, rom_id }
    }

    /// Every AIR, by AIR id.
    pub fn airs(&self) -> &[PilMachineAir<AnyAir>] {
        self.machine.airs()
    }

    /// The AIRs with `program`'s ROM as the Rom's fixed columns (for
    /// [`crate::verify_constraints`], which reads fixed columns from the AIRs).
    pub fn program_airs(&self, program: &Program) -> Vec<PilMachineAir<AnyAir>> {
        let mut airs = self.airs().to_vec();
        airs[self.rom_id] = airs[self.rom_id]
            .clone()
            .with_external_fixed(program.rom_fixed());
        airs
    }

    /// The heights the shared key commits fixed columns at: every AIR's but the Rom's, whose
    /// fixed columns are per program ([`Zkvm::add_program`]).
    pub fn log_heights(&self, max_log_height: usize) -> Vec<Vec<usize>> {
        let mut heights = self.machine.log_heights(max_log_height);
        heights[self.rom_id].clear();
        heights
    }

    /// The shared proving key (`cargo xtask setup`).
    pub fn setup(&self, params: StarkParams) -> Result<ProvingKey, SetupError> {
        let max = 32usize.saturating_sub(2 * params.log_blowup);
        setup(params, self.airs(), &self.log_heights(max))
    }

    /// Commits `program`'s ROM into `pk` (the program's setup) and returns its key.
    pub fn add_program(
        &self,
        pk: &mut ProvingKey,
        program: &Program,
    ) -> Result<ProgramKey, SetupError> {
        let rom_root = pk.add_fixed(&self.airs()[self.rom_id], self.rom_id, program.rom_fixed())?;
        Ok(ProgramKey {
            rom_log_height: program.rom_log_height(),
            rom_root,
        })
    }

    /// The verifying key of one program: the shared key plus the program's ROM commitment.
    pub fn program_vk(&self, vk: &VerifyingKey, program: &ProgramKey) -> VerifyingKey {
        vk.clone().with_fixed_commitment(
            self.rom_id,
            program.rom_log_height,
            program.rom_root.clone(),
        )
    }

    /// Runs `program` on `input` and builds the witness of every machine.
    pub fn witness(
        &self,
        program: &Program,
        input: &[u8],
        opts: &ZkvmOptions,
    ) -> Result<ZkvmWitness, ZkvmError> {
        let mut timings = WitnessTimings::default();
        let t = Instant::now();
        let emulator = Emulator::new(&program.rom);
        let run = emulator.run(
            input,
            &RunOptions {
                max_steps: opts.max_steps,
                trace: true,
                ..RunOptions::default()
            },
            Box::new(std::io::sink()),
        )?;
        timings.emulate = t.elapsed();
        tracing::debug!(steps = run.steps, elapsed = ?timings.emulate, "emulated");

        let t = Instant::now();
        let per_chunk: Vec<Result<Vec<Step>, ZkvmError>> = run
            .chunks
            .par_iter()
            .map(|chunk| replay(&emulator, &program.rom, chunk))
            .collect();
        let mut steps = Vec::with_capacity(run.steps as usize);
        for chunk in per_chunk {
            steps.extend(chunk?);
        }
        timings.replay = t.elapsed();
        tracing::debug!(chunks = run.chunks.len(), elapsed = ?timings.replay, "replayed chunks");

        let t = Instant::now();
        let mut outputs = [0u32; NUM_OUTPUTS];
        for (i, word) in run.publics.iter().enumerate() {
            outputs[2 * i] = *word as u32;
            outputs[2 * i + 1] = (word >> 32) as u32;
        }
        let public_values: Vec<Val> = outputs.iter().map(|&o| Val::from_u32(o)).collect();
        let mut w = self.machine.witness(public_values)?;

        // Main segments and the Rom's multiplicities.
        let rom = &program.rom;
        let seg_rows = 1usize << opts.log_main_rows.min(MAIN_N.trailing_zeros() as usize);
        let segments = steps.len().div_ceil(seg_rows).max(1);
        let mut counts = vec![0u64; rom.len()];
        let mut previous_c = 0u64;
        for k in 0..segments {
            let part =
                &steps[(k * seg_rows).min(steps.len())..((k + 1) * seg_rows).min(steps.len())];
            let is_last = k + 1 == segments;
            let height = if is_last {
                crate::pil::instance_height(part.len())
            } else {
                seg_rows
            };
            let (trace, seg) = main_sm::main_segment(
                rom,
                &program.rows,
                part,
                height,
                k as u64,
                is_last,
                (k * seg_rows) as u64,
                previous_c,
            )?;
            previous_c = seg.last_c;
            w.push(&AnyAir::Main(MainAir), trace, &seg.airvals())?;
            for s in part {
                counts[s.inst as usize] += 1;
            }
            counts[main_sm::end_index(rom)? as usize] += (height - part.len()) as u64;
        }
        w.push_external_fixed(&AnyAir::Rom(RomAir), main_sm::rom_trace(&counts))?;

        // Operations.
        let mut bin = Vec::new();
        let mut bin_ext = Vec::new();
        let mut ari = Vec::new();
        for s in &steps {
            let inst = &rom.insts[s.inst as usize];
            if !inst.is_external_op {
                continue;
            }
            match op_info(inst.op).map(|i| i.op_type) {
                Some(OpType::Binary) => bin.push(binary::Operation {
                    op: inst.op,
                    a: s.a,
                    b: s.b,
                }),
                Some(OpType::BinaryE) => bin_ext.push(binary_extension::Operation {
                    op: inst.op,
                    a: s.a,
                    b: s.b,
                }),
                Some(OpType::Arith) => ari.push(arith::Operation {
                    op: inst.op,
                    a: s.a,
                    b: s.b,
                }),
                _ => {}
            }
        }
        binary::fill(&mut w, &bin)?;
        binary_extension::fill(&mut w, &bin_ext)?;
        arith::fill(&mut w, &ari)?;

        // Memory.
        let pass = memory_accesses(rom, &steps, input)?;
        let mem_rows = 1usize << opts.log_mem_rows;
        for (region, accesses) in pass.regions {
            mem::fill(&mut w, region, accesses, mem_rows.min(mem::MEM_N))?;
        }
        mem_align::fill_crossing(&mut w, &pass.aligned, mem_rows.min(MEM_ALIGN_N))?;
        keccakf::fill(&mut w, &pass.keccak)?;
        sha256f::fill(&mut w, &pass.sha256)?;
        arith_eq::fill(&mut w, &pass.arith_eq)?;

        let statement = w.finish();
        timings.fill = t.elapsed();
        tracing::debug!(
            instances = statement.instances.len(),
            elapsed = ?timings.fill,
            "filled witness"
        );
        Ok(ZkvmWitness {
            statement,
            steps: run.steps,
            outputs,
            timings,
        })
    }

    /// Proves a witness with a key that holds the program ([`Zkvm::add_program`]).
    pub fn prove(&self, pk: &ProvingKey, witness: &ZkvmWitness) -> Result<Proof, ZkvmError> {
        let s = &witness.statement;
        Ok(prove_traces(
            pk,
            self.airs(),
            &s.instances,
            &s.public_values,
            &s.traces,
        )?)
    }

    /// Verifies that `proof` shows a run of the program `program` with outputs `outputs`.
    pub fn verify(
        &self,
        vk: &VerifyingKey,
        program: &ProgramKey,
        proof: &Proof,
        outputs: &[u32; NUM_OUTPUTS],
    ) -> Result<(), VerifyError> {
        let vk = self.program_vk(vk, program);
        let publics: Vec<Val> = outputs.iter().map(|&o| Val::from_u32(o)).collect();
        verify(&vk, self.airs(), proof, &publics)
    }
}

/// The precompile machine that proves opcode `op`, if any (a run using a precompile without one
/// is refused with [`ZkvmError::Precompile`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PrecompileMachine {
    Keccakf,
    Sha256f,
    ArithEq,
}

fn precompile_machine(op: u8) -> Option<PrecompileMachine> {
    match op {
        zisk_vm::ops::op::KECCAK => Some(PrecompileMachine::Keccakf),
        zisk_vm::ops::op::SHA256 => Some(PrecompileMachine::Sha256f),
        _ if arith_eq::ArithEqCall::handles(op) => Some(PrecompileMachine::ArithEq),
        _ => None,
    }
}

/// Records every step of a replayed chunk.
struct Recorder<'a> {
    rom: &'a ZiskRom,
    steps: Vec<Step>,
    bad: Option<(u64, &'static str)>,
}

impl Observer for Recorder<'_> {
    fn on_step(&mut self, inst: &ExecInst, a: u64, b: u64, c: u64, flag: bool, _: &[u64; 32]) {
        let idx = self.rom.index_of(inst.pc).unwrap_or(0);
        if self.bad.is_none()
            && precompile_machine(inst.op).is_none()
            && matches!(
                op_info(inst.op).map(|i| i.op_type),
                Some(OpType::Precompile)
            )
        {
            self.bad = Some((inst.pc, op_name(inst.op)));
        }
        self.steps.push(Step {
            inst: idx as u32,
            a,
            b,
            c,
            flag,
        });
    }
}

fn replay(emulator: &Emulator<'_>, rom: &ZiskRom, chunk: &Chunk) -> Result<Vec<Step>, ZkvmError> {
    let mut rec = Recorder {
        rom,
        steps: Vec::with_capacity(chunk.steps as usize),
        bad: None,
    };
    emulator.replay_chunk(chunk, &mut rec)?;
    if let Some((pc, name)) = rec.bad {
        let offset = rec
            .steps
            .iter()
            .position(|s| rom.insts[s.inst as usize].paddr == pc)
            .unwrap_or(0);
        return Err(ZkvmError::Precompile {
            step: chunk.start.step + offset as u64,
            pc,
            name,
        });
    }
    Ok(rec.steps)
}

type RegionAccesses = Vec<(mem::Region, Vec<mem::MemAccess>)>;

/// What the memory pass hands to the machines that read and write memory themselves.
struct MemoryPass {
    regions: RegionAccesses,
    aligned: Vec<mem_align::CrossingAccess>,
    keccak: Vec<keccakf::KeccakCall>,
    sha256: Vec<sha256f::Sha256Call>,
    arith_eq: Vec<arith_eq::ArithEqCall>,
}

/// Every memory access of the run, in step order: aligned words per region, and the sub-word
/// or unaligned ones MemAlign proves (with the words they read and write).
fn memory_accesses(rom: &ZiskRom, steps: &[Step], input: &[u8]) -> Result<MemoryPass, ZkvmError> {
    let initial = Memory::new(input, &rom.ro_regions)?;
    let mut image: HashMap<u64, u64> = HashMap::new();
    let mut regions: Vec<(mem::Region, Vec<mem::MemAccess>)> =
        [mem::Region::Ram, mem::Region::RomData, mem::Region::Input]
            .into_iter()
            .map(|r| (r, Vec::new()))
            .collect();
    let mut aligned = Vec::new();
    let mut keccak = Vec::new();
    let mut sha256 = Vec::new();
    let mut arith_eq = Vec::new();

    let word = |addr: u64, image: &HashMap<u64, u64>| -> u64 {
        image
            .get(&addr)
            .copied()
            .unwrap_or_else(|| initial.peek(addr, 8).unwrap_or(0))
    };
    let push = |regions: &mut RegionAccesses,
                image: &mut HashMap<u64, u64>,
                step_no: u64,
                addr: u64,
                mem_step: u64,
                is_write: bool,
                value: u64|
     -> Result<(), ZkvmError> {
        let region = mem::Region::of(addr).ok_or(ZkvmError::BadAddress {
            step: step_no,
            addr,
        })?;
        if is_write {
            image.insert(addr, value);
        }
        let slot = regions
            .iter_mut()
            .find(|(r, _)| *r == region)
            .expect("invariant: every region has a list");
        slot.1.push(mem::MemAccess {
            addr,
            step: mem_step,
            is_write,
            value,
        });
        Ok(())
    };

    for (t, s) in steps.iter().enumerate() {
        let t = t as u64;
        let inst = &rom.insts[s.inst as usize];
        let base = 1 + 4 * t;
        match inst.a_src {
            SRC_MEM => push(
                &mut regions,
                &mut image,
                t,
                inst.a_offset_imm0,
                base,
                false,
                s.a,
            )?,
            SRC_REG => push(
                &mut regions,
                &mut image,
                t,
                reg_addr(inst.a_offset_imm0),
                base,
                false,
                s.a,
            )?,
            _ => {}
        }
        let b_addr = match inst.b_src {
            SRC_MEM => Some((inst.b_offset_imm0, 8)),
            SRC_REG => Some((reg_addr(inst.b_offset_imm0), 8)),
            SRC_IND => Some((s.a.wrapping_add(inst.b_offset_imm0), inst.ind_width as u8)),
            _ => None,
        };
        if let Some((addr, bytes)) = b_addr {
            if mem_align::needs_align(addr, bytes) {
                let access = mem_align::CrossingAccess {
                    access: mem_align::AlignedAccess {
                        op_is_write: false,
                        addr,
                        step: base + 1,
                        bytes,
                        value: s.b,
                        old_word: word(addr & !7, &image),
                    },
                    next_old_word: word((addr & !7).wrapping_add(8), &image),
                };
                for (a, st, wr, v) in access.mem_accesses()? {
                    push(&mut regions, &mut image, t, a, st, wr, v)?;
                }
                aligned.push(access);
            } else {
                push(&mut regions, &mut image, t, addr, base + 1, false, s.b)?;
            }
        }
        // The precompile's own accesses: reads at slot 2, writes at slot 3 (zisk-spec §10.2).
        // Mem proves each word once per step, so operands that share a word cannot be proven.
        let read = |a| word(a, &image);
        let call = match precompile_machine(inst.op) {
            Some(PrecompileMachine::Keccakf) => {
                let call = keccakf::KeccakCall::read(t, s.b, read);
                let accesses = (call.reads(), call.writes());
                keccak.push(call);
                Some(accesses)
            }
            Some(PrecompileMachine::Sha256f) => {
                let call = sha256f::Sha256Call::read(t, s.b, read);
                let accesses = (call.reads(), call.writes());
                sha256.push(call);
                Some(accesses)
            }
            Some(PrecompileMachine::ArithEq) => {
                let call = arith_eq::ArithEqCall::read(inst.op, t, s.b, read)
                    .map_err(|source| ZkvmError::PrecompileCall { step: t, source })?;
                let accesses = (call.reads(), call.writes());
                arith_eq.push(call);
                Some(accesses)
            }
            None => None,
        };
        if let Some((reads, writes)) = call {
            for list in [&reads, &writes] {
                let mut addrs: Vec<u64> = list.iter().map(|&(a, _)| a).collect();
                addrs.sort_unstable();
                addrs.dedup();
                if addrs.len() != list.len() {
                    return Err(ZkvmError::OverlappingOperands {
                        step: t,
                        name: op_name(inst.op),
                    });
                }
            }
            for (a, v) in reads {
                push(&mut regions, &mut image, t, a, base + 2, false, v)?;
            }
            for (a, v) in writes {
                push(&mut regions, &mut image, t, a, base + 3, true, v)?;
            }
        }
        let value = if inst.store_pc {
            inst.paddr.wrapping_add(inst.jmp_offset2 as u64)
        } else {
            s.c
        };
        let st_addr = match inst.store {
            STORE_MEM => Some((inst.store_offset as u64, 8)),
            STORE_REG => Some((reg_addr(inst.store_offset as u64), 8)),
            STORE_IND => Some((
                s.a.wrapping_add(inst.store_offset as u64),
                inst.ind_width as u8,
            )),
            _ => None,
        };
        if let Some((addr, bytes)) = st_addr {
            if mem_align::needs_align(addr, bytes) {
                let access = mem_align::CrossingAccess {
                    access: mem_align::AlignedAccess {
                        op_is_write: true,
                        addr,
                        step: base + 2,
                        bytes,
                        value,
                        old_word: word(addr & !7, &image),
                    },
                    next_old_word: word((addr & !7).wrapping_add(8), &image),
                };
                for (a, st, wr, v) in access.mem_accesses()? {
                    push(&mut regions, &mut image, t, a, st, wr, v)?;
                }
                aligned.push(access);
            } else {
                push(&mut regions, &mut image, t, addr, base + 2, true, value)?;
            }
        }
    }
    Ok(MemoryPass {
        regions,
        aligned,
        keccak,
        sha256,
        arith_eq,
    })
}
