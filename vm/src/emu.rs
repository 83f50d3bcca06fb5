//! The ZisK emulator: executes a [`ZiskRom`] step by step (zisk-spec §1.3), in fast mode
//! (outputs only) or trace mode (minimal trace of chunks for parallel witness generation).

use crate::consts::*;
use crate::error::EmuError;
use crate::inst::*;
use crate::mem::{MemBackend, Memory, ReplayMemory};
use crate::ops::{self, op};
use crate::precompile;
use crate::rom::ZiskRom;
use crate::transpile::UNIMP;

const NONE: u32 = u32::MAX;
const F_STORE_PC: u8 = 1;
const F_SET_PC: u8 = 2;
const F_END: u8 = 4;

/// Interpreter paths: the common shapes get a loop arm of their own, the rest the generic arm.
const K_GENERIC: u8 = 0;
/// `c = op(reg, reg) -> reg`.
const K_RR: u8 = 1;
/// `c = op(reg, imm) -> reg`.
const K_RI: u8 = 2;
/// `c = op(reg, mem[reg + off]) -> reg` (loads).
const K_LOAD: u8 = 3;
/// `mem[reg + off] = reg` (stores).
const K_STORE: u8 = 4;
/// `flag = op(reg, reg)`, no store (branches).
const K_BRANCH: u8 = 5;

/// Picks the interpreter path of an instruction whose static successors are `next1`/`next2`.
fn kind_of(i: &ZiskInst, next1: u32, next2: u32) -> u8 {
    let plain = !i.store_pc && !i.set_pc && !i.end && next1 != NONE && next2 != NONE;
    let alu = ops::exec(i.op, 0, 0).is_some() && i.op != op::PUBOUT;
    if !plain || !alu {
        return K_GENERIC;
    }
    match (i.a_src, i.b_src, i.store) {
        (SRC_REG, SRC_REG, STORE_REG) => K_RR,
        (SRC_REG, SRC_IMM, STORE_REG) => K_RI,
        (SRC_REG, SRC_IND, STORE_REG) => K_LOAD,
        (SRC_REG, SRC_REG, STORE_IND) if i.op == op::COPYB => K_STORE,
        (SRC_REG, SRC_REG, STORE_NONE) => K_BRANCH,
        _ => K_GENERIC,
    }
}

/// A ROM instruction in the compact form the interpreter runs.
#[derive(Clone, Copy, Debug)]
pub struct ExecInst {
    /// Source kind of `a`.
    pub a_src: u8,
    /// Source kind of `b`.
    pub b_src: u8,
    /// Store kind.
    pub store: u8,
    /// Opcode.
    pub op: u8,
    /// Indirect width.
    pub width: u8,
    flags: u8,
    /// Which specialised path of the interpreter runs this instruction (`K_*`).
    kind: u8,
    /// Immediate, address or register index of `a`.
    pub a: u64,
    /// Immediate, address, register index or indirect offset of `b`.
    pub b: u64,
    /// Store address, register or indirect offset.
    pub store_offset: u64,
    jmp1: i64,
    jmp2: i64,
    next1: u32,
    next2: u32,
    /// pc of this instruction.
    pub pc: u64,
}

/// The architectural state at a step boundary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmuState {
    /// Program counter.
    pub pc: u64,
    /// Steps executed so far.
    pub step: u64,
    /// The previous instruction's `c`.
    pub last_c: u64,
    /// Registers x0..x31.
    pub regs: [u64; 32],
}

impl EmuState {
    fn boot() -> Self {
        EmuState {
            pc: ROM_ENTRY,
            step: 0,
            last_c: 0,
            regs: [0; 32],
        }
    }
}

/// One chunk of the minimal trace: enough to re-execute `steps` steps on their own.
#[derive(Clone, Debug)]
pub struct Chunk {
    /// State at the start of the chunk.
    pub start: EmuState,
    /// Steps in the chunk.
    pub steps: u64,
    /// Whether the program ended in this chunk.
    pub end: bool,
    /// Every aligned memory word read in the chunk, in order (partial writes read the old words).
    pub mem_reads: Vec<u64>,
}

