//! Where cases come from: a folder of case files, or the ones built into the crate.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use super::error::{CaseError, CaseProblem};
use super::model::Case;
use crate::contract::input::{WalkError, read_input, walk};

/// A case's name from its path below `root`: `delete-files/valid-one-file`.
fn name_of(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if let Some(last) = parts.last_mut() {
        if let Some(stem) = last.strip_suffix(".json") {
            *last = stem.to_owned();
        }
    }
    parts.join("/")
}

impl Case {
    /// Reads and checks one case file of the folder `root`, which gives the case its name.
    ///
    /// # Errors
    /// When the file cannot be read (it is not a regular file, or larger than
    /// [`MAX_INPUT_BYTES`](crate::contract::input::MAX_INPUT_BYTES)), is not JSON, or is not a
    /// valid case, or when its name holds a control character; the error names the file and
    /// every offending field.
    pub fn load(root: &Path, path: &Path) -> Result<Case, CaseError> {
        let text = read_input(path).map_err(|e| CaseError::Invalid {
            problems: vec![CaseProblem::unreadable(path, &e)],
        })?;
        Case::parse(path, &name_of(root, path), &text)
    }
}

include!(concat!(env!("OUT_DIR"), "/embedded_cases.rs"));

/// Where cases come from: a folder, or the ones built into the crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseSource {
    /// The default cases, embedded at build time from the repository's `cases/`.
    BuiltIn,
    /// Every `*.json` below this folder.
    Dir(PathBuf),
}

impl fmt::Display for CaseSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaseSource::BuiltIn => f.write_str("the built-in cases"),
            CaseSource::Dir(dir) => write!(f, "{}", dir.display()),
        }
    }
}

impl CaseSource {
    /// Every case, sorted by name.
    ///
    /// # Errors
    /// As [`load_dir`].
    pub fn load(&self) -> Result<Vec<Case>, CaseError> {
        match self {
            CaseSource::Dir(dir) => load_dir(dir),
            CaseSource::BuiltIn => {
                let mut cases = collect(EMBEDDED_CASES.iter().map(|(relative, text)| {
                    let path = Path::new("cases").join(relative);
                    let name = relative.strip_suffix(".json").unwrap_or(relative);
                    Case::parse(&path, name, text)
                }))?;
                if cases.is_empty() {
                    return Err(CaseError::Empty {
                        path: PathBuf::from("cases"),
                    });
                }
                cases.sort_by(|a, b| a.name.cmp(&b.name));
                Ok(cases)
            }
        }
    }
}

/// The cases, or every problem of every file that cannot be used.
fn collect(results: impl Iterator<Item = Result<Case, CaseError>>) -> Result<Vec<Case>, CaseError> {
    let mut cases = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(case) => cases.push(case),
            Err(CaseError::Invalid { problems: more }) => problems.extend(more),
            Err(other) => return Err(other),
        }
    }
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(CaseError::Invalid { problems })
    }
}

/// Loads every `*.json` case below `dir` (recursively, never through a symbolic link to a
/// folder), in the order of their paths.
///
/// # Errors
/// [`CaseError::Invalid`] with every problem of every file that cannot be used,
/// [`CaseError::Read`] when a folder cannot be read, [`CaseError::Walk`] when the folder holds
/// more than a walk looks at, or [`CaseError::Empty`] when there is no case file.
pub fn load_dir(dir: &Path) -> Result<Vec<Case>, CaseError> {
    // A link named `*.json` is kept, and read only if it leads to a regular file; a link to a
    // folder is never entered.
    let walked = walk(dir, |path, _| path.extension().is_some_and(|e| e == "json"));
    let mut paths = walked.into_result().map_err(|e| match e {
        WalkError::Read { path, source } => CaseError::Read { path, source },
        other => CaseError::Walk(other),
    })?;
    if paths.is_empty() {
        return Err(CaseError::Empty {
            path: dir.to_owned(),
        });
    }
    paths.sort();
    collect(paths.iter().map(|p| Case::load(dir, p)))
}

#[cfg(test)]
mod tests {
    use super::super::example::MINIMAL;
    use super::*;

    #[test]
    fn the_shipped_cases_all_load_named_by_their_path() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
        let cases = load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert!(cases.len() >= 20, "only {} cases", cases.len());
        assert!(
            cases
                .iter()
                .any(|c| c.name == "delete-files/valid-one-file"),
            "{:?}",
            cases.iter().map(|c| &c.name).collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_built_in_cases_are_the_repository_s() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
        let on_disk = load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        let built_in = CaseSource::BuiltIn.load().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(built_in.len(), on_disk.len());
        for (a, b) in built_in.iter().zip(&on_disk) {
            assert_eq!(a.name, b.name);
            assert_eq!(a.request, b.request);
            assert!(b.path.ends_with(&a.path), "{:?} {:?}", a.path, b.path);
        }
    }

    #[test]
    fn two_cases_of_one_name_in_two_folders_keep_apart() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for folder in ["a", "b"] {
            let _ = std::fs::create_dir_all(dir.path().join(folder));
            let _ = std::fs::write(dir.path().join(folder).join("same.json"), MINIMAL);
        }
        let cases = load_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a/same", "b/same"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_case_file_named_with_a_line_break_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let _ = std::fs::write(dir.path().join("good.json"), MINIMAL);
        let _ = std::fs::write(dir.path().join("two\nlines.json"), MINIMAL);
        let error = load_dir(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.contains(r#"name "two\nlines" holds the control character"#),
            "{error}"
        );
    }

    #[test]
    fn every_broken_case_file_is_reported_in_one_pass() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let _ = std::fs::write(dir.path().join("good.json"), MINIMAL);
        let _ = std::fs::write(dir.path().join("bad-one.json"), "{");
        let _ = std::fs::write(
            dir.path().join("bad-two.json"),
            MINIMAL.replace("{{batchId}}", "{{batch}}"),
        );
        let error = load_dir(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("2 case file(s) are unusable"), "{error}");
        assert!(
            error.contains("bad-one.json") && error.contains("bad-two.json"),
            "{error}"
        );
    }
}
