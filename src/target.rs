//! Where requests go: the base URL, the key, the HTTP client.
//!
//! Every answer is read here into a [`Response`] whose text is already redacted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::Value;
use url::Url;

use crate::case::Auth;
use crate::redact::{ApiKey, Redactor};

/// The key sent when a case asks for an invalid one; no account has it.
pub const INVALID_API_KEY: &str = "extracta-contract-invalid-key";

/// Why a target could not be set up or reached.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum TargetError {
    /// The base URL is not usable.
    #[error("use base URL `{url}`: {reason}")]
    BadUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No answer: connection, DNS, TLS or timeout.
    #[error("reach {url}: {cause}")]
    Transport {
        /// The URL of the request.
        url: String,
        /// The cause, every layer of it, redacted.
        cause: String,
    },
}

/// Where the suite sends requests.
#[derive(Debug, Clone)]
pub struct Target {
    base_url: String,
    key: ApiKey,
    redactor: Redactor,
    client: reqwest::Client,
    sent: Arc<AtomicU64>,
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
        /// `(file name, contents)`.
        files: Vec<(String, Vec<u8>)>,
    },
}

/// A request as it goes on the wire.
#[derive(Debug, Clone)]
pub struct Request {
    /// HTTP method.
    pub method: reqwest::Method,
    /// Path below the base URL.
    pub path: String,
    /// Credentials.
    pub auth: Auth,
    /// `Content-Type`, if any (multipart sets its own).
    pub content_type: Option<String>,
    /// The body.
    pub body: Body,
}

impl Request {
    /// A JSON request with the run's key.
    pub fn json(method: reqwest::Method, path: &str, body: &Value) -> Request {
        Request {
            method,
            path: path.to_owned(),
            auth: Auth::Valid,
            content_type: Some("application/json".to_owned()),
            body: Body::Bytes(body.to_string().into_bytes()),
        }
    }

    /// Whether it may change or remove data.
    pub fn is_destructive(&self) -> bool {
        self.method == reqwest::Method::DELETE || self.path.to_ascii_lowercase().contains("delete")
    }
}

/// An answer, read whole, its text redacted.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`, if sent.
    pub content_type: Option<String>,
    /// The body as text (invalid UTF-8 replaced), redacted.
    pub text: String,
    /// The body as JSON, when it is JSON.
    pub json: Option<Value>,
}

impl Target {
    /// A target at `base_url` (e.g. `https://api.extracta.ai/api/v1`) using `key`.
    ///
    /// # Errors
    /// When the URL is not an absolute http(s) URL, or the client cannot be built.
    pub fn new(base_url: &str, key: ApiKey, timeout: Duration) -> Result<Target, TargetError> {
        let bad = |reason: &str| TargetError::BadUrl {
            url: base_url.to_owned(),
            reason: reason.to_owned(),
        };
        let parsed = Url::parse(base_url).map_err(|e| bad(&e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https"));
        }
        if parsed.host_str().is_none() {
            return Err(bad("the URL has no host"));
        }
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| bad(&format!("build an HTTP client: {e}")))?;
        Ok(Target {
            base_url: base_url.trim_end_matches('/').to_owned(),
            redactor: Redactor::new([key.clone()]),
            key,
            client,
            sent: Arc::new(AtomicU64::new(0)),
        })
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The host of the base URL, e.g. `api.extracta.ai`.
    pub fn host(&self) -> String {
        Url::parse(&self.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The redactor that knows this target's key.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// How many requests this target (and its clones) has sent.
    pub fn requests_sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// Sends `request` and reads the whole answer.
    ///
    /// # Errors
    /// [`TargetError::Transport`] when no complete answer arrived.
    pub async fn send(&self, request: &Request) -> Result<Response, TargetError> {
        let url = format!("{}{}", self.base_url, request.path);
        let transport = |error: &dyn std::error::Error| TargetError::Transport {
            url: url.clone(),
            cause: self.redactor.redact(&error_chain(error)),
        };
        let mut builder = self.client.request(request.method.clone(), &url);
        builder = match request.auth {
            Auth::Valid => builder.bearer_auth(self.key.expose()),
            Auth::Invalid => builder.bearer_auth(INVALID_API_KEY),
            Auth::Missing => builder,
        };
        builder = match &request.body {
            Body::Empty => builder,
            Body::Bytes(bytes) => builder.body(bytes.clone()),
            Body::Form { fields, files } => {
                let mut form = reqwest::multipart::Form::new();
                for (name, value) in fields {
                    form = form.text(name.clone(), value.clone());
                }
                for (name, contents) in files {
                    let part =
                        reqwest::multipart::Part::bytes(contents.clone()).file_name(name.clone());
                    form = form.part("files", part);
                }
                builder.multipart(form)
            }
        };
        if let (Some(content_type), false) = (
            &request.content_type,
            matches!(request.body, Body::Form { .. }),
        ) {
            builder = builder.header(reqwest::header::CONTENT_TYPE, content_type);
        }
        self.sent.fetch_add(1, Ordering::Relaxed);
        let answer = builder.send().await.map_err(|e| transport(&e))?;
        let status = answer.status().as_u16();
        let content_type = answer
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| self.redactor.redact(&String::from_utf8_lossy(v.as_bytes())));
        let bytes = answer.bytes().await.map_err(|e| transport(&e))?;
        let text = self.redactor.redact(&String::from_utf8_lossy(&bytes));
        let json = serde_json::from_str(&text).ok();
        Ok(Response {
            status,
            content_type,
            text,
            json,
        })
    }
}

/// An error and all its sources, `: ` separated.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str) -> Result<Target, TargetError> {
        Target::new(url, ApiKey::new("k"), Duration::from_secs(1))
    }

    #[test]
    fn a_relative_url_is_refused_with_the_reason() {
        let error = target("api.extracta.ai/api/v1")
            .err()
            .map(|e| e.to_string());
        assert!(error.is_some_and(|e| e.contains("api.extracta.ai/api/v1")));
    }

    #[test]
    fn a_non_http_scheme_is_refused() {
        assert!(target("ftp://example.com/api/v1").is_err());
    }

    #[test]
    fn the_trailing_slash_is_dropped() {
        let target = target("https://api.extracta.ai/api/v1/").ok();
        assert_eq!(
            target.map(|t| t.base_url().to_owned()).as_deref(),
            Some("https://api.extracta.ai/api/v1")
        );
    }

    #[tokio::test]
    async fn an_unreachable_target_names_the_url() {
        // Port 9 on loopback: nothing listens, the connection is refused at once.
        let target = target("http://127.0.0.1:9/api/v1").unwrap_or_else(|e| panic!("{e}"));
        let request = Request::json(reqwest::Method::POST, "/x", &serde_json::json!({}));
        let error = target
            .send(&request)
            .await
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.starts_with("reach http://127.0.0.1:9/api/v1/x: "),
            "{error}"
        );
    }
}
