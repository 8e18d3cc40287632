//! The rails of a live run: it deletes only what it created, cleans up after failures and
//! Ctrl-C, sends nothing on a dry run, and stops at the cap on deletes.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use extracta_contract::contract::load_dir;
use extracta_contract::suite::Plan;
use extracta_contract::{MockServer, RunOptions, run};

use crate::support::stand_in::built;
use serde_json::{Value, json};

const KEY: &str = "safety-key";

fn cases_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("cases")
}

async fn mock() -> MockServer {
    MockServer::builder()
        .api_key(KEY)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn call(
    mock: &MockServer,
    method: reqwest::Method,
    endpoint: &str,
    body: Value,
) -> (u16, Value) {
    let answer = crate::http()
        .request(
            method,
            format!("{}/documentClassification/{endpoint}", mock.base_url()),
        )
        .bearer_auth(KEY)
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (
        answer.status().as_u16(),
        answer.json().await.unwrap_or_default(),
    )
}

#[tokio::test]
async fn a_run_leaves_nothing_behind_even_when_cases_fail() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let case = std::fs::read_to_string(cases_dir().join("delete-files/valid-one-file.json"))
        .unwrap_or_default();
    let _ = std::fs::write(
        dir.path().join("expects-the-wrong-status.json"),
        case.replace("\"status\": 200", "\"status\": 201"),
    );
    let options = built(
        RunOptions::builder()
            .base_url(mock.base_url())
            .api_key(KEY)
            .cases_dir(dir.path()),
    );
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!report.conforms());
    assert_eq!(report.cleanup.failed, vec![]);
    assert_eq!(mock.file_count(KEY), 0);
}

