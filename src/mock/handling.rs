//! What the endpoint handlers share: the prelude every endpoint runs first, a stored file as
//! the replies list it, and what the journal and the request log note of a request.

use axum::response::Response;
use serde::Serialize;

use super::faults::random_failure;
use super::journal::Seen;
use super::state::MockState;
use super::store::StoredFile;
use crate::contract::endpoint::Endpoint;

/// What every endpoint does first: count the request, wait the latency, apply a fault.
/// Returns the fault's answer, if it gives one.
pub async fn prelude(state: &MockState, endpoint: Endpoint) -> Option<Response> {
    state.count(endpoint);
    let conditions = state.conditions();
    if !conditions.latency.is_zero() {
        tokio::time::sleep(conditions.latency).await;
    }
    if let Some(fault) = state.faults().take(endpoint) {
        if !fault.wait().is_zero() {
            tokio::time::sleep(fault.wait()).await;
        }
        if let Some(answer) = fault.answer() {
            return Some(answer);
        }
    }
    random_failure(conditions.fail_rate)
}

/// A file's `url` in replies.
fn file_url(file_id: &str) -> String {
    format!("https://files.mock.invalid/{file_id}")
}

/// A file as getResults lists it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileResult {
    file_id: String,
    file_name: String,
    status: &'static str,
    result: Classified,
    url: String,
}

/// The `result` of a file in getResults.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Classified {
    document_type: Option<String>,
    confidence: f64,
}

impl From<StoredFile> for FileResult {
    fn from(file: StoredFile) -> Self {
        FileResult {
            url: file_url(&file.file_id),
            file_id: file.file_id,
            file_name: file.file_name,
            status: "processed",
            result: Classified {
                document_type: file.document_type.as_deref().map(str::to_owned),
                confidence: file.confidence,
            },
        }
    }
}

/// A file as uploadFiles lists it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadedFile {
    file_id: String,
    file_name: String,
    number_of_pages: u32,
    url: String,
}

impl From<StoredFile> for UploadedFile {
    fn from(file: StoredFile) -> Self {
        UploadedFile {
            url: file_url(&file.file_id),
            file_id: file.file_id,
            file_name: file.file_name,
            number_of_pages: 1,
        }
    }
}

/// What to note of a request with `key` and `body`: all of it when the journal records
/// requests, the key's holder alone when only the request log names it, nothing when neither
/// wants it (and then the holder is not looked up).
pub fn noted(state: &MockState, key: &str, body: &[u8]) -> Option<Seen> {
    if state.recording() {
        Some(Seen::new(state.holder(key).cloned(), body))
    } else if tracing::enabled!(target: "extracta_contract::mock", tracing::Level::INFO) {
        Some(Seen {
            holder: state.holder(key).cloned(),
            body: None,
        })
    } else {
        None
    }
}
