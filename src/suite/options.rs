//! What to run, and where: [`RunOptions`], built once by [`RunOptionsBuilder`] into types whose
//! variants are the modes. The target is a live URL with its keys ([`Remote`]) or the
//! built-in mock ([`BuiltInMock`]); the baseline is none, compared, inspected or updated
//! ([`Baseline`]). Keys are [`ApiKey`]s from the moment they are read: no `Debug` of an
//! option shows one.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::error::{OptionsError, Setting};
use crate::contract::case::CaseSource;
use crate::contract::endpoint::Endpoint;
use crate::contract::profile::VendorProfile;
use crate::redact::ApiKey;
use crate::result::ChangeClass;

/// `url` without the user name and password of its authority (`https://user:pw@host/...`),
/// when it has them; `None` when it has none.
fn without_userinfo(url: &str) -> Option<String> {
    let start = url.find("://").map_or(0, |at| at + 3);
    let rest = &url[start..];
    let authority = rest.find(['/', '?', '#']).map_or(rest, |end| &rest[..end]);
    let at = authority.rfind('@')?;
    Some(format!("{}{}", &url[..start], &rest[at + 1..]))
}

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

/// A target reached over HTTP: its base URL and the keys of the accounts the run acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub(crate) base_url: String,
    pub(crate) api_key: ApiKey,
    pub(crate) second_api_key: Option<ApiKey>,
}

impl Remote {
    /// The base URL, e.g. `https://api.extracta.ai/api/v1`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The key of the account the run acts as.
    pub fn api_key(&self) -> &ApiKey {
        &self.api_key
    }

    /// The key of a second account, for the cases that act as another tenant.
    pub fn second_api_key(&self) -> Option<&ApiKey> {
        self.second_api_key.as_ref()
    }
}

/// The built-in mock as a run's target: what it answers like, whether it records what it
/// receives, the keys it accepts, and once started, where it listens.
#[derive(Debug, Clone, Default)]
pub struct BuiltInMock {
    /// Boxed: a profile is large beside the other targets, and most runs have none.
    pub(crate) like: Option<Box<VendorProfile>>,
    pub(crate) record: bool,
    pub(crate) api_key: Option<ApiKey>,
    pub(crate) second_api_key: Option<ApiKey>,
    pub(crate) running: Option<Remote>,
}

impl BuiltInMock {
    /// The vendor profile it answers like, if any.
    pub fn like(&self) -> Option<&VendorProfile> {
        self.like.as_deref()
    }

    /// Whether it keeps a journal of the requests it receives, each naming its case.
    pub fn records(&self) -> bool {
        self.record
    }

    /// The keys it is to accept, if chosen (else its own).
    pub fn api_keys(&self) -> (Option<&ApiKey>, Option<&ApiKey>) {
        (self.api_key.as_ref(), self.second_api_key.as_ref())
    }

    /// Where it listens and the keys it accepts, once started.
    pub fn running(&self) -> Option<&Remote> {
        self.running.as_ref()
    }
}

/// Where the run sends its requests.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Target {
    /// A live target: the vendor, a staging account, a stand-in.
    Remote(Remote),
    /// The built-in mock, started for the run by
    /// [`with_built_in_mock`](crate::with_built_in_mock).
    BuiltInMock(BuiltInMock),
}

impl Target {
    /// Where requests go, with the keys: `None` for a built-in mock not started yet.
    pub fn remote(&self) -> Option<&Remote> {
        match self {
            Target::Remote(remote) => Some(remote),
            Target::BuiltInMock(mock) => mock.running.as_ref(),
        }
    }

    /// Whether this is the built-in mock.
    pub fn is_built_in(&self) -> bool {
        matches!(self, Target::BuiltInMock(_))
    }

    /// Whether the run has a second account: given for a live target, always for the built-in
    /// mock (which accepts a second key of its own).
    pub fn has_second_account(&self) -> bool {
        match self {
            Target::Remote(remote) => remote.second_api_key.is_some(),
            Target::BuiltInMock(_) => true,
        }
    }

    /// Every secret key the run may send, for the redactor: a live target's, and those given
    /// to the built-in mock (its own default keys are public, and stay readable).
    pub fn keys(&self) -> Vec<ApiKey> {
        let (first, second) = match self {
            Target::Remote(remote) => (Some(&remote.api_key), remote.second_api_key.as_ref()),
            Target::BuiltInMock(mock) => (mock.api_key.as_ref(), mock.second_api_key.as_ref()),
        };
        [first, second].into_iter().flatten().cloned().collect()
    }
}

/// What the run does with the baselines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Baseline {
    /// No baseline: the contract only.
    #[default]
    None,
    /// Compare each observation with the baseline in `dir`; a difference waits as `.snap.new`.
    Compare {
        /// The folder.
        dir: PathBuf,
        /// Remove the baselines whose case no longer exists.
        prune: bool,
    },
    /// Compare without writing or removing a file: the baselines are another target's, as when
    /// checking the mock's parity with them.
    Inspect {
        /// The folder.
        dir: PathBuf,
    },
    /// Record each observation as the new baseline in `dir`.
    Update {
        /// The folder.
        dir: PathBuf,
        /// Record also the cases that failed their contract.
        force: bool,
        /// Remove the baselines whose case no longer exists.
        prune: bool,
    },
}

