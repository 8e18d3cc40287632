//! The human report: one line per case as it finishes, failures indented below it, then a
//! closing summary with the drifts first. Colour only when `colour` is set (a terminal).

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use crate::result::{CaseResult, Outcome, RunReport};

fn paint(text: &str, style: Style, colour: bool) -> String {
    if colour {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

fn label(outcome: Outcome, colour: bool) -> String {
    let (text, colour_of) = match outcome {
        Outcome::Passed => ("PASS", AnsiColor::Green),
        Outcome::Failed => ("FAIL", AnsiColor::Red),
        Outcome::Skipped => ("SKIP", AnsiColor::Yellow),
    };
    paint(text, colour_of.on_default().bold(), colour)
}

/// The line (and failure lines) for one finished case; `progress` is `(done, total)`.
pub fn case_lines(case: &CaseResult, progress: (usize, usize), colour: bool) -> String {
    let (done, total) = progress;
    let width = total.to_string().len();
    let mut text = format!(
        "[{done:>width$}/{total}] {} {} ({} ms)",
        label(case.outcome, colour),
        case.name,
        case.duration.as_millis()
    );
    for failure in &case.failures {
        let _ = write!(text, "\n     {failure}");
    }
    text
}

/// The closing block: drifts, cleanup problems, the traffic, and `N passed, N failed`.
pub fn summary(report: &RunReport, colour: bool) -> String {
    let mut text = String::new();
    let drifts: Vec<_> = report.drifts().collect();
    if !drifts.is_empty() {
        let heading = format!("drift from the baseline ({} change(s)):", drifts.len());
        let _ = writeln!(
            text,
            "{}",
            paint(&heading, AnsiColor::Magenta.on_default().bold(), colour)
        );
        for (case, failure) in drifts {
            let class = failure
                .change_class()
                .map(|c| c.to_string())
                .unwrap_or_default();
            let _ = writeln!(text, "  {}: {} ({class})", case.name, failure.message());
        }
    }
    let failed: Vec<&CaseResult> = report
        .cases
        .iter()
        .filter(|c| c.outcome == Outcome::Failed)
        .collect();
    if !failed.is_empty() {
        let names: Vec<&str> = failed.iter().map(|c| c.name.as_str()).collect();
        let _ = writeln!(text, "failed: {}", names.join(", "));
    }
    if report.interrupted {
        text.push_str("interrupted: the remaining cases were skipped\n");
    }
    for (id, reason) in &report.cleanup.failed {
        let _ = writeln!(text, "cleanup: could not delete {id}: {reason}");
    }
    let target = &report.target;
    let baseline = target
        .baseline
        .as_deref()
        .map(|b| format!(", baseline {b}"))
        .unwrap_or_default();
    let traffic = report.traffic;
    let _ = writeln!(
        text,
        "target {} (profile {}{baseline}): {} requests ({} uploads, {} deletes) in {} ms",
        target.base_url,
        target.profile,
        traffic.requests,
        traffic.uploads,
        traffic.deletes,
        report.duration.as_millis()
    );
    let summary = report.summary();
    let _ = write!(text, "{} passed, {} failed", summary.passed, summary.failed);
    if summary.skipped > 0 {
        let _ = write!(text, ", {} skipped", summary.skipped);
    }
    text
}
