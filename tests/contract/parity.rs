//! Parity and learning against stand-ins that chose differently from the built-in mock where
//! the docs are silent: on each one's baseline of every case the plain mock differs, and the
//! mock that learned the vendor does not, in any case, through the library and through the
//! command line.

use std::path::Path;
use std::process::Command;

use extracta_contract::contract::profile::{
    EmptyList, LearnedSuccess, PROFILE_FILE, PROFILE_SCHEMA_ID, PartlyUnknown, ResultsFileId,
    SuccessStatus,
};
use extracta_contract::{
    MockServer, RunOptions, RunReport, VendorProfile, learn_vendor, parity, run,
};
use serde_json::json;

use crate::support::stand_in::StandIn;

/// What the `express` stand-in sends on every answer, and the learned mock must send too.
const EXPRESS_JSON: &str = "application/json; charset=utf-8";

use crate::support::cases;

/// Every case of the built-in cases folder, as parity and learning take them.
fn every_case() -> RunOptions {
    crate::support::stand_in::built(RunOptions::builder().cases_dir(cases()))
}

/// Records the baseline of every case against `variant` in a new folder.
async fn record(variant: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let stand_in = StandIn::start(variant);
    let options = crate::support::stand_in::built(stand_in.options().snapshots(dir.path(), true));
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("record the baseline of {variant}: {e}"));
    assert!(report.conforms(), "{variant} breaks the contract");
    dir
}

fn drifted(report: &RunReport) -> Vec<String> {
    report
        .cases
        .iter()
        .filter(|case| case.drifts().next().is_some())
        .map(|case| format!("{}: {:?}", case.name, case.failures))
        .collect()
}

/// What each variant's profile must hold: the choice that tells it from the mock.
fn assert_learned(variant: &str, profile: &VendorProfile) {
    let refusal = |key: &str| {
        profile
            .refusals
            .get(key)
            .unwrap_or_else(|| panic!("{variant}: no `{key}` in {profile:#?}"))
    };
    match variant {
        "auth-401" => {
            let learned = refusal("deleteFiles invalid-key");
            assert_eq!(
                (learned.status.get(), learned.message.as_str()),
                (401, "Invalid API key")
            );
            assert_eq!(learned.extra.get("code"), Some(&json!("AUTH_INVALID")));
        }
        "drift-message" => {
            assert_eq!(
                refusal("deleteFiles unknown-batch").message,
                "Unknown batch"
            );
        }
        "drift-added-field" => {
            assert_eq!(
                profile.successes["deleteFiles"].set.get("deleteAll"),
                Some(&json!(false))
            );
        }
        "independent" => {
            assert_eq!(profile.behaviours.empty_file_ids, Some(EmptyList::Accept));
            assert_eq!(
                profile.behaviours.partly_unknown_file_ids,
                Some(PartlyUnknown::DeleteKnown)
            );
            assert_eq!(refusal("deleteFiles wrong-content-type").status, 415);
        }
        "drift-atomic" => {
            assert_eq!(
                refusal("deleteFiles partly-unknown-files").message,
                "Some files were not found"
            );
        }
        "express" => {
            // Its exact Content-Type, on every refusal and every success it answered.
            assert!(!profile.refusals.is_empty() && profile.successes.len() == 7);
            for (key, learned) in &profile.refusals {
                assert_eq!(learned.content_type.as_deref(), Some(EXPRESS_JSON), "{key}");
            }
            for (endpoint, learned) in &profile.successes {
                assert_eq!(
                    learned.content_type.as_deref(),
                    Some(EXPRESS_JSON),
                    "{endpoint}"
                );
            }
        }
        other => panic!("no expectation for {other}"),
    }
    // What every one of these stand-ins does beyond the deletes.
    assert_eq!(
        profile.behaviours.get_results_file_id,
        Some(ResultsFileId::Ignore),
        "{variant}"
    );
    assert!(
        profile.accepts.contains_key(
            "createClassification invalid-body type:/classificationDetails/documentTypes"
        ),
        "{variant}"
    );
    assert_eq!(
        profile.successes["viewClassification"].remove,
        ["/classificationDetails/createdAt"],
        "{variant}"
    );
}

