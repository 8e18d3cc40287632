//! What the renderers show, prepared once from a [`RunReport`]: the counts, every case with
//! its failures, request and answer, the drift list, the cleanup and the baselines. The text,
//! Markdown, JUnit and HTML renderers only lay it out, each escaping for where it goes.

use super::curl::curl_line;
pub use crate::result::quote::shortened;
use crate::result::{
    BaselineSummary, CaseResult, ChangeClass, Failure, Outcome, Response, RunReport, Snapshot,
    Summary, Verdict,
};

/// How much of an answer's body the JSON and JUnit reports show.
pub const SHOWN_BODY: usize = 4096;

/// The most failures of one case the text, Markdown, JUnit and HTML reports show; a line says
/// how many more there are (the JSON report lists every one).
pub const FAILURES_SHOWN: usize = 20;

/// The most drifts the closing list of the text report and the Markdown drift table show.
pub const DRIFTS_SHOWN: usize = 100;

/// The most case names a grouped drift line names; a count stands for the rest.
pub const GROUP_CASES_SHOWN: usize = 10;

/// `n` with the noun in the number it takes: `1 change`, `3 changes`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The line after the first of a list, for the `n` left out: `… and 3 more failures (the JSON
/// report lists every one)`.
pub fn more_left_out(n: usize, one: &str, many: &str) -> String {
    let noun = if n == 1 { one } else { many };
    format!("… and {n} more {noun} (the JSON report lists every one)")
}

/// `n` of a traffic counter, counted.
pub fn counted_u64(n: u64, one: &str, many: &str) -> String {
    counted(usize::try_from(n).unwrap_or(usize::MAX), one, many)
}

/// An outcome as the reports write it: `passed`, `failed`, `skipped`.
pub fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "passed",
        Outcome::Failed => "failed",
        Outcome::Skipped => "skipped",
    }
}

