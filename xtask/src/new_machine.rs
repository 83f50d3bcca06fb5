//! `cargo xtask new-machine [<program>/]<name>`: scaffolds `pil/<program>/<name>.pil` and its
//! witness filler `prover/src/witness/<program>/<name>.rs` (registered in the program's
//! `mod.rs`, which is created and registered in `witness/mod.rs` for a new program), then
//! regenerates `generated/` so the stub compiles at once. The program defaults to `zisk`.

use anyhow::{bail, Context};

use crate::codegen::workspace_root;

/// `my_machine` → `MyMachine`.
fn camel(name: &str) -> String {
    name.split('_')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The `.pil` file written for a new machine `name` (snake_case).
pub fn template(name: &str) -> String {
    let air = camel(name);
    format!(
        r#"// The {air} state machine.
//
// Declare columns, constraints and bus calls here, then run `cargo xtask codegen`.

airtemplate {air}(const int N = 2**10) {{
    col fixed L1 = [1, 0...];          // 1 on the first row
    col witness bits(1) sel;           // 1 on rows that carry an operation

    sel * (1 - sel) === 0;
}}

airgroup {air} {{
    {air}();
}}
"#
    )
}

/// The program a machine goes to when `new-machine` is given a bare name.
pub const DEFAULT_PROGRAM: &str = "zisk";

/// The witness-filler stub written for a new machine `name` (snake_case) of `program`.
pub fn filler_template(program: &str, name: &str) -> String {
    let air = camel(name);
    let module = zisk_pil_codegen::emit::snake_case(&air);
    let upper = module.to_uppercase();
    format!(
        r#"//! Witness filler of `pil/{program}/{name}.pil`: the `{air}` trace from its operations.

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use zisk_generated::{program}::{module}::{{{air}Air, {air}Row, {upper}_N}};
use zisk_generated::{program}::AnyAir;

use crate::config::Val;
use crate::pil::{{PilError, PilWitness}};

/// One operation of `{air}`: what one row of its trace is filled from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Operation {{}}

/// The `{air}` trace: one row per operation (`sel = 1`), then padding rows (`sel = 0`).
///
/// # Panics
///
/// Panics with more than `N` operations.
pub fn trace(ops: &[Operation]) -> RowMajorMatrix<Val> {{
    {air}Air.generate_trace_padded(
        ops,
        |_op, row: &mut {air}Row<Val>| {{
            row.sel = Val::ONE;
        }},
        |_, row| *row = {air}Row::default(),
    )
}}

/// Adds one `{air}` instance per `N` operations to `witness`.
pub fn fill(witness: &mut PilWitness<'_, AnyAir>, ops: &[Operation]) -> Result<(), PilError> {{
    for chunk in ops.chunks({upper}_N) {{
        witness.push(&AnyAir::{air}({air}Air), trace(chunk), &[])?;
    }}
    Ok(())
}}
"#
    )
}

