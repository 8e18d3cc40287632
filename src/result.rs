//! The result model: what a run observed and found, independent of how it was found or how it
//! is shown. The engine fills it; the reports only read it. It depends on the contract's types
//! and on nothing of the engine or the renderers.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::contract::case::{Auth, StatusPattern};
use crate::contract::schema::Violation;

/// An answer as it arrived, read whole.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`, if sent.
    pub content_type: Option<String>,
    /// The body as text (invalid UTF-8 replaced).
    pub text: String,
    /// The body as JSON, when it is JSON.
    pub json: Option<Value>,
}

impl Response {
    /// An answer from its parts; `json` is parsed from `text`.
    pub fn new(status: u16, content_type: Option<String>, text: String) -> Self {
        let json = serde_json::from_str(&text).ok();
        Response {
            status,
            content_type,
            text,
            json,
        }
    }

    /// Whether the status is a 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

impl Serialize for Response {
    /// `{"status", "content_type", "body"}`, the body cut after [`SHOWN_BODY`] characters.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            status: u16,
            content_type: Option<&'a str>,
            body: String,
        }
        Shown {
            status: self.status,
            content_type: self.content_type.as_deref(),
            body: shortened(&self.text, SHOWN_BODY),
        }
        .serialize(serializer)
    }
}

/// How much of an answer's body a report shows.
pub const SHOWN_BODY: usize = 4096;

/// `text` cut after `limit` characters, saying how much more there was.
pub fn shortened(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}… ({} more bytes)", &text[..end], text.len() - end),
        None => text.to_owned(),
    }
}

/// A request as it was sent, for reproducing it: everything but the key, which it names by
/// its role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SentRequest {
    /// The method.
    pub method: String,
    /// The whole URL.
    pub url: String,
    /// Which credentials it carried.
    pub auth: Auth,
    /// The `Content-Type` header, if set (a form sets its own).
    pub content_type: Option<String>,
    /// The body.
    pub body: SentBody,
}

/// The body of a sent request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[non_exhaustive]
pub enum SentBody {
    /// No body.
    None,
    /// Bytes, as text.
    Text {
        /// The text.
        text: String,
    },
    /// A multipart form.
    Form {
        /// The text fields, in order.
        fields: Vec<(String, String)>,
        /// The files, as `(file name, sample document)`: the name it was sent under, and the
        /// file under `cases/documents/` it holds.
        files: Vec<(String, String)>,
    },
}

/// A case's last request and what came back, for showing and reproducing a failure.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Exchange {
    /// The request.
    pub request: SentRequest,
    /// The answer, when one came.
    pub response: Option<Response>,
}

/// The files a batch held when it was read back, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchRead {
    /// The file ids getResults listed.
    Listed(Vec<String>),
    /// getResults refused the batch with this 4xx: the batch is gone.
    Gone {
        /// The refusing status.
        status: u16,
    },
    /// The read failed otherwise; the reason.
    Unreadable(String),
}

impl BatchRead {
    /// The ids, when the batch was read.
    pub fn files(&self) -> Option<&[String]> {
        match self {
            BatchRead::Listed(ids) => Some(ids),
            BatchRead::Gone { .. } | BatchRead::Unreadable(_) => None,
        }
    }

    /// Whether the batch is gone: refused, or listed with no file.
    pub fn is_gone(&self) -> bool {
        match self {
            BatchRead::Listed(ids) => ids.is_empty(),
            BatchRead::Gone { .. } => true,
            BatchRead::Unreadable(_) => false,
        }
    }
}

/// Everything the checks look at for one case.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Observation {
    /// Statuses of the requests sent before the last one (a case with `repeat` > 1).
    pub earlier: Vec<u16>,
    /// The answer to the last request.
    pub response: Response,
    /// For each fixture batch, what getResults listed afterwards.
    pub batches: Vec<BatchRead>,
}

impl Observation {
    /// An observation of one answer and the batches read back after it.
    pub fn new(earlier: Vec<u16>, response: Response, batches: Vec<BatchRead>) -> Self {
        Observation {
            earlier,
            response,
            batches,
        }
    }

