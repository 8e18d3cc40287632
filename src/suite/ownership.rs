//! Proof that what the run is about to delete is its own, read back from the target, never
//! taken on its word.
//!
//! Everything the run creates carries its [`Marker`]: the classification's name and
//! description, each uploaded file's name. Before a destructive request leaves the process,
//! the run reads back each classification and batch it names ([`proof_reads`]): a
//! classification must show the marker, a batch must list only files that show it, and every
//! file it names must have been seen in such a batch. A target that answered a create or an
//! upload with the id of something that existed before the run (a vendor that deduplicates by
//! name does exactly that) is found out here, and that thing is left alone.

use serde_json::Value;

use super::ledger::is_nowhere;
use super::transport::request::{Body, Request};
use crate::contract::endpoint::Endpoint;

/// What marks everything one run creates: `xc-` and 16 random hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker(String);

impl Marker {
    /// A new marker, unique to this run.
    pub fn new() -> Self {
        Marker(format!("xc-{:016x}", fastrand::u64(..)))
    }

    /// The marker of an earlier run, by its id (to delete what it kept).
    pub fn of_run(run_id: &str) -> Self {
        Marker(run_id.to_owned())
    }

    /// The marker a plan shows before any run has one.
    pub fn placeholder() -> Self {
        Marker("{{runMarker}}".to_owned())
    }

    /// The name of a classification the run creates.
    pub fn classification_name(&self) -> String {
        format!("extracta-contract run {}", self.0)
    }

    /// The description of a classification the run creates.
    pub fn classification_description(&self) -> String {
        format!(
            "Created by the extracta-contract suite (run {}); deleted at the end of its run.",
            self.0
        )
    }

    /// The name of the `n`th file of batch `batch`, a copy of the sample `sample`.
    pub fn file_name(&self, batch: usize, n: usize, sample: &str) -> String {
        format!("contract-{}-{batch}-{n}-{sample}", self.0)
    }

    /// Whether `text` carries the marker.
    pub fn marks(&self, text: &str) -> bool {
        text.contains(&self.0)
    }

    /// Whether a viewClassification answer's details carry the marker (in the name or the
    /// description).
    pub fn marks_classification(&self, reply: &Value) -> bool {
        let details = &reply["classificationDetails"];
        ["name", "description"]
            .iter()
            .filter_map(|field| details.get(field).and_then(Value::as_str))
            .any(|text| self.marks(text))
    }
}

impl std::fmt::Display for Marker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Default for Marker {
    fn default() -> Self {
        Marker::new()
    }
}

/// One read the proof of a destructive request needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ProofRead {
    /// viewClassification of this classification.
    Classification(String),
    /// getResults of this batch, in this classification.
    Batch {
        /// The classification.
        classification: String,
        /// The batch.
        batch: String,
    },
}

impl ProofRead {
    /// The request that makes the read.
    pub fn request(&self) -> Request {
        match self {
            ProofRead::Classification(id) => Request::json(
                Endpoint::ViewClassification,
                &serde_json::json!({ "classificationId": id }),
            ),
            ProofRead::Batch {
                classification,
                batch,
            } => Request::json(
                Endpoint::GetResults,
                &serde_json::json!({"classificationId": classification, "batchId": batch}),
            ),
        }
    }
}

/// What a destructive request names: its classification, batch and files (none for a body
/// that is not JSON, which names nothing a server could act on).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named {
    /// `classificationId`, if a string.
    pub classification: Option<String>,
    /// `batchId`, if a string.
    pub batch: Option<String>,
    /// Every string of `fileIds`, and `fileId`.
    pub files: Vec<String>,
}

