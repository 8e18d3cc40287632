//! The [`Store`]: everything the mock holds, keyed by API key, and the vendor's operations on
//! it (createClassification, viewClassification, uploadFiles, getResults, deleteFiles,
//! deleteBatch, deleteClassification), each all-or-nothing under its key's lock.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::hash::KeyHash;
use super::quota::{
    Quotas, Usage, batch_bytes, classification_bytes, empty_batch_bytes, file_bytes,
};
use super::record::{Classification, NewFile, StoredFile, now_millis};
use super::refusal::Refusal;
use super::seed::{SeedError, SeedRecords};
use super::tenant::Tenant;
use crate::contract::profile::{EmptyList, PartlyUnknown};
use crate::mock::classify::Kept;

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

/// What getResults finds.
#[derive(Debug, Clone, PartialEq)]
pub enum Results {
    /// The batch is still processing (see [`Store::with_processing`]).
    Waiting,
    /// The files asked for, processed.
    Ready(Vec<StoredFile>),
}

/// Everything the mock holds, keyed by API key so that a key sees only its own data.
#[derive(Debug)]
pub struct Store {
    tenants: RwLock<HashMap<String, Mutex<Tenant>, KeyHash>>,
    /// The number of the last generated id; generated ids are never reused, and seeded ids of
    /// the same form raise it, so a generated id never meets a live one.
    last_id: AtomicU64,
    quotas: Quotas,
    processing: Duration,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            tenants: RwLock::default(),
            last_id: AtomicU64::new(0),
            quotas: Quotas::default(),
            processing: Duration::ZERO,
        }
    }
}

impl Store {
    /// An empty store with these quotas per key.
    #[must_use]
    pub fn with_quotas(mut self, quotas: Quotas) -> Self {
        self.quotas = quotas;
        self
    }

    /// getResults answers `waiting` for this long after each upload into a batch.
    #[must_use]
    pub fn with_processing(mut self, processing: Duration) -> Self {
        self.processing = processing;
        self
    }

    fn new_id(&self, prefix: &str) -> String {
        let n = self.last_id.fetch_add(1, Ordering::Relaxed) + 1;
        format!("{prefix}{n:08}")
    }

    /// Runs `f` on the data of `key`, if the key has any, under that key's lock only.
    fn tenant<T>(&self, key: &str, f: impl FnOnce(&mut Tenant) -> T) -> Option<T> {
        let tenants = self.tenants.read().unwrap_or_else(PoisonError::into_inner);
        let tenant = tenants.get(key)?;
        let mut tenant = tenant.lock().unwrap_or_else(PoisonError::into_inner);
        Some(f(&mut tenant))
    }

    /// Runs `f` on the data of `key`, made empty first if the key has none.
    fn tenant_or_new<T>(&self, key: &str, f: impl FnOnce(&mut Tenant) -> T) -> T {
        {
            let tenants = self.tenants.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(tenant) = tenants.get(key) {
                return f(&mut tenant.lock().unwrap_or_else(PoisonError::into_inner));
            }
        }
        let mut tenants = self.tenants.write().unwrap_or_else(PoisonError::into_inner);
        let tenant = tenants.entry(key.to_owned()).or_default();
        f(tenant.get_mut().unwrap_or_else(PoisonError::into_inner))
    }

    fn unknown_classification(id: &str) -> Refusal {
        Refusal::UnknownClassification {
            classification_id: id.to_owned(),
        }
    }

