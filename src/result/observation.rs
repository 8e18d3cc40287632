//! What the checks look at for one case: the answer and the batches read back after it, and
//! the same normalised as a baseline records it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Response;

/// The files a batch held when it was read back, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BatchRead {
    /// The file ids getResults listed.
    Listed(Vec<String>),
    /// getResults refused the batch with this 4xx: the batch is gone.
    Gone {
        /// The refusing status.
        status: u16,
    },
    /// The read failed otherwise; the reason.
    Unreadable(String),
    /// The run was stopped before the read finished.
    Interrupted,
}

impl BatchRead {
    /// The ids, when the batch was read.
    pub fn files(&self) -> Option<&[String]> {
        match self {
            BatchRead::Listed(ids) => Some(ids),
            BatchRead::Gone { .. } | BatchRead::Unreadable(_) | BatchRead::Interrupted => None,
        }
    }

    /// Whether the batch is gone: refused, or listed with no file.
    pub fn is_gone(&self) -> bool {
        match self {
            BatchRead::Listed(ids) => ids.is_empty(),
            BatchRead::Gone { .. } => true,
            BatchRead::Unreadable(_) | BatchRead::Interrupted => false,
        }
    }
}

/// Everything the checks look at for one case.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Observation {
    /// Statuses of the requests sent before the last one (a case with `repeat` > 1).
    pub earlier: Vec<u16>,
    /// The answer to the last request.
    pub response: Response,
    /// For each fixture batch, what getResults listed afterwards.
    pub batches: Vec<BatchRead>,
}

impl Observation {
    /// An observation of one answer and the batches read back after it.
    pub fn new(earlier: Vec<u16>, response: Response, batches: Vec<BatchRead>) -> Self {
        Observation {
            earlier,
            response,
            batches,
        }
    }

    /// Whether any answer, the last or an earlier one, was a 2xx: only then may files be gone.
    pub fn any_success(&self) -> bool {
        self.response.is_success() || self.earlier.iter().any(|s| (200..300).contains(s))
    }
}

/// What one batch held after the request, as a baseline records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum BatchAfter {
    /// The (normalised) ids listed.
    Files(Vec<String>),
    /// `"[gone]"` (getResults refused it) or `"[unreadable]"` (the read failed).
    Note(String),
}

/// A case's observation normalised so that two healthy runs give the same value: what a
/// baseline (`snapshots/<profile>/<case>.snap`) holds, written and read by this one type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct Snapshot {
    /// What each fixture batch held afterwards.
    pub batches_after: Vec<BatchAfter>,
    /// The body, ids and timestamps named, maps sorted (a string when it is not JSON).
    pub body: Value,
    /// The answer's `Content-Type`.
    pub content_type: Option<String>,
    /// Statuses of the earlier sends of a repeated request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier_statuses: Vec<u16>,
    /// The HTTP status.
    pub status: u16,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_snapshot_reads_back_as_it_was_written() {
        let snapshot = Snapshot {
            batches_after: vec![BatchAfter::Files(vec!["[fileId:0]".into()])],
            body: json!({"message": "Files deleted", "status": "success"}),
            content_type: Some("application/json".into()),
            earlier_statuses: vec![],
            status: 200,
        };
        let text = serde_json::to_string_pretty(&snapshot).unwrap_or_default();
        assert!(text.starts_with("{\n  \"batchesAfter\""), "{text}");
        assert!(!text.contains("earlierStatuses"));
        let read: Snapshot = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read, snapshot);
    }
}
