//! The mock under hostile input and concurrency: every answer to a bad request is a 4xx JSON
//! error, nothing panics, and the stored data is unchanged; concurrent deletes stay atomic.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use extracta_contract::testing::{MockState, Store, router};
use http_body_util::BodyExt;
use proptest::prelude::*;
use serde_json::{Value, json};
use tower::ServiceExt;

const KEY: &str = "hostile-key";
const ENDPOINTS: &[&str] = &[
    "createClassification",
    "viewClassification",
    "uploadFiles",
    "getResults",
    "deleteFiles",
    "deleteBatch",
    "deleteClassification",
];

/// A router whose store holds one classification with a batch of three files.
fn seeded() -> (Router, Arc<MockState>) {
    let store = Store::default();
    let seed = json!({"classifications": [{"classificationId": "cls", "classificationDetails":
        {"name": "n", "documentTypes": [{"name": "Invoice", "description": "", "uniqueWords": ["invoice"]}]},
        "batches": [{"batchId": "batch", "files": [
            {"fileId": "f0", "fileName": "a"}, {"fileId": "f1", "fileName": "b"}, {"fileId": "f2", "fileName": "c"}]}]}]});
    let _ = store.seed(&seed, KEY);
    let state = Arc::new(MockState::new([KEY.to_owned()], store));
    (router(Arc::clone(&state)), state)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Sends one request; returns what a client would check.
async fn send(app: &Router, request: Request<Body>) -> (StatusCode, bool, Value) {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .unwrap_or_else(|e| match e {});
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v == "application/json");
    let bytes = response
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    (
        status,
        is_json,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Asserts the answer is a 4xx `{"status":"error","message":...}` and the data is unchanged.
fn assert_refused(app: &Router, state: &MockState, request: Request<Body>, what: &str) {
    let before = state.with_store(|s| s.digest());
    let (status, is_json, body) = runtime().block_on(send(app, request));
    assert!(status.is_client_error(), "{what}: {status} {body}");
    assert!(
        is_json && body["status"] == "error" && body["message"].is_string(),
        "{what}: {status} {body}"
    );
    assert_eq!(
        state.with_store(|s| s.digest()),
        before,
        "{what}: the data changed"
    );
}

fn request(
    method: &str,
    endpoint: &str,
    auth: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(format!("/api/v1/documentClassification/{endpoint}"));
    if let Some(auth) = auth {
        builder = builder.header(header::AUTHORIZATION, auth);
    }
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    builder
        .body(Body::from(body))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn method_of(endpoint: &str) -> &'static str {
    if endpoint.starts_with("delete") {
        "DELETE"
    } else {
        "POST"
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        ".{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{0,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes_are_refused_on_every_endpoint(endpoint in prop::sample::select(ENDPOINTS), bytes in prop::collection::vec(any::<u8>(), 0..512), json_type in any::<bool>()) {
        let (app, state) = seeded();
        let content_type = if json_type { "application/json" } else { "multipart/form-data; boundary=x" };
        // Bytes that happen to be a valid request are astronomically unlikely; skip them anyway.
        prop_assume!(serde_json::from_slice::<Value>(&bytes).map_or(true, |v| !v.is_object()));
        assert_refused(&app, &state, request(method_of(endpoint), endpoint, Some("Bearer hostile-key"), Some(content_type), bytes), endpoint);
    }

    #[test]
    fn arbitrary_json_is_refused_on_every_json_endpoint(endpoint in prop::sample::select(ENDPOINTS), value in arbitrary_json()) {
        prop_assume!(endpoint != "uploadFiles");
        let (app, state) = seeded();
        let body = value.to_string().into_bytes();
        assert_refused(&app, &state, request(method_of(endpoint), endpoint, Some("Bearer hostile-key"), Some("application/json"), body), endpoint);
    }

    #[test]
    fn odd_authorization_headers_are_refused(endpoint in prop::sample::select(ENDPOINTS), auth in prop_oneof![
        Just("Bearer ".to_owned()), Just("Basic aGVsbG86d29ybGQ=".to_owned()), Just("bearer hostile-key".to_owned()),
        Just("Bearer hostile-key extra".to_owned()), "Bearer [^\\x00-\\x1f\\x7f]{0,40}".prop_filter("not the key", |a| a.trim() != "Bearer hostile-key"),
        "[ -~]{0,40}"
    ]) {
        let (app, state) = seeded();
        let body = json!({"classificationId": "cls", "batchId": "batch", "fileIds": ["f0"]}).to_string().into_bytes();
        let Ok(request) = Request::builder()
            .method(method_of(endpoint))
            .uri(format!("/api/v1/documentClassification/{endpoint}"))
            .header(header::AUTHORIZATION, auth.as_str())
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body)) else { return Ok(()) };
        assert_refused(&app, &state, request, &auth);
    }

    #[test]
    fn unknown_methods_and_paths_are_refused(method in prop::sample::select(&["GET", "PUT", "PATCH", "OPTIONS", "TRACE", "PURGE"][..]), path in "/[a-zA-Z0-9/_.-]{0,40}") {
        let (app, state) = seeded();
        let Ok(request) = Request::builder().method(method).uri(path.as_str()).header(header::AUTHORIZATION, "Bearer hostile-key").body(Body::empty()) else { return Ok(()) };
        assert_refused(&app, &state, request, &format!("{method} {path}"));
    }
}

