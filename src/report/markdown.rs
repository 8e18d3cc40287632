//! The Markdown summary for CI pages (GitHub Actions' `$GITHUB_STEP_SUMMARY`): the verdict,
//! every case that did not pass, the drift and the baselines, as tables.
//!
//! Text that is not ours (names, reasons, messages, URLs) is written as inline code, so a
//! target's Markdown never renders: no image, no link, no HTML. The summary stays under
//! [`SUMMARY_MAX`] bytes whatever the target sends.

use std::fmt::Write as _;

use super::shown::bounded;
use super::view::{DRIFTS_SHOWN, View, counted, outcome_word, shortened};
use crate::redact::escaped;
use crate::result::{RunReport, Verdict};

/// The most bytes of the summary. GitHub Actions refuses a step summary over 1 MiB
/// (1,048,576 bytes); past this, the rows that do not fit are left out and a line says how
/// many.
pub const SUMMARY_MAX: usize = 1_000_000;

/// The most characters of the reasons one row shows.
const WHY_CHARS: usize = 1000;

/// What the closing line of a cut summary may take.
const CLOSING_RESERVE: usize = 512;

/// Text as an inline code span: escaped (no control or invisible character, no CI command), a
/// pipe as `\|` (a table splits cells at any other, inside code too), fenced by one backtick
/// more than its longest run of them. Empty text is nothing.
fn code(text: &str) -> String {
    let shown = escaped(text);
    let mut body = String::with_capacity(shown.len() + 2);
    // Whether the characters just before are an odd run of backslashes.
    let mut odd_backslashes = false;
    for c in shown.chars() {
        if c == '|' {
            // An odd run of backslashes before it would escape the pipe's own escape.
            body.push_str(if odd_backslashes { "\\\\" } else { "\\" });
        }
        odd_backslashes = c == '\\' && !odd_backslashes;
        body.push(c);
    }
    if body.is_empty() {
        return body;
    }
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = body.starts_with('`')
        || body.ends_with('`')
        || (body.starts_with(' ') && body.ends_with(' '));
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// Adds `rows` to `text` while the summary stays within [`SUMMARY_MAX`]; how many did not fit.
fn push_rows(text: &mut String, rows: impl ExactSizeIterator<Item = String>) -> usize {
    let total = rows.len();
    for (n, row) in rows.enumerate() {
        if text.len() + row.len() + CLOSING_RESERVE > SUMMARY_MAX {
            return total - n;
        }
        text.push_str(&row);
    }
    0
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
        " against {} (profile {}",
        code(&target.base_url),
        code(&target.profile)
    );
    if let Some(baseline) = &target.baseline {
        let _ = write!(text, ", baseline {}", code(baseline));
    }
    let _ = writeln!(
        text,
        "): {} in {} ms.\n",
        view.requests(),
        view.duration_ms()
    );
}

/// Every case that did not pass, and why; how many rows did not fit.
fn not_passed_table(view: &View<'_>, text: &mut String) -> usize {
    let rows: Vec<String> = view
        .not_passed()
        .map(|case| {
            format!(
                "| {} | {} | {} |\n",
                code(&case.result.name),
                outcome_word(case.result.outcome),
                code(&shortened(&case.why(), WHY_CHARS))
            )
        })
        .collect();
    if rows.is_empty() {
        return 0;
    }
    text.push_str("| case | outcome | why |\n| --- | --- | --- |\n");
    let left_out = push_rows(text, rows.into_iter());
    text.push('\n');
    left_out
}

/// Every distinct change once, with its class and the cases it was seen in; how many rows did
/// not fit.
fn drift_table(view: &View<'_>, text: &mut String) -> usize {
    if view.drift_groups.is_empty() {
        return 0;
    }
    let _ = writeln!(
        text,
        "### Drift: {}\n\n| change | class | seen |\n| --- | --- | --- |",
        view.drift_counts.sentence()
    );
    let rows: Vec<String> = view
        .drift_groups
        .iter()
        .take(DRIFTS_SHOWN)
        .map(|group| {
            format!(
                "| {} | {} | {} |\n",
                code(&group.message),
                group.class,
                code(&group.seen_in())
            )
        })
        .collect();
    let left_out =
        push_rows(text, rows.into_iter()) + view.drift_groups.len().saturating_sub(DRIFTS_SHOWN);
    text.push('\n');
    left_out
}