#[tokio::test]
async fn a_reused_classification_and_its_other_files_survive_the_run() {
    let mock = mock().await;
    let details = json!({"classificationDetails": {"name": "theirs", "documentTypes": [{"name": "Invoice", "description": "", "uniqueWords": ["invoice"]}]}});
    let (_, created) = call(
        &mock,
        reqwest::Method::POST,
        "createClassification",
        details,
    )
    .await;
    let theirs = created["classificationId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let form = reqwest::multipart::Form::new()
        .text("classificationId", theirs.clone())
        .part(
            "files",
            reqwest::multipart::Part::bytes(b"INVOICE".to_vec()).file_name("precious.pdf"),
        );
    let uploaded: Value = crate::http()
        .post(format!(
            "{}/documentClassification/uploadFiles",
            mock.base_url()
        ))
        .bearer_auth(KEY)
        .multipart(form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    let options = built(
        RunOptions::builder()
            .base_url(mock.base_url())
            .api_key(KEY)
            .cases_dir(cases_dir())
            .classification_id(Some(theirs.clone())),
    );
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.conforms());
    assert!(report.cleanup.failed.is_empty() && !report.cleanup.deleted.contains(&theirs));
    let (status, _) = call(
        &mock,
        reqwest::Method::POST,
        "viewClassification",
        json!({"classificationId": theirs}),
    )
    .await;
    assert_eq!(status, 200, "the reused classification was deleted");
    assert_eq!(
        mock.file_count(KEY),
        1,
        "only the file the run did not create may remain"
    );
    let (_, results) = call(
        &mock,
        reqwest::Method::POST,
        "getResults",
        json!({"classificationId": theirs, "batchId": uploaded["batchId"]}),
    )
    .await;
    assert_eq!(results["files"][0]["fileName"], "precious.pdf");
}

#[tokio::test]
async fn the_cap_on_deletes_holds_back_whole_cases_and_uploads_nothing_for_them() {
    let mock = MockServer::builder()
        .api_key(KEY)
        .api_key("safety-second-key")
        .record_requests(true)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let options = built(
        RunOptions::builder()
            .base_url(mock.base_url())
            .api_key(KEY)
            .second_api_key("safety-second-key")
            .cases_dir(cases_dir())
            .concurrency(1)
            .max_deletes(Some(2)),
    );
    let cases = load_dir(&cases_dir()).unwrap_or_else(|e| panic!("{e}"));
    let plan = Plan::new(&cases, &options);
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let held: Vec<&extracta_contract::CaseResult> = report
        .cases
        .iter()
        .filter(|c| c.outcome == extracta_contract::result::Outcome::Skipped)
        .collect();
    // Every case that sends a delete is held back but those whose 2 deletes the cap let go.
    let destructive = cases
        .iter()
        .filter(|c| c.request.method == reqwest::Method::DELETE)
        .count();
    assert!(
        (destructive - 2..=destructive).contains(&held.len()),
        "{} of {destructive} held back",
        held.len()
    );
    for case in &held {
        let reason = case.skip_reason.map(|r| r.to_string()).unwrap_or_default();
        assert!(
            reason.contains("--max-deletes 2"),
            "{}: {reason}",
            case.name
        );
        assert!(case.failures.is_empty() && case.observation.is_none());
    }
    assert!(
        report.conforms(),
        "a held-back case is not a contract failure"
    );
    // The cases sent 2 deletes; the rest were cleanup.
    assert_eq!(
        report.traffic.deletes - report.cleanup.deleted.len() as u64,
        2
    );
    // Uploads only for the fixtures of the cases that ran.
    let uploads = mock
        .received_requests()
        .iter()
        .filter(|r| r.path.ends_with("/uploadFiles"))
        .count();
    let planned = plan
        .steps()
        .iter()
        .filter(|step| {
            matches!(step, extracta_contract::suite::Step::Upload { .. })
                || matches!(step, extracta_contract::suite::Step::Send { case, .. } if case.request.path.ends_with("/uploadFiles"))
        })
        .count();
    assert_eq!(uploads, planned);
    assert_eq!(mock.file_count(KEY), 0);
}

#[test]
fn a_dry_run_prints_every_request_without_the_key_and_sends_nothing() {
    let key = "sk-dry-run-1c5e7a";
    // The host does not exist: any request sent would make the run fail with exit 2.
    let output = crate::support::binary()
        .args([
            "run",
            "--dry-run",
            "--base-url",
            "https://api.example.invalid/api/v1",
            "--api-key",
            key,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(0), "{printed}");
    assert!(printed.contains("[delete-files/valid-one-file] DELETE https://api.example.invalid/api/v1/documentClassification/deleteFiles (Authorization: Bearer [REDACTED])"), "{printed}");
    assert!(
        printed.contains("[delete-files/second-account] skipped: it acts as a second account"),
        "{printed}"
    );
    assert!(printed.contains("{{fileId:1}}"), "{printed}");
    assert!(printed.ends_with("nothing was sent\n"), "{printed}");
    assert!(!printed.contains(key));
}

/// The requests a run sends, as the mock received them, against those its plan lists.
async fn planned_and_sent(concurrency: usize) -> (Vec<String>, Vec<String>) {
    let mock = MockServer::builder()
        .api_key(KEY)
        .record_requests(true)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let options = built(
        RunOptions::builder()
            .base_url(mock.base_url())
            .api_key(KEY)
            .cases_dir(cases_dir())
            .concurrency(concurrency),
    );
    let cases = load_dir(&cases_dir()).unwrap_or_else(|e| panic!("{e}"));
    let plan = Plan::new(&cases, &options);
    let planned = plan
        .requests()
        .iter()
        .map(|(_, request)| format!("{} /api/v1{}", request.method, request.path))
        .collect();
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.conforms());
    let sent = mock
        .received_requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    (planned, sent)
}

#[tokio::test]
async fn the_dry_run_lists_exactly_the_requests_a_run_sends_in_their_order() {
    let (planned, sent) = planned_and_sent(1).await;
    assert!(planned.len() > 40, "{planned:?}");
    assert_eq!(sent, planned);
}

#[tokio::test]
async fn at_any_concurrency_a_run_sends_the_requests_of_its_plan() {
    let (mut planned, mut sent) = planned_and_sent(4).await;
    planned.sort();
    sent.sort();
    assert_eq!(sent, planned);
}

#[test]
fn ctrl_c_half_way_still_cleans_up_and_exits_2() {
    // Every deleteFiles takes 3 s: after 1.5 s the run is provisioned and waiting on them.
    let (stand_in, code, printed) = interrupted_run("slow", &[1500]);
    let url = format!("http://127.0.0.1:{}", stand_in.port);
    assert_eq!(code, Some(2), "{printed}");
    assert!(printed.contains("interrupted"), "{printed}");
    let left = blocking_get(&format!("{url}/__data"));
    assert_eq!(left["classifications"], 0, "{printed}");
}

#[test]
fn ctrl_c_while_the_run_creates_its_classification_deletes_it_and_exits_2() {
    // createClassification takes 2 s: both signals arrive while it is under way.
    let (stand_in, code, printed) = interrupted_run("slow-create", &[700, 300]);
    let url = format!("http://127.0.0.1:{}", stand_in.port);
    assert_eq!(code, Some(2), "{printed}");
    assert!(printed.contains("interrupted"), "{printed}");
    let data = blocking_get(&format!("{url}/__data"));
    assert_eq!(data["received"]["createClassification"], 1, "{data}");
    assert_eq!(
        data["classifications"], 0,
        "the classification stayed: {printed}"
    );
}

/// Runs the binary against the stand-in `variant` and sends it a Ctrl-C after each pause (in
/// milliseconds); returns the stand-in (still serving its data), the exit code and what the
/// run printed.
fn interrupted_run(
    variant: &str,
    pauses: &[u64],
) -> (crate::support::stand_in::StandIn, Option<i32>, String) {
    let stand_in = crate::support::stand_in::StandIn::start(variant);
    let url = format!("http://127.0.0.1:{}", stand_in.port);
    let child = crate::support::binary()
        .args(["run", "--base-url", &format!("{url}/api/v1")])
        .env("EXTRACTA_API_KEY", "standin-key")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    for pause in pauses {
        std::thread::sleep(Duration::from_millis(*pause));
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
    }
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    (stand_in, output.status.code(), printed)
}

/// A GET from a plain thread, for the tests that drive the binary.
pub fn blocking_get(url: &str) -> Value {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let Ok(runtime) = runtime else {
        return Value::Null;
    };
    runtime.block_on(async {
        match crate::http().get(url).send().await {
            Ok(answer) => answer.json().await.unwrap_or_default(),
            Err(_) => Value::Null,
        }
    })
}

/// What the stand-in holds, through `/__data`.
async fn stand_in_data(stand_in: &crate::support::stand_in::StandIn) -> Value {
    let url = format!("http://127.0.0.1:{}/__data", stand_in.port);
    match crate::http().get(url).send().await {
        Ok(answer) => answer.json().await.unwrap_or_default(),
        Err(_) => Value::Null,
    }
}

#[tokio::test]
async fn a_classification_the_target_hands_out_again_is_never_deleted() {
    // createClassification answers with cls-prod, which existed before the run: the read-back
    // finds it without the run's marker, so the run stops before it uploads into it.
    let stand_in = crate::support::stand_in::StandIn::start("dedupe-create");
    let error = run(&built(stand_in.options()), |_| {})
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        error.contains(
            "the target answered createClassification with cls-prod, which this run did not create"
        ) && error.ends_with("not deleted"),
        "{error}"
    );
    let data = stand_in_data(&stand_in).await;
    assert_eq!(
        data["batches"]["cls-prod"],
        json!({"batch-prod": ["precious.pdf"]}),
        "{data}"
    );
    assert_eq!(data["received"]["uploadFiles"], Value::Null, "{data}");
    assert_eq!(
        data["received"]["deleteClassification"],
        Value::Null,
        "{data}"
    );
}

