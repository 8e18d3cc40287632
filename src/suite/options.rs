//! What to run, and where: [`RunOptions`], built with setters or read from the environment.

use std::path::PathBuf;
use std::time::Duration;

use crate::contract::case::CaseSource;
use crate::contract::profile::VendorProfile;
use crate::result::ChangeClass;

/// The profile name of the built-in mock.
pub const MOCK_PROFILE: &str = "mock";

/// Cases at once against the built-in mock: it answers at once, so there is no latency to
/// overlap, and each further connection costs more than it saves.
pub const MOCK_CONCURRENCY: usize = 2;
/// Cases at once against a target over the network, whose latency they overlap.
pub const REMOTE_CONCURRENCY: usize = 8;
/// How long a remote target may take before its reads show what a request did.
pub const REMOTE_SETTLE: Duration = Duration::from_secs(10);
/// The largest answer read, by default; a longer one fails its case.
pub const MAX_RESPONSE_SIZE: usize = 4 * 1024 * 1024;

/// Which drift fails a case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FailOn {
    /// Only breaking changes; additive ones (a new field) are reported but pass.
    Breaking,
    /// Every change.
    #[default]
    Any,
}

impl FailOn {
    /// Whether a change of `class` fails the case.
    pub fn fails(self, class: ChangeClass) -> bool {
        self == FailOn::Any || class == ChangeClass::Breaking
    }
}

/// What to run, and where. `Default` runs the built-in cases against a target still to be
/// named (the built-in mock, when started through
/// [`with_built_in_mock`](crate::with_built_in_mock)).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RunOptions {
    /// The target's base URL.
    pub base_url: Option<String>,
    /// The API key.
    pub api_key: Option<String>,
    /// The key of a second account, for the cases that act as another tenant.
    pub second_api_key: Option<String>,
    /// Whether the target is the built-in mock (for the default profile and concurrency).
    pub built_in_mock: bool,
    /// Run the built-in mock under a profile other than `mock`: it was asked for.
    pub profile_on_mock: bool,
    /// Where the cases come from: the built-in ones by default.
    pub cases: CaseSource,
    /// How many cases run at once; `None` picks [`MOCK_CONCURRENCY`] against the built-in
    /// mock and [`REMOTE_CONCURRENCY`] against anything else.
    pub concurrency: Option<usize>,
    /// The per-request timeout.
    pub timeout: Duration,
    /// How long reads may lag a request before its effect is judged; `None` picks none
    /// against the built-in mock and [`REMOTE_SETTLE`] against anything else.
    pub settle: Option<Duration>,
    /// The largest answer read; past it the case fails and the run goes on.
    pub max_response_size: usize,
    /// The snapshot profile; by default `mock`, or the target's host name.
    pub profile: Option<String>,
    /// Baselines to compare each observation with (drift).
    pub snapshots: Option<PathBuf>,
    /// Record the observations as the new baselines instead of comparing.
    pub update_snapshots: bool,
    /// Compare with the baselines without writing or removing a file (no `.snap.new`): the
    /// baselines are another target's, as when checking the mock's parity with them.
    pub read_only_baselines: bool,
    /// Name each case in its request under test ([`CASE_HEADER`]), for a built-in mock that
    /// keeps a journal of the situations it refused.
    ///
    /// [`CASE_HEADER`]: crate::contract::case::CASE_HEADER
    pub tag_cases: bool,
    /// The vendor profile the built-in mock answers like, when a run starts one.
    pub mock_like: Option<VendorProfile>,
    /// Record also the observations of cases that failed their contract.
    pub force: bool,
    /// Remove the baselines whose case no longer exists.
    pub prune: bool,
    /// Which drift fails a case.
    pub fail_on: FailOn,
    /// Minimum pause between calls per endpoint name, overriding the defaults.
    pub pace: Vec<(String, Duration)>,
    /// Cap on destructive requests sent by cases.
    pub max_deletes: Option<u64>,
    /// Reuse this classification instead of creating one (only created batches are deleted).
    pub classification_id: Option<String>,
    /// Let the cases that must delete nothing share one fixture, checked after them all.
    pub share_fixtures: bool,
    /// Run only the cases with these names (all when empty).
    pub only: Vec<String>,
    /// Run only the cases whose name contains one of these (all when empty).
    pub filters: Vec<String>,
    /// Leave out the cases whose name contains one of these.
    pub excludes: Vec<String>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            base_url: None,
            api_key: None,
            second_api_key: None,
            built_in_mock: false,
            profile_on_mock: false,
            cases: CaseSource::BuiltIn,
            concurrency: None,
            timeout: Duration::from_secs(30),
            settle: None,
            max_response_size: MAX_RESPONSE_SIZE,
            profile: None,
            snapshots: None,
            update_snapshots: false,
            read_only_baselines: false,
            tag_cases: false,
            mock_like: None,
            force: false,
            prune: false,
            fail_on: FailOn::Any,
            pace: Vec::new(),
            max_deletes: None,
            classification_id: None,
            share_fixtures: true,
            only: Vec::new(),
            filters: Vec::new(),
            excludes: Vec::new(),
        }
    }
}

