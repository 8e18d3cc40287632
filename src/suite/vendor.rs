//! The vendor as the run talks to it: one typed call per thing the run needs (create a
//! classification, upload a batch, list a batch's files, delete what it created), every
//! request passing the [`Ledger`] on its way out. Deleting what the run created at its end is
//! in `cleanup`, beside deleting later what `--keep` left.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::ledger::{Ledger, LedgerError};
use super::ownership::{Marker, Named, ProofRead, proof_reads};
use super::transport::request::{Body, Request, Retry};
use super::transport::target::{Target, TargetError};
use crate::contract::case::Auth;
use crate::contract::endpoint::Endpoint;
use crate::result::{BatchRead, Response};

/// How long getResults is asked again while a batch is still `waiting`, by default.
pub const MAX_PROCESSING_WAIT: Duration = Duration::from_secs(60);

/// The first pause between two polls of a waiting batch; it grows by this much each poll, up
/// to [`RESULT_POLL_MAX`] (the target's pacing may add to it).
const RESULT_POLL_INTERVAL: Duration = Duration::from_millis(250);

/// The longest pause between two polls of a waiting batch.
const RESULT_POLL_MAX: Duration = Duration::from_secs(2);

/// How much of a refusing answer's body an error keeps.
const BODY_EXCERPT: usize = 300;

/// Why a call to the vendor failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum VendorError {
    /// No answer.
    #[error(transparent)]
    Transport(#[from] TargetError),
    /// The ledger kept the request in.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The target answered, but not with success.
    #[error("{step}: the target answered {status}: {body}")]
    Refused {
        /// What was being done.
        step: &'static str,
        /// The HTTP status.
        status: u16,
        /// The body, shortened.
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
    /// What a destructive request names is not the run's: a read showed it without the
    /// run's marker.
    #[error(
        "the target answered {origin} with {id}, which this run did not create ({reason}); not deleted"
    )]
    NotOwned {
        /// The id.
        id: String,
        /// The answer that handed it out.
        origin: &'static str,
        /// What the read showed.
        reason: String,
    },
    /// Whether what a destructive request names is the run's could not be read.
    #[error("could not prove that {id} is this run's ({reason}); not deleted")]
    Unproven {
        /// The id.
        id: String,
        /// Why.
        reason: String,
    },
    /// getResults still answered `waiting` when the wait was up.
    #[error("batch {batch} was not processed within {}s (getResults still answers \"waiting\")", waited.as_secs())]
    NotProcessed {
        /// The batch.
        batch: String,
        /// How long the run waited.
        waited: Duration,
    },
}

pub(super) fn refused(step: &'static str, response: &Response) -> VendorError {
    let mut body: String = response.text.chars().take(BODY_EXCERPT).collect();
    if body.len() < response.text.len() {
        body.push('…');
    }
    VendorError::Refused {
        step,
        status: response.status,
        body,
    }
}

fn success_json(step: &'static str, response: Response) -> Result<Value, VendorError> {
    if !response.is_success() {
        return Err(refused(step, &response));
    }
    response.json.ok_or_else(|| VendorError::Malformed {
        step,
        reason: "the answer is not JSON".to_owned(),
    })
}

fn string_field<'a>(
    step: &'static str,
    value: &'a Value,
    field: &str,
) -> Result<&'a str, VendorError> {
    value
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| VendorError::Malformed {
            step,
            reason: format!("the answer has no string `{field}`"),
        })
}

/// What getResults showed of a batch.
#[derive(Debug, Clone)]
enum Listing {
    /// Its files: `(fileId, fileName)`.
    Files(Vec<(String, Option<String>)>),
    /// Refused with this 4xx: the batch is gone.
    Gone(u16),
}

/// A batch the run uploaded: its id and its files' ids, in upload order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedBatch {
    /// The batch's id.
    pub batch_id: String,
    /// The files' ids.
    pub file_ids: Vec<String>,
}

/// The vendor, reached through `target`, guarded by `ledger`; what the run creates carries
/// `marker`.
#[derive(Debug)]
pub struct Vendor {
    target: Target,
    pub(super) ledger: Ledger,
    pub(super) marker: Marker,
    processing_wait: Duration,
    /// The reads that proved a classification or batch the run's, each made once however
    /// many deletes name it (an id that names the run's own keeps naming it).
    proofs: Mutex<HashMap<ProofRead, Arc<tokio::sync::OnceCell<()>>>>,
}

