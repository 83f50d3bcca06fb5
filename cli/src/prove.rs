//! The proving commands of `cargo-zisk`: `check-setup`, `rom-setup`, `clean`,
//! `verify-constraints`, `prove` and `verify`, on top of [`zisk_prover::zkvm`].
//!
//! Files: the shared proving key lives in `~/.zisk/provingKey` (only its verifying key is stored;
//! loading recomputes the fixed columns), a program's setup in
//! `~/.zisk/cache/<sha256 of the ELF>.romkey.json`, and a proof in `OUT/proofs/` with the
//! statement in `OUT/publics.json`.

use std::cell::RefCell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zisk_prover::keys::{KeyFileError, VK_FILE};
use zisk_prover::zkvm::{Program, ProgramKey, Zkvm, ZkvmError, ZkvmOptions, NUM_OUTPUTS};
use zisk_prover::{verify_constraints, Proof, ProvingKey, StarkParams, VerifyingKey};
use zisk_vm::{Emulator, RunOptions};

/// Name of the final proof inside `OUT/proofs/`, without extension.
pub const PROOF_NAME: &str = "vadcop_final_proof";

/// `~/.zisk`.
pub fn zisk_home() -> anyhow::Result<PathBuf> {
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .context("HOME is not set; cannot locate ~/.zisk")?;
    Ok(PathBuf::from(home).join(".zisk"))
}

/// The proving key directory: `dir`, or `~/.zisk/provingKey`.
pub fn key_dir(dir: Option<&Path>) -> anyhow::Result<PathBuf> {
    match dir {
        Some(dir) => Ok(dir.to_path_buf()),
        None => Ok(zisk_home()?.join("provingKey")),
    }
}

