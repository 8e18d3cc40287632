//! The exploration: provision a little data in each account, then send generated sequences,
//! judging every answer and every effect, until the budget is spent; shrink each new
//! finding to the smallest sequence that still breaks its invariant, keep it as a case, and
//! delete everything the run created, also when it is stopped.
//!
//! Every request leaves through the suite's [`Vendor`]: the ledger refuses a destructive
//! request naming an id the run did not create, the ownership proof reads back what it names
//! first, the transport paces and waits out 429s. The first account's vendor also acts as the
//! second account (its key and the first's swapped), sharing pacing and counters.

use std::collections::HashSet;
use std::future::Future;
use std::time::{Duration, Instant};

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;
use tokio::sync::watch;

use super::finding::{
    ExploreEvent, ExploreReport, Failed, Finding, Judged, Stop, finding, signature,
};
use super::generate::{Action, sequence};
use super::invariants::Invariant;
use super::model::{Model, Owner};
use super::options::ExploreOptions;
use super::resolve::{Resolved, resolve};
use super::shrink::{Replay, Replayed, shrink};
use crate::contract::case::Auth;
use crate::contract::endpoint::Endpoint;
use crate::redact::Redactor;
use crate::result::{
    BatchRead, CaseResult, Cleanup, EffectProblem, Exchange, Failure, Observation, Response,
    RunReport, TargetInfo,
};
use crate::suite::error::{OptionsError, RunError};
use crate::suite::fixture::batch_files;
use crate::suite::ledger::Ledger;
use crate::suite::ownership::Marker;
use crate::suite::plan::{awaited, case_request};
use crate::suite::settle::Pauses;
use crate::suite::transport::request::{Body, Request};
use crate::suite::transport::target::Target;
use crate::suite::vendor::{Vendor, VendorError};
use crate::suite::verify::check::{check, check_effect};

/// Non-empty batches each account's home keeps, and files each new one gets.
const HOME_BATCHES: usize = 2;
const FILES_PER_BATCH: usize = 2;
/// The share of the budget one finding's shrinking may spend: a quarter.
const SHRINK_SHARE: u64 = 4;
/// Sequences in a row that send nothing before the exploration gives up.
const IDLE_SEQUENCES: usize = 50;

/// The count of requests at which one finding's shrinking stops, begun with `spent` of
/// `budget` sent: its share of the budget more, at least one.
fn shrink_until(spent: u64, budget: u64) -> u64 {
    spent + (budget / SHRINK_SHARE).max(1)
}

/// How one action went.
enum Step {
    Judged(Box<Judged>),
    NotSent,
    Halt(Stop),
}

/// How a sequence went.
enum Sequence {
    Passed { sent: usize },
    Failed(Box<Failed>),
    Halted(Stop),
}

/// The sequences in a row that sent nothing.
#[derive(Debug, Default)]
struct Idle(usize);

impl Idle {
    /// After a sequence that sent `sent` requests: whether the exploration gives up, the
    /// [`IDLE_SEQUENCES`]th sequence in a row that sent nothing.
    fn gives_up_after(&mut self, sent: usize) -> bool {
        self.0 = if sent == 0 { self.0 + 1 } else { 0 };
        self.0 >= IDLE_SEQUENCES
    }
}

/// Whether a classification holding `held` batches of files, of the `wanted`, gets another
/// upload after `tried`: a few more than wanted at most, so that a target that lists no
/// uploaded file does not drain the budget.
fn uploads_more(held: usize, wanted: usize, tried: usize) -> bool {
    held < wanted && tried < wanted + 2
}

/// 32 bytes for the generator's ChaCha from a 64-bit seed (SplitMix64).
fn seed_bytes(seed: u64) -> [u8; 32] {
    let mut state = seed;
    let mut bytes = [0_u8; 32];
    for chunk in bytes.chunks_mut(8) {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        chunk.copy_from_slice(&z.to_le_bytes());
    }
    bytes
}

/// The generator of the exploration seeded with `seed`.
pub fn runner(seed: u64) -> TestRunner {
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes(seed)),
    )
}

/// What stays the same through an exploration: the options, the vendors, the stop.
struct Context<'o> {
    options: &'o ExploreOptions,
    first: Vendor,
    second: Option<Vendor>,
    marker: Marker,
    settle: Duration,
    stopped: watch::Receiver<bool>,
}

