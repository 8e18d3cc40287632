//! The Markdown summary for CI pages (GitHub Actions' `$GITHUB_STEP_SUMMARY`): the verdict,
//! every case that did not pass, the drift and the baselines, as tables.

use std::fmt::Write as _;

use super::text::{counted, escaped};
use crate::result::{Outcome, RunReport, Verdict};

/// Text in a table cell: escaped (no control characters), pipes and angle brackets defused.
fn cell(text: &str) -> String {
    escaped(text)
        .replace('|', r"\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The summary as Markdown.
pub fn to_markdown(report: &RunReport) -> String {
    let summary = report.summary();
    let verdict = match report.verdict() {
        Verdict::Pass => "passed",
        Verdict::Contract => "contract violated",
        Verdict::Drift => "drift from the baseline",
        Verdict::CouldNotFinish => "could not finish",
    };
    let mut text = format!(
        "## extracta-contract: {verdict}\n\n{} passed, {} failed, {} skipped",
        summary.passed, summary.failed, summary.skipped
    );
    if report.deselected > 0 {
        let _ = write!(text, ", {} not selected", report.deselected);
    }
    let target = &report.target;
    let _ = write!(
        text,
        " against `{}` (profile `{}`",
        cell(&target.base_url),
        cell(&target.profile)
    );
    if let Some(baseline) = &target.baseline {
        let _ = write!(text, ", baseline `{}`", cell(baseline));
    }
    let _ = writeln!(
        text,
        "): {} in {} ms.\n",
        counted(
            usize::try_from(report.traffic.requests).unwrap_or(usize::MAX),
            "request",
            "requests"
        ),
        report.duration.as_millis()
    );
    let not_passed: Vec<_> = report
        .cases
        .iter()
        .filter(|c| c.outcome != Outcome::Passed)
        .collect();
    if !not_passed.is_empty() {
        text.push_str("| case | outcome | why |\n| --- | --- | --- |\n");
        for case in not_passed {
            let (outcome, why) = match case.outcome {
                Outcome::Skipped => (
                    "skipped",
                    case.skip_reason.map(|r| r.to_string()).unwrap_or_default(),
                ),
                _ => (
                    "failed",
                    case.failures
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
            };
            let _ = writeln!(
                text,
                "| `{}` | {outcome} | {} |",
                cell(&case.name),
                cell(&why)
            );
        }
        text.push('\n');
    }
    let drifts: Vec<_> = report.drifts().collect();
    if !drifts.is_empty() {
        text.push_str("### Drift\n\n| case | change | class |\n| --- | --- | --- |\n");
        for (case, failure) in drifts {
            let class = failure
                .change_class()
                .map(|c| c.to_string())
                .unwrap_or_default();
            let _ = writeln!(
                text,
                "| `{}` | {} | {class} |",
                cell(&case.name),
                cell(&failure.message())
            );
        }
        text.push('\n');
    }
    if let Some(baselines) = report.baseline_summary() {
        let _ = writeln!(
            text,
            "Baselines: {} recorded, {} unchanged, {} changed, {} missing, {} not recorded, {} orphaned.\n",
            baselines.recorded,
            baselines.unchanged,
            baselines.changed,
            baselines.missing,
            baselines.held_back,
            baselines.orphaned
        );
    }
    for (id, reason) in &report.cleanup.failed {
        let _ = writeln!(
            text,
            "Cleanup could not delete `{}`: {}\n",
            cell(id),
            cell(reason)
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_cannot_break_the_table_or_inject_html() {
        assert_eq!(cell("a | b\n<script>"), r"a \| b\n&lt;script&gt;");
    }
}
