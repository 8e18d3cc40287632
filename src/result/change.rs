//! How an observation differs from its baseline: one change, and how much it matters.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::BatchAfter;
use super::quote::{self, QUOTED_CHARS, SENTENCE_CHARS};

/// How much a change matters to a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ChangeClass {
    /// Something was added; a tolerant client keeps working.
    Additive,
    /// Human-readable wording changed (a `message` said otherwise) while the status, the
    /// types and the shape stayed; a client that reads codes keeps working.
    Wording,
    /// Something a client may rely on changed or went away.
    Breaking,
}

impl fmt::Display for ChangeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeClass::Additive => "additive",
            ChangeClass::Wording => "wording",
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
    /// A `message` says otherwise, while nothing else of the answer changed but values: the
    /// same status, content type, types and fields.
    Reworded {
        /// Its path, `message` or `a.b.message`.
        path: String,
        /// Recorded.
        before: String,
        /// Observed.
        after: String,
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
            Change::Reworded { .. } => ChangeClass::Wording,
            _ => ChangeClass::Breaking,
        }
    }
}

fn files(batch: Option<&BatchAfter>) -> String {
    match batch {
        None => "none".to_owned(),
        Some(BatchAfter::Files(ids)) if ids.is_empty() => "none".to_owned(),
        Some(BatchAfter::Files(ids)) => quote::bounded(&ids.join(", "), SENTENCE_CHARS),
        Some(BatchAfter::Note(text)) => quote::bounded(text, QUOTED_CHARS),
    }
}

/// A path or a media type from the target, shortened for a line.
fn short(text: &str) -> String {
    quote::bounded(text, QUOTED_CHARS)
}

/// The change in a line: every value from the target in it quoted shortened ([`quote`]).
impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Status { before, after } => write!(f, "HTTP status {before} -> {after}"),
            Change::ContentType { before, after } => write!(
                f,
                "content type {} -> {}",
                before.as_deref().map_or_else(|| "none".to_owned(), short),
                after.as_deref().map_or_else(|| "none".to_owned(), short)
            ),
            Change::EarlierStatuses { before, after } => write!(
                f,
                "earlier statuses {} -> {}",
                Value::from(before.clone()),
                Value::from(after.clone())
            ),
            Change::FieldAdded { path } => write!(f, "field `{}` added", short(path)),
            Change::FieldRemoved { path } => write!(f, "field `{}` removed", short(path)),
            Change::TypeChanged {
                path,
                before,
                after,
            } => {
                if path.is_empty() {
                    write!(f, "type of body {before} -> {after}")
                } else {
                    write!(f, "type of `{}` {before} -> {after}", short(path))
                }
            }
            Change::Reworded {
                path,
                before,
                after,
            } => {
                let (before, after) = (
                    quote::value(&Value::from(before.as_str())),
                    quote::value(&Value::from(after.as_str())),
                );
                write!(f, "field `{}` {before} -> {after}", short(path))
            }
            Change::ValueChanged {
                path,
                before,
                after,
            } => {
                let (before, after) = (quote::value(before), quote::value(after));
                if path.is_empty() {
                    write!(f, "body {before} -> {after}")
                } else {
                    write!(f, "field `{}` {before} -> {after}", short(path))
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
