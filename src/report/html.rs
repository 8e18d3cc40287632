//! One self-contained HTML page of a run: every case with what it checks, its request (as a
//! `curl` command) and its answer, its failures, and each drift as a side-by-side diff of the
//! baseline and the new observation. No script, no outside resource.

use std::fmt::Write as _;

use similar::{ChangeTag, TextDiff};

use super::shown::bounded;
use super::view::{CaseView, View, outcome_word, shortened};
use crate::redact::acts;
use crate::result::{Outcome, Verdict};
use crate::result::{RunReport, Snapshot};

/// How much of an answer's body, and of a request's `curl` line, the page shows.
const SHOWN: usize = 16_384;

/// The most bytes of a drift's side-by-side diff; past it, a row says how many lines it left
/// out.
const DIFF_MAX: usize = 128 * 1024;

/// The markup around one changed line: its cell, and the row it may have to itself.
const CHANGED_CELL: usize = "<tr class=\"change\"><td class=\"del\"></td><td></td></tr>\n".len();

/// The most bytes of one case's section: its failures first, then its request and answer and
/// its diff while they fit, and a line saying what did not. With the body, the request and the
/// diff bounded on their own, a section is far below it; the page is at most this per case,
/// plus 4 KiB.
pub const CASE_HTML_MAX: usize = 512 * 1024;

