//! Witness of the `Keccakf` precompile machine (`pil/zisk/keccakf.pil`): one 24-row block per
//! `keccak` call, one row per round, the rounds computed here bit by bit as the PIL lays them out.

use std::borrow::BorrowMut;

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;
use zisk_generated::zisk::keccakf::{KeccakfAir, KeccakfRow, KECCAKF_N, NUM_KECCAKF_COLS};
use zisk_generated::zisk::AnyAir;
use zisk_precompiles::keccak::{RC, RHO};

use crate::config::Val;
use crate::pil::{PilError, PilWitness};

/// Rows per call: one per round.
pub const ROUNDS: usize = 24;

/// Calls per instance at the largest height (the last rows hold a partial, inactive block).
pub const CALLS_PER_INSTANCE: usize = KECCAKF_N / ROUNDS;

/// One `keccak` call: Main's step, the state's address and the 25 lanes it reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeccakCall {
    /// Main's step of the call.
    pub step: u64,
    /// Address of the state (Main's `b`).
    pub addr: u64,
    /// The state read from memory, lane `(x, y)` at `x + 5y`.
    pub input: [u64; 25],
}

fn limbs(v: u64) -> [Val; 4] {
    std::array::from_fn(|l| Val::from_u64((v >> (16 * l)) & 0xffff))
}

fn bit(v: u64, z: usize) -> Val {
    Val::from_u64((v >> z) & 1)
}

/// Fills the row of round `round` from its input `state` and returns the round's output.
fn fill_round(round: usize, state: &[u64; 25], row: &mut KeccakfRow<Val>) -> [u64; 25] {
    let c: [u64; 5] = std::array::from_fn(|x| {
        state[x] ^ state[x + 5] ^ state[x + 10] ^ state[x + 15] ^ state[x + 20]
    });
    let d: [u64; 5] = std::array::from_fn(|x| c[(x + 4) % 5] ^ c[(x + 1) % 5].rotate_left(1));
    let a_prime: [u64; 25] = std::array::from_fn(|i| state[i] ^ d[i % 5]);
    let mut b = [0u64; 25];
    for x in 0..5 {
        for y in 0..5 {
            let i = x + 5 * y;
            b[y + 5 * ((2 * x + 3 * y) % 5)] = a_prime[i].rotate_left(RHO[i]);
        }
    }
    let a_pp: [u64; 25] = std::array::from_fn(|j| {
        let (x, y) = (j % 5, j / 5);
        b[j] ^ (!b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y])
    });
    let mut out = a_pp;
    out[0] ^= RC[round];

    for i in 0..25 {
        row.a[i] = limbs(state[i]);
        row.a_pp[i] = limbs(a_pp[i]);
        for z in 0..64 {
            row.a_prime[i][z] = bit(a_prime[i], z);
        }
    }
    for x in 0..5 {
        for z in 0..64 {
            row.c[x][z] = bit(c[x], z);
            row.c_prime[x][z] = bit(c[x] ^ d[x], z);
        }
    }
    for z in 0..64 {
        row.a_pp0_bits[z] = bit(a_pp[0], z);
    }
    row.a_ppp0 = limbs(out[0]);
    out
}

/// Fills the 24 rows of one block (`rows.len()` may be shorter: the trace's partial last block).
fn fill_block(call: Option<&KeccakCall>, rows: &mut [Val]) {
    let (state, step, addr, active) = match call {
        Some(c) => (c.input, c.step, c.addr, true),
        None => ([0u64; 25], 0, 0, false),
    };
    let mut state = state;
    for (round, slot) in rows.chunks_exact_mut(NUM_KECCAKF_COLS).enumerate() {
        let row: &mut KeccakfRow<Val> = slot.borrow_mut();
        state = fill_round(round, &state, row);
        row.addr = Val::from_u64(addr);
        row.step = Val::from_u64(step);
        row.active = Val::from_bool(active);
        row.do_read = Val::from_bool(active && round == 0);
        row.do_write = Val::from_bool(active && round == ROUNDS - 1);
    }
}