impl RunOptions {
    /// The options the environment gives: `EXTRACTA_BASE_URL`, `EXTRACTA_API_KEY`,
    /// `EXTRACTA_SECOND_API_KEY` and `EXTRACTA_PROFILE`. A variable that is set but empty is
    /// kept as an empty value, which [`check`](RunOptions::check) refuses: a CI recipe whose
    /// secret is missing must not quietly run against something else.
    pub fn from_env() -> Self {
        let get = |name: &str| std::env::var(name).ok();
        RunOptions {
            base_url: get("EXTRACTA_BASE_URL"),
            api_key: get("EXTRACTA_API_KEY"),
            second_api_key: get("EXTRACTA_SECOND_API_KEY"),
            profile: get("EXTRACTA_PROFILE"),
            ..RunOptions::default()
        }
    }

    /// Sets the target's base URL.
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets the API key.
    #[must_use]
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Sets the key of the second account.
    #[must_use]
    pub fn second_api_key(mut self, key: impl Into<String>) -> Self {
        self.second_api_key = Some(key.into());
        self
    }

    /// Sets how long reads may lag a request.
    #[must_use]
    pub fn settle(mut self, settle: Duration) -> Self {
        self.settle = Some(settle);
        self
    }

    /// Reads the cases from this folder instead of the built-in ones.
    #[must_use]
    pub fn cases_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cases = CaseSource::Dir(dir.into());
        self
    }

    /// Sets how many cases run at once (at least 1).
    #[must_use]
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = Some(n.max(1));
        self
    }

    /// Sets the per-request timeout.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Compares with (or, with `update`, records) the baselines in `dir`.
    #[must_use]
    pub fn snapshots(mut self, dir: impl Into<PathBuf>, update: bool) -> Self {
        self.snapshots = Some(dir.into());
        self.update_snapshots = update;
        self
    }

    /// Sets which drift fails a case.
    #[must_use]
    pub fn fail_on(mut self, fail_on: FailOn) -> Self {
        self.fail_on = fail_on;
        self
    }

    /// Runs only the case named `name`.
    #[must_use]
    pub fn only(mut self, name: impl Into<String>) -> Self {
        self.only.push(name.into());
        self
    }

    /// The profile the run's baselines are filed under: as given, `mock` for the built-in
    /// mock, else the target's host name.
    pub fn profile_name(&self) -> String {
        if let Some(profile) = &self.profile {
            return profile.clone();
        }
        if self.built_in_mock {
            return MOCK_PROFILE.to_owned();
        }
        self.base_url
            .as_deref()
            .and_then(|url| url::Url::parse(url).ok())
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_else(|| "target".to_owned())
    }

    /// Whether the selection (`only`, `filters`, `excludes`) keeps the case named `name`.
    pub fn selects(&self, name: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|n| n == name))
            && (self.filters.is_empty() || self.filters.iter().any(|f| name.contains(f.as_str())))
            && !self.excludes.iter().any(|e| name.contains(e.as_str()))
    }

    /// How long reads may lag a request.
    pub fn effective_settle(&self) -> Duration {
        self.settle.unwrap_or(if self.built_in_mock {
            Duration::ZERO
        } else {
            REMOTE_SETTLE
        })
    }

    /// How many cases run at once.
    pub fn effective_concurrency(&self) -> usize {
        self.concurrency.unwrap_or(if self.built_in_mock {
            MOCK_CONCURRENCY
        } else {
            REMOTE_CONCURRENCY
        })
    }
}
