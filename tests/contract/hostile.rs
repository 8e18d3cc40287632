//! The mock under hostile input and concurrency: every answer to a bad request is a 4xx JSON
//! error, nothing panics, and the stored data is unchanged; concurrent deletes stay atomic.
//!
//! The generators speak the API's language: bodies with the real field names and wrong
//! values, or right values naming unknown ids, and real bodies damaged byte by byte; an
//! oracle (the contract's schema and the seeded ids) says which must succeed. Wrong methods
//! are sent to the endpoints' own paths (405), and mixed traffic from several keys really
//! creates, uploads and deletes, each answer and the final store checked against a model.

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use extracta_contract::VendorProfile;
use extracta_contract::testing::{MockState, Store, router};
use proptest::prelude::*;
use serde_json::{Value, json};

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
const JSON_ENDPOINTS: &[&str] = &[
    "createClassification",
    "viewClassification",
    "getResults",
    "deleteFiles",
    "deleteBatch",
    "deleteClassification",
];

/// A vendor profile learned from the stand-in that chose differently from the mock wherever
/// the docs are silent (`learn --snapshots` on its baseline): the mock that adopts it must
/// keep every property below.
fn learned_profile() -> VendorProfile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/profiles/independent.json");
    VendorProfile::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// A router whose store holds one classification with a batch of three files; answering like
/// the learned vendor when `learned`.
fn seeded(learned: bool) -> (Router, Arc<MockState>) {
    let store = Store::default();
    let seed = json!({"classifications": [{"classificationId": "cls", "classificationDetails":
        {"name": "n", "documentTypes": [{"name": "Invoice", "description": "", "uniqueWords": ["invoice"]}]},
        "batches": [{"batchId": "batch", "files": [
            {"fileId": "f0", "fileName": "a"}, {"fileId": "f1", "fileName": "b"}, {"fileId": "f2", "fileName": "c"}]}]}]});
    let _ = store.seed(&seed, KEY);
    let state = MockState::new([KEY.to_owned()], store);
    let state = Arc::new(state.with_profile(learned.then(learned_profile)));
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
    let (status, content_type, answer) = crate::support::oneshot(app, request).await;
    (
        status,
        content_type.as_deref() == Some("application/json"),
        answer,
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

fn arbitrary_json() -> BoxedStrategy<Value> {
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
    .boxed()
}

/// The ids the seeded store holds.
const CLASSIFICATION: &str = "cls";
const BATCH: &str = "batch";
const FILES: [&str; 3] = ["f0", "f1", "f2"];

/// A value for an id field: of a wrong type, empty, naming nothing, or (half the time) naming
/// seeded data of the field's own kind (or, now and then, of another kind).
fn id_value(own: &'static [&'static str]) -> BoxedStrategy<Value> {
    prop_oneof![
        2 => prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            Just(json!([])),
            Just(json!({})),
        ],
        1 => Just(json!("")),
        2 => "[a-z0-9-]{1,12}".prop_map(|s| json!(format!("unknown-{s}"))),
        6 => prop::sample::select(own).prop_map(|s| json!(s)),
        1 => prop::sample::select(&[CLASSIFICATION, BATCH, FILES[0], FILES[1], FILES[2]][..]).prop_map(|s| json!(s)),
    ]
    .boxed()
}

/// A value for `fileIds`: a list of id values, or something that is not a list.
fn file_ids_value() -> BoxedStrategy<Value> {
    prop_oneof![
        5 => prop::collection::vec(id_value(&FILES), 0..5).prop_map(Value::Array),
        1 => id_value(&FILES),
    ]
    .boxed()
}

/// A value for `classificationDetails`: the right shape with wrong parts, or anything.
fn details_value() -> BoxedStrategy<Value> {
    let document_type = prop::collection::btree_map(
        prop::sample::select(
            &[
                "name",
                "description",
                "uniqueWords",
                "extractionId",
                "other",
            ][..],
        ),
        prop_oneof![id_value(&["Invoice"]), file_ids_value()],
        0..4,
    )
    .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()));
    let details = (
        prop::option::of(id_value(&["Invoices"])),
        prop::option::of(prop_oneof![
            prop::collection::vec(document_type, 0..3).prop_map(Value::Array),
            id_value(&["Invoice"]),
        ]),
    )
        .prop_map(|(name, types)| {
            let mut map = serde_json::Map::new();
            if let Some(name) = name {
                map.insert("name".to_owned(), name);
            }
            if let Some(types) = types {
                map.insert("documentTypes".to_owned(), types);
            }
            Value::Object(map)
        });
    prop_oneof![3 => details, 1 => arbitrary_json()].boxed()
}