/// `~/.zisk/cache`.
pub fn cache_dir() -> anyhow::Result<PathBuf> {
    Ok(zisk_home()?.join("cache"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn has_key(dir: &Path) -> bool {
    dir.join(VK_FILE).is_file()
}

fn key_error(dir: &Path, e: KeyFileError) -> anyhow::Error {
    match e {
        KeyFileError::Mismatch { .. } | KeyFileError::UnsupportedVersion { .. } => anyhow!(
            "{e}; the proving key in {} was made for other AIRs or another version: delete it \
             and rerun `cargo-zisk check-setup` to rebuild it",
            dir.display()
        ),
        e => anyhow!("cannot load the proving key in {}: {e}", dir.display()),
    }
}

/// Builds the shared proving key into `dir`.
fn build_key(zkvm: &Zkvm, dir: &Path) -> anyhow::Result<ProvingKey> {
    let t = Instant::now();
    let pk = zkvm
        .setup(StarkParams::default())
        .context("cannot build the proving key")?;
    pk.save(dir)
        .with_context(|| format!("cannot write the proving key to {}", dir.display()))?;
    eprintln!(
        "Built the proving key in {} ({} AIRs, vk digest {}) in {:.2?}",
        dir.display(),
        pk.vk.airs.len(),
        hex(&pk.vk.digest[..8]),
        t.elapsed()
    );
    Ok(pk)
}

/// Loads the proving key in `dir`, building it first when there is none.
fn load_or_build_key(zkvm: &Zkvm, dir: &Path) -> anyhow::Result<ProvingKey> {
    if !has_key(dir) {
        eprintln!(
            "No proving key in {}; building it (this is done once)",
            dir.display()
        );
        return build_key(zkvm, dir);
    }
    let t = Instant::now();
    let pk = ProvingKey::load(dir, zkvm.airs()).map_err(|e| key_error(dir, e))?;
    eprintln!(
        "Loaded the proving key from {} in {:.2?}",
        dir.display(),
        t.elapsed()
    );
    Ok(pk)
}

/// `cargo-zisk check-setup`.
pub fn check_setup(dir: Option<&Path>, aggregation: bool) -> anyhow::Result<()> {
    let dir = key_dir(dir)?;
    let zkvm = Zkvm::new();
    if aggregation {
        eprintln!(
            "Note: -a/--aggregation needs no separate key: a proof is one file holding every \
             instance proof and the global check"
        );
    }
    if !has_key(&dir) {
        eprintln!("No proving key in {}; building it", dir.display());
        build_key(&zkvm, &dir)?;
        return Ok(());
    }
    let t = Instant::now();
    let pk = ProvingKey::load(&dir, zkvm.airs()).map_err(|e| key_error(&dir, e))?;
    println!(
        "✓ The proving key in {} matches this build ({} AIRs, {} fixed commitments, vk digest {}, \
         checked in {:.2?})",
        dir.display(),
        pk.vk.airs.len(),
        pk.vk.fixed.len(),
        hex(&pk.vk.digest[..8]),
        t.elapsed()
    );
    Ok(())
}

/// A program's setup, cached in `~/.zisk/cache/<elf_sha256[..32]>.romkey.json`.
#[derive(Serialize, Deserialize, Debug)]
pub struct RomSetup {
    /// The ELF the setup was made from (informational).
    pub elf: String,
    /// SHA-256 of the ELF's bytes (hex).
    pub elf_sha256: String,
    /// The program's verifying key.
    pub program_vk: ProgramKey,
    /// Its fingerprint.
    pub fingerprint: String,
}

fn read_elf(elf: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(elf).with_context(|| format!("cannot read the ELF {}", elf.display()))
}

fn elf_sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The cache file of an ELF whose SHA-256 is `sha`.
fn rom_setup_path(sha: &str) -> anyhow::Result<PathBuf> {
    Ok(cache_dir()?.join(format!("{}.romkey.json", &sha[..32])))
}

fn transpile(elf: &Path, bytes: &[u8]) -> anyhow::Result<Program> {
    Program::from_elf(bytes).with_context(|| format!("cannot load the program {}", elf.display()))
}

/// `cargo-zisk rom-setup`.
pub fn rom_setup(elf: &Path, dir: Option<&Path>) -> anyhow::Result<()> {
    let dir = key_dir(dir)?;
    let bytes = read_elf(elf)?;
    let program = transpile(elf, &bytes)?;
    let zkvm = Zkvm::new();
    let mut pk = load_or_build_key(&zkvm, &dir)?;
    let t = Instant::now();
    let program_vk = zkvm
        .add_program(&mut pk, &program)
        .with_context(|| format!("cannot commit the ROM of {}", elf.display()))?;
    let sha = elf_sha256(&bytes);
    let setup = RomSetup {
        elf: elf.display().to_string(),
        elf_sha256: sha.clone(),
        fingerprint: program_vk.fingerprint(),
        program_vk,
    };
    let path = rom_setup_path(&sha)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let json = serde_json::to_string_pretty(&setup).context("cannot encode the program setup")?;
    std::fs::write(&path, json).with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "ROM of {} committed in {:.2?} ({} instructions, Rom height 2^{})",
        elf.display(),
        t.elapsed(),
        program.rom.len(),
        setup.program_vk.rom_log_height
    );
    println!("Program verifying key: {}", setup.fingerprint);
    println!("Wrote {}", path.display());
    Ok(())
}

/// Reads the cached setup of an ELF, or says to run `rom-setup`.
fn cached_setup(elf: &Path, bytes: &[u8]) -> anyhow::Result<RomSetup> {
    let sha = elf_sha256(bytes);
    let path = rom_setup_path(&sha)?;
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "no program setup for {} (looked for {}); run `cargo-zisk rom-setup -e {}` first",
            elf.display(),
            path.display(),
            elf.display()
        ),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let setup: RomSetup = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is corrupt; run `cargo-zisk rom-setup -e {}` again",
            path.display(),
            elf.display()
        )
    })?;
    if setup.elf_sha256 != sha {
        bail!(
            "{} was made for another ELF; run `cargo-zisk rom-setup -e {}` again",
            path.display(),
            elf.display()
        );
    }
    Ok(setup)
}

/// Reads an input file (none: empty input).
fn read_input(input: Option<&Path>) -> anyhow::Result<Vec<u8>> {
    match input {
        Some(path) => {
            std::fs::read(path).with_context(|| format!("cannot read the input {}", path.display()))
        }
        None => Ok(Vec::new()),
    }
}

