//! What a run with `--keep` leaves in place: the fixtures of the cases that failed, so that
//! their requests and the reads that show their effect can be sent again by hand; everything
//! else is deleted as always. `cleanup --run-id` deletes it later
//! ([`cleanup`](super::cleanup)).

use std::collections::BTreeSet;

use crate::result::Kept;

/// A fixture the run provisioned, and the cases that used it.
#[derive(Debug, Clone)]
pub struct Provisioned {
    /// The cases.
    pub cases: Vec<String>,
    /// The classifications created for them (not the run's own).
    pub classifications: Vec<String>,
    /// Its batches, as `(classificationId, batchId)`.
    pub batches: Vec<(String, String)>,
}

/// What a run leaves in place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keep {
    /// Classifications left whole: those created for a failed case's fixture.
    pub whole: BTreeSet<String>,
    /// Batches left, as `(classificationId, batchId)`: those of a failed case's fixture.
    pub batches: BTreeSet<(String, String)>,
    /// The failed cases.
    pub cases: BTreeSet<String>,
}

impl Keep {
    /// What to leave in place: the fixtures of the `failed` cases among `provisioned`.
    pub fn of(provisioned: &[Provisioned], failed: &[&str]) -> Keep {
        let mut keep = Keep::default();
        for unit in provisioned {
            let unit_failed: Vec<&String> = unit
                .cases
                .iter()
                .filter(|c| failed.contains(&c.as_str()))
                .collect();
            if unit_failed.is_empty() {
                continue;
            }
            keep.cases.extend(unit_failed.into_iter().cloned());
            keep.whole.extend(unit.classifications.iter().cloned());
            keep.batches.extend(unit.batches.iter().cloned());
        }
        keep
    }

    /// Whether the whole of classification `id` stays: created for a failed case, or holding
    /// a batch that stays.
    pub fn keeps_classification(&self, id: &str) -> bool {
        self.whole.contains(id) || self.batches.iter().any(|(c, _)| c == id)
    }

    /// Whether batch `batch` of `classification` stays.
    pub fn keeps_batch(&self, classification: &str, batch: &str) -> bool {
        self.whole.contains(classification)
            || self
                .batches
                .iter()
                .any(|(c, b)| c == classification && b == batch)
    }

    /// What a report says was kept by run `run_id`, whose created classifications are
    /// `created`: classifications kept whole, and batches kept in a classification the run did
    /// not create.
    pub fn kept(&self, run_id: &str, created: &[String]) -> Kept {
        let classifications: BTreeSet<String> = created
            .iter()
            .filter(|c| self.keeps_classification(c))
            .cloned()
            .collect();
        Kept {
            run_id: run_id.to_owned(),
            batches: self
                .batches
                .iter()
                .filter(|(c, _)| !classifications.contains(c))
                .cloned()
                .collect(),
            classifications: classifications.into_iter().collect(),
            cases: self.cases.iter().cloned().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provisioned(cases: &[&str], created: &[&str], batches: &[(&str, &str)]) -> Provisioned {
        Provisioned {
            cases: cases.iter().map(|c| (*c).to_owned()).collect(),
            classifications: created.iter().map(|c| (*c).to_owned()).collect(),
            batches: batches
                .iter()
                .map(|(c, b)| ((*c).to_owned(), (*b).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn only_the_fixtures_of_failed_cases_are_kept() {
        let provisioned = [
            provisioned(&["passed"], &[], &[("run", "b-passed")]),
            provisioned(
                &["failed"],
                &["own"],
                &[("run", "b-failed"), ("own", "b-own")],
            ),
        ];
        let keep = Keep::of(&provisioned, &["failed"]);
        assert!(keep.keeps_batch("run", "b-failed") && keep.keeps_batch("own", "b-own"));
        assert!(!keep.keeps_batch("run", "b-passed"));
        assert!(keep.keeps_classification("run") && keep.keeps_classification("own"));
        // The run created both: both are kept whole, for cleanup --run-id.
        let created = keep.kept("xc-1", &["run".to_owned(), "own".to_owned()]);
        assert_eq!(created.classifications, ["own", "run"]);
        assert!(created.batches.is_empty());
        assert_eq!(created.cases, ["failed"]);
        // In a classification the run did not create, the batch alone is kept.
        let reused = keep.kept("xc-1", &["own".to_owned()]);
        assert_eq!(reused.classifications, ["own"]);
        assert_eq!(reused.batches, [("run".to_owned(), "b-failed".to_owned())]);
        assert!(Keep::of(&provisioned, &[]).kept("xc-1", &[]).is_empty());
    }
}
