//! The suite against independently written stand-ins for the vendor (tests/standins/vendor.py):
//! one that follows the docs but chooses differently where they are silent must pass; each one
//! that breaks a documented rule must fail, naming the case and the check.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use extracta_contract::{FailOn, Failure, FailureKind, Outcome, RunOptions, RunReport, run};

/// A stand-in process, killed when dropped.
pub struct StandIn {
    child: Child,
    /// Its loopback port.
    pub port: u16,
}

impl StandIn {
    /// Starts the stand-in `variant` with the key `standin-key`.
    pub fn start(variant: &str) -> StandIn {
        StandIn::start_with_key(variant, "standin-key")
    }

    fn start_with_key(variant: &str, key: &str) -> StandIn {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/standins/vendor.py");
        let mut child = Command::new("python3")
            .arg(script)
            .args(["--variant", variant, "--key", key])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("failed to start python3 for the stand-in: {e}"));
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the stand-in printed {line:?}, not its port"));
        StandIn { child, port }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn run_against(variant: &str) -> RunReport {
    let stand_in = StandIn::start(variant);
    let options = RunOptions::default()
        .base_url(format!("http://127.0.0.1:{}/api/v1", stand_in.port))
        .api_key("standin-key")
        .cases_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"));
    run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("the run could not start: {e}"))
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
    "missing-batch-id",
    FailureKind::Status
)]
#[case::answers_400_with_success("success-400", "missing-batch-id", FailureKind::Body)]
#[case::renames_message("renamed-message", "valid-one-file", FailureKind::Schema)]
#[case::answers_text_plain("text-plain", "valid-one-file", FailureKind::ContentType)]
#[case::deletes_nothing_but_says_success("deletes-nothing", "valid-one-file", FailureKind::Effect)]
#[case::deletes_the_whole_batch("deletes-whole-batch", "valid-one-file", FailureKind::Effect)]
#[case::deletes_a_file_of_another_batch(
    "ignores-batch",
    "file-of-another-batch",
    FailureKind::Effect
)]
#[case::accepts_no_authorization("no-auth", "auth-missing", FailureKind::Status)]
#[tokio::test]
async fn a_vendor_that_breaks_the_contract_fails_the_run(
    #[case] variant: &str,
    #[case] case: &str,
    #[case] kind: FailureKind,
) {
    let report = run_against(variant).await;
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
    let output = Command::new(env!("CARGO_BIN_EXE_extracta-contract"))
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
    let options = RunOptions::default()
        .base_url(format!("http://127.0.0.1:{}/api/v1", stand_in.port))
        .api_key(key)
        .cases_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"));
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
    let options = RunOptions::default()
        .base_url(format!("http://127.0.0.1:{}/api/v1", stand_in.port))
        .api_key("standin-key")
        .cases_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
        .snapshots(baseline, update)
        .fail_on(fail_on);
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
#[case::a_status_for_an_undocumented_case("drift-status", "unknown-batch", "status 400 -> 404")]
#[case::an_added_field("drift-added-field", "valid-one-file", "field `deleteAll` added")]
#[case::a_reworded_message(
    "drift-message",
    "unknown-batch",
    "message \"Invalid batchId\" -> \"Unknown batch\""
)]
#[case::another_behaviour_for_a_partly_unknown_list(
    "drift-atomic",
    "partly-unknown-file-ids",
    "status 200 -> 400"
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
                .all(|c| *c == extracta_contract::ChangeClass::Additive)
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
    let binary = env!("CARGO_BIN_EXE_extracta-contract");
    let snapshots = baseline.path().join("staging");
    let base = |extra: &[&str]| {
        Command::new(binary)
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
    let edited = snapshots.join("valid-one-file.snap");
    let text = std::fs::read_to_string(&edited)
        .unwrap_or_default()
        .replace("\"deleteAll\": false,\n", "");
    let _ = std::fs::write(&edited, text);
    let output = base(&["--junit", junit.to_str().unwrap_or_default()]);
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(printed.contains("drift from the baseline (1 change(s)):\n  valid-one-file: field `deleteAll` added (additive)"), "{printed}");
    let xml = std::fs::read_to_string(&junit).unwrap_or_default();
    let report = quick_junit::Report::deserialize_from_str(&xml)
        .unwrap_or_else(|e| panic!("the JUnit file does not parse: {e}"));
    let suite = &report.test_suites[0];
    assert_eq!(
        suite.test_cases.len(),
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("cases/delete-files"))
            .map(Iterator::count)
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
    let options = RunOptions::default()
        .base_url(format!("http://127.0.0.1:{}/api/v1", stand_in.port))
        .api_key("standin-key")
        .cases_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
        .timeout(std::time::Duration::from_secs(2));
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("the run could not start: {e}"));
    assert!(!report.conforms(), "the {variant} stand-in passed");
    let found = failure_kinds(&report, "valid-one-file");
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
            .all(|c| c.outcome != extracta_contract::Outcome::Skipped)
    );
    assert!(
        report.cleanup.failed.is_empty(),
        "{:?}",
        report.cleanup.failed
    );
    let left: serde_json::Value =
        reqwest::get(format!("http://127.0.0.1:{}/__data", stand_in.port))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
    assert_eq!(left["classifications"], 0);
}