#[tokio::test]
async fn a_batch_the_target_hands_out_again_is_never_deleted_nor_its_files() {
    // With --classification-id cls-prod, every upload lands in batch-prod, which held a
    // precious file before the run.
    let stand_in = crate::support::stand_in::StandIn::start("dedupe-upload");
    let options = built(
        stand_in
            .options()
            .classification_id(Some("cls-prod".to_owned())),
    );
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!report.conforms(), "the run passed on a target that lied");
    let data = stand_in_data(&stand_in).await;
    let precious = data["batches"]["cls-prod"]["batch-prod"]
        .as_array()
        .is_some_and(|files| files.contains(&json!("precious.pdf")));
    assert!(precious, "the precious file is gone: {data}");
    assert!(
        data["ids"]
            .as_array()
            .is_some_and(|ids| ids.contains(&json!("cls-prod"))),
        "{data}"
    );
    assert!(
        report
            .cleanup
            .failed
            .iter()
            .any(|(id, why)| id == "batch-prod" && why.contains("precious.pdf")),
        "{:?}",
        report.cleanup
    );
}

/// The sum of the stand-in's counts of what it received, all endpoints and the deletes.
fn received(data: &Value) -> (u64, u64) {
    let counts = data["received"].as_object().cloned().unwrap_or_default();
    let all = counts.values().filter_map(Value::as_u64).sum();
    let deletes = counts
        .iter()
        .filter(|(name, _)| name.starts_with("delete"))
        .filter_map(|(_, n)| n.as_u64())
        .sum();
    (all, deletes)
}

