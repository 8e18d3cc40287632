//! What an exploration finds: each finding, shrunk, with the invariant it breaks and the case
//! file it is kept as; the report of the whole exploration and why it ended; what the
//! observer is told as it goes.

use std::time::Duration;

use super::description::describe;
use super::generate::Action;
use super::invariants::Invariant;
use super::options::ExploreOptions;
use super::save::{case_file, save};
use crate::contract::case::{Auth, Case};
use crate::contract::endpoint::Endpoint;
use crate::redact::Redactor;
use crate::result::{CaseResult, Exchange, Failure, Outcome, RunReport};

/// Why the exploration ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stop {
    /// The budget of requests is spent.
    Budget,
    /// The cap on deletes (`--max-deletes`) is reached.
    DeleteCap,
    /// It was stopped (Ctrl-C).
    Interrupted,
    /// Nothing could be sent any more (the account holds nothing the actions can name).
    Idle,
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stop::Budget => "the budget is spent",
            Stop::DeleteCap => "the cap on deletes (--max-deletes) is reached",
            Stop::Interrupted => "it was interrupted",
            Stop::Idle => "nothing more could be sent",
        })
    }
}

/// One thing the explorer found, shrunk.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Finding {
    /// Its name in the report: `explore/<invariant>/<n>`.
    pub name: String,
    /// The invariant it breaks.
    pub invariant: Invariant,
    /// The endpoint of the request that broke it.
    pub endpoint: Endpoint,
    /// That request's credential.
    pub auth: Auth,
    /// The shrunk sequence as sent, the request that broke the invariant last.
    pub sequence: Vec<Exchange>,
    /// How many requests the sequence held before shrinking.
    pub shrunk_from: usize,
    /// How many candidate sequences the shrinking sent.
    pub tries: usize,
    /// The case file it is kept as.
    pub case: String,
    /// Where the case was written (`--save-cases`).
    pub saved: Option<std::path::PathBuf>,
    /// Why it could not be written, if it could not.
    pub save_error: Option<String>,
}

/// What an exploration found.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ExploreReport {
    /// The seed it ran with.
    pub seed: u64,
    /// The sequences sent (shrinking's replays not counted).
    pub sequences: usize,
    /// The requests sent before the cleanup.
    pub requests: u64,
    /// Why it ended.
    pub stop: Stop,
    /// Every finding, in the order found.
    pub findings: Vec<Finding>,
    /// Actions generated but not sent: an upload past the explorer's bounds, or a request the
    /// ledger or the ownership proof kept in.
    pub not_sent: usize,
    /// The findings as failed cases, with the cleanup and the traffic, for the reports.
    pub report: RunReport,
}

/// What the explorer tells its observer as it goes.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum ExploreEvent<'a> {
    /// A finding, shrunk (and saved, if asked).
    Found {
        /// The finding.
        finding: &'a Finding,
        /// It as a failed case.
        result: &'a CaseResult,
    },
}

/// One request sent and judged.
#[derive(Debug, Clone)]
pub(super) struct Judged {
    pub(super) action: Action,
    pub(super) case: Case,
    pub(super) exchange: Exchange,
    pub(super) failures: Vec<Failure>,
}

/// A sequence that broke an invariant.
#[derive(Debug, Clone)]
pub(super) struct Failed {
    pub(super) judged: Judged,
    pub(super) earlier: Vec<Exchange>,
    pub(super) invariant: Invariant,
    pub(super) signature: String,
}

/// The key of a failure for telling findings apart: the invariant and the endpoint (for a
/// credential, the credential: one near miss accepted is one bug, wherever it is sent).
pub(super) fn signature(invariant: Invariant, action: &Action) -> String {
    match invariant {
        Invariant::Credential => format!("{invariant}/{}", action.auth),
        _ => format!("{invariant}/{}", action.endpoint),
    }
}