/// What a finished run produced.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// Steps executed.
    pub steps: u64,
    /// The 64 u32 output slots.
    pub outputs: [u32; OUTPUT_SLOTS],
    /// How many leading slots the program wrote (the highest slot written + 1).
    pub outputs_set: usize,
    /// The 32 u64 words published by `pubout`.
    pub publics: [u64; 32],
    /// The minimal trace (trace mode only).
    pub chunks: Vec<Chunk>,
}

/// Watches a run (statistics, register traces). Every hook is a no-op by default.
pub trait Observer {
    /// Whether the hooks do anything; lets the fast path compile them away.
    const ENABLED: bool = true;
    /// Called after each step with its operands and the registers after it.
    fn on_step(
        &mut self,
        _inst: &ExecInst,
        _a: u64,
        _b: u64,
        _c: u64,
        _flag: bool,
        _regs: &[u64; 32],
    ) {
    }
}

/// The observer that watches nothing.
pub struct NoObserver;
impl Observer for NoObserver {
    const ENABLED: bool = false;
}

/// Run settings.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    /// Stop with [`EmuError::EmulationNoCompleted`] after this many steps.
    pub max_steps: u64,
    /// Record the minimal trace.
    pub trace: bool,
    /// Steps per chunk of the minimal trace.
    pub chunk_size: u64,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            max_steps: DEFAULT_MAX_STEPS,
            trace: false,
            chunk_size: CHUNK_SIZE,
        }
    }
}

/// An emulator for one program; runs it on any number of inputs.
pub struct Emulator<'a> {
    rom: &'a ZiskRom,
    code: Vec<ExecInst>,
}

impl<'a> Emulator<'a> {
    /// Prepares the ROM for execution.
    pub fn new(rom: &'a ZiskRom) -> Self {
        let code = rom
            .insts
            .iter()
            .map(|i| {
                let target = |off: i64| {
                    let t = i.paddr.wrapping_add(off as u64);
                    rom.index_of(t).map_or(NONE, |x| x as u32)
                };
                let a = match i.a_src {
                    SRC_IMM => i.a_imm(),
                    _ => i.a_offset_imm0,
                };
                let b = match i.b_src {
                    SRC_IMM => i.b_imm(),
                    _ => i.b_offset_imm0,
                };
                let next1 = if i.set_pc {
                    NONE
                } else {
                    target(i.jmp_offset1)
                };
                let next2 = if i.set_pc {
                    NONE
                } else {
                    target(i.jmp_offset2)
                };
                ExecInst {
                    kind: kind_of(i, next1, next2),
                    a_src: i.a_src,
                    b_src: i.b_src,
                    store: i.store,
                    op: i.op,
                    width: i.ind_width as u8,
                    flags: (i.store_pc as u8 * F_STORE_PC)
                        | (i.set_pc as u8 * F_SET_PC)
                        | (i.end as u8 * F_END),
                    a,
                    b,
                    store_offset: i.store_offset as u64,
                    jmp1: i.jmp_offset1,
                    jmp2: i.jmp_offset2,
                    next1,
                    next2,
                    pc: i.paddr,
                }
            })
            .collect();
        Emulator { rom, code }
    }

    /// The ROM being run.
    pub fn rom(&self) -> &ZiskRom {
        self.rom
    }

    /// Runs the program on `input` in fast mode, printing console output to `console`.
    pub fn run(
        &self,
        input: &[u8],
        opts: &RunOptions,
        console: Box<dyn std::io::Write>,
    ) -> Result<RunResult, EmuError> {
        self.run_observed(input, opts, console, &mut NoObserver)
    }

