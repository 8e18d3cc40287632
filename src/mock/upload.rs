//! uploadFiles: a multipart form read as it arrives, each file classified chunk by chunk and
//! never kept, with no lock held meanwhile; the store sees only names and guesses.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::classify::{Classifier, Guess, Kept, Prepared};
use super::extract::{self, closing, content_length, refuse};
use super::handling::{self, UploadedFile, prelude};
use super::reply::Rejection;
use super::state::MockState;
use super::store::{NewFile, Refusal};
use crate::contract::endpoint::Endpoint;

/// The form, as far as it was read.
#[derive(Default)]
struct Form {
    classification_id: Option<String>,
    batch_id: Option<String>,
    /// The classification's words, ready, once `classificationId` came.
    classifier: Option<Arc<Prepared>>,
    /// The files, in the order sent.
    files: Vec<FormFile>,
}

/// A file of the form.
enum FormFile {
    /// Classified as it arrived.
    Classified(NewFile),
    /// Came before `classificationId`: kept until it is known.
    Waiting(String, Vec<Bytes>),
}

/// A multipart failure as a refusal: never a 5xx, whatever the body did (a body shorter than
/// its declared length is the client's fault).
fn multipart_failure(error: &MultipartError) -> Rejection {
    let status = error.status();
    Rejection::BadForm {
        status: if status.is_server_error() {
            StatusCode::BAD_REQUEST
        } else {
            status
        },
        reason: format!("multipart body could not be read: {}", error.body_text()),
    }
}

/// Reads a text field of at most `limit` bytes.
async fn read_text(
    field: &mut Field<'_>,
    name: &'static str,
    limit: usize,
) -> Result<String, Rejection> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| multipart_failure(&e))? {
        if bytes.len() + chunk.len() > limit {
            return Err(Rejection::TooLarge { limit });
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| Rejection::BadForm {
        status: StatusCode::BAD_REQUEST,
        reason: format!("{name}: the form field is not UTF-8"),
    })
}

/// The classifier of a classification's details, its automaton built: the one the
/// classification keeps, else built now and kept. From large details it is built on the
/// blocking pool, so that the runtime's workers go on serving other requests.
async fn prepared((details, kept): (Arc<str>, Kept)) -> Arc<Prepared> {
    if let Some(prepared) = kept.get() {
        return prepared;
    }
    let build = |details: &str| Arc::new(Classifier::from_details(details)).prepare();
    if details.len() < 64 * 1024 {
        return kept.keep(build(&details));
    }
    let text = Arc::clone(&details);
    let built = tokio::task::spawn_blocking(move || build(&text))
        .await
        .unwrap_or_else(|_| build(&details));
    kept.keep(built)
}

/// Feeds chunks to a matcher, letting other tasks run between them.
async fn classify_chunks(classifier: &Arc<Prepared>, chunks: Vec<Bytes>) -> Guess {
    let mut matcher = classifier.matcher();
    for chunk in chunks {
        matcher.feed(&chunk);
        tokio::task::consume_budget().await;
    }
    matcher.finish()
}

