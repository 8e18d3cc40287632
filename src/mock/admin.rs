//! The admin endpoints, served only when asked for (`--admin`,
//! [`MockBuilder::admin`](crate::MockBuilder::admin)): faults to inject, and the requests
//! received.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use serde_json::Value;

use super::faults::Fault;
use super::reply::{error_reply, ok, success};
use super::state::MockState;
use crate::contract::endpoint::Endpoint;

/// Faults: `POST` adds one, `GET` lists them, `DELETE` clears them.
pub const FAULTS: &str = "/__admin/faults";
/// Requests received: `GET` lists them, `DELETE` forgets them.
pub const REQUESTS: &str = "/__admin/requests";

/// Reads a fault from its JSON form:
/// `{"status": 503, "count": 2, "endpoint": "deleteFiles", "body": {...}, "delayMs": 250,
/// "retryAfter": 5}`; only `status` or `delayMs` is required, and without `count` the fault
/// applies to every request until cleared.
///
/// # Errors
/// What is wrong, to answer with 400.
pub fn fault_from_json(document: &Value) -> Result<Fault, String> {
    if !document.is_object() {
        return Err("expected a JSON object".to_owned());
    }
    let number = |field: &str| -> Result<Option<u64>, String> {
        match &document[field] {
            Value::Null => Ok(None),
            value => value
                .as_u64()
                .map(Some)
                .ok_or_else(|| format!("{field}: a whole number is required")),
        }
    };
    let status = match number("status")? {
        Some(s) if (400..=599).contains(&s) => u16::try_from(s).ok(),
        Some(_) => return Err("status: a number from 400 to 599 is required".to_owned()),
        None => None,
    };
    let delay = Duration::from_millis(number("delayMs")?.unwrap_or(0));
    let mut fault = match status {
        Some(status) => Fault::status(status).after(delay),
        None if !delay.is_zero() => Fault::delay(delay),
        None => return Err("status: a number from 400 to 599 is required (or delayMs)".to_owned()),
    };
    match number("count")? {
        Some(0) => return Err("count: a number of at least 1 is required".to_owned()),
        Some(n) => fault = fault.times(n),
        None => {}
    }
    match &document["endpoint"] {
        Value::Null => {}
        Value::String(name) => {
            let endpoint = Endpoint::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Endpoint::ALL.iter().map(|e| e.name()).collect();
                format!(
                    "endpoint: unknown endpoint `{}`; known: {}",
                    name.chars().take(60).collect::<String>(),
                    known.join(", ")
                )
            })?;
            fault = fault.on(endpoint);
        }
        _ => return Err("endpoint: an endpoint name such as deleteFiles is required".to_owned()),
    }
    if let Some(body) = document.get("body") {
        fault = fault.body(body.clone());
    }
    if let Some(seconds) = number("retryAfter")? {
        fault = fault.retry_after(Duration::from_secs(seconds));
    }
    Ok(fault)
}

/// `POST /__admin/faults`: adds a fault (see [`fault_from_json`]), within
/// [`Limits::max_faults`](crate::mock::Limits::max_faults) in force and
/// [`Limits::max_fault_body`](crate::mock::Limits::max_fault_body) of body.
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
    let fault = match fault_from_json(&document) {
        Ok(fault) => fault,
        Err(reason) => return bad(&reason),
    };
    let limits = state.limits();
    let body = fault.body_len();
    if body > limits.max_fault_body {
        return error_reply(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "body: a fault's body may be at most {} bytes of JSON (max_fault_body, a limit of this mock, not of the vendor); this one is {body}",
                limits.max_fault_body
            ),
        );
    }
    let described = fault.describe();
    match state.faults().add_within(fault, limits.max_faults) {
        Ok(()) => success(&described),
        Err(_) => bad(&format!(
            "at most {} faults may be in force at once (max_faults, a limit of this mock, not of the vendor); clear them with DELETE {FAULTS}",
            limits.max_faults
        )),
    }
}

/// `DELETE /__admin/faults`: no more faults.
pub async fn clear_faults(State(state): State<Arc<MockState>>) -> Response {
    state.faults().clear();
    success("no fault is injected")
}

#[derive(Serialize)]
struct FaultList {
    status: &'static str,
    faults: Vec<String>,
}

/// `GET /__admin/faults`: the faults in force, described.
pub async fn list_faults(State(state): State<Arc<MockState>>) -> Response {
    ok(&FaultList {
        status: "success",
        faults: state.faults().list().iter().map(Fault::describe).collect(),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RequestEntry {
    method: String,
    path: String,
    endpoint: Option<&'static str>,
    status: u16,
    holder: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Value>,
    at_ms: u64,
}

#[derive(Serialize)]
struct RequestList {
    status: &'static str,
    requests: Vec<RequestEntry>,
}

/// `GET /__admin/requests`: the journal, oldest first (never a key; bodies as JSON).
pub async fn list_requests(State(state): State<Arc<MockState>>) -> Response {
    let requests = state
        .journal()
        .entries()
        .into_iter()
        .map(|r| RequestEntry {
            body: r.body_json(),
            method: r.method.to_string(),
            path: r.path,
            endpoint: r.endpoint.map(Endpoint::name),
            status: r.status,
            holder: r.holder,
            at_ms: u64::try_from(r.at.as_millis()).unwrap_or(u64::MAX),
        })
        .collect();
    ok(&RequestList {
        status: "success",
        requests,
    })
}

/// `DELETE /__admin/requests`: forgets the requests received.
pub async fn clear_requests(State(state): State<Arc<MockState>>) -> Response {
    state.journal().clear();
    success("the request log is empty")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_old_fault_form_still_means_any_endpoint_for_n_requests() {
        let fault = fault_from_json(&json!({"status": 503, "count": 2}));
        assert_eq!(fault, Ok(Fault::status(503).times(2)));
    }

    #[test]
    fn a_fault_may_name_its_endpoint_body_delay_and_retry() {
        let fault = fault_from_json(&json!({"status": 429, "endpoint": "getResults",
            "body": {"a": 1}, "delayMs": 20, "retryAfter": 3}));
        assert_eq!(
            fault,
            Ok(Fault::status(429)
                .after(Duration::from_millis(20))
                .on(Endpoint::GetResults)
                .body(json!({"a": 1}))
                .retry_after(Duration::from_secs(3)))
        );
    }

    #[test]
    fn a_fault_with_an_unknown_endpoint_or_no_status_is_refused() {
        assert!(fault_from_json(&json!({"status": 503, "endpoint": "nope"})).is_err());
        assert!(fault_from_json(&json!({"count": 1})).is_err());
        assert!(fault_from_json(&json!({"status": 200})).is_err());
    }
}