/// The body of a classification the run creates, named with its marker: three document types
/// matching the sample PDFs.
fn classification_details(marker: &Marker) -> Value {
    json!({"classificationDetails": {
        "name": marker.classification_name(),
        "description": marker.classification_description(),
        "documentTypes": [
            {"name": "Invoice", "description": "Commercial invoice.",
             "uniqueWords": ["invoice number", "bill to", "total amount"]},
            {"name": "Receipt", "description": "Transaction receipt.",
             "uniqueWords": ["receipt", "paid", "transaction id"]},
            {"name": "Purchase Order", "description": "Purchase order.",
             "uniqueWords": ["po number", "item description", "quantity ordered"]}
        ]
    }})
}

impl Vendor {
    /// The vendor at `target`, every request checked by `ledger`; what the run creates is
    /// named with `marker`.
    pub fn new(target: Target, ledger: Ledger, marker: Marker) -> Self {
        Vendor {
            target,
            ledger,
            marker,
            processing_wait: MAX_PROCESSING_WAIT,
            proofs: Mutex::default(),
        }
    }

    /// Waits at most `wait` for a batch that getResults says is still `waiting`.
    #[must_use]
    pub fn processing_wait(mut self, wait: Duration) -> Self {
        self.processing_wait = wait;
        self
    }

    /// The run's marker.
    pub fn marker(&self) -> &Marker {
        &self.marker
    }

    /// The target.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// What the run created.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The one way out: the ledger checks the request; a destructive one is then proven to
    /// touch only what the run made, by reading it back; then the target sends it.
    ///
    /// # Errors
    /// [`VendorError::Ledger`] or [`VendorError::NotOwned`] before sending, or the transport
    /// failure.
    pub async fn send(&self, request: &Request) -> Result<Response, VendorError> {
        self.prove(request).await?;
        self.fetch(request).await
    }

    /// A request past the ledger, without a proof: for reads, which destroy nothing.
    pub(super) async fn fetch(&self, request: &Request) -> Result<Response, VendorError> {
        self.ledger.authorise(request)?;
        Ok(self.target.send(request).await?)
    }

    /// Proves that a destructive request names only what the run made: every classification
    /// and batch it names, read back, carries the run's marker (a batch: every file it lists),
    /// and every file it names was seen in such a batch. Something that no longer exists
    /// needs no proof.
    async fn prove(&self, request: &Request) -> Result<(), VendorError> {
        self.ledger.authorise(request)?;
        let reads = proof_reads(request, |file| self.ledger.batch_of(file));
        for read in &reads {
            self.proven(read).await?;
        }
        if reads.is_empty() {
            return Ok(());
        }
        let unseen =
            |file: &&String| !super::ledger::is_nowhere(file) && !self.ledger.is_proven(file);
        let named = Named::of(request);
        for file in named.files.iter().filter(unseen) {
            // Its batch was proven before the file was listed in it: read it again.
            if let Some((classification, batch)) = self.ledger.batch_of(file) {
                self.prove_read(&ProofRead::Batch {
                    classification,
                    batch,
                })
                .await?;
            }
        }
        match named.files.iter().find(unseen) {
            Some(file) => Err(self.not_owned(file, "no batch of this run lists it")),
            None => Ok(()),
        }
    }

    /// `read`'s proof: made once, and waited for by every request that needs it meanwhile; a
    /// failed proof is made again when asked again.
    async fn proven(&self, read: &ProofRead) -> Result<(), VendorError> {
        let cell = self
            .proofs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(read.clone())
            .or_default()
            .clone();
        cell.get_or_try_init(|| self.prove_read(read))
            .await
            .copied()
    }

    fn not_owned(&self, id: &str, reason: &str) -> VendorError {
        VendorError::NotOwned {
            id: id.to_owned(),
            origin: self.ledger.origin(id).unwrap_or("an earlier request"),
            reason: reason.to_owned(),
        }
    }

    /// One read of a proof: the thing is gone, or carries the marker.
    async fn prove_read(&self, read: &ProofRead) -> Result<(), VendorError> {
        let unproven = |id: &str, error: VendorError| VendorError::Unproven {
            id: id.to_owned(),
            reason: error.to_string(),
        };
        match read {
            ProofRead::Classification(id) => {
                let response = self.fetch(&read.request()).await?;
                if is_gone(response.status) {
                    return Ok(());
                }
                let reply = success_json("read the classification back", response)
                    .map_err(|e| unproven(id, e))?;
                if self.marker.marks_classification(&reply) {
                    Ok(())
                } else {
                    Err(self.not_owned(
                        id,
                        "its name and description do not carry this run's marker",
                    ))
                }
            }
            ProofRead::Batch {
                classification,
                batch,
            } => match self.list(classification, batch).await {
                Ok(Listing::Gone(_)) => Ok(()),
                Ok(Listing::Files(files)) => {
                    for (file, name) in &files {
                        match name {
                            Some(name) if self.marker.marks(name) => {}
                            Some(name) => {
                                return Err(self.not_owned(
                                    batch,
                                    &format!(
                                        "it holds {file} ({name}), which this run did not upload"
                                    ),
                                ));
                            }
                            None => {
                                return Err(VendorError::Unproven {
                                    id: batch.clone(),
                                    reason: format!("getResults lists {file} without a fileName"),
                                });
                            }
                        }
                    }
                    Ok(())
                }
                Err(error) => Err(unproven(batch, error)),
            },
        }
    }

