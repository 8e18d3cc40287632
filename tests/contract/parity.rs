//! Parity and learning against stand-ins that chose differently from the built-in mock where
//! the docs are silent: on each one's baseline the plain mock differs, and the mock that
//! learned the vendor does not, through the library and through the command line.

use std::path::Path;
use std::process::Command;

use extracta_contract::{
    EmptyList, MockServer, PartlyUnknown, RunOptions, RunOptionsBuilder, RunReport, VendorProfile,
    learn_vendor, parity, run,
};
use serde_json::json;

use super::standins::StandIn;

/// The deleteFiles cases, which every variant below bears on.
const SELECTION: &str = "delete-files/";

fn cases() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("cases")
}

fn selected(options: RunOptionsBuilder) -> RunOptionsBuilder {
    options.cases_dir(cases()).filters([SELECTION])
}

/// The deleteFiles cases of the built-in cases folder, as parity and learning take them.
fn deletes() -> RunOptions {
    super::standins::built(selected(RunOptions::builder()))
}

/// Records the baseline of `variant` in a new folder named after it.
async fn record(variant: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let stand_in = StandIn::start(variant);
    let options = super::standins::built(selected(stand_in.options()).snapshots(dir.path(), true));
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
                (learned.status, learned.message.as_str()),
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
        other => panic!("no expectation for {other}"),
    }
}

#[rstest::rstest]
#[case::answers_an_invalid_key_with_401("auth-401")]
#[case::rewords_a_message("drift-message")]
#[case::adds_a_field("drift-added-field")]
#[case::accepts_an_empty_list_and_deletes_a_partly_unknown_list_in_part("independent")]
#[case::refuses_a_partly_unknown_list_in_its_own_words("drift-atomic")]
#[tokio::test]
async fn the_plain_mock_differs_from_the_vendor_and_the_learned_mock_does_not(
    #[case] variant: &str,
) {
    let baseline = record(variant).await;
    let dir = baseline.path();
    let plain = parity(&deletes(), dir, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !drifted(&plain).is_empty(),
        "{variant}: the plain mock shows no difference"
    );

    let learned = learn_vendor(&deletes(), dir)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
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

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_extracta-contract"))
}

fn exit_code(command: &mut Command) -> (i32, String) {
    let output = command.output().unwrap_or_else(|e| panic!("{e}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[tokio::test]
async fn the_command_line_learns_writes_the_profile_and_runs_the_mock_like_the_vendor() {
    let baseline = record("auth-401").await;
    let dir = baseline.path();
    let cases = cases();
    let args = |command: &str| {
        let mut c = binary();
        c.args([command, "--snapshots"])
            .arg(dir)
            .arg("--cases")
            .arg(&cases)
            .arg(SELECTION);
        c
    };
    let (code, out) = exit_code(&mut args("parity"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("the built-in mock differs from"), "{out}");
    assert!(
        out.contains("HTTP status 401") || out.contains("drift"),
        "{out}"
    );

    let (code, out) = exit_code(&mut args("learn"));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("deleteFiles invalid-key: 401 \"Invalid API key\""),
        "{out}"
    );
    let profile = VendorProfile::load(dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(profile.refusals["deleteFiles invalid-key"].status, 401);

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
            .arg(&cases)
            .arg(SELECTION),
    );
    assert_eq!(code, 0, "{out}");

    // The library's builder answers like the profile too.
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
    assert_eq!(answer.status(), 401);
    let body: serde_json::Value = answer.json().await.unwrap_or_default();
    assert_eq!(
        body,
        json!({"status": "error", "message": "Invalid API key", "code": "AUTH_INVALID"})
    );
}

#[tokio::test]
async fn a_folder_without_a_baseline_or_a_broken_profile_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let error = parity(
        &super::standins::built(RunOptions::builder()),
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
