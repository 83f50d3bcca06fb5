//! Helpers shared by the integration tests: assembling guest programs with the RISC-V cross
//! toolchain, running them in the ZisK emulator and under `qemu-riscv64`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use zisk_vm::{transpile_elf, EmuError, Emulator, RunOptions, RunResult};

/// The cross compiler; `RISCV_GCC` overrides the name.
pub fn gcc() -> String {
    let gcc = std::env::var("RISCV_GCC").unwrap_or_else(|_| "riscv64-unknown-elf-gcc".into());
    match Command::new(&gcc).arg("--version").output() {
        Ok(out) if out.status.success() => gcc,
        _ => panic!(
            "`{gcc}` is not available: these tests assemble RISC-V programs at test time; \
             install the cross toolchain (Debian/Ubuntu: `apt-get install gcc-riscv64-unknown-elf`)"
        ),
    }
}

/// The RISC-V Linux user-mode emulator; `QEMU_RISCV64` overrides the name.
pub fn qemu() -> String {
    let qemu = std::env::var("QEMU_RISCV64").unwrap_or_else(|_| "qemu-riscv64".into());
    match Command::new(&qemu).arg("--version").output() {
        Ok(out) if out.status.success() => qemu,
        _ => panic!(
            "`{qemu}` is not available: these tests check expected values against QEMU; \
             install it (Debian/Ubuntu: `apt-get install qemu-user`)"
        ),
    }
}

/// The directory holding the conformance programs, the header and the linker script.
pub fn asm_dir() -> PathBuf {
    // Also compiled into other crates' tests (the prover proves these programs): locate the
    // directory from this file, not from the crate being tested.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("vm")
        .join("tests")
        .join("asm")
}

/// A scratch directory for one test, removed when dropped unless the test is failing (then
/// its programs stay under `target/tmp/zisk-vm-tests/` for inspection).
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// A fresh scratch directory for one test.
pub fn scratch_dir(name: &str) -> Scratch {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("zisk-vm-tests")
        .join(format!("{name}-{}-{n}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("remove old scratch dir");
    }
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    Scratch(dir)
}

/// Assembles and links `src` (a `.S` file) into `out` with the guest memory layout; `extra`
/// adds flags (defines, `-march`). Panics with the compiler's messages on failure.
pub fn assemble(src: &Path, out: &Path, extra: &[&str]) -> Vec<u8> {
    let asm = asm_dir();
    let mut cmd = Command::new(gcc());
    cmd.args([
        "-march=rv64imac_zicsr_zifencei",
        "-mabi=lp64",
        "-nostdlib",
        "-nostartfiles",
        "-static",
        "-g",
        "-Wl,--no-relax",
    ])
    .arg("-T")
    .arg(asm.join("link.ld"))
    .arg("-I")
    .arg(&asm)
    .args(extra)
    .arg("-o")
    .arg(out)
    .arg(src);
    let output = cmd.output().expect("run the RISC-V compiler");
    assert!(
        output.status.success(),
        "assembling {} failed:\n{}",
        src.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read(out).expect("read the linked ELF")
}

/// Writes `text` to `dir/name.S` and assembles it into `dir/name.elf`.
pub fn assemble_text(dir: &Path, name: &str, text: &str, extra: &[&str]) -> (PathBuf, Vec<u8>) {
    let src = dir.join(format!("{name}.S"));
    std::fs::write(&src, text).expect("write assembly source");
    let elf = dir.join(format!("{name}.elf"));
    let bytes = assemble(&src, &elf, extra);
    (elf, bytes)
}

/// Console output captured from a run.
#[derive(Clone, Default)]
pub struct Console(Arc<Mutex<Vec<u8>>>);

impl Console {
    /// Everything written so far.
    pub fn contents(&self) -> Vec<u8> {
        self.0.lock().expect("console lock").clone()
    }
}

impl Write for Console {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("console lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Transpiles `elf` and runs it on `input` in fast mode.
pub fn run_vm(elf: &[u8], input: &[u8], opts: &RunOptions) -> Result<RunResult, EmuError> {
    run_vm_console(elf, input, opts).0
}

/// Like [`run_vm`], also returning the console output.
pub fn run_vm_console(
    elf: &[u8],
    input: &[u8],
    opts: &RunOptions,
) -> (Result<RunResult, EmuError>, Vec<u8>) {
    let rom = transpile_elf(elf).expect("transpile the test program");
    let emu = Emulator::new(&rom);
    let console = Console::default();
    let r = emu.run(input, opts, Box::new(console.clone()));
    (r, console.contents())
}

/// Runs `elf` under qemu-riscv64 and returns its stdout; panics unless it exits with 0.
pub fn run_qemu(elf: &Path) -> Vec<u8> {
    let out = Command::new(qemu())
        .arg(elf)
        .output()
        .expect("run qemu-riscv64");
    assert!(
        out.status.success(),
        "qemu-riscv64 {} failed ({}):\n{}",
        elf.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `file:line` of `addr` in `elf` (from the DWARF line table), or `?`.
pub fn source_line(elf: &Path, addr: u64) -> String {
    let tool = gcc().replace("gcc", "addr2line");
    Command::new(tool)
        .arg("-e")
        .arg(elf)
        .arg(format!("{addr:#x}"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "?".into())
}
