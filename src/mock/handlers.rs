//! The mock's HTTP surface: the route table, read from the endpoint catalogue, and one
//! handler per vendor endpoint.
//!
//! Every handler counts the request, applies the faults in force, and checks the key before
//! it reads a byte of the body; a JSON handler then checks the media type, reads the body
//! under its limits, validates it, and asks the [`Store`](super::store::Store). Every refusal
//! is a [`Rejection`]; a refusal before the body is read goes through [`refuse`].

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter, on, post};
use serde::Serialize;
use serde_json::Value;

use super::admin;
use super::body::Checked;
use super::extract::{self, closing, json_media_type, parse_json_body, read_json_body, refuse};
use super::handling::{self, FileResult, prelude};
use super::observe;
use super::reply::{Rejection, Success};
use super::state::MockState;
use super::store::{Refusal, Results};
use super::upload;
use crate::contract::endpoint::{API_ROOT, Endpoint};

/// The mock's routes, ready to serve or to call with `tower::ServiceExt::oneshot`.
pub fn router(state: Arc<MockState>) -> Router {
    let mut router = Router::new();
    if state.conditions().admin {
        let limit = DefaultBodyLimit::max(state.limits().max_json_body);
        router = router
            .route(
                admin::FAULTS,
                post(admin::set_faults)
                    .delete(admin::clear_faults)
                    .get(admin::list_faults)
                    .layer(limit),
            )
            .route(
                admin::REQUESTS,
                axum::routing::get(admin::list_requests).delete(admin::clear_requests),
            );
    }
    for endpoint in Endpoint::ALL {
        router = router.route(
            &format!("{API_ROOT}{}", endpoint.path()),
            route(endpoint, &state),
        );
    }
    router = router
        .fallback(unknown_path)
        .method_not_allowed_fallback(wrong_method);
    // The observing layer costs every request; add it only when it has work to do.
    let logging = tracing::enabled!(target: "extracta_contract::mock", tracing::Level::INFO);
    if logging || state.recording() {
        router = router.layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            observe::observe,
        ));
    }
    router.with_state(state)
}

/// The handler of `endpoint`, under the catalogue's method.
fn route(endpoint: Endpoint, state: &MockState) -> MethodRouter<Arc<MockState>> {
    let filter = MethodFilter::try_from(endpoint.method()).unwrap_or(MethodFilter::POST);
    match endpoint {
        Endpoint::CreateClassification => on(filter, create_classification),
        Endpoint::ViewClassification => on(filter, view_classification),
        Endpoint::UploadFiles => on(filter, upload::upload_files)
            .layer(DefaultBodyLimit::max(state.limits().max_upload_body)),
        Endpoint::GetResults => on(filter, get_results),
        Endpoint::DeleteFiles => on(filter, delete_files),
        Endpoint::DeleteBatch => on(filter, delete_batch),
        Endpoint::DeleteClassification => on(filter, delete_classification),
    }
}

/// The `{"status": "success", "message": ...}` reply of `endpoint`, as the vendor words it
/// when the mock answers like one.
fn succeeded(state: &MockState, endpoint: Endpoint, message: &str) -> Response {
    state.success(endpoint, &Success::new(message))
}

