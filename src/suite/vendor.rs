//! The vendor as the run talks to it: one typed call per thing the run needs (create a
//! classification, upload a batch, list a batch's files, delete what it created), every
//! request passing the [`Ledger`] on its way out.

use std::time::Duration;

use serde_json::{Value, json};

use super::ledger::{Ledger, LedgerError};
use super::transport::request::{Body, Request, Retry};
use super::transport::target::{Target, TargetError};
use crate::contract::case::Auth;
use crate::contract::endpoint::Endpoint;
use crate::result::{BatchRead, Cleanup, Response};

/// How often getResults is asked again while a batch is still `waiting`.
const RESULT_POLLS: u32 = 30;
/// The least pause between two polls of a waiting batch (the target's pacing may add to it).
const RESULT_POLL_INTERVAL: Duration = Duration::from_millis(250);
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
}

/// A batch the run uploaded: its id and its files' ids, in upload order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedBatch {
    /// The batch's id.
    pub batch_id: String,
    /// The files' ids.
    pub file_ids: Vec<String>,
}

/// The vendor, reached through `target`, guarded by `ledger`.
#[derive(Debug)]
pub struct Vendor {
    target: Target,
    ledger: Ledger,
}

fn refused(step: &'static str, response: &Response) -> VendorError {
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

/// The body of the run's classification: three document types matching the sample PDFs.
fn classification_details() -> Value {
    json!({"classificationDetails": {
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
    }})
}

impl Vendor {
    /// The vendor at `target`, every request checked by `ledger`.
    pub fn new(target: Target, ledger: Ledger) -> Self {
        Vendor { target, ledger }
    }

    /// The target.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// What the run created.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The one way out: the ledger checks the request, then the target sends it.
    ///
    /// # Errors
    /// [`VendorError::Ledger`] before sending, or the transport failure.
    pub async fn send(&self, request: &Request) -> Result<Response, VendorError> {
        self.ledger.authorise(request)?;
        Ok(self.target.send(request).await?)
    }

    /// The createClassification request of the run's classification.
    pub fn create_classification_request() -> Request {
        Request::json(Endpoint::CreateClassification, &classification_details())
    }

    /// Creates the run's classification and records it.
    ///
    /// # Errors
    /// When the target is unreachable, refuses, or answers without an id.
    pub async fn create_classification(&self) -> Result<String, VendorError> {
        const STEP: &str = "create the run's classification";
        let reply = success_json(
            STEP,
            self.send(&Vendor::create_classification_request()).await?,
        )?;
        let id = string_field(STEP, &reply, "classificationId")?.to_owned();
        self.ledger.record_classification(&id);
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
        self.ledger.record_batch(classification_id, &batch_id);
        let file_ids: Vec<String> = reply
            .get("files")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|file| string_field(STEP, file, "fileId").map(str::to_owned))
            .collect::<Result<_, _>>()?;
        for id in &file_ids {
            self.ledger.record_file(id);
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
        const STEP: &str = "read the batch back through getResults";
        let request = Vendor::results_request(classification_id, batch_id);
        let unreadable = |error: VendorError| BatchRead::Unreadable(error.to_string());
        for poll in 0..RESULT_POLLS {
            if poll > 0 {
                tokio::time::sleep(RESULT_POLL_INTERVAL * poll.min(8)).await;
            }
            let response = match self.send(&request).await {
                Ok(response) => response,
                Err(error) => return unreadable(error),
            };
            if (400..500).contains(&response.status) && response.status != 429 {
                return BatchRead::Gone {
                    status: response.status,
                };
            }
            let reply = match success_json(STEP, response) {
                Ok(reply) => reply,
                Err(error) => return unreadable(error),
            };
            if let Some(files) = reply.get("files").and_then(Value::as_array) {
                let ids: Result<Vec<String>, VendorError> = files
                    .iter()
                    .map(|file| string_field(STEP, file, "fileId").map(str::to_owned))
                    .collect();
                return ids.map_or_else(unreadable, BatchRead::Listed);
            }
            if reply.get("status").and_then(Value::as_str) != Some("waiting") {
                return unreadable(VendorError::Malformed {
                    step: STEP,
                    reason: "the answer has neither `files` nor status \"waiting\"".to_owned(),
                });
            }
        }
        unreadable(VendorError::Malformed {
            step: STEP,
            reason: format!("the batch was still waiting after {RESULT_POLLS} polls"),
        })
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
                    self.ledger.record_classification(id);
                }
            }
            Some(Endpoint::UploadFiles) => {
                let classification = request
                    .form_field("classificationId")
                    .or(text("classificationId"));
                if let (Some(classification), Some(batch)) = (classification, text("batchId")) {
                    self.ledger.record_batch(classification, batch);
                }
                for file in reply
                    .get("files")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(id) = file.get("fileId").and_then(Value::as_str) {
                        self.ledger.record_file(id);
                    }
                }
            }
            _ => {}
        }
    }

    /// The requests that delete what the run created, each with the id it removes: the
    /// batches it uploaded into a classification it did not create (a reused one), then every
    /// classification it created, with everything in them.
    pub fn cleanup_requests(&self) -> Vec<(String, Request)> {
        let classifications = self.ledger.classifications();
        let batches = self
            .ledger
            .batches()
            .into_iter()
            .filter(|(cls, _)| !classifications.contains(cls))
            .map(|(cls, batch)| {
                let body = json!({"classificationId": cls, "batchId": batch});
                (batch, Request::json(Endpoint::DeleteBatch, &body))
            });
        let whole = classifications.iter().map(|id| {
            let body = json!({"classificationId": id});
            (
                id.clone(),
                Request::json(Endpoint::DeleteClassification, &body),
            )
        });
        batches.chain(whole).collect()
    }

    /// Deletes what the run created. Failures are reported, never fatal; a delete that is
    /// refused because the thing is already gone (a case's request took it, as a broken vendor
    /// may) counts as gone once a read confirms it.
    pub async fn clean_up(&self) -> Cleanup {
        let mut cleanup = Cleanup::default();
        for (id, request) in self.cleanup_requests() {
            match self.send(&request).await {
                Ok(response) if response.is_success() => cleanup.deleted.push(id),
                Ok(response) if self.confirmed_gone(&request).await => {
                    let _ = response;
                    cleanup.gone.push(id);
                }
                Ok(response) => cleanup
                    .failed
                    .push((id, refused("clean up", &response).to_string())),
                Err(error) => cleanup.failed.push((id, error.to_string())),
            }
        }
        cleanup
    }

    /// Whether what a refused cleanup request names is gone: viewClassification (for a
    /// classification) or getResults (for a batch) refuses it with a 4xx.
    async fn confirmed_gone(&self, delete: &Request) -> bool {
        let Body::Bytes(bytes) = &delete.body else {
            return false;
        };
        let Ok(body) = serde_json::from_slice::<Value>(bytes) else {
            return false;
        };
        let text = |field: &str| body.get(field).and_then(Value::as_str);
        let probe = match (delete.endpoint(), text("classificationId"), text("batchId")) {
            (Some(Endpoint::DeleteClassification), Some(cls), _) => Request::json(
                Endpoint::ViewClassification,
                &json!({"classificationId": cls}),
            ),
            (Some(Endpoint::DeleteBatch), Some(cls), Some(batch)) => {
                Vendor::results_request(cls, batch)
            }
            _ => return false,
        };
        matches!(
            self.send(&probe).await,
            Ok(answer) if (400..500).contains(&answer.status) && answer.status != 429
        )
    }
}