/// `text` safe inside HTML elements and attributes: markup characters as entities, and every
/// character that acts (a control, a bidi control that would reverse the line, an invisible
/// one, a non-character) as a visible `\u{202e}`; newlines and tabs kept.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if acts(c) && c != '\n' && c != '\t' => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 2em 2em;color:#222}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;text-align:left}\
.passed{color:#1a7f37}.failed{color:#cf222e}.skipped{color:#9a6700}\
pre{background:#f6f8fa;padding:.6em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}\
table.diff td{font-family:monospace;white-space:pre-wrap;width:50%}\
td.del{background:#ffebe9}td.ins{background:#dafbe1}details{margin:.4em 0}\
#verdict{margin:0 -2em 1em;padding:1em 2em;color:#fff}#verdict h1{margin:0;font-size:1.6em}\
#verdict p{margin:.3em 0 0}#verdict code{color:#fff}\
.verdict-pass{background:#1a7f37}.verdict-contract{background:#cf222e}\
.verdict-drift{background:#8250df}.verdict-could-not-finish{background:#9a6700}\
#failures>details{border-left:.4em solid #cf222e;background:#fff5f5;padding:.2em .6em}\
#filter{font-size:1em;padding:.3em;width:24em;margin:.5em 0}";

/// The filter box: typing shows only the case rows whose name holds the text. The page works
/// without it.
const SCRIPT: &str = "document.getElementById('filter').addEventListener('input',function(e){\
var t=e.target.value.toLowerCase();document.querySelectorAll('tr.case-row').forEach(function(r){\
r.style.display=r.dataset.name.indexOf(t)<0?'none':'';});});";

/// The side-by-side diff of two snapshots, line by line of their pretty JSON.
fn diff_table(before: &Snapshot, after: &Snapshot) -> String {
    let pretty = |s: &Snapshot| serde_json::to_string_pretty(s).unwrap_or_default();
    let (old, new) = (pretty(before), pretty(after));
    let diff = TextDiff::from_lines(&old, &new);
    let mut rows =
        String::from("<table class=\"diff\"><tr><th>baseline</th><th>this run</th></tr>\n");
    // Lines are escaped as they are read, so the bound counts the bytes they will take.
    let mut deleted: Vec<String> = Vec::new();
    let mut inserted: Vec<String> = Vec::new();
    let changes: Vec<_> = diff.iter_all_changes().collect();
    let flush = |rows: &mut String, deleted: &mut Vec<String>, inserted: &mut Vec<String>| {
        for n in 0..deleted.len().max(inserted.len()) {
            let side = |lines: &[String], class: &str| match lines.get(n) {
                Some(line) => format!("<td class=\"{class}\">{line}</td>"),
                None => "<td></td>".to_owned(),
            };
            let _ = writeln!(
                rows,
                "<tr class=\"change\">{}{}</tr>",
                side(deleted, "del"),
                side(inserted, "ins")
            );
        }
        deleted.clear();
        inserted.clear();
    };
    // The lines of a change not yet written count too (one change can be the whole diff), with
    // the markup of their cell and their share of a row.
    let mut pending = 0;
    for (n, change) in changes.iter().enumerate() {
        if rows.len() + pending > DIFF_MAX {
            let _ = writeln!(
                rows,
                "<tr><td colspan=\"2\">… {} more line(s) of the diff left out</td></tr>",
                changes.len() - n + deleted.len() + inserted.len()
            );
            deleted.clear();
            inserted.clear();
            break;
        }
        let line = html(change.value().trim_end_matches('\n'));
        match change.tag() {
            ChangeTag::Delete => {
                pending += line.len() + CHANGED_CELL;
                deleted.push(line);
            }
            ChangeTag::Insert => {
                pending += line.len() + CHANGED_CELL;
                inserted.push(line);
            }
            ChangeTag::Equal => {
                flush(&mut rows, &mut deleted, &mut inserted);
                pending = 0;
                let _ = writeln!(rows, "<tr><td>{line}</td><td>{line}</td></tr>");
            }
        }
    }
    flush(&mut rows, &mut deleted, &mut inserted);
    rows.push_str("</table>");
    rows
}

/// One case's section, its request, answer and diff while they fit in `max` bytes.
fn case_section(case: &CaseView<'_>, max: usize) -> String {
    let result = case.result;
    let class = outcome_word(result.outcome);
    let mut section = format!(
        "<details class=\"case\" id=\"{0}\"{open}><summary><span class=\"{class}\">{class}</span> <code>{0}</code> ({1} ms)</summary>\n<p>{2}</p>\n",
        html(&result.name),
        result.duration.as_millis(),
        html(&result.description),
        open = if case.failed() { " open" } else { "" },
    );
    if let Some(reason) = &case.skip_reason {
        let _ = writeln!(section, "<p>Skipped: {}</p>", html(reason));
    }
    if !case.failures.is_empty() {
        section.push_str("<ul class=\"failures\">\n");
        for failure in &case.failures {
            let _ = writeln!(section, "<li>{}</li>", html(failure));
        }
        section.push_str("</ul>\n");
    }
    let mut parts = Vec::new();
    if let Some(request) = &case.request {
        let mut part = format!(
            "<p>Request:</p><pre class=\"request\">{}</pre>\n",
            html(&shortened(request, SHOWN))
        );
        if let Some(answer) = &case.answer {
            let _ = writeln!(
                part,
                "<p>Answer: {} {}</p><pre class=\"answer\">{}</pre>",
                answer.status,
                html(answer.content_type),
                html(&answer.body(SHOWN))
            );
        }
        parts.push(part);
    }
    if let Some((before, after)) = case.drift_diff() {
        parts.push(format!(
            "<p>Drift from the baseline:</p>\n{}",
            diff_table(before, after)
        ));
    }
    for part in parts {
        if section.len() + part.len() > max {
            let _ = writeln!(
                section,
                "<p>… {} bytes of this case left out</p>",
                part.len()
            );
        } else {
            section.push_str(&part);
        }
    }
    section.push_str("</details>\n");
    section
}

/// The verdict as a banner: what it means, the counts, the target and profile.
fn banner(view: &View<'_>, page: &mut String) {
    let report = view.report;
    let (class, headline) = match view.verdict {
        Verdict::Pass => ("pass", "Passed: the target conforms"),
        Verdict::Contract => ("contract", "Failed: the target breaks the contract"),
        Verdict::Drift => ("drift", "Drift: the target differs from its baseline"),
        Verdict::CouldNotFinish => ("could-not-finish", "Could not finish"),
    };
    let summary = view.summary;
    let baseline = report
        .target
        .baseline
        .as_deref()
        .map(|b| format!(", baseline <code>{}</code>", html(b)))
        .unwrap_or_default();
    let _ = writeln!(
        page,
        "<header id=\"verdict\" class=\"verdict-{class}\"><h1>{headline}</h1>\n<p id=\"summary\">{} passed, {} failed, {} skipped against <code>{}</code> (profile <code>{}</code>{baseline}): {} in {} ms.</p></header>",
        summary.passed,
        summary.failed,
        summary.skipped,
        html(&report.target.base_url),
        html(&report.target.profile),
        view.requests(),
        view.duration_ms()
    );
}

/// The failed cases, open, each with its failures, request, answer and diff; then the drift,
/// each change once.
fn failures(view: &View<'_>, page: &mut String) {
    let failed: Vec<&CaseView<'_>> = view.cases.iter().filter(|c| c.failed()).collect();
    if failed.is_empty() && view.drift_groups.is_empty() {
        return;
    }
    let _ = writeln!(
        page,
        "<section id=\"failures\"><h2>Failed ({})</h2>",
        failed.len()
    );
    for case in failed {
        page.push_str(&case_section(case, CASE_HTML_MAX));
    }
    page.push_str("</section>\n");
    if !view.drift_groups.is_empty() {
        let _ = writeln!(
            page,
            "<section id=\"drift\"><h2>Drift: {}</h2>\n<table><tr><th>change</th><th>class</th><th>seen</th></tr>",
            html(&view.drift_counts.sentence())
        );
        for group in &view.drift_groups {
            let _ = writeln!(
                page,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                html(&group.message),
                group.class,
                html(&group.seen_in())
            );
        }
        page.push_str("</table></section>\n");
    }
}

/// The endpoint a case belongs to: its folder (`delete-files`).
fn endpoint_of(name: &str) -> &str {
    name.split_once('/').map_or("", |(folder, _)| folder)
}

/// Every case, grouped by endpoint with its counts, each row linking to the case's section.
fn all_cases(view: &View<'_>, page: &mut String) {
    page.push_str("<section id=\"all\"><h2>All cases</h2>\n<input id=\"filter\" type=\"search\" placeholder=\"Filter cases by name\" aria-label=\"Filter cases by name\">\n");
    let mut endpoints: Vec<&str> = view
        .cases
        .iter()
        .map(|c| endpoint_of(&c.result.name))
        .collect();
    endpoints.dedup();
    for endpoint in endpoints {
        let cases: Vec<&CaseView<'_>> = view
            .cases
            .iter()
            .filter(|c| endpoint_of(&c.result.name) == endpoint)
            .collect();
        let count = |outcome: Outcome| cases.iter().filter(|c| c.result.outcome == outcome).count();
        let failed = count(Outcome::Failed);
        let _ = writeln!(
            page,
            "<details class=\"endpoint\"{open}><summary><code>{}</code>: {} passed, {} failed, {} skipped</summary>\n<table class=\"cases\"><tr><th>case</th><th>outcome</th><th>failures</th></tr>",
            html(if endpoint.is_empty() {
                "(no folder)"
            } else {
                endpoint
            }),
            count(Outcome::Passed),
            failed,
            count(Outcome::Skipped),
            open = if failed > 0 { " open" } else { "" },
        );
        for case in cases {
            let _ = writeln!(
                page,
                "<tr class=\"case-row\" data-name=\"{0}\"><td><a href=\"#{0}\"><code>{0}</code></a></td><td class=\"{1}\">{1}</td><td>{2}</td></tr>",
                html(&case.result.name.to_lowercase()),
                outcome_word(case.result.outcome),
                case.result.failures.len()
            );
        }
        page.push_str("</table></details>\n");
    }
    page.push_str("</section>\n<h2>Cases that passed or were skipped</h2>\n");
    for case in view.cases.iter().filter(|c| !c.failed()) {
        page.push_str(&case_section(case, CASE_HTML_MAX));
    }
}

/// The page: the verdict first, then the failures and drift, then every case grouped by
/// endpoint. At most [`CASE_HTML_MAX`] bytes a case, plus 4 KiB.
pub fn to_html(report: &RunReport) -> String {
    let report = &bounded(report);
    let view = View::new(report);
    let summary = view.summary;
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>extracta-contract: {} passed, {} failed</title><style>{STYLE}</style></head><body>\n",
        summary.passed, summary.failed
    );
    banner(&view, &mut page);
    failures(&view, &mut page);
    all_cases(&view, &mut page);
    let _ = write!(page, "<script>{SCRIPT}</script>\n</body></html>\n");
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{BatchAfter, Change, Failure};
    use serde_json::json;

    fn snapshot(message: &str) -> Snapshot {
        Snapshot {
            batches_after: vec![BatchAfter::Files(vec!["[fileId:0]".into()])],
            body: json!({"message": message, "status": "error"}),
            content_type: Some("application/json".into()),
            earlier_statuses: vec![],
            status: 404,
        }
    }

    #[test]
    fn a_drift_shows_the_changed_line_on_both_sides() {
        let table = diff_table(&snapshot("Invalid batchId"), &snapshot("Unknown <batch>"));
        assert!(
            table.contains(
                "<td class=\"del\">    &quot;message&quot;: &quot;Invalid batchId&quot;,</td>"
            ),
            "{table}"
        );
        assert!(
            table.contains(
                "<td class=\"ins\">    &quot;message&quot;: &quot;Unknown &lt;batch&gt;&quot;,</td>"
            ),
            "{table}"
        );
        assert_eq!(table.matches("class=\"change\"").count(), 1, "{table}");
    }

    /// A snapshot whose body holds `lines` lines, each with `word`.
    fn long_snapshot(lines: usize, word: &str) -> Snapshot {
        let items: Vec<String> = (0..lines).map(|n| format!("{word} {n}")).collect();
        Snapshot {
            body: json!({"items": items}),
            ..snapshot("m")
        }
    }

    #[test]
    fn a_diff_of_some_thousand_bytes_is_shown_whole_and_an_endless_one_is_cut() {
        let table = diff_table(&long_snapshot(100, "before"), &long_snapshot(100, "after"));
        assert!(table.contains("after 99"), "{table}");
        assert!(!table.contains("left out"));
        let huge = diff_table(
            &long_snapshot(800, &"b".repeat(100)),
            &long_snapshot(800, &"a".repeat(100)),
        );
        assert!(huge.len() < DIFF_MAX + 4096, "{}", huge.len());
        let short_lines = diff_table(&long_snapshot(3_000, "b"), &long_snapshot(3_000, "a"));
        assert!(short_lines.len() < DIFF_MAX + 4096, "{}", short_lines.len());
        assert!(short_lines.contains("left out"));
        assert!(huge.contains("more line(s) of the diff left out"));
    }

    /// A report of `cases`, each named with its outcome and failures.
    fn report_of(cases: Vec<(&str, Outcome, Vec<Failure>)>) -> RunReport {
        use crate::result::CaseResult;
        use std::time::Duration;
        crate::result::report_of(
            cases
                .into_iter()
                .map(|(name, outcome, failures)| {
                    CaseResult::new(name, "d", outcome, failures, None, Duration::ZERO)
                })
                .collect(),
        )
    }

    fn reset() -> Failure {
        Failure::Transport {
            cause: "reset by the target".into(),
        }
    }

    #[test]
    fn cases_are_grouped_by_endpoint_with_their_counts_and_failures_listed() {
        let page = to_html(&report_of(vec![
            ("delete-files/a", Outcome::Failed, vec![reset()]),
            ("delete-files/b", Outcome::Passed, vec![]),
            ("get-results/c", Outcome::Passed, vec![]),
            ("loose", Outcome::Passed, vec![]),
        ]));
        for group in [
            "<code>delete-files</code>: 1 passed, 1 failed, 0 skipped",
            "<code>get-results</code>: 1 passed, 0 failed, 0 skipped",
            "<code>(no folder)</code>: 1 passed, 0 failed, 0 skipped",
        ] {
            assert!(page.contains(group), "no group {group}");
        }
        assert_eq!(page.matches("<ul class=\"failures\">").count(), 1);
        assert!(page.contains("<li>transport: reset by the target</li>"));
    }

    #[test]
    fn the_drift_table_lists_each_change_and_is_absent_without_drift() {
        let drift = Failure::Drift(Change::FieldAdded {
            path: "requestId".into(),
        });
        let page = to_html(&report_of(vec![(
            "delete-files/a",
            Outcome::Failed,
            vec![drift],
        )]));
        assert!(page.contains("<section id=\"drift\">"), "{page}");
        assert!(
            page.contains("<code>field `requestId` added</code>"),
            "{page}"
        );
        let page = to_html(&report_of(vec![(
            "delete-files/a",
            Outcome::Failed,
            vec![reset()],
        )]));
        assert!(page.contains("<section id=\"failures\">"), "{page}");
        assert!(!page.contains("id=\"drift\""), "{page}");
    }

    #[test]
    fn a_case_part_past_the_case_bound_is_left_out_and_named_by_size() {
        let report = report_of(vec![("delete-files/a", Outcome::Failed, vec![reset()])]);
        let mut case = CaseView::new(&report.cases[0]);
        case.request = Some("curl -X DELETE https://example.test/x".into());
        let whole = case_section(&case, CASE_HTML_MAX);
        assert!(whole.contains("curl -X DELETE"), "{whole}");
        assert!(!whole.contains("left out"), "{whole}");
        let cut = case_section(&case, whole.len() - 40);
        assert!(!cut.contains("curl -X DELETE"), "{cut}");
        assert!(cut.contains("bytes of this case left out"), "{cut}");
        assert!(cut.contains("transport: reset by the target"), "{cut}");
    }

    #[test]
    fn a_diff_of_markup_heavy_lines_stays_within_its_bound() {
        // Each `<` takes four bytes once written: the bound counts what is written.
        let line = "<".repeat(500);
        let mut before = long_snapshot(100, &line);
        before.body["rest"] = json!("same");
        let mut after = long_snapshot(100, "x");
        after.body["rest"] = json!("same");
        let table = diff_table(&before, &after);
        assert!(table.len() < DIFF_MAX + 4096, "{}", table.len());
        assert!(table.contains("left out"));
    }

    #[test]
    fn an_inserted_block_is_shown_whole_when_it_fits() {
        let table = diff_table(&long_snapshot(0, "x"), &long_snapshot(60, "after"));
        assert!(table.contains("after 59"), "{table}");
        assert!(!table.contains("left out"), "{table}");
        let huge = diff_table(
            &long_snapshot(0, "x"),
            &long_snapshot(3_000, &"a".repeat(100)),
        );
        assert!(huge.len() < DIFF_MAX + 4096, "{}", huge.len());
        assert!(huge.contains("left out"));
    }

    #[test]
    fn server_text_is_escaped() {
        assert_eq!(html("<b a='1'>\u{1b}"), "&lt;b a=&#39;1&#39;&gt;\\u{1b}");
    }

    #[test]
    fn a_bidi_control_or_a_non_character_shows_and_does_not_act() {
        assert_eq!(
            html("ok \u{202e}deliaf\u{fffe}\u{2066}"),
            "ok \\u{202e}deliaf\\u{fffe}\\u{2066}"
        );
    }
}