#[rstest::rstest]
#[case::answers_an_invalid_key_with_401("auth-401")]
#[case::rewords_a_message("drift-message")]
#[case::adds_a_field("drift-added-field")]
#[case::accepts_an_empty_list_and_deletes_a_partly_unknown_list_in_part("independent")]
#[case::refuses_a_partly_unknown_list_in_its_own_words("drift-atomic")]
#[case::sends_json_with_a_charset("express")]
#[tokio::test]
async fn the_plain_mock_differs_from_the_vendor_and_the_learned_mock_does_not(
    #[case] variant: &str,
) {
    let baseline = record(variant).await;
    let dir = baseline.path();
    let plain = parity(&every_case(), dir, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !drifted(&plain).is_empty(),
        "{variant}: the plain mock shows no difference"
    );

    let learned = learn_vendor(&every_case(), dir)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(learned.after.cases.len(), plain.cases.len(), "{variant}");
    assert_learned(variant, &learned.profile);
    assert!(
        learned.profile.not_learned.is_empty(),
        "{variant}: {:#?}",
        learned.profile.not_learned
    );
    assert_eq!(drifted(&learned.after), Vec::<String>::new(), "{variant}");
    assert!(learned.after.conforms(), "{variant}");
    // Parity wrote nothing into the vendor's baseline.
    let pending = walk(dir)
        .into_iter()
        .filter(|p| p.ends_with(".snap.new"))
        .count();
    assert_eq!(pending, 0, "{variant}: parity left .snap.new files");
}

fn walk(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path.display().to_string());
        }
    }
    found
}

use crate::support::binary;

