//! The mock's admin endpoints: what they hold is bounded, and serving them beyond this
//! machine is said out loud.

use extracta_contract::MockServer;
use extracta_contract::mock::Limits;
use serde_json::{Value, json};

use super::http;

async fn admin_mock(limits: Limits) -> MockServer {
    MockServer::builder()
        .admin(true)
        .limits(limits)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Posts `fault` to the mock's fault list: the status and the answer.
async fn add_fault(mock: &MockServer, fault: &Value) -> (u16, Value) {
    let answer = http()
        .post(format!("http://{}/__admin/faults", mock.addr()))
        .json(fault)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_fault_list_is_capped_and_the_refusal_names_the_cap() {
    // Arrange: a mock whose list is full.
    let limits = Limits::default();
    let cap = limits.max_faults;
    let mock = admin_mock(limits).await;
    for n in 0..cap {
        let (status, answer) = add_fault(&mock, &json!({"status": 503, "count": 1})).await;
        assert_eq!(status, 200, "fault {n}: {answer}");
    }

    // Act
    let (status, answer) = add_fault(&mock, &json!({"status": 503})).await;

    // Assert
    assert_eq!(status, 400, "{answer}");
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&cap.to_string()) && message.contains("max_faults"),
        "{message}"
    );
}

#[tokio::test]
async fn a_fault_body_larger_than_the_cap_is_refused_naming_it() {
    // Arrange
    let limits = Limits::default();
    let cap = limits.max_fault_body;
    let mock = admin_mock(limits).await;
    let big = "x".repeat(cap + 1);

    // Act
    let (status, answer) = add_fault(&mock, &json!({"status": 503, "body": {"big": big}})).await;
    let (small, _) = add_fault(&mock, &json!({"status": 503, "body": {"small": 1}})).await;

    // Assert
    assert_eq!(status, 413, "{answer}");
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&cap.to_string()) && message.contains("max_fault_body"),
        "{message}"
    );
    assert_eq!(small, 200);
}

/// Starts `mock` with `args`, reads its URL line, stops it: what it wrote on standard error.
#[cfg(unix)]
fn mock_stderr(args: &[&str]) -> String {
    use std::io::{BufRead as _, BufReader, Read as _};
    use std::process::{Command, Stdio};
    let mut child = crate::support::binary()
        .arg("mock")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut line = String::new();
    if let Some(stdout) = child.stdout.take() {
        let _ = BufReader::new(stdout).read_line(&mut line);
    }
    assert!(line.starts_with("http://"), "no URL line: {line:?}");
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    stderr
}

#[cfg(unix)]
#[test]
fn the_admin_endpoints_on_an_open_address_are_warned_about_at_start() {
    // Act
    let open = mock_stderr(&["--admin", "--host", "0.0.0.0", "--port", "0"]);
    let loopback = mock_stderr(&["--admin", "--port", "0"]);
    let no_admin = mock_stderr(&["--host", "0.0.0.0", "--port", "0"]);

    // Assert
    assert!(
        open.contains("warning") && open.contains("0.0.0.0") && open.contains("no key"),
        "{open}"
    );
    assert!(!loopback.contains("warning"), "{loopback}");
    assert!(!no_admin.contains("warning"), "{no_admin}");
}
