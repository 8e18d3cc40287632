//! The Markdown summary for CI pages (GitHub Actions' `$GITHUB_STEP_SUMMARY`): the verdict,
//! every case that did not pass, the drift and the baselines, as tables.

use std::fmt::Write as _;

use super::view::{View, outcome_word};
use crate::redact::escaped;
use crate::result::{RunReport, Verdict};

/// Text in a table cell: escaped (no control characters), pipes and angle brackets defused.
fn cell(text: &str) -> String {
    escaped(text)
        .replace('|', r"\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The heading with the verdict, and the counts with where the run went.
fn heading(view: &View<'_>, text: &mut String) {
    let verdict = match view.verdict {
        Verdict::Pass => "passed",
        Verdict::Contract => "contract violated",
        Verdict::Drift => "drift from the baseline",
        Verdict::CouldNotFinish => "could not finish",
    };
    let summary = view.summary;
    let _ = write!(
        text,
        "## extracta-contract: {verdict}\n\n{} passed, {} failed, {} skipped",
        summary.passed, summary.failed, summary.skipped
    );
    if view.report.deselected > 0 {
        let _ = write!(text, ", {} not selected", view.report.deselected);
    }
    let target = &view.report.target;
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
        view.requests(),
        view.duration_ms()
    );
}

/// Every case that did not pass, and why.
fn not_passed_table(view: &View<'_>, text: &mut String) {
    let mut rows = view.not_passed().peekable();
    if rows.peek().is_none() {
        return;
    }
    text.push_str("| case | outcome | why |\n| --- | --- | --- |\n");
    for case in rows {
        let _ = writeln!(
            text,
            "| `{}` | {} | {} |",
            cell(&case.result.name),
            outcome_word(case.result.outcome),
            cell(&case.why())
        );
    }
    text.push('\n');
}

/// Every drift with its class.
fn drift_table(view: &View<'_>, text: &mut String) {
    if view.drifts.is_empty() {
        return;
    }
    text.push_str("### Drift\n\n| case | change | class |\n| --- | --- | --- |\n");
    for drift in &view.drifts {
        let _ = writeln!(
            text,
            "| `{}` | {} | {} |",
            cell(drift.case),
            cell(&drift.message),
            drift.class
        );
    }
    text.push('\n');
}

/// The summary as Markdown.
pub fn to_markdown(report: &RunReport) -> String {
    let view = View::new(report);
    let mut text = String::new();
    heading(&view, &mut text);
    not_passed_table(&view, &mut text);
    drift_table(&view, &mut text);
    if let Some(baselines) = view.baselines {
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
