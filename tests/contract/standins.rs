//! The suite against independently written stand-ins for the vendor (tests/standins/vendor.py):
//! one that follows the docs but chooses differently where they are silent must pass, and so
//! must one that is noisy (per-request ids, reads that lag deletes); each one that breaks a
//! documented rule must fail, naming the case and the check.

use std::path::Path;
use std::time::Duration;

use extracta_contract::result::{Failure, FailureKind, Outcome};
use extracta_contract::suite::FailOn;
use extracta_contract::{RunOptionsBuilder, RunReport, run};

use crate::support::stand_in::{SECOND_KEY, StandIn, built};

async fn run_with(options: RunOptionsBuilder) -> RunReport {
    run(&built(options), |_| {})
        .await
        .unwrap_or_else(|e| panic!("the run could not start: {e}"))
}

async fn run_against(variant: &str) -> RunReport {
    let stand_in = StandIn::start(variant);
    run_with(stand_in.options()).await
}

fn failure_kinds(report: &RunReport, case: &str) -> Vec<FailureKind> {
    report
        .cases
        .iter()
        .filter(|c| c.name == case)
        .flat_map(|c| c.failures.iter().map(Failure::kind))
        .collect()
}

fn describe(report: &RunReport) -> String {
    report
        .cases
        .iter()
        .filter(|c| c.outcome != Outcome::Passed)
        .map(|c| format!("{}: {:?}", c.name, c.failures))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_vendor_that_chooses_differently_where_the_docs_are_silent_passes() {
    let report = run_against("independent").await;
    assert!(report.conforms(), "{}", describe(&report));
    assert!(report.cleanup.failed.is_empty());
}

#[rstest::rstest]
#[case::accepts_a_body_without_batch_id(
    "accept-missing-batch-id",
    "delete-files/missing-batch-id",
    FailureKind::Status
)]
#[case::answers_400_with_success("success-400", "delete-files/missing-batch-id", FailureKind::Body)]
#[case::renames_message("renamed-message", "delete-files/valid-one-file", FailureKind::Schema)]
#[case::answers_text_plain("text-plain", "delete-files/valid-one-file", FailureKind::ContentType)]
#[case::deletes_nothing_but_says_success(
    "deletes-nothing",
    "delete-files/valid-one-file",
    FailureKind::Effect
)]
#[case::deletes_the_whole_batch(
    "deletes-whole-batch",
    "delete-files/valid-one-file",
    FailureKind::Effect
)]
#[case::deletes_a_file_of_another_batch(
    "ignores-batch",
    "delete-files/file-of-another-batch",
    FailureKind::Effect
)]
#[case::accepts_no_authorization("no-auth", "delete-files/auth-missing", FailureKind::Status)]
#[tokio::test]
async fn a_vendor_that_breaks_the_contract_fails_the_run(
    #[case] variant: &str,
    #[case] case: &str,
    #[case] kind: FailureKind,
) {
    // The cases of the endpoint under judgement: a stand-in that breaks the contract makes
    // every case it breaks wait out the settle time, and the others say nothing of it.
    let stand_in = StandIn::start(variant);
    let endpoint = case.split('/').next().unwrap_or_default();
    let report = run_with(stand_in.options().filters([format!("{endpoint}/")])).await;
    assert!(!report.conforms(), "the {variant} stand-in passed");
    let kinds = failure_kinds(&report, case);
    assert!(
        kinds.contains(&kind),
        "case {case} against {variant}: expected a {kind} failure, got {kinds:?}\n{}",
        describe(&report)
    );
    assert!(report.cleanup.failed.is_empty());
}

