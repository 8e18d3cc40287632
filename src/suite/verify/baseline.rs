//! The baseline store: a folder of insta `.snap` files, one per case, holding each case's
//! normalised observation. `cargo test` asserts them with insta; `run --snapshots` reads them
//! (and `--update-snapshots` writes them) byte for byte as insta does.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use super::drift::diff;
use super::volatile::VolatileRules;
use crate::contract::case::Case;
use crate::result::{BaselineCheck, BaselineStatus, Failure, Snapshot};

/// Why a baseline could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The file exists but is not a readable snapshot.
    #[error("read baseline {path}: {reason}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The file could not be written.
    #[error("write baseline {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// A folder of baselines in insta's `.snap` format: the store that `cargo test` writes and
/// `run --snapshots` reads (and `run --update-snapshots` writes), one file per case.
#[derive(Debug, Clone)]
pub struct Baselines {
    dir: PathBuf,
}

impl Baselines {
    /// The baselines in `dir`, e.g. `snapshots/mock`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Baselines { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the accepted baseline of `case` lives.
    pub fn path(&self, case: &str) -> PathBuf {
        self.dir.join(format!("{case}.snap"))
    }

    /// Where a changed observation waits for `cargo insta review`.
    pub fn pending_path(&self, case: &str) -> PathBuf {
        self.dir.join(format!("{case}.snap.new"))
    }

    /// The recorded observation of `case`, or `None` when none was recorded.
    ///
    /// # Errors
    /// When the file exists but cannot be read as a snapshot of an observation.
    pub fn read(&self, case: &str) -> Result<Option<Snapshot>, SnapshotError> {
        let path = self.path(case);
        if !path.exists() {
            return Ok(None);
        }
        let failed = |reason: String| SnapshotError::Read {
            path: path.clone(),
            reason,
        };
        let snapshot = insta::Snapshot::from_file(&path).map_err(|e| failed(e.to_string()))?;
        let text = snapshot
            .contents()
            .as_text()
            .map(ToString::to_string)
            .ok_or_else(|| failed("it is a binary snapshot".to_owned()))?;
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| failed(format!("its contents are not an observation: {e}")))
    }

    /// Records `observation` as the baseline of `case` (`pending`: as `.snap.new` for review).
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn write(
        &self,
        case: &Case,
        observation: &Snapshot,
        pending: bool,
    ) -> Result<PathBuf, SnapshotError> {
        let path = if pending {
            self.pending_path(&case.name)
        } else {
            self.path(&case.name)
        };
        let write = |source| SnapshotError::Write {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(path.parent().unwrap_or(&self.dir)).map_err(write)?;
        std::fs::write(&path, render(case, observation)).map_err(write)?;
        if !pending {
            // An accepted baseline supersedes whatever waited for review.
            let _ = std::fs::remove_file(self.pending_path(&case.name));
        }
        Ok(path)
    }
}