    /// Loads a seed document (already checked against `schemas/seed.json`); classifications
    /// without an `owner` go to `default_key`. Seeds are not held to the quotas.
    ///
    /// # Errors
    /// When the document does not have the seed's shape or an id is used twice or already
    /// held; nothing is loaded then.
    pub fn seed(&self, seed: &Value, default_key: &str) -> Result<(), SeedError> {
        let seed = SeedRecords::read(seed, default_key)?;
        let mut tenants = self.tenants.write().unwrap_or_else(PoisonError::into_inner);
        for tenant in tenants.values_mut() {
            let tenant = tenant.get_mut().unwrap_or_else(PoisonError::into_inner);
            for (cls_id, cls) in &tenant.classifications {
                let held = std::iter::once(cls_id).chain(cls.batches.iter().flat_map(|(id, b)| {
                    std::iter::once(id).chain(b.files.iter().map(|f| &f.file_id))
                }));
                if let Some(id) = held.into_iter().find(|id| seed.ids.contains(id.as_str())) {
                    return Err(SeedError::InUse { id: id.clone() });
                }
            }
        }
        for (owner, id, classification) in seed.classifications {
            let tenant = tenants.entry(owner).or_default();
            let tenant = tenant.get_mut().unwrap_or_else(PoisonError::into_inner);
            tenant.usage.classifications += 1;
            tenant.usage.files += classification
                .batches
                .values()
                .map(|b| b.files.len())
                .sum::<usize>();
            tenant.usage.bytes += classification_bytes(&id, &classification);
            tenant.classifications.insert(id, classification);
        }
        self.last_id.fetch_max(seed.highest, Ordering::Relaxed);
        Ok(())
    }

    /// createClassification: stores `details` (already schema-checked).
    ///
    /// # Errors
    /// [`Refusal::Quota`] when the key holds as much as it may.
    pub fn create_classification(&self, key: &str, details: &Value) -> Result<Created, Refusal> {
        let details: Arc<str> = Arc::from(details.to_string());
        let id = self.new_id("cls-");
        let created_at = now_millis();
        let classification = Classification {
            created_at,
            details,
            classifier: Kept::default(),
            batches: HashMap::new(),
        };
        let bytes = classification_bytes(&id, &classification);
        let quotas = self.quotas;
        self.tenant_or_new(key, |tenant| {
            tenant.check(&quotas, 1, 0, bytes)?;
            tenant.usage.classifications += 1;
            tenant.usage.bytes += bytes;
            tenant.classifications.insert(id.clone(), classification);
            Ok(())
        })?;
        Ok(Created {
            classification_id: id,
            created_at,
        })
    }

    /// viewClassification.
    ///
    /// # Errors
    /// When the key has no such classification.
    pub fn view_classification(&self, key: &str, id: &str) -> Result<ClassificationView, Refusal> {
        let (created_at, details) = self
            .tenant(key, |t| {
                t.classification(id)
                    .map(|c| (c.created_at, Arc::clone(&c.details)))
            })
            .unwrap_or_else(|| Err(Store::unknown_classification(id)))?;
        Ok(ClassificationView {
            created_at,
            // The mock wrote this text itself, from a JSON value.
            details: serde_json::from_str(&details).unwrap_or(Value::Null),
        })
    }

    /// The details of a classification as JSON text, for classifying an upload's files before
    /// they are stored (see [`Classifier::from_details`](crate::mock::classify::Classifier::from_details)),
    /// and where it keeps its classifier once built.
    ///
    /// # Errors
    /// When the key has no such classification.
    pub fn details(&self, key: &str, id: &str) -> Result<(Arc<str>, Kept), Refusal> {
        self.tenant(key, |t| {
            t.classification(id)
                .map(|c| (Arc::clone(&c.details), c.classifier.clone()))
        })
        .unwrap_or_else(|| Err(Store::unknown_classification(id)))
    }