impl Named {
    /// What `request` names.
    pub fn of(request: &Request) -> Named {
        let Body::Bytes(bytes) = &request.body else {
            return Named::default();
        };
        let Ok(document) = serde_json::from_slice::<Value>(bytes) else {
            return Named::default();
        };
        let text = |field: &str| {
            document
                .get(field)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let mut files: Vec<String> = document
            .get("fileIds")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        files.extend(text("fileId"));
        Named {
            classification: text("classificationId"),
            batch: text("batchId"),
            files,
        }
    }
}

/// Whether `id` names something that may exist: not an id that names nothing.
fn real(id: &str) -> bool {
    !is_nowhere(id)
}

/// The reads that prove a destructive `request` touches only what the run made, in order:
/// the classification it deletes (deleteClassification), the batch it names (deleteBatch,
/// deleteFiles), and the batch each named file was uploaded into, where that is another
/// (`batch_of` says which, from what the run recorded). None for a request that is not
/// destructive.
pub fn proof_reads(
    request: &Request,
    batch_of: impl Fn(&str) -> Option<(String, String)>,
) -> Vec<ProofRead> {
    if !request.is_destructive() {
        return Vec::new();
    }
    let named = Named::of(request);
    let mut reads = Vec::new();
    let mut add = |read: ProofRead| {
        if !reads.contains(&read) {
            reads.push(read);
        }
    };
    match (&named.classification, &named.batch) {
        (Some(classification), _)
            if request.endpoint() == Some(Endpoint::DeleteClassification)
                && real(classification) =>
        {
            add(ProofRead::Classification(classification.clone()));
        }
        (Some(classification), Some(batch)) if real(classification) && real(batch) => {
            add(ProofRead::Batch {
                classification: classification.clone(),
                batch: batch.clone(),
            });
        }
        _ => {}
    }
    for file in named.files.iter().filter(|id| real(id)) {
        if let Some((classification, batch)) = batch_of(file) {
            add(ProofRead::Batch {
                classification,
                batch,
            });
        }
    }
    reads
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::ledger::UNKNOWN_ID;
    use serde_json::json;

    fn delete(endpoint: Endpoint, body: Value) -> Request {
        Request::json(endpoint, &body)
    }

    fn batch(classification: &str, batch: &str) -> ProofRead {
        ProofRead::Batch {
            classification: classification.to_owned(),
            batch: batch.to_owned(),
        }
    }

    #[test]
    fn each_marker_is_new_and_marks_what_the_run_names() {
        let (one, two) = (Marker::new(), Marker::new());
        assert_ne!(one, two);
        assert!(one.marks(&one.file_name(0, 1, "invoice.pdf")));
        assert!(!two.marks(&one.file_name(0, 1, "invoice.pdf")));
        let reply = json!({"classificationDetails": {"name": one.classification_name()}});
        assert!(one.marks_classification(&reply));
        assert!(!two.marks_classification(&reply));
        assert!(!one.marks_classification(&json!({"status": "success"})));
    }

    #[test]
    fn a_delete_is_proven_by_reading_what_it_names_and_where_its_files_came_from() {
        let batch_of = |file: &str| match file {
            "f0" => Some(("c".to_owned(), "b0".to_owned())),
            "f2" => Some(("c".to_owned(), "b1".to_owned())),
            _ => None,
        };
        let files = delete(
            Endpoint::DeleteFiles,
            json!({"classificationId": "c", "batchId": "b0", "fileIds": ["f0", "f2", UNKNOWN_ID]}),
        );
        assert_eq!(
            proof_reads(&files, batch_of),
            [batch("c", "b0"), batch("c", "b1")]
        );
        let whole = delete(
            Endpoint::DeleteClassification,
            json!({"classificationId": "c"}),
        );
        assert_eq!(
            proof_reads(&whole, batch_of),
            [ProofRead::Classification("c".to_owned())]
        );
        let one_batch = delete(
            Endpoint::DeleteBatch,
            json!({"classificationId": "c", "batchId": "b1"}),
        );
        assert_eq!(proof_reads(&one_batch, batch_of), [batch("c", "b1")]);
    }

    #[test]
    fn what_exists_nowhere_and_what_is_not_destructive_need_no_proof() {
        let batch_of = |_: &str| None;
        let unknown = delete(
            Endpoint::DeleteFiles,
            json!({"classificationId": "c", "batchId": UNKNOWN_ID, "fileIds": [UNKNOWN_ID]}),
        );
        assert_eq!(proof_reads(&unknown, batch_of), []);
        let read = delete(
            Endpoint::GetResults,
            json!({"classificationId": "c", "batchId": "b"}),
        );
        assert_eq!(proof_reads(&read, batch_of), []);
        let mut not_json = delete(Endpoint::DeleteFiles, json!({}));
        not_json.body = Body::Bytes(b"{not json".to_vec());
        assert_eq!(proof_reads(&not_json, batch_of), []);
    }
}
