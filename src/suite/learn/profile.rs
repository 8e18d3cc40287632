//! The profile the lessons teach: each lesson where the vendor and the mock differ becomes a
//! refusal, a success, a behaviour or an acceptance of the profile, or a case it could not
//! learn from, with why.

use serde_json::Value;

use super::lesson::Lesson;
use super::refusal::{answer, refusal_of};
use super::success::{learn_success, success_status};
use crate::contract::case::BodySpec;
use crate::contract::endpoint::Endpoint;
use crate::contract::profile::{
    Accepted, EmptyList, NotLearned, PROFILE_SCHEMA_ID, PartlyUnknown, ResultsFileId, VendorProfile,
};
use crate::contract::situation::{RefusalKey, Situation};
use crate::result::{BatchAfter, Snapshot};

/// The profile the lessons teach; `learned_from` names the baseline.
pub fn learn(lessons: &[Lesson<'_>], learned_from: &str) -> VendorProfile {
    let mut profile = VendorProfile {
        schema: Some(PROFILE_SCHEMA_ID.to_owned()),
        learned_from: Some(learned_from.to_owned()),
        ..VendorProfile::default()
    };
    for lesson in lessons {
        if lesson.vendor == lesson.mock {
            continue;
        }
        if let Err(reason) = learn_one(&mut profile, lesson) {
            profile.not_learned.push(NotLearned {
                case: lesson.case.name.clone(),
                reason,
            });
        }
    }
    profile
}

/// One lesson into the profile, or why it cannot be.
fn learn_one(profile: &mut VendorProfile, lesson: &Lesson<'_>) -> Result<(), String> {
    let Some(endpoint) = lesson.case.request.endpoint() else {
        return Err("its request is to no endpoint of the catalogue".to_owned());
    };
    let (vendor, mock) = (lesson.vendor, lesson.mock);
    let refused = |status: u16| status >= 400;
    if !refused(vendor.status) {
        success_status(vendor)?;
    }
    match (
        refused(vendor.status),
        refused(mock.status),
        lesson.situation,
    ) {
        (true, true, Some(situation)) => {
            if vendor.batches_after != mock.batches_after {
                return Err(
                    "the vendor's refusal changed the data differently from the mock's".to_owned(),
                );
            }
            let refusal = refusal_of(lesson)?;
            let key = RefusalKey::new(endpoint, situation.clone());
            match profile.refusals.get(&key) {
                Some(known)
                    if (&known.status, &known.message, &known.content_type, &known.extra)
                        != (
                            &refusal.status,
                            &refusal.message,
                            &refusal.content_type,
                            &refusal.extra,
                        ) =>
                {
                    Err(format!(
                        "the vendor answers {} here and {} in {}, for what the mock takes as one situation ({key})",
                        answer(&refusal),
                        answer(known),
                        known.learned_from
                    ))
                }
                Some(_) => Ok(()),
                None => {
                    profile.refusals.insert(key, refusal);
                    Ok(())
                }
            }
        }
        (true, true, None) => Err("the mock refused it without saying which situation".to_owned()),
        (false, false, _) => {
            if endpoint == Endpoint::GetResults {
                if let Some(rule) = results_file_id(lesson, false)? {
                    adopt_file_id(profile, rule)?;
                }
            }
            learn_success(profile, lesson, endpoint.name())
        }
        // The body of the success is learned from the cases the mock accepts too; the check
        // of the learned mock tells whether it answers this one alike.
        (false, true, Some(Situation::EmptyFileIds))
            if vendor.batches_after == mock.batches_after =>
        {
            profile.behaviours.empty_file_ids = Some(EmptyList::Accept);
            Ok(())
        }
        (false, true, Some(Situation::PartlyUnknownFiles)) if deleted_some(vendor, mock) => {
            profile.behaviours.partly_unknown_file_ids = Some(PartlyUnknown::DeleteKnown);
            Ok(())
        }
        (false, true, Some(Situation::UnknownFile)) => match results_file_id(lesson, true)? {
            Some(rule) => adopt_file_id(profile, rule),
            None => Err(
                "the vendor accepts a fileId the batch does not hold, and its answer lists no files"
                    .to_owned(),
            ),
        },
        (false, true, Some(situation @ Situation::InvalidBody { signature: Some(_) }))
            if vendor.batches_after == mock.batches_after =>
        {
            profile
                .accepts
                .entry(RefusalKey::new(endpoint, situation.clone()))
                .or_insert_with(|| Accepted {
                    learned_from: lesson.case.name.clone(),
                });
            Ok(())
        }
        (false, true, situation) => Err(format!(
            "the vendor accepts what the mock refuses ({}), and no choice of the profile covers that",
            situation.map_or_else(|| "no situation".to_owned(), ToString::to_string)
        )),
        (true, false, _) => Err(
            "the vendor refuses what the mock accepts, and no choice of the profile covers that"
                .to_owned(),
        ),
    }
}

/// The ids of the files an answer lists (`files[].fileId`), if it lists files.
fn listed(snapshot: &Snapshot) -> Option<Vec<&str>> {
    snapshot
        .body
        .get("files")
        .and_then(Value::as_array)
        .map(|files| {
            files
                .iter()
                .filter_map(|file| file.get("fileId").and_then(Value::as_str))
                .collect()
        })
}

/// What a getResults lesson whose request names a `fileId` shows of that `fileId`: `None`
/// when the vendor lists the files the mock lists (nothing to learn). `unknown`: the mock
/// refused the file as one the batch does not hold.
fn results_file_id(lesson: &Lesson<'_>, unknown: bool) -> Result<Option<ResultsFileId>, String> {
    let names_file =
        matches!(&lesson.case.request.body, BodySpec::Json(body) if body.get("fileId").is_some());
    if !names_file {
        return Ok(None);
    }
    let Some(vendor) = listed(lesson.vendor) else {
        return Ok(None);
    };
    let mock = listed(lesson.mock);
    if !unknown && mock.as_ref() == Some(&vendor) {
        return Ok(None);
    }
    if unknown && vendor.is_empty() {
        return Ok(Some(ResultsFileId::FilterOrEmpty));
    }
    let whole_batch = lesson.vendor.batches_after.iter().any(|batch| {
        matches!(batch, BatchAfter::Files(ids) if !ids.is_empty() && ids.iter().map(String::as_str).eq(vendor.iter().copied()))
    });
    if whole_batch {
        return Ok(Some(ResultsFileId::Ignore));
    }
    Err(format!(
        "the vendor lists other files than the mock for a fileId ({} where the mock lists {})",
        vendor.join(", "),
        mock.map_or_else(|| "none".to_owned(), |ids| ids.join(", "))
    ))
}

/// `rule` as the profile's getResults `fileId`, unless an earlier case showed another.
fn adopt_file_id(profile: &mut VendorProfile, rule: ResultsFileId) -> Result<(), String> {
    match profile.behaviours.get_results_file_id {
        Some(known) if known != rule => Err(format!(
            "the vendor treats getResults' fileId as `{}` here and as `{}` in an earlier case",
            kebab(rule),
            kebab(known)
        )),
        _ => {
            profile.behaviours.get_results_file_id = Some(rule);
            Ok(())
        }
    }
}

/// A behaviour as the profile writes it (`filter-or-empty`).
fn kebab(rule: ResultsFileId) -> String {
    serde_json::to_value(rule)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Whether the vendor's answer deleted files the mock's refusal left (a partly unknown list,
/// deleted in part).
fn deleted_some(vendor: &Snapshot, mock: &Snapshot) -> bool {
    let count = |batches: &[BatchAfter]| -> usize {
        batches
            .iter()
            .map(|b| match b {
                BatchAfter::Files(ids) => ids.len(),
                BatchAfter::Note(_) => 0,
            })
            .sum()
    };
    count(&vendor.batches_after) < count(&mock.batches_after)
}
