//! What the mock received: for each request, the method, the path, the endpoint, the status
//! it answered, who sent it (the key's holder, never the key) and, for JSON requests, the
//! body; the newest [`Limits::journal_entries`](super::limits::Limits::journal_entries) of
//! them, oldest first.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::Value;

use crate::contract::endpoint::Endpoint;
use crate::contract::situation::Situation;

/// The longest JSON body the journal keeps; a longer one is recorded without its body.
pub const JOURNAL_BODY_LIMIT: usize = 16 * 1024;

/// One request the mock received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The method.
    pub method: Method,
    /// The path, e.g. `/api/v1/documentClassification/deleteFiles`.
    pub path: String,
    /// The endpoint at that path, if any.
    pub endpoint: Option<Endpoint>,
    /// The status the mock answered with.
    pub status: u16,
    /// Who sent it: the holder of the key it carried (see
    /// [`MockBuilder::tenant`](crate::MockBuilder::tenant)); `None` without an accepted key.
    pub holder: Option<String>,
    /// The JSON body, when it was at most 16 KiB of UTF-8.
    pub body: Option<String>,
    /// When it arrived, counted from the mock's start.
    pub at: Duration,
    /// The situation of its refusal (`unknown-batch`...), when the mock refused it.
    pub situation: Option<Situation>,
    /// The case it belongs to, when the client named one (`x-extracta-case`).
    pub case: Option<String>,
}

pub use crate::contract::case::CASE_HEADER;

impl ReceivedRequest {
    /// The body as JSON, if it was kept and is JSON.
    pub fn body_json(&self) -> Option<Value> {
        self.body
            .as_deref()
            .and_then(|b| serde_json::from_str(b).ok())
    }
}

/// What a handler tells the journal beyond what the request and the answer show.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// The holder of the key, when accepted.
    pub holder: Option<Arc<str>>,
    /// The JSON body, when short enough.
    pub body: Option<String>,
}

impl Seen {
    /// What to record of a request from `holder` with `body`.
    pub fn new(holder: Option<Arc<str>>, body: &[u8]) -> Seen {
        let body = (body.len() <= JOURNAL_BODY_LIMIT)
            .then(|| std::str::from_utf8(body).ok().map(str::to_owned))
            .flatten()
            .filter(|b| !b.is_empty());
        Seen { holder, body }
    }
}

/// The requests received, at most `capacity` of them.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    entries: Mutex<VecDeque<ReceivedRequest>>,
}

impl Journal {
    /// A journal of at most `capacity` requests.
    pub fn new(capacity: usize) -> Journal {
        Journal {
            capacity,
            entries: Mutex::new(VecDeque::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<ReceivedRequest>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes one request down.
    #[expect(
        clippy::too_many_arguments,
        reason = "one request's facts, written as one entry"
    )]
    pub fn record(
        &self,
        method: &Method,
        path: &str,
        status: StatusCode,
        seen: Seen,
        at: Duration,
        situation: Option<Situation>,
        case: Option<String>,
    ) {
        if self.capacity == 0 {
            return;
        }
        let endpoint = path
            .strip_prefix(crate::contract::endpoint::API_ROOT)
            .and_then(Endpoint::from_path);
        let entry = ReceivedRequest {
            method: method.clone(),
            path: path.to_owned(),
            endpoint,
            status: status.as_u16(),
            holder: seen.holder.map(|h| h.to_string()),
            body: seen.body,
            at,
            situation,
            case,
        };
        let mut entries = self.lock();
        if entries.len() >= self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// Every request kept, oldest first.
    pub fn entries(&self) -> Vec<ReceivedRequest> {
        self.lock().iter().cloned().collect()
    }

    /// Forgets every request.
    pub fn clear(&self) {
        let mut entries = self.lock();
        entries.clear();
        entries.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_keeps_the_newest_requests_up_to_its_capacity() {
        let journal = Journal::new(3);
        for n in 0..=3 {
            journal.record(
                &Method::POST,
                &format!("/{n}"),
                StatusCode::OK,
                Seen::default(),
                Duration::ZERO,
                None,
                None,
            );
        }
        let entries = journal.entries();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].path, "/1");
    }

    #[test]
    fn an_entry_names_its_endpoint_and_keeps_short_bodies_only() {
        let journal = Journal::new(10);
        let path = "/api/v1/documentClassification/deleteFiles";
        journal.record(
            &Method::DELETE,
            path,
            StatusCode::OK,
            Seen::new(Some(Arc::from("alice")), b"{\"a\":1}"),
            Duration::ZERO,
            None,
            None,
        );
        let long = vec![b' '; JOURNAL_BODY_LIMIT + 1];
        journal.record(
            &Method::DELETE,
            path,
            StatusCode::OK,
            Seen::new(None, &long),
            Duration::ZERO,
            None,
            None,
        );
        let entries = journal.entries();
        assert_eq!(entries[0].endpoint, Some(Endpoint::DeleteFiles));
        assert_eq!(entries[0].holder.as_deref(), Some("alice"));
        assert_eq!(entries[0].body_json(), Some(serde_json::json!({"a": 1})));
        assert_eq!(entries[1].body, None);
    }
}
