//! What the run created, and the rail that keeps it from deleting anything else.
//!
//! Every id the vendor hands the run is written here; a destructive request that names an id
//! the ledger does not hold is refused before it leaves the process, and the cap on deletes
//! (`--max-deletes`) is counted here.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use serde_json::Value;

use super::transport::request::{Body, Request};

/// An id that exists nowhere; cases use it as `{{unknownId}}`.
pub const UNKNOWN_ID: &str = "extracta-contract-unknown-id";

/// Whether `id` names nothing on any target: the unknown id, the unknown id followed by
/// anything (the odd ids the explorer sends), or text of whitespace and control characters
/// only (the empty string among them), which no vendor hands out as an id.
pub fn is_nowhere(id: &str) -> bool {
    id.starts_with(UNKNOWN_ID) || id.chars().all(|c| c.is_whitespace() || c.is_control())
}

/// Why the ledger refused to let a request go.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// A destructive request named an id this run did not create.
    #[error("refused to send a destructive request for {id}: this run did not create it")]
    NotOwned {
        /// The id.
        id: String,
    },
    /// The cap on destructive requests was reached.
    #[error("refused to send a destructive request: the cap of {max} (--max-deletes) is reached")]
    DeleteCap {
        /// The cap.
        max: u64,
    },
}

/// Everything this run created, and the cap on the deletes its cases may send.
#[derive(Debug, Default)]
pub struct Ledger {
    owned: Mutex<Owned>,
    max_deletes: Option<u64>,
    deletes: AtomicU64,
}

#[derive(Debug, Default)]
struct Owned {
    /// Classifications the run created, to delete at the end.
    classifications: Vec<String>,
    /// Batches the run uploaded, as `(classificationId, batchId)`.
    batches: Vec<(String, String)>,
    /// Every id the run may name in a destructive request.
    ids: HashSet<String>,
    /// The batch each uploaded file went into, as `(classificationId, batchId)`.
    batch_of: HashMap<String, (String, String)>,
    /// Which answer handed out each classification and batch id.
    origin: HashMap<String, &'static str>,
    /// Files seen listed, under this run's marker, in a batch read back.
    proven: HashSet<String>,
}