#[test]
fn the_key_never_appears_in_output_reports_or_failures_even_when_the_vendor_echoes_it() {
    let key = "sk-unique-3e9b7c2a41d8";
    let stand_in = StandIn::start_with_key("echo-key", key);
    let dir = std::env::temp_dir().join(format!("extracta-contract-echo-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let json = dir.join("report.json");
    let output = crate::support::binary()
        .args(["run", "--json", json.to_str().unwrap_or_default()])
        .env(
            "EXTRACTA_BASE_URL",
            format!("http://127.0.0.1:{}/api/v1", stand_in.port),
        )
        .env("EXTRACTA_API_KEY", key)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("failed to run the binary: {e}"));
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let report = std::fs::read_to_string(&json).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    // The echoed message fails the documented-message check, so the failure text carries it.
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(printed.contains("you sent Bearer [REDACTED]"), "{printed}");
    assert!(
        !printed.contains(key),
        "the key leaked to the output:\n{printed}"
    );
    assert!(
        !report.is_empty() && !report.contains(key),
        "the key leaked to the JSON report"
    );
}

#[tokio::test]
async fn snapshots_of_a_vendor_that_echoes_the_key_hold_it_redacted() {
    let key = "sk-unique-5a0c7e1f93b2";
    let stand_in = StandIn::start_with_key("echo-key", key);
    let options = built(stand_in.options().api_key(key));
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let observations: Vec<String> = report
        .cases
        .iter()
        .filter_map(|c| c.observation.as_ref())
        .map(|o| serde_json::to_string(o).unwrap_or_default())
        .collect();
    assert!(observations.iter().any(|o| o.contains("[REDACTED]")));
    assert!(observations.iter().all(|o| !o.contains(key)));
}

/// A run against a fresh stand-in of `variant`, comparing with (or recording) `baseline`.
async fn run_with_baseline(
    variant: &str,
    baseline: &Path,
    update: bool,
    fail_on: FailOn,
) -> RunReport {
    let stand_in = StandIn::start(variant);
    let options = built(
        stand_in
            .options()
            .snapshots(baseline, update)
            .fail_on(fail_on),
    );
    run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("the run could not start: {e}"))
}

/// A baseline folder recorded against a healthy stand-in.
async fn healthy_baseline() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let recorded = run_with_baseline("independent", dir.path(), true, FailOn::Any).await;
    assert!(recorded.conforms(), "{}", describe(&recorded));
    dir
}

fn drift_lines(report: &RunReport, case: &str) -> Vec<String> {
    report
        .drifts()
        .filter(|(c, _)| c.name == case)
        .map(|(_, f)| f.message())
        .collect()
}

#[tokio::test]
async fn a_baseline_recorded_against_a_healthy_vendor_passes_against_a_fresh_instance() {
    let baseline = healthy_baseline().await;
    let report = run_with_baseline("independent", baseline.path(), false, FailOn::Any).await;
    assert!(report.conforms(), "{}", describe(&report));
    assert_eq!(report.drifts().count(), 0);
    let pending = std::fs::read_dir(baseline.path())
        .into_iter()
        .flatten()
        .flatten();
    assert!(
        pending
            .filter(|e| e.path().extension().is_some_and(|x| x == "new"))
            .count()
            == 0
    );
}

#[rstest::rstest]
#[case::a_status_for_an_undocumented_case(
    "drift-status",
    "delete-files/unknown-batch",
    "HTTP status 400 -> 404"
)]
#[case::an_added_field(
    "drift-added-field",
    "delete-files/valid-one-file",
    "field `deleteAll` added"
)]
#[case::a_reworded_message(
    "drift-message",
    "delete-files/unknown-batch",
    "field `message` \"Invalid batchId\" -> \"Unknown batch\""
)]
#[case::another_behaviour_for_a_partly_unknown_list(
    "drift-atomic",
    "delete-files/partly-unknown-file-ids",
    "HTTP status 200 -> 400"
)]
#[tokio::test]
async fn a_vendor_that_changes_what_the_docs_leave_open_fails_as_drift(
    #[case] variant: &str,
    #[case] case: &str,
    #[case] line: &str,
) {
    let baseline = healthy_baseline().await;
    let report = run_with_baseline(variant, baseline.path(), false, FailOn::Any).await;
    assert!(!report.conforms(), "the {variant} stand-in passed");
    let lines = drift_lines(&report, case);
    assert!(
        lines.iter().any(|l| l == line),
        "case {case}: expected the drift `{line}`, got {lines:?}\n{}",
        describe(&report)
    );
    // The change waits for review next to the baseline, in insta's format.
    assert!(baseline.path().join(format!("{case}.snap.new")).exists());
}

