//! What the integration tests share: the binary, the cases folder, a client, the built-in
//! mock started in-process, a request sent to its router without a socket, an answer read
//! from a raw socket, and the stand-in vendors (`stand_in`).

pub mod stand_in;

use std::path::PathBuf;
use std::process::Command;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use extracta_contract::{MockBuilder, MockServer};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tower::ServiceExt as _;

/// The repository's own case files.
pub fn cases() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("cases")
}

/// The binary as a person runs it from the repository, without the environment's settings.
pub fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_extracta-contract"));
    without_settings(&mut command).current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// `command` without the environment's settings the binary reads (target, keys, profile, the
/// mock's host, the CI's step summary), so that a developer's own settings, or the CI's,
/// change no test and receive nothing from one.
pub fn without_settings(command: &mut Command) -> &mut Command {
    command
        .env_remove("EXTRACTA_BASE_URL")
        .env_remove("EXTRACTA_API_KEY")
        .env_remove("EXTRACTA_SECOND_API_KEY")
        .env_remove("EXTRACTA_PROFILE")
        .env_remove("EXTRACTA_MOCK_HOST")
        .env_remove("GITHUB_STEP_SUMMARY")
}

/// A client for the tests' own requests. The crate's reqwest has rustls without a crypto
/// provider of its own (Cargo.toml: no aws-lc build); ring's is installed first, as the
/// suite's transport does.
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// The built-in mock as `builder` says, started on a loopback port.
pub async fn start(builder: MockBuilder) -> MockServer {
    builder.start().await.unwrap_or_else(|e| panic!("{e}"))
}

/// What a client sees of `request` sent to the mock's router, no socket between: the status,
/// the content type and the body as JSON (`Null` when it is not).
pub async fn oneshot(
    app: &axum::Router,
    request: Request<Body>,
) -> (StatusCode, Option<String>, Value) {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .unwrap_or_else(|e| match e {});
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = response
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    (
        status,
        content_type,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// `received` as text once it holds a whole HTTP/1.1 answer (a head and the body its
/// Content-Length announces); `None` while more is to come or the head names no length.
/// `last` judges the last head in `received` instead of the first (after pipelined answers).
pub fn whole_answer(received: &[u8], last: bool) -> Option<String> {
    let text = String::from_utf8_lossy(received).into_owned();
    let split = if last {
        text.rsplit_once("\r\n\r\n")
    } else {
        text.split_once("\r\n\r\n")
    };
    let (head, body) = split?;
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_owned)
        })
        .and_then(|n| n.trim().parse::<usize>().ok())?;
    (body.len() >= length).then_some(text)
}