    /// The createClassification request of a classification of the run.
    pub fn create_classification_request(marker: &Marker) -> Request {
        Request::json(
            Endpoint::CreateClassification,
            &classification_details(marker),
        )
    }

    /// Creates a classification of the run, records it, and reads it back to prove it is the
    /// new one (it carries the run's marker).
    ///
    /// # Errors
    /// When the target is unreachable, refuses, answers without an id, or with the id of
    /// something that is not the new classification.
    pub async fn create_classification(&self) -> Result<String, VendorError> {
        const STEP: &str = "create the run's classification";
        let reply = success_json(
            STEP,
            self.send(&Vendor::create_classification_request(&self.marker))
                .await?,
        )?;
        let id = string_field(STEP, &reply, "classificationId")?.to_owned();
        if !self.ledger.record_classification(&id) {
            return Err(VendorError::Malformed {
                step: STEP,
                reason: format!(
                    "the target answered with {id}, which it had handed out already: a new classification must have an id of its own"
                ),
            });
        }
        // Read back at once: nothing is uploaded into a classification that is not the run's.
        self.proven(&ProofRead::Classification(id.clone())).await?;
        Ok(id)
    }

    /// The uploadFiles request of a new batch of `files` in `classification_id`.
    pub fn upload_request(
        classification_id: &str,
        files: Vec<(String, &'static str, &'static [u8])>,
    ) -> Request {
        Request {
            method: Endpoint::UploadFiles.method(),
            path: Endpoint::UploadFiles.path().to_owned(),
            auth: Auth::Valid,
            content_type: None,
            body: Body::Form {
                fields: vec![("classificationId".to_owned(), classification_id.to_owned())],
                files,
            },
            retry: Retry::Idempotent,
            case: None,
        }
    }

