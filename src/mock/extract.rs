//! What every request passes before a handler sees it, and what every refusal looks like:
//! the key, the media type, the body limits, the schema check, the
//! `{"status":"error","message":...}` reply, and how a refused request's body is dealt with.

use std::fmt;
use std::future::Future;
use std::task::Poll;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde_json::Value;

use super::limits::Limits;
use super::state::MockState;
use super::store::Refusal;

/// The media type of every body the mock answers with.
pub const JSON: &str = "application/json";

/// Why the mock refused a request. Each has the status the mock answers with and the message
/// of its `{"status":"error"}` body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// No `Authorization` header.
    MissingKey,
    /// An `Authorization` header that is not `Bearer <key>`.
    MalformedKey,
    /// A key the mock does not accept.
    InvalidKey,
    /// A JSON endpoint called with another media type.
    WrongContentType {
        /// The media type sent (`none` when absent), shortened.
        got: String,
    },
    /// A JSON endpoint called without a body.
    EmptyBody,
    /// A body that is not JSON.
    MalformedJson {
        /// The parser's reason.
        reason: String,
    },
    /// JSON that breaks the endpoint's request schema.
    InvalidBody {
        /// Every violation, `; ` separated.
        violations: String,
        /// The violations' shape (see [`SchemaSet::signature`]), when the mock keeps
        /// situations (it adopts a vendor profile, or keeps a journal).
        ///
        /// [`SchemaSet::signature`]: crate::contract::schema::SchemaSet::signature
        signature: Option<String>,
    },
    /// A body over its limit.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A body that could not be read.
    Unreadable {
        /// The cause.
        reason: String,
    },
    /// A body that did not arrive within the body timeout.
    BodyTimeout {
        /// The timeout.
        timeout: Duration,
    },
    /// An upload that is not a well-formed multipart form.
    BadForm {
        /// The status the form reader chose (400, 413 or 415).
        status: StatusCode,
        /// What is wrong.
        reason: String,
    },
    /// A form field the upload does not know.
    UnknownFormField {
        /// Its name, shortened.
        name: String,
    },
    /// A form field that may be given once came twice.
    RepeatedFormField {
        /// Its name.
        name: &'static str,
    },
    /// A required form field is missing.
    MissingFormField {
        /// Its name.
        name: &'static str,
    },
    /// A form field given empty.
    EmptyFormField {
        /// Its name.
        name: String,
    },
    /// More files than one upload may carry.
    TooManyFiles {
        /// The limit.
        max: usize,
    },
    /// The store refused.
    Store(Refusal),
    /// No endpoint at this path.
    UnknownPath {
        /// The method.
        method: String,
        /// The path.
        path: String,
    },
    /// An endpoint called with the wrong method.
    WrongMethod {
        /// The method.
        method: String,
        /// The path.
        path: String,
    },
    /// A status injected by the fault settings.
    Injected {
        /// The status.
        status: StatusCode,
    },
}

impl From<Refusal> for Rejection {
    fn from(refusal: Refusal) -> Self {
        Rejection::Store(refusal)
    }
}

impl Rejection {
    /// The situation, as a vendor profile names it (`missing-key`, `unknown-batch`,
    /// `invalid-body required:/batchId`...): what a refusal is, whatever it says.
    pub fn situation(&self) -> String {
        let name = match self {
            Rejection::MissingKey => "missing-key",
            Rejection::MalformedKey => "malformed-key",
            Rejection::InvalidKey => "invalid-key",
            Rejection::WrongContentType { .. } => "wrong-content-type",
            Rejection::EmptyBody => "empty-body",
            Rejection::MalformedJson { .. } => "malformed-json",
            Rejection::InvalidBody {
                signature: Some(signature),
                ..
            } => return format!("invalid-body {signature}"),
            Rejection::InvalidBody { .. } => "invalid-body",
            Rejection::TooLarge { .. } => "too-large",
            Rejection::Unreadable { .. } => "unreadable",
            Rejection::BodyTimeout { .. } => "body-timeout",
            Rejection::BadForm { .. } => "bad-form",
            Rejection::UnknownFormField { .. } => "unknown-form-field",
            Rejection::RepeatedFormField { name } => return format!("repeated-form-field {name}"),
            Rejection::MissingFormField { name } => return format!("missing-form-field {name}"),
            Rejection::EmptyFormField { name } => return format!("empty-form-field {name}"),
            Rejection::TooManyFiles { .. } => "too-many-files",
            Rejection::Store(refusal) => refusal.situation(),
            Rejection::UnknownPath { .. } => "unknown-path",
            Rejection::WrongMethod { .. } => "wrong-method",
            Rejection::Injected { .. } => "injected",
        };
        name.to_owned()
    }

