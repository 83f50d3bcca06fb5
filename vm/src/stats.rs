//! Execution statistics: the cost report of `ziskemu -x` (zisk-spec §7.3) and the RISC-V-level
//! register trace of `ziskemu -a`.

use crate::consts::ROM_ADDR;
use crate::emu::{ExecInst, Observer};
use crate::inst::*;
use crate::ops;
use std::fmt::Write;

/// Area units proven per second, the unit of the legacy cost report.
pub const AREA_PER_SEC: f64 = 1_000_000.0;
/// Cost of an aligned memory access.
pub const COST_MEM: f64 = 10.0 / AREA_PER_SEC;
/// Cost of an unaligned read inside one word.
pub const COST_MEMA_R1: f64 = 20.0 / AREA_PER_SEC;
/// Cost of an unaligned read across two words.
pub const COST_MEMA_R2: f64 = 40.0 / AREA_PER_SEC;
/// Cost of an unaligned write inside one word.
pub const COST_MEMA_W1: f64 = 40.0 / AREA_PER_SEC;
/// Cost of an unaligned write across two words.
pub const COST_MEMA_W2: f64 = 80.0 / AREA_PER_SEC;
/// Cost of an operation on small operands.
pub const COST_USUAL: f64 = 8.0 / AREA_PER_SEC;
/// Cost of one Main step.
pub const COST_STEP: f64 = 50.0 / AREA_PER_SEC;

const REG_NAMES: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6",
];

/// Counts what the cost report needs.
#[derive(Clone, Debug)]
pub struct Stats {
    steps: u64,
    ops: [u64; 256],
    usual: u64,
    reads_aligned: u64,
    reads_na1: u64,
    reads_na2: u64,
    writes_aligned: u64,
    writes_na1: u64,
    writes_na2: u64,
    reg_reads: [u64; 32],
    reg_writes: [u64; 32],
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            steps: 0,
            ops: [0; 256],
            usual: 0,
            reads_aligned: 0,
            reads_na1: 0,
            reads_na2: 0,
            writes_aligned: 0,
            writes_na1: 0,
            writes_na2: 0,
            reg_reads: [0; 32],
            reg_writes: [0; 32],
        }
    }
}

/// Classifies an access: 0 aligned, 1 inside one word, 2 across two words.
fn class(addr: u64, width: u64) -> u8 {
    if addr & 7 == 0 && width == 8 {
        0
    } else if (addr & 7) + width <= 8 {
        1
    } else {
        2
    }
}

impl Observer for Stats {
    fn on_step(
        &mut self,
        inst: &ExecInst,
        a: u64,
        b: u64,
        _c: u64,
        _flag: bool,
        _regs: &[u64; 32],
    ) {
        self.steps += 1;
        let precompile =
            ops::op_info(inst.op).is_some_and(|i| i.op_type == ops::OpType::Precompile);
        let is_usual = ops::is_external(inst.op) && !precompile && a < 256 && b < 256;
        if precompile {
            // The words a precompile reads (pointer blocks included) and writes, all aligned.
            let (read, written) = zisk_precompiles::abi::io_bytes(inst.op);
            self.reads_aligned += read / 8;
            self.writes_aligned += written / 8;
        }
        if is_usual {
            self.usual += 1;
        } else {
            self.ops[inst.op as usize] += 1;
        }
        match inst.a_src {
            SRC_MEM => self.reads_aligned += 1,
            SRC_REG => self.reg_reads[inst.a as usize] += 1,
            _ => {}
        }
        match inst.b_src {
            SRC_MEM => self.reads_aligned += 1,
            SRC_REG => self.reg_reads[inst.b as usize] += 1,
            SRC_IND => match class(a.wrapping_add(inst.b), inst.width as u64) {
                0 => self.reads_aligned += 1,
                1 => self.reads_na1 += 1,
                _ => self.reads_na2 += 1,
            },
            _ => {}
        }
        match inst.store {
            STORE_MEM => self.writes_aligned += 1,
            STORE_REG => self.reg_writes[inst.store_offset as usize] += 1,
            STORE_IND => match class(a.wrapping_add(inst.store_offset), inst.width as u64) {
                0 => self.writes_aligned += 1,
                1 => self.writes_na1 += 1,
                _ => self.writes_na2 += 1,
            },
            _ => {}
        }
    }
}