    /// Runs the program with an observer.
    pub fn run_observed<O: Observer>(
        &self,
        input: &[u8],
        opts: &RunOptions,
        console: Box<dyn std::io::Write>,
        obs: &mut O,
    ) -> Result<RunResult, EmuError> {
        let mut mem = Memory::new(input, &self.rom.ro_regions)?;
        mem.console = console;
        let mut state = EmuState::boot();
        let mut publics = [0u64; 32];
        let mut chunks = Vec::new();
        let result = if opts.trace {
            mem.record = Some(Vec::new());
            let chunk_size = opts.chunk_size.max(1);
            loop {
                let start = state.clone();
                let limit = (state.step + chunk_size).min(opts.max_steps);
                let r = self.exec(&mut state, &mut mem, obs, &mut publics, limit);
                let reads = std::mem::take(mem.record.as_mut().expect("trace mode records"));
                let ended = matches!(r, Ok(true));
                chunks.push(Chunk {
                    steps: state.step - start.step,
                    start,
                    end: ended,
                    mem_reads: reads,
                });
                match r {
                    Ok(true) => break Ok(()),
                    Ok(false) if state.step >= opts.max_steps => {
                        break Err(EmuError::EmulationNoCompleted)
                    }
                    Ok(false) => continue,
                    Err(e) => break Err(e),
                }
            }
        } else {
            match self.exec(&mut state, &mut mem, obs, &mut publics, opts.max_steps) {
                Ok(true) => Ok(()),
                Ok(false) => Err(EmuError::EmulationNoCompleted),
                Err(e) => Err(e),
            }
        };
        let _ = mem.console.flush();
        result?;
        Ok(RunResult {
            steps: state.step,
            outputs: mem.outputs(),
            outputs_set: mem.outputs_set,
            publics,
            chunks,
        })
    }

    /// Re-executes one chunk of a minimal trace from its start state and recorded reads,
    /// calling `obs` for every step. Returns the state after the chunk.
    pub fn replay_chunk<O: Observer>(
        &self,
        chunk: &Chunk,
        obs: &mut O,
    ) -> Result<EmuState, EmuError> {
        let mut mem = ReplayMemory::new(&chunk.mem_reads);
        let mut state = chunk.start.clone();
        let mut publics = [0u64; 32];
        let ended = self.exec(
            &mut state,
            &mut mem,
            obs,
            &mut publics,
            chunk.start.step + chunk.steps,
        )?;
        if ended != chunk.end || mem.consumed() != chunk.mem_reads.len() {
            return Err(EmuError::BadRead {
                addr: 0,
                width: 0,
                pc: state.pc,
            });
        }
        Ok(state)
    }