/// A console that keeps what the guest prints.
#[derive(Clone, Default)]
struct Captured(Rc<RefCell<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Explains a failed witness: a run that did not end, a panic (with what the guest printed).
fn witness_error(e: ZkvmError, program: &Program, input: &[u8], max_steps: u64) -> anyhow::Error {
    match e {
        ZkvmError::Emulation(zisk_vm::EmuError::EmulationNoCompleted) => anyhow!(
            "the program did not halt within {max_steps} steps (raise --max-steps); no proof of \
             an unfinished run"
        ),
        ZkvmError::Emulation(e) => {
            let console = Captured::default();
            let _ = Emulator::new(&program.rom).run(
                input,
                &RunOptions {
                    max_steps,
                    ..RunOptions::default()
                },
                Box::new(console.clone()),
            );
            let printed = String::from_utf8_lossy(&console.0.borrow()).to_string();
            let printed: Vec<&str> = printed
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            if printed.is_empty() {
                anyhow!("the program failed: {e}; no proof of a failed run")
            } else {
                anyhow!(
                    "the program failed: {e} (guest output: {}); no proof of a failed run",
                    printed.join(" | ")
                )
            }
        }
        e => anyhow!("cannot build the witness: {e}"),
    }
}

fn options(max_steps: Option<u64>) -> ZkvmOptions {
    let mut opts = ZkvmOptions::default();
    if let Some(max_steps) = max_steps {
        opts.max_steps = max_steps;
    }
    opts
}

fn witness_lib_note(witness_lib: Option<&Path>) {
    if let Some(lib) = witness_lib {
        eprintln!(
            "Note: -w {} ignored: the witness is built in-process, no library is needed",
            lib.display()
        );
    }
}

/// Arguments shared by `verify-constraints` and `prove`.
pub struct RunInputs<'a> {
    /// The ELF.
    pub elf: &'a Path,
    /// The input file.
    pub input: Option<&'a Path>,
    /// The proving key directory.
    pub key: Option<&'a Path>,
    /// `-w`, accepted and ignored.
    pub witness_lib: Option<&'a Path>,
    /// `--max-steps`.
    pub max_steps: Option<u64>,
}

/// `cargo-zisk verify-constraints`: false when a constraint fails (the report is printed).
pub fn verify_constraints_cmd(args: &RunInputs<'_>) -> anyhow::Result<bool> {
    witness_lib_note(args.witness_lib);
    let bytes = read_elf(args.elf)?;
    cached_setup(args.elf, &bytes)?;
    let program = transpile(args.elf, &bytes)?;
    let input = read_input(args.input)?;
    let opts = options(args.max_steps);
    let zkvm = Zkvm::new();
    let t = Instant::now();
    let witness = zkvm
        .witness(&program, &input, &opts)
        .map_err(|e| witness_error(e, &program, &input, opts.max_steps))?;
    let s = &witness.statement;
    eprintln!(
        "Witness: {} steps, {} instances in {:.2?}",
        witness.steps,
        s.instances.len(),
        t.elapsed()
    );
    eprintln!("--> Checking constraints");
    let t = Instant::now();
    match verify_constraints(
        &zkvm.program_airs(&program),
        &s.instances,
        &s.public_values,
        |i| s.traces[i].clone(),
    ) {
        Ok(()) => {
            println!("✓ All global constraints were successfully verified");
            println!("✓ All constraints were verified ({:.2?})", t.elapsed());
            Ok(true)
        }
        Err(report) => {
            println!("✗ Constraints failed:\n{report}");
            Ok(false)
        }
    }
}

fn secs(d: Duration) -> String {
    format!("{:.3}s", d.as_secs_f64())
}

/// `publics.json`: the statement a proof is verified against.
#[derive(Serialize, Deserialize, Debug)]
pub struct Publics {
    /// The program's verifying key.
    pub program_vk: ProgramKey,
    /// The 64 output slots, as `0x%08x` strings.
    pub outputs: Vec<String>,
    /// Steps executed (informational).
    #[serde(default)]
    pub steps: u64,
}

fn parse_output(i: usize, s: &str) -> anyhow::Result<u32> {
    let s = s.trim();
    let parsed = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u32::from_str_radix(h, 16),
        None => s.parse(),
    };
    parsed.map_err(|_| anyhow!("output {i} is `{s}`, not a u32 (0x%08x or decimal)"))
}

impl Publics {
    /// The outputs as numbers.
    pub fn outputs(&self) -> anyhow::Result<[u32; NUM_OUTPUTS]> {
        if self.outputs.len() != NUM_OUTPUTS {
            bail!("{} outputs, expected {NUM_OUTPUTS}", self.outputs.len());
        }
        let mut out = [0u32; NUM_OUTPUTS];
        for (i, s) in self.outputs.iter().enumerate() {
            out[i] = parse_output(i, s)?;
        }
        Ok(out)
    }
}

/// `prove` options beyond [`RunInputs`].
pub struct ProveFlags<'a> {
    /// Output directory.
    pub output: &'a Path,
    /// `-a`.
    pub aggregation: bool,
    /// `-y`.
    pub verify: bool,
}