/// The common path of every JSON endpoint: count, faults, key, media type, body, schema,
/// then `op` with the key and the document.
async fn json_endpoint(
    state: &MockState,
    request: Request,
    endpoint: Endpoint,
    op: impl FnOnce(&str, &Checked<'_>) -> Result<Response, Rejection>,
) -> Response {
    let (parts, body) = request.into_parts();
    let limits = state.limits();
    if let Some(answer) = prelude(state, endpoint).await {
        return refuse(answer, &parts.headers, body, limits).await;
    }
    // The key is checked before a byte of the body is read: a client without one gets its
    // answer at once, and holds no memory while it sends (or never sends) its body.
    let refusal = |rejection: Rejection, document: Option<&Value>| {
        state.refusal(Some(endpoint), &rejection, document)
    };
    let key = match extract::authorise(&parts.headers, |k| state.accepts(k)) {
        Ok(key) => key,
        Err(rejection) => {
            return refuse(refusal(rejection, None), &parts.headers, body, limits).await;
        }
    };
    if let Err(rejection) = json_media_type(&parts.headers) {
        return refuse(refusal(rejection, None), &parts.headers, body, limits).await;
    }
    let bytes = match read_json_body(body, &parts.headers, limits).await {
        Ok(bytes) => bytes,
        // Part of the body may be left unread: this connection cannot carry another request.
        Err(rejection) => return closing(refusal(rejection, None)),
    };
    let schema = endpoint.request_schema();
    let parsed = parse_json_body(&bytes, schema, state.validators(), state.keeps_situations())
        .or_else(|rejection| {
            state
                .accepted_anyway(endpoint, rejection, &bytes)
                .map(Checked::Document)
        });
    let mut response = match parsed {
        Ok(checked) => match op(key, &checked) {
            Ok(response) => response,
            Err(rejection) => {
                // A body the typed pass read has no document: parse one only for a vendor
                // profile, whose learned messages quote the request.
                let parsed: Option<Value> = match checked.document() {
                    None if state.profile().is_some() => serde_json::from_slice(&bytes).ok(),
                    _ => None,
                };
                refusal(rejection, checked.document().or(parsed.as_ref()))
            }
        },
        Err(rejection) => refusal(rejection, None),
    };
    if let Some(seen) = handling::noted(state, key, &bytes) {
        response.extensions_mut().insert(seen);
    }
    response
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
            let details = request
                .document()
                .map_or(&Value::Null, |document| &document["classificationDetails"]);
            let created = state.store().create_classification(key, details)?;
            Ok(state.success(
                Endpoint::CreateClassification,
                &CreatedReply {
                    status: "created",
                    created_at: created.created_at,
                    classification_id: &created.classification_id,
                },
            ))
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
            let id = request.text("classificationId");
            let view = state.store().view_classification(key, id)?;
            let mut details = view.details;
            if let Some(map) = details.as_object_mut() {
                map.insert("createdAt".to_owned(), Value::from(view.created_at));
            }
            Ok(state.success(
                Endpoint::ViewClassification,
                &ViewReply {
                    status: "success",
                    classification_id: id,
                    classification_details: details,
                },
            ))
        },
    )
    .await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultsReply<'a> {
    status: &'static str,
    classification_id: &'a str,
    batch_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<Vec<FileResult>>,
}

async fn get_results(State(state): State<Arc<MockState>>, request: Request) -> Response {
    json_endpoint(&state, request, Endpoint::GetResults, |key, request| {
        let (classification_id, batch_id) =
            (request.text("classificationId"), request.text("batchId"));
        let (file_id, unknown_is_empty) = state.results_file_id(request.get("fileId"));
        let results = match state
            .store()
            .results(key, classification_id, batch_id, file_id)
        {
            Err(Refusal::UnknownFile { .. }) if unknown_is_empty => Results::Ready(Vec::new()),
            results => results?,
        };
        // While a batch processes, the vendor answers `waiting` and no files.
        let (status, files) = match results {
            Results::Waiting => ("waiting", None),
            Results::Ready(files) => (
                "success",
                Some(files.into_iter().map(FileResult::from).collect()),
            ),
        };
        Ok(state.success(
            Endpoint::GetResults,
            &ResultsReply {
                status,
                classification_id,
                batch_id,
                files,
            },
        ))
    })
    .await
}

async fn delete_files(State(state): State<Arc<MockState>>, request: Request) -> Response {
    json_endpoint(&state, request, Endpoint::DeleteFiles, |key, request| {
        let file_ids = request.file_ids();
        state.store().delete_files(
            key,
            request.text("classificationId"),
            request.text("batchId"),
            &file_ids,
            state.delete_rules(),
        )?;
        Ok(succeeded(&state, Endpoint::DeleteFiles, "Files deleted"))
    })
    .await
}

async fn delete_batch(State(state): State<Arc<MockState>>, request: Request) -> Response {
    json_endpoint(&state, request, Endpoint::DeleteBatch, |key, request| {
        state.store().delete_batch(
            key,
            request.text("classificationId"),
            request.text("batchId"),
        )?;
        Ok(succeeded(&state, Endpoint::DeleteBatch, "Batch deleted"))
    })
    .await
}

async fn delete_classification(State(state): State<Arc<MockState>>, request: Request) -> Response {
    json_endpoint(
        &state,
        request,
        Endpoint::DeleteClassification,
        |key, request| {
            state
                .store()
                .delete_classification(key, request.text("classificationId"))?;
            Ok(succeeded(
                &state,
                Endpoint::DeleteClassification,
                "Classification deleted",
            ))
        },
    )
    .await
}

async fn unknown_path(State(state): State<Arc<MockState>>, request: Request) -> Response {
    no_endpoint(&state, request, false).await
}

async fn wrong_method(State(state): State<Arc<MockState>>, request: Request) -> Response {
    no_endpoint(&state, request, true).await
}

/// 404 or 405, the body left unread.
async fn no_endpoint(state: &MockState, request: Request, wrong_method: bool) -> Response {
    let (parts, body) = request.into_parts();
    let (method, path) = (parts.method.to_string(), parts.uri.path().to_owned());
    let rejection = if wrong_method {
        Rejection::WrongMethod { method, path }
    } else {
        Rejection::UnknownPath { method, path }
    };
    refuse(
        state.refusal(None, &rejection, None),
        &parts.headers,
        body,
        state.limits(),
    )
    .await
}
