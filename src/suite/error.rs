//! Why the suite could not run: [`RunError`], and [`OptionsError`] for options that cannot
//! make a run. A failed contract is not here: it is a value in the report.

use std::fmt;
use std::path::PathBuf;

use super::transport::target::TargetError;
use super::vendor::VendorError;
use super::verify::baseline::SnapshotError;
use super::verify::volatile::VolatileError;
use crate::contract::case::CaseError;

/// Why the suite could not run at all (as opposed to a contract failure, which is a value).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// A case file is unusable.
    #[error(transparent)]
    Case(#[from] CaseError),
    /// The target is misconfigured or unreachable.
    #[error(transparent)]
    Target(#[from] TargetError),
    /// The run's classification could not be created.
    #[error("set up the run on {url}: {source}{}", hint(url, source))]
    Setup {
        /// The target.
        url: String,
        /// The cause.
        source: VendorError,
    },
    /// An option is missing, empty or unusable.
    #[error(transparent)]
    Options(#[from] OptionsError),
    /// Ctrl-C or SIGTERM came while the run was still checking its options, cases and
    /// baselines: nothing was sent.
    #[error("run the suite: it was stopped before its first request; nothing was sent")]
    Interrupted,
}

/// What to change, when the first request found no endpoint: most often a base URL without
/// its `/api/v1`.
fn hint(url: &str, source: &VendorError) -> &'static str {
    match source {
        VendorError::Refused {
            status: 404 | 405, ..
        } if !url.trim_end_matches('/').ends_with("/api/v1") => {
            " (the base URL does not end in /api/v1: the vendor's is https://api.extracta.ai/api/v1)"
        }
        VendorError::Refused {
            status: 404 | 405, ..
        } => " (no endpoint there: is this the Extracta.ai API?)",
        _ => "",
    }
}

/// A setting that may come from a flag or the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Setting {
    /// `--base-url`, `EXTRACTA_BASE_URL`.
    BaseUrl,
    /// `--api-key`, `EXTRACTA_API_KEY`.
    ApiKey,
    /// `--second-api-key`, `EXTRACTA_SECOND_API_KEY`.
    SecondApiKey,
    /// `--profile`, `EXTRACTA_PROFILE`.
    Profile,
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Setting::BaseUrl => "the base URL (--base-url, EXTRACTA_BASE_URL)",
            Setting::ApiKey => "the API key (--api-key, EXTRACTA_API_KEY)",
            Setting::SecondApiKey => {
                "the second account's key (--second-api-key, EXTRACTA_SECOND_API_KEY)"
            }
            Setting::Profile => "the profile (--profile, EXTRACTA_PROFILE)",
        })
    }
}

/// Why options cannot make a run: each refused before the first request, naming the option and
/// what to change.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OptionsError {
    /// A value is set but empty: an unset CI secret, most likely.
    #[error("use {setting}: it is set but empty (an unset CI variable?); set it, or unset it")]
    Empty {
        /// Which.
        setting: Setting,
    },
    /// A live target without a key.
    #[error("run against {base_url}: an API key is needed (--api-key or EXTRACTA_API_KEY)")]
    NoKey {
        /// The target.
        base_url: String,
    },
    /// The base URL carries a user name or password: they would be printed with the URL and
    /// sent as a second `Authorization` header beside the key.
    #[error(
        "use the base URL {base_url}: it holds a user name or password; put credentials in EXTRACTA_API_KEY, not in the URL"
    )]
    CredentialsInUrl {
        /// The URL without its user name and password.
        base_url: String,
    },
    /// The second account's key is the first account's.
    #[error(
        "use the second account's key: it is the first account's key; the cases that act as another tenant need a key of another account"
    )]
    SameKeys,
    /// A profile other than `mock` for the built-in mock, not asked for.
    #[error(
        "run under the profile `{profile}`: no --base-url is given, so the target would be the built-in mock, and its baselines would be filed as `{profile}`; name the target, or pass --built-in-mock to mean it"
    )]
    ProfileOnMock {
        /// The profile.
        profile: String,
    },
    /// A vendor profile for the built-in mock, with a live target named.
    #[error(
        "answer like a vendor profile: only the built-in mock can, and a live target ({base_url}) is named"
    )]
    LikeOnRemote {
        /// The target.
        base_url: String,
    },
    /// `--pace` names no endpoint.
    #[error("pace `{name}`: no such endpoint; known: {known}")]
    UnknownPace {
        /// The name given.
        name: String,
        /// The endpoints' names, comma-separated.
        known: String,
    },
    /// `--force` without `--update-snapshots`.
    #[error(
        "record failed cases (--force): only a run that records baselines (--update-snapshots) can"
    )]
    ForceWithoutUpdate,
    /// The baseline folder is a file.
    #[error("use --snapshots {}: it is a file, not a folder", dir.display())]
    SnapshotsIsFile {
        /// The path.
        dir: PathBuf,
    },
    /// The baseline folder cannot be created.
    #[error("create the baseline folder {}: {source}", dir.display())]
    SnapshotsFolder {
        /// The folder.
        dir: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A comparison with a folder that holds no baseline.
    #[error(
        "compare with the baseline in {}: there is none; record one with --update-snapshots",
        dir.display()
    )]
    NoBaseline {
        /// The folder.
        dir: PathBuf,
    },
    /// The volatile values beside the baselines are unusable.
    #[error(transparent)]
    Volatile(#[from] VolatileError),
    /// The baseline folder cannot be used safely: a link where a baseline goes, or more than a
    /// walk looks at.
    #[error(transparent)]
    Baseline(#[from] SnapshotError),
    /// The selection leaves no case.
    #[error(
        "select cases: the selection leaves none of the {total} cases of {origin} (see --list)"
    )]
    NothingSelected {
        /// How many cases there are.
        total: usize,
        /// Where they come from.
        origin: String,
    },
    /// Cleanup of a kept run names another target than the run's.
    #[error(
        "delete what the run kept: it was kept on {recorded}, and the target named is {given}; name the same target (--base-url, EXTRACTA_BASE_URL)"
    )]
    OtherTarget {
        /// The target named now.
        given: String,
        /// The target the run kept it on.
        recorded: String,
    },
    /// The built-in mock was named but not started before the run.
    #[error(
        "run against the built-in mock: it is not started; start it with `with_built_in_mock(options)` and run with the options it returns"
    )]
    MockNotStarted,
}
