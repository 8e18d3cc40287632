//! Provisioning through the public API, ownership of what was created, and cleanup.
//!
//! A [`Session`] creates one classification for the run and uploads each case's batches into
//! it. Everything created is written in its [`Ledger`]; a destructive request that names an id
//! the ledger does not hold is refused before it leaves the process, and [`Session::close`]
//! deletes exactly what the ledger holds.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::case::{FixtureSpec, Placeholder, placeholders};
use crate::target::{Body, Request, Response, Retry, Target, TargetError};

/// An id that exists nowhere; cases use it as `{{unknownId}}`.
pub const UNKNOWN_ID: &str = "extracta-contract-unknown-id";

/// The small sample documents uploaded as fixture files.
const DOCUMENTS: &[(&str, &[u8])] = &[
    (
        "invoice.pdf",
        include_bytes!("../cases/documents/invoice.pdf"),
    ),
    (
        "receipt.pdf",
        include_bytes!("../cases/documents/receipt.pdf"),
    ),
    (
        "purchase-order.pdf",
        include_bytes!("../cases/documents/purchase-order.pdf"),
    ),
];

/// How often getResults is asked again while a batch is still `waiting`.
const RESULT_POLLS: u32 = 30;
/// The least pause between two polls of a waiting batch (the target's pacing may add to it).
const RESULT_POLL_INTERVAL: Duration = Duration::from_millis(250);

/// Why provisioning, reading back or cleaning up failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum FixtureError {
    /// No answer.
    #[error(transparent)]
    Transport(#[from] TargetError),
    /// The target answered, but not with success.
    #[error("{step}: the target answered {status}: {body}")]
    Refused {
        /// What was being done.
        step: &'static str,
        /// The HTTP status.
        status: u16,
        /// The body, redacted and shortened.
        body: String,
    },
    /// A success answer without what the suite needs from it.
    #[error("{step}: {reason}")]
    Malformed {
        /// What was being done.
        step: &'static str,
        /// What was missing.
        reason: String,
    },
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

/// The ids a case's fixture received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fixture {
    /// The run's classification.
    pub classification_id: String,
    /// One id per batch, in the spec's order.
    pub batch_ids: Vec<String>,
    /// Every file, numbered across batches: `(batch index, file id)`.
    pub files: Vec<(usize, String)>,
}

impl Fixture {
    /// The id a placeholder stands for.
    pub fn resolve(&self, placeholder: Placeholder) -> Option<&str> {
        match placeholder {
            Placeholder::Classification => Some(&self.classification_id),
            Placeholder::Batch(n) => self.batch_ids.get(n).map(String::as_str),
            Placeholder::File(n) => self.files.get(n).map(|(_, id)| id.as_str()),
            Placeholder::Unknown => Some(UNKNOWN_ID),
        }
    }

    /// `text` with every placeholder replaced by its id.
    pub fn fill(&self, text: &str) -> String {
        let mut filled = text.to_owned();
        for inner in placeholders(text) {
            if let Some(id) = Placeholder::parse(inner).and_then(|p| self.resolve(p)) {
                filled = filled.replace(&format!("{{{{{inner}}}}}"), id);
            }
        }
        filled
    }

    /// The part of this fixture that a case with `spec` sees: its batches, and in each its
    /// first files, numbered as if the fixture had been made for it alone.
    pub fn view(&self, spec: &FixtureSpec) -> Fixture {
        let mut files = Vec::new();
        for (batch, &count) in spec.batches.iter().enumerate() {
            files.extend(
                self.files
                    .iter()
                    .filter(|(b, _)| *b == batch)
                    .take(count)
                    .cloned(),
            );
        }
        Fixture {
            classification_id: self.classification_id.clone(),
            batch_ids: self
                .batch_ids
                .iter()
                .take(spec.batches.len())
                .cloned()
                .collect(),
            files,
        }
    }

    /// Every generated id with the stable name it gets in snapshots, longest id first.
    pub fn names(&self) -> Vec<(String, String)> {
        let mut names = vec![(
            self.classification_id.clone(),
            "[classificationId]".to_owned(),
        )];
        for (n, id) in self.batch_ids.iter().enumerate() {
            names.push((id.clone(), format!("[batchId:{n}]")));
        }
        for (n, (_, id)) in self.files.iter().enumerate() {
            names.push((id.clone(), format!("[fileId:{n}]")));
        }
        names.sort_by_key(|(id, _)| std::cmp::Reverse(id.len()));
        names
    }
}

