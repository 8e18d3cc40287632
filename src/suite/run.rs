//! The engine: [`RunOptions`] in, [`RunReport`] out. It checks everything it can before the
//! first request, then executes the [`Plan`]: gets the run's classification, provisions each
//! unit's fixture, sends its cases, reads the batches back until they settle, judges each
//! case, and deletes what it created, also when it is stopped.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::StreamExt;
use tokio::sync::watch;

use super::error::RunError;
use super::fixture::{Fixture, provision};
use super::keep::{Keep, Provisioned};
use super::ledger::Ledger;
use super::options::{Baseline, RunOptions, Target as Targeted};
use super::ownership::Marker;
use super::plan::{Plan, Setup, Unit, awaited, case_request};
use super::preflight;
use super::settle::Pauses;
use super::transport::request::Request;
use super::transport::target::Target;
use super::vendor::{Vendor, VendorError};
use super::verify::baseline::Baselines;
use super::verify::check::{check, check_effect, intact};
use super::verify::comparison::{Record, compare};
use super::verify::normalise::normalise;
use super::verify::volatile::VolatileRules;
use crate::contract::case::Case;
use crate::redact::Redactor;
use crate::result::quote::shortened;
use crate::result::{
    BatchRead, CaseResult, Exchange, Failure, Observation, Outcome, Response, RunEvent, RunReport,
    SentRequest, TargetInfo,
};

/// How much of an answer a case's exchange keeps, redacted, for the reports (which show less).
const KEPT_ANSWER: usize = 64 * 1024;

