//! [`RunOptionsBuilder`]: a setter for every option, checked together once by
//! [`build`](RunOptionsBuilder::build) into the types whose variants are the modes.

use std::path::PathBuf;
use std::time::Duration;

use super::baseline::Baseline;
use super::run_options::{DEFAULT_TIMEOUT, FailOn, MOCK_PROFILE, RunOptions, Selection};
use super::target::{BuiltInMock, Remote, Target};
use crate::contract::case::CaseSource;
use crate::contract::endpoint::Endpoint;
use crate::contract::profile::VendorProfile;
use crate::redact::ApiKey;
use crate::suite::error::{OptionsError, Setting};

/// `url` without the user name and password of its authority (`https://user:pw@host/...`),
/// when it has them; `None` when it has none.
pub(super) fn without_userinfo(url: &str) -> Option<String> {
    let start = url.find("://").map_or(0, |at| at + 3);
    let rest = &url[start..];
    let authority = rest.find(['/', '?', '#']).map_or(rest, |end| &rest[..end]);
    let at = authority.rfind('@')?;
    Some(format!("{}{}", &url[..start], &rest[at + 1..]))
}

impl RunOptions {
    /// A builder: the built-in cases against the built-in mock, unless told otherwise.
    pub fn builder() -> RunOptionsBuilder {
        RunOptionsBuilder::default()
    }

    /// A builder from the environment: `EXTRACTA_BASE_URL`, `EXTRACTA_API_KEY`,
    /// `EXTRACTA_SECOND_API_KEY` and `EXTRACTA_PROFILE`. A variable that is set but empty is
    /// kept, and [`RunOptionsBuilder::build`] refuses it: a CI recipe whose secret is missing
    /// must not quietly run against something else.
    pub fn from_env() -> RunOptionsBuilder {
        let get = |name: &str| std::env::var(name).ok();
        RunOptionsBuilder {
            base_url: get("EXTRACTA_BASE_URL"),
            api_key: get("EXTRACTA_API_KEY").map(ApiKey::new),
            second_api_key: get("EXTRACTA_SECOND_API_KEY").map(ApiKey::new),
            profile: get("EXTRACTA_PROFILE"),
            ..RunOptionsBuilder::default()
        }
    }
}

/// Builds [`RunOptions`]: setters for every option, checked together by
/// [`build`](RunOptionsBuilder::build).
#[derive(Debug, Clone)]
#[must_use]
pub struct RunOptionsBuilder {
    base_url: Option<String>,
    api_key: Option<ApiKey>,
    second_api_key: Option<ApiKey>,
    built_in_mock: bool,
    like: Option<VendorProfile>,
    record: bool,
    cases: CaseSource,
    selection: Selection,
    snapshots: Option<PathBuf>,
    update: bool,
    inspect: bool,
    force: bool,
    prune: bool,
    profile: Option<String>,
    fail_on: FailOn,
    concurrency: Option<usize>,
    timeout: Duration,
    settle: Option<Duration>,
    max_response_size: usize,
    max_retry_wait: Duration,
    max_processing_wait: Duration,
    pace: Vec<(String, Duration)>,
    max_deletes: Option<u64>,
    classification_id: Option<String>,
    share_fixtures: bool,
    keep: bool,
}

impl Default for RunOptionsBuilder {
    fn default() -> Self {
        RunOptionsBuilder {
            base_url: None,
            api_key: None,
            second_api_key: None,
            built_in_mock: false,
            like: None,
            record: false,
            cases: CaseSource::BuiltIn,
            selection: Selection::default(),
            snapshots: None,
            update: false,
            inspect: false,
            force: false,
            prune: false,
            profile: None,
            fail_on: FailOn::Any,
            concurrency: None,
            timeout: DEFAULT_TIMEOUT,
            settle: None,
            max_response_size: crate::suite::transport::target::MAX_RESPONSE_SIZE,
            max_retry_wait: crate::suite::transport::retry::MAX_RETRY_WAIT,
            max_processing_wait: crate::suite::vendor::MAX_PROCESSING_WAIT,
            pace: Vec::new(),
            max_deletes: None,
            classification_id: None,
            share_fixtures: true,
            keep: false,
        }
    }
}

