//! What a case's request may do to the data, read from the case as the plan needs it: whether
//! it can share a fixture, what it creates or deletes, how many deletes it sends, and the
//! smallest fixture a group of cases fits in.

use crate::contract::case::{BodySpec, Case, FixtureSpec, Placeholder};
use crate::contract::endpoint::Endpoint;

/// Whether a case can share a fixture with others: it must change nothing, in the run's own
/// classification, whatever it is answered: a refusal, or a destructive request that names
/// nothing its fixture lets it delete (a vendor may accept it as a no-op).
pub(super) fn shareable(case: &Case) -> bool {
    let destructive = Endpoint::destroys(&case.request.path, &case.request.method);
    case.request.repeat == 1
        && (case.expects_refusal() || destructive)
        && case.expect.deleted.is_empty()
        && case.expect.may_delete.is_empty()
        && case.expect.deleted_batches.is_empty()
        && case.expect.added.iter().all(|n| *n == 0)
        && case.fixture.batches.iter().all(|b| b.classification == 0)
}

/// How many destructive requests a case sends.
pub(super) fn deletes_of(case: &Case) -> u64 {
    if Endpoint::destroys(&case.request.path, &case.request.method) {
        u64::from(case.request.repeat)
    } else {
        0
    }
}

/// Whether the case's request accepts a 2xx answer, and so may create what its endpoint
/// creates.
fn may_succeed(case: &Case) -> bool {
    case.expect
        .status
        .iter()
        .any(|pattern| (200..300).any(|status| pattern.matches(status)))
}

/// Whether the case's request creates a classification: a healthy target makes it succeed.
/// (A case that accepts a 2xx or a 4xx may create one too; the run deletes what it records.)
pub(super) fn creates_classification(case: &Case) -> bool {
    case.request.endpoint() == Some(Endpoint::CreateClassification) && expects_success(case)
}

/// Whether a healthy target makes the case's request succeed: every answer it accepts is a
/// 2xx, or it repeats a request whose earlier sends must succeed.
fn expects_success(case: &Case) -> bool {
    let only_success = case
        .expect
        .status
        .iter()
        .all(|pattern| !(300..600).any(|status| pattern.matches(status)));
    only_success || (case.request.repeat > 1 && may_succeed(case))
}

/// The fixture classification a deleteClassification case deletes, as it must (its request
/// names `{{classificationId:N}}` and it accepts only a 2xx).
pub(super) fn deletes_classification(case: &Case) -> Option<usize> {
    if case.request.endpoint() != Some(Endpoint::DeleteClassification) || !expects_success(case) {
        return None;
    }
    let BodySpec::Json(body) = &case.request.body else {
        return None;
    };
    let named = body.get("classificationId")?.as_str()?;
    let inner = named.strip_prefix("{{")?.strip_suffix("}}")?;
    match Placeholder::parse(inner) {
        Some(Placeholder::Classification(n)) => Some(n),
        _ => None,
    }
}

/// The fixture batches a deleteBatch case deletes, as it must.
pub(super) fn deletes_batches(case: &Case) -> Vec<usize> {
    if case.request.endpoint() == Some(Endpoint::DeleteBatch) && expects_success(case) {
        case.expect.deleted_batches.clone()
    } else {
        Vec::new()
    }
}

/// Whether the case's request creates a batch (an upload naming no batch, that a healthy
/// target accepts).
pub(super) fn creates_batch(case: &Case) -> bool {
    let names_batch = match &case.request.body {
        BodySpec::Form { fields, .. } => fields.iter().any(|(name, _)| name == "batchId"),
        _ => true,
    };
    case.request.endpoint() == Some(Endpoint::UploadFiles) && expects_success(case) && !names_batch
}

/// The smallest fixture every case of `cases` fits in (all in the run's classification).
pub(super) fn union(cases: &[&Case]) -> FixtureSpec {
    let batches = cases
        .iter()
        .map(|c| c.fixture.batches.len())
        .max()
        .unwrap_or(0);
    let files: Vec<usize> = (0..batches)
        .map(|b| {
            cases
                .iter()
                .filter_map(|c| c.fixture.batches.get(b))
                .map(|batch| batch.files)
                .max()
                .unwrap_or(1)
        })
        .collect();
    FixtureSpec::of(&files)
}
