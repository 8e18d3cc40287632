//! The mock's HTTP surface: one axum handler per vendor endpoint.
//!
//! Every handler authorises first, then validates the body with the contract's schemas, then
//! asks the [`Store`]. Every refusal, including the ones axum's extractors produce, is answered
//! as `{"status":"error","message":...}` with `application/json`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, post};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde_json::{Value, json};

use super::state::{Rejection, Store, Upload};
use crate::schema::SchemaSet;

/// The path every endpoint lives under, below the host.
pub const BASE_PATH: &str = "/api/v1/documentClassification";
/// The largest JSON body accepted; larger ones get 413.
pub const JSON_BODY_LIMIT: usize = 1024 * 1024;
/// The largest multipart upload accepted; larger ones get 413.
pub const UPLOAD_BODY_LIMIT: usize = 20 * 1024 * 1024;
/// The most files one upload may carry (`maxItems` of `schemas/upload-files.request.json`).
pub const MAX_FILES_PER_UPLOAD: usize = 20;

/// How the mock behaves beyond the contract, for users testing their own clients.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Behaviour {
    /// Added before every answer.
    pub latency: Duration,
    /// The share of requests (0 to 1) answered 503, at random.
    pub fail_rate: f64,
    /// Serve `/__admin/faults` to inject a fixed status for the next N requests.
    pub admin: bool,
}

/// A status injected for the next `remaining` requests.
#[derive(Debug, Clone, Copy)]
struct Fault {
    status: StatusCode,
    remaining: u64,
}

/// What the handlers share: the accepted keys, the behaviour and the data.
#[derive(Debug)]
pub struct MockState {
    keys: HashSet<String>,
    behaviour: Behaviour,
    faults: Mutex<Option<Fault>>,
    store: Mutex<Store>,
}

impl MockState {
    /// A mock that accepts `keys` and holds `store`.
    pub fn new(keys: impl IntoIterator<Item = String>, store: Store) -> Self {
        MockState::with_behaviour(keys, store, Behaviour::default())
    }

    /// A mock that accepts `keys`, holds `store` and behaves as `behaviour` says.
    pub fn with_behaviour(
        keys: impl IntoIterator<Item = String>,
        store: Store,
        behaviour: Behaviour,
    ) -> Self {
        MockState {
            keys: keys.into_iter().collect(),
            behaviour,
            faults: Mutex::new(None),
            store: Mutex::new(store),
        }
    }

    /// The injected status this request gets, if any.
    fn take_fault(&self) -> Option<StatusCode> {
        let mut faults = self.faults.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(fault) = faults.as_mut() {
            fault.remaining -= 1;
            let status = fault.status;
            if fault.remaining == 0 {
                *faults = None;
            }
            return Some(status);
        }
        drop(faults);
        let rate = self.behaviour.fail_rate;
        (rate > 0.0 && fastrand::f64() < rate).then_some(StatusCode::SERVICE_UNAVAILABLE)
    }

    /// Runs `f` with the data locked; a panic elsewhere never locks the mock up.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        f(&mut self.store.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The key of a request, if it carries one this mock accepts.
    fn authorise<'h>(&self, headers: &'h HeaderMap) -> Result<&'h str, Rejection> {
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
            Ok(key)
        } else {
            Err(unauthorised("invalid API key"))
        }
    }

    /// The common path of every JSON endpoint: read the body, authorise, check the media type,
    /// validate, then `op`.
    async fn json_endpoint(
        &self,
        request: Request,
        schema: &str,
        op: impl FnOnce(&mut Store, &str, &Value) -> Result<Value, Rejection>,
    ) -> Response {
        let (parts, body) = request.into_parts();
        // Read before any refusal: a connection whose request body was left unread cannot
        // carry the client's next request, and clients would reconnect after every refusal.
        let body = read_json_body(body).await;
        let outcome = self.authorise(&parts.headers).and_then(|key| {
            json_media_type(&parts.headers)?;
            let document = parse_json_body(&body?, schema)?;
            self.with_store(|store| op(store, key, &document))
        });
        reply(outcome)
    }
}

