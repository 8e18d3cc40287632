//! Everything a run found: every case, what the end of the run removed, the traffic, and the
//! verdict that follows; and the events the runner emits as it goes.

use std::time::Duration;

use serde::Serialize;

use super::{BaselineStatus, CaseResult, Failure, Outcome};

/// Case counts by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
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
#[non_exhaustive]
pub struct TargetInfo {
    /// The base URL.
    pub base_url: String,
    /// The snapshot profile: `mock` for the built-in mock.
    pub profile: String,
    /// The baseline folder compared with, if any.
    pub baseline: Option<String>,
}

/// What the end of a run removed, and what it could not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Cleanup {
    /// Ids deleted (classifications, or batches of a reused classification).
    pub deleted: Vec<String>,
    /// Ids that were already gone when the run came to delete them (a read confirmed it).
    pub gone: Vec<String>,
    /// Ids that could not be deleted, with why.
    pub failed: Vec<(String, String)>,
    /// What the run left in place on purpose (`--keep`): the fixtures of the cases that
    /// failed.
    pub kept: Option<Kept>,
}

/// The fixtures of the failed cases, left in place by a run with `--keep` so that their
/// requests can be sent again by hand; `cleanup --run-id` deletes them later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Kept {
    /// The run's id: the marker everything it created carries.
    pub run_id: String,
    /// Classifications kept whole (with every batch in them).
    pub classifications: Vec<String>,
    /// Batches kept in a classification the run did not create (`--classification-id`), as
    /// `(classificationId, batchId)`.
    pub batches: Vec<(String, String)>,
    /// The cases whose fixtures these are.
    pub cases: Vec<String>,
}

impl Kept {
    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.classifications.is_empty() && self.batches.is_empty()
    }
}

/// What was sent to the target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Traffic {
    /// HTTP requests that reached the target (answered, or failed after the connection was
    /// made), every retry included.
    pub requests: u64,
    /// uploadFiles requests among them (each costs the account credits).
    pub uploads: u64,
    /// Destructive requests among them.
    pub deletes: u64,
    /// Requests given up on the way when the run was stopped: the target may or may not
    /// have received them.
    pub abandoned: u64,
}

/// The run's verdict, from which the exit code follows. Exhaustive on purpose: a new verdict
/// must be given its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every case passed and everything the run created is gone.
    Pass,
    /// A contract check failed.
    Contract,
    /// Only drift from the baseline failed.
    Drift,
    /// The run could not finish: interrupted, or it could not delete what it created.
    CouldNotFinish,
}

/// Everything a run found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RunReport {
    /// Where it ran.
    pub target: TargetInfo,
    /// One result per case, sorted by name.
    pub cases: Vec<CaseResult>,
    /// What the run removed at the end.
    pub cleanup: Cleanup,
    /// Whether Ctrl-C stopped it early.
    pub interrupted: bool,
    /// Wall time of the whole run.
    pub duration: Duration,
    /// What was sent to the target.
    pub traffic: Traffic,
    /// How many cases the selection left out.
    pub deselected: usize,
    /// Baselines whose case no longer exists, by name (and whether `--prune` removed them).
    pub orphaned: Vec<String>,
    /// Whether the orphaned baselines were removed.
    pub pruned: bool,
}

/// How many baselines fared how in a run with `--snapshots`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BaselineSummary {
    /// Recorded, new or rewritten.
    pub recorded: usize,
    /// Matched.
    pub unchanged: usize,
    /// Drifted.
    pub changed: usize,
    /// Not recorded yet.
    pub missing: usize,
    /// Not recorded: their case failed its contract.
    pub held_back: usize,
    /// Without a case.
    pub orphaned: usize,
}

