//! Why case files could not be used: every problem of every file, each a value that names its
//! file and field.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::contract::input::WalkError;

/// How far a case file got before a problem stopped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CaseProblemKind {
    /// The file could not be read.
    Unreadable,
    /// Its text is not JSON.
    NotJson,
    /// JSON, but not a valid case: the schema refuses it, or a rule the schema cannot hold
    /// (a fixture item that does not exist, an unknown placeholder or schema).
    Invalid,
}

/// One problem of one case file: which file, where in it, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CaseProblem {
    /// The case file.
    pub file: PathBuf,
    /// JSON pointer to the field concerned (`/expect/status`), `""` for the whole file.
    pub pointer: String,
    /// What is wrong there.
    pub message: String,
    /// How far the file got.
    pub kind: CaseProblemKind,
}

impl CaseProblem {
    /// A problem of a file that is JSON but not a valid case.
    pub(super) fn invalid(
        file: &Path,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> CaseProblem {
        CaseProblem {
            file: file.to_owned(),
            pointer: pointer.into(),
            message: message.into(),
            kind: CaseProblemKind::Invalid,
        }
    }

    /// A file that could not be read.
    pub(super) fn unreadable(file: &Path, error: &impl fmt::Display) -> CaseProblem {
        CaseProblem {
            kind: CaseProblemKind::Unreadable,
            ..CaseProblem::invalid(file, "", error.to_string())
        }
    }

    /// A file whose text is not JSON; `reason` says where.
    pub(super) fn not_json(file: &Path, reason: impl Into<String>) -> CaseProblem {
        CaseProblem {
            kind: CaseProblemKind::NotJson,
            ..CaseProblem::invalid(file, "", reason)
        }
    }

    /// `pointer: message`, or the message alone for the whole file.
    fn write_field(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.pointer.is_empty() {
            write!(f, "{}: ", self.pointer)?;
        }
        f.write_str(&self.message)
    }

    /// The problem as the whole message of an error: what failed, the file, then where and what.
    fn write_alone(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match self.kind {
            CaseProblemKind::Unreadable => write!(f, "read {file}: ")?,
            CaseProblemKind::NotJson => write!(f, "parse case file {file}: ")?,
            CaseProblemKind::Invalid => write!(f, "load case file {file}: ")?,
        }
        self.write_field(f)
    }
}

impl fmt::Display for CaseProblem {
    /// One line of a list: `file: pointer: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file.display())?;
        match self.kind {
            CaseProblemKind::Unreadable => f.write_str("cannot be read: ")?,
            CaseProblemKind::NotJson => f.write_str("not JSON: ")?,
            CaseProblemKind::Invalid => {}
        }
        self.write_field(f)
    }
}

/// Why cases could not be used: a folder that cannot be read or holds none, or every problem
/// of every unusable case file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// A folder of cases could not be read.
    #[error("read {path}: {source}")]
    Read {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Case files are unusable: every problem of every one, in the order of the files.
    #[error("{}", Listed(problems))]
    Invalid {
        /// The problems, at least one.
        problems: Vec<CaseProblem>,
    },
    /// The folder of cases could not be walked: it holds too much, or too deep.
    #[error(transparent)]
    Walk(WalkError),
    /// No case files where they were looked for.
    #[error("find cases: no *.json case files under {path}")]
    Empty {
        /// The folder searched.
        path: PathBuf,
    },
}

impl CaseError {
    /// The problems of the case files (none when a folder could not be read or held no case).
    pub fn problems(&self) -> &[CaseProblem] {
        match self {
            CaseError::Invalid { problems } => problems,
            CaseError::Read { .. } | CaseError::Walk(_) | CaseError::Empty { .. } => &[],
        }
    }

    /// The first line of the message when the problems follow it one per line, as they do
    /// when there is more than one; `None` when the message is a line of its own.
    pub fn heading(&self) -> Option<String> {
        heading(self.problems())
    }
}

fn heading(problems: &[CaseProblem]) -> Option<String> {
    let [first, _, ..] = problems else {
        return None;
    };
    let mut files: Vec<&Path> = problems.iter().map(|p| p.file.as_path()).collect();
    files.sort_unstable();
    files.dedup();
    Some(if files.len() == 1 {
        format!(
            "load case file {}: {} problems:",
            first.file.display(),
            problems.len()
        )
    } else {
        format!("load cases: {} case file(s) are unusable:", files.len())
    })
}

/// The problems as an error's message: one alone on its line, several each on a line of its
/// own below a heading.
struct Listed<'a>(&'a [CaseProblem]);

impl fmt::Display for Listed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (heading(self.0), self.0) {
            (None, [one]) => one.write_alone(f),
            (None, _) => f.write_str("load cases: no problem recorded"),
            (Some(heading), problems) => {
                f.write_str(&heading)?;
                problems
                    .iter()
                    .try_for_each(|problem| write!(f, "\n  {problem}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(problems: Vec<CaseProblem>) -> String {
        CaseError::Invalid { problems }.to_string()
    }

    #[test]
    fn one_problem_reads_as_one_line_naming_the_file_and_the_field() {
        let file = Path::new("cases/a/b.json");
        assert_eq!(
            error(vec![CaseProblem::invalid(
                file,
                "/expect/status",
                "is not 200"
            )]),
            "load case file cases/a/b.json: /expect/status: is not 200"
        );
        assert_eq!(
            error(vec![CaseProblem::not_json(file, "EOF at line 1")]),
            "parse case file cases/a/b.json: EOF at line 1"
        );
        assert_eq!(
            error(vec![CaseProblem::invalid(file, "", "unknown field")]),
            "load case file cases/a/b.json: unknown field"
        );
    }

    #[test]
    fn several_problems_are_listed_one_per_line_under_a_count() {
        let (a, b) = (Path::new("cases/a.json"), Path::new("cases/b.json"));
        let one_file = CaseError::Invalid {
            problems: vec![
                CaseProblem::invalid(a, "/request", "no path"),
                CaseProblem::invalid(a, "/expect/deleted", "file 2 does not exist"),
            ],
        };
        assert_eq!(
            one_file.to_string(),
            "load case file cases/a.json: 2 problems:\n  \
             cases/a.json: /request: no path\n  \
             cases/a.json: /expect/deleted: file 2 does not exist"
        );
        let two_files = error(vec![
            CaseProblem::invalid(a, "/request", "no path"),
            CaseProblem::not_json(b, "EOF"),
        ]);
        assert_eq!(
            two_files,
            "load cases: 2 case file(s) are unusable:\n  \
             cases/a.json: /request: no path\n  \
             cases/b.json: not JSON: EOF"
        );
        assert_eq!(one_file.problems().len(), 2);
    }
}
