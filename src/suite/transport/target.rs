//! The target: the base URL and its policy, the key, the HTTP client; sending a request
//! (paced, retried as it allows) and reading its answer.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use url::Url;

use super::pace::{GET_RESULTS_PACE, Pacer};
use super::request::{Body, Request};
use super::retry::{Attempt, MAX_RETRY_WAIT, Next, RetryState, retry_after};
use crate::contract::case::{Auth, CASE_HEADER, INVALID_API_KEY, KEY_QUERY_PARAMETERS};
use crate::contract::endpoint::Endpoint;
use crate::redact::ApiKey;
use crate::result::{Response, Traffic};

/// The largest answer read, by default; a longer one fails its case.
pub const MAX_RESPONSE_SIZE: usize = 4 * 1024 * 1024;

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
    /// The answer was longer than the run reads.
    #[error(
        "read the answer of {url}: it is longer than the limit of {limit} bytes (--max-response-size)"
    )]
    TooLarge {
        /// The URL of the request.
        url: String,
        /// The limit.
        limit: usize,
    },
    /// The target asks the run to wait longer than it waits before trying again.
    #[error(
        "rate limited: the target asks to wait {}, more than --max-retry-wait {}",
        seconds(*asked),
        seconds(*max)
    )]
    RateLimited {
        /// The URL of the request.
        url: String,
        /// The wait the target asked for (`Retry-After`).
        asked: Duration,
        /// The longest wait the run accepts.
        max: Duration,
    },
    /// No answer: connection, DNS, TLS or timeout.
    #[error("reach {url}: {cause}")]
    Transport {
        /// The URL of the request.
        url: String,
        /// The cause, every layer of it.
        cause: String,
        /// Whether trying again may help: a connection reset may pass; a refusal, a DNS or TLS
        /// failure or a timeout (which already waited in full) will not.
        transient: bool,
    },
}

/// A duration as a person writes it: whole seconds as `60s`, else milliseconds.
fn seconds(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{}s", duration.as_secs())
    } else {
        format!("{}ms", duration.as_millis())
    }
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    uploads: AtomicU64,
    deletes: AtomicU64,
    abandoned: AtomicU64,
}

/// A request on its way: counted as sent once it reached the target (its answer came, or it
/// failed after the connection was made), not when it could not connect, and as abandoned
/// when the run drops it on the way.
struct Sending<'a> {
    counters: &'a Counters,
    request: &'a Request,
    settled: bool,
}

impl<'a> Sending<'a> {
    fn new(counters: &'a Counters, request: &'a Request) -> Self {
        Sending {
            counters,
            request,
            settled: false,
        }
    }

