//! A drop-in replacement for the `sha2` crate's SHA-224 and SHA-256 in ZisK guests: the same
//! types (`Sha256`, `Sha224`, `Digest`, `compress256`) with every block compressed by the
//! sha256-f precompile (`ziskos::syscalls::syscall_sha256_f`).
//!
//! Use it without changing the program's source by patching crates.io in the guest's workspace:
//!
//! ```toml
//! [patch.crates-io]
//! sha2 = { path = "<zisk>/ziskos/patches/sha2" }
//! ```
//!
//! The hashing state machinery (buffering, padding, the `Digest` trait) is the `digest` crate's;
//! natively the syscall runs on the host, so the crate also works (slowly) outside the zkVM.

#![no_std]

pub use digest::{self, Digest};

use core::fmt;
use digest::block_buffer::Eager;
use digest::consts::{U28, U32, U64};
use digest::core_api::{
    AlgorithmName, Block, BlockSizeUser, Buffer, BufferKindUser, CoreWrapper, FixedOutputCore,
    OutputSizeUser, Reset, UpdateCore,
};
use digest::generic_array::GenericArray;
use digest::{HashMarker, Output};
use ziskos::syscalls::{syscall_sha256_f, SyscallSha256Params};

/// The initial hash value of SHA-256.
const IV256: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// The initial hash value of SHA-224.
const IV224: [u32; 8] = [
    0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4,
];

/// The precompile's state layout: `H(2i)` in the low half of word `i`.
fn pack(h: &[u32; 8]) -> [u64; 4] {
    core::array::from_fn(|i| h[2 * i] as u64 | (h[2 * i + 1] as u64) << 32)
}

fn unpack(s: &[u64; 4]) -> [u32; 8] {
    core::array::from_fn(|i| (s[i / 2] >> (32 * (i % 2))) as u32)
}

/// Compresses one 64-byte block into the packed state with the precompile.
fn compress_block(state: &mut [u64; 4], block: &[u8]) {
    let input: [u64; 8] =
        core::array::from_fn(|i| u64::from_be_bytes(block[8 * i..8 * i + 8].try_into().unwrap()));
    syscall_sha256_f(&mut SyscallSha256Params {
        state,
        input: &input,
    });
}

/// The SHA-256 compression function applied to each of `blocks` (the `sha2::compress256` API).
pub fn compress256(state: &mut [u32; 8], blocks: &[GenericArray<u8, U64>]) {
    let mut packed = pack(state);
    for block in blocks {
        compress_block(&mut packed, block);
    }
    *state = unpack(&packed);
}

macro_rules! sha256_family {
    ($core:ident, $wrapper:ident, $iv:expr, $out:ty, $words:expr, $name:expr) => {
        #[doc = concat!("The block-level core of ", $name, ".")]
        #[derive(Clone)]
        pub struct $core {
            state: [u64; 4],
            blocks: u64,
        }

        #[doc = concat!($name, " (patched: compressed by the ZisK sha256-f precompile).")]
        pub type $wrapper = CoreWrapper<$core>;

        impl Default for $core {
            fn default() -> Self {
                $core {
                    state: pack(&$iv),
                    blocks: 0,
                }
            }
        }

        impl HashMarker for $core {}

        impl BlockSizeUser for $core {
            type BlockSize = U64;
        }

        impl BufferKindUser for $core {
            type BufferKind = Eager;
        }

        impl OutputSizeUser for $core {
            type OutputSize = $out;
        }

        impl UpdateCore for $core {
            fn update_blocks(&mut self, blocks: &[Block<Self>]) {
                self.blocks += blocks.len() as u64;
                for block in blocks {
                    compress_block(&mut self.state, block);
                }
            }
        }

        impl FixedOutputCore for $core {
            fn finalize_fixed_core(&mut self, buffer: &mut Buffer<Self>, out: &mut Output<Self>) {
                let bits = 8 * (self.blocks * 64 + buffer.get_pos() as u64);
                let state = &mut self.state;
                buffer.len64_padding_be(bits, |block| compress_block(state, block));
                let h = unpack(state);
                for (chunk, word) in out.chunks_exact_mut(4).zip(&h[..$words]) {
                    chunk.copy_from_slice(&word.to_be_bytes());
                }
            }
        }

        impl Reset for $core {
            fn reset(&mut self) {
                *self = Self::default();
            }
        }

        impl AlgorithmName for $core {
            fn write_alg_name(f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str($name)
            }
        }

        impl fmt::Debug for $core {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!($name, "Core { ... }"))
            }
        }
    };
}

sha256_family!(Sha256Core, Sha256, IV256, U32, 8, "Sha256");
sha256_family!(Sha224Core, Sha224, IV224, U28, 7, "Sha224");