#[tokio::test]
async fn an_added_field_is_additive_and_passes_when_only_breaking_changes_fail() {
    let baseline = healthy_baseline().await;
    let report = run_with_baseline(
        "drift-added-field",
        baseline.path(),
        false,
        FailOn::Breaking,
    )
    .await;
    assert!(report.conforms(), "{}", describe(&report));
    let classes: Vec<_> = report
        .drifts()
        .filter_map(|(_, f)| f.change_class())
        .collect();
    assert!(
        !classes.is_empty()
            && classes
                .iter()
                .all(|c| *c == extracta_contract::result::ChangeClass::Additive)
    );
}

#[tokio::test]
async fn a_reworded_message_is_wording_and_passes_when_only_breaking_changes_fail() {
    let baseline = healthy_baseline().await;
    let report = run_with_baseline("drift-message", baseline.path(), false, FailOn::Breaking).await;
    assert!(report.conforms(), "{}", describe(&report));
    let classes: Vec<_> = report
        .drifts()
        .filter_map(|(_, f)| f.change_class())
        .collect();
    assert!(
        !classes.is_empty()
            && classes
                .iter()
                .all(|c| *c == extracta_contract::result::ChangeClass::Wording),
        "{classes:?}"
    );
    // It is still shown and counted.
    assert!(
        drift_lines(&report, "delete-files/unknown-batch")
            .iter()
            .any(|l| l == "field `message` \"Invalid batchId\" -> \"Unknown batch\"")
    );
}

#[tokio::test]
async fn a_breaking_change_fails_even_when_only_breaking_changes_fail() {
    let baseline = healthy_baseline().await;
    let report = run_with_baseline("drift-status", baseline.path(), false, FailOn::Breaking).await;
    assert!(
        !report.conforms(),
        "a breaking drift passed --fail-on breaking"
    );
    let failed: Vec<&str> = report
        .cases
        .iter()
        .filter(|c| c.outcome == Outcome::Failed)
        .map(|c| c.name.as_str())
        .collect();
    assert!(failed.contains(&"delete-files/unknown-batch"), "{failed:?}");
    assert!(
        drift_lines(&report, "delete-files/unknown-batch")
            .iter()
            .any(|l| l == "HTTP status 400 -> 404")
    );
}

#[rstest::rstest]
#[case::a_429_with_retry_after_on_the_first_delete("rate-limit")]
#[case::results_that_are_waiting_at_first("waiting")]
#[tokio::test]
async fn a_healthy_vendor_that_is_slow_or_rate_limited_still_passes(#[case] variant: &str) {
    let report = run_against(variant).await;
    assert!(report.conforms(), "{}", describe(&report));
}

