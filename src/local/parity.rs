//! Parity: the built-in mock beside a baseline recorded against a vendor. [`parity`] runs the
//! cases that have a baseline against the mock and reports where its observations differ;
//! [`learn_vendor`] runs them against the plain mock, learns a [`VendorProfile`] from the
//! differences, and checks that the mock which adopts it no longer differs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::start::with_built_in_mock;
use crate::contract::case::Case;
use crate::contract::profile::{NotLearned, VendorProfile};
use crate::contract::situation::Situation;
use crate::mock::server::MockError;
use crate::result::RunReport;
use crate::suite::error::RunError;
use crate::suite::learn::{Lesson, learn};
use crate::suite::options::{Baseline, BuiltInMock, RunOptions, Target};
use crate::suite::run::run;
use crate::suite::verify::baseline::Baselines;
use crate::suite::verify::volatile::VolatileRules;

/// Why parity could not be checked, or a profile not learned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParityError {
    /// The baseline folder holds no baseline of a selected case.
    #[error(
        "compare the built-in mock with {dir}: it holds no baseline of the selected cases; record one against the vendor with `run --snapshots {dir} --update-snapshots`"
    )]
    NoBaseline {
        /// The folder.
        dir: PathBuf,
    },
    /// A baseline or the volatile values beside them could not be read.
    #[error("read the baseline in {dir}: {reason}")]
    Baseline {
        /// The folder.
        dir: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The mock could not start.
    #[error(transparent)]
    Mock(#[from] MockError),
    /// The run could not run.
    #[error(transparent)]
    Run(#[from] RunError),
}

/// A profile learned from a baseline, and what checking it found.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Learned {
    /// The profile, with every case it could not learn from (also those where the mock that
    /// adopts it still differs from the baseline).
    pub profile: VendorProfile,
    /// The plain mock beside the baseline.
    pub before: RunReport,
    /// The mock that adopts the profile beside the baseline.
    pub after: RunReport,
}

/// The name a baseline folder goes by in messages: its last component (`staging`).
pub fn baseline_name(dir: &Path) -> String {
    dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// `options` for a run of the built-in mock against the baselines in `dir`: the selected
/// cases that have one, compared and never written, and the mock answering like `like` (and
/// recording what it receives, when `record`).
fn parity_options(
    options: &RunOptions,
    dir: &Path,
    like: Option<VendorProfile>,
    record: bool,
) -> Result<RunOptions, ParityError> {
    let cases = options.cases.load().map_err(RunError::from)?;
    let recorded = Baselines::new(dir).names();
    let only: Vec<String> = cases
        .iter()
        .map(|case| case.name.clone())
        .filter(|name| options.selects(name) && recorded.contains(name))
        .collect();
    if only.is_empty() {
        return Err(ParityError::NoBaseline {
            dir: dir.to_owned(),
        });
    }
    let mut options = options.clone();
    options.target = Target::BuiltInMock(BuiltInMock {
        like: like.map(Box::new),
        record,
        ..BuiltInMock::default()
    });
    options.profile = Some(baseline_name(dir));
    options.baseline = Baseline::Inspect {
        dir: dir.to_owned(),
    };
    options.selection.only = only;
    Ok(options)
}

/// Runs the cases that have a baseline in `dir` against the built-in mock (answering like the
/// profile at `like`, if given) and compares each observation with the baseline, writing
/// nothing: a case that differs fails with its drift lines.
///
/// # Errors
/// When `dir` holds no baseline of a selected case, or the run cannot run.
pub async fn parity(
    options: &RunOptions,
    dir: &Path,
    like: Option<VendorProfile>,
) -> Result<RunReport, ParityError> {
    let options = parity_options(options, dir, like, false)?;
    let (options, _mock) = with_built_in_mock(options).await?;
    Ok(run(&options, |_| {}).await?)
}

/// Learns the vendor's choices from the baselines in `dir`: runs their cases against the plain
/// mock, pairs each observation and the situation the mock saw with the baseline, and then
/// checks the mock that adopts the learned profile against the same baselines; a case that
/// still differs joins the profile's `notLearned`.
///
/// # Errors
/// When `dir` holds no baseline of a selected case, a baseline cannot be read, or a run
/// cannot run.
pub async fn learn_vendor(options: &RunOptions, dir: &Path) -> Result<Learned, ParityError> {
    let baseline_error = |reason: String| ParityError::Baseline {
        dir: dir.to_owned(),
        reason,
    };
    let plain = parity_options(options, dir, None, true)?;
    let (plain, mock) = with_built_in_mock(plain).await?;
    let before = run(&plain, |_| {}).await?;
    // The mock's situation in each case: that of the last request under test it received.
    let mut situations: HashMap<String, Option<Situation>> = HashMap::new();
    if let Some(mock) = &mock {
        for entry in mock.received_requests() {
            if let Some(case) = entry.case {
                situations.insert(case, entry.situation);
            }
        }
    }
    drop(mock);
    let cases: HashMap<String, Case> = plain
        .cases
        .load()
        .map_err(RunError::from)?
        .into_iter()
        .map(|case| (case.name.clone(), case))
        .collect();
    let baselines = Baselines::new(dir);
    let rules = VolatileRules::load(dir).map_err(|e| baseline_error(e.to_string()))?;
    let mut pairs = Vec::new();
    for result in &before.cases {
        let (Some(case), Some(observed)) = (cases.get(&result.name), &result.observation) else {
            continue;
        };
        let recorded = baselines
            .read(&result.name)
            .map_err(|e| baseline_error(e.to_string()))?;
        if let Some(recorded) = recorded {
            let situation = situations.get(&result.name).cloned().flatten();
            pairs.push((case, rules.mask(&recorded), observed.clone(), situation));
        }
    }
    let lessons: Vec<Lesson<'_>> = pairs
        .iter()
        .map(|(case, vendor, mock, situation)| Lesson {
            case,
            vendor,
            mock,
            situation: situation.as_ref(),
        })
        .collect();
    let mut profile = learn(&lessons, &dir.display().to_string());
    for result in &before.cases {
        if result.observation.is_none() && !result.failures.is_empty() {
            profile.not_learned.push(NotLearned {
                case: result.name.clone(),
                reason: format!(
                    "the plain mock gave no observation: {}",
                    result.failures[0].message()
                ),
            });
        }
    }
    let after = parity(options, dir, Some(profile.clone())).await?;
    for result in &after.cases {
        let Some(drift) = result.drifts().next() else {
            continue;
        };
        if profile.not_learned.iter().any(|n| n.case == result.name) {
            continue;
        }
        profile.not_learned.push(NotLearned {
            case: result.name.clone(),
            reason: format!(
                "the mock that adopts the profile still differs: {}",
                drift.message()
            ),
        });
    }
    profile.not_learned.sort_by(|a, b| a.case.cmp(&b.case));
    Ok(Learned {
        profile,
        before,
        after,
    })
}
