//! What the mock received: method, path and the status it answered, oldest first.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use axum::http::{Method, StatusCode};

/// How many requests the journal keeps; older ones are dropped first.
pub const JOURNAL_CAPACITY: usize = 10_000;

/// One request the mock received.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The method.
    pub method: Method,
    /// The path, e.g. `/api/v1/documentClassification/deleteFiles`.
    pub path: String,
    /// The status the mock answered with.
    pub status: u16,
}

/// The requests received, at most [`JOURNAL_CAPACITY`] of them.
#[derive(Debug, Default)]
pub struct Journal {
    entries: Mutex<VecDeque<ReceivedRequest>>,
}

impl Journal {
    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<ReceivedRequest>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes one request down.
    pub fn record(&self, method: &Method, path: &str, status: StatusCode) {
        let mut entries = self.lock();
        if entries.len() == JOURNAL_CAPACITY {
            entries.pop_front();
        }
        entries.push_back(ReceivedRequest {
            method: method.clone(),
            path: path.to_owned(),
            status: status.as_u16(),
        });
    }

    /// Every request kept, oldest first.
    pub fn entries(&self) -> Vec<ReceivedRequest> {
        self.lock().iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_keeps_the_newest_requests_up_to_its_capacity() {
        let journal = Journal::default();
        for n in 0..=JOURNAL_CAPACITY {
            journal.record(&Method::POST, &format!("/{n}"), StatusCode::OK);
        }
        let entries = journal.entries();
        assert_eq!(entries.len(), JOURNAL_CAPACITY);
        assert_eq!(entries[0].path, "/1");
    }
}
