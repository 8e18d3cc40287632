//! The records a key holds: classifications, their batches, their files; and a file an upload
//! brings.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::mock::classify::{Guess, Kept};

/// A stored file, as getResults reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFile {
    /// Its id.
    pub file_id: String,
    /// The name it was uploaded with.
    pub file_name: String,
    /// The document type it was classified as, if any matched.
    pub document_type: Option<Arc<str>>,
    /// How sure the classification is, 0 to 1.
    pub confidence: f64,
}

/// A file an upload brings, already classified.
#[derive(Debug, Clone)]
pub struct NewFile {
    /// The file name sent by the client.
    pub file_name: String,
    /// What it was classified as.
    pub guess: Guess,
}

/// A batch: its files, in upload order.
#[derive(Debug, Default)]
pub struct Batch {
    /// The files.
    pub files: Vec<StoredFile>,
    /// Until when getResults answers `waiting`.
    pub ready_at: Option<Instant>,
}

/// A classification: its details and its batches.
#[derive(Debug)]
pub struct Classification {
    /// When it was created, epoch milliseconds.
    pub created_at: u64,
    /// The details as JSON text: one allocation, whatever their size (uploads read the
    /// document types from it, outside the lock).
    pub details: Arc<str>,
    /// Its classifier, once an upload has built it from the details.
    pub classifier: Kept,
    /// Its batches, by id.
    pub batches: HashMap<String, Batch>,
}

/// Now, in epoch milliseconds.
pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
