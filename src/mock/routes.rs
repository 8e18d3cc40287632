//! The mock's HTTP surface: one axum handler per vendor endpoint.
//!
//! Every handler authorises first, then validates the body with the contract's schemas, then
//! asks the [`Store`]. Every refusal, including the ones axum's extractors produce, is answered
//! as `{"status":"error","message":...}` with `application/json`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, post};
use serde_json::{Value, json};

use super::state::{Rejection, Store, Upload};
use crate::schema::SchemaSet;

/// The path every endpoint lives under, below the host.
pub const BASE_PATH: &str = "/api/v1/documentClassification";
/// The largest JSON body accepted; larger ones get 413.
pub const JSON_BODY_LIMIT: usize = 1024 * 1024;
/// The largest multipart upload accepted; larger ones get 413.
pub const UPLOAD_BODY_LIMIT: usize = 20 * 1024 * 1024;
/// The most files one upload may carry.
pub const MAX_FILES_PER_UPLOAD: usize = 20;
/// The most ids one deleteFiles request may name.
pub const MAX_FILE_IDS: usize = 1000;

/// What the handlers share: the accepted keys and the data.
#[derive(Debug)]
pub struct MockState {
    keys: HashSet<String>,
    store: Mutex<Store>,
}

impl MockState {
    /// A mock that accepts `keys` and holds `store`.
    pub fn new(keys: impl IntoIterator<Item = String>, store: Store) -> Self {
        MockState {
            keys: keys.into_iter().collect(),
            store: Mutex::new(store),
        }
    }

    /// Runs `f` with the data locked; a panic elsewhere never locks the mock up.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        f(&mut self.store.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The key of a request, if it carries one this mock accepts.
    fn authorise(&self, headers: &HeaderMap) -> Result<String, Rejection> {
        let unauthorised = |message: &str| Rejection {
            status: StatusCode::UNAUTHORIZED,
            message: message.to_owned(),
        };
        let value = headers.get(header::AUTHORIZATION).ok_or_else(|| {
            unauthorised("missing Authorization header: send `Authorization: Bearer <API key>`")
        })?;
        let key = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                unauthorised("malformed Authorization header: expected `Bearer <API key>`")
            })?;
        if self.keys.contains(key) {
            Ok(key.to_owned())
        } else {
            Err(unauthorised("invalid API key"))
        }
    }

    /// The common path of every JSON endpoint: authorise, read, validate, then `op`.
    fn json_endpoint(
        &self,
        headers: &HeaderMap,
        body: Result<Bytes, BytesRejection>,
        schema: &str,
        op: impl FnOnce(&mut Store, &str, &Value) -> Result<Value, Rejection>,
    ) -> Response {
        let outcome = self.authorise(headers).and_then(|key| {
            let request = json_body(headers, body, schema)?;
            self.with_store(|store| op(store, &key, &request))
        });
        reply(outcome)
    }
}

/// The mock's routes, ready to serve or to call with `tower::ServiceExt::oneshot`.
pub fn router(state: Arc<MockState>) -> Router {
    let json_limit = DefaultBodyLimit::max(JSON_BODY_LIMIT);
    let path = |name: &str| format!("{BASE_PATH}/{name}");
    Router::new()
        .route(
            &path("createClassification"),
            post(create_classification).layer(json_limit),
        )
        .route(
            &path("viewClassification"),
            post(view_classification).layer(json_limit),
        )
        .route(
            &path("uploadFiles"),
            post(upload_files).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(&path("getResults"), post(get_results).layer(json_limit))
        .route(&path("deleteFiles"), delete(delete_files).layer(json_limit))
        .route(&path("deleteBatch"), delete(delete_batch).layer(json_limit))
        .route(
            &path("deleteClassification"),
            delete(delete_classification).layer(json_limit),
        )
        .fallback(unknown_path)
        .method_not_allowed_fallback(wrong_method)
        .with_state(state)
}

/// The `{"status":"error"}` reply for a refusal, or the vendor reply with 200.
fn reply(outcome: Result<Value, Rejection>) -> Response {
    match outcome {
        Ok(body) => (StatusCode::OK, Json(body)).into_response(),
        Err(rejection) => error_reply(rejection),
    }
}

/// The error shape of every refusal.
pub fn error_reply(rejection: Rejection) -> Response {
    (
        rejection.status,
        Json(json!({"status": "error", "message": rejection.message})),
    )
        .into_response()
}

fn json_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    schema: &str,
) -> Result<Value, Rejection> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err(Rejection::bad_request(format!(
            "Content-Type must be application/json, got {}",
            if content_type.is_empty() {
                "none"
            } else {
                "another type"
            }
        )));
    }
    let bytes = body.map_err(|e| Rejection {
        status: e.status(),
        message: format!("request body could not be read: {}", e.body_text()),
    })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Rejection::bad_request(
            "request body is empty: expected a JSON object",
        ));
    }
    let document: Value = serde_json::from_slice(&bytes)
        .map_err(|e| Rejection::bad_request(format!("malformed JSON: {e}")))?;
    let schemas = SchemaSet::global().map_err(|e| Rejection::bad_request(e.to_string()))?;
    let violations = schemas
        .check(schema, &document)
        .map_err(|e| Rejection::bad_request(e.to_string()))?;
    if violations.is_empty() {
        Ok(document)
    } else {
        let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
        Err(Rejection::bad_request(format!(
            "invalid request body: {}",
            listed.join("; ")
        )))
    }
}

