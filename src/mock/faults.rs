//! How the mock misbehaves on purpose, for users testing their own clients: latency, a random
//! share of 503s, a processing delay, and [`Fault`]s (a status, a body, a delay) on one
//! endpoint or any, for a number of requests or every one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::reply::{JSON, Rejection};
use crate::contract::endpoint::Endpoint;

/// The conditions the mock serves under, beyond the contract: its latency, a random share of
/// 503s, a processing delay, and whether it serves the admin endpoints and keeps a journal.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Conditions {
    /// Added before every answer.
    pub latency: Duration,
    /// The share of requests (0 to 1) answered 503, at random.
    pub fail_rate: f64,
    /// Serve `/__admin/faults` and `/__admin/requests`.
    pub admin: bool,
    /// Keep a journal of the requests received.
    pub record: bool,
    /// How long getResults answers `{"status": "waiting"}` after an upload into a batch.
    pub processing: Duration,
}

/// What a [`Fault`] answers when no `Retry-After` is given for a 429.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

/// A misbehaviour on purpose: a status (with a body), a delay, or both, on one endpoint or
/// any, for some requests or every one.
///
/// ```
/// use std::time::Duration;
/// use extracta_contract::Endpoint;
/// use extracta_contract::mock::Fault;
///
/// // The next two deleteFiles answer 429 with `Retry-After: 3`.
/// let throttled = Fault::status(429).on(Endpoint::DeleteFiles).times(2).retry_after(Duration::from_secs(3));
/// // Every getResults waits half a second, then answers as usual.
/// let slow = Fault::delay(Duration::from_millis(500)).on(Endpoint::GetResults);
/// # let _ = (throttled, slow);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Fault {
    endpoint: Option<Endpoint>,
    status: Option<u16>,
    body: Option<Value>,
    delay: Duration,
    retry_after: Option<Duration>,
    times: Option<u64>,
}

impl Fault {
    /// Answers `status` (400 to 599) with `{"status":"error","message":"injected fault"}`.
    pub fn status(status: u16) -> Fault {
        Fault {
            endpoint: None,
            status: Some(status),
            body: None,
            delay: Duration::ZERO,
            retry_after: None,
            times: None,
        }
    }

    /// Waits `delay`, then answers as usual.
    pub fn delay(delay: Duration) -> Fault {
        Fault {
            status: None,
            delay,
            ..Fault::status(500)
        }
    }

    /// Only on `endpoint` (default: every endpoint).
    pub fn on(mut self, endpoint: Endpoint) -> Fault {
        self.endpoint = Some(endpoint);
        self
    }

    /// Only for the next `n` requests it applies to (default: every one until cleared).
    pub fn times(mut self, n: u64) -> Fault {
        self.times = Some(n);
        self
    }

    /// Answers this JSON body instead of the error body.
    pub fn body(mut self, body: Value) -> Fault {
        self.body = Some(body);
        self
    }

    /// Also waits `delay` before answering.
    pub fn after(mut self, delay: Duration) -> Fault {
        self.delay = delay;
        self
    }

    /// Sends `Retry-After` with this many whole seconds (a 429 sends 1 unless told).
    pub fn retry_after(mut self, wait: Duration) -> Fault {
        self.retry_after = Some(wait);
        self
    }

    /// What is wrong with this fault, if anything.
    pub(crate) fn problem(&self) -> Option<String> {
        if let Some(status) = self.status {
            if !(400..=599).contains(&status) {
                return Some(format!(
                    "a fault's status must be from 400 to 599, got {status}"
                ));
            }
        } else if self.delay.is_zero() {
            return Some("a fault needs a status or a delay".to_owned());
        }
        if self.times == Some(0) {
            return Some("a fault applies to at least 1 request".to_owned());
        }
        None
    }

    /// The endpoint it applies to, if only one.
    pub fn endpoint(&self) -> Option<Endpoint> {
        self.endpoint
    }

    /// How long it waits before answering.
    pub fn wait(&self) -> Duration {
        self.delay
    }

