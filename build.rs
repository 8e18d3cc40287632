//! Embeds the default cases (`cases/**/*.json`) in the crate, so that an installed binary runs
//! them wherever it is started; `--cases DIR` reads others.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn main() {
    println!("cargo::rerun-if-changed=cases");
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let cases = root.join("cases");
    let mut paths = Vec::new();
    collect(&cases, &mut paths);
    paths.sort();
    let mut source = String::from(
        "/// The default cases, `(path below cases/, contents)`, embedded at build time.\n\
         pub const EMBEDDED_CASES: &[(&str, &str)] = &[\n",
    );
    for path in &paths {
        let relative = path
            .strip_prefix(&cases)
            .unwrap_or(path)
            .to_string_lossy()
            .replace(std::path::MAIN_SEPARATOR, "/");
        let _ = writeln!(
            source,
            "    ({relative:?}, include_str!({:?})),",
            path.to_string_lossy()
        );
    }
    source.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded_cases.rs");
    if let Err(error) = std::fs::write(&out, source) {
        println!("cargo::error=write {}: {error}", out.display());
    }
}
