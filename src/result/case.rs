//! One case's result: how it ended, its failures, the exchange that produced them, and what
//! became of its baseline.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use super::{Exchange, Failure, SentRequest, Snapshot};

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Outcome {
    /// Every check held (drift that the run lets pass included).
    Passed,
    /// A check failed, or a drift that fails the run.
    Failed,
    /// Not run.
    Skipped,
}

/// Why a case was not run: the one place its wording lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// It acts as a second account, and the run has no second key.
    NoSecondAccount,
    /// It needs a classification of its own, and `--classification-id` keeps the run to one.
    NeedsOwnClassification,
    /// `--max-deletes` was spent before its turn.
    DeleteCap {
        /// The cap.
        max: u64,
        /// How many destructive requests the case sends.
        needs: u64,
    },
    /// The run was stopped before the case ran.
    Interrupted,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::NoSecondAccount => f.write_str(
                "it acts as a second account: give one with --second-api-key or EXTRACTA_SECOND_API_KEY",
            ),
            SkipReason::NeedsOwnClassification => f.write_str(
                "it needs a classification of its own, and --classification-id keeps the run to the one it names",
            ),
            SkipReason::DeleteCap { max, needs } => write!(
                f,
                "held back by --max-deletes {max}: it sends {needs} delete(s) and the cap is spent"
            ),
            SkipReason::Interrupted => f.write_str("the run was interrupted before it"),
        }
    }
}

/// What became of a case's baseline in a run with `--snapshots`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum BaselineStatus {
    /// The observation matches it.
    Unchanged,
    /// The observation differs (drift); the new one waits as `.snap.new`.
    Changed,
    /// There is none yet; the observation waits as `.snap.new`.
    Missing,
    /// Recorded (`--update-snapshots`): new, or rewritten.
    Recorded,
    /// Not recorded: the case failed its contract (`--force` records it anyway).
    HeldBack,
}

/// A case's baseline: what became of it, and what it held before the run.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct BaselineCheck {
    /// What became of it.
    pub status: BaselineStatus,
    /// What it held before the run, if anything.
    pub recorded: Option<Snapshot>,
}

/// One case's result.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// What it checks.
    pub description: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Wall time of the case, provisioning included.
    pub duration: Duration,
    /// Every failed check and every drift.
    pub failures: Vec<Failure>,
    /// The normalised observation; `None` when nothing was observed.
    pub observation: Option<Snapshot>,
    /// Why it was skipped, when it was.
    pub skip_reason: Option<SkipReason>,
    /// The last request it sent and the answer, when it sent one.
    pub exchange: Option<Exchange>,
    /// Its baseline, in a run with `--snapshots`.
    pub baseline: Option<BaselineCheck>,
    /// The reads that show what its request did to its fixture (getResults of each batch),
    /// to send by hand after a run that kept the fixture.
    pub read_back: Vec<SentRequest>,
}

impl CaseResult {
    /// A case that ran, with the outcome its failures earned.
    pub fn new(
        name: &str,
        description: &str,
        outcome: Outcome,
        failures: Vec<Failure>,
        observation: Option<Snapshot>,
        duration: Duration,
    ) -> Self {
        CaseResult {
            name: name.to_owned(),
            description: description.to_owned(),
            outcome,
            failures,
            observation,
            duration,
            skip_reason: None,
            exchange: None,
            baseline: None,
            read_back: Vec::new(),
        }
    }

    /// The result with the exchange that produced it.
    #[must_use]
    pub fn with_exchange(mut self, exchange: Option<Exchange>) -> Self {
        self.exchange = exchange;
        self
    }

    /// The result with the reads that show its effect.
    #[must_use]
    pub fn with_read_back(mut self, read_back: Vec<SentRequest>) -> Self {
        self.read_back = read_back;
        self
    }

    /// The result with what became of its baseline.
    #[must_use]
    pub fn with_baseline(mut self, baseline: Option<BaselineCheck>) -> Self {
        self.baseline = baseline;
        self
    }

    /// A case that was not run, and why.
    pub fn skipped(name: &str, description: &str, reason: SkipReason) -> Self {
        CaseResult {
            skip_reason: Some(reason),
            ..CaseResult::new(
                name,
                description,
                Outcome::Skipped,
                Vec::new(),
                None,
                Duration::ZERO,
            )
        }
    }

    /// Every drift of this case.
    pub fn drifts(&self) -> impl Iterator<Item = &Failure> {
        self.failures.iter().filter(|f| f.change_class().is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_skip_reason_reads_as_the_sentence_the_reports_show() {
        let held = SkipReason::DeleteCap { max: 2, needs: 3 };
        assert_eq!(
            held.to_string(),
            "held back by --max-deletes 2: it sends 3 delete(s) and the cap is spent"
        );
        let case = CaseResult::skipped("c", "d", SkipReason::Interrupted);
        assert_eq!(case.outcome, Outcome::Skipped);
        assert_eq!(
            case.skip_reason.map(|r| r.to_string()).as_deref(),
            Some("the run was interrupted before it")
        );
    }
}
