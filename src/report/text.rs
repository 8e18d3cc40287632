//! The human report: one line per case, failures indented below it, a closing count.

use std::fmt::Write as _;

use super::model::{CaseReport, Outcome, RunReport};

/// The line (and failure lines) for one finished case.
pub fn case_lines(case: &CaseReport) -> String {
    let label = match case.outcome {
        Outcome::Passed => "PASS",
        Outcome::Failed => "FAIL",
        Outcome::Skipped => "SKIP",
    };
    let mut text = format!("{label} {} ({} ms)", case.name, case.duration.as_millis());
    for failure in &case.failures {
        let _ = write!(text, "\n     {failure}");
    }
    text
}

/// The closing block: cleanup problems, the target, and `N passed, N failed`.
pub fn summary(report: &RunReport) -> String {
    let mut text = String::new();
    if report.interrupted {
        text.push_str("interrupted: the remaining cases were skipped\n");
    }
    for (id, reason) in &report.cleanup.failed {
        let _ = writeln!(
            text,
            "cleanup: could not delete classification {id}: {reason}"
        );
    }
    let summary = report.summary();
    let _ = writeln!(
        text,
        "target {} (profile {}): {} requests in {} ms",
        report.target.base_url,
        report.target.profile,
        report.requests,
        report.duration.as_millis()
    );
    let _ = write!(text, "{} passed, {} failed", summary.passed, summary.failed);
    if summary.skipped > 0 {
        let _ = write!(text, ", {} skipped", summary.skipped);
    }
    text
}