    /// The status the mock answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::MissingKey | Rejection::MalformedKey | Rejection::InvalidKey => {
                StatusCode::UNAUTHORIZED
            }
            Rejection::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Rejection::BodyTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            Rejection::Store(Refusal::Quota { .. }) => StatusCode::FORBIDDEN,
            Rejection::BadForm { status, .. } | Rejection::Injected { status } => *status,
            Rejection::Store(
                Refusal::UnknownClassification { .. }
                | Refusal::UnknownBatch { .. }
                | Refusal::UnknownFile { .. }
                | Refusal::UnknownFiles { .. },
            )
            | Rejection::UnknownPath { .. } => StatusCode::NOT_FOUND,
            Rejection::WrongMethod { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Rejection::WrongContentType { .. }
            | Rejection::EmptyBody
            | Rejection::MalformedJson { .. }
            | Rejection::InvalidBody { .. }
            | Rejection::Unreadable { .. }
            | Rejection::UnknownFormField { .. }
            | Rejection::MissingFormField { .. }
            | Rejection::RepeatedFormField { .. }
            | Rejection::EmptyFormField { .. }
            | Rejection::TooManyFiles { .. }
            | Rejection::Store(_) => StatusCode::BAD_REQUEST,
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::MissingKey => {
                f.write_str("missing Authorization header: send `Authorization: Bearer <API key>`")
            }
            Rejection::MalformedKey => {
                f.write_str("malformed Authorization header: expected `Bearer <API key>`")
            }
            Rejection::InvalidKey => f.write_str("invalid API key"),
            Rejection::WrongContentType { got } => {
                write!(f, "Content-Type must be application/json, got {got}")
            }
            Rejection::EmptyBody => f.write_str("request body is empty: expected a JSON object"),
            Rejection::MalformedJson { reason } => write!(f, "malformed JSON: {reason}"),
            Rejection::InvalidBody { violations, .. } => {
                write!(f, "invalid request body: {violations}")
            }
            Rejection::TooLarge { limit } => write!(
                f,
                "request body is larger than this mock's limit of {limit} bytes"
            ),
            Rejection::Unreadable { reason } => {
                write!(f, "request body could not be read: {reason}")
            }
            Rejection::BodyTimeout { timeout } => write!(
                f,
                "request body did not arrive within {} ms",
                timeout.as_millis()
            ),
            Rejection::BadForm { reason, .. } => f.write_str(reason),
            Rejection::UnknownFormField { name } => write!(
                f,
                "unknown form field `{name}`: expected classificationId, batchId and files"
            ),
            Rejection::MissingFormField { name } => {
                write!(f, "{name}: required form field is missing")
            }
            Rejection::EmptyFormField { name } => write!(f, "{name}: must not be empty"),
            Rejection::RepeatedFormField { name } => {
                write!(f, "{name}: the form field may be given only once")
            }
            Rejection::TooManyFiles { max } => write!(
                f,
                "files: this mock takes at most {max} files per upload (a limit of the mock, not of the vendor)"
            ),
            Rejection::Store(refusal) => write!(f, "{refusal}"),
            Rejection::UnknownPath { method, path } => write!(f, "no endpoint at {method} {path}"),
            Rejection::WrongMethod { method, path } => {
                write!(f, "method {method} is not allowed on {path}")
            }
            Rejection::Injected { .. } => f.write_str("injected fault"),
        }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        error_reply(self.status(), &self.to_string())
    }
}