/// `cargo-zisk prove`.
pub fn prove_cmd(args: &RunInputs<'_>, flags: &ProveFlags<'_>) -> anyhow::Result<()> {
    let total = Instant::now();
    witness_lib_note(args.witness_lib);
    let bytes = read_elf(args.elf)?;
    let setup = cached_setup(args.elf, &bytes)?;
    let program = transpile(args.elf, &bytes)?;
    let input = read_input(args.input)?;
    let opts = options(args.max_steps);
    let dir = key_dir(args.key)?;
    let zkvm = Zkvm::new();

    let witness = zkvm
        .witness(&program, &input, &opts)
        .map_err(|e| witness_error(e, &program, &input, opts.max_steps))?;
    let tm = witness.timings;
    eprintln!(
        "Witness: {} steps, {} instances (emulate {}, replay {}, witness fill {})",
        witness.steps,
        witness.statement.instances.len(),
        secs(tm.emulate),
        secs(tm.replay),
        secs(tm.fill)
    );

    let t = Instant::now();
    let mut pk = load_or_build_key(&zkvm, &dir)?;
    let program_vk = zkvm
        .add_program(&mut pk, &program)
        .with_context(|| format!("cannot commit the ROM of {}", args.elf.display()))?;
    if program_vk != setup.program_vk {
        bail!(
            "the program setup of {} was made with another proving key; run `cargo-zisk \
             rom-setup -e {}` again",
            args.elf.display(),
            args.elf.display()
        );
    }
    let key_time = t.elapsed();
    eprintln!("Keys: {} (load + ROM commitment)", secs(key_time));

    let t = Instant::now();
    let proof = zkvm
        .prove(&pk, &witness)
        .map_err(|e| anyhow!("proving failed: {e}"))?;
    let prove_time = t.elapsed();
    let vk = zkvm.program_vk(&pk.vk, &program_vk);
    let proof_bytes = proof.to_bytes(&vk).context("cannot encode the proof")?;
    let proof_json = proof.to_json(&vk).context("cannot encode the proof")?;
    eprintln!(
        "Prove: {} ({} instance proofs, {} bytes)",
        secs(prove_time),
        witness.statement.instances.len(),
        proof_bytes.len()
    );
    if flags.aggregation {
        eprintln!(
            "Aggregation: the proof is one file holding every instance proof and the global \
             check; recursive aggregation into a single small proof is not implemented yet"
        );
    }

    let mut verify_time = None;
    if flags.verify {
        let t = Instant::now();
        zkvm.verify(&pk.vk, &program_vk, &proof, &witness.outputs)
            .map_err(|e| anyhow!("the new proof does not verify: {e}"))?;
        verify_time = Some(t.elapsed());
        eprintln!("✓ Vadcop Final proof was verified ({})", secs(t.elapsed()));
    }

    let publics = Publics {
        program_vk,
        outputs: witness
            .outputs
            .iter()
            .map(|o| format!("0x{o:08x}"))
            .collect(),
        steps: witness.steps,
    };
    let proofs_dir = flags.output.join("proofs");
    std::fs::create_dir_all(&proofs_dir)
        .with_context(|| format!("cannot create {}", proofs_dir.display()))?;
    let bin_path = proofs_dir.join(format!("{PROOF_NAME}.bin"));
    let json_path = proofs_dir.join(format!("{PROOF_NAME}.json"));
    let publics_path = flags.output.join("publics.json");
    let publics_json =
        serde_json::to_string_pretty(&publics).context("cannot encode publics.json")?;
    for (path, contents) in [
        (&bin_path, proof_bytes.as_slice()),
        (&json_path, proof_json.as_bytes()),
        (&publics_path, publics_json.as_bytes()),
    ] {
        std::fs::write(path, contents)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }

    let w = tm.emulate + tm.replay + tm.fill;
    println!(
        "Timings: witness {} (emulate {}, replay {}, fill {}), keys {}, prove {}{}; total {}",
        secs(w),
        secs(tm.emulate),
        secs(tm.replay),
        secs(tm.fill),
        secs(key_time),
        secs(prove_time),
        verify_time.map_or(String::new(), |v| format!(", verify {}", secs(v))),
        secs(total.elapsed())
    );
    println!(
        "Wrote {} ({} bytes), {} and {}",
        bin_path.display(),
        proof_bytes.len(),
        json_path.display(),
        publics_path.display()
    );
    println!("Proofs generated successfully");
    Ok(())
}

