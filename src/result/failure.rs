//! One violation of the contract or one drift, each kind with its data, and the sentence it
//! reads as.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::Value;

use super::quote::{self, QUOTED_CHARS, SENTENCE_CHARS};
use super::{Change, ChangeClass};
use crate::contract::case::StatusPattern;
use crate::contract::schema::Violation;

/// A fixture file a failure is about: its number in the case, its batch, and its real id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FileRef {
    /// Its number across the fixture's batches, as `{{fileId:N}}` counts.
    pub index: usize,
    /// Its batch's number.
    pub batch: usize,
    /// The id the target gave it.
    pub id: String,
}

/// What a request did wrong to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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
    /// The target did not finish processing a batch the case reads.
    Processing,
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
            FailureKind::Processing => "processing",
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
    /// The run was stopped while the case's request or its read-back was under way.
    Interrupted,
    /// A batch the case reads was still being processed (getResults answered `waiting`) when
    /// the run's wait was up: its request was not sent.
    NotProcessed {
        /// The batch's id.
        batch: String,
        /// How long the run waited.
        waited: std::time::Duration,
    },
    /// The observation differs from the baseline.
    Drift(Change),
    /// No baseline is recorded for the case.
    NoBaseline {
        /// Where this run's observation waits for review.
        pending: PathBuf,
    },
}

/// A duration as a person writes it: whole seconds as `60s`, else milliseconds.
fn duration(duration: std::time::Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{}s", duration.as_secs())
    } else {
        format!("{}ms", duration.as_millis())
    }
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
            Failure::Setup { .. } | Failure::Interrupted => FailureKind::Setup,
            Failure::NotProcessed { .. } => FailureKind::Processing,
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

    /// What was expected and what came, in a sentence. Every value from the target in it is
    /// quoted shortened ([`quote`]): the sentence is a line, whatever the target sent.
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
            } => format!(
                "expected {expected}, got {}",
                quote::bounded(actual, QUOTED_CHARS)
            ),
            Failure::ContentType {
                expected,
                actual: None,
            } => format!("expected {expected}, got no Content-Type header"),
            Failure::NotJson { excerpt } => {
                format!("the body is not JSON: {}", quote::text(excerpt))
            }
            Failure::Schema { schema, violation } => format!(
                "{schema} ({})",
                quote::bounded(&violation.to_string(), SENTENCE_CHARS)
            ),
            Failure::BodyField {
                field,
                expected,
                actual: Some(actual),
            } => format!(
                "`{}`: expected {}, got {}",
                quote::bounded(field, QUOTED_CHARS),
                quote::value(expected),
                quote::value(actual)
            ),
            Failure::BodyField {
                field,
                expected,
                actual: None,
            } => format!(
                "`{}`: expected {}, the field is missing",
                quote::bounded(field, QUOTED_CHARS),
                quote::value(expected)
            ),
            Failure::StatusWord {
                status,
                says,
                must_say,
            } => format!(
                "a {status} answer says `status` {}, it must say \"{must_say}\"",
                quote::text(says)
            ),
            Failure::Unreadable { batch, reason } => {
                format!(
                    "batch {batch} could not be read back: {}",
                    quote::bounded(reason, SENTENCE_CHARS)
                )
            }
            Failure::Effect { file, problem } => {
                let FileRef { index, batch, id } = file;
                let id = quote::bounded(id, QUOTED_CHARS);
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
                quote::bounded(&ids.join(", "), SENTENCE_CHARS)
            ),
            Failure::BatchGone { batch, id } => {
                let id = quote::bounded(id, QUOTED_CHARS);
                format!("batch {batch} ({id}) is gone, it must remain")
            }
            Failure::BatchRemains { batch, id } => {
                let id = quote::bounded(id, QUOTED_CHARS);
                format!("batch {batch} ({id}) must be gone, it is still listed with files")
            }
            Failure::Transport { cause } => quote::bounded(cause, SENTENCE_CHARS),
            Failure::Setup { reason } => quote::bounded(reason, SENTENCE_CHARS),
            Failure::Interrupted => "interrupted".to_owned(),
            Failure::NotProcessed { batch, waited } => format!(
                "batch {batch} was not processed within {} (getResults still answers \"waiting\"; --max-processing-wait sets the wait)",
                duration(*waited)
            ),
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

#[cfg(test)]
mod tests {
    use super::*;

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
