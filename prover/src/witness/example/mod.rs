//! Fillers of the example machines in `pil/example/`.

pub mod fibonacci_sq;
pub mod mini_binary;
