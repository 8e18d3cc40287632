//! Deleting what a run created: at its end, through its [`Vendor`] (what `--keep` keeps
//! stays, and a delete refused because the thing is gone already counts once a read confirms
//! it); and with `cleanup --run-id`, later, what a run with `--keep` left in place, from the
//! record it wrote ([`KeptRecord`]), each thing read back and proven the run's by its marker,
//! as a run does.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::error::{OptionsError, RunError};
use super::keep::Keep;
use super::ledger::Ledger;
use super::options::RunOptions;
use super::ownership::Marker;
use super::transport::request::{Body, Request};
use super::transport::target::Target;
use super::vendor::{Vendor, VendorError, is_gone, refused};
use crate::contract::endpoint::Endpoint;
use crate::result::{Cleanup, Kept, Response};

/// The folder, below the working directory, where a run with `--keep` writes its record.
pub const KEPT_DIR: &str = ".extracta-contract/kept";

/// What a run kept, as written for `cleanup --run-id`: where, and what. Never a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeptRecord {
    /// The target's base URL.
    pub base_url: String,
    /// The run's id, the marker everything it created carries.
    pub run_id: String,
    /// Classifications to delete whole.
    pub classifications: Vec<String>,
    /// Batches to delete, as `[classificationId, batchId]`.
    pub batches: Vec<(String, String)>,
    /// The failed cases whose fixtures these are.
    pub cases: Vec<String>,
}

impl KeptRecord {
    /// The record of `kept` on the target at `base_url`.
    pub fn new(base_url: &str, kept: &Kept) -> Self {
        KeptRecord {
            base_url: base_url.to_owned(),
            run_id: kept.run_id.clone(),
            classifications: kept.classifications.clone(),
            batches: kept.batches.clone(),
            cases: kept.cases.clone(),
        }
    }

    /// Where the record of run `run_id` is written, below `root`.
    pub fn path(root: &Path, run_id: &str) -> PathBuf {
        root.join(KEPT_DIR).join(format!("{run_id}.json"))
    }

    /// Writes the record below `root` (creating its folder); where.
    ///
    /// # Errors
    /// When the folder or the file cannot be written.
    pub fn write(&self, root: &Path) -> std::io::Result<PathBuf> {
        let path = KeptRecord::path(root, &self.run_id);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        // A new file of a new run's id: never through something already there.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        std::io::Write::write_all(&mut file, format!("{text}\n").as_bytes())?;
        Ok(path)
    }

    /// The record of run `run_id` below `root`.
    ///
    /// # Errors
    /// When `run_id` is not a run's id, or the record cannot be read.
    pub fn load(root: &Path, run_id: &str) -> Result<KeptRecord, KeepError> {
        if !is_run_id(run_id) {
            return Err(KeepError::NotARunId {
                given: run_id.to_owned(),
            });
        }
        let path = KeptRecord::path(root, run_id);
        let text = std::fs::read_to_string(&path).map_err(|source| KeepError::Read {
            path: path.clone(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|e| KeepError::Invalid {
            path,
            reason: e.to_string(),
        })
    }
}

/// Why the record of a kept run could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeepError {
    /// The id is not a run's id.
    #[error(
        "read what run `{given}` kept: a run's id is xc- and hex digits, as the run printed it"
    )]
    NotARunId {
        /// What was given.
        given: String,
    },
    /// The record cannot be read.
    #[error("read what the run kept from {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The record is not one.
    #[error("read what the run kept from {}: {reason}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// Deletes what an earlier run kept (its `record`), on the target `options` name: each
/// classification and batch read back and proven the run's by its marker, as a run does.
///
/// # Errors
/// When the options name another target than the record, or the target cannot be set up.
pub async fn delete_kept(options: &RunOptions, record: &KeptRecord) -> Result<Cleanup, RunError> {
    let remote = options
        .target
        .remote()
        .ok_or(OptionsError::MockNotStarted)?;
    if remote.base_url().trim_end_matches('/') != record.base_url.trim_end_matches('/') {
        return Err(OptionsError::OtherTarget {
            given: remote.base_url().to_owned(),
            recorded: record.base_url.clone(),
        }
        .into());
    }
    let target = Target::new(
        remote.base_url(),
        remote.api_key().clone(),
        options.timeout,
        &options.pace,
    )?
    .max_response_size(options.max_response_size)
    .max_retry_wait(options.max_retry_wait);
    let ledger = Ledger::new(None);
    for id in &record.classifications {
        let _ = ledger.record_classification(id);
    }
    for (classification, batch) in &record.batches {
        ledger.borrow_classification(classification);
        let _ = ledger.record_batch(classification, batch);
    }
    let vendor = Vendor::new(target, ledger, Marker::of_run(&record.run_id))
        .processing_wait(options.max_processing_wait);
    Ok(vendor.clean_up().await)
}