fn exit_code(command: &mut Command) -> (i32, String) {
    let output = command.output().unwrap_or_else(|e| panic!("{e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[tokio::test]
async fn the_command_line_learns_writes_the_profile_and_runs_the_mock_like_the_vendor() {
    let baseline = record("express").await;
    let dir = baseline.path();
    let cases = cases();
    let args = |command: &str| {
        let mut c = binary();
        c.args([command, "--snapshots"])
            .arg(dir)
            .arg("--cases")
            .arg(&cases);
        c
    };
    let (code, out) = exit_code(&mut args("parity"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("the built-in mock differs from"), "{out}");
    assert!(out.contains("HTTP status 403 -> 401"), "{out}");

    // A link planted at the profile's name in the baseline folder is replaced, not written
    // through.
    let outside = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let precious = outside.path().join("precious");
    std::fs::write(&precious, "precious").unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&precious, dir.join(PROFILE_FILE)).unwrap_or_else(|e| panic!("{e}"));

    let (code, out) = exit_code(&mut args("learn"));
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        std::fs::read_to_string(&precious).ok().as_deref(),
        Some("precious")
    );
    assert!(!dir.join(PROFILE_FILE).is_symlink());
    assert!(
        out.contains(&format!(
            "deleteFiles invalid-key: 403 \"Forbidden\" with {{\"status\":\"error\"}} as {EXPRESS_JSON}"
        )),
        "{out}"
    );
    assert!(out.contains("matches"), "{out}");
    assert!(!out.contains("not learned"), "{out}");
    let profile = VendorProfile::load(dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(profile.refusals["deleteFiles invalid-key"].status, 403);
    assert_eq!(profile.schema.as_deref(), Some(PROFILE_SCHEMA_ID));

    let (code, out) = exit_code(args("parity").arg("--like").arg(dir));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("matches"), "{out}");

    let (code, out) = exit_code(
        binary()
            .args(["run", "--mock-like"])
            .arg(dir)
            .arg("--snapshots")
            .arg(dir)
            .arg("--cases")
            .arg(&cases),
    );
    assert_eq!(code, 0, "{out}");

    // The library's builder answers like the profile too, with the vendor's header as sent.
    let mock = MockServer::builder()
        .like(dir)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let answer = crate::http()
        .delete(format!(
            "{}/documentClassification/deleteFiles",
            mock.base_url()
        ))
        .bearer_auth("not-the-key")
        .json(&json!({"classificationId": "c", "batchId": "b", "fileIds": ["f"]}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer.status(), 403);
    assert_eq!(
        answer.headers().get("content-type").map(|v| v.as_bytes()),
        Some(EXPRESS_JSON.as_bytes())
    );
    let body: serde_json::Value = answer.json().await.unwrap_or_default();
    assert_eq!(body, json!({"status": "error", "message": "Forbidden"}));
}

/// A mock holding one batch of two files (`f0`, `f1`) under the key `k`, answering like
/// `profile`.
async fn two_files_like(profile: VendorProfile) -> MockServer {
    MockServer::builder()
        .api_key("k")
        .seed(json!({"classifications": [{"classificationId": "cls",
            "classificationDetails": {"name": "n", "documentTypes": []},
            "batches": [{"batchId": "batch", "files": [
                {"fileId": "f0", "fileName": "a"}, {"fileId": "f1", "fileName": "b"}]}]}]}))
        .profile(profile)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The status of getResults for `file_id`, and the ids of the files it lists.
async fn results_for(mock: &MockServer, file_id: &str) -> (u16, Vec<String>) {
    let answer = crate::http()
        .post(format!(
            "{}/documentClassification/getResults",
            mock.base_url()
        ))
        .bearer_auth("k")
        .json(&json!({"classificationId": "cls", "batchId": "batch", "fileId": file_id}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = answer.status().as_u16();
    let body: serde_json::Value = answer.json().await.unwrap_or_default();
    let ids = body["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["fileId"].as_str().map(str::to_owned))
        .collect();
    (status, ids)
}

#[tokio::test]
async fn a_profile_decides_what_get_results_does_with_a_file_id() {
    let expectations = [
        (None, (200, vec!["f1"]), 404),
        (Some(ResultsFileId::FilterOrEmpty), (200, vec!["f1"]), 200),
        (Some(ResultsFileId::Ignore), (200, vec!["f0", "f1"]), 200),
    ];
    for (rule, known, unknown_status) in expectations {
        let mut profile = VendorProfile::default();
        profile.behaviours.get_results_file_id = rule;
        let mock = two_files_like(profile).await;
        let (status, ids) = results_for(&mock, "f1").await;
        assert_eq!(
            (status, ids),
            (known.0, known.1.iter().map(|s| (*s).to_owned()).collect()),
            "{rule:?}"
        );
        let (status, ids) = results_for(&mock, "nope").await;
        assert_eq!(status, unknown_status, "{rule:?}");
        let expected: &[&str] = match rule {
            Some(ResultsFileId::Ignore) => &["f0", "f1"],
            _ => &[],
        };
        assert_eq!(ids, expected, "{rule:?}");
    }
}

#[tokio::test]
async fn a_learned_success_status_is_what_the_mock_answers() {
    // A vendor that answers a delete with 201 is learned so; the mock like it answers 201.
    let mut profile = VendorProfile::default();
    profile.successes.insert("deleteFiles".to_owned(), {
        let mut learned = LearnedSuccess::default();
        learned.status = Some(SuccessStatus::new(201).unwrap_or_else(|e| panic!("{e}")));
        learned
    });
    let mock = two_files_like(profile).await;
    let answer = crate::http()
        .delete(format!(
            "{}/documentClassification/deleteFiles",
            mock.base_url()
        ))
        .bearer_auth("k")
        .json(&json!({"classificationId": "cls", "batchId": "batch", "fileIds": ["f0"]}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer.status(), 201);
    let (status, ids) = results_for(&mock, "f1").await;
    assert_eq!((status, ids), (200, vec!["f1".to_owned()]));
}

#[tokio::test]
async fn a_folder_without_a_baseline_or_a_broken_profile_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let error = parity(
        &crate::support::stand_in::built(RunOptions::builder()),
        empty.path(),
        None,
    )
    .await
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(error.contains("holds no baseline"), "{error}");
    std::fs::write(
        empty.path().join("vendor-profile.json"),
        "{\"refusals\": 3}",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, out) = exit_code(
        binary()
            .args(["mock", "--port", "0", "--like"])
            .arg(empty.path()),
    );
    assert_eq!(code, 2, "{out}");
}