    /// Whether any answer, the last or an earlier one, was a 2xx: only then may files be gone.
    pub fn any_success(&self) -> bool {
        self.response.is_success() || self.earlier.iter().any(|s| (200..300).contains(s))
    }
}

/// What one batch held after the request, as a baseline records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BatchAfter {
    /// The (normalised) ids listed.
    Files(Vec<String>),
    /// `"[gone]"` (getResults refused it) or `"[unreadable]"` (the read failed).
    Note(String),
}

/// A case's observation normalised so that two healthy runs give the same value: what a
/// baseline (`snapshots/<profile>/<case>.snap`) holds, written and read by this one type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Snapshot {
    /// What each fixture batch held afterwards.
    pub batches_after: Vec<BatchAfter>,
    /// The body, ids and timestamps named, maps sorted (a string when it is not JSON).
    pub body: Value,
    /// The answer's `Content-Type`.
    pub content_type: Option<String>,
    /// Statuses of the earlier sends of a repeated request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier_statuses: Vec<u16>,
    /// The HTTP status.
    pub status: u16,
}

/// How much a change matters to a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeClass {
    /// Something was added; a tolerant client keeps working.
    Additive,
    /// Something a client may rely on changed or went away.
    Breaking,
}

impl fmt::Display for ChangeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeClass::Additive => "additive",
            ChangeClass::Breaking => "breaking",
        })
    }
}

/// One difference between a baseline and a new observation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// The HTTP status.
    Status {
        /// Recorded.
        before: u16,
        /// Observed.
        after: u16,
    },
    /// The `Content-Type`.
    ContentType {
        /// Recorded.
        before: Option<String>,
        /// Observed.
        after: Option<String>,
    },
    /// The statuses of the earlier sends of a repeated request.
    EarlierStatuses {
        /// Recorded.
        before: Vec<u16>,
        /// Observed.
        after: Vec<u16>,
    },
    /// A body field appeared.
    FieldAdded {
        /// Its path, `a.b[0].c`.
        path: String,
    },
    /// A body field went away.
    FieldRemoved {
        /// Its path.
        path: String,
    },
    /// A body value changed its JSON type.
    TypeChanged {
        /// Its path; empty for the whole body.
        path: String,
        /// Recorded type.
        before: &'static str,
        /// Observed type.
        after: &'static str,
    },
    /// A body value changed.
    ValueChanged {
        /// Its path; empty for the whole body.
        path: String,
        /// Recorded.
        before: Value,
        /// Observed.
        after: Value,
    },
    /// What a batch held afterwards changed: the request did something else to the data.
    FilesLeft {
        /// The batch.
        batch: usize,
        /// Recorded, normalised ids.
        before: Option<BatchAfter>,
        /// Observed.
        after: Option<BatchAfter>,
    },
}

impl Change {
    /// Breaking or additive: only an added field is additive.
    pub fn class(&self) -> ChangeClass {
        match self {
            Change::FieldAdded { .. } => ChangeClass::Additive,
            _ => ChangeClass::Breaking,
        }
    }
}

fn files(batch: Option<&BatchAfter>) -> String {
    match batch {
        None => "none".to_owned(),
        Some(BatchAfter::Files(ids)) if ids.is_empty() => "none".to_owned(),
        Some(BatchAfter::Files(ids)) => ids.join(", "),
        Some(BatchAfter::Note(text)) => text.clone(),
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Status { before, after } => write!(f, "HTTP status {before} -> {after}"),
            Change::ContentType { before, after } => write!(
                f,
                "content type {} -> {}",
                before.as_deref().unwrap_or("none"),
                after.as_deref().unwrap_or("none")
            ),
            Change::EarlierStatuses { before, after } => write!(
                f,
                "earlier statuses {} -> {}",
                Value::from(before.clone()),
                Value::from(after.clone())
            ),
            Change::FieldAdded { path } => write!(f, "field `{path}` added"),
            Change::FieldRemoved { path } => write!(f, "field `{path}` removed"),
            Change::TypeChanged {
                path,
                before,
                after,
            } => {
                if path.is_empty() {
                    write!(f, "type of body {before} -> {after}")
                } else {
                    write!(f, "type of `{path}` {before} -> {after}")
                }
            }
            Change::ValueChanged {
                path,
                before,
                after,
            } => {
                if path.is_empty() {
                    write!(f, "body {before} -> {after}")
                } else {
                    write!(f, "field `{path}` {before} -> {after}")
                }
            }
            Change::FilesLeft {
                batch,
                before,
                after,
            } => write!(
                f,
                "files left in batch {batch} {} -> {}",
                files(before.as_ref()),
                files(after.as_ref())
            ),
        }
    }
}

