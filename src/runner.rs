//! The engine: [`RunOptions`] in, [`RunReport`] out. The same code runs against the built-in
//! mock and against a live target.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::future::BoxFuture;
use serde_json::Value;

use crate::case::{BodySpec, Case, CaseError, FixtureSpec, StatusPattern};
use crate::check::{Failure, FailureKind, check};
use crate::drift::ChangeClass;
use crate::fixtures::{Fixture, FixtureError, Session};
use crate::mock::{DEFAULT_API_KEY, MockError, MockServer};
use crate::observation::Observation;
use crate::redact::ApiKey;
use crate::report::{CaseReport, RunReport, TargetInfo};
use crate::snapshot::{Baselines, normalise};
use crate::target::{Body, Request, Response, Retry, Target, TargetError};

/// The profile name of the built-in mock.
pub const MOCK_PROFILE: &str = "mock";

/// Which drift fails a case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
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

/// Cases at once against the built-in mock: it answers at once, so there is no latency to
/// overlap, and each further connection costs more than it saves (a run at 8 opens 22
/// connections and takes about a quarter longer than at 2).
pub const MOCK_CONCURRENCY: usize = 2;
/// Cases at once against a target over the network, whose latency they overlap.
pub const REMOTE_CONCURRENCY: usize = 8;

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
    /// How many cases run at once; `None` picks [`MOCK_CONCURRENCY`] against the built-in
    /// mock and [`REMOTE_CONCURRENCY`] against a target over the network.
    pub concurrency: Option<usize>,
    /// The per-request timeout.
    pub timeout: Duration,
    /// The snapshot profile; by default `mock`, or the target's host name.
    pub profile: Option<String>,
    /// Baselines to compare each observation with (drift).
    pub snapshots: Option<PathBuf>,
    /// Record the observations as the new baselines instead of comparing.
    pub update_snapshots: bool,
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
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            base_url: None,
            api_key: None,
            cases_dir: PathBuf::from("cases"),
            concurrency: None,
            timeout: Duration::from_secs(30),
            profile: None,
            snapshots: None,
            update_snapshots: false,
            fail_on: FailOn::Any,
            pace: Vec::new(),
            max_deletes: None,
            classification_id: None,
            share_fixtures: true,
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
    let (url, key, mock) = match &options.base_url {
        Some(url) => {
            let key = options.api_key.clone().ok_or_else(|| {
                RunError::Options(format!(
                    "run against {url}: an API key is needed (--api-key or EXTRACTA_API_KEY)"
                ))
            })?;
            (url.clone(), key, None)
        }
        None => {
            let key = options
                .api_key
                .clone()
                .unwrap_or_else(|| DEFAULT_API_KEY.to_owned());
            let mock = MockServer::builder().api_key(key.clone()).start().await?;
            (mock.base_url(), key, Some(mock))
        }
    };
    let target = Target::new(&url, ApiKey::new(key), options.timeout, &options.pace)?;
    let profile = options.profile.clone().unwrap_or_else(|| {
        if mock.is_some() {
            MOCK_PROFILE.to_owned()
        } else {
            target.host()
        }
    });
    let baseline = options
        .snapshots
        .as_ref()
        .map(|dir| dir.display().to_string());
    let info = TargetInfo {
        base_url: target.base_url().to_owned(),
        profile,
        baseline,
    };
    Ok((target, info, mock))
}