/// `value`, refused when set but empty.
fn given<T: AsRef<str>>(value: Option<T>, setting: Setting) -> Result<Option<T>, OptionsError> {
    match value {
        Some(v) if v.as_ref().trim().is_empty() => Err(OptionsError::Empty { setting }),
        other => Ok(other),
    }
}

impl RunOptionsBuilder {
    /// Runs against a live target at this base URL (e.g. `https://api.extracta.ai/api/v1`);
    /// without one, against the built-in mock.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The key of the account the run acts as (for the built-in mock: a key it accepts).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(ApiKey::new(key));
        self
    }

    /// The key of a second account, for the cases that act as another tenant.
    pub fn second_api_key(mut self, key: impl Into<String>) -> Self {
        self.second_api_key = Some(ApiKey::new(key));
        self
    }

    /// No second account: the cases that act as another tenant are skipped.
    pub fn without_second_api_key(mut self) -> Self {
        self.second_api_key = None;
        self
    }

    /// The built-in mock is meant even though the profile names another (its observations
    /// are then compared with, or recorded as, that profile's baselines).
    pub fn built_in_mock(mut self, meant: bool) -> Self {
        self.built_in_mock = meant;
        self
    }

    /// The built-in mock answers like this vendor profile.
    pub fn mock_like(mut self, profile: Option<VendorProfile>) -> Self {
        self.like = profile;
        self
    }

    /// The built-in mock keeps a journal of what it receives, each request under test naming
    /// its case.
    pub fn record_requests(mut self, record: bool) -> Self {
        self.record = record;
        self
    }

    /// Reads the cases from this folder instead of the built-in ones.
    pub fn cases_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cases = CaseSource::Dir(dir.into());
        self
    }

    /// Runs only the case named `name` (repeatable).
    pub fn only(mut self, name: impl Into<String>) -> Self {
        self.selection.only.push(name.into());
        self
    }

    /// Runs only the cases whose name contains one of these.
    pub fn filters(mut self, filters: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.selection
            .filters
            .extend(filters.into_iter().map(Into::into));
        self
    }

    /// Leaves out the cases whose name contains one of these.
    pub fn excludes(mut self, excludes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.selection
            .excludes
            .extend(excludes.into_iter().map(Into::into));
        self
    }

    /// Compares with (or, with `update`, records) the baselines in `dir`.
    pub fn snapshots(mut self, dir: impl Into<PathBuf>, update: bool) -> Self {
        self.snapshots = Some(dir.into());
        self.update = update;
        self
    }

    /// Compares with the baselines in `dir` without writing or removing a file.
    pub fn inspect_snapshots(mut self, dir: impl Into<PathBuf>) -> Self {
        self.snapshots = Some(dir.into());
        self.update = false;
        self.inspect = true;
        self
    }

    /// With baselines being recorded: record also the cases that failed their contract.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Removes the baselines whose case no longer exists.
    pub fn prune(mut self, prune: bool) -> Self {
        self.prune = prune;
        self
    }

    /// The snapshot profile (default: `mock` for the built-in mock, else the host name).
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Which drift fails a case.
    pub fn fail_on(mut self, fail_on: FailOn) -> Self {
        self.fail_on = fail_on;
        self
    }

    /// How many cases run at once (at least 1).
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = Some(n.max(1));
        self
    }

    /// The per-request timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long reads may lag a request before its effect is judged.
    pub fn settle(mut self, settle: Duration) -> Self {
        self.settle = Some(settle);
        self
    }

    /// The largest answer read.
    pub fn max_response_size(mut self, bytes: usize) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// The longest wait before a request is sent again (default 60 s): a `Retry-After` longer
    /// than this is not waited, and the request fails at once.
    pub fn max_retry_wait(mut self, max: Duration) -> Self {
        self.max_retry_wait = max;
        self
    }

    /// The longest wait for a batch that getResults says is still `waiting` (default 60 s);
    /// a batch still waiting then fails its case.
    pub fn max_processing_wait(mut self, max: Duration) -> Self {
        self.max_processing_wait = max;
        self
    }

    /// The least pause between calls to the endpoint of this name (repeatable; zero turns the
    /// default off).
    pub fn pace(mut self, endpoint: impl Into<String>, interval: Duration) -> Self {
        self.pace.push((endpoint.into(), interval));
        self
    }

    /// At most `n` destructive requests from cases.
    pub fn max_deletes(mut self, n: Option<u64>) -> Self {
        self.max_deletes = n;
        self
    }

    /// Uploads into this existing classification instead of creating one.
    pub fn classification_id(mut self, id: Option<String>) -> Self {
        self.classification_id = id;
        self
    }

    /// Leaves the fixtures of the cases that fail in place (and only those), so that their
    /// requests can be sent again by hand; `cleanup --run-id` deletes them later.
    pub fn keep(mut self, keep: bool) -> Self {
        self.keep = keep;
        self
    }

    /// Whether the cases that must change nothing share one fixture (default: yes).
    pub fn share_fixtures(mut self, share: bool) -> Self {
        self.share_fixtures = share;
        self
    }

    /// The options, checked together.
    ///
    /// # Errors
    /// An [`OptionsError`] naming the option: a value set but empty, a live target without a
    /// key, the same key for both accounts, a profile for the built-in mock not meant, a
    /// vendor profile with a live target, an unknown `pace` endpoint, `force` without
    /// recording.
    pub fn build(self) -> Result<RunOptions, OptionsError> {
        let base_url = given(self.base_url, Setting::BaseUrl)?;
        if let Some(base_url) = base_url.as_deref().and_then(without_userinfo) {
            return Err(OptionsError::CredentialsInUrl { base_url });
        }
        let api_key = given(self.api_key.as_ref().map(ApiKey::expose), Setting::ApiKey)?
            .and(self.api_key.clone());
        let second_api_key = given(
            self.second_api_key.as_ref().map(ApiKey::expose),
            Setting::SecondApiKey,
        )?
        .and(self.second_api_key.clone());
        if second_api_key.is_some() && second_api_key == api_key {
            return Err(OptionsError::SameKeys);
        }
        let profile = given(self.profile, Setting::Profile)?;
        let target = match base_url {
            Some(base_url) => {
                if self.like.is_some() {
                    return Err(OptionsError::LikeOnRemote { base_url });
                }
                let Some(api_key) = api_key else {
                    return Err(OptionsError::NoKey { base_url });
                };
                Target::Remote(Remote {
                    base_url,
                    api_key,
                    second_api_key,
                })
            }
            None => {
                if let Some(profile) = &profile {
                    if profile != MOCK_PROFILE && !self.built_in_mock {
                        return Err(OptionsError::ProfileOnMock {
                            profile: profile.clone(),
                        });
                    }
                }
                Target::BuiltInMock(BuiltInMock {
                    like: self.like.map(Box::new),
                    record: self.record,
                    api_key,
                    second_api_key,
                    running: None,
                })
            }
        };
        let mut pace = Vec::with_capacity(self.pace.len());
        for (name, interval) in self.pace {
            let Some(endpoint) = Endpoint::from_name(&name) else {
                let known: Vec<&str> = Endpoint::ALL.iter().map(|e| e.name()).collect();
                return Err(OptionsError::UnknownPace {
                    name,
                    known: known.join(", "),
                });
            };
            pace.push((endpoint, interval));
        }
        if self.force && !self.update {
            return Err(OptionsError::ForceWithoutUpdate);
        }
        let baseline = match self.snapshots {
            None => Baseline::None,
            Some(dir) if self.inspect => Baseline::Inspect { dir },
            Some(dir) if self.update => Baseline::Update {
                dir,
                force: self.force,
                prune: self.prune,
            },
            Some(dir) => Baseline::Compare {
                dir,
                prune: self.prune,
            },
        };
        Ok(RunOptions {
            target,
            cases: self.cases,
            selection: self.selection,
            baseline,
            profile,
            fail_on: self.fail_on,
            concurrency: self.concurrency,
            timeout: self.timeout,
            settle: self.settle,
            max_response_size: self.max_response_size,
            max_retry_wait: self.max_retry_wait,
            max_processing_wait: self.max_processing_wait,
            pace,
            max_deletes: self.max_deletes,
            classification_id: self.classification_id,
            share_fixtures: self.share_fixtures,
            keep: self.keep,
        })
    }
}
