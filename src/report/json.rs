//! The machine report, `format_version` 2 (every key in snake_case), serialised from the
//! result model.

use serde::Serialize;

use super::curl::curl_line;
use crate::result::{CaseResult, Cleanup, RunReport, Summary, TargetInfo, Traffic, Verdict};

/// The version of the JSON report's format; bumped on any breaking change.
pub const FORMAT_VERSION: u32 = 2;

#[derive(Serialize)]
struct JsonReport<'a> {
    format_version: u32,
    verdict: Verdict,
    target: &'a TargetInfo,
    summary: Summary,
    cases: Vec<JsonCase<'a>>,
    cleanup: &'a Cleanup,
    interrupted: bool,
    traffic: Traffic,
    duration_ms: u128,
}

/// A case, with the `curl` command that sends its request again.
#[derive(Serialize)]
struct JsonCase<'a> {
    #[serde(flatten)]
    case: &'a CaseResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    curl: Option<String>,
}

/// The report as pretty JSON, with a final newline.
///
/// # Errors
/// When serialising fails, which plain data does not.
pub fn to_json(report: &RunReport) -> Result<String, serde_json::Error> {
    let shown = JsonReport {
        format_version: FORMAT_VERSION,
        verdict: report.verdict(),
        target: &report.target,
        summary: report.summary(),
        cases: report
            .cases
            .iter()
            .map(|case| JsonCase {
                case,
                curl: case.exchange.as_ref().map(|e| curl_line(&e.request)),
            })
            .collect(),
        cleanup: &report.cleanup,
        interrupted: report.interrupted,
        traffic: report.traffic,
        duration_ms: report.duration.as_millis(),
    };
    serde_json::to_string_pretty(&shown).map(|text| text + "\n")
}
