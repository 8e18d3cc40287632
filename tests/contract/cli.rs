//! The binary as a user runs it: exit codes, the closing line, the JSON report, no key in output.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::binary;

fn extracta(args: &[&str]) -> Output {
    binary()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("failed to run the binary: {e}"))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn run_against_the_built_in_mock_passes_and_writes_the_json_report() {
    let dir = std::env::temp_dir().join(format!("extracta-contract-cli-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let json = dir.join("report.json");
    let key = "unique-key-7f3a9c1e5b";
    let output = extracta(&[
        "run",
        "--api-key",
        key,
        "--json",
        json.to_str().unwrap_or_default(),
    ]);
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(0), "{printed}");
    let cases =
        extracta_contract::contract::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
            .map(|cases| cases.len())
            .unwrap_or(0);
    assert!(
        printed
            .lines()
            .any(|l| l == format!("{cases} passed, 0 failed")),
        "{printed}"
    );
    let report = std::fs::read_to_string(&json).unwrap_or_default();
    let report_json: serde_json::Value = serde_json::from_str(&report).unwrap_or_default();
    assert_eq!(report_json["format_version"], 3);
    assert_eq!(report_json["verdict"], "pass");
    assert_eq!(report_json["summary"]["passed"], cases);
    assert!(
        !printed.contains(key) && !report.contains(key),
        "the key leaked"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unreachable_target_exits_2_naming_the_url() {
    let output = extracta(&[
        "run",
        "--base-url",
        "http://127.0.0.1:9/api/v1",
        "--api-key",
        "k",
        "--timeout",
        "5s",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("http://127.0.0.1:9/api/v1"),
        "{}",
        text(&output)
    );
}

#[test]
fn a_live_target_without_a_key_exits_2() {
    let output = extracta(&["run", "--base-url", "https://api.example.invalid/api/v1"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("API key"), "{}", text(&output));
}

#[test]
fn a_broken_case_file_exits_2_naming_the_file_and_field() {
    let dir = std::env::temp_dir().join(format!("extracta-contract-broken-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(
        dir.join("bad.json"),
        r#"{"description": "d", "request": {"method": "DELETE"}, "expect": {"status": 200}}"#,
    );
    let output = extracta(&["run", "--cases", dir.to_str().unwrap_or_default()]);
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(2), "{printed}");
    assert!(
        printed.contains("bad.json") && printed.contains("path"),
        "{printed}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn validate_lists_every_violation_with_its_pointer() {
    let dir =
        std::env::temp_dir().join(format!("extracta-contract-validate-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("body.json");
    let _ = std::fs::write(&file, r#"{"classificationId": 1, "fileIds": ["a", 2]}"#);
    let output = extracta(&[
        "validate",
        "--schema",
        "delete-files.request",
        file.to_str().unwrap_or_default(),
    ]);
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    for expected in ["/classificationId", "/fileIds/1", "batchId"] {
        assert!(
            printed.contains(expected),
            "{expected} missing from {printed}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn validate_accepts_the_documented_body_example() {
    let dir = std::env::temp_dir().join(format!("extracta-contract-valid-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("body.json");
    let _ = std::fs::write(
        &file,
        r#"{"classificationId": "classificationId", "batchId": "batchId", "fileIds": ["fileId1", "fileId2", "fileId3"]}"#,
    );
    let output = extracta(&[
        "validate",
        "--schema",
        "delete-files.request",
        file.to_str().unwrap_or_default(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn docs_check_passes_a_page_whose_examples_conform() {
    let output = extracta(&["docs-check", "tests/docs-pages/conforming.md"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        text(&output).contains("0 of 3 example(s) contradict the contract"),
        "{}",
        text(&output)
    );
}

#[test]
fn docs_check_flags_a_refusal_example_that_says_success() {
    let output = extracta(&["docs-check", "tests/docs-pages/refusal-says-success.md"]);
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains(
            "FAIL  response 400 (status.response): a 400 answer says `status` \"success\""
        ),
        "{printed}"
    );
    assert_eq!(printed.matches("FAIL").count(), 1, "{printed}");
}

#[test]
fn every_subcommand_has_help_with_an_example() {
    let subcommands = [
        "run",
        "explore",
        "mock",
        "parity",
        "learn",
        "validate",
        "docs-check",
        "openapi",
        "cleanup",
    ];
    for subcommand in subcommands {
        let output = extracta(&[subcommand, "--help"]);
        assert_eq!(output.status.code(), Some(0));
        let help = text(&output);
        // An example is a command line of that subcommand, after a line that says so.
        let example = help
            .split_once("xample")
            .map(|(_, after)| after)
            .is_some_and(|after| after.contains(&format!("extracta-contract {subcommand}")));
        assert!(example, "{subcommand} --help has no example:\n{help}");
    }
    // Every subcommand the top-level help lists is in the list above.
    let top = text(&extracta(&["--help"]));
    let listed: Vec<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .collect();
    let (mut listed, mut known) = (listed, subcommands.to_vec());
    listed.sort_unstable();
    known.sort_unstable();
    assert_eq!(listed, known, "{top}");
}

#[test]
fn the_mock_prints_its_url_and_stops_cleanly_on_sigterm_and_ctrl_c() {
    use std::io::{BufRead, BufReader};
    for signal in ["-TERM", "-INT"] {
        let mut child = binary()
            .args(["mock", "--port", "0"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        assert!(
            line.starts_with("http://127.0.0.1:") && line.trim_end().ends_with("/api/v1"),
            "{line}"
        );
        let _ = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status();
        let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(status.code(), Some(0), "{signal}");
    }
}

/// The binary with `env` set (and the other EXTRACTA_ variables removed).
fn extracta_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = binary();
    command.args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    command
        .output()
        .unwrap_or_else(|e| panic!("failed to run the binary: {e}"))
}

#[test]
fn an_empty_url_or_key_variable_is_refused_before_anything_runs() {
    let output = extracta_with(
        &["run"],
        &[("EXTRACTA_BASE_URL", ""), ("EXTRACTA_PROFILE", "staging")],
    );
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("set but empty"), "{}", text(&output));
    let output = extracta_with(
        &["run", "--base-url", "http://127.0.0.1:9/api/v1"],
        &[("EXTRACTA_API_KEY", "")],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("EXTRACTA_API_KEY"),
        "{}",
        text(&output)
    );
}

#[test]
fn a_live_profile_without_a_url_does_not_quietly_run_the_mock() {
    let output = extracta_with(&["run"], &[("EXTRACTA_PROFILE", "staging")]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        text(&output).contains("--built-in-mock"),
        "{}",
        text(&output)
    );
}

/// Options that are wrong: each must be found before the first request. The target is a port
/// nothing listens on, so a request sent first would fail with "reach ...".
#[rstest::rstest]
#[case::snapshots_naming_a_file(&["--snapshots", "Cargo.toml"], "not a folder")]
#[case::a_missing_baseline(&["--snapshots", "snapshots/no-such-profile"], "--update-snapshots")]
#[case::an_unknown_pace_endpoint(&["--pace", "getResult=1s"], "no such endpoint")]
#[case::an_unwritable_json_report(&["--json", "/no/such/folder/report.json"], "/no/such/folder")]
#[case::an_unwritable_junit_report(&["--junit", "/no/such/folder/junit.xml"], "/no/such/folder")]
fn unusable_options_exit_2_before_the_first_request(#[case] extra: &[&str], #[case] says: &str) {
    let mut args = vec!["run", "--base-url", "http://127.0.0.1:9/api/v1"];
    args.extend_from_slice(extra);
    let output = extracta_with(&args, &[("EXTRACTA_API_KEY", "k")]);
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(2), "{printed}");
    assert!(printed.contains(says), "{printed}");
    assert!(
        !printed.contains("reach http"),
        "a request was sent first: {printed}"
    );
}

#[test]
fn a_short_key_corrupts_neither_the_answers_nor_the_checks() {
    // "key" stands in the mock's own messages ("invalid API key"): redacting it in the answers
    // the checks read would break them.
    let output = extracta_with(&["run", "--api-key", "key"], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

#[tokio::test]
async fn the_common_base_url_mistakes_each_get_a_sentence_saying_what_to_change() {
    let mock = extracta_contract::MockServer::builder()
        .api_key("k")
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let address = mock.addr();
    let without_api = format!("http://{address}");
    let tls_to_plain = format!("https://{address}/api/v1");
    let mistakes = [
        (without_api.as_str(), "the base URL does not end in /api/v1"),
        (tls_to_plain.as_str(), "the server does not answer with TLS"),
        (
            "api.extracta.ai/api/v1",
            "write it https://api.extracta.ai/api/v1",
        ),
    ];
    for (url, hint) in mistakes {
        let url = url.to_owned();
        let output = tokio::task::spawn_blocking(move || {
            extracta(&[
                "run",
                "--base-url",
                &url,
                "--api-key",
                "k",
                "--timeout",
                "5s",
            ])
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(output.status.code(), Some(2), "{}", text(&output));
        assert!(text(&output).contains(hint), "{hint}: {}", text(&output));
    }
}

#[test]
fn a_bare_number_for_a_duration_is_refused_with_the_units_to_choose_from() {
    for flag in [["run", "--timeout", "5"], ["mock", "--latency", "50"]] {
        let output = extracta(&flag);
        assert_eq!(output.status.code(), Some(2), "{}", text(&output));
        assert!(text(&output).contains("needs a unit"), "{}", text(&output));
    }
}

#[test]
fn a_mistyped_subcommand_suggests_the_nearest() {
    let output = extracta(&["rum"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("a similar subcommand exists: 'run'"),
        "{}",
        text(&output)
    );
}

#[tokio::test]
async fn the_mock_log_names_the_holder_of_an_accepted_key_without_admin() {
    use std::io::{BufRead, BufReader};
    let mut child = binary()
        .args([
            "mock",
            "--port",
            "0",
            "--log",
            "--api-key",
            "holder-test-key",
        ])
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut url = String::new();
    if let Some(stdout) = child.stdout.take() {
        let _ = BufReader::new(stdout).read_line(&mut url);
    }
    let answer = crate::http()
        .post(format!(
            "{}/documentClassification/viewClassification",
            url.trim()
        ))
        .bearer_auth("holder-test-key")
        .json(&serde_json::json!({"classificationId": "nothing"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer.status(), 404);
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let log = String::from_utf8_lossy(&output.stderr);
    let line = log
        .lines()
        .find(|l| l.contains("viewClassification"))
        .unwrap_or_default();
    assert!(
        line.contains("holder=\"key-1\"") || line.contains("holder=key-1"),
        "{log}"
    );
    assert!(!log.contains("holder-test-key"), "{log}");
}