/// Every request a run of `options` would send, described for a person, key redacted; ids
/// the target would assign appear as placeholders. Nothing is sent.
///
/// # Errors
/// When the case files or the options are unusable.
pub fn plan(options: &RunOptions) -> Result<Vec<String>, RunError> {
    let cases = crate::case::load_dir(&options.cases_dir)?;
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| "<built-in mock>".to_owned());
    let fixture = |spec: &FixtureSpec| {
        let mut fixture = Fixture {
            classification_id: "{{classificationId}}".to_owned(),
            ..Fixture::default()
        };
        for (batch, &count) in spec.batches.iter().enumerate() {
            fixture.batch_ids.push(format!("{{{{batchId:{batch}}}}}"));
            for _ in 0..count {
                let n = fixture.files.len();
                fixture.files.push((batch, format!("{{{{fileId:{n}}}}}")));
            }
        }
        fixture
    };
    let mut lines = vec![match &options.classification_id {
        Some(id) => format!("reuse classification {id} (it is never deleted)"),
        None => format!(
            "POST {base_url}/documentClassification/createClassification (Authorization: Bearer [REDACTED])"
        ),
    }];
    for case in &cases {
        let fixture = fixture(&case.fixture);
        for (batch, count) in case.fixture.batches.iter().enumerate() {
            lines.push(format!(
                "[{}] POST {base_url}/documentClassification/uploadFiles: batch {batch}, {count} file(s)",
                case.name
            ));
        }
        let request =
            build_request(case, &fixture).map_err(|f| RunError::Options(f.to_string()))?;
        for _ in 0..case.request.repeat {
            lines.push(format!("[{}] {}", case.name, request.describe(&base_url)));
        }
    }
    lines.push(match &options.classification_id {
        Some(_) => "DELETE deleteBatch for every batch the run uploaded".to_owned(),
        None => format!("DELETE {base_url}/documentClassification/deleteClassification {{\"classificationId\": \"{{{{classificationId}}}}\"}}"),
    });
    Ok(lines)
}

/// Runs every case of `options.cases_dir`; `on_case` sees each case as it finishes, with
/// the progress `(finished, total)`.
///
/// A contract violation or a drift is a failed case in the report, not an error. Everything
/// the run created is deleted before it returns, also when cases fail or Ctrl-C arrives.
///
/// # Errors
/// When the suite cannot run at all: unusable case files or options, an unreachable target.
pub async fn run(
    options: &RunOptions,
    mut on_case: impl FnMut(&CaseReport, (usize, usize)),
) -> Result<RunReport, RunError> {
    let started = Instant::now();
    let cases = crate::case::load_dir(&options.cases_dir)?;
    let (target, info, mock) = resolve_target(options).await?;
    let concurrency = options.concurrency.unwrap_or(if mock.is_some() {
        MOCK_CONCURRENCY
    } else {
        REMOTE_CONCURRENCY
    });
    let session = match &options.classification_id {
        Some(id) => Session::reuse(target.clone(), id),
        None => Session::open(target.clone())
            .await
            .map_err(|source| RunError::Setup {
                url: info.base_url.clone(),
                source,
            })?,
    }
    .max_deletes(options.max_deletes);
    let baselines = options.snapshots.as_ref().map(Baselines::new);
    let baselines = baselines.as_ref();

    let (shared, own): (Vec<&Case>, Vec<&Case>) = cases
        .iter()
        .partition(|case| options.share_fixtures && must_delete_nothing(case));
    let mut units: Vec<BoxFuture<'_, Vec<CaseReport>>> = Vec::new();
    if !shared.is_empty() {
        let (session, shared) = (&session, shared.clone());
        units.push(Box::pin(async move {
            let started = Instant::now();
            let outcomes = run_shared(session, &shared, concurrency).await;
            let duration = started.elapsed();
            outcomes
                .into_iter()
                .map(|(case, outcome)| finish_case(case, outcome, duration, baselines, options))
                .collect()
        }));
    }
    for case in own {
        let session = &session;
        units.push(Box::pin(async move {
            let started = Instant::now();
            let outcome = execute(session, case).await;
            vec![finish_case(
                case,
                outcome,
                started.elapsed(),
                baselines,
                options,
            )]
        }));
    }
    let mut reports = Vec::with_capacity(cases.len());
    let interrupted = {
        let mut all = futures::stream::iter(units).buffer_unordered(concurrency);
        let ctrl_c = tokio::signal::ctrl_c();
        tokio::pin!(ctrl_c);
        loop {
            tokio::select! {
                next = all.next() => match next {
                    Some(finished) => for report in finished {
                        on_case(&report, (reports.len() + 1, cases.len()));
                        reports.push(report);
                    },
                    None => break false,
                },
                _ = &mut ctrl_c => break true,
            }
        }
    };
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
        traffic: target.traffic(),
    })
}

