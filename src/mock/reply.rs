//! What an answer looks like: the media type of every body, the refusals and their
//! `{"status":"error","message":...}` reply, the `{"status":"success",...}` reply, and a
//! 200 or another status with a JSON body. A leaf: it reads no other part of the mock but the
//! store's refusals.

use std::fmt;
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use super::store::Refusal;
use crate::contract::situation::Situation;

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
    pub fn situation(&self) -> Situation {
        match self {
            Rejection::MissingKey => Situation::MissingKey,
            Rejection::MalformedKey => Situation::MalformedKey,
            Rejection::InvalidKey => Situation::InvalidKey,
            Rejection::WrongContentType { .. } => Situation::WrongContentType,
            Rejection::EmptyBody => Situation::EmptyBody,
            Rejection::MalformedJson { .. } => Situation::MalformedJson,
            Rejection::InvalidBody { signature, .. } => Situation::InvalidBody {
                signature: signature.clone(),
            },
            Rejection::TooLarge { .. } => Situation::TooLarge,
            Rejection::Unreadable { .. } => Situation::Unreadable,
            Rejection::BodyTimeout { .. } => Situation::BodyTimeout,
            Rejection::BadForm { .. } => Situation::BadForm,
            Rejection::UnknownFormField { .. } => Situation::UnknownFormField,
            Rejection::RepeatedFormField { name } => Situation::RepeatedFormField {
                name: (*name).to_owned(),
            },
            Rejection::MissingFormField { name } => Situation::MissingFormField {
                name: (*name).to_owned(),
            },
            Rejection::EmptyFormField { name } => Situation::EmptyFormField { name: name.clone() },
            Rejection::TooManyFiles { .. } => Situation::TooManyFiles,
            Rejection::Store(refusal) => refusal.situation(),
            Rejection::UnknownPath { .. } => Situation::UnknownPath,
            Rejection::WrongMethod { .. } => Situation::WrongMethod,
            Rejection::Injected { .. } => Situation::Injected,
        }
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
                write!(f, "{INVALID_BODY}{violations}")
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
        self.reply()
    }
}

impl Rejection {
    /// The mock's own answer to this refusal: its status and `{"status":"error",...}` with
    /// its message.
    pub fn reply(&self) -> Response {
        let message = match self {
            // The refusal of every invalid body, without the formatting machinery.
            Rejection::InvalidBody { violations, .. } => {
                let mut message = String::with_capacity(INVALID_BODY.len() + violations.len());
                message.push_str(INVALID_BODY);
                message.push_str(violations);
                message
            }
            _ => self.to_string(),
        };
        error_reply(self.status(), &message)
    }
}

/// How the message of an invalid body's refusal starts.
const INVALID_BODY: &str = "invalid request body: ";

/// The error shape of every refusal: `status`, `application/json`, `{"status":"error",...}`,
/// written by serde_json straight into a body sized for the message.
pub fn error_reply(status: StatusCode, message: &str) -> Response {
    const HEAD: &[u8] = br#"{"status":"error","message":"#;
    let mut bytes = Vec::with_capacity(message.len() + HEAD.len() + 8);
    bytes.extend_from_slice(HEAD);
    // A string written to a Vec: serde_json cannot fail here.
    let _ = serde_json::to_writer(&mut bytes, message);
    bytes.push(b'}');
    json_bytes(status, bytes)
}

/// `status` with `bytes` as its `application/json` body.
fn json_bytes(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut response = Response::new(axum::body::Body::from(bytes));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    response
}

/// A 200 with `body` as JSON.
pub fn ok(body: &impl Serialize) -> Response {
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// The `{"status": "success", "message": ...}` body.
#[derive(Serialize)]
pub struct Success<'a> {
    status: &'static str,
    message: &'a str,
}

impl<'a> Success<'a> {
    /// The body saying `message`.
    pub fn new(message: &'a str) -> Self {
        Success {
            status: "success",
            message,
        }
    }
}

/// The `{"status": "success", "message": ...}` reply.
pub fn success(message: &str) -> Response {
    ok(&Success::new(message))
}

/// A JSON (or other) body with `status`.
pub fn json_response(status: StatusCode, content_type: Option<&str>, body: &Value) -> Response {
    let content_type = content_type
        .and_then(|c| HeaderValue::from_str(c).ok())
        .unwrap_or(HeaderValue::from_static(JSON));
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, content_type)], bytes).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::store::QuotaKind;

    #[tokio::test]
    async fn a_refusal_reads_as_serde_json_writes_it() {
        let rejection = Rejection::InvalidBody {
            violations: "/fileIds: \"x\" is not of type \"array\"\n\u{1}".to_owned(),
            signature: None,
        };
        let expected = serde_json::to_vec(&serde_json::json!({
            "status": "error",
            "message": rejection.to_string(),
        }))
        .unwrap_or_default();
        let response = rejection.reply();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE),
            Some(&HeaderValue::from_static(JSON))
        );
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap_or_default();
        assert_eq!(body.as_ref(), expected.as_slice());
    }

    #[test]
    fn every_rejection_is_a_client_error_unless_injected() {
        let rejections = [
            Rejection::MissingKey,
            Rejection::EmptyBody,
            Rejection::TooLarge { limit: 1 },
            Rejection::Store(Refusal::EmptyFileIds),
            Rejection::Store(Refusal::Quota {
                kind: QuotaKind::Files,
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
}
