//! `cleanup --run-id`: deleting later what a run with `--keep` left in place, from the record
//! it wrote ([`KeptRecord`]), each thing read back and proven the run's by its marker, as a
//! run does.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::{OptionsError, RunError};
use super::ledger::Ledger;
use super::options::RunOptions;
use super::ownership::Marker;
use super::transport::target::Target;
use super::vendor::Vendor;
use crate::result::{Cleanup, Kept};

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
