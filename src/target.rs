//! Where requests go: the base URL, the key, the HTTP client, pacing and retries.
//!
//! Every answer is read here into a [`Response`] whose text is already redacted.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Mutex;
use tokio::time::Instant;
use url::Url;

use crate::case::Auth;
use crate::redact::{ApiKey, Redactor};

/// The key sent when a case asks for an invalid one; no account has it.
pub const INVALID_API_KEY: &str = "extracta-contract-invalid-key";
/// The pause the docs ask for between two getResults calls.
pub const GET_RESULTS_PACE: Duration = Duration::from_secs(2);
/// How often a request answered 429 is sent again before the 429 is the answer.
const RATE_LIMIT_RETRIES: u32 = 5;
/// The longest `Retry-After` honoured; longer ones are capped.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// How often a request that is safe to repeat is sent again after a 5xx or no answer.
const FAILURE_RETRIES: u32 = 3;
/// The first backoff; it doubles with each retry.
const BACKOFF: Duration = Duration::from_millis(500);

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
        /// Whether trying again may help: a connection reset may pass; a refusal, a DNS or TLS
        /// failure or a timeout (which already waited in full) will not.
        transient: bool,
    },
}

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
    /// Whether it may be repeated.
    pub retry: Retry,
}

impl Request {
    /// A JSON request with the run's key, safe to repeat.
    pub fn json(method: reqwest::Method, path: &str, body: &Value) -> Request {
        Request {
            method,
            path: path.to_owned(),
            auth: Auth::Valid,
            content_type: Some("application/json".to_owned()),
            body: Body::Bytes(body.to_string().into_bytes()),
            retry: Retry::Idempotent,
        }
    }

    /// Whether it may change or remove data.
    pub fn is_destructive(&self) -> bool {
        self.method == reqwest::Method::DELETE || self.path.to_ascii_lowercase().contains("delete")
    }

    /// The endpoint's name: the last segment of the path, e.g. `deleteFiles`.
    pub fn endpoint(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or_default()
    }

