//! The report model: what a run found, independent of how it is shown.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::check::Failure;
use crate::fixtures::Cleanup;
use crate::runner::FailOn;
use crate::target::Traffic;

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Outcome {
    /// Every check held.
    Passed,
    /// At least one check failed.
    Failed,
    /// Not run (the run was interrupted first).
    Skipped,
}

/// One case's result.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CaseReport {
    /// The case's name.
    pub name: String,
    /// What it checks.
    pub description: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Every failed check.
    pub failures: Vec<Failure>,
    /// The normalised observation, for snapshots; `None` when nothing was observed.
    pub observation: Option<Value>,
    /// Wall time of the case, provisioning included.
    pub duration: Duration,
}

impl CaseReport {
    /// A report whose outcome follows from `failures`: any contract failure fails the case,
    /// a drift only when `fail_on` says so.
    pub fn new(
        name: &str,
        description: &str,
        failures: Vec<Failure>,
        observation: Option<Value>,
        duration: Duration,
        fail_on: FailOn,
    ) -> Self {
        let failed = failures
            .iter()
            .any(|f| f.change.is_none_or(|class| fail_on.fails(class)));
        CaseReport {
            name: name.to_owned(),
            description: description.to_owned(),
            outcome: if failed {
                Outcome::Failed
            } else {
                Outcome::Passed
            },
            failures,
            observation,
            duration,
        }
    }

    /// A case that was not run.
    pub fn skipped(name: &str, description: &str) -> Self {
        CaseReport {
            outcome: Outcome::Skipped,
            ..CaseReport::new(
                name,
                description,
                Vec::new(),
                None,
                Duration::ZERO,
                FailOn::Any,
            )
        }
    }
}

/// Case counts by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Cases not run.
    pub skipped: usize,
}

/// Where the run went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetInfo {
    /// The base URL.
    pub base_url: String,
    /// The snapshot profile: `mock` for the built-in mock.
    pub profile: String,
    /// The baseline folder compared with, if any.
    pub baseline: Option<String>,
}

/// Everything a run found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RunReport {
    /// Where it ran.
    pub target: TargetInfo,
    /// One report per case, sorted by name.
    pub cases: Vec<CaseReport>,
    /// What the run removed at the end.
    pub cleanup: Cleanup,
    /// Whether Ctrl-C stopped it early.
    pub interrupted: bool,
    /// Wall time of the whole run.
    pub duration: Duration,
    /// What was sent to the target.
    pub traffic: Traffic,
}

impl RunReport {
    /// Case counts by outcome.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for case in &self.cases {
            match case.outcome {
                Outcome::Passed => summary.passed += 1,
                Outcome::Failed => summary.failed += 1,
                Outcome::Skipped => summary.skipped += 1,
            }
        }
        summary
    }

    /// Whether every case passed.
    pub fn conforms(&self) -> bool {
        self.cases.iter().all(|c| c.outcome == Outcome::Passed)
    }

    /// Every drift, as `(case, failure)`, in case order.
    pub fn drifts(&self) -> impl Iterator<Item = (&CaseReport, &Failure)> {
        self.cases.iter().flat_map(|case| {
            case.failures
                .iter()
                .filter(|f| f.change.is_some())
                .map(move |f| (case, f))
        })
    }
}
