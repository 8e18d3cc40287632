//! The mock over a real socket, as another crate's tests would use it.

use extracta_contract::MockServer;
use serde_json::{Value, json};

#[tokio::test]
async fn the_mock_serves_a_reqwest_client_and_stops_on_shutdown() {
    let mock = MockServer::builder()
        .api_key("socket-key")
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let url = format!("{}/documentClassification/deleteFiles", mock.base_url());
    let client = reqwest::Client::new();
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
    let one = MockServer::start().await.unwrap_or_else(|e| panic!("{e}"));
    let two = MockServer::start().await.unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(one.base_url(), two.base_url());
}
