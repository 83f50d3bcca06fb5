//! Witness of the `Sha256f` precompile machine (`pil/zisk/sha256f.pil`): one 34-row block per
//! `sha256` call (two rounds per row, the final working variables, the output), computed here as
//! the PIL lays them out.

use std::borrow::BorrowMut;

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use p3_maybe_rayon::prelude::*;
use zisk_generated::zisk::sha256f::{Sha256fAir, Sha256fRow, NUM_SHA256F_COLS, SHA256F_N};
use zisk_generated::zisk::AnyAir;
use zisk_precompiles::sha256::K;

use crate::config::Val;
use crate::pil::{PilError, PilWitness};

/// Rows per call: 32 rows of two rounds, the working variables after the last one, the output.
pub const BLOCK_ROWS: usize = 34;

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

/// The sums that become the new a and e of a round from state `v = [a, b, …, h]`:
/// `h + Σ1 + Ch + K + W + Σ0 + Maj` and `d + h + Σ1 + Ch + K + W`.
fn round_sums(v: &[u32; 8], k: u32, w: u32) -> (u64, u64) {
    let [a, b, c, d, e, f, g, h] = *v;
    let sig1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
    let ch = (e & f) ^ (!e & g);
    let sig0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
    let maj = (a & b) ^ (a & c) ^ (b & c);
    let t1 = h as u64 + sig1 as u64 + ch as u64 + k as u64 + w as u64;
    (t1 + sig0 as u64 + maj as u64, d as u64 + t1)
}

/// The state after one round.
fn round(v: &[u32; 8], k: u32, w: u32) -> [u32; 8] {
    let (sa, se) = round_sums(v, k, w);
    let [a, b, c, _, e, f, g, _] = *v;
    [sa as u32, a, b, c, se as u32, e, f, g]
}

/// The words a row holds: `a..h` (d and h as values) and `ma`, `me`.
struct RowWords {
    v: [u32; 8],
    ma: u32,
    me: u32,
}

/// `value` and its carry bits where carries are allowed, else the whole sum as the value.
fn split<const N: usize>(sum: u64, carries: bool) -> (Val, [Val; N]) {
    if carries {
        (
            Val::from_u32(sum as u32),
            std::array::from_fn(|j| Val::from_u64((sum >> (32 + j)) & 1)),
        )
    } else {
        (Val::from_u64(sum), [Val::ZERO; N])
    }
}

