//! Execution of the precompile instructions (zisk-spec §2.2): the pointer walk over guest memory
//! and the call into the host semantics of `zisk-precompiles`.
//!
//! All reads go through the memory backend before any write, in a fixed order (the pointer block,
//! then each operand in the order of the ABI), so trace mode records exactly the words a
//! precompile reads and `replay_chunk` re-executes it from them. Writes are aligned u64 stores,
//! so permission errors (read-only data, the input) carry the precompile's pc.

use crate::error::EmuError;
use crate::mem::MemBackend;
use crate::ops;
use zisk_precompiles::abi::*;
use zisk_precompiles::{arith256, secp256k1, PrecompileError};

/// Whether `op` is a precompile this VM executes.
pub fn is_precompile(op: u8) -> bool {
    PRECOMPILES.iter().any(|&(_, code, _)| code == op)
}

/// Reads and writes aligned words on behalf of one precompile call.
struct Access<'m, M> {
    mem: &'m mut M,
    op: u8,
    pc: u64,
}

impl<M: MemBackend> Access<'_, M> {
    fn error(&self, source: PrecompileError) -> EmuError {
        EmuError::Precompile {
            op: self.op,
            pc: self.pc,
            source,
        }
    }

    fn aligned(&self, addr: u64) -> Result<(), EmuError> {
        if addr & 7 != 0 {
            return Err(self.error(PrecompileError::Unaligned { addr }));
        }
        Ok(())
    }

    fn read<const N: usize>(&mut self, addr: u64) -> Result<[u64; N], EmuError> {
        self.aligned(addr)?;
        let mut words = [0u64; N];
        for (i, w) in words.iter_mut().enumerate() {
            *w = self.mem.read(addr.wrapping_add(8 * i as u64), 8, self.pc)?;
        }
        Ok(words)
    }

    fn write(&mut self, addr: u64, words: &[u64]) -> Result<(), EmuError> {
        self.aligned(addr)?;
        for (i, &w) in words.iter().enumerate() {
            self.mem
                .write(addr.wrapping_add(8 * i as u64), 8, w, self.pc)?;
        }
        Ok(())
    }

    fn check<T>(&self, r: Result<T, PrecompileError>) -> Result<T, EmuError> {
        r.map_err(|e| self.error(e))
    }
}

/// Executes precompile `op` on the memory `ptr` points to (the instruction's `b`).
pub fn execute<M: MemBackend>(op: u8, ptr: u64, mem: &mut M, pc: u64) -> Result<(), EmuError> {
    let mut m = Access { mem, op, pc };
    match op {
        OP_KECCAK => {
            let mut state: [u64; KECCAK_WORDS] = m.read(ptr)?;
            zisk_precompiles::keccak_f(&mut state);
            m.write(ptr, &state)
        }
        OP_SHA256 => {
            let [state_p, input_p]: [u64; SHA256_PARAMS] = m.read(ptr)?;
            let mut state: [u64; SHA256_STATE_WORDS] = m.read(state_p)?;
            let input: [u64; SHA256_INPUT_WORDS] = m.read(input_p)?;
            zisk_precompiles::sha256_f(&mut state, &input);
            m.write(state_p, &state)
        }
        OP_ARITH256 => {
            let [a_p, b_p, c_p, dl_p, dh_p]: [u64; ARITH256_PARAMS] = m.read(ptr)?;
            let a: [u64; U256_WORDS] = m.read(a_p)?;
            let b: [u64; U256_WORDS] = m.read(b_p)?;
            let c: [u64; U256_WORDS] = m.read(c_p)?;
            m.aligned(dl_p)?;
            m.aligned(dh_p)?;
            let (dl, dh) = arith256::arith256(&a, &b, &c);
            m.write(dl_p, &dl)?;
            m.write(dh_p, &dh)
        }
        OP_ARITH256_MOD => {
            let [a_p, b_p, c_p, m_p, d_p]: [u64; ARITH256_MOD_PARAMS] = m.read(ptr)?;
            let a: [u64; U256_WORDS] = m.read(a_p)?;
            let b: [u64; U256_WORDS] = m.read(b_p)?;
            let c: [u64; U256_WORDS] = m.read(c_p)?;
            let modulus: [u64; U256_WORDS] = m.read(m_p)?;
            m.aligned(d_p)?;
            let d = m.check(arith256::arith256_mod(&a, &b, &c, &modulus))?;
            m.write(d_p, &d)
        }
        OP_SECP256K1_ADD => {
            let [p1_p, p2_p]: [u64; SECP256K1_ADD_PARAMS] = m.read(ptr)?;
            let p1: [u64; POINT256_WORDS] = m.read(p1_p)?;
            let p2: [u64; POINT256_WORDS] = m.read(p2_p)?;
            let r = m.check(secp256k1::secp256k1_add(&p1, &p2))?;
            m.write(p1_p, &r)
        }
        OP_SECP256K1_DBL => {
            let p: [u64; POINT256_WORDS] = m.read(ptr)?;
            let r = m.check(secp256k1::secp256k1_dbl(&p))?;
            m.write(ptr, &r)
        }
        _ => Err(EmuError::Unsupported {
            name: ops::op_name(op),
            pc,
        }),
    }
}
