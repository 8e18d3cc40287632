//! The JSON report against its published schema, and the data each failure carries.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;

use serde_json::Value;

use super::case::url_path;
use super::to_json;
use crate::contract::case::{Auth, StatusPattern};
use crate::contract::schema::{SchemaSet, Violation};
use crate::result::{
    BatchAfter, CaseResult, Change, Cleanup, EffectProblem, Exchange, Failure, FileRef, Kept,
    Outcome, Response, RunReport, SentBody, SentRequest, SkipReason,
};

/// Every change a drift can carry.
fn every_change() -> Vec<Change> {
    vec![
        Change::Status {
            before: 400,
            after: 404,
        },
        Change::ContentType {
            before: Some("application/json".into()),
            after: None,
        },
        Change::EarlierStatuses {
            before: vec![200],
            after: vec![429],
        },
        Change::FieldAdded { path: "a".into() },
        Change::FieldRemoved { path: "b".into() },
        Change::TypeChanged {
            path: String::new(),
            before: "object",
            after: "string",
        },
        Change::ValueChanged {
            path: "message".into(),
            before: json!("x"),
            after: json!(1),
        },
        Change::FilesLeft {
            batch: 1,
            before: Some(BatchAfter::Files(vec!["[fileId:0]".into()])),
            after: None,
        },
        Change::Reworded {
            path: "message".into(),
            before: "Invalid batchId".into(),
            after: "Unknown batch".into(),
        },
    ]
}

/// Every failure the model has, every change of a drift among them.
fn every_failure() -> Vec<Failure> {
    let file = |index| FileRef {
        index,
        batch: 0,
        id: format!("f{index}"),
    };
    let mut failures = vec![
        Failure::Status {
            expected: vec![StatusPattern::Exact(200), StatusPattern::Class(4)],
            actual: 500,
            documented: Some(404),
        },
        Failure::EarlierStatus {
            request: 1,
            of: 2,
            actual: 503,
        },
        Failure::ContentType {
            expected: "application/json".into(),
            actual: None,
        },
        Failure::NotJson {
            excerpt: "<html>".into(),
        },
        Failure::Schema {
            schema: "delete-files.response".into(),
            violation: Violation {
                pointer: "/message".into(),
                message: "1 is not of type \"string\"".into(),
            },
        },
        Failure::BodyField {
            field: "a/b~c".into(),
            expected: json!("success"),
            actual: None,
        },
        Failure::StatusWord {
            status: 400,
            says: "success".into(),
            must_say: "error",
        },
        Failure::Unreadable {
            batch: 0,
            reason: "timed out".into(),
        },
        Failure::Effect {
            file: file(0),
            problem: EffectProblem::DeletedByRefusal { status: 404 },
        },
        Failure::Effect {
            file: file(1),
            problem: EffectProblem::DeletedUnnamed,
        },
        Failure::Effect {
            file: file(2),
            problem: EffectProblem::NotDeleted,
        },
        Failure::Added {
            batch: 0,
            expected: 0,
            ids: vec!["n1".into()],
        },
        Failure::BatchGone {
            batch: 1,
            id: "b1".into(),
        },
        Failure::BatchRemains {
            batch: 1,
            id: "b1".into(),
        },
        Failure::Transport {
            cause: "reset".into(),
        },
        Failure::Setup {
            reason: "refused".into(),
        },
        Failure::Interrupted,
        Failure::NoBaseline {
            pending: PathBuf::from("snapshots/mock/c.snap.new"),
        },
    ];
    failures.extend(every_change().into_iter().map(Failure::Drift));
    failures.push(Failure::NotProcessed {
        batch: "b1".into(),
        waited: std::time::Duration::from_secs(60),
    });
    failures.push(Failure::BodyField {
        field: "status".into(),
        expected: json!("success"),
        actual: Some(json!("error")),
    });
    failures
}

fn report() -> RunReport {
    let failed = CaseResult::new(
        "c/failed",
        "d",
        Outcome::Failed,
        every_failure(),
        None,
        Duration::from_millis(5),
    )
    .with_exchange(Some(Exchange {
        request: SentRequest {
            method: "POST".into(),
            url: "http://127.0.0.1:1/api/v1/documentClassification/uploadFiles".into(),
            auth: Auth::Other,
            content_type: None,
            body: SentBody::Form {
                fields: vec![("classificationId".into(), "c".into())],
                files: vec![("contract-0-0-a.pdf".into(), "invoice.pdf".into())],
            },
        },
        response: Some(Response::new(500, None, "x".repeat(5000))),
    }));
    let skipped = [
        SkipReason::NoSecondAccount,
        SkipReason::NeedsOwnClassification,
        SkipReason::DeleteCap { max: 2, needs: 3 },
        SkipReason::Interrupted,
    ]
    .map(|reason| CaseResult::skipped("c/skipped", "d", reason));
    let mut cases = vec![failed];
    cases.extend(skipped);
    RunReport {
        cleanup: Cleanup {
            deleted: vec!["c1".into()],
            gone: vec!["c2".into()],
            failed: vec![("c3".into(), "refused".into())],
            kept: Some(Kept {
                run_id: "xc-0123abcd".into(),
                classifications: vec!["c4".into()],
                batches: vec![("c5".into(), "b5".into())],
                cases: vec!["c/failed".into()],
            }),
        },
        interrupted: true,
        duration: Duration::from_millis(9),
        ..crate::result::report_of(cases)
    }
}