    /// uploadFiles: into `batch` when given (it must exist), else into a new batch.
    ///
    /// # Errors
    /// When there is no file, the classification or the named batch does not exist, or the
    /// key's quota would be exceeded.
    pub fn upload(
        &self,
        key: &str,
        cls_id: &str,
        batch: Option<&str>,
        files: Vec<NewFile>,
    ) -> Result<Uploaded, Refusal> {
        if files.is_empty() {
            return Err(Refusal::NoFiles);
        }
        let batch_id = match batch {
            Some(batch) => batch.to_owned(),
            None => self.new_id("batch-"),
        };
        let stored: Vec<StoredFile> = files
            .into_iter()
            .map(|file| StoredFile {
                file_id: self.new_id("file-"),
                file_name: file.file_name,
                document_type: file.guess.document_type,
                confidence: file.guess.confidence,
            })
            .collect();
        let mut bytes: usize = stored.iter().map(file_bytes).sum();
        if batch.is_none() {
            bytes += empty_batch_bytes(&batch_id);
        }
        let ready_at = (!self.processing.is_zero()).then(|| Instant::now() + self.processing);
        let quotas = self.quotas;
        self.tenant(key, |tenant| {
            let cls = tenant.classification(cls_id)?;
            if let Some(batch) = batch {
                if !cls.batches.contains_key(batch) {
                    return Err(Refusal::UnknownBatch {
                        classification_id: cls_id.to_owned(),
                        batch_id: batch.to_owned(),
                    });
                }
            }
            tenant.check(&quotas, 0, stored.len(), bytes)?;
            tenant.usage.files += stored.len();
            tenant.usage.bytes += bytes;
            let target = tenant
                .classifications
                .get_mut(cls_id)
                .ok_or_else(|| Store::unknown_classification(cls_id))?
                .batches
                .entry(batch_id.clone())
                .or_default();
            target.files.extend(stored.iter().cloned());
            if ready_at.is_some() {
                target.ready_at = ready_at;
            }
            Ok(())
        })
        .unwrap_or_else(|| Err(Store::unknown_classification(cls_id)))?;
        Ok(Uploaded {
            batch_id,
            files: stored,
        })
    }

    /// getResults: every file of the batch, or only `file_id`; [`Results::Waiting`] while the
    /// batch is processing.
    ///
    /// # Errors
    /// When the classification, the batch or the named file does not exist.
    pub fn results(
        &self,
        key: &str,
        cls_id: &str,
        batch_id: &str,
        file_id: Option<&str>,
    ) -> Result<Results, Refusal> {
        self.tenant(key, |tenant| {
            let batch = tenant.batch_mut(cls_id, batch_id)?;
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
            match batch.ready_at {
                Some(at) if Instant::now() < at => Ok(Results::Waiting),
                _ => {
                    batch.ready_at = None;
                    Ok(Results::Ready(files))
                }
            }
        })
        .unwrap_or_else(|| Err(Store::unknown_classification(cls_id)))
    }

    /// deleteFiles: all named files go, or none does. A vendor profile may have the mock
    /// accept an empty list (deleting nothing) and delete the files a partly unknown list
    /// names that the batch holds, as `rules` say.
    ///
    /// # Errors
    /// When the list is empty (and refused), or the classification, the batch or any named
    /// file does not exist (and partly unknown lists are refused, or none is known).
    pub fn delete_files(
        &self,
        key: &str,
        cls_id: &str,
        batch_id: &str,
        file_ids: &[&str],
        rules: (EmptyList, PartlyUnknown),
    ) -> Result<(), Refusal> {
        let (empty, partly) = rules;
        let removed = self
            .tenant(key, |tenant| {
                let batch = tenant.batch_mut(cls_id, batch_id)?;
                if file_ids.is_empty() {
                    return match empty {
                        EmptyList::Refuse => Err(Refusal::EmptyFileIds),
                        EmptyList::Accept => Ok(Vec::new()),
                    };
                }
                // Built once the batch is found: a request for an unknown one costs no set.
                let named: HashSet<&str> = file_ids.iter().copied().collect();
                let held: HashSet<&str> = batch.files.iter().map(|f| f.file_id.as_str()).collect();
                let missing: Vec<String> = file_ids
                    .iter()
                    .filter(|id| !held.contains(**id))
                    .map(|id| (*id).to_owned())
                    .collect();
                let none_known = missing.len() == named.len();
                if !missing.is_empty() && (partly == PartlyUnknown::Refuse || none_known) {
                    return Err(Refusal::UnknownFiles {
                        batch_id: batch_id.to_owned(),
                        file_ids: missing,
                        some_known: !none_known,
                    });
                }
                let (gone, kept): (Vec<StoredFile>, Vec<StoredFile>) =
                    std::mem::take(&mut batch.files)
                        .into_iter()
                        .partition(|f| named.contains(f.file_id.as_str()));
                batch.files = kept;
                tenant.usage.files -= gone.len();
                tenant.usage.bytes -= gone.iter().map(file_bytes).sum::<usize>();
                Ok(gone)
            })
            .unwrap_or_else(|| Err(Store::unknown_classification(cls_id)))?;
        drop(removed);
        Ok(())
    }

