//! The report as a whole: the verdict, the target, the counts, every case, and what the run
//! left behind.

use serde::Serialize;

use super::case::{JsonCase, case_json};
use crate::redact::{Channel, guarded};
use crate::report::shown::bounded;
use crate::result::{Cleanup, Kept, RunReport, Summary, TargetInfo, Traffic, Verdict};

/// The version of the JSON report's format; bumped on any breaking change.
pub const FORMAT_VERSION: u32 = 3;

/// The document: the verdict first, then where the run went and what it found.
#[derive(Serialize)]
struct JsonReport<'a> {
    format_version: u32,
    verdict: Verdict,
    target: &'a TargetInfo,
    summary: Summary,
    cases: Vec<JsonCase<'a>>,
    cleanup: JsonCleanup<'a>,
    interrupted: bool,
    traffic: Traffic,
    duration_ms: u128,
}

/// What the end of the run deleted, found gone, and could not delete.
#[derive(Serialize)]
struct JsonCleanup<'a> {
    deleted: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    gone: &'a [String],
    failed: Vec<JsonNotDeleted<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kept: Option<&'a Kept>,
}

#[derive(Serialize)]
struct JsonNotDeleted<'a> {
    id: &'a str,
    reason: &'a str,
}

fn cleanup_json(cleanup: &Cleanup) -> JsonCleanup<'_> {
    JsonCleanup {
        deleted: &cleanup.deleted,
        gone: &cleanup.gone,
        failed: cleanup
            .failed
            .iter()
            .map(|(id, reason)| JsonNotDeleted { id, reason })
            .collect(),
        kept: cleanup.kept.as_ref(),
    }
}

/// The report as pretty JSON, with a final newline: texts and values cut to the bounds of
/// [`KEPT_TEXT`](crate::report::KEPT_TEXT) and [`KEPT_VALUE`](crate::report::KEPT_VALUE), and
/// every character that acts (a bidi control, a non-character) written as a JSON escape.
///
/// # Errors
/// When serialising fails, which plain data does not.
pub fn to_json(report: &RunReport) -> Result<String, serde_json::Error> {
    let report = &bounded(report);
    let shown = JsonReport {
        format_version: FORMAT_VERSION,
        verdict: report.verdict(),
        target: &report.target,
        summary: report.summary(),
        cases: report.cases.iter().map(case_json).collect(),
        cleanup: cleanup_json(&report.cleanup),
        interrupted: report.interrupted,
        traffic: report.traffic,
        duration_ms: report.duration.as_millis(),
    };
    serde_json::to_string_pretty(&shown)
        .map(|text| guarded(&text, Channel::Json).into_owned() + "\n")
}