/// A fixture file a failure is about: its number in the case, its batch, and its real id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRef {
    /// Its number across the fixture's batches, as `{{fileId:N}}` counts.
    pub index: usize,
    /// Its batch's number.
    pub batch: usize,
    /// The id the target gave it.
    pub id: String,
}

/// What a request did wrong to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EffectProblem {
    /// Gone after an answer that refused: a refusal must delete nothing.
    DeletedByRefusal {
        /// The refusing status.
        status: u16,
    },
    /// Gone although the request did not name it.
    DeletedUnnamed,
    /// Named for deletion, answered with success, still listed.
    NotDeleted,
}

/// Which aspect a failure concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum FailureKind {
    /// The HTTP status.
    Status,
    /// The `Content-Type`.
    ContentType,
    /// The body against the response schema.
    Schema,
    /// Documented body values, and status/body agreement.
    Body,
    /// What the request did to the data.
    Effect,
    /// No complete answer.
    Transport,
    /// The case's fixture could not be provisioned or read back.
    Setup,
    /// The observation differs from the recorded baseline.
    Drift,
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FailureKind::Status => "status",
            FailureKind::ContentType => "content-type",
            FailureKind::Schema => "schema",
            FailureKind::Body => "body",
            FailureKind::Effect => "effect",
            FailureKind::Transport => "transport",
            FailureKind::Setup => "setup",
            FailureKind::Drift => "drift",
        })
    }
}

/// One violation of the contract, or one drift from the baseline: each kind carries its data.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Failure {
    /// The last answer's status is not one the case accepts.
    Status {
        /// What the case accepts.
        expected: Vec<StatusPattern>,
        /// What came.
        actual: u16,
        /// The expected status the vendor's page documents for this, if any.
        documented: Option<u16>,
    },
    /// An earlier send of a repeated request was not a 2xx.
    EarlierStatus {
        /// Which send, from 1.
        request: usize,
        /// How many were sent.
        of: usize,
        /// Its status.
        actual: u16,
    },
    /// The media type of the answer.
    ContentType {
        /// What the case expects.
        expected: String,
        /// What came, if anything.
        actual: Option<String>,
    },
    /// The body is not JSON.
    NotJson {
        /// The start of the body.
        excerpt: String,
    },
    /// The body breaks the response schema.
    Schema {
        /// The schema's name.
        schema: String,
        /// Where and what.
        violation: Violation,
    },
    /// A documented body value differs.
    BodyField {
        /// The top-level field.
        field: String,
        /// The documented value.
        expected: Value,
        /// What came; `None` when the field is missing.
        actual: Option<Value>,
    },
    /// The body's `status` contradicts the HTTP status.
    StatusWord {
        /// The HTTP status.
        status: u16,
        /// What the body says.
        says: String,
        /// What it must say.
        must_say: &'static str,
    },
    /// A batch could not be read back, so the effect could not be checked.
    Unreadable {
        /// The batch's number.
        batch: usize,
        /// Why.
        reason: String,
    },
    /// A file was deleted that must remain, or remained that must be gone.
    Effect {
        /// The file.
        file: FileRef,
        /// What happened to it.
        problem: EffectProblem,
    },
    /// A batch holds files the fixture did not have.
    Added {
        /// The batch's number.
        batch: usize,
        /// How many new files it must hold.
        expected: usize,
        /// The new files' ids.
        ids: Vec<String>,
    },
    /// A batch that must remain is gone.
    BatchGone {
        /// The batch's number.
        batch: usize,
        /// Its id.
        id: String,
    },
    /// A batch that must be gone is still listed with files.
    BatchRemains {
        /// The batch's number.
        batch: usize,
        /// Its id.
        id: String,
    },
    /// No complete answer arrived.
    Transport {
        /// The cause, every layer of it.
        cause: String,
    },
    /// The case could not be set up or its observation could not be compared.
    Setup {
        /// What went wrong.
        reason: String,
    },
    /// The observation differs from the baseline.
    Drift(Change),
    /// No baseline is recorded for the case.
    NoBaseline {
        /// Where this run's observation waits for review.
        pending: PathBuf,
    },
}

