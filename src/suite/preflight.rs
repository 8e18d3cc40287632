//! Everything a run checks before its first request: a run against a live account must not
//! send its traffic (and its deletes) only to find out at the end that an option was unusable.

use std::path::{Path, PathBuf};

use super::options::{MOCK_PROFILE, RunOptions};
use super::run::RunError;
use super::verify::volatile::VolatileRules;
use crate::contract::case::Case;
use crate::contract::endpoint::Endpoint;

/// What the checks found usable.
#[derive(Debug)]
pub struct Checked {
    /// The target's base URL.
    pub base_url: String,
    /// The key.
    pub api_key: String,
    /// The second account's key, if any.
    pub second_api_key: Option<String>,
    /// The cases, selected.
    pub cases: Vec<Case>,
    /// The names of all the cases, selected or not.
    pub all_names: Vec<String>,
    /// How many cases the selection left out.
    pub deselected: usize,
    /// The volatile values the baseline folder names, beside the built-in ones.
    pub volatile: VolatileRules,
}

fn option(message: impl Into<String>) -> RunError {
    RunError::Options(message.into())
}

/// A value that may come from a flag or the environment, refused when set but empty.
fn given<'a>(value: Option<&'a str>, what: &str) -> Result<Option<&'a str>, RunError> {
    match value {
        Some(v) if v.trim().is_empty() => Err(option(format!(
            "use {what}: it is set but empty (an unset CI variable?); set it, or unset it"
        ))),
        other => Ok(other),
    }
}

/// Whether `dir` holds a `.snap` file, at any depth.
fn holds_baselines(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| {
            let path = entry.path();
            if path.is_dir() {
                holds_baselines(&path)
            } else {
                path.extension().is_some_and(|e| e == "snap")
            }
        })
}

/// The baseline folder: a folder, or creatable when recording; holding baselines when
/// comparing.
fn check_snapshots(dir: &Path, update: bool) -> Result<(), RunError> {
    if dir.exists() && !dir.is_dir() {
        return Err(option(format!(
            "use --snapshots {}: it is a file, not a folder",
            dir.display()
        )));
    }
    if update {
        return std::fs::create_dir_all(dir)
            .map_err(|e| option(format!("create the baseline folder {}: {e}", dir.display())));
    }
    if !holds_baselines(dir) {
        return Err(option(format!(
            "compare with the baseline in {}: there is none; record one with --update-snapshots",
            dir.display()
        )));
    }
    Ok(())
}

/// Checks `options` and loads what the run needs, before anything is sent.
///
/// # Errors
/// [`RunError::Options`] naming the option and what is wrong with it, or the case files'
/// errors (every broken file at once).
pub fn check(options: &RunOptions) -> Result<Checked, RunError> {
    let base_url = given(
        options.base_url.as_deref(),
        "the base URL (--base-url, EXTRACTA_BASE_URL)",
    )?
    .ok_or_else(|| option("name a target: --base-url or EXTRACTA_BASE_URL"))?;
    let api_key = given(
        options.api_key.as_deref(),
        "the API key (--api-key, EXTRACTA_API_KEY)",
    )?
    .ok_or_else(|| {
        option(format!(
            "run against {base_url}: an API key is needed (--api-key or EXTRACTA_API_KEY)"
        ))
    })?;
    let second_api_key = given(
        options.second_api_key.as_deref(),
        "the second account's key (--second-api-key, EXTRACTA_SECOND_API_KEY)",
    )?;
    if second_api_key == Some(api_key) {
        return Err(option(
            "use the second account's key: it is the first account's key; the cases that act as another tenant need a key of another account",
        ));
    }
    let profile = given(
        options.profile.as_deref(),
        "the profile (--profile, EXTRACTA_PROFILE)",
    )?;
    if let Some(profile) = profile {
        if options.built_in_mock && profile != MOCK_PROFILE && !options.profile_on_mock {
            return Err(option(format!(
                "run under the profile `{profile}`: no --base-url is given, so the target would be the built-in mock, and its baselines would be filed as `{profile}`; name the target, or pass --built-in-mock to mean it"
            )));
        }
    }
    for (endpoint, _) in &options.pace {
        if Endpoint::from_name(endpoint).is_none() {
            let known: Vec<&str> = Endpoint::ALL.iter().map(|e| e.name()).collect();
            return Err(option(format!(
                "pace `{endpoint}`: no such endpoint; known: {}",
                known.join(", ")
            )));
        }
    }
    let volatile = match &options.snapshots {
        Some(dir) => {
            check_snapshots(dir, options.update_snapshots)?;
            VolatileRules::load(dir).map_err(|e| option(e.to_string()))?
        }
        None => VolatileRules::default(),
    };
    let mut cases = options.cases.load()?;
    let all_names: Vec<String> = cases.iter().map(|c| c.name.clone()).collect();
    cases.retain(|case| options.selects(&case.name));
    if cases.is_empty() {
        return Err(option(format!(
            "select cases: the selection leaves none of the {} cases of {} (see --list)",
            all_names.len(),
            options.cases
        )));
    }
    let deselected = all_names.len() - cases.len();
    Ok(Checked {
        base_url: base_url.to_owned(),
        api_key: api_key.to_owned(),
        second_api_key: second_api_key.map(str::to_owned),
        cases,
        all_names,
        deselected,
        volatile,
    })
}