/// What comparing an observation with its baseline found: drift lines, a missing baseline, or
/// a store that could not be read or written; and what became of the baseline. When
/// recording, a case that failed its contract (`failed`) is held back unless `force`.
pub fn compare(
    baselines: &Baselines,
    case: &Case,
    observed: &Snapshot,
    rules: &VolatileRules,
    record: Record,
) -> (Vec<Failure>, BaselineCheck) {
    let unusable = |e: SnapshotError| {
        vec![Failure::Setup {
            reason: e.to_string(),
        }]
    };
    let recorded = match baselines.read(&case.name) {
        Ok(recorded) => recorded,
        Err(error) if matches!(record, Record::Compare | Record::Inspect) => {
            return (unusable(error), check(BaselineStatus::Missing, None));
        }
        // A baseline that cannot be read is rewritten when recording.
        Err(_) => None,
    };
    match record {
        Record::HeldBack => {
            return (Vec::new(), check(BaselineStatus::HeldBack, recorded));
        }
        Record::Write => {
            // Rewritten when the observation or the case's description changed; left alone
            // (its timestamp too) when the file would read the same.
            let on_disk = std::fs::read_to_string(baselines.path(&case.name)).ok();
            if on_disk.as_deref() == Some(render(case, observed).as_str()) {
                return (Vec::new(), check(BaselineStatus::Unchanged, recorded));
            }
            let failures = baselines
                .write(case, observed, false)
                .err()
                .map(unusable)
                .unwrap_or_default();
            return (failures, check(BaselineStatus::Recorded, recorded));
        }
        Record::Compare | Record::Inspect => {}
    }
    let inspect = record == Record::Inspect;
    let Some(before) = recorded.clone() else {
        if inspect {
            return (Vec::new(), check(BaselineStatus::Missing, None));
        }
        let failures = match baselines.write(case, observed, true) {
            Ok(pending) => vec![Failure::NoBaseline { pending }],
            Err(error) => unusable(error),
        };
        return (failures, check(BaselineStatus::Missing, None));
    };
    let changes = diff(&rules.mask(&before), observed);
    if changes.is_empty() {
        if !inspect {
            let _ = std::fs::remove_file(baselines.pending_path(&case.name));
        }
        return (Vec::new(), check(BaselineStatus::Unchanged, recorded));
    }
    let mut failures: Vec<Failure> = changes.into_iter().map(Failure::Drift).collect();
    if inspect {
        return (failures, check(BaselineStatus::Changed, recorded));
    }
    if let Err(error) = baselines.write(case, observed, true) {
        failures.extend(unusable(error));
    }
    (failures, check(BaselineStatus::Changed, recorded))
}

/// What a run does with a case's baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// Compare the observation with it.
    Compare,
    /// Write the observation as the new baseline.
    Write,
    /// Leave it: the case failed its contract, and nothing asked to record it anyway.
    HeldBack,
    /// Compare the observation with it, and write or remove nothing: the baseline is another
    /// target's.
    Inspect,
}

fn check(status: BaselineStatus, recorded: Option<Snapshot>) -> BaselineCheck {
    BaselineCheck { status, recorded }
}

impl Baselines {
    /// Every baseline in the folder, by case name (`delete-files/valid-one-file`).
    pub fn names(&self) -> Vec<String> {
        let mut names = Vec::new();
        let mut folders = vec![self.dir.clone()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if let Some(name) = path
                    .strip_prefix(&self.dir)
                    .ok()
                    .and_then(|p| p.to_str())
                    .and_then(|p| p.strip_suffix(".snap"))
                {
                    names.push(name.replace(std::path::MAIN_SEPARATOR, "/"));
                }
            }
        }
        names.sort();
        names
    }

    /// Removes the baseline of `name` (and what waits beside it).
    ///
    /// # Errors
    /// When it exists and cannot be removed.
    pub fn remove(&self, name: &str) -> Result<(), SnapshotError> {
        let _ = std::fs::remove_file(self.pending_path(name));
        let path = self.path(name);
        std::fs::remove_file(&path).map_err(|source| SnapshotError::Write { path, source })
    }
}

/// The `.snap` text insta writes for `cargo test`'s assertion of this case: the store's files
/// are insta's, asserted in `tests/contract.rs`, so `cargo insta review` can accept them. Every
/// header value is a YAML scalar quoted as insta quotes it: a line break or `: ` in a case's
/// path or description stays inside its own field.
pub fn render(case: &Case, observation: &Snapshot) -> String {
    let contents = serde_json::to_string_pretty(observation).unwrap_or_default();
    format!(
        "---\nsource: tests/contract.rs\ndescription: {}\ninput_file: {}\n---\n{contents}\n",
        yaml_scalar(&case.description),
        yaml_scalar(&input_file(&case.path))
    )
}

/// The case file's path from its `cases` folder on, with `/` separators.
fn input_file(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let start = parts
        .iter()
        .rposition(|p| p == "cases")
        .unwrap_or(parts.len().saturating_sub(1));
    parts[start..].join("/")
}

