//! The human report: one line per case as it finishes, failures indented below it, then a
//! closing summary with the drifts first. Colour only when `colour` is set (a terminal).
//!
//! Text that came from the target (messages, ids, content types) is shown [`escaped`]: a
//! server cannot clear the screen, draw its own lines or write a CI workflow command, and every
//! line starts with text of ours.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use super::shown::{bounded, shown_case};
use super::view::{CaseView, DRIFTS_SHOWN, View, counted, counted_u64, more_left_out};
use crate::redact::Redactor;
use crate::result::{CaseResult, Outcome, RunReport};

/// The one escaper (it lives beside the redactor), for the lines the CLI prints beside the
/// report.
pub use crate::redact::escaped;

/// How much of an answer's body a failing case shows on the terminal.
const SHOWN_IN_TEXT: usize = 500;

/// The most bytes one case writes to the text log (its line, its failures, its request and its
/// answer); past it the rest is cut and a line says so. The parts are bounded on their own (20
/// failure lines of quoted values, a request of at most 16 KiB, 500 characters of the answer),
/// so this only guards what they do not foresee.
pub const CASE_TEXT_MAX: usize = 64 * 1024;

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

/// `items` escaped, joined with `, `.
fn listed<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.map(escaped).collect::<Vec<_>>().join(", ")
}

/// The line (and failure lines) for one finished case; `progress` is `(done, total)`. At most
/// [`CASE_TEXT_MAX`] bytes, whatever the target sent.
pub fn case_lines(case: &CaseResult, progress: (usize, usize), colour: bool) -> String {
    let case = &shown_case(case, &Redactor::default());
    let view = CaseView::new(case);
    let (done, total) = progress;
    let width = total.to_string().len();
    let mut text = format!(
        "[{done:>width$}/{total}] {} {} ({} ms)",
        label(case.outcome, colour),
        escaped(&case.name),
        case.duration.as_millis()
    );
    if let Some(reason) = &view.skip_reason {
        let _ = write!(text, "\n     skipped: {}", escaped(reason));
    }
    for failure in &view.contract_failures {
        let _ = write!(text, "\n     {}", escaped(failure));
    }
    if view.drifts > 0 {
        let _ = write!(
            text,
            "\n     drift: {} from the baseline, listed at the end",
            counted(view.drifts, "change", "changes")
        );
    }
    if let (true, Some(request)) = (view.failed(), &view.request) {
        let _ = write!(text, "\n     request: {request}");
        if let Some(answer) = &view.answer {
            let _ = write!(
                text,
                "\n     answer:  {} {} {}",
                answer.status,
                escaped(answer.content_type),
                escaped(&answer.body(SHOWN_IN_TEXT))
            );
        }
    }
    cut(text, CASE_TEXT_MAX)
}

/// `text` cut to at most `max` bytes (at a character's boundary), with a line saying how many
/// more there were.
fn cut(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let left_out = text.len() - end;
        text.truncate(end);
        let _ = write!(
            text,
            "\n     … ({left_out} more bytes of this case left out)"
        );
    }
    text
}

