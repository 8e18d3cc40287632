//! `--keep` and `cleanup`: the fixtures of failed cases stay, their printed commands reproduce
//! the failure by hand, and `cleanup --run-id` deletes them later.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::stand_in::{SECOND_KEY, StandIn};

const KEY: &str = "standin-key";

use crate::support::{binary, cases};

/// The binary, run in `folder`, with the stand-in's key.
fn extracta(folder: &Path, args: &[&str]) -> std::process::Output {
    binary()
        .args(args)
        .current_dir(folder)
        .env("EXTRACTA_API_KEY", KEY)
        .env("EXTRACTA_SECOND_API_KEY", SECOND_KEY)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The command after `prefix` on the line that starts with it (after spaces).
fn command_after<'a>(printed: &'a str, prefix: &str) -> &'a str {
    printed
        .lines()
        .find_map(|l| l.trim_start().strip_prefix(prefix))
        .unwrap_or_default()
}

#[test]
fn a_kept_effect_failure_reproduces_by_hand_and_cleanup_deletes_it_later() {
    // A vendor that says it deleted the file and did not.
    let stand_in = StandIn::start("deletes-nothing");
    let base_url = format!("http://127.0.0.1:{}/api/v1", stand_in.port);
    let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = extracta(
        folder.path(),
        &[
            "run",
            "delete-files/valid-one-file",
            "--base-url",
            &base_url,
            "--cases",
            cases().to_str().unwrap_or_default(),
            "--settle",
            "0",
            "--keep",
        ],
    );
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains("must be gone, it is still listed"),
        "{printed}"
    );
    let run_id = printed
        .split("--run-id ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default()
        .to_owned();
    assert!(run_id.starts_with("xc-"), "{printed}");
    assert!(
        folder
            .path()
            .join(format!(".extracta-contract/kept/{run_id}.json"))
            .is_file()
    );

    // By hand: the request again, then the read that shows the file still there.
    let by_hand = |command: &str| {
        let output = Command::new("bash")
            .args(["-c", command])
            .env("EXTRACTA_API_KEY", KEY)
            .output()
            .unwrap_or_else(|e| panic!("curl: {e}"));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let request = command_after(&printed, "request: ");
    let answer = by_hand(request);
    assert!(
        answer.contains("200") && answer.contains("Files deleted"),
        "{answer}"
    );
    let read_back = command_after(&printed, "read back: ");
    let listed = by_hand(read_back);
    let named = request
        .split("\"fileIds\":[\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default();
    assert!(
        !named.is_empty() && listed.contains(named),
        "{request}\n{listed}"
    );

    // Later: cleanup deletes what the run kept, and its record.
    let cleaned = extracta(folder.path(), &["cleanup", "--run-id", &run_id]);
    let said = String::from_utf8_lossy(&cleaned.stdout).into_owned();
    assert_eq!(cleaned.status.code(), Some(0), "{said}");
    assert!(said.contains("nothing of run"), "{said}");
    let data: Value =
        crate::safety::blocking_get(&format!("http://127.0.0.1:{}/__data", stand_in.port));
    assert_eq!(data["classifications"], 0, "{data}");
    assert!(
        !folder
            .path()
            .join(format!(".extracta-contract/kept/{run_id}.json"))
            .exists()
    );
}

#[test]
fn cleanup_refuses_an_id_that_is_not_a_runs_and_names_the_form() {
    let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = extracta(folder.path(), &["cleanup", "--run-id", "../../etc/passwd"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("xc- and hex digits"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn against_the_built_in_mock_keep_leaves_the_mock_running_until_ctrl_c() {
    let folder = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let shipped = std::fs::read_to_string(cases().join("delete-files/valid-one-file.json"))
        .unwrap_or_default();
    let _ = std::fs::write(
        folder.path().join("fails.json"),
        shipped.replace("\"status\": 200", "\"status\": 201"),
    );
    let mut child = binary()
        .args(["run", "--keep", "--cases", "."])
        .current_dir(folder.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let (mut url, mut classification) = (String::new(), String::new());
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("): classification ").nth(1) {
                classification = rest.split(' ').next().unwrap_or_default().to_owned();
            }
            if let Some(rest) = line.split("keeps them at ").nth(1) {
                url = rest.split(' ').next().unwrap_or_default().to_owned();
                break;
            }
        }
    }
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    // The mock still answers, with what the failed case left.
    let body = format!("{{\"classificationId\": \"{classification}\"}}");
    let answer = Command::new("curl")
        .args([
            "-sS",
            "-X",
            "POST",
            "-H",
            "Authorization: Bearer mock-api-key",
        ])
        .args(["-H", "Content-Type: application/json", "--data-raw", &body])
        .arg(format!("{url}/documentClassification/viewClassification"))
        .output()
        .unwrap_or_else(|e| panic!("curl: {e}"));
    assert!(
        String::from_utf8_lossy(&answer.stdout).contains("\"status\":\"success\""),
        "{}",
        String::from_utf8_lossy(&answer.stdout)
    );
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(status.code(), Some(1));
}
