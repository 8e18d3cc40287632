//! The run never deletes what it did not create, whatever ids a hostile target hands out: a
//! property test. The built-in mock holds data of the same account from before the run
//! (`cls-prod`, `batch-prod` with two files); a proxy in front of it rewrites the answers of
//! createClassification and uploadFiles, as the generated script says, to name that data;
//! after the run, every piece of it must still be there.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use extracta_contract::mock::Seed;
use extracta_contract::{MockServer, RunOptions, run};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::support::stand_in::built;

const KEY: &str = "ownership-key";
const SECOND_KEY: &str = "ownership-second-key";
const FILES: [&str; 2] = ["file-prod-1", "file-prod-2"];

/// How the proxy rewrites one answer of createClassification or uploadFiles.
#[derive(Debug, Clone, Copy)]
enum Lie {
    /// As the mock gave it.
    None,
    /// Its classificationId is `cls-prod`.
    Classification,
    /// Its batchId is `batch-prod`.
    Batch,
    /// Its files' ids are those of `batch-prod`.
    Files,
}

struct Proxy {
    mock: String,
    client: reqwest::Client,
    script: Mutex<VecDeque<Lie>>,
}

/// Passes the request to the mock, and the answer back, rewritten where the script says.
async fn forward(
    State(proxy): State<Arc<Proxy>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().trim_start_matches("/api/v1");
    let mut request = proxy
        .client
        .request(method, format!("{}{path}", proxy.mock))
        .body(body);
    for name in ["authorization", "content-type"] {
        if let Some(value) = headers.get(name) {
            request = request.header(name, value);
        }
    }
    let Ok(answer) = request.send().await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    let status = answer.status();
    let content_type = answer.headers().get("content-type").cloned();
    let text = answer.text().await.unwrap_or_default();
    let mut body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let rewritten = (path.ends_with("/createClassification") || path.ends_with("/uploadFiles"))
        && status.is_success();
    if rewritten {
        let lie = proxy
            .script
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
            .unwrap_or(Lie::None);
        match lie {
            Lie::None => {}
            Lie::Classification => body["classificationId"] = json!("cls-prod"),
            Lie::Batch if body.get("batchId").is_some() => body["batchId"] = json!("batch-prod"),
            Lie::Files => {
                if let Some(files) = body.get_mut("files").and_then(Value::as_array_mut) {
                    for (file, id) in files.iter_mut().zip(FILES.iter().cycle()) {
                        file["fileId"] = json!(id);
                    }
                }
            }
            Lie::Batch => {}
        }
    }
    let mut response = (
        status,
        if body.is_null() {
            text
        } else {
            body.to_string()
        },
    )
        .into_response();
    if let Some(content_type) = content_type {
        response.headers_mut().insert("content-type", content_type);
    }
    response
}

/// Whether `cls-prod`, `batch-prod` and both of its files are all still there.
async fn intact(mock: &MockServer) -> Result<(), String> {
    let answer = crate::http()
        .post(format!(
            "{}/documentClassification/getResults",
            mock.base_url()
        ))
        .bearer_auth(KEY)
        .json(&json!({"classificationId": "cls-prod", "batchId": "batch-prod"}))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = answer.status();
    let body: Value = answer.json().await.unwrap_or_default();
    let listed: Vec<&str> = body["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["fileId"].as_str())
        .collect();
    if status.is_success() && FILES.iter().all(|f| listed.contains(f)) {
        Ok(())
    } else {
        Err(format!(
            "what existed before the run is damaged: {status} {body}"
        ))
    }
}

/// One run against a mock holding data from before it, behind a proxy that tells `lies`;
/// with `reuse`, the run uploads into `cls-prod` itself (`--classification-id`).
async fn run_against_liar(lies: Vec<Lie>, reuse: bool) -> Result<(), String> {
    let seed = Seed::new().classification("cls-prod", |c| {
        c.name("Production")
            .document_type("Invoice", ["invoice number"])
            .batch("batch-prod", |b| {
                b.file(FILES[0], "precious-1.pdf")
                    .file(FILES[1], "precious-2.pdf")
            })
    });
    let mock = MockServer::builder()
        .api_key(KEY)
        .api_key(SECOND_KEY)
        .seed(seed)
        .start()
        .await
        .map_err(|e| e.to_string())?;
    let proxy = Arc::new(Proxy {
        mock: mock.base_url(),
        client: crate::http(),
        script: Mutex::new(lies.into()),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let app = axum::Router::new().fallback(forward).with_state(proxy);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let mut options = RunOptions::builder()
        .base_url(format!("http://{address}/api/v1"))
        .api_key(KEY)
        .second_api_key(SECOND_KEY)
        .settle(std::time::Duration::ZERO)
        .cases_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"));
    for case in [
        "delete-files/valid-one-file",
        "delete-files/file-of-another-batch",
        "delete-files/same-delete-twice",
        "delete-batch/valid",
        "delete-classification/valid",
        "upload-files/new-batch",
    ] {
        options = options.only(case);
    }
    if reuse {
        options = options.classification_id(Some("cls-prod".to_owned()));
    }
    // The run may fail or stop: only what it did to the data is judged.
    let _ = run(&built(options), |_| {}).await;
    let verdict = intact(&mock).await;
    server.abort();
    verdict
}

fn lie() -> impl Strategy<Value = Lie> {
    prop_oneof![
        3 => Just(Lie::None),
        1 => Just(Lie::Classification),
        1 => Just(Lie::Batch),
        1 => Just(Lie::Files),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn whatever_ids_a_target_hands_out_nothing_that_existed_before_the_run_is_deleted(
        lies in proptest::collection::vec(lie(), 0..12),
        reuse in any::<bool>(),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
        let runtime = runtime.map_err(|e| TestCaseError::fail(e.to_string()))?;
        let verdict = runtime.block_on(run_against_liar(lies, reuse));
        prop_assert!(verdict.is_ok(), "{}", verdict.err().unwrap_or_default());
    }
}

#[tokio::test]
async fn a_target_that_hands_out_only_what_existed_before_gets_nothing_deleted() {
    // The worst of the script above, every answer a lie, in both modes.
    for reuse in [false, true] {
        for lie in [Lie::Classification, Lie::Batch, Lie::Files] {
            let verdict = run_against_liar(vec![lie; 40], reuse).await;
            assert!(verdict.is_ok(), "{lie:?}, reuse {reuse}: {verdict:?}");
        }
    }
}
