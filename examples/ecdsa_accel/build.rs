//! Writes the default input, `build/input.bin`: n = 4 (each signed message once) as a
//! little-endian u64.
use std::fs;
use std::io;
use std::path::Path;

fn main() -> io::Result<()> {
    let n: u64 = 4;
    let dir = Path::new("build");
    fs::create_dir_all(dir)?;
    fs::write(dir.join("input.bin"), n.to_le_bytes())
}