#[test]
fn the_junit_report_parses_and_names_the_target_and_the_baseline() {
    let stand_in = StandIn::start("drift-added-field");
    let baseline = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let junit = baseline.path().join("junit.xml");
    let url = format!("http://127.0.0.1:{}/api/v1", stand_in.port);
    let snapshots = baseline.path().join("staging");
    let base = |extra: &[&str]| {
        crate::support::binary()
            .args([
                "run",
                "--base-url",
                &url,
                "--snapshots",
                snapshots.to_str().unwrap_or_default(),
            ])
            .args(extra)
            .env("EXTRACTA_API_KEY", "standin-key")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(base(&["--update-snapshots"]).status.code(), Some(0));
    // The same stand-in, its baseline edited by hand so that one case has drifted.
    let edited = snapshots.join("delete-files/valid-one-file.snap");
    let text = std::fs::read_to_string(&edited)
        .unwrap_or_default()
        .replace("\"deleteAll\": false,\n", "");
    let _ = std::fs::write(&edited, text);
    let output = base(&["--junit", junit.to_str().unwrap_or_default()]);
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(printed.contains("drift from the baseline: 1 change in 1 case (1 additive):\n  field `deleteAll` added (additive) in delete-files/valid-one-file"), "{printed}");
    let xml = std::fs::read_to_string(&junit).unwrap_or_default();
    let report = quick_junit::Report::deserialize_from_str(&xml)
        .unwrap_or_else(|e| panic!("the JUnit file does not parse: {e}"));
    let suite = &report.test_suites[0];
    assert_eq!(
        suite.test_cases.len(),
        extracta_contract::contract::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
            .map(|cases| cases.len())
            .unwrap_or(0)
    );
    let property = |name: &str| {
        suite
            .properties
            .iter()
            .find(|p| p.name.as_str() == name)
            .map(|p| p.value.as_str().to_owned())
    };
    assert_eq!(property("target"), Some(url.clone()));
    assert_eq!(property("baseline"), Some(snapshots.display().to_string()));
    assert_eq!(report.failures, 1);
}

#[rstest::rstest]
#[case::a_connection_reset_mid_answer("reset", &[FailureKind::Transport])]
#[case::a_body_that_is_not_json("not-json", &[FailureKind::Schema])]
#[case::a_body_cut_short("cut-short", &[FailureKind::Transport])]
#[case::a_server_that_stalls_past_the_timeout("stall", &[FailureKind::Transport])]
#[case::a_500_with_an_html_page("html-500", &[FailureKind::Status, FailureKind::ContentType, FailureKind::Schema])]
#[case::a_redirect("redirect", &[FailureKind::Status])]
#[tokio::test]
async fn a_misbehaving_target_fails_with_the_right_kind_and_is_still_cleaned_up(
    #[case] variant: &str,
    #[case] kinds: &[FailureKind],
) {
    let stand_in = StandIn::start(variant);
    let options = built(stand_in.options().timeout(Duration::from_secs(2)));
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("the run could not start: {e}"));
    assert!(!report.conforms(), "the {variant} stand-in passed");
    let found = failure_kinds(&report, "delete-files/valid-one-file");
    for kind in kinds {
        assert!(
            found.contains(kind),
            "{variant}: expected a {kind} failure, got {found:?}\n{}",
            describe(&report)
        );
    }
    assert!(
        report
            .cases
            .iter()
            .all(|c| c.outcome != extracta_contract::result::Outcome::Skipped)
    );
    assert!(
        report.cleanup.failed.is_empty(),
        "{:?}",
        report.cleanup.failed
    );
    let left: serde_json::Value = crate::http()
        .get(format!("http://127.0.0.1:{}/__data", stand_in.port))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(left["classifications"], 0);
}

#[tokio::test]
async fn a_vendor_whose_reads_lag_its_deletes_passes_within_the_settle_time() {
    let stand_in = StandIn::start("lag");
    // Without a settle time, the lag fails every successful delete...
    let hasty = run_with(stand_in.options().settle(Duration::ZERO)).await;
    let kinds = failure_kinds(&hasty, "delete-files/valid-one-file");
    assert!(kinds.contains(&FailureKind::Effect), "{}", describe(&hasty));
    // ...with the default for a remote target, it passes.
    let report = run_with(stand_in.patient_options()).await;
    assert!(report.conforms(), "{}", describe(&report));
}

#[tokio::test]
async fn a_vendor_that_adds_per_request_ids_and_timestamps_does_not_drift() {
    let baseline = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let recorded = run_with_baseline("request-id", baseline.path(), true, FailOn::Any).await;
    assert!(recorded.conforms(), "{}", describe(&recorded));
    let report = run_with_baseline("request-id", baseline.path(), false, FailOn::Any).await;
    assert!(report.conforms(), "{}", describe(&report));
    assert_eq!(report.drifts().count(), 0);
    // The fields are still there: only their values are ignored.
    let text = std::fs::read_to_string(baseline.path().join("delete-files/valid-one-file.snap"))
        .unwrap_or_default();
    assert!(text.contains("\"requestId\": \"[uuid]\""), "{text}");
}

#[tokio::test]
async fn a_volatile_field_named_beside_the_baseline_is_not_drift() {
    let baseline = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    run_with_baseline("drift-message", baseline.path(), true, FailOn::Any).await;
    // The message of unknown-batch differs from "independent": named volatile, it passes.
    let _ = std::fs::write(
        baseline
            .path()
            .join(extracta_contract::suite::VOLATILE_FILE),
        r#"{"pointers": ["/body/message"]}"#,
    );
    let report = run_with_baseline("independent", baseline.path(), false, FailOn::Any).await;
    assert!(
        drift_lines(&report, "delete-files/unknown-batch").is_empty(),
        "{}",
        describe(&report)
    );
}