impl Failure {
    /// The aspect it concerns.
    pub fn kind(&self) -> FailureKind {
        match self {
            Failure::Status { .. } | Failure::EarlierStatus { .. } => FailureKind::Status,
            Failure::ContentType { .. } => FailureKind::ContentType,
            Failure::NotJson { .. } | Failure::Schema { .. } => FailureKind::Schema,
            Failure::BodyField { .. } | Failure::StatusWord { .. } => FailureKind::Body,
            Failure::Unreadable { .. }
            | Failure::Effect { .. }
            | Failure::Added { .. }
            | Failure::BatchGone { .. }
            | Failure::BatchRemains { .. } => FailureKind::Effect,
            Failure::Transport { .. } => FailureKind::Transport,
            Failure::Setup { .. } => FailureKind::Setup,
            Failure::Drift(_) | Failure::NoBaseline { .. } => FailureKind::Drift,
        }
    }

    /// For a drift, breaking or additive; `None` for a contract failure.
    pub fn change_class(&self) -> Option<ChangeClass> {
        match self {
            Failure::Drift(change) => Some(change.class()),
            Failure::NoBaseline { .. } => Some(ChangeClass::Breaking),
            _ => None,
        }
    }

    /// What was expected and what came, in a sentence.
    pub fn message(&self) -> String {
        match self {
            Failure::Status {
                expected,
                actual,
                documented,
            } => {
                let listed: Vec<String> = expected.iter().map(ToString::to_string).collect();
                let mut message = format!("expected {}, got {actual}", listed.join(" or "));
                if let Some(code) = documented {
                    message.push_str(&format!(" (the vendor's page documents {code} for this)"));
                }
                message
            }
            Failure::EarlierStatus {
                request,
                of,
                actual,
            } => format!("request {request} of {of} answered {actual}, expected a 2xx"),
            Failure::ContentType {
                expected,
                actual: Some(actual),
            } => format!("expected {expected}, got {actual}"),
            Failure::ContentType {
                expected,
                actual: None,
            } => format!("expected {expected}, got no Content-Type header"),
            Failure::NotJson { excerpt } => format!("the body is not JSON: {excerpt:?}"),
            Failure::Schema { schema, violation } => format!("{schema} ({violation})"),
            Failure::BodyField {
                field,
                expected,
                actual: Some(actual),
            } => format!("`{field}`: expected {expected}, got {actual}"),
            Failure::BodyField {
                field,
                expected,
                actual: None,
            } => format!("`{field}`: expected {expected}, the field is missing"),
            Failure::StatusWord {
                status,
                says,
                must_say,
            } => format!("a {status} answer says `status` \"{says}\", it must say \"{must_say}\""),
            Failure::Unreadable { batch, reason } => {
                format!("batch {batch} could not be read back: {reason}")
            }
            Failure::Effect { file, problem } => {
                let FileRef { index, batch, id } = file;
                match problem {
                    EffectProblem::DeletedByRefusal { status } => format!(
                        "file {index} ({id}, batch {batch}) was deleted, but the answer was {status}: a refused request must delete nothing"
                    ),
                    EffectProblem::DeletedUnnamed => format!(
                        "file {index} ({id}, batch {batch}) was deleted, but the request did not name it for deletion"
                    ),
                    EffectProblem::NotDeleted => format!(
                        "file {index} ({id}, batch {batch}) must be gone, it is still listed"
                    ),
                }
            }
            Failure::Added {
                batch,
                expected,
                ids,
            } => format!(
                "batch {batch} holds {} new file(s) ({}), expected {expected}",
                ids.len(),
                ids.join(", ")
            ),
            Failure::BatchGone { batch, id } => {
                format!("batch {batch} ({id}) is gone, it must remain")
            }
            Failure::BatchRemains { batch, id } => {
                format!("batch {batch} ({id}) must be gone, it is still listed with files")
            }
            Failure::Transport { cause } => cause.clone(),
            Failure::Setup { reason } => reason.clone(),
            Failure::Drift(change) => change.to_string(),
            Failure::NoBaseline { pending } => format!(
                "no baseline recorded; this run's observation waits in {} (accept with --update-snapshots or cargo insta review)",
                pending.display()
            ),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.change_class() {
            Some(class) => write!(f, "{} ({class}): {}", self.kind(), self.message()),
            None => write!(f, "{}: {}", self.kind(), self.message()),
        }
    }
}

impl Serialize for Failure {
    /// `{"kind": ..., "message": ..., "change": ...}`: the kind, the sentence, and for a drift
    /// its class.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown {
            kind: FailureKind,
            message: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            change: Option<ChangeClass>,
        }
        Shown {
            kind: self.kind(),
            message: self.message(),
            change: self.change_class(),
        }
        .serialize(serializer)
    }
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Outcome {
    /// Every check held (drift that the run lets pass included).
    Passed,
    /// A check failed, or a drift that fails the run.
    Failed,
    /// Not run.
    Skipped,
}

