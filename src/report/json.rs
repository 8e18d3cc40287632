//! The machine report, `format_version` 1, serialised from the result model.

use serde::Serialize;

use crate::result::{CaseResult, Cleanup, RunReport, Summary, TargetInfo, Traffic};

/// The version of the JSON report's format; bumped on any breaking change.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    format_version: u32,
    target: &'a TargetInfo,
    summary: Summary,
    cases: &'a [CaseResult],
    cleanup: &'a Cleanup,
    interrupted: bool,
    traffic: Traffic,
    #[serde(rename = "durationMs")]
    duration_ms: u128,
}

/// The report as pretty JSON, with a final newline.
///
/// # Errors
/// When serialising fails, which plain data does not.
pub fn to_json(report: &RunReport) -> Result<String, serde_json::Error> {
    let shown = JsonReport {
        format_version: FORMAT_VERSION,
        target: &report.target,
        summary: report.summary(),
        cases: &report.cases,
        cleanup: &report.cleanup,
        interrupted: report.interrupted,
        traffic: report.traffic,
        duration_ms: report.duration.as_millis(),
    };
    serde_json::to_string_pretty(&shown).map(|text| text + "\n")
}
