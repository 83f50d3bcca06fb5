//! A drop-in replacement for the `tiny-keccak` crate's Keccak, SHA-3 and SHAKE hashers in ZisK
//! guests: the same API (`Keccak::v256()`, the `Hasher` and `Xof` traits, `keccakf`) with every
//! permutation done by the keccak-f precompile (`ziskos::syscalls::syscall_keccak_f`).
//!
//! Use it without changing the program's source by patching crates.io in the guest's workspace:
//!
//! ```toml
//! [patch.crates-io]
//! tiny-keccak = { path = "<zisk>/ziskos/patches/tiny-keccak" }
//! ```

#![no_std]

use ziskos::syscalls::syscall_keccak_f;

/// Applies Keccak-f[1600] to `state` (lane `x + 5y`) with the precompile.
pub fn keccakf(state: &mut [u64; 25]) {
    // SAFETY: `state` is an exclusive, aligned [u64; 25] for the duration of the call.
    unsafe { syscall_keccak_f(state) }
}

/// A hash function: absorb with `update`, produce the output with `finalize`.
pub trait Hasher {
    /// Absorbs `input`.
    fn update(&mut self, input: &[u8]);
    /// Pads and writes the output (the digest, or as many XOF bytes as `output` holds).
    fn finalize(self, output: &mut [u8]);
}

/// An extendable-output function.
pub trait Xof {
    /// Writes the next `output.len()` bytes of the output stream.
    fn squeeze(&mut self, output: &mut [u8]);
}

/// Turns a hasher into an extendable-output function.
pub trait IntoXof {
    /// The XOF.
    type Xof: Xof;
    /// Pads the absorbed input and starts squeezing.
    fn into_xof(self) -> Self::Xof;
}

/// The Keccak sponge over the precompile: `rate` bytes per block, domain byte `delim`.
#[derive(Clone)]
struct Sponge {
    state: [u64; 25],
    rate: usize,
    offset: usize,
    delim: u8,
    squeezing: bool,
}

impl Sponge {
    const fn new(rate: usize, delim: u8) -> Self {
        Sponge {
            state: [0; 25],
            rate,
            offset: 0,
            delim,
            squeezing: false,
        }
    }

    fn xor_byte(&mut self, i: usize, byte: u8) {
        self.state[i / 8] ^= (byte as u64) << (8 * (i % 8));
    }

    fn absorb(&mut self, mut input: &[u8]) {
        while !input.is_empty() {
            if self.offset & 7 == 0 && input.len() >= 8 && self.offset + 8 <= self.rate {
                // Whole lanes at a time.
                let lanes = ((self.rate - self.offset) / 8).min(input.len() / 8);
                for k in 0..lanes {
                    let word = u64::from_le_bytes(input[8 * k..8 * k + 8].try_into().unwrap());
                    self.state[self.offset / 8 + k] ^= word;
                }
                self.offset += 8 * lanes;
                input = &input[8 * lanes..];
            } else {
                self.xor_byte(self.offset, input[0]);
                self.offset += 1;
                input = &input[1..];
            }
            if self.offset == self.rate {
                keccakf(&mut self.state);
                self.offset = 0;
            }
        }
    }

    fn pad(&mut self) {
        self.xor_byte(self.offset, self.delim);
        self.xor_byte(self.rate - 1, 0x80);
        keccakf(&mut self.state);
        self.offset = 0;
        self.squeezing = true;
    }

    fn squeeze(&mut self, output: &mut [u8]) {
        if !self.squeezing {
            self.pad();
        }
        for byte in output {
            if self.offset == self.rate {
                keccakf(&mut self.state);
                self.offset = 0;
            }
            *byte = (self.state[self.offset / 8] >> (8 * (self.offset % 8))) as u8;
            self.offset += 1;
        }
    }
}

macro_rules! fixed_hasher {
    ($name:ident, $delim:expr, $doc:expr, $( $ctor:ident => $bits:expr ),*) => {
        #[doc = $doc]
        #[derive(Clone)]
        pub struct $name {
            sponge: Sponge,
        }

        impl $name {
            $(
                #[doc = concat!("The ", stringify!($bits), "-bit variant.")]
                pub const fn $ctor() -> Self {
                    $name { sponge: Sponge::new(200 - $bits / 4, $delim) }
                }
            )*
        }

        impl Hasher for $name {
            fn update(&mut self, input: &[u8]) {
                self.sponge.absorb(input);
            }

            fn finalize(mut self, output: &mut [u8]) {
                self.sponge.squeeze(output);
            }
        }

        impl IntoXof for $name {
            type Xof = $name;

            fn into_xof(mut self) -> Self::Xof {
                self.sponge.pad();
                self
            }
        }

        impl Xof for $name {
            fn squeeze(&mut self, output: &mut [u8]) {
                self.sponge.squeeze(output);
            }
        }
    };
}

#[cfg(feature = "keccak")]
fixed_hasher!(
    Keccak, 0x01, "Keccak with the original padding (as Ethereum uses it).",
    v224 => 224, v256 => 256, v384 => 384, v512 => 512
);

#[cfg(feature = "sha3")]
fixed_hasher!(
    Sha3, 0x06, "SHA-3 (FIPS 202).",
    v224 => 224, v256 => 256, v384 => 384, v512 => 512
);

#[cfg(feature = "shake")]
fixed_hasher!(
    Shake, 0x1f, "SHAKE, the extendable-output functions of FIPS 202.",
    v128 => 128, v256 => 256
);