/// Fills the 34 rows of one block (`rows.len()` may be shorter: the trace's partial last
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
    // The words of every row: rounds, then FIN (the final state), then OUT (the output, with
    // words 3 and 7 in ma and me).
    let mut words = Vec::with_capacity(BLOCK_ROWS);
    let mut v = hin;
    for r in 0..32 {
        let mid = round(&v, K[2 * r], sched[2 * r]);
        words.push(RowWords {
            v,
            ma: mid[0],
            me: mid[4],
        });
        v = round(&mid, K[2 * r + 1], sched[2 * r + 1]);
    }
    words.push(RowWords { v, ma: 0, me: 0 });
    let out: [u32; 8] = std::array::from_fn(|i| v[i].wrapping_add(hin[i]));
    words.push(RowWords {
        v: [out[0], out[1], out[2], 0, out[4], out[5], out[6], 0],
        ma: out[3],
        me: out[7],
    });

    let active = call.is_some();
    for (r, (slot, rw)) in rows
        .chunks_exact_mut(NUM_SHA256F_COLS)
        .zip(&words)
        .enumerate()
    {
        let row: &mut Sha256fRow<Val> = slot.borrow_mut();
        let [a, b, c3, d, e, f, g, h] = rw.v;
        row.a = bits(a);
        row.b = bits(b);
        row.c = bits(c3);
        row.e = bits(e);
        row.f = bits(f);
        row.g = bits(g);
        row.ma = bits(rw.ma);
        row.me = bits(rw.me);
        row.d = Val::from_u32(d);
        row.h = Val::from_u32(h);
        let is_round = r < 32;
        let (k1, k2) = if is_round {
            (K[2 * r], K[2 * r + 1])
        } else {
            (0, 0)
        };
        let win: [u32; 16] = std::array::from_fn(|i| if is_round { sched[2 * r + i] } else { 0 });
        let (sa1, se1) = round_sums(&rw.v, k1, win[0]);
        let (sa2, se2) = round_sums(&[rw.ma, a, b, c3, rw.me, e, f, g], k2, win[1]);
        (row.na1, row.ca1) = split(sa1, is_round);
        (row.ne1, row.ce1) = split(se1, is_round);
        (row.na2, row.ca2) = split(sa2, is_round);
        (row.ne2, row.ce2) = split(se2, is_round);
        row.w = win.map(Val::from_u32);
        row.w1b = bits(win[1]);
        row.w2b = bits(win[2]);
        row.w14b = bits(win[14]);
        row.w15b = bits(win[15]);
        let sum1 = small_sigma1(win[14]) as u64
            + win[9] as u64
            + small_sigma0(win[1]) as u64
            + win[0] as u64;
        let sum2 = small_sigma1(win[15]) as u64
            + win[10] as u64
            + small_sigma0(win[2]) as u64
            + win[1] as u64;
        (row.wn1, row.cw1) = split(sum1, r < 24);
        (row.wn2, row.cw2) = split(sum2, r < 24);
        row.hin = hin.map(Val::from_u32);
        if r == 32 {
            row.co = std::array::from_fn(|i| Val::from_u64((rw.v[i] as u64 + hin[i] as u64) >> 32));
        }
        row.addr = Val::from_u64(c.addr);
        row.state_ptr = Val::from_u64(c.state_ptr);
        row.input_ptr = Val::from_u64(c.input_ptr);
        row.step = Val::from_u64(c.step);
        row.active = Val::from_bool(active);
        row.do_read = Val::from_bool(active && r == 0);
        row.do_write = Val::from_bool(active && r == BLOCK_ROWS - 1);
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

    use p3_air::Air;
    use p3_field::PrimeField64;
    use p3_matrix::Matrix;
    use rand::{rngs::StdRng, Rng, SeedableRng};
    use zisk_generated::support::PilAir;
    use zisk_generated::zisk::sha256f::NUM_SHA256F_PUBLIC_VALUES;

    use super::*;
    use crate::check::ConstraintChecker;

    /// The indices of the rows of `trace` on which some Sha256f constraint fails.
    fn failing_rows(trace: &RowMajorMatrix<Val>) -> Vec<usize> {
        let h = trace.height();
        let fixed = zisk_generated::support::fixed_trace(Sha256fAir.fixed_columns(), h);
        let fw = fixed.width();
        let publics = vec![Val::ZERO; NUM_SHA256F_PUBLIC_VALUES];
        let w = NUM_SHA256F_COLS;
        (0..h)
            .filter(|&r| {
                let n = (r + 1) % h;
                let mut checker = ConstraintChecker::new(
                    (&trace.values[r * w..][..w], &trace.values[n * w..][..w]),
                    (&fixed.values[r * fw..][..fw], &fixed.values[n * fw..][..fw]),
                    &publics,
                    &[],
                    r,
                    h,
                );
                Sha256fAir.eval(&mut checker);
                !checker.failed_constraints().is_empty()
            })
            .collect()
    }

    /// Seeded random calls (and the padding after them) satisfy every constraint on every row,
    /// and one flipped bit of a round's state breaks some.
    #[test]
    fn blocks_satisfy_the_constraints() {
        let mut rng = StdRng::seed_from_u64(5);
        let calls: Vec<Sha256Call> = (0..3)
            .map(|i| Sha256Call {
                step: 10 + i,
                addr: 0x1000,
                state_ptr: 0x2000,
                input_ptr: 0x3000,
                state: std::array::from_fn(|_| rng.gen()),
                input: std::array::from_fn(|_| rng.gen()),
            })
            .collect();
        let mut trace = sha256f_trace(&calls);
        assert_eq!(failing_rows(&trace), Vec::<usize>::new());
        let row: &mut Sha256fRow<Val> =
            trace.values[40 * NUM_SHA256F_COLS..][..NUM_SHA256F_COLS].borrow_mut();
        row.e[9] = Val::ONE - row.e[9];
        assert!(!failing_rows(&trace).is_empty());
    }

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
            let x = row(r);
            let (d, h) = if r == BLOCK_ROWS - 1 {
                (word(&x.ma), word(&x.me))
            } else {
                (x.d.as_canonical_u64(), x.h.as_canonical_u64())
            };
            [
                word(&x.a) | word(&x.b) << 32,
                word(&x.c) | d << 32,
                word(&x.e) | word(&x.f) << 32,
                word(&x.g) | h << 32,
            ]
        };
        assert_eq!(state(0), call.state);
        assert_eq!(state(BLOCK_ROWS - 1), call.output());
        assert_eq!(row(0).do_read, Val::ONE);
        assert_eq!(row(BLOCK_ROWS - 1).do_write, Val::ONE);
        assert_eq!(row(BLOCK_ROWS).active, Val::ZERO);
    }
}
