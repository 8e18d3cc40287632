//! The suite against independently written stand-ins for the vendor (tests/standins/vendor.py):
//! one that follows the docs but chooses differently where they are silent must pass; each one
//! that breaks a documented rule must fail, naming the case and the check.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use extracta_contract::report::{Outcome, RunReport};
use extracta_contract::{FailureKind, RunOptions, run};

/// A stand-in process, killed when dropped.
struct StandIn {
    child: Child,
    port: u16,
}

impl StandIn {
    fn start(variant: &str) -> StandIn {
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
        .flat_map(|c| c.failures.iter().map(|f| f.kind))
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
        .map(ToString::to_string)
        .collect();
    assert!(observations.iter().any(|o| o.contains("[REDACTED]")));
    assert!(observations.iter().all(|o| !o.contains(key)));
}