#[test]
fn extreme_bodies_are_refused() {
    let (app, state) = seeded();
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let many_ids: Vec<String> = (0..100_000).map(|n| format!("id-{n}")).collect();
    let many =
        json!({"classificationId": "cls", "batchId": "batch", "fileIds": many_ids}).to_string();
    let huge_id = json!({"classificationId": "cls", "batchId": "batch", "fileIds": ["x".repeat(2 * 1024 * 1024)]}).to_string();
    let nested_object = format!("{}1{}", "{\"a\":".repeat(3000), "}".repeat(3000));
    let invalid_utf8 = [
        b"{\"classificationId\": \"".to_vec(),
        vec![0xff, 0xfe, 0xfd],
        b"\"}".to_vec(),
    ]
    .concat();
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("5000 nested arrays", deep.into_bytes()),
        ("3000 nested objects", nested_object.into_bytes()),
        ("100,000 ids", many.into_bytes()),
        ("a 2 MB id", huge_id.into_bytes()),
        ("invalid UTF-8", invalid_utf8),
        ("no body", Vec::new()),
    ];
    for (what, body) in bodies {
        for endpoint in ENDPOINTS.iter().filter(|e| **e != "uploadFiles") {
            let request = request(
                method_of(endpoint),
                endpoint,
                Some("Bearer hostile-key"),
                Some("application/json"),
                body.clone(),
            );
            assert_refused(&app, &state, request, &format!("{what} to {endpoint}"));
        }
    }
}