/// A body made of the endpoints' real field names, each present or not, with values of the
/// right type or not, naming seeded data or not, and sometimes an unknown field besides.
fn body_with_real_names() -> BoxedStrategy<Value> {
    let mostly = |s: BoxedStrategy<Value>| prop::option::weighted(0.9, s);
    (
        mostly(id_value(&[CLASSIFICATION])),
        mostly(id_value(&[BATCH])),
        mostly(file_ids_value()),
        prop::option::of(id_value(&FILES)),
        prop::option::of(details_value()),
        prop::option::weighted(0.2, ("[a-zA-Z]{1,10}", arbitrary_json())),
    )
        .prop_map(|(cls, batch, file_ids, file_id, details, extra)| {
            let mut map = serde_json::Map::new();
            let fields = [
                ("classificationId", cls),
                ("batchId", batch),
                ("fileIds", file_ids),
                ("fileId", file_id),
                ("classificationDetails", details),
            ];
            for (name, value) in fields {
                if let Some(value) = value {
                    map.insert(name.to_owned(), value);
                }
            }
            if let Some((name, value)) = extra {
                map.insert(name, value);
            }
            Value::Object(map)
        })
        .boxed()
}

/// A request the seeded mock accepts on `endpoint`.
fn valid_body(endpoint: &str) -> Value {
    let known = json!({"classificationId": CLASSIFICATION, "batchId": BATCH});
    match endpoint {
        "createClassification" => json!({"classificationDetails": {"name": "n",
            "documentTypes": [{"name": "Invoice", "description": "", "uniqueWords": ["invoice"]}]}}),
        "viewClassification" | "deleteClassification" => {
            json!({"classificationId": CLASSIFICATION})
        }
        "getResults" => {
            json!({"classificationId": CLASSIFICATION, "batchId": BATCH, "fileId": FILES[1]})
        }
        "deleteFiles" => {
            json!({"classificationId": CLASSIFICATION, "batchId": BATCH, "fileIds": [FILES[0], FILES[1]]})
        }
        _ => known,
    }
}

/// Every place in `value` (JSON pointers), the root aside.
fn places(value: &Value, at: &str, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(map) => map.iter().map(|(k, v)| (format!("{at}/{k}"), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(n, v)| (format!("{at}/{n}"), v))
            .collect(),
        _ => Vec::new(),
    };
    for (pointer, child) in children {
        out.push(pointer.clone());
        places(child, &pointer, out);
    }
}

/// A valid request with one thing wrong: a value replaced (by a wrong type, an empty or an
/// unknown id), a field removed, or an unknown id added to a list.
fn near_miss(endpoint: &'static str) -> BoxedStrategy<Value> {
    let base = valid_body(endpoint);
    let mut pointers = Vec::new();
    places(&base, "", &mut pointers);
    (
        prop::sample::select(pointers),
        id_value(&["unknown-id"]),
        0..3_u8,
    )
        .prop_map(move |(pointer, value, action)| {
            let mut body = base.clone();
            let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", ""));
            match (action, body.pointer_mut(parent)) {
                (1, Some(Value::Object(map))) => {
                    map.remove(last);
                }
                (2, Some(Value::Array(items))) => items.push(value),
                _ => {
                    if let Some(slot) = body.pointer_mut(&pointer) {
                        *slot = value;
                    }
                }
            }
            body
        })
        .boxed()
}

/// Whether the seeded mock must answer 2xx to `body` on `endpoint`: the body is valid by the
/// contract's schema and names data the store holds. The learned vendor accepts an empty
/// `fileIds` list, and deletes the files of a partly unknown one that exist.
fn succeeds(endpoint: &str, body: &Value, learned: bool) -> bool {
    let Some(schema) = extracta_contract::Endpoint::from_name(endpoint).map(|e| e.request_schema())
    else {
        return false;
    };
    let valid = extracta_contract::contract::SchemaSet::global()
        .check(schema, body)
        .ok()
        .is_some_and(|v| v.is_empty());
    let text = |field: &str| body[field].as_str();
    let known_batch =
        text("classificationId") == Some(CLASSIFICATION) && text("batchId") == Some(BATCH);
    valid
        && match endpoint {
            "createClassification" => true,
            "viewClassification" | "deleteClassification" => {
                text("classificationId") == Some(CLASSIFICATION)
            }
            "deleteBatch" => known_batch,
            "getResults" => known_batch && text("fileId").is_none_or(|f| FILES.contains(&f)),
            "deleteFiles" => {
                let ids = body["fileIds"].as_array().cloned().unwrap_or_default();
                let known = |id: &Value| id.as_str().is_some_and(|f| FILES.contains(&f));
                known_batch
                    && if learned {
                        ids.is_empty() || ids.iter().any(known)
                    } else {
                        !ids.is_empty() && ids.iter().all(known)
                    }
            }
            _ => false,
        }
}