    /// deleteBatch.
    ///
    /// # Errors
    /// When the classification or the batch does not exist.
    pub fn delete_batch(&self, key: &str, cls_id: &str, batch_id: &str) -> Result<(), Refusal> {
        let removed = self
            .tenant(key, |tenant| {
                let cls = tenant
                    .classifications
                    .get_mut(cls_id)
                    .ok_or_else(|| Store::unknown_classification(cls_id))?;
                let batch = cls
                    .batches
                    .remove(batch_id)
                    .ok_or_else(|| Refusal::UnknownBatch {
                        classification_id: cls_id.to_owned(),
                        batch_id: batch_id.to_owned(),
                    })?;
                if cls.batches.capacity() > 4 * cls.batches.len() + 16 {
                    cls.batches.shrink_to_fit();
                }
                tenant.usage.files -= batch.files.len();
                tenant.usage.bytes -= batch_bytes(batch_id, &batch);
                Ok(batch)
            })
            .unwrap_or_else(|| Err(Store::unknown_classification(cls_id)))?;
        // Freed here, outside the key's lock.
        drop(removed);
        Ok(())
    }

    /// deleteClassification, with all its batches and files.
    ///
    /// # Errors
    /// When the classification does not exist.
    pub fn delete_classification(&self, key: &str, cls_id: &str) -> Result<(), Refusal> {
        let removed = self
            .tenant(key, |tenant| {
                let cls = tenant
                    .classifications
                    .remove(cls_id)
                    .ok_or_else(|| Store::unknown_classification(cls_id))?;
                tenant.usage.classifications -= 1;
                tenant.usage.files -= cls.batches.values().map(|b| b.files.len()).sum::<usize>();
                tenant.usage.bytes -= classification_bytes(cls_id, &cls);
                tenant.tidy();
                Ok(cls)
            })
            .unwrap_or_else(|| Err(Store::unknown_classification(cls_id)))?;
        drop(removed);
        Ok(())
    }

