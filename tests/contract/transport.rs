//! The transport's promises, through whole runs: a 429 is waited out; the request under test
//! is sent once, whatever comes back; provisioning, reading back and cleanup are sent again
//! after a 5xx or a lost connection; every destructive request passes the ledger; and
//! `--fail-on breaking` still fails a breaking change.

use std::time::{Duration, Instant};

use extracta_contract::mock::{Fault, Seed};
use extracta_contract::result::{Failure, FailureKind, Outcome};
use extracta_contract::{Endpoint, MockServer, RunOptions, RunReport, run};
use serde_json::Value;

use crate::support::stand_in::{SECOND_KEY, StandIn, built};

const KEY: &str = "transport-key";
const CASE: &str = "delete-files/valid-one-file";

use crate::support::cases;

/// A mock with the run's key, keeping a journal, answering as `faults` say first.
async fn mock(faults: Vec<Fault>) -> MockServer {
    let mut builder = MockServer::builder()
        .api_key(KEY)
        .api_key(SECOND_KEY)
        .record_requests(true);
    for fault in faults {
        builder = builder.fault(fault);
    }
    builder.start().await.unwrap_or_else(|e| panic!("{e}"))
}

async fn run_one(mock: &MockServer, case: &str) -> RunReport {
    let options = built(
        RunOptions::builder()
            .base_url(mock.base_url())
            .api_key(KEY)
            .second_api_key(SECOND_KEY)
            .cases_dir(cases())
            .only(case),
    );
    run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("the run could not start: {e}"))
}

fn outcome(report: &RunReport) -> (Outcome, Vec<Failure>) {
    let case = &report.cases[0];
    (case.outcome, case.failures.clone())
}

#[tokio::test]
async fn a_429_is_waited_out_and_the_case_gets_its_real_answer() {
    let mock = mock(vec![
        Fault::status(429)
            .on(Endpoint::DeleteFiles)
            .times(1)
            .retry_after(Duration::from_secs(1)),
    ])
    .await;
    let started = Instant::now();
    let report = run_one(&mock, CASE).await;
    assert_eq!(outcome(&report), (Outcome::Passed, vec![]));
    assert_eq!(mock.received(Endpoint::DeleteFiles), 2, "sent again once");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the Retry-After of 1 s was not waited: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_request_under_test_is_never_sent_again_after_a_5xx() {
    let mock = mock(vec![Fault::status(503).on(Endpoint::DeleteFiles).times(1)]).await;
    let report = run_one(&mock, CASE).await;
    let (result, failures) = outcome(&report);
    assert_eq!(result, Outcome::Failed);
    assert!(
        failures.iter().any(|f| f.kind() == FailureKind::Status),
        "{failures:?}"
    );
    assert_eq!(
        mock.received(Endpoint::DeleteFiles),
        1,
        "it may have deleted"
    );
}

#[tokio::test]
async fn provisioning_reading_back_and_cleanup_are_sent_again_after_a_5xx() {
    let once = |endpoint| Fault::status(503).on(endpoint).times(1);
    let mock = mock(vec![
        once(Endpoint::CreateClassification),
        once(Endpoint::UploadFiles),
        once(Endpoint::GetResults),
        once(Endpoint::DeleteClassification),
    ])
    .await;
    let report = run_one(&mock, CASE).await;
    assert_eq!(outcome(&report), (Outcome::Passed, vec![]));
    assert!(report.cleanup.failed.is_empty(), "{:?}", report.cleanup);
    for endpoint in [
        Endpoint::CreateClassification,
        Endpoint::UploadFiles,
        Endpoint::DeleteClassification,
    ] {
        assert_eq!(mock.received(endpoint), 2, "{endpoint:?} sent again once");
    }
    assert!(mock.received(Endpoint::GetResults) >= 2);
    assert_eq!(mock.file_count(KEY), 0, "the run left files behind");
    assert_eq!(mock.usage(KEY).classifications, 0, "and its classification");
}

fn blocking_get(url: &str) -> Value {
    let text = std::process::Command::new("curl")
        .args(["-sS", url])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_lost_connection_is_retried_for_set_up_and_cleanup_but_not_for_the_request_under_test() {
    let stand_in = StandIn::start("drop-once");
    let options = built(stand_in.options().only(CASE));
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("the run could not start: {e}"));
    let (result, failures) = outcome(&report);
    assert_eq!(result, Outcome::Failed);
    assert!(
        failures.iter().any(|f| f.kind() == FailureKind::Transport),
        "{failures:?}"
    );
    assert!(report.cleanup.failed.is_empty(), "{:?}", report.cleanup);
    let data = tokio::task::spawn_blocking(move || {
        blocking_get(&format!("http://127.0.0.1:{}/__data", stand_in.port))
    })
    .await
    .unwrap_or_default();
    assert_eq!(data["classifications"], 0, "{data}");
    assert_eq!(data["received"]["deleteFiles"], 1, "{data}");
    assert_eq!(data["received"]["createClassification"], 2, "{data}");
    assert_eq!(data["received"]["uploadFiles"], 2, "{data}");
    assert_eq!(data["received"]["deleteClassification"], 2, "{data}");
}

#[tokio::test]
async fn a_destructive_request_naming_data_the_run_did_not_create_is_never_sent() {
    let seed = Seed::new().classification("theirs", |c| {
        c.name("Not the suite's")
            .batch("their-batch", |b| b.file("their-file", "a.pdf"))
    });
    let mock = MockServer::builder()
        .api_key(KEY)
        .seed(seed)
        .record_requests(true)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let case = r#"{"description": "names a classification the run did not create",
        "fixture": {"batches": [1]},
        "request": {"method": "DELETE", "path": "/documentClassification/deleteClassification",
                    "json": {"classificationId": "theirs"}},
        "expect": {"status": "4xx"}}"#;
    std::fs::write(dir.path().join("foreign.json"), case).unwrap_or_else(|e| panic!("{e}"));
    let options = built(
        RunOptions::builder()
            .base_url(mock.base_url())
            .api_key(KEY)
            .cases_dir(dir.path()),
    );
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("the run could not start: {e}"));
    let (result, failures) = outcome(&report);
    assert_eq!(result, Outcome::Failed);
    assert!(
        failures
            .iter()
            .any(|f| f.message().contains("theirs") && f.kind() == FailureKind::Setup),
        "{failures:?}"
    );
    assert_eq!(mock.file_count(KEY), 1, "their file is still there");
    let deletes: Vec<_> = mock
        .received_requests()
        .into_iter()
        .filter(|r| r.endpoint == Some(Endpoint::DeleteClassification))
        .filter_map(|r| r.body_json())
        .filter(|body| body["classificationId"] == "theirs")
        .collect();
    assert!(deletes.is_empty(), "sent: {deletes:?}");
}