/// The `{status, message}` body of every refusal.
#[derive(serde::Serialize)]
struct StatusBody<'a> {
    status: &'a str,
    message: &'a str,
}

/// The error shape of every refusal: `status`, `application/json`, `{"status":"error",...}`.
pub fn error_reply(status: StatusCode, message: &str) -> Response {
    let body = StatusBody {
        status: "error",
        message,
    };
    // Sized for the message, so the body is written without growing (axum's Json starts at 128).
    let mut bytes = Vec::with_capacity(message.len() + 32);
    match serde_json::to_writer(&mut bytes, &body) {
        Ok(()) => (
            status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(JSON))],
            bytes,
        )
            .into_response(),
        // Serialising two strings cannot fail; answer the status alone if it ever did.
        Err(_) => status.into_response(),
    }
}

/// The key a request carries, if it is `Bearer <key>` and one of `keys`.
///
/// # Errors
/// [`Rejection::MissingKey`], [`Rejection::MalformedKey`] or [`Rejection::InvalidKey`].
pub fn authorise(headers: &HeaderMap, accepts: impl Fn(&str) -> bool) -> Result<&str, Rejection> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(Rejection::MissingKey)?;
    let key = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or(Rejection::MalformedKey)?;
    if accepts(key) {
        Ok(key)
    } else {
        Err(Rejection::InvalidKey)
    }
}

/// Refuses a request whose Content-Type is not JSON.
///
/// # Errors
/// [`Rejection::WrongContentType`] naming what was sent.
pub fn json_media_type(headers: &HeaderMap) -> Result<(), Rejection> {
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
    Err(Rejection::WrongContentType { got })
}

/// The declared length of a request's body, if it declares one.
pub fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Whether the client waits for `100 Continue` before it sends the body.
fn expects_continue(headers: &HeaderMap) -> bool {
    headers
        .get(header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"))
}

/// Marks `response` as the last on its connection.
pub fn closing(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Answers `response` to a request whose body was not read.
///
/// The body is never kept: when the client waits for `100 Continue`, or declares a body
/// longer than [`Limits::refusal_drain_bytes`], the answer closes the connection and nothing
/// is read (hyper then sends no `100 Continue`). Otherwise up to that many bytes are read and
/// thrown away within [`Limits::refusal_drain_timeout`], so the connection can carry the
/// client's next request; a body that does not end by then closes it.
pub async fn refuse(
    response: Response,
    headers: &HeaderMap,
    body: Body,
    limits: &Limits,
) -> Response {
    let bound = u64::try_from(limits.refusal_drain_bytes).unwrap_or(u64::MAX);
    if expects_continue(headers) || content_length(headers).is_some_and(|n| n > bound) {
        return closing(response);
    }
    if axum::body::HttpBody::is_end_stream(&body) {
        return response;
    }
    let drained = tokio::time::timeout(limits.refusal_drain_timeout, drain(body, bound)).await;
    if matches!(drained, Ok(true)) {
        response
    } else {
        closing(response)
    }
}

/// Reads `body` to its end and throws it away; false when it is longer than `bound` or breaks.
async fn drain(mut body: Body, bound: u64) -> bool {
    let mut read = 0_u64;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { return false };
        if let Some(data) = frame.data_ref() {
            read += data.len() as u64;
            if read > bound {
                return false;
            }
        }
    }
    true
}

/// Reads a JSON body of at most [`Limits::max_json_body`] bytes within
/// [`Limits::body_timeout`].
///
/// Read here rather than through axum's `Bytes` extractor and a `DefaultBodyLimit` layer on
/// each route: that layer costs several allocations on every request.
///
/// # Errors
/// [`Rejection::TooLarge`] past the limit (at once when the declared length is over it),
/// [`Rejection::BodyTimeout`] when it is late, [`Rejection::Unreadable`] when it breaks off.
pub async fn read_json_body(
    body: Body,
    headers: &HeaderMap,
    limits: &Limits,
) -> Result<Bytes, Rejection> {
    let limit = limits.max_json_body;
    if content_length(headers).is_some_and(|n| n > limit as u64) {
        return Err(Rejection::TooLarge { limit });
    }
    let mut read = std::pin::pin!(Limited::new(body, limit).collect());
    // Most bodies arrive with their head: read them without arming a timer.
    let first = std::future::poll_fn(|cx| Poll::Ready(read.as_mut().poll(cx))).await;
    let outcome = match first {
        Poll::Ready(outcome) => Ok(outcome),
        Poll::Pending => tokio::time::timeout(limits.body_timeout, read).await,
    };
    match outcome {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(error)) if error.is::<LengthLimitError>() => Err(Rejection::TooLarge { limit }),
        Ok(Err(error)) => Err(Rejection::Unreadable {
            reason: error.to_string(),
        }),
        Err(_) => Err(Rejection::BodyTimeout {
            timeout: limits.body_timeout,
        }),
    }
}

