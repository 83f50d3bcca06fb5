//! `cargo xtask new-machine <name>`: scaffolds `pil/<name>.pil`.

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

/// Creates `pil/<name>.pil` and prints the next steps.
pub fn run(name: &str) -> anyhow::Result<()> {
    let valid = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        bail!("machine names are snake_case (`[a-z][a-z0-9_]*`), got `{name}`");
    }
    let path = workspace_root().join("pil").join(format!("{name}.pil"));
    if path.exists() {
        bail!("{} already exists", path.display());
    }
    std::fs::write(&path, template(name)).with_context(|| format!("writing {}", path.display()))?;
    let air = camel(name);
    println!("created {}", path.display());
    println!("next steps:");
    println!("  1. write the machine's columns, constraints and bus calls in pil/{name}.pil");
    println!("  2. cargo xtask codegen      (writes generated/src/{name}.rs: {air}Row, {air}Air)");
    println!("  3. write the witness filler that fills {air}Row rows (see ARCHITECTURE.md, \"Adding a state machine\")");
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
}