/// Whether a successful request on `endpoint` changes data.
fn writes(endpoint: &str) -> bool {
    endpoint == "createClassification" || endpoint.starts_with("delete")
}

/// Asserts the mock answers 2xx exactly when [`succeeds`] says so, a 4xx JSON error
/// otherwise, and that the data changed only by a successful write.
fn assert_as_the_oracle_says(
    app: &Router,
    state: &MockState,
    endpoint: &str,
    body: Vec<u8>,
    content_type: &str,
) {
    let learned = state.profile().is_some();
    let document: Option<Value> = serde_json::from_slice(&body).ok();
    let expect_success = content_type == "application/json"
        && endpoint != "uploadFiles"
        && document
            .as_ref()
            .is_some_and(|d| succeeds(endpoint, d, learned));
    let before = state.with_store(|s| s.digest());
    let request = request(
        method_of(endpoint),
        endpoint,
        Some("Bearer hostile-key"),
        Some(content_type),
        body,
    );
    let (status, is_json, answer) = runtime().block_on(send(app, request));
    let what = format!(
        "{endpoint} {}",
        document.map_or("(not JSON)".to_owned(), |d| d.to_string())
    );
    assert!(is_json, "{what}: {status} is not JSON");
    if expect_success {
        assert!(status.is_success(), "{what}: {status} {answer}");
    } else {
        assert!(status.is_client_error(), "{what}: {status} {answer}");
        assert!(
            answer["status"] == "error" && answer["message"].is_string(),
            "{what}: {answer}"
        );
    }
    if !(expect_success && writes(endpoint)) {
        assert_eq!(
            state.with_store(|s| s.digest()),
            before,
            "{what}: the data changed"
        );
    }
}

/// Damages bytes as a broken client or a proxy might: cut, flipped, inserted, repeated.
fn damaged(bytes: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = bytes.len();
    let original = bytes.clone();
    prop_oneof![
        (0..=len).prop_map({
            let b = bytes.clone();
            move |at| b[..at].to_vec()
        }),
        (0..len.max(1), any::<u8>()).prop_map({
            let b = bytes.clone();
            move |(at, byte)| {
                let mut b = b.clone();
                if let Some(x) = b.get_mut(at) {
                    *x = byte;
                }
                b
            }
        }),
        (0..=len, prop::collection::vec(any::<u8>(), 1..8)).prop_map({
            let b = bytes.clone();
            move |(at, junk)| {
                let mut b = b.clone();
                b.splice(at..at, junk);
                b
            }
        }),
        (0..=len, 0..=len).prop_map(move |(a, z)| {
            let (a, z) = (a.min(z), a.max(z));
            let mut b = original.clone();
            let segment = b[a..z].to_vec();
            b.splice(z..z, segment);
            b
        }),
    ]
}

/// Bytes that are a real-named JSON body, damaged, or anything at all.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => prop::sample::select(JSON_ENDPOINTS)
            .prop_flat_map(|e| prop_oneof![body_with_real_names(), near_miss(e)])
            .prop_flat_map(|v| damaged(v.to_string().into_bytes())),
        1 => prop::collection::vec(any::<u8>(), 0..512),
    ]
}

