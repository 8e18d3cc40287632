//! The benchmark's ceiling: a bare axum handler answering deleteFiles with a fixed reply, on
//! the same runtime, server stack and allocator as the mock, without auth, validation or state.
//!
//! `cargo run --release --example ceiling -- PORT` prints its base URL.

use std::io::Write;

use axum::Router;
use axum::http::header;
use axum::routing::delete;

/// The mock's allocator, so that the ratio between the two measures the mock's own work.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const REPLY: &str = r#"{"status":"error","message":"classification not found"}"#;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let app = Router::new().route(
        "/api/v1/documentClassification/deleteFiles",
        delete(|| async { ([(header::CONTENT_TYPE, "application/json")], REPLY) }),
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