/// Whether `run_id` is a run's id as markers are written (`xc-` and hex digits): nothing else
/// names a record, so a path cannot be smuggled in through it.
fn is_run_id(run_id: &str) -> bool {
    run_id
        .strip_prefix("xc-")
        .is_some_and(|hex| !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

impl Vendor {
    /// The requests that delete what the run created, each with the id it removes: the
    /// batches it uploaded into a classification it did not create (a reused one), then every
    /// classification it created, with everything in them. What `keep` keeps stays: a
    /// classification that holds a kept batch is not deleted, but the other batches the run
    /// uploaded into it are, one by one.
    pub fn cleanup_requests(&self, keep: &Keep) -> Vec<(String, Request)> {
        let classifications = self.ledger.classifications();
        let batches = self
            .ledger
            .batches()
            .into_iter()
            .filter(|(cls, batch)| {
                let deleted_whole =
                    classifications.contains(cls) && !keep.keeps_classification(cls);
                !deleted_whole && !keep.keeps_batch(cls, batch)
            })
            .map(|(cls, batch)| {
                let body = json!({"classificationId": cls, "batchId": batch});
                (batch, Request::json(Endpoint::DeleteBatch, &body))
            });
        let whole = classifications
            .iter()
            .filter(|id| !keep.keeps_classification(id))
            .map(|id| {
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
    /// may) counts as gone once a read confirms it. A classification that a read shows is not
    /// the run's is left alone; the batches the run uploaded into it are deleted one by one,
    /// each proven the run's.
    pub async fn clean_up(&self) -> Cleanup {
        self.clean_up_keeping(&Keep::default()).await
    }

    /// As [`clean_up`](Vendor::clean_up), leaving what `keep` keeps; the cleanup names it.
    pub async fn clean_up_keeping(&self, keep: &Keep) -> Cleanup {
        let mut cleanup = Cleanup::default();
        if !keep.cases.is_empty() {
            cleanup.kept =
                Some(keep.kept(&self.marker.to_string(), &self.ledger.classifications()));
        }
        for (id, request) in self.cleanup_requests(keep) {
            let result = self.send(&request).await;
            if matches!(result, Err(VendorError::NotOwned { .. }))
                && request.endpoint() == Some(Endpoint::DeleteClassification)
            {
                for (classification, batch) in self.ledger.batches() {
                    if classification == id {
                        let body = json!({"classificationId": classification, "batchId": batch});
                        let delete = Request::json(Endpoint::DeleteBatch, &body);
                        let outcome = self.send(&delete).await;
                        self.settle(&mut cleanup, batch, &delete, outcome).await;
                    }
                }
            }
            self.settle(&mut cleanup, id, &request, result).await;
        }
        cleanup
    }

    /// Writes down what became of one cleanup request.
    async fn settle(
        &self,
        cleanup: &mut Cleanup,
        id: String,
        request: &Request,
        result: Result<Response, VendorError>,
    ) {
        match result {
            Ok(response) if response.is_success() => cleanup.deleted.push(id),
            Ok(_) if self.confirmed_gone(request).await => cleanup.gone.push(id),
            Ok(response) => cleanup
                .failed
                .push((id, refused("clean up", &response).to_string())),
            Err(error) => cleanup.failed.push((id, error.to_string())),
        }
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
            self.fetch(&probe).await,
            Ok(answer) if is_gone(answer.status)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_id_is_a_marker_and_nothing_else() {
        assert!(is_run_id("xc-00ff12ab"));
        for not in ["", "xc-", "xc-../../etc", "../xc-1", "xc-1/2", "yc-12"] {
            assert!(!is_run_id(not), "{not}");
        }
    }
}
