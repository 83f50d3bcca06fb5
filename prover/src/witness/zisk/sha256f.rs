//! Witness of the `Sha256f` precompile machine (`pil/zisk/sha256f.pil`): one 66-row block per
//! `sha256` call (64 rounds, the final working variables, the output), computed here as the PIL
//! lays them out.

use std::borrow::BorrowMut;

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;
use zisk_generated::zisk::sha256f::{Sha256fAir, Sha256fRow, NUM_SHA256F_COLS, SHA256F_N};
use zisk_generated::zisk::AnyAir;
use zisk_precompiles::sha256::K;

use crate::config::Val;
use crate::pil::{PilError, PilWitness};

/// Rows per call: 64 rounds, the working variables after the last one, the output.
pub const BLOCK_ROWS: usize = 66;

/// Calls per instance at the largest height (the last rows hold a partial, inactive block).
pub const CALLS_PER_INSTANCE: usize = SHA256F_N / BLOCK_ROWS;

/// One `sha256` call: Main's step, the parameter block's address, the two pointers it holds
/// and the words read through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sha256Call {
    /// Main's step of the call.
    pub step: u64,
    /// Address of the parameter block `[state*, input*]` (Main's `b`).
    pub addr: u64,
    /// Address of the state (four words, `H(2i)` in the low half of word `i`).
    pub state_ptr: u64,
    /// Address of the message block (eight words, `W(2i)` in the high half of word `i`).
    pub input_ptr: u64,
    /// The state read.
    pub state: [u64; 4],
    /// The block read.
    pub input: [u64; 8],
}

impl Sha256Call {
    /// Reads call `step` with `b = addr` through `word` (aligned u64 reads).
    pub fn read(step: u64, addr: u64, word: impl Fn(u64) -> u64) -> Self {
        let (state_ptr, input_ptr) = (word(addr), word(addr.wrapping_add(8)));
        Self {
            step,
            addr,
            state_ptr,
            input_ptr,
            state: std::array::from_fn(|i| word(state_ptr.wrapping_add(8 * i as u64))),
            input: std::array::from_fn(|i| word(input_ptr.wrapping_add(8 * i as u64))),
        }
    }

    /// The words the call reads, `(address, value)`: the pointers, the state, the block.
    pub fn reads(&self) -> Vec<(u64, u64)> {
        let at = |base: u64, i: usize| base.wrapping_add(8 * i as u64);
        let mut out = vec![
            (self.addr, self.state_ptr),
            (at(self.addr, 1), self.input_ptr),
        ];
        out.extend(
            self.state
                .iter()
                .enumerate()
                .map(|(i, &v)| (at(self.state_ptr, i), v)),
        );
        out.extend(
            self.input
                .iter()
                .enumerate()
                .map(|(i, &v)| (at(self.input_ptr, i), v)),
        );
        out
    }

    /// The words the call writes, `(address, value)`: the new state.
    pub fn writes(&self) -> Vec<(u64, u64)> {
        let at = |i: usize| self.state_ptr.wrapping_add(8 * i as u64);
        self.output()
            .into_iter()
            .enumerate()
            .map(|(i, v)| (at(i), v))
            .collect()
    }

    /// The four state words written back (the host compression of `zisk-precompiles`; the
    /// trace recomputes it round by round and the AIR checks that the two agree through the
    /// memory bus).
    pub fn output(&self) -> [u64; 4] {
        let mut state = self.state;
        zisk_precompiles::sha256_f(&mut state, &self.input);
        state
    }
}

fn bits(v: u32) -> [Val; 32] {
    std::array::from_fn(|k| Val::from_u32((v >> k) & 1))
}

fn small_sigma0(x: u32) -> u32 {
    x.rotate_right(7) ^ x.rotate_right(18) ^ (x >> 3)
}

fn small_sigma1(x: u32) -> u32 {
    x.rotate_right(17) ^ x.rotate_right(19) ^ (x >> 10)
}

/// `na` and `ne` before reduction: `h + Σ1 + Ch + K + W + Σ0 + Maj` and `d + h + Σ1 + Ch + K + W`.
fn round_sums(v: &[u32; 8], k: u32, w: u32) -> (u64, u64) {
    let [a, b, c, d, e, f, g, h] = *v;
    let sig1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
    let ch = (e & f) ^ (!e & g);
    let sig0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
    let maj = (a & b) ^ (a & c) ^ (b & c);
    let t1 = h as u64 + sig1 as u64 + ch as u64 + k as u64 + w as u64;
    (t1 + sig0 as u64 + maj as u64, d as u64 + t1)
}