async fn read_form(
    state: &MockState,
    key: &str,
    mut multipart: Multipart,
) -> Result<Form, Rejection> {
    let limits = state.limits();
    let mut form = Form::default();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_failure(&e))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "files" => {
                if form.files.len() >= limits.max_files_per_upload {
                    return Err(Rejection::TooManyFiles {
                        max: limits.max_files_per_upload,
                    });
                }
                let file_name = field.file_name().unwrap_or("file").to_owned();
                if let Some(classifier) = &form.classifier {
                    let mut matcher = classifier.matcher();
                    while let Some(chunk) =
                        field.chunk().await.map_err(|e| multipart_failure(&e))?
                    {
                        matcher.feed(&chunk);
                        tokio::task::consume_budget().await;
                    }
                    form.files.push(FormFile::Classified(NewFile {
                        file_name,
                        guess: matcher.finish(),
                    }));
                } else {
                    let mut chunks = Vec::new();
                    while let Some(chunk) =
                        field.chunk().await.map_err(|e| multipart_failure(&e))?
                    {
                        chunks.push(chunk);
                    }
                    form.files.push(FormFile::Waiting(file_name, chunks));
                }
            }
            "classificationId" => {
                let value = read_text(&mut field, "classificationId", limits.max_json_body).await?;
                if value.is_empty() {
                    return Err(Rejection::EmptyFormField { name });
                }
                if form.classification_id.is_some() {
                    return Err(Rejection::RepeatedFormField {
                        name: "classificationId",
                    });
                }
                // Unknown: refused now, before the files are read.
                form.classifier = Some(prepared(state.store().details(key, &value)?).await);
                form.classification_id = Some(value);
            }
            "batchId" => {
                let value = read_text(&mut field, "batchId", limits.max_json_body).await?;
                if value.is_empty() {
                    return Err(Rejection::EmptyFormField { name });
                }
                if form.batch_id.is_some() {
                    return Err(Rejection::RepeatedFormField { name: "batchId" });
                }
                form.batch_id = Some(value);
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

/// Whether the request says it carries a multipart form with its boundary.
fn is_form(headers: &axum::http::HeaderMap) -> bool {
    let Some(content_type) = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut parts = content_type.split(';');
    let media_type = parts.next().unwrap_or_default().trim();
    media_type.eq_ignore_ascii_case("multipart/form-data")
        && parts.any(|p| {
            p.trim().split_once('=').is_some_and(|(name, value)| {
                name.trim().eq_ignore_ascii_case("boundary") && !value.trim().is_empty()
            })
        })
}

/// The uploadFiles handler.
pub async fn upload_files(State(state): State<Arc<MockState>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let limits = state.limits();
    if let Some(answer) = prelude(&state, Endpoint::UploadFiles).await {
        return refuse(answer, &parts.headers, body, limits).await;
    }
    let refusal = |rejection: Rejection, fields: Option<&serde_json::Value>| {
        state.refusal(Some(Endpoint::UploadFiles), &rejection, fields)
    };
    let key = match extract::authorise(&parts.headers, |k| state.accepts(k)) {
        Ok(key) => key.to_owned(),
        Err(rejection) => {
            return refuse(refusal(rejection, None), &parts.headers, body, limits).await;
        }
    };
    if content_length(&parts.headers).is_some_and(|n| n > limits.max_upload_body as u64) {
        return closing(refusal(
            Rejection::TooLarge {
                limit: limits.max_upload_body,
            },
            None,
        ));
    }
    if !is_form(&parts.headers) {
        let rejection = Rejection::BadForm {
            status: StatusCode::BAD_REQUEST,
            reason: "expected a multipart/form-data body with a boundary".to_owned(),
        };
        return refuse(refusal(rejection, None), &parts.headers, body, limits).await;
    }
    let request = Request::from_parts(parts, body);
    let multipart = match Multipart::from_request(request, &state).await {
        Ok(multipart) => multipart,
        Err(e) => {
            return closing(refusal(
                Rejection::BadForm {
                    status: e.status(),
                    reason: format!("expected a multipart/form-data body: {}", e.body_text()),
                },
                None,
            ));
        }
    };
    let outcome = tokio::time::timeout(limits.body_timeout, upload(&state, &key, multipart)).await;
    let mut response = match outcome {
        Ok(Ok(response)) => response,
        // The form may be read only in part: this connection cannot carry another request.
        Ok(Err((rejection, fields))) => closing(refusal(rejection, fields.as_ref())),
        Err(_) => closing(refusal(
            Rejection::BodyTimeout {
                timeout: limits.body_timeout,
            },
            None,
        )),
    };
    if let Some(seen) = handling::noted(&state, &key, b"") {
        response.extensions_mut().insert(seen);
    }
    response
}

/// A refusal of an upload, with the form's text fields when they were read (a vendor's
/// message may name them).
type Refused = (Rejection, Option<serde_json::Value>);

async fn upload(state: &MockState, key: &str, multipart: Multipart) -> Result<Response, Refused> {
    let mut form = read_form(state, key, multipart)
        .await
        .map_err(|r| (r, None))?;
    let fields = serde_json::json!({
        "classificationId": form.classification_id,
        "batchId": form.batch_id,
    });
    let refused = |rejection: Rejection| (rejection, Some(fields.clone()));
    let classification_id = form.classification_id.take().ok_or_else(|| {
        refused(Rejection::MissingFormField {
            name: "classificationId",
        })
    })?;
    if form.files.is_empty() {
        return Err(refused(Refusal::NoFiles.into()));
    }
    let classifier = match form.classifier.take() {
        Some(classifier) => classifier,
        None => {
            prepared(
                state
                    .store()
                    .details(key, &classification_id)
                    .map_err(|r| refused(r.into()))?,
            )
            .await
        }
    };
    let mut files = Vec::with_capacity(form.files.len());
    for file in form.files {
        files.push(match file {
            FormFile::Classified(file) => file,
            FormFile::Waiting(file_name, chunks) => NewFile {
                file_name,
                guess: classify_chunks(&classifier, chunks).await,
            },
        });
    }
    let uploaded = state
        .store()
        .upload(key, &classification_id, form.batch_id.as_deref(), files)
        .map_err(|r| refused(r.into()))?;
    Ok(state.success(
        Endpoint::UploadFiles,
        &UploadReply {
            status: "success",
            classification_id: &classification_id,
            batch_id: &uploaded.batch_id,
            files: uploaded.files.into_iter().map(UploadedFile::from).collect(),
        },
    ))
}