#[rstest::rstest]
#[case::lets_a_second_account_delete(
    "cross-tenant",
    "delete-files/second-account",
    FailureKind::Effect
)]
#[case::lets_a_second_account_delete_a_batch(
    "cross-tenant",
    "delete-batch/second-account",
    FailureKind::Effect
)]
#[case::lets_a_second_account_read(
    "cross-tenant",
    "get-results/second-account",
    FailureKind::Status
)]
#[case::lets_a_second_account_upload(
    "cross-tenant",
    "upload-files/second-account",
    FailureKind::Effect
)]
#[case::finds_a_batch_across_classifications(
    "cross-classification",
    "delete-files/batch-of-another-classification",
    FailureKind::Effect
)]
#[tokio::test]
async fn a_vendor_that_breaks_isolation_fails_the_run(
    #[case] variant: &str,
    #[case] case: &str,
    #[case] kind: FailureKind,
) {
    let report = run_against(variant).await;
    let kinds = failure_kinds(&report, case);
    assert!(
        kinds.contains(&kind),
        "case {case} against {variant}: expected a {kind} failure, got {kinds:?}\n{}",
        describe(&report)
    );
    assert!(
        report.cleanup.failed.is_empty(),
        "{:?}",
        report.cleanup.failed
    );
}

#[tokio::test]
async fn a_vendor_that_answers_422_for_a_bad_body_fails_where_the_docs_say_400() {
    let report = run_against("answers-422").await;
    let failures: Vec<String> = report
        .cases
        .iter()
        .filter(|c| c.name == "delete-files/missing-batch-id")
        .flat_map(|c| c.failures.iter().map(Failure::message))
        .collect();
    assert_eq!(
        failures,
        ["expected 400, got 422 (the vendor's page documents 400 for this)"]
    );
}

#[tokio::test]
async fn without_a_second_account_its_cases_are_skipped_not_passed() {
    let stand_in = StandIn::start("cross-tenant");
    let report = run_with(stand_in.options().without_second_api_key()).await;
    let case = report
        .cases
        .iter()
        .find(|c| c.name == "delete-files/second-account");
    assert_eq!(case.map(|c| c.outcome), Some(Outcome::Skipped));
    assert!(
        case.and_then(|c| c.skip_reason)
            .is_some_and(|r| r.to_string().contains("--second-api-key")),
        "{case:?}"
    );
    assert!(report.summary().skipped >= 5);
}

#[tokio::test]
async fn an_answer_that_never_ends_fails_its_case_and_the_run_goes_on() {
    for variant in ["endless", "huge"] {
        let stand_in = StandIn::start(variant);
        let report = run_with(stand_in.options().timeout(Duration::from_secs(20))).await;
        let messages: Vec<String> = report
            .cases
            .iter()
            .filter(|c| c.name == "delete-files/valid-one-file")
            .flat_map(|c| c.failures.iter().map(Failure::message))
            .collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("longer than the limit of 4194304 bytes")),
            "{variant}: {messages:?}"
        );
        assert!(report.cleanup.failed.is_empty(), "{variant}");
        assert!(
            report.cases.iter().all(|c| c.outcome != Outcome::Skipped),
            "{variant}"
        );
    }
}