impl RunReport {
    /// How the baselines fared; `None` in a run without `--snapshots`.
    pub fn baseline_summary(&self) -> Option<BaselineSummary> {
        self.target.baseline.as_ref()?;
        let mut summary = BaselineSummary {
            orphaned: self.orphaned.len(),
            ..BaselineSummary::default()
        };
        for check in self.cases.iter().filter_map(|c| c.baseline.as_ref()) {
            match check.status {
                BaselineStatus::Recorded => summary.recorded += 1,
                BaselineStatus::Unchanged => summary.unchanged += 1,
                BaselineStatus::Changed => summary.changed += 1,
                BaselineStatus::Missing => summary.missing += 1,
                BaselineStatus::HeldBack => summary.held_back += 1,
            }
        }
        Some(summary)
    }

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

    /// The verdict: could not finish first, then a contract failure, then drift.
    pub fn verdict(&self) -> Verdict {
        let failed = || self.cases.iter().filter(|c| c.outcome == Outcome::Failed);
        if self.interrupted || !self.cleanup.failed.is_empty() {
            Verdict::CouldNotFinish
        } else if failed().any(|c| c.failures.iter().any(|f| f.change_class().is_none())) {
            Verdict::Contract
        } else if failed().next().is_some() {
            Verdict::Drift
        } else {
            Verdict::Pass
        }
    }

    /// Whether the target conforms and the run left nothing behind.
    pub fn conforms(&self) -> bool {
        self.verdict() == Verdict::Pass
    }

    /// Every drift, as `(case, failure)`, in case order.
    pub fn drifts(&self) -> impl Iterator<Item = (&CaseResult, &Failure)> {
        self.cases
            .iter()
            .flat_map(|case| case.drifts().map(move |f| (case, f)))
    }
}

/// What the runner tells its observer as the run goes: the interface between the runner and
/// whoever reports progress.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum RunEvent<'a> {
    /// A case finished.
    CaseFinished {
        /// Its result.
        result: &'a CaseResult,
        /// How many cases have finished, this one included.
        done: usize,
        /// How many cases the run holds.
        total: usize,
    },
}

/// A report of `cases` against the built-in mock's address, with nothing else to say: the
/// start of the report every renderer's tests build on.
#[cfg(test)]
pub(crate) fn report_of(cases: Vec<CaseResult>) -> RunReport {
    RunReport {
        target: TargetInfo {
            base_url: "http://127.0.0.1:1/api/v1".into(),
            profile: "mock".into(),
            baseline: None,
        },
        cases,
        cleanup: Cleanup::default(),
        interrupted: false,
        duration: Duration::ZERO,
        traffic: Traffic::default(),
        deselected: 0,
        orphaned: Vec::new(),
        pruned: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::case::StatusPattern;
    use crate::result::Change;

    fn case(outcome: Outcome, failures: Vec<Failure>) -> CaseResult {
        CaseResult::new("c", "d", outcome, failures, None, Duration::ZERO)
    }

    fn report(cases: Vec<CaseResult>) -> RunReport {
        super::report_of(cases)
    }

    #[test]
    fn a_run_that_left_data_behind_does_not_conform() {
        let mut run = report(vec![case(Outcome::Passed, vec![])]);
        assert_eq!(run.verdict(), Verdict::Pass);
        run.cleanup.failed.push(("cls-1".into(), "refused".into()));
        assert_eq!(run.verdict(), Verdict::CouldNotFinish);
        assert!(!run.conforms());
    }

    #[test]
    fn a_contract_failure_outranks_a_drift() {
        let drift = Failure::Drift(Change::Status {
            before: 400,
            after: 404,
        });
        let status = Failure::Status {
            expected: vec![StatusPattern::Exact(200)],
            actual: 500,
            documented: None,
        };
        assert_eq!(
            report(vec![case(Outcome::Failed, vec![drift.clone()])]).verdict(),
            Verdict::Drift
        );
        assert_eq!(
            report(vec![
                case(Outcome::Failed, vec![drift]),
                case(Outcome::Failed, vec![status])
            ])
            .verdict(),
            Verdict::Contract
        );
    }
}