/// What changes: the model, what was not sent, and whether a finding is being shrunk.
#[derive(Default)]
struct State {
    model: Model,
    uploads: usize,
    not_sent: usize,
    shrinking: bool,
}

impl Context<'_> {
    fn vendor(&self, owner: Owner) -> Option<&Vendor> {
        match owner {
            Owner::First => Some(&self.first),
            Owner::Second => self.second.as_ref(),
        }
    }

    fn spent(&self) -> u64 {
        self.first.target().traffic().requests
    }

    fn is_stopped(&self) -> bool {
        *self.stopped.borrow()
    }

    async fn until_stopped(&self) {
        let mut stopped = self.stopped.clone();
        let _ = stopped.wait_for(|s| *s).await;
    }

    /// Why nothing more may be sent, if so.
    fn halted(&self) -> Option<Stop> {
        if self.is_stopped() {
            Some(Stop::Interrupted)
        } else if self.spent() >= self.options.budget {
            Some(Stop::Budget)
        } else {
            None
        }
    }

    /// Brings each account back to what the actions need: a home with two batches of files
    /// (and on the first account, a second classification with a batch, for the deletes of a
    /// whole classification).
    async fn top_up(&self, state: &mut State) -> Result<(), VendorError> {
        for owner in [Owner::First, Owner::Second] {
            let Some(vendor) = self.vendor(owner) else {
                continue;
            };
            let homes: &[bool] = if owner == Owner::First {
                &[true, false]
            } else {
                &[true]
            };
            for &home in homes {
                if self.halted().is_some() {
                    return Ok(());
                }
                let account = state.model.account(owner);
                let id = match account.classifications.iter().find(|c| c.home == home) {
                    Some(classification) => classification.id.clone(),
                    None => {
                        let id = vendor.create_classification().await?;
                        state.model.account_mut(owner).add_classification(&id, home);
                        id
                    }
                };
                let wanted = if home { HOME_BATCHES } else { 1 };
                for tried in 0.. {
                    let account = state.model.account(owner);
                    let Some(c) = account.find_classification(&id) else {
                        break;
                    };
                    let held = account.batches().iter().filter(|(bc, _)| *bc == c).count();
                    if !uploads_more(held, wanted, tried) || self.halted().is_some() {
                        break;
                    }
                    state.uploads += 1;
                    let files = batch_files(&self.marker, state.uploads, 0, FILES_PER_BATCH);
                    let uploaded = vendor.upload(&id, files).await?;
                    let account = state.model.account_mut(owner);
                    account.add_files(&id, &uploaded.batch_id, &uploaded.file_ids);
                    // Seen listed (and processed) before any request names it: a read-back
                    // that misses a file then means it is gone, not that reads lag.
                    let read = vendor.read_batch(&id, &uploaded.batch_id).await;
                    let ledger = vendor.ledger();
                    state
                        .model
                        .account_mut(owner)
                        .observe(&uploaded.batch_id, &read, |f| ledger.owns(f));
                }
            }
        }
        Ok(())
    }

    /// The batches of `resolved` read back until the effect check holds or the settle time
    /// is up: after a success every batch of the fixture, after a refusal those the request
    /// names (what a refusal must have left alone).
    async fn read_back(&self, vendor: &Vendor, resolved: &Resolved, observation: &mut Observation) {
        let deadline = Instant::now() + self.settle;
        let mut pauses = Pauses::new();
        let read = if observation.response.is_success() {
            resolved.fixture.batches.len()
        } else {
            resolved.named
        };
        loop {
            let mut reads = Vec::with_capacity(read);
            for n in 0..read {
                let Some((classification, batch)) = resolved.fixture.batch(n) else {
                    continue;
                };
                let read = tokio::select! {
                    read = vendor.read_batch(classification, batch) => read,
                    () = self.until_stopped() => BatchRead::Interrupted,
                };
                reads.push(read);
            }
            observation.batches = reads;
            let now = Instant::now();
            let failures = check_effect(&resolved.case, &resolved.fixture, observation);
            // Reads that lag show what was, not what is: a file or batch still listed, or new
            // files not listed yet. What was seen listed and is gone is gone: no waiting
            // changes that.
            if failures.iter().all(|f| !lag_explains(f)) || now >= deadline || self.is_stopped() {
                return;
            }
            let pause = pauses.next().unwrap_or_default();
            tokio::time::sleep(pause.min(deadline - now)).await;
        }
    }

    /// Sends one action and judges it.
    async fn act(&self, state: &mut State, action: &Action) -> Step {
        if let Some(stop) = self.halted() {
            return Step::Halt(stop);
        }
        let owner = action.owner;
        let Some(vendor) = self.vendor(owner) else {
            return Step::NotSent;
        };
        let marker = self.marker.to_string();
        let Some(resolved) = resolve(action, state.model.account(owner), &marker) else {
            return Step::NotSent;
        };
        let request = case_request(&resolved.case, &resolved.fixture, &self.marker);
        if request.is_destructive() && self.first.ledger().take_delete().is_err() {
            return Step::Halt(Stop::DeleteCap);
        }
        for (classification, batch) in awaited(&request, &resolved.fixture) {
            let account = state.model.account(owner);
            let processed = account
                .find_batch(&batch)
                .and_then(|(c, b)| account.batch(c, b))
                .is_some_and(|b| b.processed);
            if processed {
                continue;
            }
            let waited = tokio::select! {
                waited = vendor.await_processed(&classification, &batch) => waited,
                () = self.until_stopped() => return Step::Halt(Stop::Interrupted),
            };
            if waited.is_err() {
                return Step::NotSent;
            }
        }
        let mut sent = request.sent(vendor.target().base_url());
        if owner == Owner::Second {
            // The second account's vendor sends its own key as the run's: named by its role.
            sent.auth = match sent.auth {
                Auth::Valid => Auth::Other,
                Auth::Other => Auth::Valid,
                other => other,
            };
        }
        // A request that creates is not abandoned when the run is stopped: what it made must be
        // recorded to be deleted. It ends within its timeout.
        let creates = matches!(
            request.endpoint(),
            Some(Endpoint::CreateClassification | Endpoint::UploadFiles)
        );
        let answer = if creates {
            vendor.send(&request).await
        } else {
            tokio::select! {
                answer = vendor.send(&request) => answer,
                () = self.until_stopped() => return Step::Halt(Stop::Interrupted),
            }
        };
        let response = match answer {
            Ok(response) => response,
            Err(VendorError::Transport(error)) => {
                let failures = vec![Failure::Transport {
                    cause: error.to_string(),
                }];
                return Step::Judged(Box::new(Judged {
                    action: action.clone(),
                    case: resolved.case,
                    exchange: Exchange {
                        request: sent,
                        response: None,
                    },
                    failures,
                }));
            }
            // The ledger or the ownership proof kept it in: nothing was sent.
            Err(_) => {
                state.not_sent += 1;
                return Step::NotSent;
            }
        };
        vendor.record_created(&request, &response);
        vendor.record_deleted(&request, &response);
        learn(&mut state.model, owner, &request, &response);
        let mut observation = Observation::new(Vec::new(), response.clone(), Vec::new());
        let changes = request
            .endpoint()
            .is_some_and(|e| e.is_destructive() || e == Endpoint::UploadFiles);
        // While shrinking, a 5xx decides the finding by itself: the reads that would judge
        // its effect are spared for more candidates.
        let decided = state.shrinking && response.status >= 500;
        if changes && !decided {
            self.read_back(vendor, &resolved, &mut observation).await;
        }
        let failures = check(&resolved.case, &resolved.fixture, &observation);
        let ledger = vendor.ledger();
        for (batch, read) in resolved.fixture.batches.iter().zip(&observation.batches) {
            state
                .model
                .account_mut(owner)
                .observe(&batch.id, read, |id| ledger.owns(id));
        }
        Step::Judged(Box::new(Judged {
            action: action.clone(),
            case: resolved.case,
            exchange: Exchange {
                request: sent,
                response: Some(response),
            },
            failures,
        }))
    }

    /// Sends `actions` in order until one breaks an invariant.
    async fn sequence(&self, state: &mut State, actions: &[Action]) -> Sequence {
        let mut earlier = Vec::new();
        for action in actions {
            match self.act(state, action).await {
                Step::Halt(stop) => return Sequence::Halted(stop),
                Step::NotSent => {}
                Step::Judged(judged) => {
                    if judged.failures.is_empty() {
                        earlier.push(judged.exchange);
                        continue;
                    }
                    let invariant = Invariant::of(
                        judged.action.endpoint,
                        judged.action.auth,
                        judged.exchange.response.as_ref(),
                        &judged.failures,
                    );
                    return Sequence::Failed(Box::new(Failed {
                        signature: signature(invariant, &judged.action),
                        judged: *judged,
                        earlier,
                        invariant,
                    }));
                }
            }
        }
        Sequence::Passed {
            sent: earlier.len(),
        }
    }
}