/// Every method but the endpoint's own (HEAD aside: its answers carry no body).
const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PURGE",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn damaged_and_arbitrary_bytes_are_answered_as_the_oracle_says(endpoint in prop::sample::select(ENDPOINTS), bytes in hostile_bytes(), json_type in prop::bool::weighted(0.8), learned in prop::bool::ANY) {
        let (app, state) = seeded(learned);
        let content_type = if json_type { "application/json" } else { "multipart/form-data; boundary=x" };
        let document = serde_json::from_slice::<Value>(&bytes).ok();
        // A damaged body that still deletes or creates something is no refusal to check.
        prop_assume!(!(json_type && writes(endpoint) && document.is_some_and(|d| succeeds(endpoint, &d, learned))));
        assert_as_the_oracle_says(&app, &state, endpoint, bytes, content_type);
    }

    #[test]
    fn real_field_names_with_wrong_values_are_refused((endpoint, body) in prop::sample::select(JSON_ENDPOINTS).prop_flat_map(|e| (Just(e), prop_oneof![body_with_real_names(), near_miss(e)])), learned in prop::bool::ANY) {
        prop_assume!(!(writes(endpoint) && succeeds(endpoint, &body, learned)));
        let (app, state) = seeded(learned);
        assert_as_the_oracle_says(&app, &state, endpoint, body.to_string().into_bytes(), "application/json");
    }

    #[test]
    fn arbitrary_json_is_refused_on_every_json_endpoint(endpoint in prop::sample::select(ENDPOINTS), value in arbitrary_json(), learned in prop::bool::ANY) {
        prop_assume!(endpoint != "uploadFiles");
        prop_assume!(!succeeds(endpoint, &value, learned));
        let (app, state) = seeded(learned);
        let body = value.to_string().into_bytes();
        assert_refused(&app, &state, request(method_of(endpoint), endpoint, Some("Bearer hostile-key"), Some("application/json"), body), endpoint);
    }

    #[test]
    fn odd_authorization_headers_are_refused(endpoint in prop::sample::select(ENDPOINTS), auth in prop_oneof![
        Just("Bearer ".to_owned()), Just("Basic aGVsbG86d29ybGQ=".to_owned()), Just("bearer hostile-key".to_owned()),
        Just("Bearer hostile-key extra".to_owned()), "Bearer [^\\x00-\\x1f\\x7f]{0,40}".prop_filter("not the key", |a| a.trim() != "Bearer hostile-key"),
        "[ -~]{0,40}"
    ], learned in prop::bool::ANY) {
        let (app, state) = seeded(learned);
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
    fn a_wrong_method_on_an_endpoint_is_405(endpoint in prop::sample::select(ENDPOINTS), method in prop::sample::select(METHODS), key in prop::bool::ANY, learned in prop::bool::ANY) {
        prop_assume!(method != method_of(endpoint));
        let (app, state) = seeded(learned);
        let body = json!({"classificationId": "cls", "batchId": "batch", "fileIds": ["f0"]}).to_string().into_bytes();
        let auth = key.then_some("Bearer hostile-key");
        let before = state.with_store(|s| s.digest());
        let (status, is_json, answer) = runtime().block_on(send(&app, request(method, endpoint, auth, Some("application/json"), body)));
        prop_assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{} {}: {}", method, endpoint, answer);
        prop_assert!(is_json && answer["status"] == "error", "{}", answer);
        prop_assert_eq!(state.with_store(|s| s.digest()), before);
    }

    #[test]
    fn a_path_that_is_no_endpoint_is_404(method in prop::sample::select(METHODS), path in prop_oneof![
        "/[a-zA-Z0-9/_.-]{0,60}",
        "[a-zA-Z]{1,25}".prop_map(|name| format!("/api/v1/documentClassification/{name}")),
        prop::sample::select(ENDPOINTS).prop_map(|e| format!("/api/v1/documentClassification/{e}/")),
        prop::sample::select(ENDPOINTS).prop_map(|e| format!("/api/v2/documentClassification/{e}")),
        prop::sample::select(ENDPOINTS).prop_map(|e| format!("/api/v1/documentclassification/{e}")),
    ], learned in prop::bool::ANY) {
        prop_assume!(!ENDPOINTS.iter().any(|e| path == format!("/api/v1/documentClassification/{e}")));
        let (app, state) = seeded(learned);
        let Ok(request) = Request::builder().method(method).uri(path.as_str()).header(header::AUTHORIZATION, "Bearer hostile-key").body(Body::empty()) else { return Ok(()) };
        let before = state.with_store(|s| s.digest());
        let (status, is_json, answer) = runtime().block_on(send(&app, request));
        prop_assert_eq!(status, StatusCode::NOT_FOUND, "{} {}: {}", method, path, answer);
        prop_assert!(is_json && answer["status"] == "error", "{}", answer);
        prop_assert_eq!(state.with_store(|s| s.digest()), before);
    }
}