/// The answer block of a case: status, media type, and the body as long as a report shows it.
pub struct Answer<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`, or `(no Content-Type)`.
    pub content_type: &'a str,
    text: &'a str,
}

impl<'a> Answer<'a> {
    fn new(response: &'a Response) -> Self {
        Answer {
            status: response.status,
            content_type: response
                .content_type
                .as_deref()
                .unwrap_or("(no Content-Type)"),
            text: &response.text,
        }
    }

    /// The body, cut after `limit` characters.
    pub fn body(&self, limit: usize) -> String {
        shortened(self.text, limit)
    }
}

/// Every failure of `case` that `keep` keeps as a line, the first [`FAILURES_SHOWN`] of them,
/// and then how many more there are.
fn failure_lines(case: &CaseResult, keep: impl Fn(&Failure) -> bool) -> Vec<String> {
    let kept: Vec<&Failure> = case.failures.iter().filter(|f| keep(f)).collect();
    let mut lines: Vec<String> = kept
        .iter()
        .take(FAILURES_SHOWN)
        .map(ToString::to_string)
        .collect();
    if kept.len() > FAILURES_SHOWN {
        lines.push(more_left_out(
            kept.len() - FAILURES_SHOWN,
            "failure",
            "failures",
        ));
    }
    lines
}

/// A case as the reports show it.
pub struct CaseView<'a> {
    /// The result itself: name, description, outcome, duration.
    pub result: &'a CaseResult,
    /// Why it was skipped, as a sentence.
    pub skip_reason: Option<String>,
    /// Every failure as a sentence led by its kind (`status: expected 200, got 404`), the first
    /// [`FAILURES_SHOWN`] of them and a line saying how many more.
    pub failures: Vec<String>,
    /// The same of its contract failures only (no drift).
    pub contract_failures: Vec<String>,
    /// How many drifts it has.
    pub drifts: usize,
    /// The `curl` command of its last request, when it sent one.
    pub request: Option<String>,
    /// The answer to it, when one came.
    pub answer: Option<Answer<'a>>,
}

impl<'a> CaseView<'a> {
    /// The view of one case.
    pub fn new(case: &'a CaseResult) -> Self {
        let exchange = case.exchange.as_ref();
        CaseView {
            result: case,
            skip_reason: case.skip_reason.map(|r| r.to_string()),
            failures: failure_lines(case, |_| true),
            contract_failures: failure_lines(case, |f| f.change_class().is_none()),
            drifts: case.drifts().count(),
            request: exchange.map(|e| curl_line(&e.request)),
            answer: exchange.and_then(|e| e.response.as_ref()).map(Answer::new),
        }
    }

    /// Whether it failed.
    pub fn failed(&self) -> bool {
        self.result.outcome == Outcome::Failed
    }

    /// The kinds of its failures, each once, in the order the failures came.
    pub fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<String> = Vec::new();
        for kind in self.result.failures.iter().map(|f| f.kind().to_string()) {
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        kinds
    }

    /// Why it did not pass: the skip reason, or every failure.
    pub fn why(&self) -> String {
        match (&self.skip_reason, self.result.outcome) {
            (Some(reason), Outcome::Skipped) => reason.clone(),
            (None, Outcome::Skipped) => String::new(),
            _ => self.failures.join("; "),
        }
    }

    /// The baseline and this run's observation, when the case drifted from a recorded one.
    pub fn drift_diff(&self) -> Option<(&'a Snapshot, &'a Snapshot)> {
        let case = self.result;
        case.drifts().next()?;
        let before = case.baseline.as_ref().and_then(|b| b.recorded.as_ref())?;
        Some((before, case.observation.as_ref()?))
    }
}

/// One change, seen in one case or in several, said once.
pub struct DriftGroup<'a> {
    /// What changed, in a sentence.
    pub message: String,
    /// Breaking, wording or additive.
    pub class: ChangeClass,
    /// The cases it was seen in, in case order.
    pub cases: Vec<&'a str>,
}

impl DriftGroup<'_> {
    /// Where it was seen: `in delete-files/a`, or `in 27 cases: a, b, … and 17 more`.
    pub fn seen_in(&self) -> String {
        match self.cases.as_slice() {
            [one] => format!("in {one}"),
            many => {
                let named: Vec<&str> = many.iter().take(GROUP_CASES_SHOWN).copied().collect();
                let mut text = format!("in {} cases: {}", many.len(), named.join(", "));
                if many.len() > GROUP_CASES_SHOWN {
                    text.push_str(&format!(" and {} more", many.len() - GROUP_CASES_SHOWN));
                }
                text
            }
        }
    }
}

/// Every drift of `report`, each distinct change once with the cases it was seen in: the most
/// widespread first, breaking before wording before additive.
fn drift_groups(report: &RunReport) -> Vec<DriftGroup<'_>> {
    let mut groups: Vec<DriftGroup<'_>> = Vec::new();
    for (case, failure) in report.drifts() {
        let message = failure.message();
        let class = failure.change_class().unwrap_or(ChangeClass::Breaking);
        match groups
            .iter_mut()
            .find(|g| g.message == message && g.class == class)
        {
            Some(group) => {
                if group.cases.last() != Some(&case.name.as_str()) {
                    group.cases.push(&case.name);
                }
            }
            None => groups.push(DriftGroup {
                message,
                class,
                cases: vec![&case.name],
            }),
        }
    }
    groups.sort_by(|a, b| {
        b.cases
            .len()
            .cmp(&a.cases.len())
            .then(b.class.cmp(&a.class))
    });
    groups
}

/// How many drifts of each class a run has, in how many cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DriftCounts {
    /// Every change.
    pub changes: usize,
    /// The cases that drifted.
    pub cases: usize,
    /// Breaking changes.
    pub breaking: usize,
    /// Reworded messages.
    pub wording: usize,
    /// Added fields.
    pub additive: usize,
}

impl DriftCounts {
    fn of(report: &RunReport) -> Self {
        let mut counts = DriftCounts::default();
        for case in &report.cases {
            let mut drifted = false;
            for failure in case.drifts() {
                drifted = true;
                counts.changes += 1;
                match failure.change_class() {
                    Some(ChangeClass::Additive) => counts.additive += 1,
                    Some(ChangeClass::Wording) => counts.wording += 1,
                    _ => counts.breaking += 1,
                }
            }
            counts.cases += usize::from(drifted);
        }
        counts
    }

    /// `82 changes in 27 cases (80 breaking, 2 wording)`.
    pub fn sentence(&self) -> String {
        let classes: Vec<String> = [
            (self.breaking, "breaking"),
            (self.wording, "wording"),
            (self.additive, "additive"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, class)| format!("{n} {class}"))
        .collect();
        format!(
            "{} in {} ({})",
            counted(self.changes, "change", "changes"),
            counted(self.cases, "case", "cases"),
            classes.join(", ")
        )
    }
}

/// A run as the reports show it.
pub struct View<'a> {
    /// The report itself.
    pub report: &'a RunReport,
    /// Case counts by outcome.
    pub summary: Summary,
    /// The verdict.
    pub verdict: Verdict,
    /// Every case, in the report's order.
    pub cases: Vec<CaseView<'a>>,
    /// Every distinct change once, with the cases it was seen in.
    pub drift_groups: Vec<DriftGroup<'a>>,
    /// How many drifts of each class.
    pub drift_counts: DriftCounts,
    /// How the baselines fared, in a run with `--snapshots`.
    pub baselines: Option<BaselineSummary>,
}

impl<'a> View<'a> {
    /// The view of a run.
    pub fn new(report: &'a RunReport) -> Self {
        View {
            report,
            summary: report.summary(),
            verdict: report.verdict(),
            cases: report.cases.iter().map(CaseView::new).collect(),
            drift_groups: drift_groups(report),
            drift_counts: DriftCounts::of(report),
            baselines: report.baseline_summary(),
        }
    }

    /// The cases that did not pass.
    pub fn not_passed(&self) -> impl Iterator<Item = &CaseView<'a>> {
        self.cases
            .iter()
            .filter(|c| c.result.outcome != Outcome::Passed)
    }

    /// The requests sent, counted: `1 request`, `12 requests`.
    pub fn requests(&self) -> String {
        counted_u64(self.report.traffic.requests, "request", "requests")
    }

    /// The run's wall time in milliseconds.
    pub fn duration_ms(&self) -> u128 {
        self.report.duration.as_millis()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::result::{Failure, SkipReason};

    #[test]
    fn a_case_that_did_not_pass_says_why_in_one_line() {
        let failures = vec![
            Failure::Transport {
                cause: "reset".into(),
            },
            Failure::Setup {
                reason: "refused".into(),
            },
        ];
        let failed = CaseResult::new("c", "d", Outcome::Failed, failures, None, Duration::ZERO);
        let view = CaseView::new(&failed);
        assert_eq!(view.why(), "transport: reset; setup: refused");
        assert_eq!(view.kinds(), ["transport", "setup"]);
        let skipped = CaseResult::skipped("c", "d", SkipReason::Interrupted);
        assert_eq!(
            CaseView::new(&skipped).why(),
            "the run was interrupted before it"
        );
    }

    #[test]
    fn a_long_body_is_cut_and_says_how_much_more_there_was() {
        assert_eq!(shortened("éééé", 2), "éé… (4 more bytes)");
        assert_eq!(shortened("ab", 2), "ab");
        assert_eq!(counted(1, "change", "changes"), "1 change");
        assert_eq!(counted(0, "change", "changes"), "0 changes");
    }
}
