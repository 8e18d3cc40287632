//! The mock's data: classifications, batches and files, kept per API key.
//!
//! Every operation is synchronous and all-or-nothing: it either changes the store and returns
//! the vendor-shaped reply, or returns a [`Rejection`] and changes nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;
use serde_json::{Value, json};

/// A refused request: the status and the message of the `{"status":"error"}` reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The HTTP status.
    pub status: StatusCode,
    /// What went wrong, naming the field or id.
    pub message: String,
}

impl Rejection {
    /// A 400 for a request that is malformed or does not fit the contract.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Rejection {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// A 404 for an id that this key does not own.
    pub fn not_found(message: impl Into<String>) -> Self {
        Rejection {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
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

#[derive(Debug, Clone)]
struct StoredFile {
    file_id: String,
    file_name: String,
    document_type: Option<String>,
    confidence: f64,
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

#[derive(Debug, Clone, Default)]
struct Tenant {
    classifications: BTreeMap<String, Classification>,
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
    /// When an id is used twice; nothing is loaded then.
    pub fn seed(&mut self, seed: &Value, default_key: &str) -> Result<(), String> {
        let mut loaded = Store::default();
        for cls in seed["classifications"].as_array().into_iter().flatten() {
            let id = cls["classificationId"].as_str().unwrap_or_default();
            loaded.claim(id)?;
            let mut batches = BTreeMap::new();
            for batch in cls["batches"].as_array().into_iter().flatten() {
                let batch_id = batch["batchId"].as_str().unwrap_or_default();
                loaded.claim(batch_id)?;
                let mut files = Vec::new();
                for file in batch["files"].as_array().into_iter().flatten() {
                    let file_id = file["fileId"].as_str().unwrap_or_default();
                    loaded.claim(file_id)?;
                    files.push(StoredFile {
                        file_id: file_id.to_owned(),
                        file_name: file["fileName"].as_str().unwrap_or_default().to_owned(),
                        document_type: file["documentType"].as_str().map(str::to_owned),
                        confidence: file["confidence"].as_f64().unwrap_or(0.0),
                    });
                }
                batches.insert(batch_id.to_owned(), Batch { files });
            }
            let owner = cls["owner"].as_str().unwrap_or(default_key);
            loaded
                .tenants
                .entry(owner.to_owned())
                .or_default()
                .classifications
                .insert(
                    id.to_owned(),
                    Classification {
                        created_at: now_millis(),
                        details: cls["classificationDetails"].clone(),
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

    fn classification(&self, key: &str, id: &str) -> Result<&Classification, Rejection> {
        self.tenants
            .get(key)
            .and_then(|t| t.classifications.get(id))
            .ok_or_else(|| Rejection::not_found(format!("classification {id} not found")))
    }

    fn classification_mut(
        &mut self,
        key: &str,
        id: &str,
    ) -> Result<&mut Classification, Rejection> {
        self.tenants
            .get_mut(key)
            .and_then(|t| t.classifications.get_mut(id))
            .ok_or_else(|| Rejection::not_found(format!("classification {id} not found")))
    }

    fn batch_mut(&mut self, key: &str, cls: &str, batch: &str) -> Result<&mut Batch, Rejection> {
        self.classification_mut(key, cls)?
            .batches
            .get_mut(batch)
            .ok_or_else(|| {
                Rejection::not_found(format!("batch {batch} not found in classification {cls}"))
            })
    }

    /// createClassification: stores `details` (already schema-checked).
    pub fn create_classification(&mut self, key: &str, details: Value) -> Value {
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
        json!({"status": "created", "createdAt": created_at, "classificationId": id})
    }

    /// viewClassification.
    pub fn view_classification(&self, key: &str, id: &str) -> Result<Value, Rejection> {
        let cls = self.classification(key, id)?;
        let mut details = cls.details.clone();
        if let Some(map) = details.as_object_mut() {
            map.insert("createdAt".to_owned(), json!(cls.created_at));
        }
        Ok(json!({"status": "success", "classificationId": id, "classificationDetails": details}))
    }

    /// uploadFiles: into `batch` when given (it must exist), else into a new batch.
    pub fn upload(
        &mut self,
        key: &str,
        cls_id: &str,
        batch: Option<&str>,
        uploads: Vec<Upload>,
    ) -> Result<Value, Rejection> {
        if uploads.is_empty() {
            return Err(Rejection::bad_request(
                "files: at least one file is required",
            ));
        }
        let document_types = self.classification(key, cls_id)?.details["documentTypes"].clone();
        if let Some(batch) = batch {
            self.batch_mut(key, cls_id, batch)?;
        }
        let batch_id = match batch {
            Some(batch) => batch.to_owned(),
            None => self.new_id("batch-"),
        };
        let stored: Vec<StoredFile> = uploads
            .into_iter()
            .map(|upload| {
                let (document_type, confidence) = classify(&upload.contents, &document_types);
                StoredFile {
                    file_id: self.new_id("file-"),
                    file_name: upload.file_name,
                    document_type,
                    confidence,
                }
            })
            .collect();
        let files: Vec<Value> = stored
            .iter()
            .map(|f| json!({"fileId": f.file_id, "fileName": f.file_name, "numberOfPages": 1, "url": file_url(&f.file_id)}))
            .collect();
        self.classification_mut(key, cls_id)?
            .batches
            .entry(batch_id.clone())
            .or_default()
            .files
            .extend(stored);
        Ok(
            json!({"status": "success", "classificationId": cls_id, "batchId": batch_id, "files": files}),
        )
    }

    /// getResults: every file of the batch, or only `file_id`.
    pub fn results(
        &mut self,
        key: &str,
        cls_id: &str,
        batch_id: &str,
        file_id: Option<&str>,
    ) -> Result<Value, Rejection> {
        let batch = self.batch_mut(key, cls_id, batch_id)?;
        let files: Vec<Value> = batch
            .files
            .iter()
            .filter(|f| file_id.is_none_or(|id| id == f.file_id))
            .map(|f| {
                json!({
                    "fileId": f.file_id,
                    "fileName": f.file_name,
                    "status": "processed",
                    "result": {"documentType": f.document_type, "confidence": f.confidence},
                    "url": file_url(&f.file_id),
                })
            })
            .collect();
        if let (Some(id), true) = (file_id, files.is_empty()) {
            return Err(Rejection::not_found(format!(
                "file {id} not found in batch {batch_id}"
            )));
        }
        Ok(
            json!({"status": "success", "classificationId": cls_id, "batchId": batch_id, "files": files}),
        )
    }

    /// deleteFiles: all named files go, or none does.
    pub fn delete_files(
        &mut self,
        key: &str,
        cls_id: &str,
        batch_id: &str,
        file_ids: &[&str],
    ) -> Result<Value, Rejection> {
        let batch = self.batch_mut(key, cls_id, batch_id)?;
        if file_ids.is_empty() {
            return Err(Rejection::bad_request(
                "fileIds: at least one file id is required",
            ));
        }
        let missing: Vec<&str> = file_ids
            .iter()
            .filter(|id| !batch.files.iter().any(|f| f.file_id == **id))
            .copied()
            .collect();
        if !missing.is_empty() {
            return Err(Rejection::not_found(format!(
                "files not found in batch {batch_id}: {}",
                missing.join(", ")
            )));
        }
        batch
            .files
            .retain(|f| !file_ids.contains(&f.file_id.as_str()));
        Ok(json!({"status": "success", "message": "Files deleted"}))
    }

    /// deleteBatch.
    pub fn delete_batch(
        &mut self,
        key: &str,
        cls_id: &str,
        batch_id: &str,
    ) -> Result<Value, Rejection> {
        let cls = self.classification_mut(key, cls_id)?;
        cls.batches.remove(batch_id).ok_or_else(|| {
            Rejection::not_found(format!(
                "batch {batch_id} not found in classification {cls_id}"
            ))
        })?;
        Ok(json!({"status": "success", "message": "Batch deleted"}))
    }

    /// deleteClassification, with all its batches and files.
    pub fn delete_classification(&mut self, key: &str, cls_id: &str) -> Result<Value, Rejection> {
        self.tenants
            .get_mut(key)
            .and_then(|t| t.classifications.remove(cls_id))
            .ok_or_else(|| Rejection::not_found(format!("classification {cls_id} not found")))?;
        Ok(json!({"status": "success", "message": "Classification deleted"}))
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

    /// How many files `key` holds in all; used by tests to prove nothing changed.
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

fn file_url(file_id: &str) -> String {
    format!("https://files.mock.invalid/{file_id}")
}

/// Picks the document type whose unique words occur most often in the file's text.
fn classify(contents: &[u8], document_types: &Value) -> (Option<String>, f64) {
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

    fn details() -> Value {
        json!({"name": "n", "documentTypes": [
            {"name": "Invoice", "description": "", "uniqueWords": ["invoice number", "bill to"]},
            {"name": "Receipt", "description": "", "uniqueWords": ["receipt", "paid"]}]})
    }

    fn upload(name: &str, text: &str) -> Upload {
        Upload {
            file_name: name.to_owned(),
            contents: text.as_bytes().to_vec(),
        }
    }

    /// A store holding one classification with one batch of `n` files for key "k".
    fn store_with_batch(n: usize) -> (Store, String, String, Vec<String>) {
        let mut store = Store::default();
        let cls = store.create_classification("k", details())["classificationId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let reply = store
            .upload(
                "k",
                &cls,
                None,
                (0..n)
                    .map(|i| upload(&format!("{i}.pdf"), "Invoice number 1, bill to"))
                    .collect(),
            )
            .unwrap_or_else(|r| panic!("{r:?}"));
        let batch = reply["batchId"].as_str().unwrap_or_default().to_owned();
        let files = reply["files"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["fileId"].as_str())
            .map(str::to_owned)
            .collect();
        (store, cls, batch, files)
    }

    #[test]
    fn deleting_files_keeps_the_rest_of_the_batch() {
        let (mut store, cls, batch, files) = store_with_batch(3);
        let reply = store.delete_files("k", &cls, &batch, &[files[0].as_str()]);
        assert_eq!(
            reply,
            Ok(json!({"status": "success", "message": "Files deleted"}))
        );
        let left = store.results("k", &cls, &batch, None).unwrap_or_default();
        let ids: Vec<&str> = left["files"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["fileId"].as_str())
            .collect();
        assert_eq!(ids, [files[1].as_str(), files[2].as_str()]);
    }

    #[test]
    fn a_partly_unknown_list_deletes_nothing() {
        let (mut store, cls, batch, files) = store_with_batch(2);
        let reply = store.delete_files("k", &cls, &batch, &[files[0].as_str(), "nope"]);
        assert_eq!(reply.map_err(|r| r.status), Err(StatusCode::NOT_FOUND));
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
        assert!(
            store
                .upload("k", &cls, Some("batch-x"), vec![upload("a", "")])
                .is_err()
        );
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
        assert_ne!(created["classificationId"], "cls-00000001");
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
}
