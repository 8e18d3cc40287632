//! The mock's data: classifications, batches and files, kept per API key, with no HTTP in
//! sight.
//!
//! Every operation is synchronous and all-or-nothing: it either changes the store and returns
//! what it did, or returns a [`Refusal`] and changes nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

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
    },
    /// deleteFiles with an empty `fileIds` list.
    EmptyFileIds,
    /// uploadFiles without a file.
    NoFiles,
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
            Refusal::UnknownFiles { batch_id, file_ids } => write!(
                f,
                "files not found in batch {batch_id}: {}",
                file_ids.join(", ")
            ),
            Refusal::EmptyFileIds => f.write_str("fileIds: at least one file id is required"),
            Refusal::NoFiles => f.write_str("files: at least one file is required"),
        }
    }
}

/// A file to be stored by an upload.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The file name sent by the client.
    pub file_name: String,
    /// Its bytes.
    pub contents: Vec<u8>,
}

/// A stored file, as getResults reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFile {
    /// Its id.
    pub file_id: String,
    /// The name it was uploaded with.
    pub file_name: String,
    /// The document type it was classified as, if any matched.
    pub document_type: Option<String>,
    /// How sure the classification is, 0 to 1.
    pub confidence: f64,
}

#[derive(Debug, Clone, Default)]
struct Batch {
    files: Vec<StoredFile>,
}

#[derive(Debug, Clone)]
struct Classification {
    created_at: u64,
    details: Value,
    batches: BTreeMap<String, Batch>,
}

/// A classification as viewClassification shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassificationView {
    /// When it was created, epoch milliseconds.
    pub created_at: u64,
    /// The details it was created with.
    pub details: Value,
}

/// What a new classification got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// Its id.
    pub classification_id: String,
    /// When, epoch milliseconds.
    pub created_at: u64,
}

/// What an upload stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Uploaded {
    /// The batch the files went into (new or named).
    pub batch_id: String,
    /// The files, in upload order.
    pub files: Vec<StoredFile>,
}

