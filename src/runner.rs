//! The engine: [`RunOptions`] in, [`RunReport`] out. The same code runs against the built-in
//! mock and against a live target.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::Value;

use crate::case::{BodySpec, Case, CaseError};
use crate::check::{Failure, FailureKind, check};
use crate::fixtures::{Fixture, FixtureError, Session};
use crate::mock::{DEFAULT_API_KEY, MockError, MockServer};
use crate::observation::Observation;
use crate::redact::ApiKey;
use crate::report::{CaseReport, RunReport, TargetInfo};
use crate::snapshot::normalise;
use crate::target::{Body, Request, Target, TargetError};

/// The profile name of the built-in mock.
pub const MOCK_PROFILE: &str = "mock";

/// What to run, and where. `Default` runs `cases/` against the built-in mock.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RunOptions {
    /// The target's base URL; `None` starts the built-in mock.
    pub base_url: Option<String>,
    /// The API key; with the built-in mock, the key it is started with.
    pub api_key: Option<String>,
    /// Where the case files are.
    pub cases_dir: PathBuf,
    /// How many cases run at once.
    pub concurrency: usize,
    /// The per-request timeout.
    pub timeout: Duration,
    /// The snapshot profile; by default `mock`, or the target's host name.
    pub profile: Option<String>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            base_url: None,
            api_key: None,
            cases_dir: PathBuf::from("cases"),
            concurrency: 8,
            timeout: Duration::from_secs(30),
            profile: None,
        }
    }
}

impl RunOptions {
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

    /// Sets the folder of case files.
    #[must_use]
    pub fn cases_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cases_dir = dir.into();
        self
    }

    /// Sets how many cases run at once (at least 1).
    #[must_use]
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Sets the per-request timeout.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

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
    /// The built-in mock could not start.
    #[error(transparent)]
    Mock(#[from] MockError),
    /// The run's classification could not be created.
    #[error("set up the run on {url}: {source}")]
    Setup {
        /// The target.
        url: String,
        /// The cause.
        source: FixtureError,
    },
    /// An option is out of range.
    #[error("{0}")]
    Options(String),
}

/// A target for `options`: the live one named, or a freshly started built-in mock.
///
/// The mock, when started, is returned too and must be kept alive for the run.
///
/// # Errors
/// When the URL is unusable, a live target has no key, or the mock cannot start.
pub async fn resolve_target(
    options: &RunOptions,
) -> Result<(Target, TargetInfo, Option<MockServer>), RunError> {
    match &options.base_url {
        Some(url) => {
            let key = options.api_key.clone().ok_or_else(|| {
                RunError::Options(format!(
                    "run against {url}: an API key is needed (--api-key or EXTRACTA_API_KEY)"
                ))
            })?;
            let target = Target::new(url, ApiKey::new(key), options.timeout)?;
            let profile = options.profile.clone().unwrap_or_else(|| target.host());
            let info = TargetInfo {
                base_url: target.base_url().to_owned(),
                profile,
            };
            Ok((target, info, None))
        }
        None => {
            let key = options
                .api_key
                .clone()
                .unwrap_or_else(|| DEFAULT_API_KEY.to_owned());
            let mock = MockServer::builder().api_key(key.clone()).start().await?;
            let target = Target::new(&mock.base_url(), ApiKey::new(key), options.timeout)?;
            let profile = options
                .profile
                .clone()
                .unwrap_or_else(|| MOCK_PROFILE.to_owned());
            let info = TargetInfo {
                base_url: target.base_url().to_owned(),
                profile,
            };
            Ok((target, info, Some(mock)))
        }
    }
}