/// Why `verify` failed: the files, or the proof itself.
pub enum VerifyOutcome {
    /// The proof verified.
    Verified,
    /// The proof was rejected for this reason.
    Rejected(String),
}

/// The verifying key directory named by `verify -k`: a directory, or (legacy) a file in it.
fn verify_key_dir(key: Option<&Path>) -> anyhow::Result<PathBuf> {
    match key {
        Some(path) if path.is_file() => {
            if path.file_name().is_some_and(|n| n == VK_FILE) {
                Ok(path.parent().unwrap_or(Path::new(".")).to_path_buf())
            } else {
                eprintln!(
                    "Note: -k {} is a file of the legacy layout; using the key directory {}",
                    path.display(),
                    key_dir(None)?.display()
                );
                key_dir(None)
            }
        }
        other => key_dir(other),
    }
}

/// `cargo-zisk verify`.
pub fn verify_cmd(
    proof_path: &Path,
    publics_path: &Path,
    key: Option<&Path>,
    legacy: &[(&str, Option<&Path>)],
) -> anyhow::Result<VerifyOutcome> {
    for (flag, value) in legacy {
        if let Some(value) = value {
            eprintln!(
                "Note: {flag} {} ignored: the verifying key directory (-k) holds everything",
                value.display()
            );
        }
    }
    let dir = verify_key_dir(key)?;
    let base_vk = VerifyingKey::load(&dir).map_err(|e| match e {
        KeyFileError::Io { .. } => anyhow!(
            "cannot load the verifying key: {e}; run `cargo-zisk check-setup` (or pass -k DIR)"
        ),
        e => anyhow!("cannot load the verifying key: {e}"),
    })?;
    let publics_text = std::fs::read_to_string(publics_path)
        .with_context(|| format!("cannot read {}", publics_path.display()))?;
    let publics: Publics = serde_json::from_str(&publics_text)
        .with_context(|| format!("{} is not a publics.json", publics_path.display()))?;
    let outputs = publics
        .outputs()
        .with_context(|| format!("{} is not a publics.json", publics_path.display()))?;
    let zkvm = Zkvm::new();
    let vk = zkvm.program_vk(&base_vk, &publics.program_vk);
    let proof_data = std::fs::read(proof_path)
        .with_context(|| format!("cannot read {}", proof_path.display()))?;
    let is_json = proof_path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let decoded = if is_json {
        let text = String::from_utf8(proof_data)
            .map_err(|_| anyhow!("{} is not a JSON proof (not UTF-8)", proof_path.display()))?;
        Proof::from_json(&text, &vk)
    } else {
        Proof::from_bytes(&proof_data, &vk)
    };
    let proof = match decoded {
        Ok(proof) => proof,
        Err(e @ zisk_prover::ProofFormatError::KeyMismatch) => {
            return Ok(VerifyOutcome::Rejected(format!(
                "{e} (the proof is not for the program named in {})",
                publics_path.display()
            )))
        }
        Err(e) => {
            return Err(anyhow!(
                "cannot read the proof {}: {e}",
                proof_path.display()
            ))
        }
    };
    let t = Instant::now();
    match zkvm.verify(&base_vk, &publics.program_vk, &proof, &outputs) {
        Ok(()) => {
            println!(
                "Program verifying key: {}",
                publics.program_vk.fingerprint()
            );
            let last = outputs.iter().rposition(|&o| o != 0).map_or(0, |i| i + 1);
            for (i, o) in outputs.iter().enumerate().take(last.max(1)) {
                println!("Output[{i}]: 0x{o:08x} ({o})");
            }
            println!("✓ Proof verified ({:.2?})", t.elapsed());
            Ok(VerifyOutcome::Verified)
        }
        Err(e) => Ok(VerifyOutcome::Rejected(e.to_string())),
    }
}

/// `cargo-zisk clean`: empties `~/.zisk/cache`.
pub fn clean() -> anyhow::Result<()> {
    let dir = cache_dir()?;
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!("{} does not exist; nothing to remove", dir.display());
            return Ok(());
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
    };
    let mut removed = 0usize;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        let path = entry.path();
        let result = if entry.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        result.with_context(|| format!("cannot remove {}", path.display()))?;
        println!("Removed {}", path.display());
        removed += 1;
    }
    println!("Cleaned {} ({removed} entries removed)", dir.display());
    Ok(())
}
