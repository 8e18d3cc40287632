//! Reading a seed document into records: its shape, its ids (each used once, none leaving no
//! room for the ids the mock generates), and why a seed could not be loaded.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use super::record::{Batch, Classification, StoredFile, now_millis};
use crate::contract::schema::Violation;
use crate::mock::classify::Kept;

/// Why a seed could not be loaded; nothing of it is then.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SeedError {
    /// The document breaks `schemas/seed.json`.
    #[error("{}", Listed(.violations))]
    Invalid {
        /// Every violation, with its JSON pointer.
        violations: Vec<Violation>,
    },
    /// The document could not be checked against `schemas/seed.json`.
    #[error("{reason}")]
    Unchecked {
        /// The schema set's reason.
        reason: String,
    },
    /// The document does not have the seed's shape.
    #[error("read the seed: {reason}")]
    Shape {
        /// The parser's reason.
        reason: String,
    },
    /// An id is used twice in the seed.
    #[error("the id {id} is used twice")]
    Repeated {
        /// The id.
        id: String,
    },
    /// An id is already held by the store.
    #[error("the id {id} is already in use")]
    InUse {
        /// The id.
        id: String,
    },
    /// An id of the mock's own form with a number so large that no id could follow it.
    #[error("the id {id} leaves no room for the ids the mock generates")]
    Exhausting {
        /// The id.
        id: String,
    },
}

/// Violations, `; ` separated.
struct Listed<'a>(&'a [Violation]);

impl fmt::Display for Listed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, violation) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