impl Ledger {
    /// An empty ledger; `max_deletes` caps the destructive requests of cases.
    pub fn new(max_deletes: Option<u64>) -> Self {
        Ledger {
            max_deletes,
            ..Ledger::default()
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Owned> {
        self.owned.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a classification the run created (the target's word, until a read proves it);
    /// whether it is new: an id the target handed out before is recorded once.
    pub fn record_classification(&self, id: &str) -> bool {
        let mut owned = self.lock();
        if owned.classifications.iter().any(|c| c == id) {
            return false;
        }
        owned.classifications.push(id.to_owned());
        owned.ids.insert(id.to_owned());
        owned.origin.insert(id.to_owned(), "createClassification");
        true
    }

    /// Marks a classification the run may name but must never delete (`--classification-id`).
    pub fn borrow_classification(&self, id: &str) {
        self.lock().ids.insert(id.to_owned());
    }

    /// Records a batch the run uploaded; whether it is new: a batch recorded before is
    /// recorded once.
    pub fn record_batch(&self, classification_id: &str, batch_id: &str) -> bool {
        let mut owned = self.lock();
        let entry = (classification_id.to_owned(), batch_id.to_owned());
        if owned.batches.contains(&entry) {
            return false;
        }
        owned.batches.push(entry);
        owned.ids.insert(batch_id.to_owned());
        owned
            .origin
            .entry(batch_id.to_owned())
            .or_insert("uploadFiles");
        true
    }

    /// Records a file the run uploaded into batch `batch_id` of `classification_id`.
    pub fn record_file(&self, id: &str, classification_id: &str, batch_id: &str) {
        let mut owned = self.lock();
        owned.ids.insert(id.to_owned());
        owned.batch_of.insert(
            id.to_owned(),
            (classification_id.to_owned(), batch_id.to_owned()),
        );
        owned.origin.insert(id.to_owned(), "uploadFiles");
    }

    /// The batch a file was uploaded into, as `(classificationId, batchId)`.
    pub fn batch_of(&self, file_id: &str) -> Option<(String, String)> {
        self.lock().batch_of.get(file_id).cloned()
    }

    /// Which answer of the target handed out `id` (`createClassification`, `uploadFiles`).
    pub fn origin(&self, id: &str) -> Option<&'static str> {
        self.lock().origin.get(id).copied()
    }

    /// Notes files seen listed under this run's marker.
    pub fn prove_files<'a>(&self, ids: impl IntoIterator<Item = &'a str>) {
        let mut owned = self.lock();
        owned.proven.extend(ids.into_iter().map(str::to_owned));
    }

    /// Whether a file was seen listed under this run's marker.
    pub fn is_proven(&self, file_id: &str) -> bool {
        self.lock().proven.contains(file_id)
    }

    /// Forgets a classification a case deleted: there is nothing left to delete. Its ids stay
    /// the run's, so that a request naming them is still allowed.
    pub fn forget_classification(&self, id: &str) {
        let mut owned = self.lock();
        owned.classifications.retain(|c| c != id);
        owned.batches.retain(|(c, _)| c != id);
    }

    /// Forgets a batch a case deleted.
    pub fn forget_batch(&self, classification_id: &str, batch_id: &str) {
        self.lock()
            .batches
            .retain(|(c, b)| !(c == classification_id && b == batch_id));
    }

    /// The classifications to delete at the end.
    pub fn classifications(&self) -> Vec<String> {
        self.lock().classifications.clone()
    }

    /// The batches this run created, as `(classificationId, batchId)`.
    pub fn batches(&self) -> Vec<(String, String)> {
        self.lock().batches.clone()
    }

    /// Whether this run created `id` (or it names nothing: [`is_nowhere`]).
    pub fn owns(&self, id: &str) -> bool {
        is_nowhere(id) || self.lock().ids.contains(id)
    }

    /// Refuses a destructive request whose body names an id that this run did not create.
    ///
    /// # Errors
    /// [`LedgerError::NotOwned`] with the first such id.
    pub fn authorise(&self, request: &Request) -> Result<(), LedgerError> {
        if !request.is_destructive() {
            return Ok(());
        }
        let Body::Bytes(bytes) = &request.body else {
            return Ok(());
        };
        // A body that is not JSON names no id a server could act on.
        let Ok(document) = serde_json::from_slice::<Value>(bytes) else {
            return Ok(());
        };
        let mut named: Vec<&str> = ["classificationId", "batchId", "fileId"]
            .iter()
            .filter_map(|field| document.get(field).and_then(Value::as_str))
            .collect();
        if let Some(Value::Array(ids)) = document.get("fileIds") {
            named.extend(ids.iter().filter_map(Value::as_str));
        }
        match named.into_iter().find(|id| !self.owns(id)) {
            Some(id) => Err(LedgerError::NotOwned { id: id.to_owned() }),
            None => Ok(()),
        }
    }

    /// Counts one destructive request of a case against the cap.
    ///
    /// # Errors
    /// [`LedgerError::DeleteCap`] once the cap is reached.
    pub fn take_delete(&self) -> Result<(), LedgerError> {
        let sent = self.deletes.fetch_add(1, Ordering::SeqCst);
        match self.max_deletes {
            Some(max) if sent >= max => Err(LedgerError::DeleteCap { max }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::endpoint::Endpoint;
    use serde_json::json;

    fn delete(body: Value) -> Request {
        Request::json(Endpoint::DeleteFiles, &body)
    }

    #[test]
    fn a_delete_naming_a_foreign_file_is_refused() {
        let ledger = Ledger::default();
        ledger.record_classification("c1");
        ledger.record_batch("c1", "b1");
        ledger.record_file("f1", "c1", "b1");
        let ours = delete(
            json!({"classificationId": "c1", "batchId": "b1", "fileIds": ["f1", UNKNOWN_ID]}),
        );
        assert!(ledger.authorise(&ours).is_ok());
        let foreign =
            delete(json!({"classificationId": "c1", "batchId": "b1", "fileIds": ["f1", "f9"]}));
        assert_eq!(
            ledger.authorise(&foreign),
            Err(LedgerError::NotOwned { id: "f9".into() })
        );
    }

    #[test]
    fn a_delete_of_a_foreign_classification_is_refused() {
        let ledger = Ledger::default();
        let request = delete(json!({"classificationId": "theirs"}));
        assert!(ledger.authorise(&request).is_err());
    }

    #[test]
    fn reads_are_never_refused() {
        let request = Request::json(Endpoint::GetResults, &json!({"classificationId": "x"}));
        assert!(Ledger::default().authorise(&request).is_ok());
    }

    #[test]
    fn a_borrowed_classification_may_be_named_but_is_never_deleted_at_the_end() {
        let ledger = Ledger::default();
        ledger.borrow_classification("theirs");
        assert!(ledger.owns("theirs"));
        assert!(ledger.classifications().is_empty());
    }

    #[test]
    fn a_deleted_classification_takes_its_batches_but_its_ids_stay_the_runs() {
        let ledger = Ledger::default();
        ledger.record_classification("c1");
        ledger.record_classification("c2");
        for (classification, batch) in [("c1", "b1"), ("c2", "b2"), ("c1", "b3")] {
            ledger.record_batch(classification, batch);
        }
        ledger.forget_classification("c1");
        assert_eq!(ledger.classifications(), ["c2"]);
        assert_eq!(ledger.batches(), [("c2".to_owned(), "b2".to_owned())]);
        assert!(ledger.owns("c1") && ledger.owns("b1") && ledger.owns("b3"));
    }

    #[test]
    fn a_deleted_batch_is_forgotten_and_only_that_batch() {
        let ledger = Ledger::default();
        for (classification, batch) in [("c1", "b1"), ("c1", "b2"), ("c2", "b1")] {
            ledger.record_batch(classification, batch);
        }
        ledger.forget_batch("c1", "b1");
        assert_eq!(
            ledger.batches(),
            [
                ("c1".to_owned(), "b2".to_owned()),
                ("c2".to_owned(), "b1".to_owned())
            ]
        );
    }

    #[test]
    fn only_recorded_ids_and_the_unknown_id_are_the_runs() {
        let ledger = Ledger::default();
        ledger.record_file("f1", "c1", "b1");
        assert!(ledger.owns("f1"));
        assert_eq!(
            ledger.batch_of("f1"),
            Some(("c1".to_owned(), "b1".to_owned()))
        );
        assert_eq!(ledger.origin("f1"), Some("uploadFiles"));
        assert!(ledger.owns(UNKNOWN_ID));
        assert!(!ledger.owns("f2"));
        let batch = delete(json!({"classificationId": UNKNOWN_ID, "batchId": "theirs"}));
        assert_eq!(
            ledger.authorise(&batch),
            Err(LedgerError::NotOwned {
                id: "theirs".into()
            })
        );
        let file = delete(json!({"fileId": "f2"}));
        assert!(ledger.authorise(&file).is_err());
    }

    #[test]
    fn what_names_nothing_may_be_named_and_nothing_else() {
        let ledger = Ledger::default();
        for nowhere in [
            "",
            " \t\n",
            "\u{0}",
            "\u{7f}",
            UNKNOWN_ID,
            "extracta-contract-unknown-id-\u{e9}t\u{e9}",
        ] {
            assert!(ledger.owns(nowhere), "{nowhere:?}");
        }
        for somewhere in [
            "x",
            "1",
            "../",
            " x ",
            "prefix-extracta-contract-unknown-id",
        ] {
            assert!(!ledger.owns(somewhere), "{somewhere:?}");
        }
    }

    #[test]
    fn without_a_cap_deletes_are_never_refused() {
        let ledger = Ledger::new(None);
        for _ in 0..100 {
            assert_eq!(ledger.take_delete(), Ok(()));
        }
    }

    #[test]
    fn the_cap_lets_exactly_max_deletes_through() {
        let ledger = Ledger::new(Some(2));
        assert_eq!(ledger.take_delete(), Ok(()));
        assert_eq!(ledger.take_delete(), Ok(()));
        assert_eq!(ledger.take_delete(), Err(LedgerError::DeleteCap { max: 2 }));
    }
}
