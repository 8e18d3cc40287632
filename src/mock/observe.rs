//! The observing layer, added only when it has work: latency and injected faults before the
//! handler, the journal and the request log after it.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::extract::Rejection;
use super::state::MockState;

/// Adds latency and injected faults, and logs every request (without its key).
pub async fn observe(
    State(state): State<Arc<MockState>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let auth = match request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.as_bytes())
    {
        None => "none",
        Some(value) if value.starts_with(b"Bearer ") => "Bearer [REDACTED]",
        Some(_) => "other [REDACTED]",
    };
    let behaviour = state.behaviour();
    let response = if path.starts_with("/__admin") {
        next.run(request).await
    } else {
        if !behaviour.latency.is_zero() {
            tokio::time::sleep(behaviour.latency).await;
        }
        match state.faults().take(behaviour.fail_rate) {
            Some(status) => Rejection::Injected { status }.into_response(),
            None => next.run(request).await,
        }
    };
    if behaviour.record {
        state.journal().record(&method, &path, response.status());
    }
    tracing::info!(
        target: "extracta_contract::mock",
        %method,
        path,
        status = response.status().as_u16(),
        micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        auth,
        "request"
    );
    response
}
