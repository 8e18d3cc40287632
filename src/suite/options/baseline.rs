//! What a run does with the baselines: none, compare, inspect or update ([`Baseline`]).

use std::path::{Path, PathBuf};

/// What the run does with the baselines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Baseline {
    /// No baseline: the contract only.
    #[default]
    None,
    /// Compare each observation with the baseline in `dir`; a difference waits as `.snap.new`.
    Compare {
        /// The folder.
        dir: PathBuf,
        /// Remove the baselines whose case no longer exists.
        prune: bool,
    },
    /// Compare without writing or removing a file: the baselines are another target's, as when
    /// checking the mock's parity with them.
    Inspect {
        /// The folder.
        dir: PathBuf,
    },
    /// Record each observation as the new baseline in `dir`.
    Update {
        /// The folder.
        dir: PathBuf,
        /// Record also the cases that failed their contract.
        force: bool,
        /// Remove the baselines whose case no longer exists.
        prune: bool,
    },
}

impl Baseline {
    /// The folder, if any.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            Baseline::None => None,
            Baseline::Compare { dir, .. }
            | Baseline::Inspect { dir }
            | Baseline::Update { dir, .. } => Some(dir),
        }
    }

    /// Whether the baselines without a case are removed.
    pub fn prunes(&self) -> bool {
        matches!(
            self,
            Baseline::Compare { prune: true, .. } | Baseline::Update { prune: true, .. }
        )
    }

    /// Whether the run records rather than compares.
    pub fn updates(&self) -> bool {
        matches!(self, Baseline::Update { .. })
    }
}
