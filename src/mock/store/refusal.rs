//! Why the store refuses an operation.

use std::fmt;

use super::quota::QuotaKind;
use crate::contract::situation::Situation;

/// Why the store refused an operation. The HTTP layer gives each its status and wording.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// No classification with this id for this key.
    UnknownClassification {
        /// The id asked for.
        classification_id: String,
    },
    /// No batch with this id in the classification.
    UnknownBatch {
        /// The classification.
        classification_id: String,
        /// The id asked for.
        batch_id: String,
    },
    /// getResults named a file that is not in the batch.
    UnknownFile {
        /// The batch.
        batch_id: String,
        /// The id asked for.
        file_id: String,
    },
    /// Some of the ids deleteFiles named are not in the batch.
    UnknownFiles {
        /// The batch.
        batch_id: String,
        /// The ids not found, in the order named.
        file_ids: Vec<String>,
        /// Whether the list named some files the batch holds (a vendor may word that
        /// otherwise).
        some_known: bool,
    },
    /// deleteFiles with an empty `fileIds` list.
    EmptyFileIds,
    /// uploadFiles without a file.
    NoFiles,
    /// The key holds as much as its quota allows.
    Quota {
        /// Which quota.
        kind: QuotaKind,
        /// Its limit.
        limit: usize,
    },
}

impl Refusal {
    /// The situation, as a vendor profile names it.
    pub fn situation(&self) -> Situation {
        match self {
            Refusal::UnknownClassification { .. } => Situation::UnknownClassification,
            Refusal::UnknownBatch { .. } => Situation::UnknownBatch,
            Refusal::UnknownFile { .. } => Situation::UnknownFile,
            Refusal::UnknownFiles {
                some_known: false, ..
            } => Situation::UnknownFiles,
            Refusal::UnknownFiles {
                some_known: true, ..
            } => Situation::PartlyUnknownFiles,
            Refusal::EmptyFileIds => Situation::EmptyFileIds,
            Refusal::NoFiles => Situation::NoFiles,
            Refusal::Quota { .. } => Situation::Quota,
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::UnknownClassification { classification_id } => {
                write!(f, "classification {classification_id} not found")
            }
            Refusal::UnknownBatch {
                classification_id,
                batch_id,
            } => write!(
                f,
                "batch {batch_id} not found in classification {classification_id}"
            ),
            Refusal::UnknownFile { batch_id, file_id } => {
                write!(f, "file {file_id} not found in batch {batch_id}")
            }
            Refusal::UnknownFiles {
                batch_id, file_ids, ..
            } => write!(
                f,
                "files not found in batch {batch_id}: {}",
                file_ids.join(", ")
            ),
            Refusal::EmptyFileIds => f.write_str("fileIds: at least one file id is required"),
            Refusal::NoFiles => f.write_str("files: at least one file is required"),
            Refusal::Quota { kind, limit } => write!(
                f,
                "quota reached: this mock lets one API key hold at most {limit} {kind}; \
                 delete some first (a limit of the mock, not of the vendor)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_as_the_mock_words_them() {
        let unknown = Refusal::UnknownFiles {
            batch_id: "b".into(),
            file_ids: vec!["x".into(), "y".into()],
            some_known: false,
        };
        assert_eq!(unknown.to_string(), "files not found in batch b: x, y");
        let batch = Refusal::UnknownBatch {
            classification_id: "c".into(),
            batch_id: "b".into(),
        };
        assert_eq!(batch.to_string(), "batch b not found in classification c");
    }
}
