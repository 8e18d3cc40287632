//! The machine report, `format_version` 1.

use serde_json::{Value, json};

use super::model::RunReport;

/// The version of the JSON report's format; bumped on any breaking change.
pub const FORMAT_VERSION: u32 = 1;

/// The report as JSON.
pub fn to_json(report: &RunReport) -> Value {
    let cases: Vec<Value> = report
        .cases
        .iter()
        .map(|case| {
            json!({
                "name": case.name,
                "description": case.description,
                "outcome": case.outcome,
                "durationMs": case.duration.as_millis(),
                "failures": case.failures,
            })
        })
        .collect();
    let failed_cleanup: Vec<Value> = report
        .cleanup
        .failed
        .iter()
        .map(|(id, reason)| json!({"id": id, "reason": reason}))
        .collect();
    json!({
        "format_version": FORMAT_VERSION,
        "target": report.target,
        "summary": report.summary(),
        "cases": cases,
        "cleanup": {"deleted": report.cleanup.deleted, "failed": failed_cleanup},
        "interrupted": report.interrupted,
        "traffic": {
            "requests": report.traffic.requests,
            "uploads": report.traffic.uploads,
            "deletes": report.traffic.deletes,
        },
        "durationMs": report.duration.as_millis(),
    })
}
