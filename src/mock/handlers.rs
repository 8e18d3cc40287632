//! The mock's HTTP surface: the route table, read from the endpoint catalogue, and one
//! handler per vendor endpoint.
//!
//! Every JSON handler reads the body, authorises, checks the media type and the schema, then
//! asks the [`Store`](super::store::Store); the reply takes the vendor's shape. Every refusal,
//! including the ones axum's extractors produce, is a [`Rejection`].

use std::sync::Arc;

use axum::Router;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on, post};
use serde::Serialize;
use serde_json::Value;

use super::extract::{
    self, MAX_FILES_PER_UPLOAD, Rejection, UPLOAD_BODY_LIMIT, json_media_type, parse_json_body,
    read_json_body,
};
use super::faults::{self, ADMIN_FAULTS};
use super::observe;
use super::state::MockState;
use super::store::{Refusal, StoredFile, Upload, classify};
use crate::contract::endpoint::{API_ROOT, Endpoint};

/// The mock's routes, ready to serve or to call with `tower::ServiceExt::oneshot`.
pub fn router(state: Arc<MockState>) -> Router {
    let mut router = Router::new();
    if state.behaviour().admin {
        router = router.route(
            ADMIN_FAULTS,
            post(faults::set_faults)
                .delete(faults::clear_faults)
                .layer(DefaultBodyLimit::max(extract::JSON_BODY_LIMIT)),
        );
    }
    for endpoint in Endpoint::ALL {
        router = router.route(&format!("{API_ROOT}{}", endpoint.path()), route(endpoint));
    }
    router = router
        .fallback(unknown_path)
        .method_not_allowed_fallback(wrong_method);
    // The observing layer costs every request; add it only when it has work to do.
    let logging = tracing::enabled!(target: "extracta_contract::mock", tracing::Level::INFO);
    if logging || state.behaviour().is_active() {
        router = router.layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            observe::observe,
        ));
    }
    router.with_state(state)
}

/// The handler of `endpoint`, under the catalogue's method.
fn route(endpoint: Endpoint) -> MethodRouter<Arc<MockState>> {
    let filter = MethodFilter::try_from(endpoint.method()).unwrap_or(MethodFilter::POST);
    match endpoint {
        Endpoint::CreateClassification => on(filter, create_classification),
        Endpoint::ViewClassification => on(filter, view_classification),
        Endpoint::UploadFiles => {
            on(filter, upload_files).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))
        }
        Endpoint::GetResults => on(filter, get_results),
        Endpoint::DeleteFiles => on(filter, delete_files),
        Endpoint::DeleteBatch => on(filter, delete_batch),
        Endpoint::DeleteClassification => on(filter, delete_classification),
    }
}

/// A 200 with `body` as JSON.
fn ok(body: &impl Serialize) -> Response {
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// The `{"status": "success", "message": ...}` reply.
pub fn success(message: &str) -> Response {
    #[derive(Serialize)]
    struct Success<'a> {
        status: &'static str,
        message: &'a str,
    }
    ok(&Success {
        status: "success",
        message,
    })
}

fn reply(outcome: Result<Response, Rejection>) -> Response {
    outcome.unwrap_or_else(IntoResponse::into_response)
}

/// The common path of every JSON endpoint: read the body, authorise, check the media type,
/// validate, then `op` with the key and the document.
async fn json_endpoint(
    state: &MockState,
    request: Request,
    endpoint: Endpoint,
    op: impl FnOnce(&str, &Value) -> Result<Response, Rejection>,
) -> Response {
    let (parts, body) = request.into_parts();
    // Read before any refusal: a connection whose request body was left unread cannot
    // carry the client's next request, and clients would reconnect after every refusal.
    let body = read_json_body(body).await;
    reply(
        extract::authorise(&parts.headers, |k| state.accepts(k)).and_then(|key| {
            json_media_type(&parts.headers)?;
            let document = parse_json_body(&body?, endpoint.request_schema())?;
            op(key, &document)
        }),
    )
}

/// A string field of an already validated body.
fn text<'a>(request: &'a Value, field: &str) -> &'a str {
    request[field].as_str().unwrap_or_default()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreatedReply<'a> {
    status: &'static str,
    created_at: u64,
    classification_id: &'a str,
}

async fn create_classification(State(state): State<Arc<MockState>>, request: Request) -> Response {
    json_endpoint(
        &state,
        request,
        Endpoint::CreateClassification,
        |key, request| {
            let created = state.with_store(|store| {
                store.create_classification(key, request["classificationDetails"].clone())
            });
            Ok(ok(&CreatedReply {
                status: "created",
                created_at: created.created_at,
                classification_id: &created.classification_id,
            }))
        },
    )
    .await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ViewReply<'a> {
    status: &'static str,
    classification_id: &'a str,
    classification_details: Value,
}

async fn view_classification(State(state): State<Arc<MockState>>, request: Request) -> Response {
    json_endpoint(
        &state,
        request,
        Endpoint::ViewClassification,
        |key, request| {
            let id = text(request, "classificationId");
            let view = state.with_store(|store| store.view_classification(key, id))?;
            let mut details = view.details;
            if let Some(map) = details.as_object_mut() {
                map.insert("createdAt".to_owned(), Value::from(view.created_at));
            }
            Ok(ok(&ViewReply {
                status: "success",
                classification_id: id,
                classification_details: details,
            }))
        },
    )
    .await
}