/// The mock's routes, ready to serve or to call with `tower::ServiceExt::oneshot`.
pub fn router(state: Arc<MockState>) -> Router {
    let json_limit = DefaultBodyLimit::max(JSON_BODY_LIMIT);
    let path = |name: &str| format!("{BASE_PATH}/{name}");
    let mut router = Router::new();
    if state.behaviour.admin {
        router = router.route(
            ADMIN_FAULTS,
            post(set_faults).delete(clear_faults).layer(json_limit),
        );
    }
    router = router
        .route(&path("createClassification"), post(create_classification))
        .route(&path("viewClassification"), post(view_classification))
        .route(
            &path("uploadFiles"),
            post(upload_files).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(&path("getResults"), post(get_results))
        .route(&path("deleteFiles"), delete(delete_files))
        .route(&path("deleteBatch"), delete(delete_batch))
        .route(&path("deleteClassification"), delete(delete_classification))
        .fallback(unknown_path)
        .method_not_allowed_fallback(wrong_method);
    // The observing layer costs every request; add it only when it has work to do.
    let behaviour = &state.behaviour;
    let logging = tracing::enabled!(target: "extracta_contract::mock", tracing::Level::INFO);
    if logging || behaviour.admin || behaviour.fail_rate > 0.0 || !behaviour.latency.is_zero() {
        router = router.layer(middleware::from_fn_with_state(Arc::clone(&state), observe));
    }
    router.with_state(state)
}

/// The admin endpoint, served only when [`Behaviour::admin`] is set.
pub const ADMIN_FAULTS: &str = "/__admin/faults";

/// Adds latency and injected faults, and logs every request (without its key).
async fn observe(State(state): State<Arc<MockState>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let auth = match request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.as_bytes())
    {
        None => "none",
        Some(value) if value.starts_with(b"Bearer ") => "Bearer [REDACTED]",
        Some(_) => "other [REDACTED]",
    };
    let response = if path.starts_with("/__admin") {
        next.run(request).await
    } else {
        if !state.behaviour.latency.is_zero() {
            tokio::time::sleep(state.behaviour.latency).await;
        }
        match state.take_fault() {
            Some(status) => error_reply(Rejection {
                status,
                message: "injected fault".to_owned(),
            }),
            None => next.run(request).await,
        }
    };
    tracing::info!(
        target: "extracta_contract::mock",
        %method,
        path,
        status = response.status().as_u16(),
        micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        auth,
        "request"
    );
    response
}

async fn set_faults(
    State(state): State<Arc<MockState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let outcome = (|| {
        let bytes = body.map_err(|e| Rejection {
            status: e.status(),
            message: e.body_text(),
        })?;
        let document: Value = serde_json::from_slice(&bytes)
            .map_err(|e| Rejection::bad_request(format!("malformed JSON: {e}")))?;
        let status = document["status"]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .and_then(|s| StatusCode::from_u16(s).ok())
            .filter(|s| s.is_client_error() || s.is_server_error())
            .ok_or_else(|| {
                Rejection::bad_request("status: a number from 400 to 599 is required")
            })?;
        let count = document["count"]
            .as_u64()
            .filter(|c| *c >= 1)
            .ok_or_else(|| Rejection::bad_request("count: a number of at least 1 is required"))?;
        *state.faults.lock().unwrap_or_else(PoisonError::into_inner) = Some(Fault {
            status,
            remaining: count,
        });
        Ok(
            json!({"status": "success", "message": format!("the next {count} request(s) answer {}", status.as_u16())}),
        )
    })();
    reply(outcome)
}

async fn clear_faults(State(state): State<Arc<MockState>>) -> Response {
    *state.faults.lock().unwrap_or_else(PoisonError::into_inner) = None;
    reply(Ok(
        json!({"status": "success", "message": "no fault is injected"}),
    ))
}

/// The `{"status":"error"}` reply for a refusal, or the vendor reply with 200.
fn reply(outcome: Result<Value, Rejection>) -> Response {
    match outcome {
        Ok(body) => (StatusCode::OK, Json(body)).into_response(),
        Err(rejection) => error_reply(rejection),
    }
}

/// The `{status, message}` body of every refusal.
#[derive(serde::Serialize)]
struct StatusBody<'a> {
    status: &'a str,
    message: &'a str,
}

/// The error shape of every refusal.
pub fn error_reply(rejection: Rejection) -> Response {
    let body = StatusBody {
        status: "error",
        message: &rejection.message,
    };
    // Sized for the message, so the body is written without growing (axum's Json starts at 128).
    let mut bytes = Vec::with_capacity(rejection.message.len() + 32);
    match serde_json::to_writer(&mut bytes, &body) {
        Ok(()) => (
            rejection.status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(JSON))],
            bytes,
        )
            .into_response(),
        // Serialising two strings cannot fail; answer the status alone if it ever did.
        Err(_) => rejection.status.into_response(),
    }
}

