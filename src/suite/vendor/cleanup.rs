//! Deleting what the run created, at its end: the requests, what became of each, and whether
//! what a refused delete names is gone already.

use serde_json::{Value, json};

use super::client::{Vendor, is_gone};
use super::error::{VendorError, refused};
use crate::contract::endpoint::Endpoint;
use crate::result::{Cleanup, Response};
use crate::suite::keep::Keep;
use crate::suite::transport::request::{Body, Request};

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
