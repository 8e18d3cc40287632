//! An observation held against its baseline: what the comparison finds (drift, a missing
//! baseline, a store that cannot be read or written) and what becomes of the baseline, as the
//! run asks ([`Record`]).

use super::baseline::{Baselines, SnapshotError};
use super::drift::diff;
use super::snap::render;
use super::volatile::VolatileRules;
use crate::contract::case::Case;
use crate::result::{BaselineCheck, BaselineStatus, Failure, Snapshot};

/// What comparing an observation with its baseline found: drift lines, a missing baseline, or
/// a store that could not be read or written; and what became of the baseline. When
/// recording, a case that failed its contract (`failed`) is held back unless `force`.
pub fn compare(
    baselines: &Baselines,
    case: &Case,
    observed: &Snapshot,
    rules: &VolatileRules,
    record: Record,
) -> (Vec<Failure>, BaselineCheck) {
    let unusable = |e: SnapshotError| {
        vec![Failure::Setup {
            reason: e.to_string(),
        }]
    };
    let recorded = match baselines.read(&case.name) {
        Ok(recorded) => recorded,
        Err(error) if matches!(record, Record::Compare | Record::Inspect) => {
            return (unusable(error), check(BaselineStatus::Missing, None));
        }
        // A baseline that cannot be read is rewritten when recording.
        Err(_) => None,
    };
    match record {
        Record::HeldBack => {
            return (Vec::new(), check(BaselineStatus::HeldBack, recorded));
        }
        Record::Write => {
            // Rewritten when the observation or the case's description changed; left alone
            // (its timestamp too) when the file would read the same.
            let on_disk = baselines.text(&case.name).ok().flatten();
            if on_disk.is_some_and(|(_, text)| text == render(case, observed)) {
                return (Vec::new(), check(BaselineStatus::Unchanged, recorded));
            }
            let failures = baselines
                .write(case, observed, false)
                .err()
                .map(unusable)
                .unwrap_or_default();
            return (failures, check(BaselineStatus::Recorded, recorded));
        }
        Record::Compare | Record::Inspect => {}
    }
    let inspect = record == Record::Inspect;
    let Some(before) = recorded.clone() else {
        if inspect {
            return (Vec::new(), check(BaselineStatus::Missing, None));
        }
        let failures = match baselines.write(case, observed, true) {
            Ok(pending) => vec![Failure::NoBaseline { pending }],
            Err(error) => unusable(error),
        };
        return (failures, check(BaselineStatus::Missing, None));
    };
    let changes = diff(&rules.mask(&before), observed);
    if changes.is_empty() {
        if !inspect {
            baselines.remove_pending(&case.name);
        }
        return (Vec::new(), check(BaselineStatus::Unchanged, recorded));
    }
    let mut failures: Vec<Failure> = changes.into_iter().map(Failure::Drift).collect();
    if inspect {
        return (failures, check(BaselineStatus::Changed, recorded));
    }
    if let Err(error) = baselines.write(case, observed, true) {
        failures.extend(unusable(error));
    }
    (failures, check(BaselineStatus::Changed, recorded))
}

/// What a run does with a case's baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// Compare the observation with it.
    Compare,
    /// Write the observation as the new baseline.
    Write,
    /// Leave it: the case failed its contract, and nothing asked to record it anyway.
    HeldBack,
    /// Compare the observation with it, and write or remove nothing: the baseline is another
    /// target's.
    Inspect,
}

fn check(status: BaselineStatus, recorded: Option<Snapshot>) -> BaselineCheck {
    BaselineCheck { status, recorded }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::BaselineStatus;

    /// The committed case `delete-files/valid-one-file`, its observation, and a baseline
    /// folder holding it as written.
    fn recorded() -> (Case, Snapshot, tempfile::TempDir, Baselines) {
        let (case, observed) = crate::suite::verify::baseline::tests::committed();
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let baselines = Baselines::new(dir.path());
        let written = baselines.write(&case, &observed, false);
        assert!(written.is_ok(), "{written:?}");
        (case, observed, dir, baselines)
    }

    fn corrupt(baselines: &Baselines, case: &Case) {
        let _ = std::fs::write(baselines.path(&case.name), "---\nnot: [a snapshot\n");
    }

    #[test]
    fn a_baseline_that_cannot_be_read_fails_a_comparison_and_is_rewritten_by_a_recording() {
        let rules = VolatileRules::default();
        for record in [Record::Compare, Record::Inspect] {
            let (case, observed, _dir, baselines) = recorded();
            corrupt(&baselines, &case);

            let (failures, check) = compare(&baselines, &case, &observed, &rules, record);

            assert!(
                matches!(failures.as_slice(), [Failure::Setup { .. }]),
                "{record:?}: {failures:?}"
            );
            assert_eq!(check.status, BaselineStatus::Missing);
            assert!(!baselines.pending_path(&case.name).exists(), "{record:?}");
        }
        let (case, observed, _dir, baselines) = recorded();
        corrupt(&baselines, &case);

        let (failures, check) = compare(&baselines, &case, &observed, &rules, Record::Write);

        assert!(failures.is_empty(), "{failures:?}");
        assert_eq!(check.status, BaselineStatus::Recorded);
        assert!(matches!(baselines.read(&case.name), Ok(Some(_))));
    }

    #[test]
    fn an_unchanged_comparison_clears_what_waited_for_review_and_an_inspection_leaves_it() {
        let rules = VolatileRules::default();
        for (record, cleared) in [(Record::Compare, true), (Record::Inspect, false)] {
            let (case, observed, _dir, baselines) = recorded();
            let pending = baselines.write(&case, &observed, true);
            assert!(pending.is_ok(), "{pending:?}");

            let (failures, check) = compare(&baselines, &case, &observed, &rules, record);

            assert!(failures.is_empty(), "{failures:?}");
            assert_eq!(check.status, BaselineStatus::Unchanged);
            assert_eq!(
                baselines.pending_path(&case.name).exists(),
                !cleared,
                "{record:?}"
            );
        }
    }
}
