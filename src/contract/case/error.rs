//! Why case files could not be used.

use std::path::PathBuf;

/// Why case files could not be used. Every variant names the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaseError {
    /// The file or folder could not be read.
    #[error("read {path}: {source}")]
    Read {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Not JSON.
    #[error("parse case file {path}: {reason}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Where and what.
        reason: String,
    },
    /// JSON, but not a valid case.
    #[error("load case file {path}: {problems}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Each problem with the field it concerns, `; ` separated.
        problems: String,
    },
    /// No case files where they were looked for.
    #[error("find cases: no *.json case files under {path}")]
    Empty {
        /// The folder searched.
        path: PathBuf,
    },
    /// Several case files are unusable: every one of them.
    #[error("load cases: {} case file(s) are unusable:\n  {}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  "))]
    Many(Vec<CaseError>),
}
