//! The mock against hostile clients, one tenant against another, over real sockets: heavy
//! uploads, keyless and stalled bodies, slowloris, too many connections, shutdown with a
//! request half sent, quotas, churn, truncated uploads, and the limits it must not invent.
//!
//! No assertion here is on speed: each waits for an event (an answer, a closed connection,
//! a finished shutdown) within a bound far above what it takes, and fails when it never comes.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, header};
use extracta_contract::mock::{Limits, Usage};
use extracta_contract::testing::{MockState, Store, router};
use extracta_contract::{Endpoint, MockServer};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What "never" means in these tests: far beyond anything the mock needs.
const PATIENCE: Duration = Duration::from_secs(10);

const DELETE_FILES: &str = "/api/v1/documentClassification/deleteFiles";

use crate::support::start;

async fn connect(mock: &MockServer) -> TcpStream {
    TcpStream::connect(mock.addr())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn send(stream: &mut TcpStream, bytes: &[u8]) -> bool {
    stream.write_all(bytes).await.is_ok()
}

/// Reads until the connection closes or `PATIENCE` runs out; what arrived, and whether it
/// closed.
async fn read_until_closed(stream: &mut TcpStream) -> (String, bool) {
    let mut received = Vec::new();
    let mut chunk = [0_u8; 8192];
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Ok(Ok(0) | Err(_)) => return (String::from_utf8_lossy(&received).into_owned(), true),
            Ok(Ok(n)) => received.extend_from_slice(&chunk[..n]),
            Err(_) => return (String::from_utf8_lossy(&received).into_owned(), false),
        }
    }
}

/// Reads the first line the server sends, within `PATIENCE`.
async fn first_line(stream: &mut TcpStream) -> Option<String> {
    let mut received = Vec::new();
    let mut chunk = [0_u8; 1024];
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !received.windows(2).any(|w| w == b"\r\n") {
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => received.extend_from_slice(&chunk[..n]),
            _ => return None,
        }
    }
    String::from_utf8_lossy(&received)
        .lines()
        .next()
        .map(str::to_owned)
}

fn head(auth: Option<&str>, extra: &str, length: usize) -> String {
    let auth = auth.map_or(String::new(), |k| format!("Authorization: Bearer {k}\r\n"));
    format!(
        "DELETE {DELETE_FILES} HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\n\
         {auth}{extra}Content-Length: {length}\r\n\r\n"
    )
}

async fn call(
    mock: &MockServer,
    key: Option<&str>,
    endpoint: Endpoint,
    body: &Value,
) -> (u16, Value) {
    let url = format!("{}{}", mock.base_url(), endpoint.path());
    let mut request = crate::http().request(endpoint.method(), url).json(body);
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    match request.send().await {
        Ok(answer) => {
            let status = answer.status().as_u16();
            (status, answer.json().await.unwrap_or_default())
        }
        Err(e) => panic!("{endpoint} failed: {e}"),
    }
}

