//! A drop-in replacement for the `k256` crate's ECDSA signature verification in ZisK guests: the
//! same API (`k256::ecdsa::{Signature, VerifyingKey, Error}`, `signature::Verifier` and
//! `signature::hazmat::PrehashVerifier`) with the curve arithmetic done by the secp256k1_add and
//! secp256k1_dbl precompiles and the arithmetic modulo the group order by arith256_mod
//! (`ziskos::syscalls`).
//!
//! Use it without changing the program's source by patching crates.io in the guest's workspace:
//!
//! ```toml
//! [patch.crates-io]
//! k256 = { path = "<zisk>/ziskos/patches/k256" }
//! ```
//!
//! ```
//! use k256::ecdsa::signature::Verifier;
//! use k256::ecdsa::{Signature, VerifyingKey};
//!
//! // G (secret key 1) and the RFC 6979 signature of "Satoshi Nakamoto".
//! let key = VerifyingKey::from_sec1_bytes(&[
//!     0x02, 0x79, 0xbe, 0x66, 0x7e, 0xf9, 0xdc, 0xbb, 0xac, 0x55, 0xa0, 0x62, 0x95, 0xce, 0x87,
//!     0x0b, 0x07, 0x02, 0x9b, 0xfc, 0xdb, 0x2d, 0xce, 0x28, 0xd9, 0x59, 0xf2, 0x81, 0x5b, 0x16,
//!     0xf8, 0x17, 0x98,
//! ])?;
//! let sig = Signature::from_slice(&[
//!     0x93, 0x4b, 0x1e, 0xa1, 0x0a, 0x4b, 0x3c, 0x17, 0x57, 0xe2, 0xb0, 0xc0, 0x17, 0xd0, 0xb6,
//!     0x14, 0x3c, 0xe3, 0xc9, 0xa7, 0xe6, 0xa4, 0xa4, 0x98, 0x60, 0xd7, 0xa6, 0xab, 0x21, 0x0e,
//!     0xe3, 0xd8, 0x24, 0x42, 0xce, 0x9d, 0x2b, 0x91, 0x60, 0x64, 0x10, 0x80, 0x14, 0x78, 0x3e,
//!     0x92, 0x3e, 0xc3, 0x6b, 0x49, 0x74, 0x3e, 0x2f, 0xfa, 0x1c, 0x44, 0x96, 0xf0, 0x1a, 0x51,
//!     0x2a, 0xaf, 0xd9, 0xe5,
//! ])?;
//! key.verify(b"Satoshi Nakamoto", &sig)?;
//! assert!(key.verify(b"Satoshi Nakamoto!", &sig).is_err());
//! # Ok::<(), k256::ecdsa::Error>(())
//! ```
//!
//! Verification follows k256 0.13: `r` and `s` must be in `[1, n-1]` (else parsing fails), a
//! signature whose `s` is above `n/2` does not verify (`Signature::normalize_s` gives the low-S
//! form), messages are hashed with SHA-256, and public keys are SEC1 points on the curve other
//! than the identity. Signing, key generation, ECDH, Schnorr and the `ProjectivePoint` /
//! `Scalar` arithmetic types are not provided. Natively the syscalls run on the host, so the
//! crate also works (slowly) outside the zkVM.

#![no_std]

#[cfg(feature = "alloc")]
extern crate alloc;

mod arith;
pub mod ecdsa;
mod point;