#[rstest::rstest]
fn extreme_bodies_are_refused(#[values(false, true)] learned: bool) {
    let (app, state) = seeded(learned);
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

#[rstest::rstest]
fn bad_uploads_are_refused(#[values(false, true)] learned: bool) {
    let (app, state) = seeded(learned);
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
    let client = crate::http();
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

/// What one key holds, as the mixed-traffic test expects it: classification -> batch -> files.
type Model = std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>>;

/// One key's client: requests over a socket, each answer checked against the model.
struct Client {
    http: reqwest::Client,
    base: String,
    key: String,
    model: Model,
    rng: fastrand::Rng,
}

impl Client {
    async fn call(&self, endpoint: &str, body: Value) -> (u16, Value) {
        let url = format!("{}/documentClassification/{endpoint}", self.base);
        let request = if endpoint.starts_with("delete") {
            self.http.delete(url)
        } else {
            self.http.post(url)
        };
        match request.bearer_auth(&self.key).json(&body).send().await {
            Ok(answer) => {
                let status = answer.status().as_u16();
                (status, answer.json().await.unwrap_or_default())
            }
            Err(e) => panic!("{endpoint} for {}: {e}", self.key),
        }
    }

    async fn upload(&self, cls: &str, batch: Option<&str>, files: usize) -> (u16, Value) {
        let mut form = reqwest::multipart::Form::new().text("classificationId", cls.to_owned());
        if let Some(batch) = batch {
            form = form.text("batchId", batch.to_owned());
        }
        for n in 0..files {
            form = form.part(
                "files",
                reqwest::multipart::Part::bytes(b"invoice".to_vec()).file_name(format!("{n}.pdf")),
            );
        }
        let url = format!("{}/documentClassification/uploadFiles", self.base);
        match self
            .http
            .post(url)
            .bearer_auth(&self.key)
            .multipart(form)
            .send()
            .await
        {
            Ok(answer) => {
                let status = answer.status().as_u16();
                (status, answer.json().await.unwrap_or_default())
            }
            Err(e) => panic!("upload for {}: {e}", self.key),
        }
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.rng.usize(..items.len())].clone())
    }

    fn classifications(&self) -> Vec<String> {
        self.model.keys().cloned().collect()
    }

    fn batches(&self) -> Vec<(String, String)> {
        self.model
            .iter()
            .flat_map(|(c, bs)| bs.keys().map(move |b| (c.clone(), b.clone())))
            .collect()
    }

    /// One random operation, its answer checked against the model, the model updated.
    async fn step(&mut self, others: &[String]) {
        let what = self.rng.u8(..10);
        match what {
            0 => {
                let (status, body) = self.call("createClassification", json!({"classificationDetails":
                    {"name": "n", "documentTypes": [{"name": "Invoice", "description": "", "uniqueWords": ["invoice"]}]}})).await;
                assert_eq!(status, 200, "{body}");
                let id = body["classificationId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                assert!(
                    self.model.insert(id, Default::default()).is_none(),
                    "an id came back twice"
                );
            }
            1 | 2 => {
                let Some(cls) = self.pick(&self.classifications()) else {
                    return;
                };
                let into = if self.rng.bool() {
                    self.pick(&self.model[&cls].keys().cloned().collect::<Vec<_>>())
                } else {
                    None
                };
                let count = self.rng.usize(1..4);
                let (status, body) = self.upload(&cls, into.as_deref(), count).await;
                assert_eq!(status, 200, "{body}");
                let batch = body["batchId"].as_str().unwrap_or_default().to_owned();
                let ids: Vec<String> = body["files"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|f| f["fileId"].as_str().map(str::to_owned))
                    .collect();
                assert_eq!(ids.len(), count);
                if let Some(into) = into {
                    assert_eq!(batch, into);
                }
                self.model
                    .entry(cls)
                    .or_default()
                    .entry(batch)
                    .or_default()
                    .extend(ids);
            }
            3 | 4 => {
                let Some((cls, batch)) = self.pick(&self.batches()) else {
                    return;
                };
                let files = self.model[&cls][&batch].clone();
                let mut named: Vec<String> =
                    files.iter().filter(|_| self.rng.bool()).cloned().collect();
                let unknown = self.rng.u8(..4) == 0;
                if unknown {
                    named.push("file-none".to_owned());
                }
                let (status, body) = self
                    .call(
                        "deleteFiles",
                        json!({"classificationId": cls, "batchId": batch, "fileIds": named}),
                    )
                    .await;
                let expected = if named.is_empty() {
                    400
                } else if unknown {
                    404
                } else {
                    200
                };
                assert_eq!(status, expected, "{named:?}: {body}");
                if status == 200 {
                    if let Some(left) = self.model.get_mut(&cls).and_then(|b| b.get_mut(&batch)) {
                        left.retain(|f| !named.contains(f));
                    }
                }
            }
            5 => {
                let Some((cls, batch)) = self.pick(&self.batches()) else {
                    return;
                };
                let (status, body) = self
                    .call(
                        "getResults",
                        json!({"classificationId": cls, "batchId": batch}),
                    )
                    .await;
                assert_eq!(status, 200, "{body}");
                let listed: Vec<String> = body["files"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|f| f["fileId"].as_str().map(str::to_owned))
                    .collect();
                assert_eq!(
                    listed, self.model[&cls][&batch],
                    "getResults disagrees with the model"
                );
            }
            6 => {
                let Some((cls, batch)) = self.pick(&self.batches()) else {
                    return;
                };
                let gone = self.rng.bool();
                let batch = if gone { batch } else { "batch-none".to_owned() };
                let (status, _) = self
                    .call(
                        "deleteBatch",
                        json!({"classificationId": cls, "batchId": batch}),
                    )
                    .await;
                assert_eq!(status, if gone { 200 } else { 404 });
                if gone {
                    self.model.get_mut(&cls).map(|b| b.remove(&batch));
                }
            }
            7 => {
                let Some(cls) = self.pick(&self.classifications()) else {
                    return;
                };
                let (status, _) = self
                    .call("deleteClassification", json!({"classificationId": cls}))
                    .await;
                assert_eq!(status, 200);
                self.model.remove(&cls);
            }
            _ => {
                // Another key's classification is invisible, whatever that key does with it.
                let Some(foreign) = self.pick(others) else {
                    return;
                };
                let (status, _) = self
                    .call("viewClassification", json!({"classificationId": foreign}))
                    .await;
                assert_eq!(status, 404, "{} saw another key's classification", self.key);
                let (status, _) = self
                    .call("deleteClassification", json!({"classificationId": foreign}))
                    .await;
                assert_eq!(
                    status, 404,
                    "{} deleted another key's classification",
                    self.key
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mixed_traffic_from_several_keys_leaves_the_data_each_model_predicts() {
    // Arrange: six keys, each seeded with one classification the others try to reach.
    let keys: Vec<String> = (0..6).map(|n| format!("mixed-key-{n}")).collect();
    let mut builder = extracta_contract::MockServer::builder();
    let mut seed = extracta_contract::mock::Seed::new();
    for key in &keys {
        builder = builder.api_key(key);
        seed = seed.classification(format!("seeded-{key}"), |c| c.owner(key.clone()));
    }
    let mock = builder
        .seed(seed)
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let foreign: Vec<String> = keys.iter().map(|k| format!("seeded-{k}")).collect();

    // Act: each key's client sends 150 operations in turn; the keys run at once.
    let mut clients = tokio::task::JoinSet::new();
    for (n, key) in keys.iter().enumerate() {
        let mut client = Client {
            http: crate::http(),
            base: mock.base_url(),
            key: key.clone(),
            model: Model::new(),
            rng: fastrand::Rng::with_seed(u64::try_from(n).unwrap_or_default() + 7),
        };
        client
            .model
            .insert(format!("seeded-{key}"), Default::default());
        let others: Vec<String> = foreign
            .iter()
            .filter(|f| !f.ends_with(key.as_str()))
            .cloned()
            .collect();
        clients.spawn(async move {
            for _ in 0..150 {
                client.step(&others).await;
            }
            (client.key, client.model)
        });
    }
    let mut expected = Vec::new();
    while let Some(done) = clients.join_next().await {
        let (key, model) = done.unwrap_or_else(|e| panic!("{e}"));
        for (cls, batches) in model {
            expected.push(format!("{key}/{cls}"));
            for (batch, files) in batches {
                expected.push(format!("{key}/{cls}/{batch}"));
                expected.extend(files.iter().map(|f| format!("{key}/{cls}/{batch}/{f}")));
            }
        }
    }

    // Assert
    expected.sort();
    assert_eq!(mock.digest(), expected, "the store differs from the models");
    assert!(
        expected.len() > 6 * 4,
        "the traffic stored almost nothing: {expected:?}"
    );
}