/// Whether reads that lag behind the request could explain `failure`: something still
/// listed that must be gone, new files not listed yet, a batch not read.
fn lag_explains(failure: &Failure) -> bool {
    matches!(
        failure,
        Failure::Effect {
            problem: EffectProblem::NotDeleted,
            ..
        } | Failure::BatchRemains { .. }
            | Failure::Added { .. }
            | Failure::Unreadable { .. }
    )
}

/// What the answer to `request` of `owner` uploaded or deleted, in the model (what it did to
/// the batches, the read-back says).
fn learn(model: &mut Model, owner: Owner, request: &Request, response: &Response) {
    let Some(reply) = response.json.as_ref().filter(|_| response.is_success()) else {
        return;
    };
    let text =
        |value: &Value, field: &str| value.get(field).and_then(Value::as_str).map(str::to_owned);
    let account = model.account_mut(owner);
    match request.endpoint() {
        // A classification a generated request created is not the model's: its details may be
        // odd ones the target took, which a later read would show. The ledger has it, and the
        // cleanup deletes it.
        Some(Endpoint::UploadFiles) => {
            let classification = request
                .form_field("classificationId")
                .map(str::to_owned)
                .or_else(|| text(reply, "classificationId"));
            let files: Vec<String> = reply
                .get("files")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|file| text(file, "fileId"))
                .collect();
            if let (Some(classification), Some(batch)) = (classification, text(reply, "batchId")) {
                account.add_files(&classification, &batch, &files);
            }
        }
        Some(Endpoint::DeleteClassification) => {
            let Body::Bytes(bytes) = &request.body else {
                return;
            };
            let body: Option<Value> = serde_json::from_slice(bytes).ok();
            if let Some(id) = body.as_ref().and_then(|b| text(b, "classificationId")) {
                account.remove_classification(&id);
            }
        }
        _ => {}
    }
}

