//! What went over the wire for a case: the answer as it arrived, the request as it was sent
//! (the key named by its role), and the two together as an exchange.

use serde_json::Value;

use crate::contract::case::Auth;

/// An answer as it arrived, read whole.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`, if sent.
    pub content_type: Option<String>,
    /// The body as text (invalid UTF-8 replaced).
    pub text: String,
    /// The body as JSON, when it is JSON.
    pub json: Option<Value>,
}

impl Response {
    /// An answer from its parts; `json` is parsed from `text`.
    pub fn new(status: u16, content_type: Option<String>, text: String) -> Self {
        let json = serde_json::from_str(&text).ok();
        Response {
            status,
            content_type,
            text,
            json,
        }
    }

    /// The status and content type alone, with an empty body.
    pub fn clone_head(&self) -> Self {
        Response {
            status: self.status,
            content_type: self.content_type.clone(),
            text: String::new(),
            json: None,
        }
    }

    /// Whether the status is a 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A request as it was sent, for reproducing it: everything but the key, which it names by
/// its role.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentRequest {
    /// The method.
    pub method: String,
    /// The whole URL.
    pub url: String,
    /// Which credentials it carried.
    pub auth: Auth,
    /// The `Content-Type` header, if set (a form sets its own).
    pub content_type: Option<String>,
    /// The body.
    pub body: SentBody,
}

/// The body of a sent request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SentBody {
    /// No body.
    None,
    /// Bytes, as text.
    Text {
        /// The text.
        text: String,
    },
    /// A multipart form.
    Form {
        /// The text fields, in order.
        fields: Vec<(String, String)>,
        /// The files, as `(file name, sample document)`: the name it was sent under, and the
        /// file under `cases/documents/` it holds.
        files: Vec<(String, String)>,
    },
}

/// A case's last request and what came back, for showing and reproducing a failure.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Exchange {
    /// The request.
    pub request: SentRequest,
    /// The answer, when one came.
    pub response: Option<Response>,
}