/// What became of a case's baseline in a run with `--snapshots`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum BaselineStatus {
    /// The observation matches it.
    Unchanged,
    /// The observation differs (drift); the new one waits as `.snap.new`.
    Changed,
    /// There is none yet; the observation waits as `.snap.new`.
    Missing,
    /// Recorded (`--update-snapshots`): new, or rewritten.
    Recorded,
    /// Not recorded: the case failed its contract (`--force` records it anyway).
    HeldBack,
}

/// A case's baseline: what became of it, and what it held before the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BaselineCheck {
    /// What became of it.
    pub status: BaselineStatus,
    /// What it held before the run, if anything.
    #[serde(skip)]
    pub recorded: Option<Snapshot>,
}

/// One case's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// What it checks.
    pub description: String,
    /// How it ended.
    pub outcome: Outcome,
    /// Wall time of the case, provisioning included.
    #[serde(rename = "duration_ms", serialize_with = "millis")]
    pub duration: Duration,
    /// Every failed check and every drift.
    pub failures: Vec<Failure>,
    /// The normalised observation; `None` when nothing was observed.
    #[serde(skip)]
    pub observation: Option<Snapshot>,
    /// Why it was skipped, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    /// The last request it sent and the answer, when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<Exchange>,
    /// Its baseline, in a run with `--snapshots`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineCheck>,
}

fn millis<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u128(duration.as_millis())
}

impl CaseResult {
    /// A case that ran, with the outcome its failures earned.
    pub fn new(
        name: &str,
        description: &str,
        outcome: Outcome,
        failures: Vec<Failure>,
        observation: Option<Snapshot>,
        duration: Duration,
    ) -> Self {
        CaseResult {
            name: name.to_owned(),
            description: description.to_owned(),
            outcome,
            failures,
            observation,
            duration,
            skip_reason: None,
            exchange: None,
            baseline: None,
        }
    }

    /// The result with the exchange that produced it.
    #[must_use]
    pub fn with_exchange(mut self, exchange: Option<Exchange>) -> Self {
        self.exchange = exchange;
        self
    }

    /// The result with what became of its baseline.
    #[must_use]
    pub fn with_baseline(mut self, baseline: Option<BaselineCheck>) -> Self {
        self.baseline = baseline;
        self
    }

    /// A case that was not run, and why.
    pub fn skipped(name: &str, description: &str, reason: impl Into<String>) -> Self {
        CaseResult {
            skip_reason: Some(reason.into()),
            ..CaseResult::new(
                name,
                description,
                Outcome::Skipped,
                Vec::new(),
                None,
                Duration::ZERO,
            )
        }
    }

    /// Every drift of this case.
    pub fn drifts(&self) -> impl Iterator<Item = &Failure> {
        self.failures.iter().filter(|f| f.change_class().is_some())
    }
}

/// Case counts by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Cases not run.
    pub skipped: usize,
}

/// Where the run went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetInfo {
    /// The base URL.
    pub base_url: String,
    /// The snapshot profile: `mock` for the built-in mock.
    pub profile: String,
    /// The baseline folder compared with, if any.
    pub baseline: Option<String>,
}