#[test]
fn the_traffic_figures_count_what_the_target_received_also_when_the_run_is_stopped() {
    for (variant, pauses) in [("independent", &[][..]), ("slow", &[1500][..])] {
        let stand_in = crate::support::stand_in::StandIn::start(variant);
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let json = dir.path().join("report.json");
        let child = crate::support::binary()
            .args([
                "run",
                "--base-url",
                &format!("http://127.0.0.1:{}/api/v1", stand_in.port),
                "--json",
            ])
            .arg(&json)
            .env("EXTRACTA_API_KEY", "standin-key")
            .env(
                "EXTRACTA_SECOND_API_KEY",
                crate::support::stand_in::SECOND_KEY,
            )
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        for pause in pauses {
            std::thread::sleep(Duration::from_millis(*pause));
            let _ = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status();
        }
        let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_default())
                .unwrap_or_default();
        let traffic = &report["traffic"];
        let count = |field: &str| traffic[field].as_u64().unwrap_or(u64::MAX);
        let (all, deletes) = received(&blocking_get(&format!(
            "http://127.0.0.1:{}/__data",
            stand_in.port
        )));
        let printed = String::from_utf8_lossy(&output.stdout);
        assert!(
            count("requests") <= all && all <= count("requests") + count("abandoned"),
            "{variant}: the report says {traffic}, the target received {all}\n{printed}"
        );
        assert!(
            count("deletes") <= deletes && deletes <= count("deletes") + count("abandoned"),
            "{variant}: the report says {traffic}, the target received {deletes} deletes"
        );
        if pauses.is_empty() {
            assert_eq!((count("requests"), count("abandoned")), (all, 0));
        }
    }
}

#[tokio::test]
async fn pruning_a_filtered_run_keeps_the_baselines_of_the_cases_it_left_out() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/mock/delete-files");
    let _ = std::fs::create_dir_all(dir.path().join("delete-files"));
    for name in ["valid-one-file", "auth-missing", "unknown-file"] {
        let _ = std::fs::copy(
            shipped.join(format!("{name}.snap")),
            dir.path().join(format!("delete-files/{name}.snap")),
        );
    }
    let _ = std::fs::write(
        dir.path().join("delete-files/retired.snap"),
        "---\n---\n{}\n",
    );
    let options = built(
        RunOptions::builder()
            .cases_dir(cases_dir())
            .filters(["delete-files/valid-one-file"])
            .snapshots(dir.path(), true)
            .prune(true),
    );
    let (options, _mock) = extracta_contract::with_built_in_mock(options)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.conforms());
    for kept in ["valid-one-file", "auth-missing", "unknown-file"] {
        assert!(
            dir.path()
                .join(format!("delete-files/{kept}.snap"))
                .is_file(),
            "{kept} was pruned"
        );
    }
    assert!(!dir.path().join("delete-files/retired.snap").exists());
}

#[tokio::test]
async fn keep_leaves_only_the_failed_cases_fixtures_and_deleting_them_later_leaves_nothing() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let shipped = std::fs::read_to_string(cases_dir().join("delete-files/valid-one-file.json"))
        .unwrap_or_default();
    let _ = std::fs::write(dir.path().join("passes.json"), &shipped);
    let _ = std::fs::write(
        dir.path().join("fails.json"),
        shipped.replace("\"status\": 200", "\"status\": 201"),
    );
    let options = built(
        RunOptions::builder()
            .base_url(mock.base_url())
            .api_key(KEY)
            .cases_dir(dir.path())
            .keep(true),
    );
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let kept = report.cleanup.kept.clone().unwrap_or_default();
    assert_eq!(kept.cases, ["fails"]);
    assert_eq!(kept.classifications.len(), 1, "{kept:?}");
    // The failed case's fixture stays (one of its three files was deleted by its request);
    // the other case's batch is gone.
    assert_eq!(mock.file_count(KEY), 2);
    assert!(report.cleanup.failed.is_empty(), "{:?}", report.cleanup);
    // Its read-back request is there to send by hand.
    let failed = report.cases.iter().find(|c| c.name == "fails");
    assert_eq!(failed.map(|c| c.read_back.len()), Some(1));

    let record = extracta_contract::suite::KeptRecord::new(&mock.base_url(), &kept);
    let later = extracta_contract::suite::delete_kept(&options, &record)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(later.deleted, kept.classifications, "{later:?}");
    assert_eq!(mock.file_count(KEY), 0);
}
