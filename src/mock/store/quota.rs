//! How much one key may hold, what it holds, and what each record costs the stored-bytes
//! quota.

use std::fmt;

use super::record::{Batch, Classification, StoredFile};
use crate::mock::limits::Limits;

/// What a classification costs the stored-bytes quota beyond its id and details.
const CLASSIFICATION_OVERHEAD: usize = 256;
/// What a batch costs beyond its id.
const BATCH_OVERHEAD: usize = 96;
/// What a file costs beyond its id and name.
const FILE_OVERHEAD: usize = 64;

/// Which per-key quota a request would exceed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum QuotaKind {
    /// Classifications held.
    Classifications,
    /// Files held.
    Files,
    /// Bytes stored.
    StoredBytes,
}

impl fmt::Display for QuotaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuotaKind::Classifications => "classifications",
            QuotaKind::Files => "files",
            QuotaKind::StoredBytes => "bytes of stored data",
        })
    }
}

/// What one key holds, as its quotas count it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Usage {
    /// Classifications.
    pub classifications: usize,
    /// Files.
    pub files: usize,
    /// Bytes, as [`Limits::max_stored_bytes`] counts them.
    pub bytes: usize,
}

/// How much one key may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// Classifications at most.
    pub classifications: usize,
    /// Files at most.
    pub files: usize,
    /// Stored bytes at most.
    pub bytes: usize,
}

impl From<&Limits> for Quotas {
    fn from(limits: &Limits) -> Self {
        Quotas {
            classifications: limits.max_classifications,
            files: limits.max_files,
            bytes: limits.max_stored_bytes,
        }
    }
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas::from(&Limits::default())
    }
}

/// What a file costs: its id, its name and the overhead.
pub fn file_bytes(file: &StoredFile) -> usize {
    file.file_id.len() + file.file_name.len() + FILE_OVERHEAD
}

/// What a batch costs without its files: its id and the overhead.
pub fn empty_batch_bytes(id: &str) -> usize {
    id.len() + BATCH_OVERHEAD
}

/// What a batch costs: its id, the overhead and its files.
pub fn batch_bytes(id: &str, batch: &Batch) -> usize {
    empty_batch_bytes(id) + batch.files.iter().map(file_bytes).sum::<usize>()
}

/// What a classification costs: its id, its details, the overhead and its batches.
pub fn classification_bytes(id: &str, cls: &Classification) -> usize {
    id.len()
        + cls.details.len()
        + CLASSIFICATION_OVERHEAD
        + cls
            .batches
            .iter()
            .map(|(id, b)| batch_bytes(id, b))
            .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::store::examples::{details, files};
    use crate::mock::store::{Refusal, Store};
    use serde_json::json;

    #[test]
    fn quotas_refuse_what_would_exceed_them_and_change_nothing() {
        let store = Store::default().with_quotas(Quotas {
            classifications: 1,
            files: 3,
            bytes: usize::MAX,
        });
        let cls = store
            .create_classification("k", &details())
            .map(|c| c.classification_id)
            .unwrap_or_default();
        assert_eq!(
            store.create_classification("k", &details()),
            Err(Refusal::Quota {
                kind: QuotaKind::Classifications,
                limit: 1
            })
        );
        assert!(store.create_classification("other", &details()).is_ok());
        assert!(store.upload("k", &cls, None, files(2)).is_ok());
        let before = store.digest();
        assert_eq!(
            store.upload("k", &cls, None, files(2)).map(|_| ()),
            Err(Refusal::Quota {
                kind: QuotaKind::Files,
                limit: 3
            })
        );
        assert_eq!(store.digest(), before);
    }

    #[test]
    fn a_byte_quota_counts_the_details() {
        let store = Store::default().with_quotas(Quotas {
            classifications: 10,
            files: 10,
            bytes: 2_000,
        });
        let big = json!({"name": "x".repeat(3_000), "documentTypes": []});
        assert!(matches!(
            store.create_classification("k", &big),
            Err(Refusal::Quota {
                kind: QuotaKind::StoredBytes,
                ..
            })
        ));
        assert!(store.create_classification("k", &details()).is_ok());
    }
}