/// Everything this run created.
#[derive(Debug, Default)]
pub struct Ledger {
    inner: Mutex<Owned>,
}

#[derive(Debug, Default)]
struct Owned {
    classifications: Vec<String>,
    batches: Vec<(String, String)>,
    ids: HashSet<String>,
}

impl Ledger {
    fn record(&self, id: &str) {
        self.lock().ids.insert(id.to_owned());
    }

    fn record_batch(&self, classification_id: &str, batch_id: &str) {
        let mut owned = self.lock();
        owned
            .batches
            .push((classification_id.to_owned(), batch_id.to_owned()));
        owned.ids.insert(batch_id.to_owned());
    }

    /// Marks a classification the run may name but must never delete (`--classification-id`).
    fn borrow_classification(&self, id: &str) {
        self.lock().ids.insert(id.to_owned());
    }

    /// The batches this run created, as `(classificationId, batchId)`.
    pub fn batches(&self) -> Vec<(String, String)> {
        self.lock().batches.clone()
    }

    fn record_classification(&self, id: &str) {
        let mut owned = self.lock();
        owned.classifications.push(id.to_owned());
        owned.ids.insert(id.to_owned());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Owned> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether this run created `id` (or it is the id that exists nowhere).
    pub fn owns(&self, id: &str) -> bool {
        id == UNKNOWN_ID || self.lock().ids.contains(id)
    }

    /// The classifications to delete at the end.
    pub fn classifications(&self) -> Vec<String> {
        self.lock().classifications.clone()
    }

    /// Refuses a destructive request whose body names an id that this run did not create.
    ///
    /// # Errors
    /// [`FixtureError::NotOwned`] with the first such id.
    pub fn authorise(&self, request: &Request) -> Result<(), FixtureError> {
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
            Some(id) => Err(FixtureError::NotOwned { id: id.to_owned() }),
            None => Ok(()),
        }
    }
}

/// What the end of a run removed, and what it could not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Cleanup {
    /// Ids deleted (classifications, or batches of a reused classification).
    pub deleted: Vec<String>,
    /// Ids that could not be deleted, with why.
    pub failed: Vec<(String, String)>,
}

/// A run's connection to its target and everything it created there.
#[derive(Debug)]
pub struct Session {
    target: Target,
    ledger: Ledger,
    classification_id: String,
    created_classification: bool,
    max_deletes: Option<u64>,
    deletes: std::sync::atomic::AtomicU64,
}

fn refused(step: &'static str, response: &Response) -> FixtureError {
    let mut body: String = response.text.chars().take(300).collect();
    if body.len() < response.text.len() {
        body.push('…');
    }
    FixtureError::Refused {
        step,
        status: response.status,
        body,
    }
}

fn success_json(step: &'static str, response: Response) -> Result<Value, FixtureError> {
    if !(200..300).contains(&response.status) {
        return Err(refused(step, &response));
    }
    response.json.ok_or_else(|| FixtureError::Malformed {
        step,
        reason: "the answer is not JSON".to_owned(),
    })
}

fn string_field<'a>(
    step: &'static str,
    value: &'a Value,
    field: &str,
) -> Result<&'a str, FixtureError> {
    value
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| FixtureError::Malformed {
            step,
            reason: format!("the answer has no string `{field}`"),
        })
}

impl Session {
    /// Creates the run's classification on `target`.
    ///
    /// # Errors
    /// When the target is unreachable or refuses.
    pub async fn open(target: Target) -> Result<Session, FixtureError> {
        const STEP: &str = "create the run's classification";
        let body = json!({"classificationDetails": {
            "name": "extracta-contract run",
            "description": "Created by the extracta-contract suite; deleted at the end of its run.",
            "documentTypes": [
                {"name": "Invoice", "description": "Commercial invoice.",
                 "uniqueWords": ["invoice number", "bill to", "total amount"]},
                {"name": "Receipt", "description": "Transaction receipt.",
                 "uniqueWords": ["receipt", "paid", "transaction id"]},
                {"name": "Purchase Order", "description": "Purchase order.",
                 "uniqueWords": ["po number", "item description", "quantity ordered"]}
            ]
        }});
        let request = Request::json(
            Method::POST,
            "/documentClassification/createClassification",
            &body,
        );
        let reply = success_json(STEP, target.send(&request).await?)?;
        let classification_id = string_field(STEP, &reply, "classificationId")?.to_owned();
        let ledger = Ledger::default();
        ledger.record_classification(&classification_id);
        Ok(Session::with(target, ledger, classification_id, true))
    }

