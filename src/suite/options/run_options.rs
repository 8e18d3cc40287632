//! The options a run is built into: [`RunOptions`] and its accessors, the selection of cases,
//! which drift fails a case, and the defaults that depend on the target.

use std::time::Duration;

use super::baseline::Baseline;
use super::target::Target;
use crate::contract::case::CaseSource;
use crate::contract::endpoint::Endpoint;
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

/// The per-request timeout, by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Which drift fails a case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FailOn {
    /// Only breaking changes; additive ones (a new field) and wording (a reworded message)
    /// are reported but pass.
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

/// Which cases run: by exact name (`only`), by part of the name (`filters`), and which not
/// (`excludes`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub(crate) only: Vec<String>,
    pub(crate) filters: Vec<String>,
    pub(crate) excludes: Vec<String>,
}

impl Selection {
    /// Whether the selection keeps the case named `name`.
    pub fn selects(&self, name: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|n| n == name))
            && (self.filters.is_empty() || self.filters.iter().any(|f| name.contains(f.as_str())))
            && !self.excludes.iter().any(|e| name.contains(e.as_str()))
    }
}

/// What to run, and where: built by [`RunOptions::builder`] (or [`RunOptions::from_env`]).
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub(crate) target: Target,
    pub(crate) cases: CaseSource,
    pub(crate) selection: Selection,
    pub(crate) baseline: Baseline,
    pub(crate) profile: Option<String>,
    pub(crate) fail_on: FailOn,
    pub(crate) concurrency: Option<usize>,
    pub(crate) timeout: Duration,
    pub(crate) settle: Option<Duration>,
    pub(crate) max_response_size: usize,
    pub(crate) max_retry_wait: Duration,
    pub(crate) max_processing_wait: Duration,
    pub(crate) pace: Vec<(Endpoint, Duration)>,
    pub(crate) max_deletes: Option<u64>,
    pub(crate) classification_id: Option<String>,
    pub(crate) share_fixtures: bool,
    pub(crate) keep: bool,
}

impl RunOptions {
    /// Where the run sends its requests.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Where the cases come from.
    pub fn cases(&self) -> &CaseSource {
        &self.cases
    }

    /// Which cases run.
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// What the run does with the baselines.
    pub fn baseline(&self) -> &Baseline {
        &self.baseline
    }

    /// Which drift fails a case.
    pub fn fail_on(&self) -> FailOn {
        self.fail_on
    }

    /// The per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The largest answer read; past it the case fails and the run goes on.
    pub fn max_response_size(&self) -> usize {
        self.max_response_size
    }

    /// The longest wait before a request is sent again: a target that asks for longer is not
    /// waited for.
    pub fn max_retry_wait(&self) -> Duration {
        self.max_retry_wait
    }

    /// The longest wait for a batch that getResults says is still `waiting`.
    pub fn max_processing_wait(&self) -> Duration {
        self.max_processing_wait
    }

    /// The least pause between calls to an endpoint, where set.
    pub fn pace(&self) -> &[(Endpoint, Duration)] {
        &self.pace
    }

    /// The cap on destructive requests sent by cases.
    pub fn max_deletes(&self) -> Option<u64> {
        self.max_deletes
    }

    /// The classification the run reuses instead of creating one.
    pub fn classification_id(&self) -> Option<&str> {
        self.classification_id.as_deref()
    }

    /// Whether the cases that must change nothing share one fixture.
    pub fn shares_fixtures(&self) -> bool {
        self.share_fixtures
    }

    /// Whether the selection keeps the case named `name`.
    pub fn selects(&self, name: &str) -> bool {
        self.selection.selects(name)
    }

    /// Whether the fixtures of failed cases are left in place.
    pub fn keeps(&self) -> bool {
        self.keep
    }

    /// The profile the run's baselines are filed under: as given, `mock` for the built-in
    /// mock, else the target's host name.
    pub fn profile_name(&self) -> String {
        if let Some(profile) = &self.profile {
            return profile.clone();
        }
        match &self.target {
            Target::BuiltInMock(_) => MOCK_PROFILE.to_owned(),
            Target::Remote(remote) => url::Url::parse(&remote.base_url)
                .ok()
                .and_then(|url| url.host_str().map(str::to_owned))
                .unwrap_or_else(|| "target".to_owned()),
        }
    }

    /// How long reads may lag a request: as given, else none against the built-in mock and
    /// 10 s against anything else.
    pub fn effective_settle(&self) -> Duration {
        self.settle.unwrap_or(if self.target.is_built_in() {
            Duration::ZERO
        } else {
            REMOTE_SETTLE
        })
    }

    /// How many cases run at once: as given, else 2 against the built-in mock (it answers at
    /// once) and 8 against anything else.
    pub fn effective_concurrency(&self) -> usize {
        self.concurrency.unwrap_or(if self.target.is_built_in() {
            MOCK_CONCURRENCY
        } else {
            REMOTE_CONCURRENCY
        })
    }
}