/// A seed's classification, already checked against `schemas/seed.json`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeedClassification {
    owner: Option<String>,
    classification_id: String,
    classification_details: Value,
    #[serde(default)]
    batches: Vec<SeedBatch>,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeedBatch {
    batch_id: String,
    files: Vec<SeedFile>,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct SeedFile {
    file_id: String,
    file_name: String,
    document_type: Option<String>,
    confidence: Option<f64>,
}

#[derive(Debug, Clone, serde::Deserialize)]
struct SeedDocument {
    classifications: Vec<SeedClassification>,
}

/// The prefixes of the ids the mock generates, `<prefix><number>`.
const ID_PREFIXES: [&str; 3] = ["cls-", "batch-", "file-"];

/// The number of an id of the mock's own form, if it is one.
fn generated_number(id: &str) -> Option<u64> {
    let digits = ID_PREFIXES.iter().find_map(|p| id.strip_prefix(p))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Too many digits for a u64: the mock can never generate it.
    digits.parse().ok()
}

/// A seed document as records, its ids checked among themselves (not yet against the store's).
#[derive(Debug)]
pub struct SeedRecords {
    /// Each classification, with its owner's key and its id.
    pub classifications: Vec<(String, String, Classification)>,
    /// Every id the seed uses.
    pub ids: HashSet<String>,
    /// The highest number of an id of the mock's own form, or 0.
    pub highest: u64,
}

impl SeedRecords {
    /// Reads a seed document (already checked against `schemas/seed.json`); classifications
    /// without an `owner` go to `default_key`.
    ///
    /// # Errors
    /// When the document does not have the seed's shape, an id is used twice, or an id of the
    /// mock's own form leaves no room for the ids it generates.
    pub fn read(seed: &Value, default_key: &str) -> Result<SeedRecords, SeedError> {
        let seed: SeedDocument =
            serde::Deserialize::deserialize(seed).map_err(|e: serde_json::Error| {
                SeedError::Shape {
                    reason: e.to_string(),
                }
            })?;
        let mut ids = HashSet::new();
        let mut highest = 0_u64;
        let mut claim = |id: &str| -> Result<(), SeedError> {
            if !ids.insert(id.to_owned()) {
                return Err(SeedError::Repeated { id: id.to_owned() });
            }
            if let Some(n) = generated_number(id) {
                if n > u64::MAX / 2 {
                    return Err(SeedError::Exhausting { id: id.to_owned() });
                }
                highest = highest.max(n);
            }
            Ok(())
        };
        let mut classifications = Vec::new();
        for cls in seed.classifications {
            claim(&cls.classification_id)?;
            let mut batches = HashMap::new();
            for batch in cls.batches {
                claim(&batch.batch_id)?;
                let mut files = Vec::new();
                for file in batch.files {
                    claim(&file.file_id)?;
                    files.push(StoredFile {
                        file_id: file.file_id,
                        file_name: file.file_name,
                        document_type: file.document_type.map(Arc::from),
                        confidence: file.confidence.unwrap_or(0.0),
                    });
                }
                batches.insert(
                    batch.batch_id,
                    Batch {
                        files,
                        ready_at: None,
                    },
                );
            }
            let owner = cls.owner.unwrap_or_else(|| default_key.to_owned());
            let details = cls.classification_details;
            let classification = Classification {
                created_at: now_millis(),
                details: Arc::from(details.to_string()),
                classifier: Kept::default(),
                batches,
            };
            classifications.push((owner, cls.classification_id, classification));
        }
        Ok(SeedRecords {
            classifications,
            ids,
            highest,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::profile::{EmptyList, PartlyUnknown};
    use crate::mock::store::Store;
    use crate::mock::store::examples::details;
    use serde_json::json;

    /// The mock's own answers to an empty or partly unknown list.
    const RULES: (EmptyList, PartlyUnknown) = (EmptyList::Refuse, PartlyUnknown::Refuse);

    #[test]
    fn a_seed_loads_under_its_ids_and_generated_ids_avoid_them() {
        let store = Store::default();
        let seed = json!({"classifications": [{"classificationId": "cls-00000001", "classificationDetails": details(),
            "batches": [{"batchId": "b", "files": [{"fileId": "file-00000007", "fileName": "a.pdf"}]}]}]});
        assert_eq!(store.seed(&seed, "k"), Ok(()));
        assert_eq!(store.file_count("k"), 1);
        let created = store.create_classification("k", &details());
        assert_eq!(
            created.map(|c| c.classification_id),
            Ok("cls-00000008".to_owned())
        );
        assert!(
            store
                .delete_files("k", "cls-00000001", "b", &["file-00000007"], RULES)
                .is_ok()
        );
    }

    #[test]
    fn a_seed_with_a_repeated_or_held_id_loads_nothing() {
        let store = Store::default();
        let seed = json!({"classifications": [{"classificationId": "x", "classificationDetails": details(),
            "batches": [{"batchId": "x", "files": []}]}]});
        assert_eq!(
            store.seed(&seed, "k"),
            Err(SeedError::Repeated { id: "x".to_owned() })
        );
        assert_eq!(store.digest(), Vec::<String>::new());
        let one = json!({"classifications": [{"classificationId": "y", "classificationDetails": details()}]});
        assert_eq!(store.seed(&one, "k"), Ok(()));
        assert_eq!(
            store.seed(&one, "other"),
            Err(SeedError::InUse { id: "y".to_owned() })
        );
    }

    #[test]
    fn a_seeded_id_at_the_end_of_the_numbers_is_refused() {
        let store = Store::default();
        let seed = json!({"classifications": [{"classificationId": "cls-18446744073709551615", "classificationDetails": details()}]});
        assert!(matches!(
            store.seed(&seed, "k"),
            Err(SeedError::Exhausting { .. })
        ));
    }

    #[test]
    fn schema_violations_are_listed_as_they_were_worded() {
        let invalid = SeedError::Invalid {
            violations: vec![
                Violation {
                    pointer: "/classifications/0".to_owned(),
                    message: "a".to_owned(),
                },
                Violation {
                    pointer: String::new(),
                    message: "b".to_owned(),
                },
            ],
        };
        assert_eq!(invalid.to_string(), "/classifications/0: a; /: b");
    }
}