/// What the end of a run removed, and what it could not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Cleanup {
    /// Ids deleted (classifications, or batches of a reused classification).
    pub deleted: Vec<String>,
    /// Ids that were already gone when the run came to delete them (a read confirmed it).
    pub gone: Vec<String>,
    /// Ids that could not be deleted, with why.
    pub failed: Vec<(String, String)>,
}

impl Serialize for Cleanup {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Failed<'a> {
            id: &'a str,
            reason: &'a str,
        }
        #[derive(Serialize)]
        struct Shown<'a> {
            deleted: &'a [String],
            #[serde(skip_serializing_if = "<[String]>::is_empty")]
            gone: &'a [String],
            failed: Vec<Failed<'a>>,
        }
        Shown {
            deleted: &self.deleted,
            gone: &self.gone,
            failed: self
                .failed
                .iter()
                .map(|(id, reason)| Failed { id, reason })
                .collect(),
        }
        .serialize(serializer)
    }
}

/// What was sent to the target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Traffic {
    /// HTTP requests, every retry included.
    pub requests: u64,
    /// uploadFiles requests (each costs the account credits).
    pub uploads: u64,
    /// Destructive requests.
    pub deletes: u64,
}

/// The run's verdict, from which the exit code follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every case passed and everything the run created is gone.
    Pass,
    /// A contract check failed.
    Contract,
    /// Only drift from the baseline failed.
    Drift,
    /// The run could not finish: interrupted, or it could not delete what it created.
    CouldNotFinish,
}

/// Everything a run found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RunReport {
    /// Where it ran.
    pub target: TargetInfo,
    /// One result per case, sorted by name.
    pub cases: Vec<CaseResult>,
    /// What the run removed at the end.
    pub cleanup: Cleanup,
    /// Whether Ctrl-C stopped it early.
    pub interrupted: bool,
    /// Wall time of the whole run.
    pub duration: Duration,
    /// What was sent to the target.
    pub traffic: Traffic,
    /// How many cases the selection left out.
    pub deselected: usize,
    /// Baselines whose case no longer exists, by name (and whether `--prune` removed them).
    pub orphaned: Vec<String>,
    /// Whether the orphaned baselines were removed.
    pub pruned: bool,
}

/// How many baselines fared how in a run with `--snapshots`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BaselineSummary {
    /// Recorded, new or rewritten.
    pub recorded: usize,
    /// Matched.
    pub unchanged: usize,
    /// Drifted.
    pub changed: usize,
    /// Not recorded yet.
    pub missing: usize,
    /// Not recorded: their case failed its contract.
    pub held_back: usize,
    /// Without a case.
    pub orphaned: usize,
}

impl RunReport {
    /// How the baselines fared; `None` in a run without `--snapshots`.
    pub fn baseline_summary(&self) -> Option<BaselineSummary> {
        self.target.baseline.as_ref()?;
        let mut summary = BaselineSummary {
            orphaned: self.orphaned.len(),
            ..BaselineSummary::default()
        };
        for check in self.cases.iter().filter_map(|c| c.baseline.as_ref()) {
            match check.status {
                BaselineStatus::Recorded => summary.recorded += 1,
                BaselineStatus::Unchanged => summary.unchanged += 1,
                BaselineStatus::Changed => summary.changed += 1,
                BaselineStatus::Missing => summary.missing += 1,
                BaselineStatus::HeldBack => summary.held_back += 1,
            }
        }
        Some(summary)
    }

    /// Case counts by outcome.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for case in &self.cases {
            match case.outcome {
                Outcome::Passed => summary.passed += 1,
                Outcome::Failed => summary.failed += 1,
                Outcome::Skipped => summary.skipped += 1,
            }
        }
        summary
    }

    /// The verdict: could not finish first, then a contract failure, then drift.
    pub fn verdict(&self) -> Verdict {
        let failed = || self.cases.iter().filter(|c| c.outcome == Outcome::Failed);
        if self.interrupted || !self.cleanup.failed.is_empty() {
            Verdict::CouldNotFinish
        } else if failed().any(|c| c.failures.iter().any(|f| f.change_class().is_none())) {
            Verdict::Contract
        } else if failed().next().is_some() {
            Verdict::Drift
        } else {
            Verdict::Pass
        }
    }

    /// Whether the target conforms and the run left nothing behind.
    pub fn conforms(&self) -> bool {
        self.verdict() == Verdict::Pass
    }

    /// Every drift, as `(case, failure)`, in case order.
    pub fn drifts(&self) -> impl Iterator<Item = (&CaseResult, &Failure)> {
        self.cases
            .iter()
            .flat_map(|case| case.drifts().map(move |f| (case, f)))
    }
}