/// Runs every selected case of `options.cases` to the end; `on_event` sees each case as it
/// finishes.
///
/// A contract violation or a drift is a failed case in the report, not an error. Everything
/// the run created is deleted before it returns, also when cases fail.
///
/// # Errors
/// When the suite cannot run at all: unusable case files or options, an unreachable target.
pub async fn run(
    options: &RunOptions,
    on_event: impl FnMut(RunEvent<'_>),
) -> Result<RunReport, RunError> {
    run_until(options, on_event, std::future::pending()).await
}

/// As [`run`], until `stop` completes (Ctrl-C, say): then no new case starts, requests that
/// create data finish, the rest are abandoned, the cases not run are skipped, and what the
/// run created is deleted before it returns, with `interrupted` set. A stop that comes while
/// the run still checks its options and reads its cases and baselines ends it at once, with
/// nothing sent.
///
/// # Errors
/// As [`run`], and [`RunError::Interrupted`] when stopped before the first request.
pub async fn run_until(
    options: &RunOptions,
    mut on_event: impl FnMut(RunEvent<'_>),
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<RunReport, RunError> {
    let started = Instant::now();
    let (stop_tx, stopped) = watch::channel(false);
    let watcher = tokio::spawn(async move {
        stop.await;
        let _ = stop_tx.send(true);
    });
    let outcome = execute(options, &mut on_event, &stopped, started).await;
    watcher.abort();
    outcome
}

/// The checks before the first request, on a thread of their own: they walk folders and
/// read files, and a stop must not wait for them (the process may end while they finish).
async fn checked_until_stopped(
    options: &RunOptions,
    stopped: &watch::Receiver<bool>,
) -> Result<preflight::Checked, RunError> {
    let owned = options.clone();
    let checks = tokio::task::spawn_blocking(move || preflight::check(&owned));
    let mut stop = stopped.clone();
    tokio::select! {
        checked = checks => match checked {
            Ok(checked) => checked,
            Err(error) => match error.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(_) => Err(RunError::Interrupted),
            },
        },
        Ok(_) = stop.wait_for(|s| *s) => Err(RunError::Interrupted),
    }
}

/// The run's classification: created, or reused.
async fn open(vendor: &Vendor, plan: &Plan<'_>) -> Result<String, VendorError> {
    match &plan.setup {
        Setup::Create => vendor.create_classification().await,
        Setup::Reuse(id) => {
            vendor.ledger().borrow_classification(id);
            Ok(id.clone())
        }
    }
}

async fn execute(
    options: &RunOptions,
    on_event: &mut impl FnMut(RunEvent<'_>),
    stopped: &watch::Receiver<bool>,
    started: Instant,
) -> Result<RunReport, RunError> {
    let checked = checked_until_stopped(options, stopped).await?;
    let remote = &checked.remote;
    let redactor = Redactor::new(options.target.keys());
    let records = matches!(&options.target, Targeted::BuiltInMock(mock) if mock.records());
    let target = Target::new(
        remote.base_url(),
        remote.api_key().clone(),
        options.timeout,
        &options.pace,
    )?
    .with_second_key(remote.second_api_key().cloned())
    .tag_cases(records)
    .max_response_size(options.max_response_size)
    .max_retry_wait(options.max_retry_wait);
    let info = TargetInfo {
        base_url: target.base_url().to_owned(),
        profile: options.profile_name(),
        baseline: options.baseline.dir().map(|dir| dir.display().to_string()),
    };
    let cases = &checked.cases;
    let plan = Plan::new(cases, options);
    let vendor = Vendor::new(target, Ledger::new(options.max_deletes), Marker::new())
        .processing_wait(options.max_processing_wait);
    // Not raced with the stop: a classification created while nobody listens would be left
    // behind. The request ends within its timeout; the stop is honoured right after.
    let classification = open(&vendor, &plan).await;
    let interrupted_in_setup = *stopped.borrow();
    let classification = match classification {
        Ok(id) => id,
        Err(source) => {
            // Whatever the failed setup created is still deleted.
            let _ = vendor.clean_up().await;
            return Err(RunError::Setup {
                url: info.base_url,
                source,
            });
        }
    };
    let context = Context {
        vendor: &vendor,
        provisioned: std::sync::Mutex::default(),
        classification: &classification,
        options,
        baselines: options.baseline.dir().map(Baselines::new),
        concurrency: options.effective_concurrency(),
        settle: options.effective_settle(),
        stopped: stopped.clone(),
        rules: checked.volatile,
        redactor,
    };
    let total = cases.len();
    let mut results = Vec::with_capacity(total);
    for (case, reason) in &plan.skipped {
        results.push(CaseResult::skipped(&case.name, &case.description, *reason));
        if let Some(result) = results.last() {
            on_event(RunEvent::CaseFinished {
                result,
                done: results.len(),
                total,
            });
        }
    }
    if !interrupted_in_setup {
        let mut units = futures::stream::iter(plan.units.iter().map(|unit| context.unit(unit)))
            .buffer_unordered(context.concurrency);
        while let Some(finished) = units.next().await {
            for result in finished {
                results.push(result);
                if let Some(result) = results.last() {
                    on_event(RunEvent::CaseFinished {
                        result,
                        done: results.len(),
                        total,
                    });
                }
            }
        }
    }
    let interrupted = *stopped.borrow();
    for case in cases {
        if !results.iter().any(|r| r.name == case.name) {
            results.push(CaseResult::skipped(
                &case.name,
                &case.description,
                crate::result::SkipReason::Interrupted,
            ));
        }
    }
    results.sort_by(|a, b| a.name.cmp(&b.name));
    let keep = if options.keep {
        let failed: Vec<&str> = results
            .iter()
            .filter(|r| r.outcome == Outcome::Failed)
            .map(|r| r.name.as_str())
            .collect();
        let provisioned = context
            .provisioned
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Keep::of(&provisioned, &failed)
    } else {
        Keep::default()
    };
    let cleanup = vendor.clean_up_keeping(&keep).await;
    let (orphaned, pruned) = match &context.baselines {
        Some(baselines) if !interrupted => {
            orphans(baselines, &checked.all_names, options.baseline.prunes())
        }
        _ => (Vec::new(), false),
    };
    Ok(RunReport {
        target: info,
        cases: results,
        cleanup,
        interrupted,
        duration: started.elapsed(),
        traffic: vendor.target().traffic(),
        deselected: checked.deselected,
        orphaned,
        pruned,
    })
}

/// The baselines whose case no longer exists (of all the cases, selected or not), removed
/// when `prune`; whether they were.
fn orphans(baselines: &Baselines, cases: &[String], prune: bool) -> (Vec<String>, bool) {
    let orphaned: Vec<String> = baselines
        .names()
        .into_iter()
        .filter(|name| !cases.contains(name))
        .collect();
    let pruned = prune && orphaned.iter().all(|name| baselines.remove(name).is_ok());
    (orphaned, pruned)
}

/// What executing a case gave: the request it sent (if it got that far), and the fixture it
/// saw with the observation, or why it could not.
type Executed = (Option<SentRequest>, Result<(Fixture, Observation), Failure>);

/// The statuses of the earlier sends and the last answer, or why there is none.
type Answer = Result<(Vec<u16>, Response), Failure>;

/// What every unit of a run shares.
struct Context<'r> {
    vendor: &'r Vendor,
    /// Every fixture provisioned, with its cases: what `--keep` may leave in place.
    provisioned: std::sync::Mutex<Vec<Provisioned>>,
    classification: &'r str,
    options: &'r RunOptions,
    baselines: Option<Baselines>,
    concurrency: usize,
    settle: Duration,
    stopped: watch::Receiver<bool>,
    rules: VolatileRules,
    redactor: Redactor,
}

fn setup_failure(error: &VendorError) -> Failure {
    Failure::Setup {
        reason: error.to_string(),
    }
}

impl Context<'_> {
    fn is_stopped(&self) -> bool {
        *self.stopped.borrow()
    }

    /// Waits until the run is stopped.
    async fn until_stopped(&self) {
        let mut stopped = self.stopped.clone();
        let _ = stopped.wait_for(|s| *s).await;
    }

    /// Runs one unit of the plan: its cases' results, none for a unit the stop came before.
    async fn unit<'a>(&self, unit: &'a Unit<'a>) -> Vec<CaseResult> {
        if self.is_stopped() {
            return Vec::new();
        }
        let started = Instant::now();
        let outcomes = if unit.shared {
            self.shared(unit).await
        } else {
            let mut outcomes = Vec::with_capacity(unit.cases.len());
            for case in &unit.cases {
                outcomes.push((*case, self.own(case).await));
            }
            outcomes
        };
        if self.is_stopped() {
            return Vec::new();
        }
        let duration = started.elapsed();
        outcomes
            .into_iter()
            .map(|(case, outcome)| self.judge(case, outcome, duration))
            .collect()
    }

    /// A case on a fixture of its own.
    async fn own(&self, case: &Case) -> Executed {
        let fixture = match provision(self.vendor, self.classification, &case.fixture).await {
            Ok(fixture) => fixture,
            Err(error) => return (None, Err(setup_failure(&error))),
        };
        self.provisioned(vec![case.name.clone()], &fixture);
        let (sent, answer) = self.send(case, &fixture).await;
        let (earlier, response) = match answer {
            Ok(answer) => answer,
            Err(failure) => return (Some(sent), Err(failure)),
        };
        let mut observation = Observation::new(earlier, response, Vec::new());
        observation.batches = self
            .settle(&fixture, |batches| {
                let mut settled = observation.clone();
                settled.batches = batches.to_vec();
                check_effect(case, &fixture, &settled).is_empty()
            })
            .await;
        (Some(sent), Ok((fixture, observation)))
    }

    /// The cases that must change nothing, on one shared fixture read back once after them
    /// all. When it was damaged, a shared fixture cannot say which case did it: each case runs
    /// again on a fixture of its own (this costs uploads only on failure).
    async fn shared<'a>(&self, unit: &Unit<'a>) -> Vec<(&'a Case, Executed)> {
        let fixture = match provision(self.vendor, self.classification, &unit.spec).await {
            Ok(fixture) => {
                let names = unit.cases.iter().map(|c| c.name.clone()).collect();
                self.provisioned(names, &fixture);
                fixture
            }
            Err(error) => {
                let failure = setup_failure(&error);
                return unit
                    .cases
                    .iter()
                    .map(|case| (*case, (None, Err(failure.clone()))))
                    .collect();
            }
        };
        let answers: Vec<(&Case, (SentRequest, Answer))> =
            futures::stream::iter(unit.cases.iter().map(|case| {
                let view = fixture.view(&case.fixture);
                async move { (*case, self.send(case, &view).await) }
            }))
            .buffered(self.concurrency)
            .collect()
            .await;
        let batches = self
            .settle(&fixture, |batches| intact(&fixture, batches))
            .await;
        if !intact(&fixture, &batches) {
            let mut outcomes = Vec::with_capacity(unit.cases.len());
            for case in &unit.cases {
                outcomes.push((*case, self.own(case).await));
            }
            return outcomes;
        }
        answers
            .into_iter()
            .map(|(case, (sent, answer))| {
                let view = fixture.view(&case.fixture);
                let outcome = answer.map(|(earlier, response)| {
                    let batches = restrict(&batches, &view);
                    (view, Observation::new(earlier, response, batches))
                });
                (case, (Some(sent), outcome))
            })
            .collect()
    }

    /// Sends the case's request `repeat` times: the earlier statuses and the last answer.
    /// Abandoned when the run is stopped: a case's request is never retried, and whatever it
    /// may create lands in what the run deletes.
    async fn send(&self, case: &Case, fixture: &Fixture) -> (SentRequest, Answer) {
        let request = case_request(case, fixture, self.vendor.marker());
        let sent = request.sent(self.vendor.target().base_url());
        for (classification, batch) in awaited(&request, fixture) {
            let processed = tokio::select! {
                processed = self.vendor.await_processed(&classification, &batch) => processed,
                () = self.until_stopped() => return (sent, Err(Failure::Setup {
                    reason: "interrupted".to_owned(),
                })),
            };
            match processed {
                Ok(()) => {}
                Err(VendorError::NotProcessed { batch, waited }) => {
                    return (sent, Err(Failure::NotProcessed { batch, waited }));
                }
                Err(error) => return (sent, Err(setup_failure(&error))),
            }
        }
        (sent, self.answer(case, &request).await)
    }

    /// The answers to `request`, sent as often as the case repeats it.
    async fn answer(&self, case: &Case, request: &Request) -> Answer {
        let mut earlier = Vec::new();
        let mut last: Option<Response> = None;
        for _ in 0..case.request.repeat {
            if request.is_destructive() {
                self.vendor
                    .ledger()
                    .take_delete()
                    .map_err(|e| setup_failure(&e.into()))?;
            }
            let answer = tokio::select! {
                answer = self.vendor.send(request) => answer,
                () = self.until_stopped() => return Err(Failure::Interrupted),
            };
            let answer = answer.map_err(|e| match e {
                VendorError::Transport(e) => Failure::Transport {
                    cause: e.to_string(),
                },
                other => setup_failure(&other),
            })?;
            self.vendor.record_created(request, &answer);
            self.vendor.record_deleted(request, &answer);
            if let Some(previous) = last.replace(answer) {
                earlier.push(previous.status);
            }
        }
        last.map(|response| (earlier, response))
            .ok_or_else(|| Failure::Setup {
                reason: "the case sends no request".to_owned(),
            })
    }

    /// The batches of `fixture` read back until `settled` holds of them or the settle time
    /// is up (a vendor's reads may lag its writes); the last read.
    async fn settle(
        &self,
        fixture: &Fixture,
        settled: impl Fn(&[BatchRead]) -> bool,
    ) -> Vec<BatchRead> {
        let deadline = Instant::now() + self.settle;
        let mut pauses = Pauses::new();
        loop {
            let batches = self.read_back(fixture).await;
            let now = Instant::now();
            if settled(&batches) || now >= deadline || self.is_stopped() {
                return batches;
            }
            let pause = pauses.next().unwrap_or_default();
            tokio::time::sleep(pause.min(deadline - now)).await;
        }
    }

    /// What each batch of `fixture` holds now.
    async fn read_back(&self, fixture: &Fixture) -> Vec<BatchRead> {
        let mut batches = Vec::with_capacity(fixture.batches.len());
        for batch in 0..fixture.batches.len() {
            let Some((classification, batch_id)) = fixture.batch(batch) else {
                continue;
            };
            let read = tokio::select! {
                read = self.vendor.read_batch(classification, batch_id) => read,
                () = self.until_stopped() => BatchRead::Interrupted,
            };
            batches.push(read);
        }
        batches
    }

    /// Notes a fixture provisioned for `cases`.
    fn provisioned(&self, cases: Vec<String>, fixture: &Fixture) {
        let batches = (0..fixture.batches.len())
            .filter_map(|n| fixture.batch(n))
            .map(|(classification, batch)| (classification.to_owned(), batch.to_owned()))
            .collect();
        self.provisioned
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(Provisioned {
                cases,
                classifications: fixture.classification_ids.iter().skip(1).cloned().collect(),
                batches,
            });
    }

    /// Checks an outcome, compares it with the baseline, and decides the case's outcome.
    fn judge(&self, case: &Case, executed: Executed, duration: Duration) -> CaseResult {
        let (sent, outcome) = executed;
        // The exchange is for people (reports, reproducers), not the checks: kept redacted and
        // cut, so that a run holds one whole copy of an answer only while it judges it.
        let response = outcome.as_ref().ok().map(|(_, o)| {
            let shown = shortened(&self.redactor.redact(&o.response.text), KEPT_ANSWER);
            Response {
                text: shown,
                json: None,
                ..o.response.clone_head()
            }
        });
        let exchange = sent.map(|request| Exchange { request, response });
        let base_url = self.vendor.target().base_url();
        let read_back = outcome
            .as_ref()
            .ok()
            .map(|(fixture, _)| {
                (0..fixture.batches.len())
                    .filter_map(|n| fixture.batch(n))
                    .map(|(c, b)| Vendor::results_request(c, b).sent(base_url))
                    .collect()
            })
            .unwrap_or_default();
        let (mut failures, observation) = match outcome {
            Ok((fixture, observation)) => (
                check(case, &fixture, &observation),
                Some(normalise(
                    &observation,
                    &fixture,
                    &self.rules,
                    &self.redactor,
                )),
            ),
            Err(failure) => (vec![failure], None),
        };
        let mut baseline = None;
        if let (Some(baselines), Some(observed)) = (&self.baselines, &observation) {
            let record = match &self.options.baseline {
                Baseline::Inspect { .. } => Record::Inspect,
                Baseline::Update { force, .. } if *force || failures.is_empty() => Record::Write,
                Baseline::Update { .. } => Record::HeldBack,
                Baseline::Compare { .. } | Baseline::None => Record::Compare,
            };
            let (drift, check) = compare(baselines, case, observed, &self.rules, record);
            failures.extend(drift);
            baseline = Some(check);
        }
        let failed = failures.iter().any(|f| {
            f.change_class()
                .is_none_or(|class| self.options.fail_on.fails(class))
        });
        let outcome = if failed {
            Outcome::Failed
        } else {
            Outcome::Passed
        };
        CaseResult::new(
            &case.name,
            &case.description,
            outcome,
            failures,
            observation,
            duration,
        )
        .with_exchange(exchange)
        .with_baseline(baseline)
        .with_read_back(read_back)
    }
}

/// The read-back limited to the batches and files of `view`.
fn restrict(batches: &[BatchRead], view: &Fixture) -> Vec<BatchRead> {
    batches
        .iter()
        .take(view.batches.len())
        .map(|read| match read {
            BatchRead::Listed(ids) => BatchRead::Listed(
                ids.iter()
                    .filter(|id| view.files.iter().any(|(_, own)| own == *id))
                    .cloned()
                    .collect(),
            ),
            other => other.clone(),
        })
        .collect()
}