/// Checks that a report can be written to `path`, before the run: its folder exists and is
/// writable, and it is not a folder itself. `-` (standard output) is always writable.
///
/// # Errors
/// [`RunError::Options`] naming the path and what is wrong.
pub fn check_writable(path: &Path, what: &str) -> Result<(), RunError> {
    if path.as_os_str() == "-" {
        return Ok(());
    }
    if path.is_dir() {
        return Err(option(format!(
            "write the {what} to {}: it is a folder",
            path.display()
        )));
    }
    let folder: PathBuf = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let probe = tempfile_in(&folder);
    probe.map_err(|e| option(format!("write the {what} to {}: {e}", path.display())))
}

/// Creates and removes a file in `folder`, to learn whether it is writable.
fn tempfile_in(folder: &Path) -> std::io::Result<()> {
    let probe = folder.join(format!(".extracta-contract-probe-{}", std::process::id()));
    std::fs::write(&probe, b"")?;
    std::fs::remove_file(&probe)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> RunOptions {
        RunOptions::default()
            .base_url("https://api.example.invalid/api/v1")
            .api_key("k")
            .cases_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
    }

    fn refusal(options: &RunOptions) -> String {
        check(options)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn a_set_but_empty_url_or_key_is_refused() {
        let mut empty_url = options();
        empty_url.base_url = Some(String::new());
        assert!(refusal(&empty_url).contains("set but empty"));
        let mut empty_key = options();
        empty_key.api_key = Some(" ".to_owned());
        assert!(refusal(&empty_key).contains("EXTRACTA_API_KEY"));
    }

    #[test]
    fn a_profile_on_the_built_in_mock_must_be_meant() {
        let mut on_mock = options();
        on_mock.built_in_mock = true;
        on_mock.profile = Some("staging".to_owned());
        assert!(refusal(&on_mock).contains("--built-in-mock"));
        on_mock.profile_on_mock = true;
        assert!(check(&on_mock).is_ok());
    }

    #[test]
    fn an_unknown_pace_endpoint_is_refused_naming_the_known_ones() {
        let mut paced = options();
        paced.pace = vec![("getResult".to_owned(), std::time::Duration::ZERO)];
        let error = refusal(&paced);
        assert!(
            error.contains("getResult") && error.contains("getResults"),
            "{error}"
        );
    }

    #[test]
    fn a_baseline_folder_must_hold_baselines_unless_recording() {
        let empty = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let compare = options().snapshots(empty.path(), false);
        assert!(refusal(&compare).contains("--update-snapshots"));
        let record = options().snapshots(empty.path().join("new"), true);
        assert!(check(&record).is_ok());
        assert!(empty.path().join("new").is_dir());
        let file = empty.path().join("file");
        let _ = std::fs::write(&file, "");
        assert!(refusal(&options().snapshots(&file, true)).contains("not a folder"));
    }

    #[test]
    fn the_same_key_for_both_accounts_is_refused() {
        let mut same = options();
        same.second_api_key = Some("k".to_owned());
        assert!(refusal(&same).contains("second account"));
    }

    #[test]
    fn a_report_path_in_a_missing_folder_is_refused() {
        let error = check_writable(Path::new("/no/such/folder/report.json"), "JSON report")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("/no/such/folder/report.json"), "{error}");
        assert!(check_writable(Path::new("-"), "JSON report").is_ok());
    }
}
