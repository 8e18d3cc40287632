//! A request as it goes on the wire.

use http::Method;
use serde_json::Value;

use crate::contract::case::Auth;
use crate::contract::endpoint::Endpoint;
use crate::result::{SentBody, SentRequest};

/// Whether a request may be sent again when it fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Only after a 429, which says the request was not processed. For requests under test,
    /// and for anything that may have deleted something when it failed.
    RateLimitOnly,
    /// Also after a 5xx or no answer, with backoff: provisioning, reading back, cleanup.
    Idempotent,
}

/// A body to send.
#[derive(Debug, Clone)]
pub enum Body {
    /// Nothing.
    Empty,
    /// These bytes.
    Bytes(Vec<u8>),
    /// A multipart form: text fields, then files under `files`.
    Form {
        /// `(name, value)` text fields.
        fields: Vec<(String, String)>,
        /// `(file name sent, sample document, contents)`.
        files: Vec<(String, &'static str, &'static [u8])>,
    },
}

/// A request as it goes on the wire.
#[derive(Debug, Clone)]
pub struct Request {
    /// HTTP method.
    pub method: Method,
    /// Path below the base URL.
    pub path: String,
    /// Credentials.
    pub auth: Auth,
    /// `Content-Type`, if any (multipart sets its own).
    pub content_type: Option<String>,
    /// The body.
    pub body: Body,
    /// Whether it may be repeated.
    pub retry: Retry,
    /// The case it is the request under test of, if any.
    pub case: Option<String>,
}

impl Request {
    /// A JSON request to `endpoint` with the run's key, safe to repeat.
    pub fn json(endpoint: Endpoint, body: &Value) -> Request {
        Request {
            method: endpoint.method(),
            path: endpoint.path().to_owned(),
            auth: Auth::Valid,
            content_type: Some(endpoint.media_type().as_str().to_owned()),
            body: Body::Bytes(body.to_string().into_bytes()),
            retry: Retry::Idempotent,
            case: None,
        }
    }

    /// The catalogue's endpoint this request calls, if its path and method are one's.
    pub fn endpoint(&self) -> Option<Endpoint> {
        Endpoint::from_path(&self.path).filter(|e| e.method() == self.method)
    }

    /// Whether it may remove data: a destructive endpoint of the catalogue, or any `DELETE`
    /// to a path the catalogue does not know.
    pub fn is_destructive(&self) -> bool {
        Endpoint::destroys(&self.path, &self.method)
    }

    /// The request as it was sent to `base_url`, its key named by role, for reports.
    pub fn sent(&self, base_url: &str) -> SentRequest {
        SentRequest {
            method: self.method.to_string(),
            url: format!("{base_url}{}", self.path),
            auth: self.auth,
            content_type: match self.body {
                Body::Form { .. } => None,
                _ => self.content_type.clone(),
            },
            body: match &self.body {
                Body::Empty => SentBody::None,
                Body::Bytes(bytes) => SentBody::Text {
                    text: String::from_utf8_lossy(bytes).into_owned(),
                },
                Body::Form { fields, files } => SentBody::Form {
                    fields: fields.clone(),
                    files: files
                        .iter()
                        .map(|(name, document, _)| (name.clone(), (*document).to_owned()))
                        .collect(),
                },
            },
        }
    }

    /// The value of a multipart text field, for a form body.
    pub fn form_field(&self, name: &str) -> Option<&str> {
        match &self.body {
            Body::Form { fields, .. } => fields
                .iter()
                .find(|(field, _)| field == name)
                .map(|(_, value)| value.as_str()),
            Body::Empty | Body::Bytes(_) => None,
        }
    }

    /// The endpoint's name for pacing and counting: the last segment of the path.
    pub fn endpoint_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or_default()
    }

    /// One line for a person: method, URL, credentials (never the key) and body.
    pub fn describe(&self, base_url: &str) -> String {
        let auth = match self.auth {
            Auth::Valid => "Authorization: Bearer [REDACTED]",
            Auth::Other => "Authorization: Bearer <second account's key>",
            Auth::Invalid => "Authorization: Bearer <invalid key>",
            Auth::Missing => "no Authorization",
            Auth::BearerEmpty => "Authorization: Bearer <empty token>",
            Auth::BearerAlone => "Authorization: Bearer",
            Auth::KeyLastCharChanged => {
                "Authorization: Bearer <the key, its last character changed>"
            }
            Auth::KeyFirstHalf => "Authorization: Bearer <the key's first half>",
            Auth::KeyExtraChar => "Authorization: Bearer <the key and one more character>",
            Auth::SchemeBasic => "Authorization: Basic [REDACTED]",
            Auth::SchemeToken => "Authorization: Token [REDACTED]",
            Auth::KeyInQuery => "no Authorization; the key in the query string",
        };
        let body = match &self.body {
            Body::Empty => "no body".to_owned(),
            Body::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            Body::Form { fields, files } => format!(
                "multipart: {}; {} file(s)",
                fields
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                files.len()
            ),
        };
        format!("{} {base_url}{} ({auth}) {body}", self.method, self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_request_describes_itself_without_the_key() {
        let request = Request::json(Endpoint::DeleteFiles, &json!({"a": 1}));
        assert_eq!(
            request.describe("https://x/api/v1"),
            "DELETE https://x/api/v1/documentClassification/deleteFiles (Authorization: Bearer [REDACTED]) {\"a\":1}"
        );
    }

    #[test]
    fn destructiveness_comes_from_the_catalogue() {
        assert!(Request::json(Endpoint::DeleteBatch, &json!({})).is_destructive());
        assert!(!Request::json(Endpoint::GetResults, &json!({})).is_destructive());
        // A read sent with DELETE to a known path is still not a delete endpoint.
        let mut odd = Request::json(Endpoint::GetResults, &json!({}));
        odd.method = Method::DELETE;
        assert!(!odd.is_destructive());
        assert_eq!(odd.endpoint(), None);
        // An unknown path: only the method can say.
        odd.path = "/documentClassification/purge".to_owned();
        assert!(odd.is_destructive());
    }
}
