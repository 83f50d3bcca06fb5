//! `cargo-zisk sdk new`: creates the `sha_hasher` example project of the ZisK docs.
//!
//! The project depends on this repository's `ziskos` crate through a path dependency (the
//! network may only reach crates.io, so the docs' git dependency is not used). The crate is
//! looked up, in order, at:
//! 1. `$ZISKOS_PATH` (a directory holding ziskos' `Cargo.toml`);
//! 2. `<repository>/ziskos`, where `<repository>` is the checkout cargo-zisk was compiled from
//!    (`env!("CARGO_MANIFEST_DIR")/..`, fixed at compile time).
//!
//! If the checkout moved after cargo-zisk was built, set `ZISKOS_PATH` or rebuild cargo-zisk.

use std::path::{Path, PathBuf};

/// Environment variable overriding the location of the `ziskos` crate.
pub const ZISKOS_PATH_ENV: &str = "ZISKOS_PATH";

/// The `ziskos` crate of the checkout cargo-zisk was built from.
pub const BUILT_ZISKOS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ziskos");

const MAIN_RS: &str = include_str!("../../examples/sha_hasher/src/main.rs");
const BUILD_RS: &str = include_str!("../../examples/sha_hasher/build.rs");
const GITIGNORE: &str = "/target\n/build\n";

/// Errors of `sdk new`.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// The name is not a valid package name.
    #[error(
        "invalid project name `{0}`: use letters, digits, `_` or `-`, not starting with a digit"
    )]
    InvalidName(String),
    /// The target directory exists.
    #[error("{0} already exists")]
    Exists(PathBuf),
    /// The `ziskos` crate was not found.
    #[error("cannot find the ziskos crate at {0} (no Cargo.toml of package `ziskos`); set {ZISKOS_PATH_ENV} to its directory")]
    NoZiskos(PathBuf),
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// The directory of the `ziskos` crate that new projects depend on.
pub fn ziskos_dir() -> Result<PathBuf, NewError> {
    let dir = std::env::var_os(ZISKOS_PATH_ENV)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(BUILT_ZISKOS_DIR));
    let is_ziskos = std::fs::read_to_string(dir.join("Cargo.toml"))
        .is_ok_and(|manifest| manifest.lines().any(|l| l.trim() == "name = \"ziskos\""));
    if !is_ziskos {
        return Err(NewError::NoZiskos(dir));
    }
    Ok(dir.canonicalize().unwrap_or(dir))
}

/// Whether `name` is a valid package name.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The project's `Cargo.toml`.
pub fn cargo_toml(name: &str, ziskos: &Path) -> String {
    let ziskos = ziskos
        .display()
        .to_string()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
default-run = "{name}"

[dependencies]
byteorder = "1.5.0"
sha2 = "0.10.8"
ziskos = {{ path = "{ziskos}" }}
"#
    )
}

/// Creates the project `name` in `parent` and returns its directory.
pub fn new_project(parent: &Path, name: &str) -> Result<PathBuf, NewError> {
    if !valid_name(name) {
        return Err(NewError::InvalidName(name.to_owned()));
    }
    let dir = parent.join(name);
    if dir.exists() {
        return Err(NewError::Exists(dir));
    }
    let ziskos = ziskos_dir()?;
    let files = [
        ("Cargo.toml", cargo_toml(name, &ziskos)),
        ("build.rs", BUILD_RS.to_owned()),
        (".gitignore", GITIGNORE.to_owned()),
        ("src/main.rs", MAIN_RS.to_owned()),
    ];
    for (file, contents) in files {
        let path = dir.join(file);
        let write = || {
            std::fs::create_dir_all(path.parent().expect("a project file has a parent"))?;
            std::fs::write(&path, contents)
        };
        write().map_err(|source| NewError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(valid_name("sha_hasher"));
        assert!(valid_name("my-prog2"));
        assert!(!valid_name(""));
        assert!(!valid_name("2fast"));
        assert!(!valid_name("a/b"));
    }

    #[test]
    fn built_ziskos_is_found() {
        let dir = ziskos_dir().unwrap();
        assert!(dir.join("src/lib.rs").is_file());
    }

    #[test]
    fn cargo_toml_points_at_ziskos() {
        let toml = cargo_toml("demo", Path::new("/repo/ziskos"));
        assert!(toml.contains("name = \"demo\""));
        assert!(toml.contains("default-run = \"demo\""));
        assert!(toml.contains("ziskos = { path = \"/repo/ziskos\" }"));
    }
}