/// A case whose every acceptable answer is a refusal: it must delete nothing, so it can share
/// a fixture with the others like it.
fn must_delete_nothing(case: &Case) -> bool {
    case.request.repeat == 1
        && case.expect.deleted.is_empty()
        && case.expect.may_delete.is_empty()
        && case.expect.status.iter().all(|pattern| match pattern {
            StatusPattern::Exact(code) => *code >= 400,
            StatusPattern::Class(class) => *class >= 4,
        })
}

/// What executing a case gave: the fixture it saw and the observation, or why it could not.
type Outcome = Result<(Fixture, Observation), Failure>;

/// Provisions `case`'s fixture in `session`, sends its request, reads back its batches and
/// checks everything. This is what `cargo test` runs for each case file.
pub async fn run_case(session: &Session, case: &Case) -> CaseReport {
    let started = Instant::now();
    let outcome = execute(session, case).await;
    finish_case(
        case,
        outcome,
        started.elapsed(),
        None,
        &RunOptions::default(),
    )
}

/// Checks an outcome, compares it with the baseline, and makes the case's report.
fn finish_case(
    case: &Case,
    outcome: Outcome,
    duration: Duration,
    baselines: Option<&Baselines>,
    options: &RunOptions,
) -> CaseReport {
    let (mut failures, observation) = match outcome {
        Ok((fixture, observation)) => (
            check(case, &fixture, &observation),
            Some(normalise(&observation, &fixture)),
        ),
        Err(failure) => (vec![failure], None),
    };
    if let (Some(baselines), Some(observed)) = (baselines, &observation) {
        failures.extend(compare(case, observed, baselines, options.update_snapshots));
    }
    CaseReport::new(
        &case.name,
        &case.description,
        failures,
        observation,
        duration,
        options.fail_on,
    )
}

/// Drift failures of `observed` against the baseline (none when recording).
fn compare(case: &Case, observed: &Value, baselines: &Baselines, update: bool) -> Vec<Failure> {
    let recorded = match baselines.read(&case.name) {
        Ok(recorded) => recorded,
        Err(error) => return vec![Failure::new(FailureKind::Setup, error.to_string())],
    };
    let write_failure =
        |e: crate::snapshot::SnapshotError| vec![Failure::new(FailureKind::Setup, e.to_string())];
    if update {
        return match recorded {
            Some(recorded) if &recorded == observed => Vec::new(),
            _ => baselines
                .write(case, observed, false)
                .err()
                .map(write_failure)
                .unwrap_or_default(),
        };
    }
    let Some(recorded) = recorded else {
        let pending = baselines.write(case, observed, true);
        return match pending {
            Ok(path) => vec![Failure::drift(
                ChangeClass::Breaking,
                format!(
                    "no baseline recorded; this run's observation waits in {} (accept with --update-snapshots or cargo insta review)",
                    path.display()
                ),
            )],
            Err(error) => write_failure(error),
        };
    };
    let changes = crate::drift::diff(&recorded, observed);
    if changes.is_empty() {
        let _ = std::fs::remove_file(baselines.pending_path(&case.name));
        return Vec::new();
    }
    let mut failures: Vec<Failure> = changes
        .into_iter()
        .map(|c| Failure::drift(c.class, c.description))
        .collect();
    if let Err(error) = baselines.write(case, observed, true) {
        failures.extend(write_failure(error));
    }
    failures
}