/// Parses a body and checks it against the schema `schema`, with the bounds of `state`.
///
/// # Errors
/// [`Rejection::EmptyBody`], [`Rejection::MalformedJson`] or [`Rejection::InvalidBody`].
pub fn parse_json_body(bytes: &[u8], schema: &str, state: &MockState) -> Result<Value, Rejection> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Rejection::EmptyBody);
    }
    let document: Value = serde_json::from_slice(bytes).map_err(|e| Rejection::MalformedJson {
        reason: e.to_string(),
    })?;
    // Empty, so nothing is allocated for a valid body.
    let mut violations = String::new();
    let invalid = state
        .validators()
        .describe_violations(schema, &document, &mut violations)
        .map_err(|e| Rejection::InvalidBody {
            violations: e.to_string(),
            signature: None,
        })?;
    if invalid {
        let signature = state
            .keeps_situations()
            .then(|| state.validators().signature(schema, &document).ok())
            .flatten();
        Err(Rejection::InvalidBody {
            violations,
            signature,
        })
    } else {
        Ok(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(value) = HeaderValue::from_str(value) {
                map.insert(name.clone(), value);
            }
        }
        map
    }

    #[test]
    fn a_key_must_be_a_bearer_token_the_mock_accepts() {
        let accepts = |k: &str| k == "k1";
        let with = |auth: &str| headers(&[(header::AUTHORIZATION, auth)]);
        assert_eq!(authorise(&with("Bearer k1"), accepts), Ok("k1"));
        assert_eq!(
            authorise(&with("Bearer k2"), accepts),
            Err(Rejection::InvalidKey)
        );
        assert_eq!(
            authorise(&with("Basic k1"), accepts),
            Err(Rejection::MalformedKey)
        );
        assert_eq!(
            authorise(&HeaderMap::new(), accepts),
            Err(Rejection::MissingKey)
        );
    }

    #[test]
    fn every_rejection_is_a_client_error_unless_injected() {
        let rejections = [
            Rejection::MissingKey,
            Rejection::EmptyBody,
            Rejection::TooLarge { limit: 1 },
            Rejection::Store(Refusal::EmptyFileIds),
            Rejection::Store(Refusal::Quota {
                kind: crate::mock::store::QuotaKind::Files,
                limit: 1,
            }),
            Rejection::BodyTimeout {
                timeout: Duration::from_secs(1),
            },
            Rejection::WrongMethod {
                method: "GET".into(),
                path: "/x".into(),
            },
        ];
        for rejection in rejections {
            assert!(rejection.status().is_client_error(), "{rejection:?}");
        }
    }

    #[test]
    fn a_non_json_media_type_is_named() {
        let refused = json_media_type(&headers(&[(header::CONTENT_TYPE, "text/plain")]));
        assert_eq!(
            refused.map_err(|r| r.to_string()),
            Err("Content-Type must be application/json, got text/plain".to_owned())
        );
        assert_eq!(
            json_media_type(&headers(&[(
                header::CONTENT_TYPE,
                "application/json; charset=utf-8"
            )])),
            Ok(())
        );
    }
}