    /// The answer it gives, if it gives one (a delay alone does not).
    pub(crate) fn answer(&self) -> Option<Response> {
        let status = StatusCode::from_u16(self.status?).ok()?;
        let mut response = match &self.body {
            Some(body) => (
                status,
                [(header::CONTENT_TYPE, HeaderValue::from_static(JSON))],
                body.to_string(),
            )
                .into_response(),
            None => Rejection::Injected { status }.into_response(),
        };
        let retry_after = self
            .retry_after
            .or((status == StatusCode::TOO_MANY_REQUESTS).then_some(DEFAULT_RETRY_AFTER));
        if let Some(wait) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(wait.as_secs()));
        }
        Some(response)
    }

    /// The length of the body it answers, as JSON text (0 without one).
    pub(crate) fn body_len(&self) -> usize {
        self.body.as_ref().map_or(0, |body| {
            serde_json::to_vec(body).map_or(usize::MAX, |b| b.len())
        })
    }

    /// A one-line description, for the admin endpoint.
    pub(crate) fn describe(&self) -> String {
        let target = self.endpoint.map_or("request", Endpoint::name);
        let scope = match self.times {
            Some(n) => format!("the next {n} {target}(s)"),
            None => format!("every {target}"),
        };
        let what = match (self.status, self.delay.is_zero()) {
            (Some(status), true) => format!("answer {status}"),
            (Some(status), false) => {
                format!("wait {} ms, then answer {status}", self.delay.as_millis())
            }
            (None, _) => format!("wait {} ms", self.delay.as_millis()),
        };
        format!("{scope} {what}")
    }
}

/// The faults in force, first added first applied.
#[derive(Debug, Default)]
pub struct Faults {
    any: AtomicBool,
    active: Mutex<Vec<Fault>>,
}

impl Faults {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        self.active.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a fault (already checked).
    pub fn add(&self, fault: Fault) {
        let mut active = self.lock();
        active.push(fault);
        self.any.store(true, Ordering::Release);
    }

    /// Adds a fault (already checked) unless `max` are in force already; then how many are.
    ///
    /// # Errors
    /// The number in force, when it is `max` or more.
    pub fn add_within(&self, fault: Fault, max: usize) -> Result<(), usize> {
        let mut active = self.lock();
        if active.len() >= max {
            return Err(active.len());
        }
        active.push(fault);
        self.any.store(true, Ordering::Release);
        Ok(())
    }

    /// Removes every fault.
    pub fn clear(&self) {
        let mut active = self.lock();
        active.clear();
        self.any.store(false, Ordering::Release);
    }

    /// The faults in force.
    pub fn list(&self) -> Vec<Fault> {
        self.lock().clone()
    }

    /// The fault a request to `endpoint` gets, if any; counts it against the fault's times.
    pub fn take(&self, endpoint: Endpoint) -> Option<Fault> {
        if !self.any.load(Ordering::Acquire) {
            return None;
        }
        let mut active = self.lock();
        let at = active
            .iter()
            .position(|f| f.endpoint.is_none_or(|e| e == endpoint))?;
        let fault = active[at].clone();
        if let Some(times) = &mut active[at].times {
            *times -= 1;
            if *times == 0 {
                let _ = active.remove(at);
            }
        }
        self.any.store(!active.is_empty(), Ordering::Release);
        Some(fault)
    }
}

/// A random 503 at `fail_rate`.
pub fn random_failure(fail_rate: f64) -> Option<Response> {
    (fail_rate > 0.0 && fastrand::f64() < fail_rate).then(|| {
        Rejection::Injected {
            status: StatusCode::SERVICE_UNAVAILABLE,
        }
        .into_response()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counted_fault_applies_to_its_endpoint_then_goes() {
        let faults = Faults::default();
        faults.add(Fault::status(502).on(Endpoint::DeleteFiles).times(2));
        assert_eq!(faults.take(Endpoint::GetResults), None);
        assert!(faults.take(Endpoint::DeleteFiles).is_some());
        assert!(faults.take(Endpoint::DeleteFiles).is_some());
        assert_eq!(faults.take(Endpoint::DeleteFiles), None);
    }

    #[test]
    fn a_full_list_takes_no_more_faults_until_cleared() {
        let faults = Faults::default();
        assert_eq!(faults.add_within(Fault::status(503), 2), Ok(()));
        assert_eq!(faults.add_within(Fault::status(502), 2), Ok(()));
        assert_eq!(faults.add_within(Fault::status(500), 2), Err(2));
        assert_eq!(faults.list().len(), 2);
        faults.clear();
        assert_eq!(faults.add_within(Fault::status(500), 2), Ok(()));
    }

    #[test]
    fn a_429_says_when_to_retry() {
        let answer = Fault::status(429).answer();
        assert_eq!(
            answer
                .as_ref()
                .and_then(|a| a.headers().get(header::RETRY_AFTER)),
            Some(&HeaderValue::from_static("1"))
        );
        let told = Fault::status(503)
            .retry_after(Duration::from_secs(7))
            .answer();
        assert_eq!(
            told.as_ref()
                .and_then(|a| a.headers().get(header::RETRY_AFTER)),
            Some(&HeaderValue::from_static("7"))
        );
    }

    #[test]
    fn a_fault_without_status_or_delay_is_refused() {
        assert!(Fault::delay(Duration::ZERO).problem().is_some());
        assert!(Fault::status(200).problem().is_some());
        assert!(Fault::status(503).times(0).problem().is_some());
        assert_eq!(Fault::status(503).problem(), None);
    }
}
