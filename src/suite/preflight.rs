//! Everything a run checks before its first request that its options could not: the target
//! is started, the baseline folder and the cases are usable. A run against a live account
//! must not send its traffic (and its deletes) only to find out at the end.

use super::error::{OptionsError, RunError};
use super::options::{Baseline, Remote, RunOptions};
use super::verify::baseline::Baselines;
use super::verify::volatile::VolatileRules;
use crate::contract::case::Case;

/// What the checks found usable.
#[derive(Debug)]
pub struct Checked {
    /// Where the requests go, with the keys.
    pub remote: Remote,
    /// The cases, selected.
    pub cases: Vec<Case>,
    /// The names of all the cases, selected or not.
    pub all_names: Vec<String>,
    /// How many cases the selection left out.
    pub deselected: usize,
    /// The volatile values the baseline folder names, beside the built-in ones.
    pub volatile: VolatileRules,
}

/// The baseline folder: a folder, or creatable when recording; holding baselines when
/// comparing; walkable within bounds, without following a link.
fn check_snapshots(baseline: &Baseline) -> Result<(), OptionsError> {
    let Some(dir) = baseline.dir() else {
        return Ok(());
    };
    if dir.exists() && !dir.is_dir() {
        return Err(OptionsError::SnapshotsIsFile {
            dir: dir.to_owned(),
        });
    }
    if baseline.updates() {
        std::fs::create_dir_all(dir).map_err(|source| OptionsError::SnapshotsFolder {
            dir: dir.to_owned(),
            source,
        })?;
    }
    if !baseline.updates() && !dir.is_dir() {
        return Err(OptionsError::NoBaseline {
            dir: dir.to_owned(),
        });
    }
    let recorded = Baselines::new(dir).walk()?;
    if !baseline.updates() && recorded.is_empty() {
        return Err(OptionsError::NoBaseline {
            dir: dir.to_owned(),
        });
    }
    Ok(())
}

/// Checks `options` against the world and loads what the run needs, before anything is sent.
///
/// # Errors
/// [`RunError::Options`] naming the option and what is wrong with it, or the case files'
/// errors (every broken file at once).
pub fn check(options: &RunOptions) -> Result<Checked, RunError> {
    let remote = options
        .target
        .remote()
        .ok_or(OptionsError::MockNotStarted)?
        .clone();
    check_snapshots(&options.baseline)?;
    let volatile = match options.baseline.dir() {
        Some(dir) => VolatileRules::load(dir).map_err(OptionsError::from)?,
        None => VolatileRules::default(),
    };
    let mut cases = options.cases.load()?;
    let all_names: Vec<String> = cases.iter().map(|c| c.name.clone()).collect();
    cases.retain(|case| options.selects(&case.name));
    if cases.is_empty() {
        return Err(OptionsError::NothingSelected {
            total: all_names.len(),
            origin: options.cases.to_string(),
        }
        .into());
    }
    // Every selected case's baseline (and, when the run may write, its `.snap.new`) is a
    // regular file or absent, in real folders: a link there would be written through.
    if let Some(dir) = options.baseline.dir() {
        let baselines = Baselines::new(dir);
        let writes = !matches!(options.baseline, Baseline::Inspect { .. });
        for case in &cases {
            baselines
                .check(&case.name, writes)
                .map_err(OptionsError::from)?;
        }
    }
    let deselected = all_names.len() - cases.len();
    Ok(Checked {
        remote,
        cases,
        all_names,
        deselected,
        volatile,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn options(snapshots: Option<(PathBuf, bool)>) -> RunOptions {
        let mut builder = RunOptions::builder()
            .base_url("https://api.example.invalid/api/v1")
            .api_key("k")
            .cases_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"));
        if let Some((dir, update)) = snapshots {
            builder = builder.snapshots(dir, update);
        }
        builder.build().unwrap_or_else(|e| panic!("{e}"))
    }

    fn refusal(options: &RunOptions) -> String {
        check(options)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn a_baseline_folder_must_hold_baselines_unless_recording() {
        let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let compare = options(Some((empty.path().to_owned(), false)));
        assert!(refusal(&compare).contains("--update-snapshots"));
        let record = options(Some((empty.path().join("new"), true)));
        assert!(check(&record).is_ok());
        assert!(empty.path().join("new").is_dir());
        let file = empty.path().join("file");
        let _ = std::fs::write(&file, "");
        assert!(refusal(&options(Some((file, true)))).contains("not a folder"));
    }

    #[test]
    fn what_the_checks_found_shows_no_key_in_its_debug() {
        let options = RunOptions::builder()
            .base_url("https://api.example.invalid/api/v1")
            .api_key("sk-preflight-debug-3c7d")
            .second_api_key("sk-preflight-second-8e0f")
            .cases_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let checked = check(&options).unwrap_or_else(|e| panic!("{e}"));
        let shown = format!("{checked:?}");
        assert!(!shown.contains("sk-preflight"), "{shown}");
        assert!(shown.contains("[REDACTED]"));
    }

    #[test]
    fn the_built_in_mock_must_be_started_first() {
        let unstarted = RunOptions::builder()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(refusal(&unstarted).contains("with_built_in_mock"));
    }

    #[test]
    fn a_selection_that_leaves_no_case_is_refused() {
        let mut none = options(None);
        none.selection.filters = vec!["no-such-case".to_owned()];
        assert!(refusal(&none).contains("leaves none"));
    }
}