    /// Every classification, batch and file of every key, one sorted line each: two stores
    /// hold the same data exactly when their digests are equal.
    pub fn digest(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let tenants = self.tenants.read().unwrap_or_else(PoisonError::into_inner);
        for (key, tenant) in tenants.iter() {
            let tenant = tenant.lock().unwrap_or_else(PoisonError::into_inner);
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
        self.usage(key).files
    }

    /// What `key` holds, as its quotas count it.
    pub fn usage(&self, key: &str) -> Usage {
        self.tenant(key, |t| t.usage).unwrap_or_default()
    }

    /// How many entries the store's maps hold or have room for, whatever they are: what
    /// deleted data would leave behind if anything did.
    #[doc(hidden)]
    pub fn footprint(&self) -> usize {
        let tenants = self.tenants.read().unwrap_or_else(PoisonError::into_inner);
        tenants.capacity()
            + tenants
                .values()
                .map(|t| {
                    let t = t.lock().unwrap_or_else(PoisonError::into_inner);
                    t.classifications.capacity()
                        + t.classifications
                            .values()
                            .map(|c| {
                                c.batches.capacity()
                                    + c.batches
                                        .values()
                                        .map(|b| b.files.capacity())
                                        .sum::<usize>()
                            })
                            .sum::<usize>()
                })
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::store::examples::{details, files};

    /// A store holding one classification with one batch of `n` files for key "k".
    fn store_with_batch(n: usize) -> (Store, String, String, Vec<String>) {
        let store = Store::default();
        let cls = store
            .create_classification("k", &details())
            .map(|c| c.classification_id)
            .unwrap_or_default();
        let uploaded = store
            .upload("k", &cls, None, files(n))
            .unwrap_or_else(|r| panic!("{r:?}"));
        let files = uploaded.files.into_iter().map(|f| f.file_id).collect();
        (store, cls, uploaded.batch_id, files)
    }

    /// The mock's own answers to an empty or partly unknown list.
    const RULES: (EmptyList, PartlyUnknown) = (EmptyList::Refuse, PartlyUnknown::Refuse);

    fn ids(results: Result<Results, Refusal>) -> Vec<String> {
        match results {
            Ok(Results::Ready(files)) => files.into_iter().map(|f| f.file_id).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deleting_files_keeps_the_rest_of_the_batch() {
        let (store, cls, batch, files) = store_with_batch(3);
        assert_eq!(
            store.delete_files("k", &cls, &batch, &[files[0].as_str()], RULES),
            Ok(())
        );
        assert_eq!(
            ids(store.results("k", &cls, &batch, None)),
            [files[1].clone(), files[2].clone()]
        );
    }

    #[test]
    fn a_partly_unknown_list_deletes_nothing() {
        let (store, cls, batch, files) = store_with_batch(2);
        let refused = store.delete_files("k", &cls, &batch, &[files[0].as_str(), "nope"], RULES);
        assert_eq!(
            refused,
            Err(Refusal::UnknownFiles {
                batch_id: batch.clone(),
                file_ids: vec!["nope".to_owned()],
                some_known: true,
            })
        );
        assert_eq!(store.file_count("k"), 2);
    }

    #[test]
    fn another_key_cannot_see_or_delete_the_data() {
        let (store, cls, batch, files) = store_with_batch(1);
        let ids: Vec<&str> = files.iter().map(String::as_str).collect();
        assert!(
            store
                .delete_files("other", &cls, &batch, &ids, RULES)
                .is_err()
        );
        assert!(store.results("other", &cls, &batch, None).is_err());
        assert!(store.delete_classification("other", &cls).is_err());
        assert_eq!(store.file_count("k"), 1);
    }

    #[test]
    fn an_upload_into_an_unknown_batch_stores_nothing() {
        let (store, cls, _, _) = store_with_batch(1);
        let before = store.usage("k");
        assert!(store.upload("k", &cls, Some("batch-x"), files(1)).is_err());
        assert_eq!(store.usage("k"), before);
    }

    #[test]
    fn deleting_the_classification_removes_its_files_and_their_usage() {
        let (store, cls, _, _) = store_with_batch(2);
        assert!(store.delete_classification("k", &cls).is_ok());
        assert_eq!(store.usage("k"), Usage::default());
    }

    #[test]
    fn a_processing_batch_is_waiting_then_ready() {
        let store = Store::default().with_processing(Duration::from_secs(3600));
        let cls = store
            .create_classification("k", &details())
            .map(|c| c.classification_id)
            .unwrap_or_default();
        let batch = store
            .upload("k", &cls, None, files(1))
            .map(|u| u.batch_id)
            .unwrap_or_default();
        assert_eq!(store.results("k", &cls, &batch, None), Ok(Results::Waiting));
        let instant = Store::default();
        let cls = instant
            .create_classification("k", &details())
            .map(|c| c.classification_id)
            .unwrap_or_default();
        let batch = instant
            .upload("k", &cls, None, files(1))
            .map(|u| u.batch_id)
            .unwrap_or_default();
        assert_eq!(ids(instant.results("k", &cls, &batch, None)).len(), 1);
    }
}