/// The reads that show what a case's request did to its fixture, as `curl` commands: for a run
/// that kept the fixture of a failed case, to send after its request.
pub fn read_back_lines(case: &CaseResult) -> String {
    let case = &shown_case(case, &Redactor::default());
    case.read_back
        .iter()
        .map(|request| format!("     read back: {}", super::curl::curl_line(request)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a run with `--keep` left in place, and how to delete it later: `command` is the
/// command line that deletes it (or a sentence, for the built-in mock); empty when nothing was
/// kept.
pub fn kept_lines(report: &RunReport, command: &str) -> String {
    let Some(kept) = report.cleanup.kept.as_ref().filter(|k| !k.is_empty()) else {
        return String::new();
    };
    let mut things: Vec<String> = kept
        .classifications
        .iter()
        .map(|c| format!("classification {}", escaped(c)))
        .collect();
    things.extend(
        kept.batches
            .iter()
            .map(|(c, b)| format!("batch {} of {}", escaped(b), escaped(c))),
    );
    let cases: Vec<String> = kept.cases.iter().map(|c| escaped(c).into_owned()).collect();
    format!(
        "kept for inspection (--keep, run {}): {} (the fixtures of {})\n{command}",
        escaped(&kept.run_id),
        things.join(", "),
        cases.join(", ")
    )
}

/// The drifts of `report`, each distinct change once with the cases it was seen in, under a
/// heading that counts them by class; empty without drift.
pub fn drifts(report: &RunReport, colour: bool) -> String {
    let report = &bounded(report);
    let mut text = String::new();
    drift_block(&View::new(report), colour, &mut text);
    text
}

/// The drifts, each distinct change once with the cases it was seen in, under a heading that
/// counts them by class.
fn drift_block(view: &View<'_>, colour: bool, text: &mut String) {
    if view.drift_groups.is_empty() {
        return;
    }
    let heading = format!("drift from the baseline: {}:", view.drift_counts.sentence());
    let style = AnsiColor::Magenta.on_default().bold();
    let _ = writeln!(text, "{}", paint(&heading, style, colour));
    for group in view.drift_groups.iter().take(DRIFTS_SHOWN) {
        let _ = writeln!(
            text,
            "  {} ({}) {}",
            escaped(&group.message),
            group.class,
            escaped(&group.seen_in())
        );
    }
    let left_out = view.drift_groups.len().saturating_sub(DRIFTS_SHOWN);
    if left_out > 0 {
        let _ = writeln!(text, "  {}", more_left_out(left_out, "change", "changes"));
    }
}

/// The ids the cleanup found gone, and those it could not delete.
fn cleanup_block(report: &RunReport, text: &mut String) {
    let cleanup = &report.cleanup;
    if !cleanup.gone.is_empty() {
        let _ = writeln!(
            text,
            "cleanup: already gone before the run could delete it: {}",
            listed(cleanup.gone.iter().map(String::as_str))
        );
    }
    for (id, reason) in &cleanup.failed {
        let _ = writeln!(
            text,
            "cleanup: could not delete {}: {}",
            escaped(id),
            escaped(reason)
        );
    }
}

/// How the baselines fared, and each orphaned one.
fn baseline_block(view: &View<'_>, text: &mut String) {
    let Some(baselines) = view.baselines else {
        return;
    };
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
    let _ = writeln!(text, "{line}, {} orphaned", baselines.orphaned);
    let action = if view.report.pruned {
        "removed"
    } else {
        "no case; --prune removes it"
    };
    for name in &view.report.orphaned {
        let _ = writeln!(text, "  orphaned baseline {}: {action}", escaped(name));
    }
}

/// Where the run went, what it sent, and how long it took.
fn target_line(view: &View<'_>, text: &mut String) {
    let report = view.report;
    let target = &report.target;
    let baseline = target
        .baseline
        .as_deref()
        .map(|b| format!(", baseline {b}"))
        .unwrap_or_default();
    let traffic = report.traffic;
    let abandoned = if traffic.abandoned > 0 {
        format!("; {} abandoned when the run was stopped", traffic.abandoned)
    } else {
        String::new()
    };
    let _ = writeln!(
        text,
        "target {} (profile {}{baseline}): {} ({}, {}{abandoned}) in {} ms",
        escaped(&target.base_url),
        escaped(&target.profile),
        view.requests(),
        counted_u64(traffic.uploads, "upload", "uploads"),
        counted_u64(traffic.deletes, "delete", "deletes"),
        view.duration_ms()
    );
}

/// The closing block: drifts, cleanup problems, the traffic, and `N passed, N failed`.
pub fn summary(report: &RunReport, colour: bool) -> String {
    let report = &bounded(report);
    let view = View::new(report);
    let mut text = String::new();
    drift_block(&view, colour, &mut text);
    let failed: Vec<&str> = view
        .cases
        .iter()
        .filter(|c| c.failed())
        .map(|c| c.result.name.as_str())
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(text, "failed: {}", listed(failed.into_iter()));
    }
    if report.interrupted {
        text.push_str("interrupted: the remaining cases were skipped\n");
    }
    cleanup_block(report, &mut text);
    baseline_block(&view, &mut text);
    target_line(&view, &mut text);
    let summary = view.summary;
    let _ = write!(text, "{} passed, {} failed", summary.passed, summary.failed);
    if summary.skipped > 0 {
        let _ = write!(text, ", {} skipped", summary.skipped);
    }
    if report.deselected > 0 {
        let _ = write!(text, ", {} not selected", report.deselected);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{Cleanup, Failure};
    use std::time::Duration;

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

    fn failed(name: &str, failures: Vec<Failure>) -> CaseResult {
        CaseResult::new(name, "d", Outcome::Failed, failures, None, Duration::ZERO)
    }

    fn reset() -> Failure {
        Failure::Transport {
            cause: "reset".to_owned(),
        }
    }

    #[test]
    fn a_case_that_drifted_says_how_much_on_a_line_of_its_own() {
        use crate::result::Change;
        let drift = |path: &str| Failure::Drift(Change::FieldAdded { path: path.into() });
        let text = case_lines(&failed("c/x", vec![drift("a"), drift("b")]), (1, 1), false);
        assert!(
            text.ends_with("\n     drift: 2 changes from the baseline, listed at the end"),
            "{text}"
        );
        let text = case_lines(&failed("c/x", vec![reset()]), (1, 1), false);
        assert!(!text.contains("drift"), "{text}");
    }

    #[test]
    fn a_failing_case_shows_a_request_of_some_kilobytes_whole() {
        use crate::contract::case::Auth;
        use crate::result::{Exchange, SentBody, SentRequest};
        let body = format!("{{\"fileIds\": [\"{}\"]}}", "f".repeat(8_000));
        let case = failed("c/x", vec![reset()]).with_exchange(Some(Exchange {
            request: SentRequest {
                method: "DELETE".into(),
                url: "http://127.0.0.1:1/api/v1/documentClassification/deleteFiles".into(),
                auth: Auth::Valid,
                content_type: Some("application/json".into()),
                body: SentBody::Text { text: body },
            },
            response: None,
        }));
        let text = case_lines(&case, (1, 1), false);
        assert!(text.contains(&"f".repeat(8_000)), "{}", text.len());
        assert!(!text.contains("left out"));
    }

    fn report_of(cases: Vec<CaseResult>, cleanup: Cleanup) -> RunReport {
        RunReport {
            cleanup,
            ..crate::result::report_of(cases)
        }
    }

    #[test]
    fn the_summary_names_the_failed_cases_and_the_ids_already_gone() {
        let cleanup = Cleanup {
            gone: vec!["b1".into(), "b2".into()],
            ..Cleanup::default()
        };
        let cases = vec![failed("c/a", vec![reset()]), failed("c/b", vec![reset()])];
        let text = summary(&report_of(cases, cleanup), false);
        assert!(text.contains("failed: c/a, c/b\n"), "{text}");
        assert!(
            text.contains("cleanup: already gone before the run could delete it: b1, b2\n"),
            "{text}"
        );
    }

    #[test]
    fn drifts_past_those_listed_are_counted() {
        use crate::result::Change;
        let drift = |n: usize| {
            failed(
                &format!("c/{n}"),
                vec![Failure::Drift(Change::FieldAdded {
                    path: format!("f{n}"),
                })],
            )
        };
        let report = report_of(
            (0..DRIFTS_SHOWN + 2).map(drift).collect(),
            Cleanup::default(),
        );
        let text = drifts(&report, false);
        assert!(
            text.contains("  field `f0` added (additive) in c/0\n"),
            "{text}"
        );
        assert!(
            text.ends_with("  … and 2 more changes (the JSON report lists every one)\n"),
            "{text}"
        );
        let report = report_of((0..DRIFTS_SHOWN).map(drift).collect(), Cleanup::default());
        assert!(!drifts(&report, false).contains("… and"));
        assert_eq!(drifts(&report_of(vec![], Cleanup::default()), false), "");
    }

    #[test]
    fn a_kept_fixture_is_listed_with_the_command_that_deletes_it() {
        use crate::result::Kept;
        let kept = |classifications: Vec<String>, batches: Vec<(String, String)>| Cleanup {
            kept: Some(Kept {
                run_id: "r1".into(),
                classifications,
                batches,
                cases: vec!["c/a".into(), "c/b".into()],
            }),
            ..Cleanup::default()
        };
        let report = report_of(
            vec![],
            kept(vec!["k1".into()], vec![("k0".into(), "b9".into())]),
        );
        assert_eq!(
            kept_lines(&report, "delete: cmd"),
            "kept for inspection (--keep, run r1): classification k1, batch b9 of k0 (the fixtures of c/a, c/b)\ndelete: cmd"
        );
        let report = report_of(vec![], kept(vec![], vec![("k0".into(), "b9".into())]));
        assert!(kept_lines(&report, "cmd").starts_with("kept for inspection"));
        assert_eq!(
            kept_lines(&report_of(vec![], kept(vec![], vec![])), "cmd"),
            ""
        );
        assert_eq!(
            kept_lines(&report_of(vec![], Cleanup::default()), "cmd"),
            ""
        );
    }

    #[test]
    fn each_read_back_of_a_case_is_a_curl_line() {
        use crate::contract::case::Auth;
        use crate::result::{SentBody, SentRequest};
        let mut case = failed("c/x", vec![reset()]);
        case.read_back = ["b1", "b2"]
            .map(|batch| SentRequest {
                method: "POST".into(),
                url: "http://127.0.0.1:1/api/v1/documentClassification/getResults".into(),
                auth: Auth::Valid,
                content_type: Some("application/json".into()),
                body: SentBody::Text {
                    text: format!("{{\"batchId\":\"{batch}\"}}"),
                },
            })
            .to_vec();
        let text = read_back_lines(&case);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].starts_with("     read back: curl "), "{text}");
        assert!(lines[1].contains("b2"), "{text}");
    }

    #[test]
    fn a_case_past_its_bound_is_cut_at_a_character_and_says_how_much_was_left_out() {
        assert_eq!(cut("abcdef".into(), 6), "abcdef");
        assert_eq!(
            cut("abcdefg".into(), 6),
            "abcdef\n     … (1 more bytes of this case left out)"
        );
        // 'é' takes two bytes: the cut does not split it.
        assert_eq!(
            cut("abcdeé".into(), 6),
            "abcde\n     … (2 more bytes of this case left out)"
        );
    }

    #[test]
    fn failures_past_those_shown_are_counted_on_the_last_line() {
        use super::super::view::FAILURES_SHOWN;
        let failures = (0..FAILURES_SHOWN + 3)
            .map(|n| Failure::Transport {
                cause: format!("reset {n}"),
            })
            .collect();
        let text = case_lines(&failed("c/x", failures), (1, 1), false);
        assert_eq!(text.lines().count(), 1 + FAILURES_SHOWN + 1, "{text}");
        assert!(
            text.ends_with("\n     … and 3 more failures (the JSON report lists every one)"),
            "{text}"
        );
    }

    #[test]
    fn the_summary_of_a_stopped_run_says_all_it_did_and_left_undone() {
        use crate::result::{SkipReason, Traffic};
        let cleanup = Cleanup {
            failed: vec![("c9".into(), "timed out".into())],
            ..Cleanup::default()
        };
        let cases = vec![
            failed("c/a", vec![reset()]),
            CaseResult::new("c/b", "d", Outcome::Passed, vec![], None, Duration::ZERO),
            CaseResult::skipped("c/c", "d", SkipReason::Interrupted),
        ];
        let mut report = report_of(cases, cleanup);
        report.interrupted = true;
        report.deselected = 4;
        report.duration = Duration::from_millis(1234);
        report.traffic = Traffic {
            requests: 9,
            uploads: 1,
            deletes: 2,
            abandoned: 3,
        };
        report.target.baseline = Some("snapshots/staging".into());
        assert_eq!(
            summary(&report, false),
            "failed: c/a\n\
             interrupted: the remaining cases were skipped\n\
             cleanup: could not delete c9: timed out\n\
             baselines: 0 recorded, 0 unchanged, 0 changed, 0 missing, 0 orphaned\n\
             target http://127.0.0.1:1/api/v1 (profile mock, baseline snapshots/staging): \
             9 requests (1 upload, 2 deletes; 3 abandoned when the run was stopped) in 1234 ms\n\
             1 passed, 1 failed, 1 skipped, 4 not selected"
        );
        // A whole run says none of what it has not to say.
        let passed = CaseResult::new("c/b", "d", Outcome::Passed, vec![], None, Duration::ZERO);
        assert_eq!(
            summary(&report_of(vec![passed], Cleanup::default()), false),
            "target http://127.0.0.1:1/api/v1 (profile mock): \
             0 requests (0 uploads, 0 deletes) in 0 ms\n\
             1 passed, 0 failed"
        );
    }
}
