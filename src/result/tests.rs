//! The model is a leaf: every file of this folder reads the contract's types and nothing else
//! of the crate.

use std::path::Path;

/// Every file of `src/result/`, as compiled.
const FILES: &[(&str, &str)] = &[
    ("case.rs", include_str!("case.rs")),
    ("change.rs", include_str!("change.rs")),
    ("failure.rs", include_str!("failure.rs")),
    ("mod.rs", include_str!("mod.rs")),
    ("observation.rs", include_str!("observation.rs")),
    ("quote.rs", include_str!("quote.rs")),
    ("response.rs", include_str!("response.rs")),
    ("run.rs", include_str!("run.rs")),
    ("tests.rs", include_str!("tests.rs")),
];

// Spelled in two halves, so that this file does not find itself.
const CRATE_PATH: &str = concat!("crate", "::");
const PARENT_PATH: &str = concat!("super", "::");

#[test]
fn the_model_depends_on_neither_the_engine_nor_the_renderers() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/result");
    let mut on_disk: Vec<String> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
    assert_eq!(on_disk, listed, "every file of the folder is checked");
    let mut contract_imports = 0;
    for (name, source) in FILES {
        for (number, line) in source.lines().enumerate() {
            let at = format!("{name}:{}: {line}", number + 1);
            for (start, _) in line.match_indices(CRATE_PATH) {
                let rest = &line[start + CRATE_PATH.len()..];
                assert!(
                    rest.starts_with("contract::") || rest.starts_with("result::"),
                    "{at}"
                );
                contract_imports += usize::from(
                    rest.starts_with("contract::") && line.trim_start().starts_with("use "),
                );
            }
            // From mod.rs, `super` is the crate; from the other files, this folder.
            let outside = if *name == "mod.rs" {
                PARENT_PATH.to_owned()
            } else {
                PARENT_PATH.repeat(2)
            };
            assert!(!line.contains(&outside), "{at}");
        }
    }
    assert!(contract_imports > 0);
}
