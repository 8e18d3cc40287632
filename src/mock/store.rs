//! The mock's data: classifications, batches and files, kept per API key, with no HTTP in
//! sight.
//!
//! Every operation is synchronous and all-or-nothing: it either changes the store and returns
//! what it did, or returns a [`Refusal`] and changes nothing. Each key's data has a lock of its
//! own, held only to look up or change the data: one key's work never waits for another's,
//! and anything slow (parsing, classifying, freeing what a delete removed) happens outside it.
//! Nothing is kept of deleted data, and each key's data is bounded by its [`Quotas`].

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::contract::profile::{EmptyList, PartlyUnknown};

use super::classify::Verdict;
use super::limits::Limits;

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
    pub fn situation(&self) -> &'static str {
        match self {
            Refusal::UnknownClassification { .. } => "unknown-classification",
            Refusal::UnknownBatch { .. } => "unknown-batch",
            Refusal::UnknownFile { .. } => "unknown-file",
            Refusal::UnknownFiles {
                some_known: false, ..
            } => "unknown-files",
            Refusal::UnknownFiles {
                some_known: true, ..
            } => "partly-unknown-files",
            Refusal::EmptyFileIds => "empty-file-ids",
            Refusal::NoFiles => "no-files",
            Refusal::Quota { .. } => "quota",
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

/// Why a seed could not be loaded; nothing of it is then.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SeedError {
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
    pub verdict: Verdict,
}

#[derive(Debug, Default)]
struct Batch {
    files: Vec<StoredFile>,
    /// Until when getResults answers `waiting`.
    ready_at: Option<Instant>,
}

#[derive(Debug)]
struct Classification {
    created_at: u64,
    /// The details as JSON text: one allocation, whatever their size (uploads read the
    /// document types from it, outside the lock).
    details: Arc<str>,
    batches: HashMap<String, Batch>,
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

/// What getResults finds.
#[derive(Debug, Clone, PartialEq)]
pub enum Results {
    /// The batch is still processing (see [`Store::with_processing`]).
    Waiting,
    /// The files asked for, processed.
    Ready(Vec<StoredFile>),
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

#[derive(Debug, Default)]
struct Tenant {
    classifications: HashMap<String, Classification>,
    usage: Usage,
}

impl Tenant {
    fn classification(&self, id: &str) -> Result<&Classification, Refusal> {
        self.classifications
            .get(id)
            .ok_or_else(|| Refusal::UnknownClassification {
                classification_id: id.to_owned(),
            })
    }

    fn batch_mut(&mut self, cls: &str, batch: &str) -> Result<&mut Batch, Refusal> {
        self.classifications
            .get_mut(cls)
            .ok_or_else(|| Refusal::UnknownClassification {
                classification_id: cls.to_owned(),
            })?
            .batches
            .get_mut(batch)
            .ok_or_else(|| Refusal::UnknownBatch {
                classification_id: cls.to_owned(),
                batch_id: batch.to_owned(),
            })
    }

    fn check(
        &self,
        quotas: &Quotas,
        classifications: usize,
        files: usize,
        bytes: usize,
    ) -> Result<(), Refusal> {
        let over = |kind, limit| Err(Refusal::Quota { kind, limit });
        if self.usage.classifications + classifications > quotas.classifications {
            return over(QuotaKind::Classifications, quotas.classifications);
        }
        if self.usage.files + files > quotas.files {
            return over(QuotaKind::Files, quotas.files);
        }
        if self.usage.bytes + bytes > quotas.bytes {
            return over(QuotaKind::StoredBytes, quotas.bytes);
        }
        Ok(())
    }

    /// Shrinks a map that deletes left mostly empty, so that its memory goes too.
    fn tidy(&mut self) {
        let map = &mut self.classifications;
        if map.capacity() > 4 * map.len() + 16 {
            map.shrink_to_fit();
        }
    }
}

fn file_bytes(file: &StoredFile) -> usize {
    file.file_id.len() + file.file_name.len() + FILE_OVERHEAD
}

fn batch_bytes(id: &str, batch: &Batch) -> usize {
    id.len() + BATCH_OVERHEAD + batch.files.iter().map(file_bytes).sum::<usize>()
}

fn classification_bytes(id: &str, cls: &Classification) -> usize {
    id.len()
        + cls.details.len()
        + CLASSIFICATION_OVERHEAD
        + cls
            .batches
            .iter()
            .map(|(id, b)| batch_bytes(id, b))
            .sum::<usize>()
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

/// Everything the mock holds, keyed by API key so that a key sees only its own data.
#[derive(Debug)]
pub struct Store {
    tenants: RwLock<HashMap<String, Mutex<Tenant>>>,
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

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
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
        let seed = SeedDocument::deserialize_from(seed)?;
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
        let mut loaded: Vec<(String, String, Classification)> = Vec::new();
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
                batches,
            };
            loaded.push((owner, cls.classification_id, classification));
        }
        let mut tenants = self.tenants.write().unwrap_or_else(PoisonError::into_inner);
        for tenant in tenants.values_mut() {
            let tenant = tenant.get_mut().unwrap_or_else(PoisonError::into_inner);
            for (cls_id, cls) in &tenant.classifications {
                let held = std::iter::once(cls_id).chain(cls.batches.iter().flat_map(|(id, b)| {
                    std::iter::once(id).chain(b.files.iter().map(|f| &f.file_id))
                }));
                if let Some(id) = held.into_iter().find(|id| ids.contains(id.as_str())) {
                    return Err(SeedError::InUse { id: id.clone() });
                }
            }
        }
        for (owner, id, classification) in loaded {
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
        self.last_id.fetch_max(highest, Ordering::Relaxed);
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
    /// they are stored (see [`Classifier::from_details`](super::classify::Classifier::from_details)).
    ///
    /// # Errors
    /// When the key has no such classification.
    pub fn details(&self, key: &str, id: &str) -> Result<Arc<str>, Refusal> {
        self.tenant(key, |t| {
            t.classification(id).map(|c| Arc::clone(&c.details))
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
                document_type: file.verdict.document_type,
                confidence: file.verdict.confidence,
            })
            .collect();
        let mut bytes: usize = stored.iter().map(file_bytes).sum();
        if batch.is_none() {
            bytes += batch_id.len() + BATCH_OVERHEAD;
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
        let named: HashSet<&str> = file_ids.iter().copied().collect();
        let removed = self
            .tenant(key, |tenant| {
                let batch = tenant.batch_mut(cls_id, batch_id)?;
                if file_ids.is_empty() {
                    return match empty {
                        EmptyList::Refuse => Err(Refusal::EmptyFileIds),
                        EmptyList::Accept => Ok(Vec::new()),
                    };
                }
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

impl SeedDocument {
    fn deserialize_from(seed: &Value) -> Result<SeedDocument, SeedError> {
        serde::Deserialize::deserialize(seed).map_err(|e: serde_json::Error| SeedError::Shape {
            reason: e.to_string(),
        })
    }
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

    fn files(n: usize) -> Vec<NewFile> {
        (0..n)
            .map(|i| NewFile {
                file_name: format!("{i}.pdf"),
                verdict: Verdict {
                    document_type: None,
                    confidence: 0.0,
                },
            })
            .collect()
    }

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
    fn deleting_the_classification_removes_its_files_and_their_usage() {
        let (store, cls, _, _) = store_with_batch(2);
        assert!(store.delete_classification("k", &cls).is_ok());
        assert_eq!(store.usage("k"), Usage::default());
    }

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