    /// It reached the target.
    fn sent(mut self) {
        self.settled = true;
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        if self.request.endpoint() == Some(Endpoint::UploadFiles) {
            self.counters.uploads.fetch_add(1, Ordering::Relaxed);
        }
        if self.request.is_destructive() {
            self.counters.deletes.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// It never left: no connection.
    fn not_sent(mut self) {
        self.settled = true;
    }
}

impl Drop for Sending<'_> {
    fn drop(&mut self) {
        if !self.settled {
            self.counters.abandoned.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Where the suite sends requests.
#[derive(Debug, Clone)]
pub struct Target {
    base_url: String,
    /// The base URL parsed once, which each request's URL extends by its path; `None` when
    /// it has a query or a fragment, and then each request's URL is parsed whole.
    base: Option<Url>,
    /// The `Authorization` header of the run's own key, built once.
    own_authorization: Option<reqwest::header::HeaderValue>,
    timeout: Duration,
    key: ApiKey,
    second_key: Option<ApiKey>,
    /// Whether requests under test name their case.
    tag_cases: bool,
    max_response_size: usize,
    max_retry_wait: Duration,
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
        pace: &[(Endpoint, Duration)],
    ) -> Result<Target, TargetError> {
        let bad = |reason: &str| TargetError::BadUrl {
            url: base_url.to_owned(),
            reason: reason.to_owned(),
        };
        let parsed = Url::parse(base_url).map_err(|e| match e {
            url::ParseError::RelativeUrlWithoutBase => bad(&format!(
                "it has no scheme; write it https://{}",
                base_url.trim_start_matches('/')
            )),
            other => bad(&other.to_string()),
        })?;
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
            intervals.insert(Endpoint::GetResults.name().to_owned(), GET_RESULTS_PACE);
        }
        intervals.extend(
            pace.iter()
                .map(|(endpoint, interval)| (endpoint.name().to_owned(), *interval)),
        );
        // reqwest is built without a TLS crypto provider of its own: rustls's ring provider
        // is installed for the process, unless the application installed one already.
        let _ = rustls::crypto::ring::default_provider().install_default();
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
        let base_url = base_url.trim_end_matches('/');
        let base = Url::parse(base_url)
            .ok()
            .filter(|base| base.query().is_none() && base.fragment().is_none());
        Ok(Target {
            base_url: base_url.to_owned(),
            base,
            own_authorization: own_authorization(&key),
            timeout,
            key,
            second_key: None,
            tag_cases: false,
            max_response_size: MAX_RESPONSE_SIZE,
            max_retry_wait: MAX_RETRY_WAIT,
            client,
            counters: Arc::default(),
            pacer: Arc::new(Pacer::new(intervals)),
        })
    }

    /// Sends `key` for the requests that act as a second account.
    #[must_use]
    pub fn with_second_key(mut self, key: Option<ApiKey>) -> Self {
        self.second_key = key;
        self
    }

    /// Names the case of each request under test in its [`CASE_HEADER`] (for a built-in
    /// mock that keeps a journal; never for a vendor).
    #[must_use]
    pub fn tag_cases(mut self, tag: bool) -> Self {
        self.tag_cases = tag;
        self
    }

    /// Reads at most `limit` bytes of an answer; a longer answer is a [`TargetError::TooLarge`].
    #[must_use]
    pub fn max_response_size(mut self, limit: usize) -> Self {
        self.max_response_size = limit;
        self
    }

    /// Waits at most `max` before sending a request again; a target that asks for longer
    /// (`Retry-After`) gets a [`TargetError::RateLimited`] at once.
    #[must_use]
    pub fn max_retry_wait(mut self, max: Duration) -> Self {
        self.max_retry_wait = max;
        self
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// What this target (and its clones) has sent so far.
    pub fn traffic(&self) -> Traffic {
        Traffic {
            requests: self.counters.requests.load(Ordering::Relaxed),
            uploads: self.counters.uploads.load(Ordering::Relaxed),
            deletes: self.counters.deletes.load(Ordering::Relaxed),
            abandoned: self.counters.abandoned.load(Ordering::Relaxed),
        }
    }

    /// Sends `request`, paced, retried as its [`Retry`](super::request::Retry) allows, and
    /// reads the whole answer.
    ///
    /// # Errors
    /// [`TargetError::Transport`] when no complete answer arrived (after any retries).
    pub async fn send(&self, request: &Request) -> Result<Response, TargetError> {
        let mut retries = RetryState::new(self.max_retry_wait);
        loop {
            self.pacer.wait(request.endpoint_name()).await;
            let outcome = self.send_once(request).await;
            let attempt = match &outcome {
                Ok((response, retry_after)) => Attempt::Answered {
                    status: response.status,
                    retry_after: *retry_after,
                },
                Err(TargetError::Transport {
                    transient: true, ..
                }) => Attempt::Dropped,
                Err(_) => Attempt::Failed,
            };
            match retries.next(request.retry, attempt) {
                Next::Retry(wait) => tokio::time::sleep(wait).await,
                Next::Done => return outcome.map(|(response, _)| response),
                Next::TooLong { asked } => {
                    return Err(TargetError::RateLimited {
                        url: format!("{}{}", self.base_url, request.path),
                        asked,
                        max: self.max_retry_wait,
                    });
                }
            }
        }
    }

    /// One attempt: the answer and its `Retry-After`.
    async fn send_once(
        &self,
        request: &Request,
    ) -> Result<(Response, Option<Duration>), TargetError> {
        let url = format!("{}{}", self.base_url, request.path);
        let timeout = self.timeout;
        let https = self.base_url.starts_with("https://");
        let transport = |error: reqwest::Error| {
            let transient = !error.is_connect() && !error.is_timeout();
            let timed_out = error.is_timeout();
            // The URL leads the message already; the error would repeat it.
            let mut cause = error_chain(&error.without_url());
            if https && cause.contains("InvalidContentType") {
                cause.push_str(
                    " (the server does not answer with TLS: if it speaks plain HTTP, the URL must say http://, which is allowed for loopback only)",
                );
            }
            if timed_out {
                cause.push_str(&format!(
                    " (no complete answer within {timeout:?}; --timeout sets the limit)"
                ));
            }
            TargetError::Transport {
                url: url.clone(),
                cause,
                transient,
            }
        };
        let mut builder = match self.request_url(&request.path, request.auth) {
            Some(parsed) => self.client.request(request.method.clone(), parsed),
            None => self
                .client
                .request(request.method.clone(), self.with_query(&url, request.auth)),
        };
        if let Some(value) = self.authorization(request.auth) {
            builder = builder.header(reqwest::header::AUTHORIZATION, value);
        }
        builder = match &request.body {
            Body::Empty => builder,
            Body::Bytes(bytes) => builder.body(bytes.clone()),
            Body::Form { fields, files } => {
                let mut form = reqwest::multipart::Form::new();
                for (name, value) in fields {
                    form = form.text(name.clone(), value.clone());
                }
                for (name, _, contents) in files {
                    let part = reqwest::multipart::Part::bytes(*contents).file_name(name.clone());
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
        if let (true, Some(case)) = (self.tag_cases, &request.case) {
            builder = builder.header(CASE_HEADER, case);
        }
        let sending = Sending::new(&self.counters, request);
        let answer = match builder.send().await {
            Ok(answer) => {
                sending.sent();
                answer
            }
            Err(error) if error.is_connect() => {
                sending.not_sent();
                return Err(transport(error));
            }
            Err(error) => {
                sending.sent();
                return Err(transport(error));
            }
        };
        let status = answer.status().as_u16();
        let header = |name| {
            answer
                .headers()
                .get(name)
                .map(|v: &reqwest::header::HeaderValue| {
                    String::from_utf8_lossy(v.as_bytes()).into_owned()
                })
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let retry_after = header(reqwest::header::RETRY_AFTER)
            .and_then(|v| retry_after(&v, std::time::SystemTime::now()));
        let too_large = || TargetError::TooLarge {
            url: url.clone(),
            limit: self.max_response_size,
        };
        let announced = answer
            .content_length()
            .and_then(|n| usize::try_from(n).ok());
        if announced.is_some_and(|n| n > self.max_response_size) {
            return Err(too_large());
        }
        // Read as it streams, never past the limit: a hostile or broken server cannot make the
        // run hold more than the limit for this answer, however long it sends.
        let mut answer = answer;
        let mut bytes = Vec::with_capacity(announced.unwrap_or(0));
        while let Some(chunk) = answer.chunk().await.map_err(transport)? {
            if bytes.len() + chunk.len() > self.max_response_size {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        Ok((Response::new(status, content_type, text), retry_after))
    }

    /// The URL of a request to `path` with `auth`, from the base URL parsed once: its path
    /// alone is parsed, as parsing the whole URL would parse it. `None` (the whole URL is
    /// then parsed) when the path has a query or a fragment or does not start with `/`, the
    /// base URL has a query or a fragment, or the key goes in the query.
    fn request_url(&self, path: &str, auth: Auth) -> Option<Url> {
        if auth == Auth::KeyInQuery || !path.starts_with('/') || path.contains(['?', '#']) {
            return None;
        }
        let mut url = self.base.clone()?;
        // The base URL's path as written (without the trailing slash it was given or the
        // `/` a bare host parses to), then the request's.
        let base_path = url.path().trim_end_matches('/');
        let mut full = String::with_capacity(base_path.len() + path.len());
        full.push_str(base_path);
        full.push_str(path);
        url.set_path(&full);
        Some(url)
    }

    /// The `Authorization` header `auth` sends, if any: the key (or its near miss) under its
    /// scheme, marked sensitive.
    fn authorization(&self, auth: Auth) -> Option<reqwest::header::HeaderValue> {
        let key = &self.key;
        let value = match (auth, &self.second_key) {
            (Auth::Valid, _) => return self.own_authorization.clone(),
            (Auth::Other, Some(second)) => format!("Bearer {}", second.expose()),
            // A plan never sends a second account's request without its key.
            (Auth::Other, None) | (Auth::Invalid, _) => format!("Bearer {INVALID_API_KEY}"),
            (Auth::BearerEmpty, _) => "Bearer ".to_owned(),
            (Auth::BearerAlone, _) => "Bearer".to_owned(),
            (Auth::KeyLastCharChanged, _) => format!("Bearer {}", key.last_char_changed().expose()),
            (Auth::KeyFirstHalf, _) => format!("Bearer {}", key.first_half().expose()),
            (Auth::KeyExtraChar, _) => format!("Bearer {}", key.with_extra_char().expose()),
            (Auth::SchemeBasic, _) => format!("Basic {}", key.expose()),
            (Auth::SchemeToken, _) => format!("Token {}", key.expose()),
            (Auth::Missing | Auth::KeyInQuery, _) => return None,
        };
        // A key that cannot be a header value goes without one: the request is refused, as it
        // must be.
        let mut value = reqwest::header::HeaderValue::from_str(&value).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// `url`, with the key in the query string for [`Auth::KeyInQuery`].
    fn with_query(&self, url: &str, auth: Auth) -> String {
        if auth != Auth::KeyInQuery {
            return url.to_owned();
        }
        let Ok(mut parsed) = Url::parse(url) else {
            return url.to_owned();
        };
        for name in KEY_QUERY_PARAMETERS {
            parsed
                .query_pairs_mut()
                .append_pair(name, self.key.expose());
        }
        parsed.into()
    }

    /// This target acting as the second account: its key is sent as the run's, and the run's
    /// as the other account's; pacing and counters are shared. `None` without a second key.
    pub fn as_second_account(&self) -> Option<Target> {
        let second = self.second_key.clone()?;
        Some(Target {
            own_authorization: own_authorization(&second),
            key: second,
            second_key: Some(self.key.clone()),
            ..self.clone()
        })
    }
}

/// The `Authorization` header of `key`, marked sensitive; `None` when the key cannot be a
/// header value (the request then goes without one, and is refused, as it must be).
fn own_authorization(key: &ApiKey) -> Option<reqwest::header::HeaderValue> {
    let mut value =
        reqwest::header::HeaderValue::from_str(&format!("Bearer {}", key.expose())).ok()?;
    value.set_sensitive(true);
    Some(value)
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
    fn a_base_url_without_a_scheme_says_to_write_one() {
        let error = target("api.extracta.ai/api/v1")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.ends_with("it has no scheme; write it https://api.extracta.ai/api/v1"),
            "{error}"
        );
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
        assert_eq!(remote.pacer.interval("getResults"), Some(GET_RESULTS_PACE));
        let local = target("http://127.0.0.1:1/api/v1").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(local.pacer.interval("getResults"), None);
    }

    #[test]
    fn each_credential_sends_its_header_and_only_the_key_in_query_a_query() {
        let target = target("http://127.0.0.1:1/api/v1")
            .unwrap_or_else(|e| panic!("{e}"))
            .with_second_key(Some(ApiKey::new("second")));
        let sent = |auth| {
            target
                .authorization(auth)
                .map(|v| v.to_str().unwrap_or_default().to_owned())
        };
        for (auth, header) in [
            (Auth::Valid, Some("Bearer k")),
            (Auth::Other, Some("Bearer second")),
            (Auth::Invalid, Some("Bearer extracta-contract-invalid-key")),
            (Auth::Missing, None),
            (Auth::BearerEmpty, Some("Bearer ")),
            (Auth::BearerAlone, Some("Bearer")),
            (Auth::KeyLastCharChanged, Some("Bearer x")),
            (Auth::KeyFirstHalf, Some("Bearer ")),
            (Auth::KeyExtraChar, Some("Bearer kx")),
            (Auth::SchemeBasic, Some("Basic k")),
            (Auth::SchemeToken, Some("Token k")),
            (Auth::KeyInQuery, None),
        ] {
            assert_eq!(sent(auth).as_deref(), header, "{auth}");
            assert_eq!(
                target.with_query("http://h/p", auth) != "http://h/p",
                auth == Auth::KeyInQuery,
                "{auth}"
            );
        }
        assert_eq!(
            target.with_query("http://h/p", Auth::KeyInQuery),
            "http://h/p?api_key=k&apiKey=k&access_token=k"
        );
    }

    #[test]
    fn a_request_url_is_the_whole_url_parsed() {
        let paths = [
            "/documentClassification/deleteFiles",
            "/a/../b",
            "/a/./b/",
            "/a b",
            "/ü%41",
            "//x",
            "/a\\b",
            "/%2e%2e/x",
            "/",
        ];
        for base in [
            "http://127.0.0.1:8787/api/v1",
            "http://127.0.0.1:8787/api/v1/",
            "http://localhost:8787",
            "https://api.extracta.ai/api/v1",
            "https://xn--exmple-cua.example/a%20b",
        ] {
            let target = target(base).unwrap_or_else(|e| panic!("{e}"));
            for path in paths {
                let whole = Url::parse(&format!("{}{path}", target.base_url())).ok();
                assert_eq!(
                    target.request_url(path, Auth::Valid),
                    whole,
                    "{base} {path}"
                );
            }
            for path in ["/a?b=1", "/a#b", "x"] {
                assert_eq!(target.request_url(path, Auth::Valid), None, "{base} {path}");
            }
            assert_eq!(target.request_url("/a", Auth::KeyInQuery), None);
        }
    }

    #[tokio::test]
    async fn an_unreachable_target_names_the_url() {
        // Port 9 on loopback: nothing listens, the connection is refused at once.
        let target = target("http://127.0.0.1:9/api/v1").unwrap_or_else(|e| panic!("{e}"));
        let mut request = Request::json(Endpoint::GetResults, &serde_json::json!({}));
        request.retry = super::super::request::Retry::RateLimitOnly;
        request.path = "/x".to_owned();
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