/// What the binary printed and wrote for a run against `stand_in` with `key`.
fn binary_run(stand_in: &StandIn, key: &str, dir: &Path) -> (Option<i32>, String) {
    let output = crate::support::binary()
        .args(["run", "--settle", "1s"])
        .arg("--json")
        .arg(dir.join("report.json"))
        .arg("--junit")
        .arg(dir.join("junit.xml"))
        .arg("--snapshots")
        .arg(dir.join("snapshots"))
        .arg("--update-snapshots")
        .env(
            "EXTRACTA_BASE_URL",
            format!("http://127.0.0.1:{}/api/v1", stand_in.port),
        )
        .env("EXTRACTA_API_KEY", key)
        .env("EXTRACTA_SECOND_API_KEY", SECOND_KEY)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("failed to run the binary: {e}"));
    let mut written = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut files = vec![dir.join("report.json"), dir.join("junit.xml")];
    let mut folders = vec![dir.join("snapshots")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
            if entry.path().is_dir() {
                folders.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    for file in files {
        written.push_str(&std::fs::read_to_string(file).unwrap_or_default());
    }
    (output.status.code(), written)
}

#[test]
fn a_key_echoed_in_any_encoding_never_leaves_the_process() {
    use base64::Engine as _;
    let key = "sk-live/Ab+c=d3f9Q7";
    let stand_in = StandIn::start_with_key("echo-key-encoded", key);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (code, written) = binary_run(&stand_in, key, dir.path());
    assert!(code.is_some(), "{written}");
    assert!(
        written.contains("[REDACTED]"),
        "the echo did not arrive:\n{written}"
    );
    let escaped: String = key.encode_utf16().map(|u| format!("\\u{u:04x}")).collect();
    let forms = [
        key.to_owned(),
        key.replace('/', "\\/"),
        escaped,
        percent_encoding::utf8_percent_encode(key, percent_encoding::NON_ALPHANUMERIC).to_string(),
        base64::engine::general_purpose::STANDARD.encode(key),
        base64::engine::general_purpose::STANDARD.encode(format!("user:{key}")),
    ];
    for form in forms {
        assert!(!written.contains(&form), "{form} leaked:\n{written}");
    }
}

#[test]
fn server_text_cannot_pose_as_our_lines_or_a_ci_command() {
    let stand_in = StandIn::start("control-ids");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = crate::support::binary()
        .args(["run", "--settle", "1s"])
        .env(
            "EXTRACTA_BASE_URL",
            format!("http://127.0.0.1:{}/api/v1", stand_in.port),
        )
        .env("EXTRACTA_API_KEY", "standin-key")
        .env("EXTRACTA_SECOND_API_KEY", SECOND_KEY)
        .current_dir(dir.path())
        .arg("--cases")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        printed.contains("::error::pwned"),
        "the stand-in's text did not arrive:\n{printed}"
    );
    assert!(
        !printed.contains('\u{1b}'),
        "an escape sequence reached the terminal"
    );
    for line in printed.lines() {
        assert!(
            !line.starts_with("::") && !line.starts_with("[99/99]"),
            "a line poses as ours: {line:?}"
        );
    }
}

#[tokio::test]
async fn a_vendor_that_sends_json_with_a_utf8_charset_passes_and_does_not_drift() {
    let baseline = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let recorded = run_with_baseline("independent", baseline.path(), true, FailOn::Any).await;
    assert!(recorded.conforms(), "{}", describe(&recorded));
    let report = run_with_baseline("express", baseline.path(), false, FailOn::Any).await;
    assert!(report.conforms(), "{}", describe(&report));
    assert_eq!(report.drifts().count(), 0, "{}", describe(&report));
    // The observation keeps the header as it came, for a person to see.
    let exchange = report
        .cases
        .iter()
        .find(|c| c.name == "delete-files/valid-one-file")
        .and_then(|c| c.observation.as_ref())
        .and_then(|o| o.content_type.clone());
    assert_eq!(exchange.as_deref(), Some("application/json; charset=utf-8"));
}

#[tokio::test]
async fn a_vendor_that_answers_ids_it_does_not_hold_with_a_no_op_200_passes_without_a_baseline() {
    let report = run_against("idempotent").await;
    assert!(report.conforms(), "{}", describe(&report));
    // It did answer 200 where the built-in mock refuses: the choice is the vendor's.
    let unknown = report
        .cases
        .iter()
        .find(|c| c.name == "delete-files/unknown-file")
        .and_then(|c| c.observation.as_ref())
        .map(|o| o.status);
    assert_eq!(unknown, Some(200));
}

#[tokio::test]
async fn a_no_op_200_that_deleted_a_file_the_request_did_not_name_still_fails() {
    let report = run_against("idempotent-sloppy").await;
    assert!(!report.conforms());
    for case in [
        "delete-files/unknown-file",
        "delete-files/file-of-another-batch",
    ] {
        assert!(
            failure_kinds(&report, case).contains(&FailureKind::Effect),
            "{case}: {}",
            describe(&report)
        );
    }
}

/// A run against `variant` that must end within two minutes, whatever the target asks.
async fn bounded_run(variant: &str) -> RunReport {
    let stand_in = StandIn::start(variant);
    tokio::time::timeout(Duration::from_secs(120), run_with(stand_in.options()))
        .await
        .unwrap_or_else(|_| panic!("the run against {variant} waited more than two minutes"))
}