/// A YAML scalar quoted exactly where insta's emitter quotes it, and escaped as it escapes
/// it, so that a baseline written by `run` is byte for byte the file `cargo test` writes.
fn yaml_scalar(text: &str) -> String {
    const RESERVED: &[&str] = &[
        "yes", "Yes", "YES", "no", "No", "NO", "True", "TRUE", "true", "False", "FALSE", "false",
        "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
    ];
    let quote = text.is_empty()
        || text.starts_with(' ')
        || text.ends_with(' ')
        || text.starts_with(['&', '*', '?', '|', '-', '<', '>', '=', '!', '%', '@', '.'])
        || text.contains(|c: char| {
            // insta leaves BEL, BS, VT, FF and ESC unquoted; any other C0 control is quoted.
            matches!(
                c,
                ':' | '{'
                    | '}'
                    | '['
                    | ']'
                    | ','
                    | '#'
                    | '`'
                    | '"'
                    | '\''
                    | '\\'
                    | '\0'..='\x06'
                    | '\t'
                    | '\n'
                    | '\r'
                    | '\x0e'..='\x1a'
                    | '\x1c'..='\x1f'
            )
        })
        || RESERVED.contains(&text)
        || text.starts_with("0x")
        || text.parse::<i64>().is_ok()
        || text.parse::<f64>().is_ok();
    if !quote {
        return text.to_owned();
    }
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\x08' => quoted.push_str("\\b"),
            '\t' => quoted.push_str("\\t"),
            '\n' => quoted.push_str("\\n"),
            '\x0c' => quoted.push_str("\\f"),
            '\r' => quoted.push_str("\\r"),
            '\0'..='\x1f' | '\x7f' => {
                let _ = write!(quoted, "\\u{:04x}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_baselines_read_back_as_they_render() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let baselines = Baselines::new(root.join("snapshots/mock"));
        let cases = crate::contract::case::load_dir(&root.join("cases")).unwrap_or_default();
        assert!(!cases.is_empty());
        for case in cases {
            let recorded = baselines.read(&case.name).ok().flatten();
            let recorded = recorded.unwrap_or_else(|| panic!("no baseline for {}", case.name));
            let on_disk = std::fs::read_to_string(baselines.path(&case.name)).unwrap_or_default();
            assert_eq!(
                render(&case, &recorded),
                on_disk,
                "{} renders differently from insta",
                case.name
            );
        }
    }

    #[test]
    fn a_header_field_keeps_its_value_whatever_its_characters() {
        // Arrange: one case, its file's path and its description holding what YAML reads as
        // structure (a line break, `: `, quotes, a leading dash) or cannot print.
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let name = "delete-files/valid-one-file";
        let observation = Baselines::new(root.join("snapshots/mock"))
            .read(name)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no baseline for {name}"));
        let text = std::fs::read_to_string(root.join("cases").join(format!("{name}.json")))
            .unwrap_or_else(|e| panic!("{e}"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let plain = "Deleting one file.";
        for (folder, description) in [
            ("cases/a\nsource: injected", plain),
            ("cases/a: b", plain),
            ("cases/\"quoted\"", plain),
            ("cases/-dash", plain),
            ("cases/x", "two\nsource: injected"),
            ("cases/x", "a bell \u{7}, a tab\t and an escape \u{1b}"),
            ("cases/x", "delete: \u{7f}"),
        ] {
            let path = Path::new(folder).join(format!("{name}.json"));
            let mut case = Case::parse(&path, name, &text).unwrap_or_else(|e| panic!("{e}"));
            case.description = description.to_owned();
            let written = dir.path().join("written.snap");
            let _ = std::fs::write(&written, render(&case, &observation));

            // Act: insta reads the file, and writes what it read.
            let read = insta::Snapshot::from_file(&written)
                .unwrap_or_else(|e| panic!("{folder:?} {description:?}: {e}"));
            let again = dir.path().join("again.snap");
            let _ = read.save(&again);

            // Assert: every field holds what was put in it, byte for byte as insta writes it.
            let metadata = read.metadata();
            assert_eq!(metadata.source(), Some("tests/contract.rs"), "{folder:?}");
            assert_eq!(
                metadata.input_file(),
                Some(format!("{folder}/{name}.json").as_str())
            );
            assert_eq!(metadata.description(), Some(description));
            assert_eq!(
                std::fs::read_to_string(&written).ok(),
                std::fs::read_to_string(&again).ok(),
                "{folder:?} {description:?}"
            );
        }
    }

    #[test]
    fn a_missing_baseline_reads_as_none() {
        assert!(matches!(Baselines::new("no/such/dir").read("x"), Ok(None)));
    }
}