/// The summary as Markdown, at most [`SUMMARY_MAX`] bytes.
pub fn to_markdown(report: &RunReport) -> String {
    let report = &bounded(report);
    let view = View::new(report);
    let mut text = String::new();
    heading(&view, &mut text);
    let cases_left_out = not_passed_table(&view, &mut text);
    let drifts_left_out = drift_table(&view, &mut text);
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
    let cleanup = report.cleanup.failed.iter().map(|(id, reason)| {
        format!(
            "Cleanup could not delete {}: {}\n\n",
            code(id),
            code(&shortened(reason, WHY_CHARS))
        )
    });
    let cleanup_left_out = push_rows(&mut text, cleanup);
    if cases_left_out + drifts_left_out + cleanup_left_out > 0 {
        let _ = writeln!(
            text,
            "Left out to keep this summary under GitHub's 1 MiB limit: {}, {} and {}; the JSON and HTML reports hold every one.",
            counted(cases_left_out, "case row", "case rows"),
            counted(drifts_left_out, "drift row", "drift rows"),
            counted(cleanup_left_out, "cleanup line", "cleanup lines"),
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{CaseResult, Change, Failure, Outcome};

    #[test]
    fn target_text_is_code_that_cannot_break_the_table_or_render() {
        assert_eq!(code("a | b\n<script>"), r"`a \| b\n<script>`");
        assert_eq!(code("![ok](https://x/y.svg)"), "`![ok](https://x/y.svg)`");
        assert_eq!(code("a ``` b"), "````a ``` b````");
        assert_eq!(code("`x"), "`` `x ``");
        // Padded where a backtick or a space at both ends would be taken off, and only there.
        assert_eq!(code("x`"), "`` x` ``");
        assert_eq!(code(" x "), "`  x  `");
        assert_eq!(code(" x"), "` x`");
        assert_eq!(code("x "), "`x `");
        // A backslash before a pipe does not unescape it.
        assert_eq!(code(r"a\|b"), r"`a\\\|b`");
        assert_eq!(code(r"a\\|b"), r"`a\\\|b`");
        assert_eq!(code(r"a\\\|b"), r"`a\\\\\|b`");
        assert_eq!(code(""), "");
    }

    /// A report of `cases` of one failure each.
    fn report_of(failures: impl Iterator<Item = Failure>) -> RunReport {
        crate::result::report_of(
            failures
                .enumerate()
                .map(|(n, failure)| {
                    CaseResult::new(
                        &format!("case-{n}"),
                        "d",
                        Outcome::Failed,
                        vec![failure],
                        None,
                        std::time::Duration::ZERO,
                    )
                })
                .collect(),
        )
    }

    #[test]
    fn a_summary_of_endless_failures_stays_under_the_limit_and_says_what_it_left_out() {
        let failure = |n: usize| Failure::Transport {
            cause: format!("{n} {}", "x".repeat(900)),
        };
        let summary = to_markdown(&report_of((0..5000).map(failure)));
        assert!(summary.len() <= SUMMARY_MAX, "{}", summary.len());
        assert!(
            summary.contains("Left out to keep this summary under GitHub's 1 MiB limit:"),
            "{}",
            &summary[summary.len() - 500..]
        );
    }

    #[test]
    fn drifts_past_those_shown_are_counted_as_left_out() {
        let drift = |n: usize| {
            Failure::Drift(Change::FieldAdded {
                path: format!("field{n}"),
            })
        };
        let summary = to_markdown(&report_of((0..DRIFTS_SHOWN + 3).map(drift)));
        assert!(
            summary.contains("| ``field `field0` added`` | additive |"),
            "{summary}"
        );
        assert!(
            summary.contains("0 case rows, 3 drift rows and 0 cleanup lines"),
            "{summary}"
        );
        let summary = to_markdown(&report_of((0..2).map(drift)));
        assert!(!summary.contains("Left out"), "{summary}");
    }

    #[test]
    fn the_heading_counts_the_cases_a_filter_left_out_only_when_there_are_some() {
        let mut report = report_of(std::iter::empty());
        assert!(!to_markdown(&report).contains("not selected"));
        report.deselected = 3;
        let summary = to_markdown(&report);
        assert!(
            summary.contains("0 passed, 0 failed, 0 skipped, 3 not selected against"),
            "{summary}"
        );
    }

    #[test]
    fn rows_are_added_while_they_fit_and_the_rest_are_counted() {
        let rows = |n: usize, size: usize| (0..n).map(move |_| "r".repeat(size));
        let mut text = String::new();
        let left_out = push_rows(&mut text, rows(15, 100_000));
        assert_eq!((text.len(), left_out), (900_000, 6));
        // A row that leaves exactly the closing reserve is kept.
        let mut text = String::new();
        let left_out = push_rows(&mut text, rows(2, SUMMARY_MAX - CLOSING_RESERVE));
        assert_eq!((text.len(), left_out), (SUMMARY_MAX - CLOSING_RESERVE, 1));
    }

    #[test]
    fn cleanup_lines_past_the_limit_are_counted_alone() {
        let mut report = report_of(std::iter::empty());
        report.cleanup.failed = (0..1_200)
            .map(|n| (format!("{n}{}", "c".repeat(1_000)), "timed out".to_owned()))
            .collect();
        let summary = to_markdown(&report);
        assert!(summary.len() <= SUMMARY_MAX, "{}", summary.len());
        let left = summary.lines().last().unwrap_or_default();
        assert!(
            left.starts_with("Left out to keep this summary under GitHub's 1 MiB limit: 0 case rows, 0 drift rows and "),
            "{left}"
        );
        assert!(!left.contains("and 0 cleanup lines"), "{left}");
    }
}
