//! The mock as another crate's tests assert with it: typed seeds, the requests it received,
//! expectations, faults per endpoint, the processing delay, the admin request log, the host.

use std::time::Duration;

use extracta_contract::mock::{Fault, Limits, Seed, VerifyError};
use extracta_contract::{Endpoint, MockServer};
use serde_json::{Value, json};

use crate::support::start;

async fn call(
    mock: &MockServer,
    key: &str,
    endpoint: Endpoint,
    body: &Value,
) -> (u16, Option<String>, Value) {
    let url = format!("{}{}", mock.base_url(), endpoint.path());
    match crate::http()
        .request(endpoint.method(), url)
        .bearer_auth(key)
        .json(body)
        .send()
        .await
    {
        Ok(answer) => {
            let status = answer.status().as_u16();
            let retry_after = answer
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            (status, retry_after, answer.json().await.unwrap_or_default())
        }
        Err(e) => panic!("{endpoint} failed: {e}"),
    }
}

fn delete_body() -> Value {
    json!({"classificationId": "cls-1", "batchId": "batch-1", "fileIds": ["file-1"]})
}

fn invoices() -> Seed {
    Seed::new().classification("cls-1", |c| {
        c.name("Invoices")
            .document_type("Invoice", ["invoice number"])
            .batch("batch-1", |b| {
                b.file("file-1", "a.pdf")
                    .classified_file("file-2", "b.pdf", "Invoice", 0.9)
            })
    })
}

#[tokio::test]
async fn a_typed_seed_and_a_json_seed_load_side_by_side() {
    // Arrange
    let json_seed = json!({"classifications": [{"classificationId": "cls-json",
        "classificationDetails": {"name": "n", "documentTypes": []},
        "batches": [{"batchId": "batch-json", "files": [{"fileId": "file-json", "fileName": "j.pdf"}]}]}]});
    let mock = start(MockServer::builder().seed(invoices()).seed(json_seed)).await;

    // Act
    let (status, _, results) = call(
        &mock,
        "mock-api-key",
        Endpoint::GetResults,
        &json!({"classificationId": "cls-1", "batchId": "batch-1"}),
    )
    .await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(mock.file_count("mock-api-key"), 3);
    assert_eq!(results["files"][1]["result"]["documentType"], "Invoice");
    assert_eq!(results["files"][1]["result"]["confidence"], 0.9);
}

#[tokio::test]
async fn a_seed_repeating_an_id_across_its_parts_is_refused() {
    let again = Seed::new().classification("cls-1", |c| c);
    let error = MockServer::builder()
        .seed(invoices())
        .seed(again)
        .start()
        .await
        .err();
    assert!(
        error.is_some_and(|e| e.to_string().contains("cls-1")),
        "the repeated id was not named"
    );
}

#[tokio::test]
async fn received_requests_name_the_holder_never_the_key() {
    // Arrange
    let mock = start(
        MockServer::builder()
            .tenant("billing-tests", "secret-key-4f1c")
            .seed(invoices().classification("cls-2", |c| c))
            .record_requests(true),
    )
    .await;

    // Act
    let _ = call(
        &mock,
        "secret-key-4f1c",
        Endpoint::DeleteFiles,
        &delete_body(),
    )
    .await;
    let _ = call(&mock, "wrong-key", Endpoint::DeleteFiles, &delete_body()).await;

    // Assert
    let requests = mock.received_requests();
    let seen: Vec<(u16, Option<&str>, Option<Endpoint>)> = requests
        .iter()
        .map(|r| (r.status, r.holder.as_deref(), r.endpoint))
        .collect();
    assert_eq!(
        seen,
        [
            (200, Some("billing-tests"), Some(Endpoint::DeleteFiles)),
            (401, None, Some(Endpoint::DeleteFiles))
        ]
    );
    assert_eq!(requests[0].body_json(), Some(delete_body()));
    assert_eq!(
        requests[1].body, None,
        "a refused key's body is not read, so not recorded"
    );
    assert!(
        !format!("{requests:?}").contains("secret-key-4f1c"),
        "the key leaked"
    );
}

#[tokio::test]
async fn the_journal_keeps_only_the_newest_requests() {
    let limits = Limits::default().journal_entries(2);
    let mock = start(MockServer::builder().record_requests(true).limits(limits)).await;
    for endpoint in [
        Endpoint::DeleteFiles,
        Endpoint::DeleteBatch,
        Endpoint::GetResults,
    ] {
        let _ = call(&mock, "mock-api-key", endpoint, &json!({})).await;
    }
    let kept: Vec<Option<Endpoint>> = mock
        .received_requests()
        .iter()
        .map(|r| r.endpoint)
        .collect();
    assert_eq!(
        kept,
        [Some(Endpoint::DeleteBatch), Some(Endpoint::GetResults)]
    );
}