/// Fills the 66 rows of one block (`rows.len()` may be shorter: the trace's partial last
/// block).
fn fill_block(call: Option<&Sha256Call>, rows: &mut [Val]) {
    let c = call.copied().unwrap_or(Sha256Call {
        step: 0,
        addr: 0,
        state_ptr: 0,
        input_ptr: 0,
        state: [0; 4],
        input: [0; 8],
    });
    let hin: [u32; 8] = std::array::from_fn(|i| (c.state[i / 2] >> (32 * (i % 2))) as u32);
    // W[0..64] and zeros after it (the window of the last rows).
    let mut sched = [0u32; 80];
    for (i, w) in sched.iter_mut().take(16).enumerate() {
        *w = (c.input[i / 2] >> (32 * (1 - i % 2))) as u32;
    }
    for t in 16..64 {
        sched[t] = small_sigma1(sched[t - 2])
            .wrapping_add(sched[t - 7])
            .wrapping_add(small_sigma0(sched[t - 15]))
            .wrapping_add(sched[t - 16]);
    }
    let mut v = hin;
    for (r, slot) in rows.chunks_exact_mut(NUM_SHA256F_COLS).enumerate() {
        let row: &mut Sha256fRow<Val> = slot.borrow_mut();
        row.s = v.map(bits);
        let round = r < 64;
        let (k, w0) = if round { (K[r], sched[r]) } else { (0, 0) };
        let (sa, se) = round_sums(&v, k, w0);
        if round {
            row.na = Val::from_u32(sa as u32);
            row.ne = Val::from_u32(se as u32);
            row.ca = std::array::from_fn(|j| Val::from_u64((sa >> (32 + j)) & 1));
            row.ce = std::array::from_fn(|j| Val::from_u64((se >> (32 + j)) & 1));
            row.w = std::array::from_fn(|i| Val::from_u32(sched[r + i]));
        } else {
            row.na = Val::from_u64(sa);
            row.ne = Val::from_u64(se);
        }
        let (w1, w14) = if round {
            (sched[r + 1], sched[r + 14])
        } else {
            (0, 0)
        };
        row.s0bits = bits(w1);
        row.s1bits = bits(w14);
        let wsum = small_sigma1(w14) as u64
            + if round { sched[r + 9] as u64 } else { 0 }
            + small_sigma0(w1) as u64
            + w0 as u64;
        if r < 48 {
            row.wnext = Val::from_u32(wsum as u32);
            row.cw = std::array::from_fn(|j| Val::from_u64((wsum >> (32 + j)) & 1));
        } else {
            row.wnext = Val::from_u64(wsum);
        }
        row.hin = hin.map(Val::from_u32);
        row.addr = Val::from_u64(c.addr);
        row.state_ptr = Val::from_u64(c.state_ptr);
        row.input_ptr = Val::from_u64(c.input_ptr);
        row.step = Val::from_u64(c.step);
        let active = call.is_some();
        row.active = Val::from_bool(active);
        row.do_read = Val::from_bool(active && r == 0);
        row.do_write = Val::from_bool(active && r == BLOCK_ROWS - 1);

        // The next row's working variables.
        if round {
            let [a, b, c, _, e, f, g, _] = v;
            v = [sa as u32, a, b, c, se as u32, e, f, g];
        } else if r == 64 {
            for i in 0..8 {
                let sum = v[i] as u64 + hin[i] as u64;
                row.co[i] = Val::from_u64(sum >> 32);
                v[i] = sum as u32;
            }
        }
    }
}

/// The trace of up to [`CALLS_PER_INSTANCE`] calls, as short as they allow.
pub fn sha256f_trace(calls: &[Sha256Call]) -> RowMajorMatrix<Val> {
    let height = crate::pil::instance_height(calls.len() * BLOCK_ROWS);
    let mut values = vec![Val::ZERO; height * NUM_SHA256F_COLS];
    values
        .par_chunks_mut(BLOCK_ROWS * NUM_SHA256F_COLS)
        .enumerate()
        .for_each(|(k, block)| fill_block(calls.get(k), block));
    RowMajorMatrix::new(values, NUM_SHA256F_COLS)
}

/// Adds the `Sha256f` instances of `calls` to `witness`.
pub fn fill(witness: &mut PilWitness<'_, AnyAir>, calls: &[Sha256Call]) -> Result<(), PilError> {
    for chunk in calls.chunks(CALLS_PER_INSTANCE) {
        witness.push(&AnyAir::Sha256f(Sha256fAir), sha256f_trace(chunk), &[])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::borrow::Borrow;

    use p3_field::PrimeField64;

    use super::*;

    fn word(bits: &[Val; 32]) -> u64 {
        bits.iter()
            .rev()
            .fold(0, |acc, b| (acc << 1) | b.as_canonical_u64())
    }

    /// The block of one call starts from its state and ends on the compression of it (the
    /// host function of `zisk-precompiles`), and the padding block after it is inactive.
    #[test]
    fn block_computes_sha256_f() {
        let call = Sha256Call {
            step: 7,
            addr: 0x1000,
            state_ptr: 0x2000,
            input_ptr: 0x3000,
            state: std::array::from_fn(|i| (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
            input: std::array::from_fn(|i| (i as u64 + 5).wrapping_mul(0xd1b5_4a32_d192_ed03)),
        };
        let trace = sha256f_trace(&[call]);
        let row = |r: usize| -> &Sha256fRow<Val> {
            trace.values[r * NUM_SHA256F_COLS..][..NUM_SHA256F_COLS].borrow()
        };
        let state = |r: usize| -> [u64; 4] {
            std::array::from_fn(|i| word(&row(r).s[2 * i]) | word(&row(r).s[2 * i + 1]) << 32)
        };
        assert_eq!(state(0), call.state);
        assert_eq!(state(BLOCK_ROWS - 1), call.output());
        assert_eq!(row(0).do_read, Val::ONE);
        assert_eq!(row(BLOCK_ROWS - 1).do_write, Val::ONE);
        assert_eq!(row(BLOCK_ROWS).active, Val::ZERO);
    }
}