    /// Uses an existing classification: batches are uploaded into it, and only those batches
    /// are deleted at the end, never the classification.
    pub fn reuse(target: Target, classification_id: &str) -> Session {
        let ledger = Ledger::default();
        ledger.borrow_classification(classification_id);
        Session::with(target, ledger, classification_id.to_owned(), false)
    }

    fn with(target: Target, ledger: Ledger, classification_id: String, created: bool) -> Session {
        Session {
            target,
            ledger,
            classification_id,
            created_classification: created,
            max_deletes: None,
            deletes: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Caps the destructive requests that cases may send (cleanup is not counted).
    #[must_use]
    pub fn max_deletes(mut self, max: Option<u64>) -> Self {
        self.max_deletes = max;
        self
    }

    /// The target.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// What this run created.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Uploads the batches of `spec` into the run's classification.
    ///
    /// # Errors
    /// When an upload fails or its answer lacks the ids.
    pub async fn provision(&self, spec: &FixtureSpec) -> Result<Fixture, FixtureError> {
        const STEP: &str = "upload fixture files";
        let mut fixture = Fixture {
            classification_id: self.classification_id.clone(),
            ..Fixture::default()
        };
        for (batch, &count) in spec.batches.iter().enumerate() {
            let files = (0..count)
                .map(|n| {
                    let (name, contents) = DOCUMENTS[(fixture.files.len() + n) % DOCUMENTS.len()];
                    (format!("contract-{batch}-{n}-{name}"), contents.to_vec())
                })
                .collect();
            let request = Request {
                method: Method::POST,
                path: "/documentClassification/uploadFiles".to_owned(),
                auth: crate::case::Auth::Valid,
                content_type: None,
                body: Body::Form {
                    fields: vec![(
                        "classificationId".to_owned(),
                        self.classification_id.clone(),
                    )],
                    files,
                },
                retry: Retry::Idempotent,
            };
            let reply = success_json(STEP, self.target.send(&request).await?)?;
            let batch_id = string_field(STEP, &reply, "batchId")?.to_owned();
            self.ledger.record_batch(&self.classification_id, &batch_id);
            let ids: Vec<String> = reply
                .get("files")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|file| string_field(STEP, file, "fileId").map(str::to_owned))
                .collect::<Result<_, _>>()?;
            for id in &ids {
                self.ledger.record(id);
            }
            if ids.len() != count {
                return Err(FixtureError::Malformed {
                    step: STEP,
                    reason: format!("uploaded {count} file(s), the answer lists {}", ids.len()),
                });
            }
            fixture.batch_ids.push(batch_id);
            fixture.files.extend(ids.into_iter().map(|id| (batch, id)));
        }
        Ok(fixture)
    }

    /// Sends a request after checking that it deletes nothing this run did not create.
    ///
    /// # Errors
    /// [`FixtureError::NotOwned`] before sending, or the transport failure.
    pub async fn send(&self, request: &Request) -> Result<Response, FixtureError> {
        self.ledger.authorise(request)?;
        if request.is_destructive() {
            let sent = self
                .deletes
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if let Some(max) = self.max_deletes.filter(|max| sent >= *max) {
                return Err(FixtureError::DeleteCap { max });
            }
        }
        Ok(self.target.send(request).await?)
    }

    /// The ids of the files that batch `batch` of `fixture` holds now, read through getResults.
    ///
    /// # Errors
    /// When getResults fails, or is still `waiting` after every poll.
    pub async fn files_in_batch(
        &self,
        fixture: &Fixture,
        batch: usize,
    ) -> Result<Vec<String>, FixtureError> {
        const STEP: &str = "read the batch back through getResults";
        let batch_id = fixture
            .batch_ids
            .get(batch)
            .ok_or_else(|| FixtureError::Malformed {
                step: STEP,
                reason: format!("the fixture has no batch {batch}"),
            })?;
        let body = json!({"classificationId": fixture.classification_id, "batchId": batch_id});
        let request = Request::json(Method::POST, "/documentClassification/getResults", &body);
        for poll in 0..RESULT_POLLS {
            if poll > 0 {
                tokio::time::sleep(RESULT_POLL_INTERVAL * poll.min(8)).await;
            }
            let reply = success_json(STEP, self.target.send(&request).await?)?;
            if let Some(files) = reply.get("files").and_then(Value::as_array) {
                return files
                    .iter()
                    .map(|file| string_field(STEP, file, "fileId").map(str::to_owned))
                    .collect();
            }
            if reply.get("status").and_then(Value::as_str) != Some("waiting") {
                return Err(FixtureError::Malformed {
                    step: STEP,
                    reason: "the answer has neither `files` nor status \"waiting\"".to_owned(),
                });
            }
        }
        Err(FixtureError::Malformed {
            step: STEP,
            reason: format!("the batch was still waiting after {RESULT_POLLS} polls"),
        })
    }

    /// Deletes what this run created: its classification with everything in it, or, when it
    /// reused one, the batches it uploaded. Failures are reported, never fatal.
    pub async fn close(self) -> Cleanup {
        let mut cleanup = Cleanup::default();
        let deletions: Vec<(String, Value, &str)> = if self.created_classification {
            self.ledger
                .classifications()
                .into_iter()
                .map(|id| {
                    (
                        id.clone(),
                        json!({"classificationId": id}),
                        "deleteClassification",
                    )
                })
                .collect()
        } else {
            self.ledger
                .batches()
                .into_iter()
                .map(|(cls, batch)| {
                    (
                        batch.clone(),
                        json!({"classificationId": cls, "batchId": batch}),
                        "deleteBatch",
                    )
                })
                .collect()
        };
        for (id, body, endpoint) in deletions {
            let request = Request::json(
                Method::DELETE,
                &format!("/documentClassification/{endpoint}"),
                &body,
            );
            let outcome = match self.ledger.authorise(&request) {
                Err(error) => Err(error.to_string()),
                Ok(()) => match self.target.send(&request).await {
                    Ok(response) if (200..300).contains(&response.status) => Ok(()),
                    Ok(response) => Err(refused("clean up", &response).to_string()),
                    Err(error) => Err(error.to_string()),
                },
            };
            match outcome {
                Ok(()) => cleanup.deleted.push(id),
                Err(reason) => cleanup.failed.push((id, reason)),
            }
        }
        cleanup
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Auth;

    fn delete(body: Value) -> Request {
        Request::json(Method::DELETE, "/documentClassification/deleteFiles", &body)
    }

    #[test]
    fn a_delete_naming_a_foreign_file_is_refused() {
        let ledger = Ledger::default();
        ledger.record_classification("c1");
        ledger.record("b1");
        ledger.record("f1");
        let ours = delete(
            json!({"classificationId": "c1", "batchId": "b1", "fileIds": ["f1", UNKNOWN_ID]}),
        );
        assert!(ledger.authorise(&ours).is_ok());
        let foreign =
            delete(json!({"classificationId": "c1", "batchId": "b1", "fileIds": ["f1", "f9"]}));
        assert!(
            matches!(ledger.authorise(&foreign), Err(FixtureError::NotOwned { id }) if id == "f9")
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
        let request = Request {
            auth: Auth::Valid,
            ..Request::json(
                Method::POST,
                "/documentClassification/getResults",
                &json!({"classificationId": "x"}),
            )
        };
        assert!(Ledger::default().authorise(&request).is_ok());
    }

    #[test]
    fn a_shared_fixture_is_seen_as_if_made_for_the_case() {
        let shared = Fixture {
            classification_id: "c".into(),
            batch_ids: vec!["b0".into(), "b1".into()],
            files: vec![
                (0, "f0".into()),
                (0, "f1".into()),
                (0, "f2".into()),
                (1, "f3".into()),
                (1, "f4".into()),
            ],
        };
        let view = shared.view(&FixtureSpec { batches: vec![2] });
        assert_eq!(view.batch_ids, ["b0"]);
        assert_eq!(view.files, [(0, "f0".to_owned()), (0, "f1".to_owned())]);
        let view = shared.view(&FixtureSpec {
            batches: vec![1, 2],
        });
        assert_eq!(
            view.files,
            [
                (0, "f0".to_owned()),
                (1, "f3".to_owned()),
                (1, "f4".to_owned())
            ]
        );
    }

    #[test]
    fn placeholders_are_filled_from_the_fixture() {
        let fixture = Fixture {
            classification_id: "c".into(),
            batch_ids: vec!["b0".into(), "b1".into()],
            files: vec![(0, "f0".into()), (1, "f1".into())],
        };
        assert_eq!(
            fixture
                .fill("{{classificationId}}/{{batchId}}/{{batchId:1}}/{{fileId:1}}/{{unknownId}}"),
            format!("c/b0/b1/f1/{UNKNOWN_ID}")
        );
    }
}