#[tokio::test]
async fn verify_passes_when_the_expectations_are_met_and_names_them_when_not() {
    // Arrange
    let mock = start(
        MockServer::builder()
            .seed(invoices())
            .expect(Endpoint::DeleteFiles, 1)
            .expect(Endpoint::GetResults, 1..),
    )
    .await;

    // Act
    let before = mock.verify();
    let _ = call(&mock, "mock-api-key", Endpoint::DeleteFiles, &delete_body()).await;
    let _ = call(
        &mock,
        "mock-api-key",
        Endpoint::GetResults,
        &json!({"classificationId": "cls-1", "batchId": "batch-1"}),
    )
    .await;
    let after = mock.verify();
    mock.expect(Endpoint::DeleteBatch, ..=0);

    // Assert
    let Err(VerifyError::Unmet { unmet }) = before else {
        panic!("verify passed before any request: {before:?}");
    };
    assert_eq!(unmet.len(), 2);
    assert_eq!(
        unmet[0].to_string(),
        "deleteFiles expected exactly 1 request(s), received 0"
    );
    assert_eq!(after, Ok(()));
    assert_eq!(mock.verify(), Ok(()));
}

#[tokio::test]
#[should_panic(expected = "deleteFiles expected exactly 2 request(s), received 1")]
async fn an_unmet_expectation_fails_the_test_when_the_mock_is_dropped() {
    let mock = start(MockServer::builder().expect(Endpoint::DeleteFiles, 2)).await;
    let _ = call(&mock, "mock-api-key", Endpoint::DeleteFiles, &delete_body()).await;
    drop(mock);
}

#[tokio::test]
async fn a_fault_on_one_endpoint_leaves_the_others_alone_and_a_429_says_when_to_retry() {
    // Arrange
    let mock = start(
        MockServer::builder()
            .seed(invoices())
            .fault(Fault::status(429).on(Endpoint::DeleteFiles).times(2)),
    )
    .await;

    // Act
    let first = call(&mock, "mock-api-key", Endpoint::DeleteFiles, &delete_body()).await;
    let results = call(
        &mock,
        "mock-api-key",
        Endpoint::GetResults,
        &json!({"classificationId": "cls-1", "batchId": "batch-1"}),
    )
    .await;
    let second = call(&mock, "mock-api-key", Endpoint::DeleteFiles, &delete_body()).await;
    let third = call(&mock, "mock-api-key", Endpoint::DeleteFiles, &delete_body()).await;

    // Assert
    assert_eq!((first.0, first.1.as_deref()), (429, Some("1")));
    assert_eq!(first.2["status"], "error");
    assert_eq!(results.0, 200);
    assert_eq!(second.0, 429);
    assert_eq!(third.0, 200, "the fault outlived its count");
}

#[tokio::test]
async fn a_fault_answers_its_body_after_its_delay_until_cleared() {
    // Arrange
    let mock = start(MockServer::builder()).await;
    let fault = Fault::status(503)
        .on(Endpoint::GetResults)
        .body(json!({"status": "error", "message": "maintenance"}))
        .after(Duration::from_millis(200))
        .retry_after(Duration::from_secs(30));
    assert!(mock.inject(fault).is_ok());
    assert!(
        mock.inject(Fault::status(200)).is_err(),
        "a 200 fault was taken"
    );

    // Act
    let started = std::time::Instant::now();
    let faulted = call(&mock, "mock-api-key", Endpoint::GetResults, &json!({})).await;
    let waited = started.elapsed();
    mock.clear_faults();
    let cleared = call(&mock, "mock-api-key", Endpoint::GetResults, &json!({})).await;

    // Assert
    assert_eq!((faulted.0, faulted.1.as_deref()), (503, Some("30")));
    assert_eq!(faulted.2["message"], "maintenance");
    assert!(
        waited >= Duration::from_millis(200),
        "the delay was skipped: {waited:?}"
    );
    assert_eq!(cleared.0, 400, "the fault outlived clear_faults");
}

async fn admin(
    mock: &MockServer,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let url = mock.base_url().replace("/api/v1", path);
    let mut request = crate::http().request(method, url);
    if let Some(body) = body {
        request = request.json(&body);
    }
    match request.send().await {
        Ok(answer) => {
            let status = answer.status().as_u16();
            (status, answer.json().await.unwrap_or_default())
        }
        Err(e) => panic!("{path} failed: {e}"),
    }
}

#[tokio::test]
async fn the_admin_endpoint_takes_a_fault_for_one_endpoint() {
    // Arrange
    let mock = start(MockServer::builder().admin(true).seed(invoices())).await;
    let fault = json!({"status": 429, "count": 1, "endpoint": "deleteFiles", "retryAfter": 4});

    // Act
    let set = admin(&mock, reqwest::Method::POST, "/__admin/faults", Some(fault)).await;
    let other = call(
        &mock,
        "mock-api-key",
        Endpoint::DeleteBatch,
        &json!({"classificationId": "cls-1", "batchId": "nope"}),
    )
    .await;
    let faulted = call(&mock, "mock-api-key", Endpoint::DeleteFiles, &delete_body()).await;
    let unknown = admin(
        &mock,
        reqwest::Method::POST,
        "/__admin/faults",
        Some(json!({"status": 503, "endpoint": "deleteFile"})),
    )
    .await;

    // Assert
    assert_eq!(set.0, 200, "{}", set.1);
    assert_eq!(set.1["status"], "success", "{}", set.1);
    assert!(
        set.1["message"].as_str().is_some_and(|m| m.contains("429")),
        "the answer describes the fault: {}",
        set.1
    );
    assert_eq!(other.0, 404);
    assert_eq!((faulted.0, faulted.1.as_deref()), (429, Some("4")));
    assert_eq!(unknown.0, 400);
}