#[tokio::test]
async fn a_retry_after_of_an_hour_fails_the_case_at_once_and_the_run_cleans_up() {
    let report = bounded_run("rate-limit-hour").await;
    assert!(!report.conforms());
    let case = report
        .cases
        .iter()
        .find(|c| c.name == "delete-files/valid-one-file");
    let reasons: Vec<String> = case
        .map(|c| c.failures.iter().map(ToString::to_string).collect())
        .unwrap_or_default();
    assert!(
        reasons.iter().any(|r| r.contains(
            "rate limited: the target asks to wait 3600s, more than --max-retry-wait 60s"
        )),
        "{reasons:?}"
    );
    assert!(report.cleanup.failed.is_empty(), "{:?}", report.cleanup);
    assert_eq!(report.verdict(), extracta_contract::Verdict::Contract);
}

#[tokio::test]
async fn a_cleanup_held_off_for_an_hour_says_what_it_left_behind() {
    let report = bounded_run("rate-limit-hour-deletes").await;
    assert_eq!(
        report.verdict(),
        extracta_contract::Verdict::CouldNotFinish,
        "{}",
        describe(&report)
    );
    assert!(
        report
            .cleanup
            .failed
            .iter()
            .any(|(_, why)| why.contains("--max-retry-wait")),
        "{:?}",
        report.cleanup
    );
}

#[tokio::test]
async fn a_vendor_that_processes_in_the_background_matches_a_baseline_of_one_that_does_not() {
    let baseline = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let recorded = run_with_baseline("independent", baseline.path(), true, FailOn::Any).await;
    assert!(recorded.conforms(), "{}", describe(&recorded));
    // getResults answers "waiting" for 1.5 s after every upload, longer than the settle time.
    let report = run_with_baseline("processing", baseline.path(), false, FailOn::Any).await;
    assert!(report.conforms(), "{}", describe(&report));
    assert_eq!(report.drifts().count(), 0, "{}", describe(&report));
}

#[tokio::test]
async fn a_batch_still_processing_when_the_wait_is_up_fails_its_case_as_such_not_as_drift() {
    let stand_in = StandIn::start("processing");
    let options = stand_in
        .options()
        .only("get-results/valid")
        .max_processing_wait(Duration::from_millis(300));
    let report = run_with(options).await;
    let kinds = failure_kinds(&report, "get-results/valid");
    assert_eq!(kinds, [FailureKind::Processing], "{}", describe(&report));
    let message = report.cases[0].failures[0].to_string();
    assert!(
        message.contains("was not processed within 300ms"),
        "{message}"
    );
}

#[tokio::test]
async fn a_change_seen_in_many_cases_is_said_once_with_their_names() {
    let baseline = healthy_baseline().await;
    // Every refused key answers 401 with a code instead of 403: one change, many cases.
    let report = run_with_baseline("auth-401", baseline.path(), false, FailOn::Any).await;
    let summary = extracta_contract::report::text::summary(&report, false);
    let status_lines: Vec<&str> = summary
        .lines()
        .filter(|l| l.contains("HTTP status 403 -> 401"))
        .collect();
    assert_eq!(status_lines.len(), 1, "{summary}");
    let cases = report
        .cases
        .iter()
        .filter(|c| c.drifts().any(|d| d.message() == "HTTP status 403 -> 401"))
        .count();
    assert!(cases > 5, "{cases}");
    assert!(
        status_lines[0].starts_with(&format!(
            "  HTTP status 403 -> 401 (breaking) in {cases} cases: "
        )),
        "{summary}"
    );
    assert!(
        summary
            .lines()
            .next()
            .is_some_and(|l| l.starts_with("drift from the baseline: ") && l.contains(" breaking")),
        "{summary}"
    );
    // A case's own lines count its drift and leave the change to the closing block.
    let case = report
        .cases
        .iter()
        .find(|c| c.name == "delete-files/auth-missing")
        .map(|c| extracta_contract::report::text::case_lines(c, (1, 1), false))
        .unwrap_or_default();
    assert!(
        !case.contains("403 -> 401") && case.contains("listed at the end"),
        "{case}"
    );
}