/// A file's `url` in replies.
fn file_url(file_id: &str) -> String {
    format!("https://files.mock.invalid/{file_id}")
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultsReply<'a> {
    status: &'static str,
    classification_id: &'a str,
    batch_id: &'a str,
    files: Vec<FileResult>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileResult {
    file_id: String,
    file_name: String,
    status: &'static str,
    result: Classified,
    url: String,
}

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
                document_type: file.document_type,
                confidence: file.confidence,
            },
        }
    }
}

async fn get_results(State(state): State<Arc<MockState>>, request: Request) -> Response {
    json_endpoint(&state, request, Endpoint::GetResults, |key, request| {
        let (classification_id, batch_id) =
            (text(request, "classificationId"), text(request, "batchId"));
        let files = state.with_store(|store| {
            store.results(key, classification_id, batch_id, request["fileId"].as_str())
        })?;
        Ok(ok(&ResultsReply {
            status: "success",
            classification_id,
            batch_id,
            files: files.into_iter().map(FileResult::from).collect(),
        }))
    })
    .await
}

async fn delete_files(State(state): State<Arc<MockState>>, request: Request) -> Response {
    json_endpoint(&state, request, Endpoint::DeleteFiles, |key, request| {
        let file_ids: Vec<&str> = request["fileIds"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        state.with_store(|store| {
            store.delete_files(
                key,
                text(request, "classificationId"),
                text(request, "batchId"),
                &file_ids,
            )
        })?;
        Ok(success("Files deleted"))
    })
    .await
}

async fn delete_batch(State(state): State<Arc<MockState>>, request: Request) -> Response {
    json_endpoint(&state, request, Endpoint::DeleteBatch, |key, request| {
        state.with_store(|store| {
            store.delete_batch(
                key,
                text(request, "classificationId"),
                text(request, "batchId"),
            )
        })?;
        Ok(success("Batch deleted"))
    })
    .await
}

async fn delete_classification(State(state): State<Arc<MockState>>, request: Request) -> Response {
    json_endpoint(
        &state,
        request,
        Endpoint::DeleteClassification,
        |key, request| {
            state.with_store(|store| {
                store.delete_classification(key, text(request, "classificationId"))
            })?;
            Ok(success("Classification deleted"))
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
    Rejection::BadForm {
        status: error.status(),
        reason: format!("multipart body could not be read: {}", error.body_text()),
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
                    return Err(Rejection::TooManyFiles {
                        max: MAX_FILES_PER_UPLOAD,
                    });
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
                    return Err(Rejection::EmptyFormField { name });
                }
                if name == "classificationId" {
                    form.classification_id = Some(value);
                } else {
                    form.batch_id = Some(value);
                }
            }
            other => {
                return Err(Rejection::UnknownFormField {
                    name: other.chars().take(60).collect(),
                });
            }
        }
    }
    Ok(form)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UploadReply<'a> {
    status: &'static str,
    classification_id: &'a str,
    batch_id: &'a str,
    files: Vec<UploadedFile>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UploadedFile {
    file_id: String,
    file_name: String,
    number_of_pages: u32,
    url: String,
}

async fn upload_files(
    State(state): State<Arc<MockState>>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    reply(upload(&state, &headers, multipart).await)
}

async fn upload(
    state: &MockState,
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, Rejection> {
    let key = extract::authorise(headers, |k| state.accepts(k))?.to_owned();
    let multipart = multipart.map_err(|e| Rejection::BadForm {
        status: e.status(),
        reason: format!("expected a multipart/form-data body: {}", e.body_text()),
    })?;
    let form = read_upload_form(multipart).await?;
    let classification_id = form.classification_id.ok_or(Rejection::MissingFormField {
        name: "classificationId",
    })?;
    if form.files.is_empty() {
        return Err(Refusal::NoFiles.into());
    }
    let uploaded = state.with_store(|store| {
        let document_types = store.document_types(&key, &classification_id)?;
        let classified = form
            .files
            .into_iter()
            .map(|upload| {
                let (document_type, confidence) = classify(&upload.contents, &document_types);
                (upload.file_name, document_type, confidence)
            })
            .collect();
        store.upload(
            &key,
            &classification_id,
            form.batch_id.as_deref(),
            classified,
        )
    })?;
    Ok(ok(&UploadReply {
        status: "success",
        classification_id: &classification_id,
        batch_id: &uploaded.batch_id,
        files: uploaded
            .files
            .into_iter()
            .map(|f| UploadedFile {
                url: file_url(&f.file_id),
                file_id: f.file_id,
                file_name: f.file_name,
                number_of_pages: 1,
            })
            .collect(),
    }))
}

async fn unknown_path(method: Method, uri: Uri) -> Response {
    Rejection::UnknownPath {
        method: method.to_string(),
        path: uri.path().to_owned(),
    }
    .into_response()
}

async fn wrong_method(method: Method, uri: Uri) -> Response {
    Rejection::WrongMethod {
        method: method.to_string(),
        path: uri.path().to_owned(),
    }
    .into_response()
}