/// The trace of up to [`CALLS_PER_INSTANCE`] calls, as short as they allow.
pub fn keccakf_trace(calls: &[KeccakCall]) -> RowMajorMatrix<Val> {
    let height = crate::pil::instance_height(calls.len() * ROUNDS);
    let mut values = vec![Val::ZERO; height * NUM_KECCAKF_COLS];
    values
        .par_chunks_mut(ROUNDS * NUM_KECCAKF_COLS)
        .enumerate()
        .for_each(|(k, block)| fill_block(calls.get(k), block));
    RowMajorMatrix::new(values, NUM_KECCAKF_COLS)
}

/// The 25 lanes written back by `call` (the host permutation; the trace recomputes it round by
/// round, and the AIR checks that the two agree through the memory bus).
pub fn output(call: &KeccakCall) -> [u64; 25] {
    let mut state = call.input;
    zisk_precompiles::keccak_f(&mut state);
    state
}

impl KeccakCall {
    /// Reads call `step` with `b = addr` (the state) through `word` (aligned u64 reads).
    pub fn read(step: u64, addr: u64, word: impl Fn(u64) -> u64) -> Self {
        Self {
            step,
            addr,
            input: std::array::from_fn(|i| word(lane_addr(addr, i))),
        }
    }

    /// The words the call reads, `(address, value)`: the 25 lanes.
    pub fn reads(&self) -> Vec<(u64, u64)> {
        (0..25)
            .map(|i| (lane_addr(self.addr, i), self.input[i]))
            .collect()
    }

    /// The words the call writes, `(address, value)`: the permuted lanes.
    pub fn writes(&self) -> Vec<(u64, u64)> {
        output(self)
            .into_iter()
            .enumerate()
            .map(|(i, v)| (lane_addr(self.addr, i), v))
            .collect()
    }
}

fn lane_addr(addr: u64, i: usize) -> u64 {
    addr.wrapping_add(8 * i as u64)
}

/// Adds the `Keccakf` instances of `calls` to `witness`.
pub fn fill(witness: &mut PilWitness<'_, AnyAir>, calls: &[KeccakCall]) -> Result<(), PilError> {
    for chunk in calls.chunks(CALLS_PER_INSTANCE) {
        witness.push(&AnyAir::Keccakf(KeccakfAir), keccakf_trace(chunk), &[])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::borrow::Borrow;

    use p3_field::PrimeField64;

    use super::*;

    fn lane(limbs: &[Val; 4]) -> u64 {
        limbs
            .iter()
            .rev()
            .fold(0, |acc, l| (acc << 16) | l.as_canonical_u64())
    }

    /// The block of one call starts from its input and ends on keccak-f of it (the host
    /// permutation of `zisk-precompiles`), and the padding block after it is inactive.
    #[test]
    fn block_computes_keccak_f() {
        let call = KeccakCall {
            step: 7,
            addr: 0x1000,
            input: std::array::from_fn(|i| (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
        };
        let trace = keccakf_trace(&[call]);
        let row = |r: usize| -> &KeccakfRow<Val> {
            trace.values[r * NUM_KECCAKF_COLS..][..NUM_KECCAKF_COLS].borrow()
        };
        let first: [u64; 25] = std::array::from_fn(|i| lane(&row(0).a[i]));
        assert_eq!(first, call.input);
        let last = row(ROUNDS - 1);
        let mut written: [u64; 25] = std::array::from_fn(|i| lane(&last.a_pp[i]));
        written[0] = lane(&last.a_ppp0);
        assert_eq!(written, output(&call));
        assert_eq!(last.do_write, Val::ONE);
        assert_eq!(row(0).do_read, Val::ONE);
        assert_eq!(row(ROUNDS).active, Val::ZERO);
    }
}