#[derive(Debug, Clone, Default)]
struct Tenant {
    classifications: BTreeMap<String, Classification>,
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
struct Seed {
    classifications: Vec<SeedClassification>,
}

/// Everything the mock holds, keyed by API key so that a key sees only its own data.
#[derive(Debug, Default)]
pub struct Store {
    tenants: HashMap<String, Tenant>,
    next_id: u64,
    /// Every id in use, so that generated ids never collide with seeded ones.
    used: HashSet<String>,
}

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Store {
    fn new_id(&mut self, prefix: &str) -> String {
        loop {
            self.next_id += 1;
            let id = format!("{prefix}{:08}", self.next_id);
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }

    fn claim(&mut self, id: &str) -> Result<(), String> {
        if self.used.insert(id.to_owned()) {
            Ok(())
        } else {
            Err(format!("the id {id} is used twice"))
        }
    }

    /// Loads a seed document (already checked against `schemas/seed.json`); classifications
    /// without an `owner` go to `default_key`.
    ///
    /// # Errors
    /// When the document does not have the seed's shape or an id is used twice; nothing is
    /// loaded then.
    pub fn seed(&mut self, seed: &Value, default_key: &str) -> Result<(), String> {
        let seed: Seed = serde_json::from_value(seed.clone()).map_err(|e| e.to_string())?;
        let mut loaded = Store::default();
        for cls in seed.classifications {
            loaded.claim(&cls.classification_id)?;
            let mut batches = BTreeMap::new();
            for batch in cls.batches {
                loaded.claim(&batch.batch_id)?;
                let mut files = Vec::new();
                for file in batch.files {
                    loaded.claim(&file.file_id)?;
                    files.push(StoredFile {
                        file_id: file.file_id,
                        file_name: file.file_name,
                        document_type: file.document_type,
                        confidence: file.confidence.unwrap_or(0.0),
                    });
                }
                batches.insert(batch.batch_id, Batch { files });
            }
            let owner = cls.owner.unwrap_or_else(|| default_key.to_owned());
            loaded
                .tenants
                .entry(owner)
                .or_default()
                .classifications
                .insert(
                    cls.classification_id,
                    Classification {
                        created_at: now_millis(),
                        details: cls.classification_details,
                        batches,
                    },
                );
        }
        if let Some(id) = loaded.used.iter().find(|id| self.used.contains(*id)) {
            return Err(format!("the id {id} is already in use"));
        }
        self.used.extend(loaded.used);
        for (key, tenant) in loaded.tenants {
            self.tenants
                .entry(key)
                .or_default()
                .classifications
                .extend(tenant.classifications);
        }
        Ok(())
    }

    fn classification(&self, key: &str, id: &str) -> Result<&Classification, Refusal> {
        self.tenants
            .get(key)
            .and_then(|t| t.classifications.get(id))
            .ok_or_else(|| Refusal::UnknownClassification {
                classification_id: id.to_owned(),
            })
    }

    fn classification_mut(&mut self, key: &str, id: &str) -> Result<&mut Classification, Refusal> {
        self.tenants
            .get_mut(key)
            .and_then(|t| t.classifications.get_mut(id))
            .ok_or_else(|| Refusal::UnknownClassification {
                classification_id: id.to_owned(),
            })
    }

    fn batch_mut(&mut self, key: &str, cls: &str, batch: &str) -> Result<&mut Batch, Refusal> {
        self.classification_mut(key, cls)?
            .batches
            .get_mut(batch)
            .ok_or_else(|| Refusal::UnknownBatch {
                classification_id: cls.to_owned(),
                batch_id: batch.to_owned(),
            })
    }

    /// createClassification: stores `details` (already schema-checked).
    pub fn create_classification(&mut self, key: &str, details: Value) -> Created {
        let id = self.new_id("cls-");
        let created_at = now_millis();
        self.tenants
            .entry(key.to_owned())
            .or_default()
            .classifications
            .insert(
                id.clone(),
                Classification {
                    created_at,
                    details,
                    batches: BTreeMap::new(),
                },
            );
        Created {
            classification_id: id,
            created_at,
        }
    }

    /// viewClassification.
    ///
    /// # Errors
    /// When the key has no such classification.
    pub fn view_classification(&self, key: &str, id: &str) -> Result<ClassificationView, Refusal> {
        let cls = self.classification(key, id)?;
        Ok(ClassificationView {
            created_at: cls.created_at,
            details: cls.details.clone(),
        })
    }

    /// The document types of a classification, for classifying uploads before they are stored.
    ///
    /// # Errors
    /// When the key has no such classification.
    pub fn document_types(&self, key: &str, id: &str) -> Result<Value, Refusal> {
        Ok(self.classification(key, id)?.details["documentTypes"].clone())
    }

    /// uploadFiles: into `batch` when given (it must exist), else into a new batch. Each
    /// upload comes with the document type and confidence already worked out.
    ///
    /// # Errors
    /// When there is no file, or the classification or the named batch does not exist.
    pub fn upload(
        &mut self,
        key: &str,
        cls_id: &str,
        batch: Option<&str>,
        uploads: Vec<(String, Option<String>, f64)>,
    ) -> Result<Uploaded, Refusal> {
        if uploads.is_empty() {
            return Err(Refusal::NoFiles);
        }
        self.classification(key, cls_id)?;
        if let Some(batch) = batch {
            self.batch_mut(key, cls_id, batch)?;
        }
        let batch_id = match batch {
            Some(batch) => batch.to_owned(),
            None => self.new_id("batch-"),
        };
        let stored: Vec<StoredFile> = uploads
            .into_iter()
            .map(|(file_name, document_type, confidence)| StoredFile {
                file_id: self.new_id("file-"),
                file_name,
                document_type,
                confidence,
            })
            .collect();
        self.classification_mut(key, cls_id)?
            .batches
            .entry(batch_id.clone())
            .or_default()
            .files
            .extend(stored.iter().cloned());
        Ok(Uploaded {
            batch_id,
            files: stored,
        })
    }

    /// getResults: every file of the batch, or only `file_id`.
    ///
    /// # Errors
    /// When the classification, the batch or the named file does not exist.
    pub fn results(
        &mut self,
        key: &str,
        cls_id: &str,
        batch_id: &str,
        file_id: Option<&str>,
    ) -> Result<Vec<StoredFile>, Refusal> {
        let batch = self.batch_mut(key, cls_id, batch_id)?;
        let files: Vec<StoredFile> = batch
            .files
            .iter()
            .filter(|f| file_id.is_none_or(|id| id == f.file_id))
            .cloned()
            .collect();
        if let (Some(id), true) = (file_id, files.is_empty()) {
            return Err(Refusal::UnknownFile {
                batch_id: batch_id.to_owned(),
                file_id: id.to_owned(),
            });
        }
        Ok(files)
    }

    /// deleteFiles: all named files go, or none does.
    ///
    /// # Errors
    /// When the list is empty, or the classification, the batch or any named file does not
    /// exist.
    pub fn delete_files(
        &mut self,
        key: &str,
        cls_id: &str,
        batch_id: &str,
        file_ids: &[&str],
    ) -> Result<(), Refusal> {
        let batch = self.batch_mut(key, cls_id, batch_id)?;
        if file_ids.is_empty() {
            return Err(Refusal::EmptyFileIds);
        }
        let missing: Vec<String> = file_ids
            .iter()
            .filter(|id| !batch.files.iter().any(|f| f.file_id == **id))
            .map(|id| (*id).to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(Refusal::UnknownFiles {
                batch_id: batch_id.to_owned(),
                file_ids: missing,
            });
        }
        batch
            .files
            .retain(|f| !file_ids.contains(&f.file_id.as_str()));
        Ok(())
    }

    /// deleteBatch.
    ///
    /// # Errors
    /// When the classification or the batch does not exist.
    pub fn delete_batch(&mut self, key: &str, cls_id: &str, batch_id: &str) -> Result<(), Refusal> {
        let cls = self.classification_mut(key, cls_id)?;
        cls.batches
            .remove(batch_id)
            .map(|_| ())
            .ok_or_else(|| Refusal::UnknownBatch {
                classification_id: cls_id.to_owned(),
                batch_id: batch_id.to_owned(),
            })
    }

    /// deleteClassification, with all its batches and files.
    ///
    /// # Errors
    /// When the classification does not exist.
    pub fn delete_classification(&mut self, key: &str, cls_id: &str) -> Result<(), Refusal> {
        self.tenants
            .get_mut(key)
            .and_then(|t| t.classifications.remove(cls_id))
            .map(|_| ())
            .ok_or_else(|| Refusal::UnknownClassification {
                classification_id: cls_id.to_owned(),
            })
    }

    /// Every classification, batch and file of every key, one sorted line each: two stores
    /// hold the same data exactly when their digests are equal.
    pub fn digest(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (key, tenant) in &self.tenants {
            for (cls, classification) in &tenant.classifications {
                lines.push(format!("{key}/{cls}"));
                for (batch, content) in &classification.batches {
                    lines.push(format!("{key}/{cls}/{batch}"));
                    lines.extend(
                        content
                            .files
                            .iter()
                            .map(|f| format!("{key}/{cls}/{batch}/{}", f.file_id)),
                    );
                }
            }
        }
        lines.sort();
        lines
    }

    /// How many files `key` holds in all.
    pub fn file_count(&self, key: &str) -> usize {
        self.tenants.get(key).map_or(0, |t| {
            t.classifications
                .values()
                .flat_map(|c| c.batches.values())
                .map(|b| b.files.len())
                .sum()
        })
    }
}

/// Picks the document type whose unique words occur most often in the file's text.
pub fn classify(contents: &[u8], document_types: &Value) -> (Option<String>, f64) {
    let text = String::from_utf8_lossy(contents).to_lowercase();
    let mut best: Option<(String, f64)> = None;
    for document_type in document_types.as_array().into_iter().flatten() {
        let words: Vec<&str> = document_type["uniqueWords"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if words.is_empty() {
            continue;
        }
        let hits = words
            .iter()
            .filter(|w| text.contains(&w.to_lowercase()))
            .count();
        #[expect(clippy::cast_precision_loss, reason = "word counts are tiny")]
        let score = hits as f64 / words.len() as f64;
        if score > 0.0 && best.as_ref().is_none_or(|(_, s)| score > *s) {
            let name = document_type["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            best = Some((name, score));
        }
    }
    best.map_or((None, 0.0), |(name, score)| (Some(name), score))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn details() -> Value {
        json!({"name": "n", "documentTypes": [
            {"name": "Invoice", "description": "", "uniqueWords": ["invoice number", "bill to"]},
            {"name": "Receipt", "description": "", "uniqueWords": ["receipt", "paid"]}]})
    }

    /// A store holding one classification with one batch of `n` files for key "k".
    fn store_with_batch(n: usize) -> (Store, String, String, Vec<String>) {
        let mut store = Store::default();
        let cls = store
            .create_classification("k", details())
            .classification_id;
        let uploaded = store
            .upload(
                "k",
                &cls,
                None,
                (0..n).map(|i| (format!("{i}.pdf"), None, 0.0)).collect(),
            )
            .unwrap_or_else(|r| panic!("{r:?}"));
        let files = uploaded.files.into_iter().map(|f| f.file_id).collect();
        (store, cls, uploaded.batch_id, files)
    }

    fn ids(files: &[StoredFile]) -> Vec<&str> {
        files.iter().map(|f| f.file_id.as_str()).collect()
    }

    #[test]
    fn deleting_files_keeps_the_rest_of_the_batch() {
        let (mut store, cls, batch, files) = store_with_batch(3);
        assert_eq!(
            store.delete_files("k", &cls, &batch, &[files[0].as_str()]),
            Ok(())
        );
        let left = store.results("k", &cls, &batch, None).unwrap_or_default();
        assert_eq!(ids(&left), [files[1].as_str(), files[2].as_str()]);
    }

    #[test]
    fn a_partly_unknown_list_deletes_nothing() {
        let (mut store, cls, batch, files) = store_with_batch(2);
        let refused = store.delete_files("k", &cls, &batch, &[files[0].as_str(), "nope"]);
        assert_eq!(
            refused,
            Err(Refusal::UnknownFiles {
                batch_id: batch.clone(),
                file_ids: vec!["nope".to_owned()]
            })
        );
        assert_eq!(store.file_count("k"), 2);
    }

    #[test]
    fn another_key_cannot_see_or_delete_the_data() {
        let (mut store, cls, batch, files) = store_with_batch(1);
        let ids: Vec<&str> = files.iter().map(String::as_str).collect();
        assert!(store.delete_files("other", &cls, &batch, &ids).is_err());
        assert!(store.results("other", &cls, &batch, None).is_err());
        assert!(store.delete_classification("other", &cls).is_err());
        assert_eq!(store.file_count("k"), 1);
    }

    #[test]
    fn an_upload_into_an_unknown_batch_stores_nothing() {
        let (mut store, cls, _, _) = store_with_batch(1);
        let upload = vec![("a".to_owned(), None, 0.0)];
        assert!(store.upload("k", &cls, Some("batch-x"), upload).is_err());
        assert_eq!(store.file_count("k"), 1);
    }

    #[test]
    fn files_are_classified_by_their_unique_words() {
        let (document_type, confidence) =
            classify(b"RECEIPT ... amount paid", &details()["documentTypes"]);
        assert_eq!(
            (document_type.as_deref(), confidence),
            (Some("Receipt"), 1.0)
        );
        assert_eq!(classify(b"nothing", &details()["documentTypes"]).0, None);
    }

    #[test]
    fn a_seed_loads_under_its_ids_and_generated_ids_avoid_them() {
        let mut store = Store::default();
        let seed = json!({"classifications": [{"classificationId": "cls-00000001", "classificationDetails": details(),
            "batches": [{"batchId": "b", "files": [{"fileId": "f", "fileName": "a.pdf"}]}]}]});
        assert_eq!(store.seed(&seed, "k"), Ok(()));
        assert_eq!(store.file_count("k"), 1);
        let created = store.create_classification("k", details());
        assert_ne!(created.classification_id, "cls-00000001");
        assert!(store.delete_files("k", "cls-00000001", "b", &["f"]).is_ok());
    }

    #[test]
    fn a_seed_with_a_repeated_id_loads_nothing() {
        let mut store = Store::default();
        let seed = json!({"classifications": [{"classificationId": "x", "classificationDetails": details(),
            "batches": [{"batchId": "x", "files": []}]}]});
        assert!(store.seed(&seed, "k").is_err());
        assert_eq!(store.file_count("k"), 0);
    }

    #[test]
    fn deleting_the_classification_removes_its_files() {
        let (mut store, cls, _, _) = store_with_batch(2);
        assert!(store.delete_classification("k", &cls).is_ok());
        assert_eq!(store.file_count("k"), 0);
    }

    #[test]
    fn refusals_read_as_the_mock_words_them() {
        let unknown = Refusal::UnknownFiles {
            batch_id: "b".into(),
            file_ids: vec!["x".into(), "y".into()],
        };
        assert_eq!(unknown.to_string(), "files not found in batch b: x, y");
        let batch = Refusal::UnknownBatch {
            classification_id: "c".into(),
            batch_id: "b".into(),
        };
        assert_eq!(batch.to_string(), "batch b not found in classification c");
    }
}