/// The explorer replaying candidates of one finding, until it has sent `until` requests.
struct Shrinking<'c, 'o> {
    context: &'c Context<'o>,
    state: &'c mut State,
    signature: String,
    until: u64,
}

impl Replay<Failed> for Shrinking<'_, '_> {
    async fn replay(&mut self, actions: &[Action]) -> Replayed<Failed> {
        if self.context.spent() >= self.until {
            return Replayed::Stopped;
        }
        if self.context.top_up(self.state).await.is_err() {
            return Replayed::Stopped;
        }
        match self.context.sequence(self.state, actions).await {
            Sequence::Failed(failed) if failed.signature == self.signature => {
                Replayed::Fails(*failed)
            }
            Sequence::Failed(_) | Sequence::Passed { .. } => Replayed::Passes,
            Sequence::Halted(_) => Replayed::Stopped,
        }
    }
}

/// Explores the target of `options`: see the module. `on_event` sees each finding as it is
/// found.
///
/// # Errors
/// When the exploration cannot start: unusable options, the target unreachable, the first
/// data refused.
pub async fn explore(
    options: &ExploreOptions,
    on_event: impl FnMut(ExploreEvent<'_>),
) -> Result<ExploreReport, RunError> {
    explore_until(options, on_event, std::future::pending()).await
}

/// As [`explore`], until `stop` completes (Ctrl-C, say): then nothing more is sent but the
/// cleanup, which deletes what the run created before it returns.
///
/// # Errors
/// As [`explore`].
pub async fn explore_until(
    options: &ExploreOptions,
    mut on_event: impl FnMut(ExploreEvent<'_>),
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<ExploreReport, RunError> {
    let started = Instant::now();
    let (stop_tx, stopped) = watch::channel(false);
    let watcher = tokio::spawn(async move {
        stop.await;
        let _ = stop_tx.send(true);
    });
    let outcome = execute(options, &mut on_event, stopped, started).await;
    watcher.abort();
    outcome
}

async fn execute(
    options: &ExploreOptions,
    on_event: &mut impl FnMut(ExploreEvent<'_>),
    stopped: watch::Receiver<bool>,
    started: Instant,
) -> Result<ExploreReport, RunError> {
    let run = &options.run;
    let remote = run
        .target
        .remote()
        .ok_or(OptionsError::MockNotStarted)?
        .clone();
    let redactor = Redactor::new(run.target.keys());
    let target = Target::new(
        remote.base_url(),
        remote.api_key().clone(),
        run.timeout,
        &run.pace,
    )?
    .with_second_key(remote.second_api_key().cloned())
    .max_response_size(run.max_response_size)
    .max_retry_wait(run.max_retry_wait);
    let marker = Marker::new();
    let second = target.as_second_account().map(|target| {
        Vendor::new(target, Ledger::new(None), marker.clone())
            .processing_wait(run.max_processing_wait)
    });
    let first = Vendor::new(target, Ledger::new(run.max_deletes), marker.clone())
        .processing_wait(run.max_processing_wait);
    let info = TargetInfo {
        base_url: first.target().base_url().to_owned(),
        profile: run.profile_name(),
        baseline: None,
    };
    let context = Context {
        options,
        first,
        second,
        marker,
        settle: run.effective_settle(),
        stopped,
    };
    let mut state = State::default();
    if let Err(source) = context.top_up(&mut state).await {
        let _ = clean_up(&context).await;
        return Err(RunError::Setup {
            url: info.base_url,
            source,
        });
    }
    let strategy = sequence(context.second.is_some());
    let mut runner = runner(options.seed);
    let mut findings: Vec<Finding> = Vec::new();
    let mut results: Vec<CaseResult> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut sequences = 0;
    let mut idle = Idle::default();
    let stop = loop {
        if let Some(stop) = context.halted() {
            break stop;
        }
        let Ok(mut tree) = strategy.new_tree(&mut runner) else {
            break Stop::Idle;
        };
        let actions = tree.current();
        let sequence_started = Instant::now();
        sequences += 1;
        match context.sequence(&mut state, &actions).await {
            Sequence::Halted(stop) => break stop,
            Sequence::Passed { sent } => {
                if idle.gives_up_after(sent) {
                    break Stop::Idle;
                }
            }
            Sequence::Failed(failed) => {
                idle = Idle::default();
                if seen.insert(failed.signature.clone()) {
                    let mut shrinking = Shrinking {
                        until: shrink_until(context.spent(), options.budget),
                        context: &context,
                        state: &mut state,
                        signature: failed.signature.clone(),
                    };
                    shrinking.state.shrinking = true;
                    let shrunk =
                        shrink(&mut tree, *failed, &mut shrinking, options.max_shrink_tries).await;
                    shrinking.state.shrinking = false;
                    let (finding, result) = finding(
                        options,
                        shrunk.found,
                        (actions.len(), shrunk.tries),
                        findings.len() + 1,
                        &redactor,
                        sequence_started.elapsed(),
                    );
                    on_event(ExploreEvent::Found {
                        finding: &finding,
                        result: &result,
                    });
                    findings.push(finding);
                    results.push(result);
                }
            }
        }
        // A top-up that fails leaves the account as it is: the actions name what there is.
        let _ = context.top_up(&mut state).await;
    };
    let requests = context.spent();
    let cleanup = clean_up(&context).await;
    let interrupted = stop == Stop::Interrupted;
    let report = RunReport {
        target: info,
        cases: results,
        cleanup,
        interrupted,
        duration: started.elapsed(),
        traffic: context.first.target().traffic(),
        deselected: 0,
        orphaned: Vec::new(),
        pruned: false,
    };
    Ok(ExploreReport {
        seed: options.seed,
        sequences,
        requests,
        stop,
        findings,
        not_sent: state.not_sent,
        report,
    })
}

/// Deletes what either account's vendor created.
async fn clean_up(context: &Context<'_>) -> Cleanup {
    let mut cleanup = context.first.clean_up().await;
    if let Some(second) = &context.second {
        let more = second.clean_up().await;
        cleanup.deleted.extend(more.deleted);
        cleanup.gone.extend(more.gone);
        cleanup.failed.extend(more.failed);
    }
    cleanup
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_seed_is_spread_over_32_bytes_by_splitmix64() {
        let bytes = seed_bytes(0);
        let words: Vec<u64> = bytes
            .chunks(8)
            .map(|chunk| u64::from_le_bytes(chunk.try_into().unwrap_or_default()))
            .collect();
        // SplitMix64's published first outputs for the seed 0.
        assert_eq!(
            words,
            [
                0xe220_a839_7b1d_cdaf,
                0x6e78_9e6a_a1b9_65f4,
                0x06c4_5d18_8009_454f,
                0xf88b_b8a8_724c_81ec
            ]
        );
        assert_ne!(seed_bytes(1), bytes);
    }

    #[test]
    fn one_finding_may_spend_a_quarter_of_the_budget_shrinking_and_at_least_one_request() {
        assert_eq!(shrink_until(0, 1000), 250);
        assert_eq!(shrink_until(40, 1000), 290);
        assert_eq!(shrink_until(40, 7), 41);
        assert_eq!(shrink_until(40, 3), 41);
        assert_eq!(shrink_until(40, 0), 41);
    }

    #[test]
    fn a_top_up_uploads_until_the_wanted_batches_are_held_and_at_most_two_more_times() {
        assert!(uploads_more(0, 1, 0));
        assert!(!uploads_more(1, 1, 0), "held");
        assert!(!uploads_more(2, 1, 0), "more than held");
        assert!(uploads_more(1, 2, 1));
        // A target that lists nothing: wanted plus two uploads, then no more.
        assert!(uploads_more(0, 1, 2));
        assert!(!uploads_more(0, 1, 3));
        assert!(uploads_more(0, 2, 3));
        assert!(!uploads_more(0, 2, 4));
    }

    #[test]
    fn an_exploration_gives_up_after_50_sequences_in_a_row_that_send_nothing() {
        let mut idle = Idle::default();
        assert!((1..IDLE_SEQUENCES).all(|_| !idle.gives_up_after(0)));
        assert!(
            !idle.gives_up_after(1),
            "a sequence that sends starts the count again"
        );
        assert!((1..IDLE_SEQUENCES).all(|_| !idle.gives_up_after(0)));
        assert!(idle.gives_up_after(0));
        assert_eq!(IDLE_SEQUENCES, 50);
    }

    fn upload(classification: &str) -> Request {
        Request {
            body: Body::Form {
                fields: vec![("classificationId".to_owned(), classification.to_owned())],
                files: Vec::new(),
            },
            ..Request::json(Endpoint::UploadFiles, &json!({}))
        }
    }

    fn answer(status: u16, body: &Value) -> Response {
        Response::new(
            status,
            Some("application/json".to_owned()),
            body.to_string(),
        )
    }

    #[test]
    fn an_accepted_upload_adds_its_batch_and_files_to_the_model_and_a_refused_one_nothing() {
        let mut model = Model::default();
        model
            .account_mut(Owner::First)
            .add_classification("cls", true);
        let uploaded = json!({
            "status": "success",
            "batchId": "batch-1",
            "files": [{"fileId": "file-1"}, {"fileId": "file-2"}]
        });

        learn(
            &mut model,
            Owner::First,
            &upload("cls"),
            &answer(400, &uploaded),
        );
        assert_eq!(model.account(Owner::First).find_batch("batch-1"), None);

        learn(
            &mut model,
            Owner::First,
            &upload("cls"),
            &answer(200, &uploaded),
        );
        let account = model.account(Owner::First);
        let (c, b) = account
            .find_batch("batch-1")
            .unwrap_or_else(|| panic!("not learned: {account:?}"));
        assert_eq!(
            account.batch(c, b).map(|batch| batch.files.clone()),
            Some(vec!["file-1".to_owned(), "file-2".to_owned()])
        );
        assert_eq!(model.account(Owner::Second).find_batch("batch-1"), None);
    }

    #[test]
    fn an_accepted_delete_of_a_classification_removes_it_from_the_model() {
        let mut model = Model::default();
        let account = model.account_mut(Owner::First);
        account.add_classification("home", true);
        account.add_classification("spare", false);
        let delete = Request::json(
            Endpoint::DeleteClassification,
            &json!({"classificationId": "spare"}),
        );
        let ok = answer(200, &json!({"status": "success"}));

        learn(&mut model, Owner::First, &delete, &ok);

        let account = model.account(Owner::First);
        assert_eq!(account.find_classification("spare"), None);
        assert_eq!(account.find_classification("home"), Some(0));
    }
}