/// The finding of a shrunk failure, and it as a failed case.
pub(super) fn finding(
    options: &ExploreOptions,
    failed: Failed,
    (shrunk_from, tries): (usize, usize),
    number: usize,
    redactor: &Redactor,
    took: Duration,
) -> (Finding, CaseResult) {
    let Failed {
        judged,
        earlier,
        invariant,
        ..
    } = failed;
    let name = format!("explore/{}/{number}", invariant.name());
    let what = describe(&judged.action);
    let mut sequence = earlier;
    let sent = sequence.len() + 1;
    let before: Vec<String> = sequence
        .iter()
        .map(|e| format!("{} {}", e.request.method, endpoint_name(&e.request.url)))
        .collect();
    sequence.push(judged.exchange.clone());
    let mut description = format!("{}: {what}", invariant.rule());
    if !before.is_empty() {
        description.push_str(&format!(" (after {})", before.join(", ")));
    }
    description.push_str(&format!(
        ". Shrunk from {shrunk_from} request(s) to {sent} in {tries} tries; seed {}.",
        options.seed
    ));
    let case_description = format!(
        "Found by `extracta-contract explore --seed {}` ({}): {}: {what}.",
        options.seed,
        invariant.name(),
        invariant.rule()
    );
    let case = redactor.redact(&case_file(&judged.case, &case_description));
    let endpoint = judged.action.endpoint;
    let stem = invariant.name();
    let (saved, save_error) = match &options.save_cases {
        Some(dir) => match save(dir, endpoint, stem, &case) {
            Ok(path) => (Some(path), None),
            Err(error) => (None, Some(error.to_string())),
        },
        None => (None, None),
    };
    let result = CaseResult::new(
        &name,
        &description,
        Outcome::Failed,
        judged.failures,
        None,
        took,
    )
    .with_exchange(Some(judged.exchange));
    let finding = Finding {
        name,
        invariant,
        endpoint,
        auth: judged.action.auth,
        sequence,
        shrunk_from,
        tries,
        case,
        saved,
        save_error,
    };
    (finding, result)
}

/// The endpoint's name at the end of `url`.
fn endpoint_name(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{SentBody, SentRequest};
    use crate::suite::RunOptions;
    use crate::suite::explore::resolve::resolve;
    use crate::suite::explore::resolve::tests::sample_account;

    /// A request to `endpoint` that got no answer.
    fn sent(endpoint: Endpoint) -> Exchange {
        Exchange {
            request: SentRequest {
                method: endpoint.method().to_string(),
                url: format!("https://api.example.invalid/api/v1{}", endpoint.path()),
                auth: Auth::Valid,
                content_type: None,
                body: SentBody::None,
            },
            response: None,
        }
    }

    /// The description of a deleteFiles crash after `earlier` requests, shrunk from 7 in 12
    /// tries with the seed 9.
    fn described_after(earlier: &[Endpoint]) -> String {
        let action = Action::plain(Endpoint::DeleteFiles);
        let what = describe(&action);
        let resolved = resolve(&action, &sample_account(), "xc-0123456789abcdef")
            .unwrap_or_else(|| panic!("not sent"));
        let failed = Failed {
            judged: Judged {
                action,
                case: resolved.case,
                exchange: sent(Endpoint::DeleteFiles),
                failures: Vec::new(),
            },
            earlier: earlier.iter().map(|e| sent(*e)).collect(),
            invariant: Invariant::ServerError,
            signature: "server-error/deleteFiles".to_owned(),
        };
        let run = RunOptions::builder()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let options = ExploreOptions::new(run).seed(9);
        let (finding, result) = finding(
            &options,
            failed,
            (7, 12),
            1,
            &Redactor::default(),
            Duration::ZERO,
        );
        assert_eq!(finding.sequence.len(), earlier.len() + 1);
        assert_eq!(result.name, "explore/server-error/1");
        result.description.replace(&what, "<what>")
    }

    #[test]
    fn a_finding_names_the_requests_before_the_one_that_broke_the_rule() {
        assert_eq!(
            described_after(&[]),
            "no request gets a 5xx: <what>. Shrunk from 7 request(s) to 1 in 12 tries; seed 9."
        );
        assert_eq!(
            described_after(&[Endpoint::UploadFiles, Endpoint::DeleteBatch]),
            "no request gets a 5xx: <what> (after POST uploadFiles, DELETE deleteBatch). \
             Shrunk from 7 request(s) to 3 in 12 tries; seed 9."
        );
    }

    #[test]
    fn an_exploration_says_why_it_stopped() {
        let said: Vec<String> = [Stop::Budget, Stop::DeleteCap, Stop::Interrupted, Stop::Idle]
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            said,
            [
                "the budget is spent",
                "the cap on deletes (--max-deletes) is reached",
                "it was interrupted",
                "nothing more could be sent"
            ]
        );
    }

    #[test]
    fn findings_are_told_apart_by_invariant_and_endpoint_and_a_credential_by_itself() {
        let mut action = Action::plain(Endpoint::DeleteFiles);
        assert_eq!(
            signature(Invariant::ServerError, &action),
            "server-error/deleteFiles"
        );
        assert_eq!(signature(Invariant::Effect, &action), "effect/deleteFiles");
        action.auth = Auth::KeyFirstHalf;
        assert_eq!(
            signature(Invariant::Credential, &action),
            "credential/key-first-half"
        );
        // The same near miss accepted on another endpoint is the same bug.
        action.endpoint = Endpoint::GetResults;
        assert_eq!(
            signature(Invariant::Credential, &action),
            "credential/key-first-half"
        );
        assert_eq!(
            signature(Invariant::ServerError, &action),
            "server-error/getResults"
        );
    }
}