/// The media type of every body the mock answers with.
const JSON: &str = "application/json";

/// Refuses a request whose Content-Type is not JSON.
fn json_media_type(headers: &HeaderMap) -> Result<(), Rejection> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if media_type.eq_ignore_ascii_case(JSON) {
        return Ok(());
    }
    let got: String = if media_type.is_empty() {
        "none".to_owned()
    } else {
        media_type.chars().take(100).collect()
    };
    Err(Rejection::bad_request(format!(
        "Content-Type must be application/json, got {got}"
    )))
}

/// Reads a JSON body of at most [`JSON_BODY_LIMIT`] bytes.
///
/// Read here rather than through axum's `Bytes` extractor and a `DefaultBodyLimit` layer on
/// each route: that layer costs several allocations on every request.
async fn read_json_body(body: Body) -> Result<Bytes, Rejection> {
    match Limited::new(body, JSON_BODY_LIMIT).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<LengthLimitError>() => Err(Rejection {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: format!("request body is larger than the limit of {JSON_BODY_LIMIT} bytes"),
        }),
        Err(error) => Err(Rejection::bad_request(format!(
            "request body could not be read: {error}"
        ))),
    }
}

/// Parses a body and checks it against the schema `schema`.
fn parse_json_body(bytes: &[u8], schema: &str) -> Result<Value, Rejection> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Rejection::bad_request(
            "request body is empty: expected a JSON object",
        ));
    }
    let document: Value = serde_json::from_slice(bytes)
        .map_err(|e| Rejection::bad_request(format!("malformed JSON: {e}")))?;
    let schemas = SchemaSet::global().map_err(|e| Rejection::bad_request(e.to_string()))?;
    // Empty, so nothing is allocated for a valid body.
    let mut message = String::new();
    let invalid = schemas
        .describe_violations(schema, &document, &mut message)
        .map_err(|e| Rejection::bad_request(e.to_string()))?;
    if invalid {
        message.insert_str(0, "invalid request body: ");
        Err(Rejection::bad_request(message))
    } else {
        Ok(document)
    }
}

/// A string field of an already validated body.
fn text<'a>(request: &'a Value, field: &str) -> &'a str {
    request[field].as_str().unwrap_or_default()
}

async fn create_classification(State(state): State<Arc<MockState>>, request: Request) -> Response {
    state
        .json_endpoint(
            request,
            "create-classification.request",
            |store, key, request| {
                Ok(store.create_classification(key, request["classificationDetails"].clone()))
            },
        )
        .await
}

async fn view_classification(State(state): State<Arc<MockState>>, request: Request) -> Response {
    state
        .json_endpoint(
            request,
            "view-classification.request",
            |store, key, request| store.view_classification(key, text(request, "classificationId")),
        )
        .await
}

async fn get_results(State(state): State<Arc<MockState>>, request: Request) -> Response {
    state
        .json_endpoint(request, "get-results.request", |store, key, request| {
            store.results(
                key,
                text(request, "classificationId"),
                text(request, "batchId"),
                request["fileId"].as_str(),
            )
        })
        .await
}