/// Runs the cases that must delete nothing against one shared fixture, then reads it back once.
async fn run_shared<'a>(
    session: &Session,
    cases: &[&'a Case],
    concurrency: usize,
) -> Vec<(&'a Case, Outcome)> {
    let spec = FixtureSpec {
        batches: (0..cases
            .iter()
            .map(|c| c.fixture.batches.len())
            .max()
            .unwrap_or(0))
            .map(|b| {
                cases
                    .iter()
                    .filter_map(|c| c.fixture.batches.get(b))
                    .copied()
                    .max()
                    .unwrap_or(1)
            })
            .collect(),
    };
    let fixture = match session.provision(&spec).await {
        Ok(fixture) => fixture,
        Err(error) => {
            let failure = Failure::new(FailureKind::Setup, error.to_string());
            return cases
                .iter()
                .map(|case| (*case, Err(failure.clone())))
                .collect();
        }
    };
    let mut sends = Vec::with_capacity(cases.len());
    for case in cases {
        sends.push(send_in_view(session, case, &fixture));
    }
    let answers: Vec<(&Case, Answer)> = futures::stream::iter(sends)
        .buffered(concurrency)
        .collect()
        .await;
    let batches = read_back(session, &fixture).await;
    let intact = fixture.files.iter().all(|(batch, id)| {
        batches
            .get(*batch)
            .is_some_and(|files| files.as_ref().is_ok_and(|ids| ids.contains(id)))
    });
    if !intact {
        // Something deleted what it must not, and a shared fixture cannot say which case did:
        // run each case again on a fixture of its own (this costs uploads only on failure).
        let mut isolated = Vec::with_capacity(cases.len());
        for case in cases {
            isolated.push(async move { (*case, execute(session, case).await) });
        }
        return futures::stream::iter(isolated)
            .buffered(concurrency)
            .collect()
            .await;
    }
    answers
        .into_iter()
        .map(|(case, answer)| {
            let view = fixture.view(&case.fixture);
            let outcome = answer.map(|(earlier, response)| {
                let batches = restrict(&batches, &view);
                (
                    view,
                    Observation {
                        earlier,
                        response,
                        batches,
                    },
                )
            });
            (case, outcome)
        })
        .collect()
}

/// The statuses of the earlier sends and the last answer, or why there is none.
type Answer = Result<(Vec<u16>, Response), Failure>;

async fn send_in_view<'a>(
    session: &Session,
    case: &'a Case,
    shared: &Fixture,
) -> (&'a Case, Answer) {
    (
        case,
        send_case(session, case, &shared.view(&case.fixture)).await,
    )
}

async fn execute(session: &Session, case: &Case) -> Outcome {
    let fixture = session
        .provision(&case.fixture)
        .await
        .map_err(|e| Failure::new(FailureKind::Setup, e.to_string()))?;
    let (earlier, response) = send_case(session, case, &fixture).await?;
    let batches = restrict(&read_back(session, &fixture).await, &fixture);
    Ok((
        fixture,
        Observation {
            earlier,
            response,
            batches,
        },
    ))
}

/// Sends the case's request `repeat` times: the earlier statuses and the last answer.
async fn send_case(session: &Session, case: &Case, fixture: &Fixture) -> Answer {
    let request = build_request(case, fixture)?;
    let mut earlier = Vec::new();
    let mut last = None;
    for _ in 0..case.request.repeat {
        let answer = session.send(&request).await.map_err(|e| match e {
            FixtureError::Transport(e) => Failure::new(FailureKind::Transport, e.to_string()),
            other => Failure::new(FailureKind::Setup, other.to_string()),
        })?;
        if let Some(previous) = last.replace(answer) {
            earlier.push(previous.status);
        }
    }
    last.map(|response| (earlier, response))
        .ok_or_else(|| Failure::new(FailureKind::Setup, "the case sends no request"))
}

/// The files each batch of `fixture` holds now.
async fn read_back(session: &Session, fixture: &Fixture) -> Vec<Result<Vec<String>, String>> {
    let mut batches = Vec::with_capacity(fixture.batch_ids.len());
    for batch in 0..fixture.batch_ids.len() {
        batches.push(
            session
                .files_in_batch(fixture, batch)
                .await
                .map_err(|e| e.to_string()),
        );
    }
    batches
}

/// The read-back limited to the batches and files of `view`.
fn restrict(
    batches: &[Result<Vec<String>, String>],
    view: &Fixture,
) -> Vec<Result<Vec<String>, String>> {
    batches
        .iter()
        .take(view.batch_ids.len())
        .map(|files| {
            files.clone().map(|ids| {
                ids.into_iter()
                    .filter(|id| view.files.iter().any(|(_, own)| own == id))
                    .collect()
            })
        })
        .collect()
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
        // The request under test is observed as sent: a 5xx is the answer, never retried.
        retry: Retry::RateLimitOnly,
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