fn written(report: &RunReport) -> Value {
    let text = to_json(report).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

fn schema_check(report: &Value) -> Vec<Violation> {
    let set = SchemaSet::global();
    set.check("report", report)
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_failure_and_skip_reason_is_valid_against_the_published_schema() {
    let report = written(&report());
    assert_eq!(schema_check(&report), vec![]);
    let failures = report["cases"][0]["failures"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(failures.len(), every_failure().len());
    // Every key a failure carries is described in the schema.
    let schema = SchemaSet::source("report").unwrap_or_default();
    let described = &schema["$defs"]["failure"]["properties"];
    for failure in &failures {
        for key in failure.as_object().map(|o| o.keys()).into_iter().flatten() {
            assert!(described.get(key).is_some(), "`{key}` is not described");
        }
    }
}

#[test]
fn a_report_that_breaks_its_shape_is_refused_by_the_schema() {
    let mut report = written(&report());
    report["cases"][0]["failures"][0]
        .as_object_mut()
        .map(|failure| failure.remove("actual"));
    report["cases"][1]["skip"]["kind"] = json!("tired");
    let pointers: Vec<String> = schema_check(&report)
        .into_iter()
        .map(|v| v.pointer)
        .collect();
    assert!(
        pointers.contains(&"/cases/0/failures/0".to_owned()),
        "{pointers:?}"
    );
    assert!(
        pointers.contains(&"/cases/1/skip/kind".to_owned()),
        "{pointers:?}"
    );
}

#[test]
fn a_failure_carries_its_data_beside_its_sentence() {
    let report = written(&report());
    let failures = &report["cases"][0]["failures"];
    let status = &failures[0];
    assert_eq!(status["kind"], "status");
    assert_eq!(status["expected"], json!([200, "4xx"]));
    assert_eq!(status["actual"], 500);
    assert_eq!(status["documented"], 404);
    assert!(status.get("pointer").is_none() && status.get("change").is_none());
    assert_eq!(
        status["message"],
        "expected 200 or 4xx, got 500 (the vendor's page documents 404 for this)"
    );
    let body_field = &failures[5];
    assert_eq!(body_field["pointer"], "/a~1b~0c");
    assert!(body_field.get("actual").is_none(), "{body_field}");
    let said = failures
        .as_array()
        .and_then(|all| all.last())
        .unwrap_or_else(|| panic!("no failures"));
    assert_eq!(
        (&said["pointer"], &said["expected"], &said["actual"]),
        (&json!("/status"), &json!("success"), &json!("error"))
    );
    let value_changed = &failures[24];
    assert_eq!(
        (&value_changed["change"], &value_changed["drift"]),
        (&json!("breaking"), &json!("value-changed"))
    );
    assert_eq!(
        (
            &value_changed["path"],
            &value_changed["before"],
            &value_changed["after"]
        ),
        (&json!("message"), &json!("x"), &json!(1))
    );
    assert_eq!(failures[21]["change"], "additive");
    let refused = failures
        .as_array()
        .and_then(|all| all.iter().find(|f| f["problem"] == "deleted-by-refusal"))
        .unwrap_or_else(|| panic!("no deleted-by-refusal in {failures}"));
    assert_eq!(refused["status"], 404, "{refused}");
    let unnamed = failures
        .as_array()
        .and_then(|all| all.iter().find(|f| f["problem"] == "deleted-unnamed"))
        .unwrap_or_else(|| panic!("no deleted-unnamed in {failures}"));
    assert!(unnamed.get("status").is_none(), "{unnamed}");
}

#[test]
fn a_request_names_the_key_by_its_role_and_its_url_by_its_path() {
    let report = written(&report());
    let case = &report["cases"][0];
    assert_eq!(
        case["request"],
        json!({"method": "POST", "path": "/api/v1/documentClassification/uploadFiles",
            "auth": "other", "content_type": null,
            "body": {"kind": "form", "fields": [{"name": "classificationId", "value": "c"}],
                "files": [{"name": "contract-0-0-a.pdf", "document": "invoice.pdf"}]}})
    );
    assert_eq!(case["answer"]["status"], 500);
    assert!(
        case["answer"]["body"]
            .as_str()
            .is_some_and(|b| b.ends_with("… (904 more bytes)"))
    );
    assert!(
        case["curl"]
            .as_str()
            .is_some_and(|c| c.starts_with("curl "))
    );
    assert_eq!(
        report["cases"][3]["skip"],
        json!({"kind": "delete-cap",
            "message": "held back by --max-deletes 2: it sends 3 delete(s) and the cap is spent",
            "max": 2, "needs": 3})
    );
    assert_eq!(url_path("http://127.0.0.1:1/api/v1/x?a=b"), "/api/v1/x?a=b");
    assert_eq!(url_path("no url"), "no url");
}