#[test]
fn bad_uploads_are_refused() {
    let (app, state) = seeded();
    let form = |fields: &str| format!("{fields}--B--\r\n").into_bytes();
    let field = |name: &str, value: &str| {
        format!("--B\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
    };
    let file = "--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\n\r\nINVOICE\r\n";
    let uploads: Vec<(&str, Option<&str>, Vec<u8>)> = vec![
        ("no boundary", Some("multipart/form-data"), form(file)),
        ("not multipart", Some("application/json"), b"{}".to_vec()),
        ("no content type", None, form(file)),
        (
            "no files",
            Some("multipart/form-data; boundary=B"),
            form(&field("classificationId", "cls")),
        ),
        (
            "no classification",
            Some("multipart/form-data; boundary=B"),
            form(file),
        ),
        (
            "unknown classification",
            Some("multipart/form-data; boundary=B"),
            form(&(field("classificationId", "nope") + file)),
        ),
        (
            "unknown batch",
            Some("multipart/form-data; boundary=B"),
            form(&(field("classificationId", "cls") + &field("batchId", "nope") + file)),
        ),
        (
            "cut short",
            Some("multipart/form-data; boundary=B"),
            field("classificationId", "cls").into_bytes(),
        ),
        (
            "one file more than the mock takes",
            Some("multipart/form-data; boundary=B"),
            form(&(field("classificationId", "cls") + &file.repeat(501))),
        ),
    ];
    for (what, content_type, body) in uploads {
        assert_refused(
            &app,
            &state,
            request(
                "POST",
                "uploadFiles",
                Some("Bearer hostile-key"),
                content_type,
                body,
            ),
            what,
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_overlapping_deletes_remove_each_file_once() {
    let mock = extracta_contract::MockServer::builder().api_key(KEY).seed(json!({"classifications": [{
        "classificationId": "cls", "classificationDetails": {"name": "n", "documentTypes": []},
        "batches": [{"batchId": "batch", "files": (0..40).map(|n| json!({"fileId": format!("f{n}"), "fileName": "x"})).collect::<Vec<_>>()}]}]}))
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let client = reqwest::Client::new();
    let url = format!("{}/documentClassification/deleteFiles", mock.base_url());
    // 200 requests, each naming 3 consecutive files of 40: every file is named by many.
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..200_usize {
        let (client, url) = (client.clone(), url.clone());
        let ids: Vec<String> = (0..3).map(|k| format!("f{}", (n + k) % 40)).collect();
        tasks.spawn(async move {
            let answer = client
                .delete(&url)
                .bearer_auth(KEY)
                .json(&json!({"classificationId": "cls", "batchId": "batch", "fileIds": ids}))
                .send()
                .await;
            (ids, answer.map(|a| a.status().as_u16()).unwrap_or(0))
        });
    }
    let mut deleted_by: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (ids, status) = joined.unwrap_or_else(|e| panic!("{e}"));
        assert!(status == 200 || status == 404, "status {status}");
        if status == 200 {
            for id in ids {
                *deleted_by.entry(id).or_default() += 1;
            }
        }
    }
    assert!(
        deleted_by.values().all(|n| *n == 1),
        "a file was deleted by two successful requests: {deleted_by:?}"
    );
    let results: Value = client
        .post(format!(
            "{}/documentClassification/getResults",
            mock.base_url()
        ))
        .bearer_auth(KEY)
        .json(&json!({"classificationId": "cls", "batchId": "batch"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    let left: Vec<&str> = results["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["fileId"].as_str())
        .collect();
    for id in deleted_by.keys() {
        assert!(
            !left.contains(&id.as_str()),
            "{id} was reported deleted but getResults still lists it"
        );
    }
    assert_eq!(
        left.len() + deleted_by.len(),
        40,
        "getResults disagrees with the successful deletes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thousands_of_mixed_requests_never_fail_the_server() {
    let mock = extracta_contract::MockServer::builder()
        .api_key(KEY)
        .api_key("other-key")
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let client = reqwest::Client::new();
    let base = mock.base_url();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..3000_usize {
        let (client, base) = (client.clone(), base.clone());
        tasks.spawn(async move {
            let key = if n % 3 == 0 { "other-key" } else { KEY };
            let endpoint = ENDPOINTS[n % ENDPOINTS.len()];
            let body = match endpoint {
                "createClassification" => json!({"classificationDetails": {"name": "n", "documentTypes": []}}),
                _ => json!({"classificationId": format!("cls-{:08}", n % 50), "batchId": format!("batch-{:08}", n % 70), "fileIds": [format!("file-{:08}", n % 90)]}),
            };
            let url = format!("{base}/documentClassification/{endpoint}");
            let request = if endpoint.starts_with("delete") { client.delete(url) } else { client.post(url) };
            request.bearer_auth(key).json(&body).send().await.map(|a| a.status().as_u16()).unwrap_or(0)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let status = joined.unwrap_or_else(|e| panic!("{e}"));
        assert!((200..500).contains(&status), "status {status}");
    }
}