    /// Uploads `files` as a new batch of `classification_id` and records the batch and files.
    ///
    /// # Errors
    /// When the upload fails or its answer lacks the ids.
    pub async fn upload(
        &self,
        classification_id: &str,
        files: Vec<(String, &'static str, &'static [u8])>,
    ) -> Result<UploadedBatch, VendorError> {
        const STEP: &str = "upload fixture files";
        let count = files.len();
        let request = Vendor::upload_request(classification_id, files);
        let reply = success_json(STEP, self.send(&request).await?)?;
        let batch_id = string_field(STEP, &reply, "batchId")?.to_owned();
        if !self.ledger.record_batch(classification_id, &batch_id) {
            return Err(VendorError::Malformed {
                step: STEP,
                reason: format!(
                    "the target answered with batch {batch_id}, which it had handed out already: a new batch must have an id of its own"
                ),
            });
        }
        let file_ids: Vec<String> = reply
            .get("files")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|file| string_field(STEP, file, "fileId").map(str::to_owned))
            .collect::<Result<_, _>>()?;
        for id in &file_ids {
            self.ledger.record_file(id, classification_id, &batch_id);
        }
        if file_ids.len() != count {
            return Err(VendorError::Malformed {
                step: STEP,
                reason: format!(
                    "uploaded {count} file(s), the answer lists {}",
                    file_ids.len()
                ),
            });
        }
        Ok(UploadedBatch { batch_id, file_ids })
    }

    /// The getResults request that lists a batch.
    pub fn results_request(classification_id: &str, batch_id: &str) -> Request {
        Request::json(
            Endpoint::GetResults,
            &json!({"classificationId": classification_id, "batchId": batch_id}),
        )
    }

    /// What a batch holds now, read through getResults, asked again while the vendor says
    /// the batch is `waiting`: its files' ids, gone (a 4xx), or why it could not be read.
    pub async fn read_batch(&self, classification_id: &str, batch_id: &str) -> BatchRead {
        match self.list(classification_id, batch_id).await {
            Ok(Listing::Files(files)) => {
                BatchRead::Listed(files.into_iter().map(|(id, _)| id).collect())
            }
            Ok(Listing::Gone(status)) => BatchRead::Gone { status },
            Err(error) => BatchRead::Unreadable(error.to_string()),
        }
    }

    /// Waits until getResults no longer says the batch is `waiting` (it is processed, or
    /// gone), up to the processing wait.
    ///
    /// # Errors
    /// [`VendorError::NotProcessed`] when it is still waiting at the end; any other failure
    /// of the read.
    pub async fn await_processed(
        &self,
        classification_id: &str,
        batch_id: &str,
    ) -> Result<(), VendorError> {
        self.list(classification_id, batch_id).await.map(|_| ())
    }

    /// The files of a batch with their names, read through getResults and asked again while
    /// the vendor says the batch is `waiting`, up to the processing wait. Files listed under
    /// the run's marker are noted as proven.
    async fn list(&self, classification_id: &str, batch_id: &str) -> Result<Listing, VendorError> {
        const STEP: &str = "read the batch back through getResults";
        let request = Vendor::results_request(classification_id, batch_id);
        let started = Instant::now();
        let mut pause = RESULT_POLL_INTERVAL;
        loop {
            let response = self.fetch(&request).await?;
            if is_gone(response.status) {
                return Ok(Listing::Gone(response.status));
            }
            let reply = success_json(STEP, response)?;
            if let Some(files) = reply.get("files").and_then(Value::as_array) {
                let files = files
                    .iter()
                    .map(|file| {
                        let id = string_field(STEP, file, "fileId")?.to_owned();
                        let name = file.get("fileName").and_then(Value::as_str);
                        Ok((id, name.map(str::to_owned)))
                    })
                    .collect::<Result<Vec<_>, VendorError>>()?;
                self.ledger.prove_files(
                    files
                        .iter()
                        .filter(|(_, name)| name.as_deref().is_some_and(|n| self.marker.marks(n)))
                        .map(|(id, _)| id.as_str()),
                );
                return Ok(Listing::Files(files));
            }
            if reply.get("status").and_then(Value::as_str) != Some("waiting") {
                return Err(VendorError::Malformed {
                    step: STEP,
                    reason: "the answer has neither `files` nor status \"waiting\"".to_owned(),
                });
            }
            let waited = started.elapsed();
            if waited >= self.processing_wait {
                return Err(VendorError::NotProcessed {
                    batch: batch_id.to_owned(),
                    waited: self.processing_wait,
                });
            }
            tokio::time::sleep(pause.min(self.processing_wait - waited)).await;
            pause = (pause + RESULT_POLL_INTERVAL).min(RESULT_POLL_MAX);
        }
    }

    /// Forgets what a case's successful delete removed: a classification or a batch the run
    /// created and no longer has to delete.
    pub fn record_deleted(&self, request: &Request, response: &Response) {
        if !response.is_success() {
            return;
        }
        let Body::Bytes(bytes) = &request.body else {
            return;
        };
        let Ok(body) = serde_json::from_slice::<Value>(bytes) else {
            return;
        };
        let text = |field: &str| body.get(field).and_then(Value::as_str);
        match (
            request.endpoint(),
            text("classificationId"),
            text("batchId"),
        ) {
            (Some(Endpoint::DeleteClassification), Some(cls), _) => {
                self.ledger.forget_classification(cls);
            }
            (Some(Endpoint::DeleteBatch), Some(cls), Some(batch)) => {
                self.ledger.forget_batch(cls, batch);
            }
            _ => {}
        }
    }

    /// Writes down what a case's answer handed out: the classification a createClassification
    /// created, the batch and files an upload stored, so that the run deletes them at the end.
    pub fn record_created(&self, request: &Request, response: &Response) {
        let Some(reply) = response.json.as_ref().filter(|_| response.is_success()) else {
            return;
        };
        let text = |field: &str| reply.get(field).and_then(Value::as_str);
        match request.endpoint() {
            Some(Endpoint::CreateClassification) => {
                if let Some(id) = text("classificationId") {
                    let _ = self.ledger.record_classification(id);
                }
            }
            Some(Endpoint::UploadFiles) => {
                let classification = request
                    .form_field("classificationId")
                    .or(text("classificationId"));
                if let (Some(classification), Some(batch)) = (classification, text("batchId")) {
                    let _ = self.ledger.record_batch(classification, batch);
                }
                let batch = text("batchId");
                for file in reply
                    .get("files")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let (Some(id), Some(classification), Some(batch)) = (
                        file.get("fileId").and_then(Value::as_str),
                        classification,
                        batch,
                    ) {
                        self.ledger.record_file(id, classification, batch);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether a read's status says the thing is not there: a 4xx other than 429.
pub(super) fn is_gone(status: u16) -> bool {
    (400..500).contains(&status) && status != 429
}