    /// Executes until END (returns `true`) or until `state.step == limit` (returns `false`).
    #[inline(always)]
    fn exec<M: MemBackend, O: Observer>(
        &self,
        state: &mut EmuState,
        mem: &mut M,
        obs: &mut O,
        publics: &mut [u64; 32],
        limit: u64,
    ) -> Result<bool, EmuError> {
        let code = &self.code[..];
        let mut idx = match self.rom.index_of(state.pc) {
            Some(i) => i,
            None => {
                return Err(EmuError::BadJump {
                    target: state.pc,
                    pc: state.pc,
                })
            }
        };
        let mut regs = state.regs;
        let mut last_c = state.last_c;
        let mut step = state.step;
        let result = loop {
            if step >= limit {
                break Ok(false);
            }
            let inst = &code[idx];
            let pc = inst.pc;
            // Fast paths: every operand and successor is known to be valid (see `kind_of`).
            macro_rules! finish {
                ($a:expr, $b:expr, $c:expr, $flag:expr) => {{
                    if O::ENABLED {
                        obs.on_step(inst, $a, $b, $c, $flag, &regs);
                    }
                    last_c = $c;
                    step += 1;
                    idx = if $flag { inst.next1 } else { inst.next2 } as usize;
                    continue;
                }};
            }
            match inst.kind {
                K_RR | K_RI => {
                    let a = regs[(inst.a & 31) as usize];
                    let b = if inst.kind == K_RR {
                        regs[(inst.b & 31) as usize]
                    } else {
                        inst.b
                    };
                    let (c, flag) = ops::exec(inst.op, a, b).unwrap_or_default();
                    regs[(inst.store_offset & 31) as usize] = c;
                    finish!(a, b, c, flag)
                }
                K_LOAD => {
                    let a = regs[(inst.a & 31) as usize];
                    let b = match mem.read(a.wrapping_add(inst.b), inst.width as u64, pc) {
                        Ok(v) => v,
                        Err(e) => break Err(e),
                    };
                    let (c, flag) = ops::exec(inst.op, a, b).unwrap_or_default();
                    regs[(inst.store_offset & 31) as usize] = c;
                    finish!(a, b, c, flag)
                }
                K_STORE => {
                    let a = regs[(inst.a & 31) as usize];
                    let b = regs[(inst.b & 31) as usize];
                    if let Err(e) =
                        mem.write(a.wrapping_add(inst.store_offset), inst.width as u64, b, pc)
                    {
                        break Err(e);
                    }
                    finish!(a, b, b, false)
                }
                K_BRANCH => {
                    let a = regs[(inst.a & 31) as usize];
                    let b = regs[(inst.b & 31) as usize];
                    let (c, flag) = ops::exec(inst.op, a, b).unwrap_or_default();
                    finish!(a, b, c, flag)
                }
                _ => {}
            }
            let a = match inst.a_src {
                SRC_REG => regs[(inst.a & 31) as usize],
                SRC_IMM => inst.a,
                SRC_C => last_c,
                SRC_MEM => match mem.read(inst.a, 8, pc) {
                    Ok(v) => v,
                    Err(e) => break Err(e),
                },
                _ => step,
            };
            let b = match inst.b_src {
                SRC_REG => regs[(inst.b & 31) as usize],
                SRC_IMM => inst.b,
                SRC_IND => match mem.read(a.wrapping_add(inst.b), inst.width as u64, pc) {
                    Ok(v) => v,
                    Err(e) => break Err(e),
                },
                SRC_C => last_c,
                _ => match mem.read(inst.b, 8, pc) {
                    Ok(v) => v,
                    Err(e) => break Err(e),
                },
            };
            let (c, flag) = match ops::exec(inst.op, a, b) {
                Some(r) => r,
                None => match self.special(inst, b, mem) {
                    Err(e) => break Err(e),
                    Ok(r) => r,
                },
            };
            if inst.op == op::PUBOUT {
                if a >= 32 {
                    break Err(EmuError::BadPubout { index: a, pc });
                }
                publics[a as usize] = b;
            }
            let value = if inst.flags & F_STORE_PC != 0 {
                pc.wrapping_add(inst.jmp2 as u64)
            } else {
                c
            };
            match inst.store {
                STORE_NONE => {}
                STORE_REG => regs[(inst.store_offset & 31) as usize] = value,
                STORE_IND => {
                    let addr = a.wrapping_add(inst.store_offset);
                    if let Err(e) = mem.write(addr, inst.width as u64, value, pc) {
                        break Err(e);
                    }
                }
                _ => {
                    if let Err(e) = mem.write(inst.store_offset, 8, value, pc) {
                        break Err(e);
                    }
                }
            }
            if O::ENABLED {
                obs.on_step(inst, a, b, c, flag, &regs);
            }
            last_c = c;
            step += 1;
            if inst.flags & (F_SET_PC | F_END) != 0 {
                if inst.flags & F_END != 0 {
                    state.pc = pc;
                    break Ok(true);
                }
                let target = c.wrapping_add(inst.jmp1 as u64);
                match self.rom.index_of(target) {
                    Some(i) => idx = i,
                    None => break Err(EmuError::BadJump { target, pc }),
                }
            } else {
                let next = if flag { inst.next1 } else { inst.next2 };
                if next == NONE {
                    let target = pc.wrapping_add(if flag { inst.jmp1 } else { inst.jmp2 } as u64);
                    break Err(EmuError::BadJump { target, pc });
                }
                idx = next as usize;
            }
        };
        if !matches!(result, Ok(true)) {
            state.pc = code[idx].pc;
        }
        state.regs = regs;
        state.last_c = last_c;
        state.step = step;
        result
    }

    /// The operations `ops::exec` does not handle: `halt`, precompiles (which read and write
    /// memory through `b`) and the ones this VM does not implement.
    #[cold]
    fn special<M: MemBackend>(
        &self,
        inst: &ExecInst,
        b: u64,
        mem: &mut M,
    ) -> Result<(u64, bool), EmuError> {
        let pc = inst.pc;
        if precompile::is_precompile(inst.op) {
            precompile::execute(inst.op, b, mem, pc)?;
            return Ok((0, false));
        }
        if inst.op == op::HALT {
            let word = self.rom.insts[self.rom.index_of(pc).expect("executing instruction exists")]
                .riscv_inst;
            return Err(if word == UNIMP {
                EmuError::GuestAbort { pc }
            } else {
                EmuError::IllegalInstruction { word, pc }
            });
        }
        Err(EmuError::Unsupported {
            name: ops::op_name(inst.op),
            pc,
        })
    }
}