impl Baseline {
    /// The folder, if any.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            Baseline::None => None,
            Baseline::Compare { dir, .. }
            | Baseline::Inspect { dir }
            | Baseline::Update { dir, .. } => Some(dir),
        }
    }

    /// Whether the baselines without a case are removed.
    pub fn prunes(&self) -> bool {
        matches!(
            self,
            Baseline::Compare { prune: true, .. } | Baseline::Update { prune: true, .. }
        )
    }

    /// Whether the run records rather than compares.
    pub fn updates(&self) -> bool {
        matches!(self, Baseline::Update { .. })
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
            max_response_size: super::transport::target::MAX_RESPONSE_SIZE,
            max_retry_wait: super::transport::retry::MAX_RETRY_WAIT,
            max_processing_wait: super::vendor::MAX_PROCESSING_WAIT,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_name_and_password_of_a_url_are_found_and_left_out() {
        assert_eq!(
            without_userinfo("https://u:p@host:8443/api/v1?x=@y").as_deref(),
            Some("https://host:8443/api/v1?x=@y")
        );
        assert_eq!(
            without_userinfo("u:p@host/api").as_deref(),
            Some("host/api")
        );
        assert_eq!(without_userinfo("https://host/api/@v1"), None);
        assert_eq!(without_userinfo("https://host"), None);
    }

    fn refusal(builder: RunOptionsBuilder) -> String {
        builder
            .build()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    fn remote() -> RunOptionsBuilder {
        RunOptions::builder()
            .base_url("https://api.example.invalid/api/v1")
            .api_key("k")
    }

    #[test]
    fn a_set_but_empty_url_or_key_is_refused() {
        assert!(refusal(remote().base_url("")).contains("set but empty"));
        assert!(refusal(remote().api_key(" ")).contains("EXTRACTA_API_KEY"));
        assert!(refusal(remote().second_api_key("")).contains("EXTRACTA_SECOND_API_KEY"));
        assert!(refusal(remote().profile("")).contains("EXTRACTA_PROFILE"));
    }

    #[test]
    fn a_live_target_needs_a_key() {
        let without = RunOptions::builder().base_url("https://api.example.invalid/api/v1");
        assert!(refusal(without).contains("an API key is needed"));
        // The built-in mock has keys of its own.
        assert!(RunOptions::builder().build().is_ok());
    }

    #[test]
    fn a_profile_on_the_built_in_mock_must_be_meant() {
        assert!(refusal(RunOptions::builder().profile("staging")).contains("--built-in-mock"));
        let meant = RunOptions::builder().profile("staging").built_in_mock(true);
        assert!(meant.build().is_ok());
        assert!(RunOptions::builder().profile("mock").build().is_ok());
    }

    #[test]
    fn an_unknown_pace_endpoint_is_refused_naming_the_known_ones() {
        let error = refusal(remote().pace("getResult", Duration::ZERO));
        assert!(
            error.contains("getResult") && error.contains("getResults"),
            "{error}"
        );
        let options = remote().pace("getResults", Duration::ZERO).build();
        assert!(options.is_ok_and(|o| o.pace() == [(Endpoint::GetResults, Duration::ZERO)]));
    }

    #[test]
    fn the_same_key_for_both_accounts_is_refused() {
        assert!(refusal(remote().second_api_key("k")).contains("second account"));
    }

    #[test]
    fn a_vendor_profile_is_for_the_built_in_mock_only() {
        let like = remote().mock_like(Some(VendorProfile::default()));
        assert!(refusal(like).contains("only the built-in mock"));
    }

    #[test]
    fn the_baseline_is_one_of_its_modes() {
        let baseline = |b: RunOptionsBuilder| b.build().map(|o| o.baseline).ok();
        assert_eq!(baseline(RunOptions::builder()), Some(Baseline::None));
        assert_eq!(
            baseline(RunOptions::builder().snapshots("s", false).prune(true)),
            Some(Baseline::Compare {
                dir: "s".into(),
                prune: true
            })
        );
        assert_eq!(
            baseline(RunOptions::builder().snapshots("s", true).force(true)),
            Some(Baseline::Update {
                dir: "s".into(),
                force: true,
                prune: false
            })
        );
        assert_eq!(
            baseline(RunOptions::builder().inspect_snapshots("s").prune(true)),
            Some(Baseline::Inspect { dir: "s".into() })
        );
        assert!(refusal(RunOptions::builder().force(true)).contains("--update-snapshots"));
    }

    #[test]
    fn no_key_shows_in_the_debug_of_options_or_their_builder() {
        let builder = remote()
            .api_key("sk-live-debug-5e1f")
            .second_api_key("sk-second-debug-9a2b");
        let shown = format!("{builder:?}");
        let options = builder.build().unwrap_or_else(|e| panic!("{e}"));
        let mock = RunOptions::builder()
            .api_key("sk-live-debug-5e1f")
            .second_api_key("sk-second-debug-9a2b")
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        for text in [
            shown,
            format!("{options:?}"),
            format!("{:?}", options.target()),
            format!("{mock:?}"),
            format!("{:#?}", mock.target()),
        ] {
            assert!(
                !text.contains("sk-live-debug-5e1f") && !text.contains("sk-second-debug-9a2b"),
                "{text}"
            );
            assert!(text.contains("[REDACTED]"), "{text}");
        }
    }

    #[test]
    fn the_built_in_mock_files_under_mock_and_a_live_target_under_its_host() {
        let built_in = RunOptions::builder().build().map(|o| o.profile_name());
        assert_eq!(built_in.ok().as_deref(), Some(MOCK_PROFILE));
        let live = remote().build().map(|o| o.profile_name());
        assert_eq!(live.ok().as_deref(), Some("api.example.invalid"));
    }
}
