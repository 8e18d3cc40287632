//! The human report: one line per case as it finishes, failures indented below it, then a
//! closing summary with the drifts first. Colour only when `colour` is set (a terminal).
//!
//! Text that came from the target (messages, ids, content types) is shown [`escaped`]: a
//! server cannot clear the screen, draw its own lines or write a CI workflow command, and every
//! line starts with text of ours.

use std::borrow::Cow;
use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use super::curl::curl_line;
use crate::result::{CaseResult, Outcome, RunReport, shortened};

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

/// `text` with everything a terminal or a CI log would act on shown visibly: control
/// characters (newlines and ANSI escapes among them) as `\n`, `\x1b`..., and the invisible
/// characters that reorder or hide text as `\u{202e}`...
pub fn escaped(text: &str) -> Cow<'_, str> {
    let acts = |c: char| {
        c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    };
    if !text.chars().any(acts) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            '\t' => shown.push_str("\\t"),
            c if c.is_control() && u32::from(c) < 0x100 => {
                let _ = write!(shown, "\\x{:02x}", u32::from(c));
            }
            c if acts(c) => {
                let _ = write!(shown, "\\u{{{:x}}}", u32::from(c));
            }
            c => shown.push(c),
        }
    }
    Cow::Owned(shown)
}

/// The line (and failure lines) for one finished case; `progress` is `(done, total)`.
pub fn case_lines(case: &CaseResult, progress: (usize, usize), colour: bool) -> String {
    let (done, total) = progress;
    let width = total.to_string().len();
    let mut text = format!(
        "[{done:>width$}/{total}] {} {} ({} ms)",
        label(case.outcome, colour),
        escaped(&case.name),
        case.duration.as_millis()
    );
    if let Some(reason) = &case.skip_reason {
        let _ = write!(text, "\n     skipped: {}", escaped(&reason.to_string()));
    }
    for failure in &case.failures {
        let _ = write!(text, "\n     {}", escaped(&failure.to_string()));
    }
    if case.outcome == Outcome::Failed {
        if let Some(exchange) = &case.exchange {
            let _ = write!(text, "\n     request: {}", curl_line(&exchange.request));
            if let Some(response) = &exchange.response {
                let _ = write!(
                    text,
                    "\n     answer:  {} {} {}",
                    response.status,
                    escaped(
                        response
                            .content_type
                            .as_deref()
                            .unwrap_or("(no Content-Type)")
                    ),
                    escaped(&shortened(&response.text, SHOWN_IN_TEXT))
                );
            }
        }
    }
    text
}

/// How much of an answer's body a failing case shows on the terminal.
const SHOWN_IN_TEXT: usize = 500;

/// The closing block: drifts, cleanup problems, the traffic, and `N passed, N failed`.
pub fn summary(report: &RunReport, colour: bool) -> String {
    let mut text = String::new();
    let drifts: Vec<_> = report.drifts().collect();
    if !drifts.is_empty() {
        let heading = format!(
            "drift from the baseline ({}):",
            counted(drifts.len(), "change", "changes")
        );
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
            let _ = writeln!(
                text,
                "  {}: {} ({class})",
                escaped(&case.name),
                escaped(&failure.message())
            );
        }
    }
    let failed: Vec<&CaseResult> = report
        .cases
        .iter()
        .filter(|c| c.outcome == Outcome::Failed)
        .collect();
    if !failed.is_empty() {
        let names: Vec<Cow<'_, str>> = failed.iter().map(|c| escaped(&c.name)).collect();
        let _ = writeln!(text, "failed: {}", names.join(", "));
    }
    if report.interrupted {
        text.push_str("interrupted: the remaining cases were skipped\n");
    }
    if !report.cleanup.gone.is_empty() {
        let ids: Vec<Cow<'_, str>> = report.cleanup.gone.iter().map(|id| escaped(id)).collect();
        let _ = writeln!(
            text,
            "cleanup: already gone before the run could delete it: {}",
            ids.join(", ")
        );
    }
    for (id, reason) in &report.cleanup.failed {
        let _ = writeln!(
            text,
            "cleanup: could not delete {}: {}",
            escaped(id),
            escaped(reason)
        );
    }
    let target = &report.target;
    let baseline = target
        .baseline
        .as_deref()
        .map(|b| format!(", baseline {b}"))
        .unwrap_or_default();
    if let Some(baselines) = report.baseline_summary() {
        let mut line = format!(
            "baselines: {} recorded, {} unchanged, {} changed, {} missing",
            baselines.recorded, baselines.unchanged, baselines.changed, baselines.missing
        );
        if baselines.held_back > 0 {
            let _ = write!(
                line,
                ", {} not recorded (the case failed; --force records it)",
                baselines.held_back
            );
        }
        let _ = write!(line, ", {} orphaned", baselines.orphaned);
        let _ = writeln!(text, "{line}");
        for name in &report.orphaned {
            let action = if report.pruned {
                "removed"
            } else {
                "no case; --prune removes it"
            };
            let _ = writeln!(text, "  orphaned baseline {}: {action}", escaped(name));
        }
    }
    let traffic = report.traffic;
    let _ = writeln!(
        text,
        "target {} (profile {}{baseline}): {} ({}, {}) in {} ms",
        escaped(&target.base_url),
        escaped(&target.profile),
        counted(
            usize::try_from(traffic.requests).unwrap_or(usize::MAX),
            "request",
            "requests"
        ),
        counted(
            usize::try_from(traffic.uploads).unwrap_or(usize::MAX),
            "upload",
            "uploads"
        ),
        counted(
            usize::try_from(traffic.deletes).unwrap_or(usize::MAX),
            "delete",
            "deletes"
        ),
        report.duration.as_millis()
    );
    let summary = report.summary();
    let _ = write!(text, "{} passed, {} failed", summary.passed, summary.failed);
    if summary.skipped > 0 {
        let _ = write!(text, ", {} skipped", summary.skipped);
    }
    if report.deselected > 0 {
        let _ = write!(text, ", {} not selected", report.deselected);
    }
    text
}

/// `n` with the noun in the number it takes: `1 change`, `3 changes`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{Failure, Outcome};
    use std::time::Duration;

    #[test]
    fn server_text_cannot_draw_lines_or_clear_the_screen() {
        let hostile = "x\n[24/24] PASS all\n::error::pwned\u{1b}[2J\u{202e}";
        let shown = escaped(hostile);
        assert!(!shown.contains('\n') && !shown.contains('\u{1b}') && !shown.contains('\u{202e}'));
        assert_eq!(
            shown,
            "x\\n[24/24] PASS all\\n::error::pwned\\x1b[2J\\u{202e}"
        );
        assert!(matches!(escaped("Files deleted"), Cow::Borrowed(_)));
    }

    #[test]
    fn every_line_of_a_failing_case_starts_with_text_of_ours() {
        let case = CaseResult::new(
            "delete-files/x",
            "d",
            Outcome::Failed,
            vec![Failure::Transport {
                cause: "reset\n::error::pwned".to_owned(),
            }],
            None,
            Duration::ZERO,
        );
        let text = case_lines(&case, (1, 1), false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[1].starts_with("     transport: "), "{text}");
    }
}
