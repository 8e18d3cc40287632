//! The benchmark's ceilings: axum handlers on the same runtime, server stack and allocator as
//! the mock, without auth, validation or state.
//!
//! - The bare ceiling (`/api/v1/documentClassification/deleteFiles`) answers a fixed reply
//!   without reading the body: no server that reads its requests can reach it.
//! - The fair ceiling (`/fair/api/v1/documentClassification/deleteFiles`) does the least a
//!   JSON endpoint does: it reads the body, parses it with serde into the request's type and
//!   answers a fixed `{status, message}` reply (400 when the body does not parse).
//!
//! `cargo run --release --example ceiling -- PORT` prints the bare ceiling's base URL.

use std::io::Write;

use axum::Router;
use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::delete;
use serde::Deserialize;

/// The mock's allocator, so that the ratio between the two measures the mock's own work.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const REPLY: &str = r#"{"status":"error","message":"classification not found"}"#;
const INVALID: &str = r#"{"status":"error","message":"invalid request body"}"#;

/// The deleteFiles request, as a typed server reads it.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "parsed to be checked, not read")]
struct DeleteFiles {
    classification_id: String,
    batch_id: String,
    file_ids: Vec<String>,
}

async fn fair(body: Bytes) -> impl IntoResponse {
    let (status, reply) = match serde_json::from_slice::<DeleteFiles>(&body) {
        Ok(_) => (StatusCode::NOT_FOUND, REPLY),
        Err(_) => (StatusCode::BAD_REQUEST, INVALID),
    };
    (status, [(header::CONTENT_TYPE, "application/json")], reply)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let app = Router::new()
        .route(
            "/api/v1/documentClassification/deleteFiles",
            delete(|| async { ([(header::CONTENT_TYPE, "application/json")], REPLY) }),
        )
        .route(
            "/fair/api/v1/documentClassification/deleteFiles",
            delete(fair),
        );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "http://{}/api/v1", listener.local_addr()?)?;
    stdout.flush()?;
    // SIGTERM ends it cleanly, so profilers such as callgrind write their output.
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            terminate.recv().await;
        })
        .await
}
