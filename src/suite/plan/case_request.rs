//! A case's request as it goes on the wire: placeholders filled from its fixture, and the
//! batches it reads that the run waits on first.

use crate::contract::case::{BodySpec, Case};
use crate::contract::endpoint::Endpoint;
use crate::suite::fixture::{Fixture, batch_files};
use crate::suite::ownership::{Marker, Named};
use crate::suite::transport::request::{Body, Request, Retry};

/// The batches a case's getResults request reads, of its fixture, as `(classificationId,
/// batchId)`: the run waits until each is processed before it sends the request, so that the
/// case judges a processed batch.
pub fn awaited(request: &Request, fixture: &Fixture) -> Vec<(String, String)> {
    if request.endpoint() != Some(Endpoint::GetResults) {
        return Vec::new();
    }
    let named = Named::of(request);
    let (Some(classification), Some(batch)) = (named.classification, named.batch) else {
        return Vec::new();
    };
    let ours = (0..fixture.batches.len())
        .filter_map(|n| fixture.batch(n))
        .any(|(c, b)| c == classification && b == batch);
    if ours {
        vec![(classification, batch)]
    } else {
        Vec::new()
    }
}

/// The wire request of `case`, placeholders filled from `fixture`; files it uploads are named
/// with `marker`.
pub fn case_request(case: &Case, fixture: &Fixture, marker: &Marker) -> Request {
    let body = match &case.request.body {
        BodySpec::None => Body::Empty,
        BodySpec::Json(json) => Body::Bytes(fixture.fill_json(json).to_string().into_bytes()),
        BodySpec::Raw(raw) => Body::Bytes(fixture.fill(raw).into_bytes()),
        BodySpec::Form { fields, files } => Body::Form {
            fields: fields
                .iter()
                .map(|(name, value)| (name.clone(), fixture.fill(value)))
                .collect(),
            files: batch_files(marker, 0, 0, *files),
        },
    };
    Request {
        method: case.request.method.clone(),
        path: case.request.path.clone(),
        auth: case.request.auth,
        content_type: case.request.content_type.clone(),
        body,
        // The request under test is observed as sent: a 5xx is the answer, never retried.
        retry: Retry::RateLimitOnly,
        case: Some(case.name.clone()),
    }
}
