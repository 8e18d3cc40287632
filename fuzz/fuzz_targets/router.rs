//! Arbitrary requests against the mock's router: never a 5xx or a panic, every refusal a JSON
//! error, and a refused request changes no data.
//!
//! The first byte picks the endpoint, the second the method, content type and credentials;
//! the rest is the body.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, header};
use extracta_contract::testing::{MockState, Store, router};
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

const ENDPOINTS: &[&str] = &[
    "createClassification",
    "viewClassification",
    "uploadFiles",
    "getResults",
    "deleteFiles",
    "deleteBatch",
    "deleteClassification",
    "unknown",
];
const CONTENT_TYPES: &[Option<&str>] = &[
    Some("application/json"),
    Some("multipart/form-data; boundary=B"),
    Some("text/plain"),
    None,
];
const AUTHS: &[Option<&str>] = &[
    Some("Bearer fuzz-key"),
    Some("Bearer other"),
    Some("Basic x"),
    None,
];
const METHODS: &[&str] = &["POST", "DELETE", "GET", "PUT"];

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

fn seeded() -> Arc<MockState> {
    let store = Store::default();
    let seed = serde_json::json!({"classifications": [{"classificationId": "cls", "classificationDetails":
        {"name": "n", "documentTypes": [{"name": "Invoice", "description": "", "uniqueWords": ["invoice"]}]},
        "batches": [{"batchId": "batch", "files": [{"fileId": "f0", "fileName": "a"}, {"fileId": "f1", "fileName": "b"}]}]}]});
    store.seed(&seed, "fuzz-key").expect("the seed loads");
    Arc::new(MockState::new(["fuzz-key".to_owned()], store))
}

fuzz_target!(|data: &[u8]| {
    let [pick, variant, body @ ..] = data else {
        return;
    };
    let endpoint = ENDPOINTS[usize::from(*pick) % ENDPOINTS.len()];
    let method = METHODS[usize::from(variant & 0x03)];
    let content_type = CONTENT_TYPES[usize::from((variant >> 2) & 0x03)];
    let auth = AUTHS[usize::from((variant >> 4) & 0x03)];
    let state = seeded();
    let app = router(Arc::clone(&state));
    let mut request = Request::builder()
        .method(method)
        .uri(format!("/api/v1/documentClassification/{endpoint}"));
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    if let Some(auth) = auth {
        request = request.header(header::AUTHORIZATION, auth);
    }
    let request = request.body(Body::from(body.to_vec())).expect("a request");
    let before = state.with_store(|s| s.digest());
    let (status, is_json, answer) = runtime().block_on(async {
        let response = app.oneshot(request).await.expect("infallible");
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
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap_or_default(),
        )
    });
    assert!(!status.is_server_error(), "{status} {answer}");
    assert!(is_json, "{status} is not JSON");
    if !status.is_success() {
        assert_eq!(answer["status"], "error", "{status} {answer}");
        assert!(answer["message"].is_string());
        assert_eq!(
            state.with_store(|s| s.digest()),
            before,
            "a refused request changed the data"
        );
    }
});