/// Runs every case of `options.cases_dir`; `on_case` sees each case as it finishes.
///
/// A contract violation is a failed case in the report, not an error. Everything the run
/// created is deleted before it returns, also when cases fail or Ctrl-C arrives.
///
/// # Errors
/// When the suite cannot run at all: unusable case files or options, an unreachable target.
pub async fn run(
    options: &RunOptions,
    mut on_case: impl FnMut(&CaseReport),
) -> Result<RunReport, RunError> {
    let started = Instant::now();
    let cases = crate::case::load_dir(&options.cases_dir)?;
    let (target, info, _mock) = resolve_target(options).await?;
    let session = Session::open(target.clone())
        .await
        .map_err(|source| RunError::Setup {
            url: info.base_url.clone(),
            source,
        })?;
    let mut reports = Vec::with_capacity(cases.len());
    let mut all = futures::stream::iter(&cases)
        .map(|case| run_case(&session, case))
        .buffer_unordered(options.concurrency.max(1));
    let interrupted = {
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        loop {
            tokio::select! {
                next = all.next() => match next {
                    Some(report) => {
                        on_case(&report);
                        reports.push(report);
                    }
                    None => break false,
                },
                _ = &mut ctrl_c => break true,
            }
        }
    };
    drop(all);
    for case in &cases {
        if !reports.iter().any(|r| r.name == case.name) {
            reports.push(CaseReport::skipped(&case.name, &case.description));
        }
    }
    reports.sort_by(|a, b| a.name.cmp(&b.name));
    let cleanup = session.close().await;
    Ok(RunReport {
        target: info,
        cases: reports,
        cleanup,
        interrupted,
        duration: started.elapsed(),
        requests: target.requests_sent(),
    })
}

/// Provisions `case`'s fixture in `session`, sends its request, reads back its batches and
/// checks everything.
pub async fn run_case(session: &Session, case: &Case) -> CaseReport {
    let started = Instant::now();
    let (failures, observation) = match execute(session, case).await {
        Ok((fixture, observation)) => (
            check(case, &fixture, &observation),
            Some(normalise(&observation, &fixture)),
        ),
        Err(failure) => (vec![failure], None),
    };
    CaseReport::new(
        &case.name,
        &case.description,
        failures,
        observation,
        started.elapsed(),
    )
}

async fn execute(session: &Session, case: &Case) -> Result<(Fixture, Observation), Failure> {
    let setup = |e: FixtureError| Failure::new(FailureKind::Setup, e.to_string());
    let fixture = session.provision(&case.fixture).await.map_err(setup)?;
    let request = build_request(case, &fixture)?;
    let mut earlier = Vec::new();
    let mut response = None;
    for _ in 0..case.request.repeat {
        let answer = session.send(&request).await.map_err(|e| match e {
            FixtureError::Transport(e) => Failure::new(FailureKind::Transport, e.to_string()),
            other => setup(other),
        })?;
        if let Some(previous) = response.replace(answer) {
            earlier.push(previous.status);
        }
    }
    let response =
        response.ok_or_else(|| Failure::new(FailureKind::Setup, "the case sends no request"))?;
    let mut batches = Vec::with_capacity(fixture.batch_ids.len());
    for batch in 0..fixture.batch_ids.len() {
        batches.push(
            session
                .files_in_batch(&fixture, batch)
                .await
                .map_err(|e| e.to_string()),
        );
    }
    Ok((
        fixture,
        Observation {
            earlier,
            response,
            batches,
        },
    ))
}

/// The wire request of `case`, placeholders filled from `fixture`.
fn build_request(case: &Case, fixture: &Fixture) -> Result<Request, Failure> {
    let method = reqwest::Method::from_bytes(case.request.method.as_bytes()).map_err(|e| {
        Failure::new(
            FailureKind::Setup,
            format!("method {}: {e}", case.request.method),
        )
    })?;
    let body = match &case.request.body {
        BodySpec::None => Body::Empty,
        BodySpec::Json(json) => Body::Bytes(fill_json(json, fixture).to_string().into_bytes()),
        BodySpec::Raw(raw) => Body::Bytes(fixture.fill(raw).into_bytes()),
    };
    Ok(Request {
        method,
        path: case.request.path.clone(),
        auth: case.request.auth,
        content_type: case.request.content_type.clone(),
        body,
    })
}

fn fill_json(value: &Value, fixture: &Fixture) -> Value {
    match value {
        Value::String(s) => Value::String(fixture.fill(s)),
        Value::Array(items) => Value::Array(items.iter().map(|v| fill_json(v, fixture)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (fixture.fill(k), fill_json(v, fixture)))
                .collect(),
        ),
        other => other.clone(),
    }
}