async fn create(mock: &MockServer, key: &str, details: Value) -> (u16, String) {
    let (status, body) = call(
        mock,
        Some(key),
        Endpoint::CreateClassification,
        &json!({"classificationDetails": details}),
    )
    .await;
    (
        status,
        body["classificationId"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

fn small_details() -> Value {
    json!({"name": "n", "documentTypes": [{"name": "Invoice", "description": "", "uniqueWords": ["invoice"]}]})
}

/// A multipart upload of `files` (name, contents) into `classification`.
fn form(classification: &str, files: Vec<(String, Vec<u8>)>) -> reqwest::multipart::Form {
    let mut form =
        reqwest::multipart::Form::new().text("classificationId", classification.to_owned());
    for (name, contents) in files {
        form = form.part(
            "files",
            reqwest::multipart::Part::bytes(contents).file_name(name),
        );
    }
    form
}

async fn upload(mock: &MockServer, key: &str, form: reqwest::multipart::Form) -> (u16, Value) {
    let url = format!("{}/documentClassification/uploadFiles", mock.base_url());
    match crate::http()
        .post(url)
        .bearer_auth(key)
        .multipart(form)
        .send()
        .await
    {
        Ok(answer) => {
            let status = answer.status().as_u16();
            (status, answer.json().await.unwrap_or_default())
        }
        Err(e) => panic!("upload failed: {e}"),
    }
}

// 4. One tenant's heavy upload never stalls another tenant, nor a keyless refusal.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_heavy_upload_never_stalls_another_tenant_or_a_refusal() {
    // Arrange: 20 types of 1,000 words (the most the schema allows per type) and an 8 MB file.
    let mock = start(
        MockServer::builder()
            .tenant("slow", "slow-key")
            .tenant("fast", "fast-key"),
    )
    .await;
    let mut rng = fastrand::Rng::with_seed(4);
    let word = |rng: &mut fastrand::Rng| -> String { (0..10).map(|_| rng.lowercase()).collect() };
    let types: Vec<Value> = (0..20)
        .map(|t| {
            let words: Vec<String> = (0..1000).map(|_| word(&mut rng)).collect();
            json!({"name": format!("type-{t}"), "description": "", "uniqueWords": words})
        })
        .collect();
    let (status, classification) = create(
        &mock,
        "slow-key",
        json!({"name": "heavy", "documentTypes": types}),
    )
    .await;
    assert_eq!(status, 200);
    let text: Vec<u8> = (0..8 * 1024 * 1024)
        .map(|_| rng.lowercase() as u8)
        .collect();
    let heavy = form(&classification, vec![("big.txt".to_owned(), text)]);

    // Act: the upload, and meanwhile the other tenant's requests and keyless ones, in turn.
    let started = Instant::now();
    let mut uploading = tokio::spawn({
        let url = mock.base_url();
        async move {
            let answer = crate::http()
                .post(format!("{url}/documentClassification/uploadFiles"))
                .bearer_auth("slow-key")
                .multipart(heavy)
                .send()
                .await;
            (
                answer.map(|a| a.status().as_u16()).unwrap_or(0),
                Instant::now(),
            )
        }
    });
    let mut answered = Vec::new();
    let upload = loop {
        let sent = Instant::now();
        let fast = call(
            &mock,
            Some("fast-key"),
            Endpoint::ViewClassification,
            &json!({"classificationId": "x"}),
        )
        .await;
        let keyless = call(&mock, None, Endpoint::DeleteFiles, &json!({})).await;
        answered.push((fast.0, keyless.0, sent.elapsed(), Instant::now()));
        if uploading.is_finished() {
            break (&mut uploading).await.unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(started.elapsed() < 20 * PATIENCE, "the upload never ended");
    };

    // Assert
    let (upload_status, upload_done) = upload;
    assert_eq!(upload_status, 200, "the heavy upload failed");
    let slowest = answered.iter().map(|a| a.2).max().unwrap_or_default();
    assert!(
        slowest < PATIENCE,
        "another tenant's request waited {slowest:?} behind the upload"
    );
    assert!(
        answered.iter().all(|a| a.0 == 404 && a.1 == 401),
        "{answered:?}"
    );
    assert!(
        answered.iter().any(|a| a.3 < upload_done),
        "no other request was answered while the upload ran"
    );
}

// 5. The key is checked before the body is read.

#[tokio::test]
async fn a_keyless_request_is_answered_without_waiting_for_its_body() {
    // Arrange
    let mock = start(MockServer::builder()).await;
    let mut stream = connect(&mock).await;

    // Act: a head announcing a 1 MiB body, and no body.
    assert!(send(&mut stream, head(None, "", 1024 * 1024).as_bytes()).await);

    // Assert
    let (received, closed) = read_until_closed(&mut stream).await;
    assert!(received.starts_with("HTTP/1.1 401"), "{received:?}");
    assert!(
        closed,
        "the connection stayed open for a body the mock will never read"
    );
}

#[tokio::test]
async fn expect_100_continue_without_a_key_is_refused_without_a_continue() {
    // Arrange
    let mock = start(MockServer::builder()).await;
    let mut stream = connect(&mock).await;

    // Act
    assert!(
        send(
            &mut stream,
            head(None, "Expect: 100-continue\r\n", 100_000).as_bytes()
        )
        .await
    );

    // Assert
    let line = first_line(&mut stream).await;
    assert_eq!(line.as_deref(), Some("HTTP/1.1 401 Unauthorized"));
}

#[tokio::test]
async fn expect_100_continue_with_the_key_still_gets_its_continue() {
    // Arrange
    let mock = start(MockServer::builder()).await;
    let mut stream = connect(&mock).await;
    let body = br#"{"classificationId":"c","batchId":"b","fileIds":["f"]}"#;

    // Act
    let head = head(Some("mock-api-key"), "Expect: 100-continue\r\n", body.len());
    assert!(send(&mut stream, head.as_bytes()).await);
    let line = first_line(&mut stream).await;
    assert!(send(&mut stream, body).await);

    // Assert
    assert_eq!(line.as_deref(), Some("HTTP/1.1 100 Continue"));
    let (received, _) = read_until_closed_or_answer(&mut stream).await;
    assert!(received.contains("HTTP/1.1 404"), "{received:?}");
}

/// Reads until a whole answer (head and Content-Length body) arrived.
async fn read_until_closed_or_answer(stream: &mut TcpStream) -> (String, bool) {
    let mut received = Vec::new();
    let mut chunk = [0_u8; 8192];
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Some(text) = crate::support::whole_answer(&received, true) {
            return (text, false);
        }
        let text = String::from_utf8_lossy(&received).into_owned();
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => received.extend_from_slice(&chunk[..n]),
            Ok(_) => return (text, true),
            Err(_) => return (text, false),
        }
    }
}

// 6. Header, idle and body timeouts, and the cap on connections.

#[tokio::test]
async fn a_slowloris_connection_is_closed_after_the_header_timeout() {
    // Arrange
    let limits = Limits::default().header_timeout(Duration::from_millis(300));
    let mock = start(MockServer::builder().limits(limits)).await;
    let stream = connect(&mock).await;
    let (mut reader, mut writer) = stream.into_split();

    // Act: one byte of a request head every 50 ms, for as long as the mock keeps listening.
    let dribbling = tokio::spawn(async move {
        for byte in head(Some("mock-api-key"), "", 2)
            .bytes()
            .cycle()
            .take(1_000)
        {
            if writer.write_all(&[byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    let mut chunk = [0_u8; 64];
    let closed = tokio::time::timeout(PATIENCE, reader.read(&mut chunk)).await;
    dribbling.abort();

    // Assert
    assert!(
        matches!(closed, Ok(Ok(0) | Err(_))),
        "the mock kept a connection that never finished its head"
    );
}

#[tokio::test]
async fn a_silent_connection_and_an_idle_one_are_closed() {
    // Arrange
    let limits = Limits::default()
        .header_timeout(Duration::from_millis(300))
        .idle_timeout(Duration::from_millis(300));
    let mock = start(MockServer::builder().limits(limits)).await;
    let mut silent = connect(&mock).await;
    let mut idle = connect(&mock).await;
    let body = br#"{"classificationId":"c","batchId":"b","fileIds":["f"]}"#;

    // Act: one request then nothing on `idle`; nothing at all on `silent`.
    assert!(
        send(
            &mut idle,
            head(Some("mock-api-key"), "", body.len()).as_bytes()
        )
        .await
    );
    assert!(send(&mut idle, body).await);

    // Assert
    let (answer, idle_closed) = read_until_closed(&mut idle).await;
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer:?}");
    assert!(
        idle_closed,
        "a kept-alive connection stayed open past the idle timeout"
    );
    assert!(
        read_until_closed(&mut silent).await.1,
        "a silent connection stayed open"
    );
}

#[tokio::test]
async fn a_body_that_stalls_gets_408_within_the_body_timeout() {
    // Arrange
    let limits = Limits::default().body_timeout(Duration::from_millis(300));
    let mock = start(MockServer::builder().limits(limits)).await;
    let mut stream = connect(&mock).await;

    // Act: a key, a head announcing 100 bytes, and 10 of them.
    assert!(send(&mut stream, head(Some("mock-api-key"), "", 100).as_bytes()).await);
    assert!(send(&mut stream, br#"{"classif"#).await);

    // Assert
    let (received, closed) = read_until_closed(&mut stream).await;
    assert!(received.starts_with("HTTP/1.1 408"), "{received:?}");
    assert!(closed);
}

#[tokio::test]
async fn silent_connections_over_the_cap_make_room_for_a_real_client() {
    // Arrange: room for 4 connections, and 4 that say nothing (far within the header timeout).
    let limits = Limits::default()
        .max_connections(4)
        .header_timeout(Duration::from_secs(600));
    let mock = start(MockServer::builder().limits(limits)).await;
    let mut silent = Vec::new();
    for _ in 0..4 {
        silent.push(connect(&mock).await);
    }

    // Act
    let answered = tokio::time::timeout(
        PATIENCE,
        call(
            &mock,
            Some("mock-api-key"),
            Endpoint::DeleteFiles,
            &json!({"classificationId": "c", "batchId": "b", "fileIds": ["f"]}),
        ),
    )
    .await;

    // Assert: the client was served, and the connection silent the longest was closed for it.
    assert_eq!(answered.map(|a| a.0).ok(), Some(404));
    assert!(
        read_until_closed(&mut silent[0]).await.1,
        "the oldest silent connection was kept"
    );
}

// 7. Shutdown ends within its deadline, whatever clients are doing.

#[tokio::test]
async fn shutdown_with_requests_half_sent_ends_within_its_deadline() {
    // Arrange: a body half sent (its handler waits for the rest) and a head half sent.
    let limits = Limits::default()
        .shutdown_timeout(Duration::from_millis(300))
        .header_timeout(Duration::from_secs(600))
        .body_timeout(Duration::from_secs(600));
    let mock = start(MockServer::builder().limits(limits)).await;
    let mut half_body = connect(&mock).await;
    assert!(
        send(
            &mut half_body,
            head(Some("mock-api-key"), "", 100).as_bytes()
        )
        .await
    );
    assert!(send(&mut half_body, b"{").await);
    let mut half_head = connect(&mock).await;
    assert!(send(&mut half_head, b"DELETE /api/v1/documentClassification/del").await);
    while mock.received(Endpoint::DeleteFiles) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // Act
    let stopped = tokio::time::timeout(PATIENCE, mock.shutdown()).await;

    // Assert
    assert!(
        stopped.is_ok(),
        "shutdown never ended with a request half sent"
    );
    assert!(read_until_closed(&mut half_body).await.1);
    assert!(read_until_closed(&mut half_head).await.1);
}

#[tokio::test]
async fn shutdown_lets_a_request_in_flight_finish() {
    // Arrange: every answer takes 300 ms.
    let mock = start(MockServer::builder().latency(Duration::from_millis(300))).await;
    let mut stream = connect(&mock).await;
    let body = br#"{"classificationId":"c","batchId":"b","fileIds":["f"]}"#;
    assert!(
        send(
            &mut stream,
            head(Some("mock-api-key"), "", body.len()).as_bytes()
        )
        .await
    );
    assert!(send(&mut stream, body).await);
    while mock.received(Endpoint::DeleteFiles) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    // Act
    let stopped = tokio::time::timeout(PATIENCE, mock.shutdown()).await;

    // Assert
    assert!(stopped.is_ok());
    let (received, closed) = read_until_closed(&mut stream).await;
    assert!(received.starts_with("HTTP/1.1 404"), "{received:?}");
    assert!(closed);
}

// 8. Quotas per key, and nothing kept of deleted data.

#[tokio::test]
async fn a_key_over_its_quota_gets_403_and_the_data_is_unchanged() {
    // Arrange
    let limits = Limits::default().max_classifications(2).max_files(3);
    let mock = start(
        MockServer::builder()
            .api_key("k")
            .api_key("other")
            .limits(limits),
    )
    .await;
    let (_, first) = create(&mock, "k", small_details()).await;
    let (second, _) = create(&mock, "k", small_details()).await;

    // Act
    let (third, refusal) = call(
        &mock,
        Some("k"),
        Endpoint::CreateClassification,
        &json!({"classificationDetails": small_details()}),
    )
    .await;
    let (others, _) = create(&mock, "other", small_details()).await;
    let too_many = upload(
        &mock,
        "k",
        form(
            &first,
            (0..4)
                .map(|n| (format!("{n}.pdf"), b"x".to_vec()))
                .collect(),
        ),
    )
    .await;
    let usage = mock.usage("k");

    // Assert
    assert_eq!((second, third, others), (200, 403, 200));
    assert!(
        refusal["message"]
            .as_str()
            .is_some_and(|m| m.contains("at most 2 classifications")),
        "{refusal}"
    );
    assert_eq!(too_many.0, 403, "{}", too_many.1);
    assert_eq!((usage.classifications, usage.files), (2, 0));
    assert_eq!(
        upload(
            &mock,
            "k",
            form(&first, vec![("a.pdf".to_owned(), b"x".to_vec())])
        )
        .await
        .0,
        200
    );
}

#[tokio::test]
async fn deleting_gives_the_quota_back() {
    // Arrange
    let limits = Limits::default()
        .max_classifications(1)
        .max_stored_bytes(64 * 1024);
    let mock = start(MockServer::builder().limits(limits)).await;
    let (_, id) = create(&mock, "mock-api-key", small_details()).await;
    let big = json!({"name": "n", "description": "x".repeat(70 * 1024),
        "documentTypes": [{"name": "Invoice", "description": "", "uniqueWords": ["invoice"]}]});
    let (status, _) = call(
        &mock,
        Some("mock-api-key"),
        Endpoint::DeleteClassification,
        &json!({"classificationId": id}),
    )
    .await;
    assert_eq!(status, 200);

    // Act
    let (too_big, _) = create(&mock, "mock-api-key", big).await;
    let (fits, _) = create(&mock, "mock-api-key", small_details()).await;

    // Assert
    assert_eq!((too_big, fits), (403, 200));
}

async fn oneshot(
    app: &axum::Router,
    method: &str,
    endpoint: &str,
    body: Body,
    content_type: &str,
) -> (u16, Value) {
    let request = Request::builder()
        .method(method)
        .uri(format!("/api/v1/documentClassification/{endpoint}"))
        .header(header::AUTHORIZATION, "Bearer churn-key")
        .header(header::CONTENT_TYPE, content_type)
        .body(body)
        .unwrap_or_else(|e| panic!("{e}"));
    let (status, _, answer) = crate::support::oneshot(app, request).await;
    (status.as_u16(), answer)
}

fn multipart(classification: &str, files: usize) -> Body {
    let mut body = format!(
        "--B\r\nContent-Disposition: form-data; name=\"classificationId\"\r\n\r\n{classification}\r\n"
    );
    for n in 0..files {
        body.push_str(&format!(
            "--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{n}.pdf\"\r\n\r\ninvoice\r\n"
        ));
    }
    body.push_str("--B--\r\n");
    Body::from(body)
}

#[tokio::test]
async fn churn_leaves_no_state_behind_and_ids_never_meet_live_ones() {
    // Arrange: seeded ids of the mock's own form, ahead of the counter.
    let store = Store::default();
    let seed = json!({"classifications": [{"classificationId": "cls-00000003",
        "classificationDetails": small_details(),
        "batches": [{"batchId": "batch-00000040", "files": [{"fileId": "file-00000050", "fileName": "a"}]}]}]});
    assert!(store.seed(&seed, "churn-key").is_ok());
    let state = Arc::new(MockState::new(["churn-key".to_owned()], store));
    let app = router(Arc::clone(&state));
    let seeded = state.store().digest();
    let mut ids = HashSet::new();
    let mut footprint_after_first = None;

    // Act: create, upload, delete files, delete the batch, delete the classification.
    for round in 0..300 {
        let details = json!({"classificationDetails": small_details()}).to_string();
        let (_, created) = oneshot(
            &app,
            "POST",
            "createClassification",
            Body::from(details),
            "application/json",
        )
        .await;
        let cls = created["classificationId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let (_, uploaded) = oneshot(
            &app,
            "POST",
            "uploadFiles",
            multipart(&cls, 3),
            "multipart/form-data; boundary=B",
        )
        .await;
        let batch = uploaded["batchId"].as_str().unwrap_or_default().to_owned();
        let files: Vec<String> = uploaded["files"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["fileId"].as_str().map(str::to_owned))
            .collect();
        let delete =
            json!({"classificationId": cls, "batchId": batch, "fileIds": [files[0]]}).to_string();
        let (deleted, _) = oneshot(
            &app,
            "DELETE",
            "deleteFiles",
            Body::from(delete),
            "application/json",
        )
        .await;
        let batch_body = json!({"classificationId": cls, "batchId": batch}).to_string();
        let (batch_gone, _) = oneshot(
            &app,
            "DELETE",
            "deleteBatch",
            Body::from(batch_body),
            "application/json",
        )
        .await;
        let cls_body = json!({"classificationId": cls}).to_string();
        let (cls_gone, _) = oneshot(
            &app,
            "DELETE",
            "deleteClassification",
            Body::from(cls_body),
            "application/json",
        )
        .await;
        assert_eq!(
            (deleted, batch_gone, cls_gone),
            (200, 200, 200),
            "round {round}"
        );
        for id in std::iter::once(cls)
            .chain(std::iter::once(batch))
            .chain(files)
        {
            assert!(ids.insert(id.clone()), "the id {id} was generated twice");
        }
        if round == 0 {
            footprint_after_first = Some(state.store().footprint());
        }
    }

    // Assert
    assert_eq!(state.store().digest(), seeded);
    for seeded_id in ["cls-00000003", "batch-00000040", "file-00000050"] {
        assert!(
            !ids.contains(seeded_id),
            "a generated id met the seeded {seeded_id}"
        );
    }
    assert_eq!(
        Some(state.store().footprint()),
        footprint_after_first,
        "deleted data left state behind"
    );
    let usage = state.store().usage("churn-key");
    assert_eq!((usage.classifications, usage.files), (1, 1));
    assert_ne!(usage, Usage::default());
}

// 9. An upload cut short is the client's fault: a 4xx, never a 500.

#[tokio::test]
async fn an_upload_whose_body_breaks_off_is_a_400() {
    // Arrange
    let store = Store::default();
    let _ = store.seed(&json!({"classifications": [{"classificationId": "cls", "classificationDetails": small_details()}]}), "churn-key");
    let app = router(Arc::new(MockState::new(["churn-key".to_owned()], store)));
    let start = "--B\r\nContent-Disposition: form-data; name=\"classificationId\"\r\n\r\ncls\r\n\
                 --B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\n\r\nINVO";
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(start.as_bytes().to_vec()),
        Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the client went away",
        )),
    ];
    let body = Body::from_stream(futures::stream::iter(chunks));

    // Act
    let (status, answer) = oneshot(
        &app,
        "POST",
        "uploadFiles",
        body,
        "multipart/form-data; boundary=B",
    )
    .await;

    // Assert
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["status"], "error");
}

#[tokio::test]
async fn an_upload_shorter_than_its_content_length_is_a_4xx_over_a_socket() {
    // Arrange
    let mock = start(MockServer::builder()).await;
    let (_, cls) = create(&mock, "mock-api-key", small_details()).await;
    let part = format!(
        "--B\r\nContent-Disposition: form-data; name=\"classificationId\"\r\n\r\n{cls}\r\n\
         --B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\n\r\nINVO"
    );
    let head = format!(
        "POST /api/v1/documentClassification/uploadFiles HTTP/1.1\r\nHost: mock\r\n\
         Authorization: Bearer mock-api-key\r\nContent-Type: multipart/form-data; boundary=B\r\n\
         Content-Length: {}\r\n\r\n",
        part.len() + 500
    );
    let mut stream = connect(&mock).await;

    // Act: the head, part of the body, then the client stops writing.
    assert!(send(&mut stream, head.as_bytes()).await);
    assert!(send(&mut stream, part.as_bytes()).await);
    let _ = stream.shutdown().await;

    // Assert
    let line = first_line(&mut stream).await.unwrap_or_default();
    assert!(line.starts_with("HTTP/1.1 4"), "{line:?}");
    assert_eq!(mock.file_count("mock-api-key"), 0);
}

// 10. The mock's limits are generous and configurable; it invents no vendor rule.

#[tokio::test]
async fn forty_files_in_one_upload_are_taken_and_the_bound_is_configurable() {
    // Arrange
    let mock = start(MockServer::builder()).await;
    let strict =
        start(MockServer::builder().limits(Limits::default().max_files_per_upload(50))).await;
    let (_, cls) = create(&mock, "mock-api-key", small_details()).await;
    let (_, strict_cls) = create(&strict, "mock-api-key", small_details()).await;
    let files = |n: usize| {
        (0..n)
            .map(|i| (format!("{i}.pdf"), b"invoice".to_vec()))
            .collect::<Vec<_>>()
    };

    // Act
    let forty = upload(&mock, "mock-api-key", form(&cls, files(40))).await;
    let fifty_one = upload(&strict, "mock-api-key", form(&strict_cls, files(51))).await;

    // Assert
    assert_eq!(forty.0, 200, "{}", forty.1);
    assert_eq!(forty.1["files"].as_array().map(Vec::len), Some(40));
    assert_eq!(fifty_one.0, 400);
    assert!(
        fifty_one.1["message"]
            .as_str()
            .is_some_and(|m| m.contains("at most 50 files") && m.contains("not of the vendor")),
        "{}",
        fifty_one.1
    );
}

#[tokio::test]
async fn a_raised_file_id_bound_lets_a_long_delete_through() {
    // Arrange: 15,000 ids, over the schema's default bound of 10,000.
    let ids: Vec<String> = (0..15_000).map(|n| format!("f{n}")).collect();
    let body = json!({"classificationId": "c", "batchId": "b", "fileIds": ids});
    let default = start(MockServer::builder()).await;
    let raised = start(MockServer::builder().limits(Limits::default().max_file_ids(20_000))).await;

    // Act
    let refused = call(&default, Some("mock-api-key"), Endpoint::DeleteFiles, &body).await;
    let passed = call(&raised, Some("mock-api-key"), Endpoint::DeleteFiles, &body).await;

    // Assert: past validation, the raised mock looks the ids up (and finds no classification).
    assert_eq!(refused.0, 400, "{}", refused.1);
    assert_eq!(passed.0, 404, "{}", passed.1);
}