/// A string field of an already validated body.
fn text<'a>(request: &'a Value, field: &str) -> &'a str {
    request[field].as_str().unwrap_or_default()
}

async fn create_classification(
    State(state): State<Arc<MockState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    state.json_endpoint(
        &headers,
        body,
        "create-classification.request",
        |store, key, request| {
            Ok(store.create_classification(key, request["classificationDetails"].clone()))
        },
    )
}

async fn view_classification(
    State(state): State<Arc<MockState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    state.json_endpoint(
        &headers,
        body,
        "view-classification.request",
        |store, key, request| store.view_classification(key, text(request, "classificationId")),
    )
}

async fn get_results(
    State(state): State<Arc<MockState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    state.json_endpoint(
        &headers,
        body,
        "get-results.request",
        |store, key, request| {
            store.results(
                key,
                text(request, "classificationId"),
                text(request, "batchId"),
                request["fileId"].as_str(),
            )
        },
    )
}

async fn delete_files(
    State(state): State<Arc<MockState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    state.json_endpoint(
        &headers,
        body,
        "delete-files.request",
        |store, key, request| {
            let file_ids: Vec<String> = request["fileIds"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            if file_ids.len() > MAX_FILE_IDS {
                return Err(Rejection::bad_request(format!(
                    "fileIds: at most {MAX_FILE_IDS} ids per request, got {}",
                    file_ids.len()
                )));
            }
            store.delete_files(
                key,
                text(request, "classificationId"),
                text(request, "batchId"),
                &file_ids,
            )
        },
    )
}

async fn delete_batch(
    State(state): State<Arc<MockState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    state.json_endpoint(
        &headers,
        body,
        "delete-batch.request",
        |store, key, request| {
            store.delete_batch(
                key,
                text(request, "classificationId"),
                text(request, "batchId"),
            )
        },
    )
}

async fn delete_classification(
    State(state): State<Arc<MockState>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    state.json_endpoint(
        &headers,
        body,
        "delete-classification.request",
        |store, key, request| store.delete_classification(key, text(request, "classificationId")),
    )
}

/// The form of an upload, read in full before anything is stored.
#[derive(Default)]
struct UploadForm {
    classification_id: Option<String>,
    batch_id: Option<String>,
    files: Vec<Upload>,
}

fn multipart_failure(error: &MultipartError) -> Rejection {
    Rejection {
        status: error.status(),
        message: format!("multipart body could not be read: {}", error.body_text()),
    }
}

async fn read_upload_form(mut multipart: Multipart) -> Result<UploadForm, Rejection> {
    let mut form = UploadForm::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_failure(&e))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "files" => {
                if form.files.len() == MAX_FILES_PER_UPLOAD {
                    return Err(Rejection::bad_request(format!(
                        "files: at most {MAX_FILES_PER_UPLOAD} files per upload"
                    )));
                }
                let file_name = field.file_name().unwrap_or("file").to_owned();
                let contents = field.bytes().await.map_err(|e| multipart_failure(&e))?;
                form.files.push(Upload {
                    file_name,
                    contents: contents.to_vec(),
                });
            }
            "classificationId" | "batchId" => {
                let value = field.text().await.map_err(|e| multipart_failure(&e))?;
                if value.trim().is_empty() {
                    return Err(Rejection::bad_request(format!("{name}: must not be empty")));
                }
                if name == "classificationId" {
                    form.classification_id = Some(value);
                } else {
                    form.batch_id = Some(value);
                }
            }
            _ => {}
        }
    }
    Ok(form)
}

async fn upload_files(
    State(state): State<Arc<MockState>>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let key = match state.authorise(&headers) {
        Ok(key) => key,
        Err(rejection) => return error_reply(rejection),
    };
    let multipart = match multipart {
        Ok(multipart) => multipart,
        Err(e) => {
            return error_reply(Rejection {
                status: e.status(),
                message: format!("expected a multipart/form-data body: {}", e.body_text()),
            });
        }
    };
    let form = match read_upload_form(multipart).await {
        Ok(form) => form,
        Err(rejection) => return error_reply(rejection),
    };
    let Some(classification_id) = form.classification_id else {
        return error_reply(Rejection::bad_request(
            "classificationId: required form field is missing",
        ));
    };
    reply(state.with_store(|store| {
        store.upload(
            &key,
            &classification_id,
            form.batch_id.as_deref(),
            form.files,
        )
    }))
}

async fn unknown_path(method: Method, uri: Uri) -> Response {
    error_reply(Rejection::not_found(format!(
        "no endpoint at {method} {}",
        uri.path()
    )))
}

async fn wrong_method(method: Method, uri: Uri) -> Response {
    error_reply(Rejection {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: format!("method {method} is not allowed on {}", uri.path()),
    })
}