/// `mod.rs` with `pub mod <name>;` added to its module list (kept sorted).
pub fn register_module(mod_rs: &str, name: &str) -> String {
    let line = format!("pub mod {name};");
    let mut lines: Vec<&str> = mod_rs.lines().collect();
    if lines.contains(&line.as_str()) {
        return mod_rs.to_string();
    }
    let at = lines
        .iter()
        .position(|l| l.starts_with("pub mod ") && **l > *line.as_str())
        .or_else(|| {
            lines
                .iter()
                .rposition(|l| l.starts_with("pub mod "))
                .map(|i| i + 1)
        })
        .unwrap_or(lines.len());
    lines.insert(at, &line);
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Is `name` snake_case (`[a-z][a-z0-9_]*`)?
fn is_snake(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `zisk/binary` → (`zisk`, `binary`); a bare `binary` goes to [`DEFAULT_PROGRAM`].
pub fn split_name(arg: &str) -> anyhow::Result<(&str, &str)> {
    let (program, name) = arg.split_once('/').unwrap_or((DEFAULT_PROGRAM, arg));
    if !is_snake(program) || !is_snake(name) || program == "support" {
        bail!("machine names are `[<program>/]<name>`, both snake_case (`[a-z][a-z0-9_]*`), got `{arg}`");
    }
    Ok((program, name))
}

/// Creates `pil/<program>/<name>.pil` and the filler stub, regenerates `generated/`, prints the
/// next steps.
pub fn run(arg: &str) -> anyhow::Result<()> {
    let (program, name) = split_name(arg)?;
    let pil_dir = workspace_root().join("pil").join(program);
    let path = pil_dir.join(format!("{name}.pil"));
    if path.exists() {
        bail!("{} already exists", path.display());
    }
    let witness = workspace_root().join("prover/src/witness");
    let program_dir = witness.join(program);
    let filler = program_dir.join(format!("{name}.rs"));
    if filler.exists() {
        bail!("{} already exists", filler.display());
    }
    std::fs::create_dir_all(&pil_dir).with_context(|| format!("creating {}", pil_dir.display()))?;
    std::fs::create_dir_all(&program_dir)
        .with_context(|| format!("creating {}", program_dir.display()))?;
    std::fs::write(&path, template(name)).with_context(|| format!("writing {}", path.display()))?;
    std::fs::write(&filler, filler_template(program, name))
        .with_context(|| format!("writing {}", filler.display()))?;
    let program_mod = program_dir.join("mod.rs");
    let modules = match std::fs::read_to_string(&program_mod) {
        Ok(text) => text,
        Err(_) => {
            let top = witness.join("mod.rs");
            let text = std::fs::read_to_string(&top)
                .with_context(|| format!("reading {}", top.display()))?;
            std::fs::write(&top, register_module(&text, program))
                .with_context(|| format!("writing {}", top.display()))?;
            format!("//! Fillers of the machines in `pil/{program}/`.\n\n")
        }
    };
    std::fs::write(&program_mod, register_module(&modules, name))
        .with_context(|| format!("writing {}", program_mod.display()))?;
    println!("created {} and {}", path.display(), filler.display());
    crate::codegen::run(crate::codegen::Mode::Write)?;
    let air = camel(name);
    println!("next steps:");
    println!(
        "  1. write the machine's columns, constraints and bus calls in pil/{program}/{name}.pil,"
    );
    println!("     then `cargo xtask codegen` (generated/src/{program}/: {air}Row, {air}Air)");
    println!(
        "  2. fill {air}Row rows in prover/src/witness/{program}/{name}.rs and prove them with"
    );
    println!("     zisk_prover::pil (see ARCHITECTURE.md, \"Adding a state machine\")");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_machine_template_compiles() {
        let text = template("my_machine");
        let ir = zisk_pil_codegen::compile_str(&text, "my_machine.pil")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ir.airs.len(), 1);
        assert_eq!(ir.airs[0].name, "MyMachine");
        assert_eq!(ir.airs[0].n, 1024);
    }

    #[test]
    fn filler_stub_names_the_generated_items() {
        let stub = filler_template("zisk", "my_machine2");
        assert!(stub.starts_with("//! "));
        assert!(stub.contains(
            "use zisk_generated::zisk::my_machine2::{MyMachine2Air, MyMachine2Row, MY_MACHINE2_N};"
        ));
        assert!(stub.contains("use zisk_generated::zisk::AnyAir;"));
        assert!(stub.contains("AnyAir::MyMachine2(MyMachine2Air)"));
    }

    #[test]
    fn names_split_into_program_and_machine() {
        assert_eq!(split_name("zisk/binary").unwrap(), ("zisk", "binary"));
        assert_eq!(split_name("example/sq").unwrap(), ("example", "sq"));
        assert_eq!(split_name("binary").unwrap(), (DEFAULT_PROGRAM, "binary"));
        assert!(split_name("Zisk/binary").is_err());
        assert!(split_name("zisk/").is_err());
        assert!(split_name("support/x").is_err());
        assert!(split_name("a/b/c").is_err());
    }

    #[test]
    fn modules_are_registered_in_order() {
        let mod_rs = "//! Fillers.\n\npub mod example;\npub mod zeta;\n";
        let out = register_module(mod_rs, "my_machine");
        assert_eq!(
            out,
            "//! Fillers.\n\npub mod example;\npub mod my_machine;\npub mod zeta;\n"
        );
        assert_eq!(register_module(&out, "my_machine"), out);
        assert_eq!(
            register_module("//! Fillers.\n", "a"),
            "//! Fillers.\npub mod a;\n"
        );
    }
}