    /// One line for a person: method, URL, credentials (never the key) and body.
    pub fn describe(&self, base_url: &str) -> String {
        let auth = match self.auth {
            Auth::Valid => "Authorization: Bearer [REDACTED]",
            Auth::Invalid => "Authorization: Bearer <invalid key>",
            Auth::Missing => "no Authorization",
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

/// What was sent, counted across all clones of a [`Target`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    /// HTTP requests, every retry included.
    pub requests: u64,
    /// uploadFiles requests (each costs the account credits).
    pub uploads: u64,
    /// Destructive requests.
    pub deletes: u64,
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    uploads: AtomicU64,
    deletes: AtomicU64,
}

/// Minimum pauses between consecutive requests to the same endpoint.
#[derive(Debug, Default)]
struct Pacer {
    intervals: HashMap<String, Duration>,
    last: Mutex<HashMap<String, Instant>>,
}

impl Pacer {
    /// Waits until `endpoint` may be called again, then marks it called.
    async fn wait(&self, endpoint: &str) {
        let Some(interval) = self.intervals.get(endpoint).filter(|i| !i.is_zero()) else {
            return;
        };
        // Holding the lock while sleeping queues the callers of this endpoint in turn.
        let mut last = self.last.lock().await;
        if let Some(previous) = last.get(endpoint) {
            tokio::time::sleep_until(*previous + *interval).await;
        }
        last.insert(endpoint.to_owned(), Instant::now());
    }
}

/// Where the suite sends requests.
#[derive(Debug, Clone)]
pub struct Target {
    base_url: String,
    key: ApiKey,
    redactor: Redactor,
    client: reqwest::Client,
    counters: Arc<Counters>,
    pacer: Arc<Pacer>,
}

/// Whether `host` is this machine.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl Target {
    /// A target at `base_url` (e.g. `https://api.extracta.ai/api/v1`) using `key`.
    ///
    /// getResults is paced at the documented 2 s unless the host is loopback; `pace` overrides
    /// per endpoint name (a zero duration turns pacing off).
    ///
    /// # Errors
    /// When the URL is not an absolute http(s) URL, is plain `http://` to a host that is not
    /// loopback, or the client cannot be built.
    pub fn new(
        base_url: &str,
        key: ApiKey,
        timeout: Duration,
        pace: &[(String, Duration)],
    ) -> Result<Target, TargetError> {
        let bad = |reason: &str| TargetError::BadUrl {
            url: base_url.to_owned(),
            reason: reason.to_owned(),
        };
        let parsed = Url::parse(base_url).map_err(|e| bad(&e.to_string()))?;
        let host = parsed
            .host_str()
            .ok_or_else(|| bad("the URL has no host"))?;
        match parsed.scheme() {
            "https" => {}
            "http" if is_loopback(host) => {}
            "http" => {
                return Err(bad(
                    "plain http:// is refused for hosts other than loopback: the key would travel in clear text; use https://",
                ));
            }
            _ => return Err(bad("the scheme must be https (or http for loopback)")),
        }
        let mut intervals = HashMap::new();
        if !is_loopback(host) {
            intervals.insert("getResults".to_owned(), GET_RESULTS_PACE);
        }
        intervals.extend(pace.iter().cloned());
        let mut builder = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none());
        if parsed.scheme() == "http" {
            // No TLS on plain loopback: skip loading the system's root certificates, which is
            // most of a run's start-up against the built-in mock.
            builder = builder.tls_certs_only(std::iter::empty());
        }
        let client = builder
            .build()
            .map_err(|e| bad(&format!("build an HTTP client: {e}")))?;
        Ok(Target {
            base_url: base_url.trim_end_matches('/').to_owned(),
            redactor: Redactor::new([key.clone()]),
            key,
            client,
            counters: Arc::default(),
            pacer: Arc::new(Pacer {
                intervals,
                last: Mutex::default(),
            }),
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

    /// What this target (and its clones) has sent so far.
    pub fn traffic(&self) -> Traffic {
        Traffic {
            requests: self.counters.requests.load(Ordering::Relaxed),
            uploads: self.counters.uploads.load(Ordering::Relaxed),
            deletes: self.counters.deletes.load(Ordering::Relaxed),
        }
    }

    /// Sends `request`, paced, retried as its [`Retry`] allows, and reads the whole answer.
    ///
    /// # Errors
    /// [`TargetError::Transport`] when no complete answer arrived (after any retries).
    pub async fn send(&self, request: &Request) -> Result<Response, TargetError> {
        let mut rate_limited = 0;
        let mut failed = 0;
        loop {
            self.pacer.wait(request.endpoint()).await;
            let outcome = self.send_once(request).await;
            let retry_after = match &outcome {
                Ok(response) if response.status == 429 && rate_limited < RATE_LIMIT_RETRIES => {
                    rate_limited += 1;
                    response
                        .retry_after
                        .unwrap_or(BACKOFF * 2u32.pow(rate_limited))
                }
                Ok(response)
                    if response.status >= 500
                        && request.retry == Retry::Idempotent
                        && failed < FAILURE_RETRIES =>
                {
                    failed += 1;
                    BACKOFF * 2u32.pow(failed - 1)
                }
                Err(TargetError::Transport {
                    transient: true, ..
                }) if request.retry == Retry::Idempotent && failed < FAILURE_RETRIES => {
                    failed += 1;
                    BACKOFF * 2u32.pow(failed - 1)
                }
                _ => return outcome.map(|answer| answer.response),
            };
            tokio::time::sleep(retry_after.min(MAX_RETRY_AFTER)).await;
        }
    }

    async fn send_once(&self, request: &Request) -> Result<Answer, TargetError> {
        let url = format!("{}{}", self.base_url, request.path);
        let transport = |error: &reqwest::Error| TargetError::Transport {
            url: url.clone(),
            cause: self.redactor.redact(&error_chain(error)),
            transient: !error.is_connect() && !error.is_timeout(),
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
        self.count(request);
        let answer = builder.send().await.map_err(|e| transport(&e))?;
        let status = answer.status().as_u16();
        let header = |name| {
            answer
                .headers()
                .get(name)
                .map(|v: &reqwest::header::HeaderValue| {
                    self.redactor.redact(&String::from_utf8_lossy(v.as_bytes()))
                })
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let retry_after = header(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let bytes = answer.bytes().await.map_err(|e| transport(&e))?;
        let text = self.redactor.redact(&String::from_utf8_lossy(&bytes));
        let json = serde_json::from_str(&text).ok();
        Ok(Answer {
            status,
            retry_after,
            response: Response {
                status,
                content_type,
                text,
                json,
            },
        })
    }

    fn count(&self, request: &Request) {
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        if request.endpoint() == "uploadFiles" {
            self.counters.uploads.fetch_add(1, Ordering::Relaxed);
        }
        if request.is_destructive() {
            self.counters.deletes.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// One attempt's answer, with what the retry loop needs.
struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    response: Response,
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
        Target::new(url, ApiKey::new("k"), Duration::from_secs(1), &[])
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
    fn plain_http_is_refused_except_on_loopback() {
        let error = target("http://api.extracta.ai/api/v1")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("plain http://"), "{error}");
        assert!(target("http://127.0.0.1:8787/api/v1").is_ok());
        assert!(target("http://localhost:8787/api/v1").is_ok());
        assert!(target("http://[::1]:8787/api/v1").is_ok());
    }

    #[test]
    fn the_trailing_slash_is_dropped() {
        let target = target("https://api.extracta.ai/api/v1/").ok();
        assert_eq!(
            target.map(|t| t.base_url().to_owned()).as_deref(),
            Some("https://api.extracta.ai/api/v1")
        );
    }

    #[test]
    fn get_results_is_paced_for_remote_hosts_only() {
        let remote = target("https://api.extracta.ai/api/v1").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            remote.pacer.intervals.get("getResults"),
            Some(&GET_RESULTS_PACE)
        );
        let local = target("http://127.0.0.1:1/api/v1").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(local.pacer.intervals.get("getResults"), None);
    }

    #[tokio::test(start_paused = true)]
    async fn paced_calls_are_spread_by_the_interval() {
        let pacer = Pacer {
            intervals: HashMap::from([("getResults".to_owned(), Duration::from_secs(2))]),
            last: Mutex::default(),
        };
        let start = Instant::now();
        for _ in 0..3 {
            pacer.wait("getResults").await;
        }
        pacer.wait("deleteFiles").await;
        assert_eq!(start.elapsed().as_secs(), 4);
    }

    #[test]
    fn a_request_describes_itself_without_the_key() {
        let request = Request::json(
            reqwest::Method::DELETE,
            "/documentClassification/deleteFiles",
            &serde_json::json!({"a": 1}),
        );
        assert_eq!(
            request.describe("https://x/api/v1"),
            "DELETE https://x/api/v1/documentClassification/deleteFiles (Authorization: Bearer [REDACTED]) {\"a\":1}"
        );
    }

    #[tokio::test]
    async fn an_unreachable_target_names_the_url() {
        // Port 9 on loopback: nothing listens, the connection is refused at once.
        let target = target("http://127.0.0.1:9/api/v1").unwrap_or_else(|e| panic!("{e}"));
        let request = Request {
            retry: Retry::RateLimitOnly,
            ..Request::json(reqwest::Method::POST, "/x", &serde_json::json!({}))
        };
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
