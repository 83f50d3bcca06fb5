//! Why a precompile call has no defined result.

use thiserror::Error;

/// A precompile call the VM refuses (ZisK leaves these cases undefined or unprovable).
///
/// Kept small (16 bytes): it travels inside the emulator's `EmuError`, whose size matters to the
/// interpreter loop.
#[derive(Clone, Copy, Debug, Error, PartialEq, Eq)]
pub enum PrecompileError {
    /// arith256_mod with `m = 0`.
    #[error("modulus is zero")]
    ZeroModulus,
    /// secp256k1_add of two points with the same x coordinate (doubling or `P + (-P)`).
    #[error("points have the same x coordinate (use secp256k1_dbl to double a point)")]
    EqualX,
    /// secp256k1_dbl of a point with `y = 0` (the tangent is vertical).
    #[error("cannot double a point with y = 0")]
    ZeroY,
    /// A pointer that is not 8-byte aligned.
    #[error("pointer {addr:#x} is not 8-byte aligned")]
    Unaligned {
        /// The pointer.
        addr: u64,
    },
}