/// What the runner tells its observer as the run goes: the interface between the runner and
/// whoever reports progress.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum RunEvent<'a> {
    /// A case finished.
    CaseFinished {
        /// Its result.
        result: &'a CaseResult,
        /// How many cases have finished, this one included.
        done: usize,
        /// How many cases the run holds.
        total: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn case(outcome: Outcome, failures: Vec<Failure>) -> CaseResult {
        CaseResult::new("c", "d", outcome, failures, None, Duration::ZERO)
    }

    fn report(cases: Vec<CaseResult>) -> RunReport {
        RunReport {
            target: TargetInfo {
                base_url: "u".into(),
                profile: "p".into(),
                baseline: None,
            },
            cases,
            cleanup: Cleanup::default(),
            interrupted: false,
            duration: Duration::ZERO,
            traffic: Traffic::default(),
            deselected: 0,
            orphaned: Vec::new(),
            pruned: false,
        }
    }

    #[test]
    fn the_model_depends_on_neither_the_engine_nor_the_renderers() {
        let source = include_str!("result.rs");
        let imports: Vec<&str> = source
            .lines()
            .filter(|l| l.starts_with("use crate::"))
            .collect();
        assert!(!imports.is_empty());
        for import in imports {
            assert!(import.starts_with("use crate::contract::"), "{import}");
        }
    }

    #[test]
    fn a_run_that_left_data_behind_does_not_conform() {
        let mut run = report(vec![case(Outcome::Passed, vec![])]);
        assert_eq!(run.verdict(), Verdict::Pass);
        run.cleanup.failed.push(("cls-1".into(), "refused".into()));
        assert_eq!(run.verdict(), Verdict::CouldNotFinish);
        assert!(!run.conforms());
    }

    #[test]
    fn a_contract_failure_outranks_a_drift() {
        let drift = Failure::Drift(Change::Status {
            before: 400,
            after: 404,
        });
        let status = Failure::Status {
            expected: vec![StatusPattern::Exact(200)],
            actual: 500,
            documented: None,
        };
        assert_eq!(
            report(vec![case(Outcome::Failed, vec![drift.clone()])]).verdict(),
            Verdict::Drift
        );
        assert_eq!(
            report(vec![
                case(Outcome::Failed, vec![drift]),
                case(Outcome::Failed, vec![status])
            ])
            .verdict(),
            Verdict::Contract
        );
    }

    #[test]
    fn a_snapshot_reads_back_as_it_was_written() {
        let snapshot = Snapshot {
            batches_after: vec![BatchAfter::Files(vec!["[fileId:0]".into()])],
            body: json!({"message": "Files deleted", "status": "success"}),
            content_type: Some("application/json".into()),
            earlier_statuses: vec![],
            status: 200,
        };
        let text = serde_json::to_string_pretty(&snapshot).unwrap_or_default();
        assert!(text.starts_with("{\n  \"batchesAfter\""), "{text}");
        assert!(!text.contains("earlierStatuses"));
        let read: Snapshot = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read, snapshot);
    }

    #[test]
    fn failures_read_as_sentences_and_carry_their_kind() {
        let failure = Failure::Effect {
            file: FileRef {
                index: 1,
                batch: 0,
                id: "f1".into(),
            },
            problem: EffectProblem::NotDeleted,
        };
        assert_eq!(
            failure.to_string(),
            "effect: file 1 (f1, batch 0) must be gone, it is still listed"
        );
        let drift = Failure::Drift(Change::FieldAdded {
            path: "deleteAll".into(),
        });
        assert_eq!(
            drift.to_string(),
            "drift (additive): field `deleteAll` added"
        );
    }
}