impl Stats {
    /// The report, in the layout of `ziskemu -x`.
    pub fn report(&self) -> String {
        let mut s = String::new();
        let reads = self.reads_aligned + self.reads_na1 + self.reads_na2;
        let writes = self.writes_aligned + self.writes_na1 + self.writes_na2;
        let mem_steps = reads + writes;
        let mema_steps =
            self.reads_na1 + 2 * self.reads_na2 + 2 * self.writes_na1 + 4 * self.writes_na2;
        let mema_cost = self.reads_na1 as f64 * COST_MEMA_R1
            + self.reads_na2 as f64 * COST_MEMA_R2
            + self.writes_na1 as f64 * COST_MEMA_W1
            + self.writes_na2 as f64 * COST_MEMA_W2;
        let mut op_area = 0u64;
        let mut op_count = 0u64;
        for (code, &n) in self.ops.iter().enumerate() {
            let cost = ops::op_info(code as u8).map_or(0, |i| i.cost);
            op_area += n * cost;
            op_count += n;
        }
        let main_cost = self.steps as f64 * COST_STEP;
        let mem_cost = mem_steps as f64 * COST_MEM;
        let op_cost = op_area as f64 / AREA_PER_SEC;
        let usual_cost = self.usual as f64 * COST_USUAL;
        let total = main_cost + mem_cost + mema_cost + op_cost + usual_cost;
        let _ = writeln!(s, "Cost definitions:");
        let _ = writeln!(s, "    AREA_PER_SEC: {AREA_PER_SEC} steps");
        let _ = writeln!(s, "    COST_MEM: {COST_MEM} sec");
        let _ = writeln!(s, "    COST_MEMA_R1: {COST_MEMA_R1} sec");
        let _ = writeln!(s, "    COST_MEMA_R2: {COST_MEMA_R2} sec");
        let _ = writeln!(s, "    COST_MEMA_W1: {COST_MEMA_W1} sec");
        let _ = writeln!(s, "    COST_MEMA_W2: {COST_MEMA_W2} sec");
        let _ = writeln!(s, "    COST_USUAL: {COST_USUAL} sec");
        let _ = writeln!(s, "    COST_STEP: {COST_STEP} sec");
        let _ = writeln!(s);
        let _ = writeln!(s, "Total Cost: {total:.2} sec");
        let _ = writeln!(s, "    Main Cost: {main_cost:.2} sec {} steps", self.steps);
        let _ = writeln!(s, "    Mem Cost: {mem_cost:.2} sec {mem_steps} steps");
        let _ = writeln!(s, "    Mem Align: {mema_cost:.2} sec {mema_steps} steps");
        let _ = writeln!(
            s,
            "    Opcodes: {op_cost:.2} sec {op_area} steps ({op_count} ops)"
        );
        let _ = writeln!(s, "    Usual: {usual_cost:.2} sec {} steps", self.usual);
        let _ = writeln!(
            s,
            "    Memory: {} a reads + {} na1 reads + {} na2 reads + {} a writes + {} na1 writes + {} na2 writes = {reads} reads + {writes} writes = {mem_steps} r/w",
            self.reads_aligned, self.reads_na1, self.reads_na2, self.writes_aligned, self.writes_na1, self.writes_na2
        );
        let _ = writeln!(s);
        let _ = writeln!(s, "Opcodes:");
        for (code, &n) in self.ops.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let info = ops::op_info(code as u8);
            let cost = info.map_or(0, |i| i.cost);
            let name = info.map_or("?", |i| i.name);
            let secs = (n * cost) as f64 / AREA_PER_SEC;
            let _ = writeln!(s, "    {name}: {secs:.2} sec ({cost} steps/op) ({n} ops)");
        }
        let _ = writeln!(s);
        let _ = writeln!(s, "Registers:");
        let total_reads: u64 = self.reg_reads.iter().sum::<u64>().max(1);
        let total_writes: u64 = self.reg_writes.iter().sum::<u64>().max(1);
        for (r, name) in REG_NAMES.iter().enumerate().skip(1) {
            let (rd, wr) = (self.reg_reads[r], self.reg_writes[r]);
            if rd == 0 && wr == 0 {
                continue;
            }
            let _ = writeln!(
                s,
                "    x{r} ({name}): {rd} reads ({}‰) {wr} writes ({}‰)",
                rd * 1000 / total_reads,
                wr * 1000 / total_writes
            );
        }
        s
    }
}

/// Writes, for every step of the program (not the BIOS) that changes registers, one line
/// `"{step}: {pc} -> xN=value, ..."` to `out`.
pub struct RegTrace<W: std::io::Write> {
    prev: [u64; 32],
    step: u64,
    out: W,
}

impl<W: std::io::Write> RegTrace<W> {
    /// A trace written to `out`.
    pub fn new(out: W) -> Self {
        RegTrace {
            prev: [0; 32],
            step: 0,
            out,
        }
    }

    /// The writer, once the run is over.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: std::io::Write> Observer for RegTrace<W> {
    fn on_step(
        &mut self,
        inst: &ExecInst,
        _a: u64,
        _b: u64,
        _c: u64,
        _flag: bool,
        regs: &[u64; 32],
    ) {
        self.step += 1;
        if inst.pc >= ROM_ADDR && *regs != self.prev {
            let mut line = format!("{}: {:#x} ->", self.step - 1, inst.pc);
            let mut first = true;
            for (r, (&now, &before)) in regs.iter().zip(self.prev.iter()).enumerate().skip(1) {
                if now != before {
                    let _ = write!(line, "{} x{r}={now:#x}", if first { "" } else { "," });
                    first = false;
                }
            }
            // The trace is diagnostic output: a closed pipe must not change the run.
            let _ = writeln!(self.out, "{line}");
        }
        self.prev = *regs;
    }
}
