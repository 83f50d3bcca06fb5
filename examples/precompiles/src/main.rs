//! Calls every precompile through `ziskos::syscalls`: 2^k·G + G on secp256k1 by k doublings and
//! one addition, then arith256 and arith256_mod on values derived from the point. Input: k as a
//! little-endian u64. Outputs: slots 0..16 the point (x then y, u32 limbs, least significant
//! first), 16..24 dl, 24..32 dh, 32..40 d, 40..48 the first four lanes after keccak-f,
//! 48..56 the sha256-f state.

#![no_main]
ziskos::entrypoint!(main);

use ziskos::syscalls::*;

/// The secp256k1 generator.
const G: SyscallPoint256 = SyscallPoint256 {
    x: [
        0x59F2815B16F81798,
        0x029BFCDB2DCE28D9,
        0x55A06295CE870B07,
        0x79BE667EF9DCBBAC,
    ],
    y: [
        0x9C47D08FFB10D4B8,
        0xFD17B448A6855419,
        0x5DA4FBFC0E1108A8,
        0x483ADA7726A3C465,
    ],
};

/// secp256k1's field modulus.
const P: [u64; 4] = [
    0xFFFFFFFEFFFFFC2F,
    u64::MAX,
    u64::MAX,
    u64::MAX,
];

fn out(slot: usize, words: &[u64]) {
    for (i, w) in words.iter().enumerate() {
        ziskos::set_output(slot + 2 * i, *w as u32);
        ziskos::set_output(slot + 2 * i + 1, (*w >> 32) as u32);
    }
}

fn main() {
    let input = ziskos::read_input();
    let k = u64::from_le_bytes(input.try_into().expect("input: k as 8 bytes"));

    let mut p = G;
    for _ in 0..k {
        syscall_secp256k1_dbl(&mut p);
    }
    syscall_secp256k1_add(&mut SyscallSecp256k1AddParams { p1: &mut p, p2: &G });
    out(0, &p.x);
    out(8, &p.y);

    let (mut dl, mut dh) = ([0u64; 4], [0u64; 4]);
    syscall_arith256(&mut SyscallArith256Params {
        a: &p.x,
        b: &p.y,
        c: &[u64::MAX; 4],
        dl: &mut dl,
        dh: &mut dh,
    });
    out(16, &dl);
    out(24, &dh);

    let mut d = [0u64; 4];
    syscall_arith256_mod(&mut SyscallArith256ModParams {
        a: &dl,
        b: &dh,
        c: &p.x,
        module: &P,
        d: &mut d,
    });
    out(32, &d);

    let mut lanes = [0u64; 25];
    lanes[..4].copy_from_slice(&d);
    // SAFETY: `lanes` is an exclusive, aligned [u64; 25].
    unsafe { syscall_keccak_f(&mut lanes) };
    out(40, &lanes[..4]);

    let mut state = [lanes[4], lanes[5], lanes[6], lanes[7]];
    let block = [lanes[8], lanes[9], lanes[10], lanes[11], lanes[12], lanes[13], lanes[14], k];
    syscall_sha256_f(&mut SyscallSha256Params {
        state: &mut state,
        input: &block,
    });
    out(48, &state);
}