async fn delete_files(State(state): State<Arc<MockState>>, request: Request) -> Response {
    state
        .json_endpoint(request, "delete-files.request", |store, key, request| {
            let file_ids: Vec<&str> = request["fileIds"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            store.delete_files(
                key,
                text(request, "classificationId"),
                text(request, "batchId"),
                &file_ids,
            )
        })
        .await
}

async fn delete_batch(State(state): State<Arc<MockState>>, request: Request) -> Response {
    state
        .json_endpoint(request, "delete-batch.request", |store, key, request| {
            store.delete_batch(
                key,
                text(request, "classificationId"),
                text(request, "batchId"),
            )
        })
        .await
}

async fn delete_classification(State(state): State<Arc<MockState>>, request: Request) -> Response {
    state
        .json_endpoint(
            request,
            "delete-classification.request",
            |store, key, request| {
                store.delete_classification(key, text(request, "classificationId"))
            },
        )
        .await
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
            other => {
                let shown: String = other.chars().take(60).collect();
                return Err(Rejection::bad_request(format!(
                    "unknown form field `{shown}`: expected classificationId, batchId and files"
                )));
            }
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
        Ok(key) => key.to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    const KEY: &str = "k1";

    fn app() -> (Router, Arc<MockState>) {
        let state = Arc::new(MockState::new(
            ["k1".to_owned(), "k2".to_owned()],
            Store::default(),
        ));
        (router(Arc::clone(&state)), state)
    }

    async fn call(
        app: &Router,
        method: &str,
        name: &str,
        key: Option<&str>,
        content_type: Option<&str>,
        body: impl Into<Body>,
    ) -> (StatusCode, Option<String>, Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("{BASE_PATH}/{name}"));
        if let Some(key) = key {
            request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
        }
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        let request = request.body(body.into()).unwrap_or_else(|e| panic!("{e}"));
        let response = app
            .clone()
            .oneshot(request)
            .await
            .unwrap_or_else(|e| match e {});
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        (
            status,
            content_type,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn json_call(
        app: &Router,
        method: &str,
        name: &str,
        key: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let (status, _, body) = call(
            app,
            method,
            name,
            Some(key),
            Some("application/json"),
            body.to_string(),
        )
        .await;
        (status, body)
    }

    /// A classification with one batch of two files, for `key`.
    async fn seeded(app: &Router, key: &str) -> (String, String, Vec<String>) {
        let details = json!({"classificationDetails": {"name": "n", "documentTypes": [{"name": "Invoice", "description": "", "uniqueWords": ["invoice"]}]}});
        let (_, created) = json_call(app, "POST", "createClassification", key, details).await;
        let cls = created["classificationId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let boundary = "XyZ";
        let mut form = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"classificationId\"\r\n\r\n{cls}\r\n"
        );
        for n in 0..2 {
            form.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"f{n}.pdf\"\r\nContent-Type: application/pdf\r\n\r\nINVOICE {n}\r\n"));
        }
        form.push_str(&format!("--{boundary}--\r\n"));
        let (status, _, uploaded) = call(
            app,
            "POST",
            "uploadFiles",
            Some(key),
            Some(&format!("multipart/form-data; boundary={boundary}")),
            form,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{uploaded}");
        let batch = uploaded["batchId"].as_str().unwrap_or_default().to_owned();
        let files = uploaded["files"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["fileId"].as_str())
            .map(str::to_owned)
            .collect();
        (cls, batch, files)
    }

    #[tokio::test]
    async fn a_delete_of_known_files_answers_the_documented_reply() {
        let (app, state) = app();
        let (cls, batch, files) = seeded(&app, KEY).await;
        let (status, body) = json_call(
            &app,
            "DELETE",
            "deleteFiles",
            KEY,
            json!({"classificationId": cls, "batchId": batch, "fileIds": [files[0]]}),
        )
        .await;
        assert_eq!(
            (status, body),
            (
                StatusCode::OK,
                json!({"status": "success", "message": "Files deleted"})
            )
        );
        assert_eq!(state.with_store(|s| s.file_count(KEY)), 1);
    }

    #[tokio::test]
    async fn a_missing_field_is_a_400_naming_the_field() {
        let (app, _) = app();
        let (status, body) = json_call(
            &app,
            "DELETE",
            "deleteFiles",
            KEY,
            json!({"classificationId": "c", "fileIds": []}),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["status"], "error");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("\"batchId\" is a required property")),
            "{body}"
        );
    }

    #[tokio::test]
    async fn another_key_gets_a_404_and_deletes_nothing() {
        let (app, state) = app();
        let (cls, batch, files) = seeded(&app, KEY).await;
        let (status, _) = json_call(
            &app,
            "DELETE",
            "deleteFiles",
            "k2",
            json!({"classificationId": cls, "batchId": batch, "fileIds": files}),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = json_call(
            &app,
            "POST",
            "getResults",
            "k2",
            json!({"classificationId": cls, "batchId": batch}),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(state.with_store(|s| s.file_count(KEY)), 2);
    }

    #[tokio::test]
    async fn an_oversized_body_is_a_413() {
        let (app, _) = app();
        let body = vec![b' '; JSON_BODY_LIMIT + 1];
        let (status, _, body) = call(
            &app,
            "DELETE",
            "deleteFiles",
            Some(KEY),
            Some("application/json"),
            body,
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    }

    #[tokio::test]
    async fn an_upload_without_files_is_refused() {
        let (app, state) = app();
        let (cls, _, _) = seeded(&app, KEY).await;
        let form = format!(
            "--B\r\nContent-Disposition: form-data; name=\"classificationId\"\r\n\r\n{cls}\r\n--B--\r\n"
        );
        let (status, _, body) = call(
            &app,
            "POST",
            "uploadFiles",
            Some(KEY),
            Some("multipart/form-data; boundary=B"),
            form,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(state.with_store(|s| s.file_count(KEY)), 2);
    }
}
