//! The observing layer, added only when it has work: after each request, the journal and
//! the request log (with the key's holder, never the key).

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::journal::{CASE_HEADER, Seen};
use super::state::MockState;
use crate::contract::situation::Situation;

/// Writes every request to the journal (admin requests excepted) and logs it.
pub async fn observe(
    State(state): State<Arc<MockState>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let case = request
        .headers()
        .get(CASE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut response = next.run(request).await;
    let seen = response
        .extensions_mut()
        .remove::<Seen>()
        .unwrap_or_default();
    let situation = response.extensions_mut().remove::<Situation>();
    let holder = seen.holder.as_deref().unwrap_or("none").to_owned();
    tracing::info!(
        target: "extracta_contract::mock",
        %method,
        path,
        status = response.status().as_u16(),
        micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        holder,
        "request"
    );
    if state.recording() && !path.starts_with("/__admin") {
        let at = started.saturating_duration_since(state.started());
        state
            .journal()
            .record(&method, &path, response.status(), seen, at, situation, case);
    }
    response
}