#[tokio::test]
async fn the_admin_request_log_lists_what_the_mock_received_without_the_key() {
    // Arrange
    let mock = start(
        MockServer::builder()
            .admin(true)
            .tenant("ci", "admin-secret-9a"),
    )
    .await;
    let _ = call(
        &mock,
        "admin-secret-9a",
        Endpoint::DeleteFiles,
        &delete_body(),
    )
    .await;

    // Act
    let (status, log) = admin(&mock, reqwest::Method::GET, "/__admin/requests", None).await;
    let cleared = admin(&mock, reqwest::Method::DELETE, "/__admin/requests", None).await;
    let (_, after) = admin(&mock, reqwest::Method::GET, "/__admin/requests", None).await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(log["requests"][0]["endpoint"], "deleteFiles");
    assert_eq!(log["requests"][0]["holder"], "ci");
    assert_eq!(log["requests"][0]["status"], 404);
    assert_eq!(log["requests"][0]["body"], delete_body());
    assert!(
        !log.to_string().contains("admin-secret-9a"),
        "the key leaked"
    );
    assert_eq!(
        cleared,
        (
            200,
            json!({"status": "success", "message": "the request log is empty"})
        )
    );
    assert_eq!(after["requests"], json!([]));
}

#[tokio::test]
async fn the_request_log_is_not_served_without_admin() {
    let mock = start(MockServer::builder().record_requests(true)).await;
    let (status, _) = admin(&mock, reqwest::Method::GET, "/__admin/requests", None).await;
    assert_eq!(status, 404);
}

async fn upload_one(mock: &MockServer) -> String {
    let form = reqwest::multipart::Form::new()
        .text("classificationId", "cls-1")
        .part(
            "files",
            reqwest::multipart::Part::bytes(b"invoice number 7".to_vec()).file_name("c.pdf"),
        );
    let answer = crate::http()
        .post(format!(
            "{}/documentClassification/uploadFiles",
            mock.base_url()
        ))
        .bearer_auth("mock-api-key")
        .multipart(form)
        .send()
        .await;
    let body: Value = match answer {
        Ok(answer) => answer.json().await.unwrap_or_default(),
        Err(e) => panic!("{e}"),
    };
    body["batchId"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn get_results_waits_while_a_batch_is_processing() {
    // Arrange
    let mock = start(
        MockServer::builder()
            .seed(invoices())
            .processing(Duration::from_secs(600)),
    )
    .await;
    let batch = upload_one(&mock).await;

    // Act
    let (status, _, body) = call(
        &mock,
        "mock-api-key",
        Endpoint::GetResults,
        &json!({"classificationId": "cls-1", "batchId": batch}),
    )
    .await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!(body["status"], "waiting");
    assert_eq!(body.get("files"), None);
}

#[tokio::test]
async fn get_results_answers_the_files_once_processing_is_over() {
    // Arrange
    let mock = start(
        MockServer::builder()
            .seed(invoices())
            .processing(Duration::from_millis(100)),
    )
    .await;
    let batch = upload_one(&mock).await;
    let body = json!({"classificationId": "cls-1", "batchId": batch});

    // Act: poll as a client would, within a generous bound.
    let mut statuses = Vec::new();
    let started = std::time::Instant::now();
    let last = loop {
        let (_, _, answer) = call(&mock, "mock-api-key", Endpoint::GetResults, &body).await;
        statuses.push(answer["status"].as_str().unwrap_or_default().to_owned());
        if answer["status"] != "waiting" || started.elapsed() > Duration::from_secs(10) {
            break answer;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };

    // Assert
    assert_eq!(last["status"], "success", "{statuses:?}");
    assert_eq!(last["files"][0]["result"]["documentType"], "Invoice");
}

#[tokio::test]
async fn a_mock_listening_on_every_address_gives_a_reachable_url() {
    // Arrange
    let mock = start(MockServer::builder().host(std::net::IpAddr::from([0, 0, 0, 0]))).await;

    // Act
    let (status, _, _) = call(&mock, "mock-api-key", Endpoint::DeleteFiles, &delete_body()).await;

    // Assert
    assert!(mock.addr().ip().is_unspecified());
    assert!(
        mock.base_url().starts_with("http://127.0.0.1:"),
        "{}",
        mock.base_url()
    );
    assert_eq!(status, 404);
}
