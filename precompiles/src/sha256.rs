//! The SHA-256 compression function (FIPS 180-4 §6.2.2) and its precompile form on u64 words.

/// The 64 round constants.
pub const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// The initial hash value `H(0)` of SHA-256.
pub const SHA256_IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// Compresses one block, given as its 16 big-endian message words, into `state`.
pub fn compress_words(state: &mut [u32; 8], block: &[u32; 16]) {
    let mut w = [0u32; 64];
    w[..16].copy_from_slice(block);
    for t in 16..64 {
        let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
        let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16]
            .wrapping_add(s0)
            .wrapping_add(w[t - 7])
            .wrapping_add(s1);
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    for t in 0..64 {
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let ch = (e & f) ^ (!e & g);
        let t1 = h
            .wrapping_add(s1)
            .wrapping_add(ch)
            .wrapping_add(K[t])
            .wrapping_add(w[t]);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let maj = (a & b) ^ (a & c) ^ (b & c);
        let t2 = s0.wrapping_add(maj);
        h = g;
        g = f;
        f = e;
        e = d.wrapping_add(t1);
        d = c;
        c = b;
        b = a;
        a = t1.wrapping_add(t2);
    }
    for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *s = s.wrapping_add(v);
    }
}

/// Compresses one 64-byte block into `state`.
pub fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    let mut words = [0u32; 16];
    for (w, chunk) in words.iter_mut().zip(block.chunks_exact(4)) {
        *w = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    compress_words(state, &words);
}

/// The precompile: `state` holds `H0..H7` two per word (`H(2i)` low), `input` the block as
/// eight big-endian u64 words (see [`crate::abi::SHA256_INPUT_WORDS`]).
pub fn sha256_f(state: &mut [u64; 4], input: &[u64; 8]) {
    let mut h = [0u32; 8];
    for (i, &s) in state.iter().enumerate() {
        h[2 * i] = s as u32;
        h[2 * i + 1] = (s >> 32) as u32;
    }
    let mut words = [0u32; 16];
    for (i, &x) in input.iter().enumerate() {
        words[2 * i] = (x >> 32) as u32;
        words[2 * i + 1] = x as u32;
    }
    compress_words(&mut h, &words);
    for (i, s) in state.iter_mut().enumerate() {
        *s = h[2 * i] as u64 | (h[2 * i + 1] as u64) << 32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_message_digest() {
        // The padded empty message is 0x80 followed by zeros: input word 0 is 1 << 63.
        let mut state = [0u64; 4];
        for i in 0..4 {
            state[i] = SHA256_IV[2 * i] as u64 | (SHA256_IV[2 * i + 1] as u64) << 32;
        }
        let mut input = [0u64; 8];
        input[0] = 1 << 63;
        sha256_f(&mut state, &input);
        let expected: [u32; 8] = [
            0xe3b0c442, 0x98fc1c14, 0x9afbf4c8, 0x996fb924, 0x27ae41e4, 0x649b934c, 0xa495991b,
            0x7852b855,
        ];
        for i in 0..4 {
            assert_eq!(state[i] as u32, expected[2 * i]);
            assert_eq!((state[i] >> 32) as u32, expected[2 * i + 1]);
        }
    }
}
