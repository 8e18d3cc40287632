//! How the mock misbehaves on purpose, for users testing their own clients: latency, a random
//! share of 503s, and statuses injected through the admin endpoint.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::extract::error_reply;
use super::handlers::success;
use super::state::MockState;

/// The admin endpoint, served only when [`Behaviour::admin`] is set.
pub const ADMIN_FAULTS: &str = "/__admin/faults";

/// How the mock behaves beyond the contract.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Behaviour {
    /// Added before every answer.
    pub latency: Duration,
    /// The share of requests (0 to 1) answered 503, at random.
    pub fail_rate: f64,
    /// Serve `/__admin/faults` to inject a fixed status for the next N requests.
    pub admin: bool,
    /// Keep a journal of the requests received.
    pub record: bool,
}

impl Behaviour {
    /// Whether any request needs the observing layer.
    pub fn is_active(&self) -> bool {
        self.admin || self.record || self.fail_rate > 0.0 || !self.latency.is_zero()
    }
}

/// A status injected for the next `remaining` requests.
#[derive(Debug, Clone, Copy)]
struct Fault {
    status: StatusCode,
    remaining: u64,
}

/// The faults in force.
#[derive(Debug, Default)]
pub struct Faults {
    injected: Mutex<Option<Fault>>,
}

impl Faults {
    /// The injected status this request gets, if any: an admin fault first, else a random
    /// 503 at `fail_rate`.
    pub fn take(&self, fail_rate: f64) -> Option<StatusCode> {
        let mut injected = self.lock();
        if let Some(fault) = injected.as_mut() {
            fault.remaining -= 1;
            let status = fault.status;
            if fault.remaining == 0 {
                *injected = None;
            }
            return Some(status);
        }
        drop(injected);
        (fail_rate > 0.0 && fastrand::f64() < fail_rate).then_some(StatusCode::SERVICE_UNAVAILABLE)
    }

    fn set(&self, fault: Option<Fault>) {
        *self.lock() = fault;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Fault>> {
        self.injected.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `POST /__admin/faults {"status": N, "count": K}`: the next K requests answer N.
pub async fn set_faults(
    State(state): State<Arc<MockState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let bad = |message: &str| error_reply(StatusCode::BAD_REQUEST, message);
    let bytes = match body {
        Ok(bytes) => bytes,
        Err(e) => return error_reply(e.status(), &e.body_text()),
    };
    let document: Value = match serde_json::from_slice(&bytes) {
        Ok(document) => document,
        Err(e) => return bad(&format!("malformed JSON: {e}")),
    };
    let Some(status) = document["status"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .filter(|s| s.is_client_error() || s.is_server_error())
    else {
        return bad("status: a number from 400 to 599 is required");
    };
    let Some(count) = document["count"].as_u64().filter(|c| *c >= 1) else {
        return bad("count: a number of at least 1 is required");
    };
    state.faults().set(Some(Fault {
        status,
        remaining: count,
    }));
    success(&format!(
        "the next {count} request(s) answer {}",
        status.as_u16()
    ))
}

/// `DELETE /__admin/faults`: no more injected statuses.
pub async fn clear_faults(State(state): State<Arc<MockState>>) -> Response {
    state.faults().set(None);
    success("no fault is injected")
}
