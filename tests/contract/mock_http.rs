//! The mock over a real socket, as another crate's tests would use it.

use extracta_contract::MockServer;
use serde_json::{Value, json};

/// A mock accepting the key "socket-key".
async fn socket_mock() -> MockServer {
    MockServer::builder()
        .api_key("socket-key")
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn the_mock_serves_a_reqwest_client_and_stops_on_shutdown() {
    let mock = socket_mock().await;
    let url = format!("{}/documentClassification/deleteFiles", mock.base_url());
    let client = crate::http();
    let answer = client
        .delete(&url)
        .bearer_auth("socket-key")
        .json(&json!({"classificationId": "c", "batchId": "b", "fileIds": ["f"]}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer.status(), 404);
    let body: Value = answer.json().await.unwrap_or_default();
    assert_eq!(body["status"], "error");
    mock.shutdown().await;
    assert!(
        client.delete(&url).send().await.is_err(),
        "the mock still answers after shutdown"
    );
}

#[tokio::test]
async fn two_mocks_do_not_share_state_or_ports() {
    let seed = json!({"classifications": [{"classificationId": "cls-1",
        "classificationDetails": {"name": "n", "documentTypes": []},
        "batches": [{"batchId": "batch-1", "files": [{"fileId": "file-1", "fileName": "a.pdf"}]}]}]});
    let one = MockServer::builder()
        .seed(seed)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let two = MockServer::start().await.unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(one.base_url(), two.base_url());
    assert_eq!(
        (
            one.file_count("mock-api-key"),
            two.file_count("mock-api-key")
        ),
        (1, 0)
    );
    // Deleting through the second mock cannot reach the first one's data.
    assert_eq!(delete_status(&two, "mock-api-key").await, 404);
    assert_eq!(one.file_count("mock-api-key"), 1);
}

async fn delete_status(mock: &MockServer, key: &str) -> u16 {
    crate::http()
        .delete(format!(
            "{}/documentClassification/deleteFiles",
            mock.base_url()
        ))
        .bearer_auth(key)
        .json(&json!({"classificationId": "c", "batchId": "b", "fileIds": ["f"]}))
        .send()
        .await
        .map(|a| a.status().as_u16())
        .unwrap_or(0)
}

#[tokio::test]
async fn injected_faults_answer_the_next_requests_then_stop() {
    let mock = MockServer::builder()
        .admin(true)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let admin = mock.base_url().replace("/api/v1", "/__admin/faults");
    let set = crate::http()
        .post(&admin)
        .json(&json!({"status": 502, "count": 2}))
        .send()
        .await;
    assert_eq!(set.map(|a| a.status().as_u16()).ok(), Some(200));
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(delete_status(&mock, "mock-api-key").await);
    }
    assert_eq!(statuses, [502, 502, 404]);
}

#[tokio::test]
async fn the_admin_endpoint_is_off_unless_asked_for() {
    let mock = MockServer::start().await.unwrap_or_else(|e| panic!("{e}"));
    let admin = mock.base_url().replace("/api/v1", "/__admin/faults");
    let set = crate::http()
        .post(&admin)
        .json(&json!({"status": 502, "count": 2}))
        .send()
        .await;
    assert_eq!(set.map(|a| a.status().as_u16()).ok(), Some(404));
    assert_eq!(delete_status(&mock, "mock-api-key").await, 404);
}

#[tokio::test]
async fn a_fail_rate_of_one_fails_every_request_and_latency_delays_each() {
    let failing = MockServer::builder()
        .fail_rate(1.0)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(delete_status(&failing, "mock-api-key").await, 503);
    let slow = MockServer::builder()
        .latency(std::time::Duration::from_millis(150))
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let started = std::time::Instant::now();
    assert_eq!(delete_status(&slow, "mock-api-key").await, 404);
    assert!(started.elapsed() >= std::time::Duration::from_millis(150));
}

#[tokio::test]
async fn a_seed_that_breaks_its_schema_is_refused_with_the_pointer() {
    let seed = json!({"classifications": [{"classificationId": "x"}]});
    let error = MockServer::builder()
        .seed(seed)
        .start()
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        error.contains("/classifications/0") && error.contains("classificationDetails"),
        "{error}"
    );
}

async fn write(stream: &mut tokio::net::TcpStream, text: &str) {
    use tokio::io::AsyncWriteExt;
    stream
        .write_all(text.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Reads one HTTP/1.1 answer with a Content-Length body and returns its status line.
async fn read_answer(stream: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut received = Vec::new();
    let mut chunk = [0_u8; 4096];
    loop {
        if let Some(text) = crate::support::whole_answer(&received, false) {
            return text.lines().next().unwrap_or_default().to_owned();
        }
        let text = String::from_utf8_lossy(&received).into_owned();
        let n = stream.read(&mut chunk).await.unwrap_or(0);
        assert!(n > 0, "the mock closed the connection; received {text:?}");
        received.extend_from_slice(&chunk[..n]);
    }
}

#[tokio::test]
async fn a_refusal_before_the_body_arrives_keeps_the_connection_usable() {
    let mock = socket_mock().await;
    let mut stream = tokio::net::TcpStream::connect(mock.addr())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let body = r#"{"classificationId":"c","batchId":"b","fileIds":["f"]}"#;
    let head = |auth: &str| {
        format!(
            "DELETE /api/v1/documentClassification/deleteFiles HTTP/1.1\r\nHost: mock\r\n\
             Content-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n",
            body.len()
        )
    };
    // The headers alone first, as clients that write the body separately do: the mock
    // refuses them (no key) and must still read the body that follows.
    write(&mut stream, &head("")).await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    write(&mut stream, body).await;
    assert!(read_answer(&mut stream).await.contains("401"));
    write(
        &mut stream,
        &(head("Authorization: Bearer socket-key\r\n") + body),
    )
    .await;
    assert!(read_answer(&mut stream).await.contains("404"));
}
