//! What a refusal is, whatever it says: the situations the built-in mock tells apart
//! (`missing-key`, `unknown-batch`, `invalid-body required:/batchId`...), and the key a vendor
//! profile answers them by, an endpoint and a situation (`deleteFiles unknown-batch`).

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::endpoint::Endpoint;

/// A kind of refusal, as the mock tells them apart and a vendor profile names them: a name,
/// and for some a detail (`invalid-body required:/batchId`, `missing-form-field batchId`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Situation {
    /// No `Authorization` header (`missing-key`).
    MissingKey,
    /// An `Authorization` header that is not `Bearer <key>` (`malformed-key`).
    MalformedKey,
    /// A key the mock does not accept (`invalid-key`).
    InvalidKey,
    /// A JSON endpoint called with another media type (`wrong-content-type`).
    WrongContentType,
    /// A JSON endpoint called without a body (`empty-body`).
    EmptyBody,
    /// A body that is not JSON (`malformed-json`).
    MalformedJson,
    /// JSON that breaks the endpoint's request schema (`invalid-body`, or
    /// `invalid-body <signature>`).
    InvalidBody {
        /// The violations' shape (`required:/batchId`), when the mock kept it.
        signature: Option<String>,
    },
    /// A body over the mock's limit (`too-large`).
    TooLarge,
    /// A body that could not be read (`unreadable`).
    Unreadable,
    /// A body that did not arrive in time (`body-timeout`).
    BodyTimeout,
    /// An upload that is not a well-formed multipart form (`bad-form`).
    BadForm,
    /// A form field the upload does not know (`unknown-form-field`).
    UnknownFormField,
    /// A form field given twice (`repeated-form-field <name>`).
    RepeatedFormField {
        /// The field.
        name: String,
    },
    /// A required form field missing (`missing-form-field <name>`).
    MissingFormField {
        /// The field.
        name: String,
    },
    /// A form field given empty (`empty-form-field <name>`).
    EmptyFormField {
        /// The field.
        name: String,
    },
    /// More files than one upload may carry (`too-many-files`).
    TooManyFiles,
    /// No classification of that id (`unknown-classification`).
    UnknownClassification,
    /// No batch of that id in the classification (`unknown-batch`).
    UnknownBatch,
    /// getResults named a file the batch does not hold (`unknown-file`).
    UnknownFile,
    /// deleteFiles named only files the batch does not hold (`unknown-files`).
    UnknownFiles,
    /// deleteFiles named some files the batch holds and some it does not
    /// (`partly-unknown-files`).
    PartlyUnknownFiles,
    /// deleteFiles with an empty `fileIds` list (`empty-file-ids`).
    EmptyFileIds,
    /// uploadFiles without a file (`no-files`).
    NoFiles,
    /// The key holds as much as its quota allows (`quota`).
    Quota,
    /// No endpoint at the path (`unknown-path`).
    UnknownPath,
    /// An endpoint called with the wrong method (`wrong-method`).
    WrongMethod,
    /// A status injected on purpose (`injected`).
    Injected,
}

/// Why a text is not a situation, or not a key of a profile's refusals.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SituationError {
    /// No situation has this name.
    #[error("read the situation `{name}`: no situation of the mock has that name")]
    Unknown {
        /// The name.
        name: String,
    },
    /// A situation that needs a detail came without one.
    #[error("read the situation `{name}`: it needs a detail (`{name} <detail>`)")]
    NoDetail {
        /// The name.
        name: String,
    },
    /// A situation that has no detail came with one.
    #[error("read the situation `{name} {detail}`: `{name}` has no detail")]
    Detail {
        /// The name.
        name: String,
        /// The detail given.
        detail: String,
    },
    /// A key that is not `<endpoint> <situation>`.
    #[error("read the refusal key `{key}`: expected `<endpoint> <situation>`")]
    NoSituation {
        /// The key.
        key: String,
    },
    /// A key naming no endpoint of the catalogue.
    #[error("read the refusal key `{key}`: `{endpoint}` is no endpoint of the catalogue")]
    UnknownEndpoint {
        /// The key.
        key: String,
        /// The endpoint it names.
        endpoint: String,
    },
}

impl Situation {
    /// Its name, without the detail (`invalid-body`).
    pub fn name(&self) -> &'static str {
        match self {
            Situation::MissingKey => "missing-key",
            Situation::MalformedKey => "malformed-key",
            Situation::InvalidKey => "invalid-key",
            Situation::WrongContentType => "wrong-content-type",
            Situation::EmptyBody => "empty-body",
            Situation::MalformedJson => "malformed-json",
            Situation::InvalidBody { .. } => "invalid-body",
            Situation::TooLarge => "too-large",
            Situation::Unreadable => "unreadable",
            Situation::BodyTimeout => "body-timeout",
            Situation::BadForm => "bad-form",
            Situation::UnknownFormField => "unknown-form-field",
            Situation::RepeatedFormField { .. } => "repeated-form-field",
            Situation::MissingFormField { .. } => "missing-form-field",
            Situation::EmptyFormField { .. } => "empty-form-field",
            Situation::TooManyFiles => "too-many-files",
            Situation::UnknownClassification => "unknown-classification",
            Situation::UnknownBatch => "unknown-batch",
            Situation::UnknownFile => "unknown-file",
            Situation::UnknownFiles => "unknown-files",
            Situation::PartlyUnknownFiles => "partly-unknown-files",
            Situation::EmptyFileIds => "empty-file-ids",
            Situation::NoFiles => "no-files",
            Situation::Quota => "quota",
            Situation::UnknownPath => "unknown-path",
            Situation::WrongMethod => "wrong-method",
            Situation::Injected => "injected",
        }
    }

    /// Its detail, if it has one (`required:/batchId`).
    pub fn detail(&self) -> Option<&str> {
        match self {
            Situation::InvalidBody { signature } => signature.as_deref(),
            Situation::RepeatedFormField { name }
            | Situation::MissingFormField { name }
            | Situation::EmptyFormField { name } => Some(name),
            _ => None,
        }
    }

    /// The situation without a detail called `name`.
    fn plain(name: &str) -> Option<Situation> {
        Some(match name {
            "missing-key" => Situation::MissingKey,
            "malformed-key" => Situation::MalformedKey,
            "invalid-key" => Situation::InvalidKey,
            "wrong-content-type" => Situation::WrongContentType,
            "empty-body" => Situation::EmptyBody,
            "malformed-json" => Situation::MalformedJson,
            "invalid-body" => Situation::InvalidBody { signature: None },
            "too-large" => Situation::TooLarge,
            "unreadable" => Situation::Unreadable,
            "body-timeout" => Situation::BodyTimeout,
            "bad-form" => Situation::BadForm,
            "unknown-form-field" => Situation::UnknownFormField,
            "too-many-files" => Situation::TooManyFiles,
            "unknown-classification" => Situation::UnknownClassification,
            "unknown-batch" => Situation::UnknownBatch,
            "unknown-file" => Situation::UnknownFile,
            "unknown-files" => Situation::UnknownFiles,
            "partly-unknown-files" => Situation::PartlyUnknownFiles,
            "empty-file-ids" => Situation::EmptyFileIds,
            "no-files" => Situation::NoFiles,
            "quota" => Situation::Quota,
            "unknown-path" => Situation::UnknownPath,
            "wrong-method" => Situation::WrongMethod,
            "injected" => Situation::Injected,
            _ => return None,
        })
    }

    /// The situation called `name` with `detail`, if it is one that has a detail.
    fn detailed(name: &str, detail: String) -> Option<Situation> {
        Some(match name {
            "invalid-body" => Situation::InvalidBody {
                signature: Some(detail),
            },
            "repeated-form-field" => Situation::RepeatedFormField { name: detail },
            "missing-form-field" => Situation::MissingFormField { name: detail },
            "empty-form-field" => Situation::EmptyFormField { name: detail },
            _ => return None,
        })
    }
}

impl fmt::Display for Situation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        match self.detail() {
            Some(detail) => write!(f, " {detail}"),
            None => Ok(()),
        }
    }
}

impl FromStr for Situation {
    type Err = SituationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.split_once(' ') {
            None => Situation::plain(text).ok_or_else(|| {
                let name = text.to_owned();
                if Situation::detailed(text, String::new()).is_some() {
                    SituationError::NoDetail { name }
                } else {
                    SituationError::Unknown { name }
                }
            }),
            Some((name, detail)) => Situation::detailed(name, detail.to_owned()).ok_or_else(|| {
                if Situation::plain(name).is_some() {
                    SituationError::Detail {
                        name: name.to_owned(),
                        detail: detail.to_owned(),
                    }
                } else {
                    SituationError::Unknown {
                        name: name.to_owned(),
                    }
                }
            }),
        }
    }
}

/// Where a vendor profile keeps a refusal: an endpoint and a situation, written
/// `<endpoint> <situation>` (`deleteFiles unknown-batch`,
/// `deleteFiles invalid-body required:/batchId`).
///
/// Keys compare, sort and hash as that text, so a profile's map can also be read by it
/// (`profile.refusals["deleteFiles unknown-batch"]`) and is written in the same order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RefusalKey {
    endpoint: Endpoint,
    situation: Situation,
    /// `<endpoint> <situation>`.
    text: String,
}

impl RefusalKey {
    /// The key of `situation` on `endpoint`.
    pub fn new(endpoint: Endpoint, situation: Situation) -> RefusalKey {
        let text = format!("{} {situation}", endpoint.name());
        RefusalKey {
            endpoint,
            situation,
            text,
        }
    }

    /// The endpoint.
    pub fn endpoint(&self) -> Endpoint {
        self.endpoint
    }

    /// The situation.
    pub fn situation(&self) -> &Situation {
        &self.situation
    }

    /// `<endpoint> <situation>`.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for RefusalKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for RefusalKey {
    type Err = SituationError;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        let (endpoint, situation) =
            key.split_once(' ')
                .ok_or_else(|| SituationError::NoSituation {
                    key: key.to_owned(),
                })?;
        let endpoint =
            Endpoint::from_name(endpoint).ok_or_else(|| SituationError::UnknownEndpoint {
                key: key.to_owned(),
                endpoint: endpoint.to_owned(),
            })?;
        Ok(RefusalKey::new(endpoint, situation.parse()?))
    }
}

impl TryFrom<String> for RefusalKey {
    type Error = SituationError;

    fn try_from(key: String) -> Result<Self, Self::Error> {
        key.parse()
    }
}

impl From<RefusalKey> for String {
    fn from(key: RefusalKey) -> Self {
        key.text
    }
}

impl Borrow<str> for RefusalKey {
    fn borrow(&self) -> &str {
        &self.text
    }
}

impl PartialEq for RefusalKey {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for RefusalKey {}

impl PartialOrd for RefusalKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RefusalKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.text.cmp(&other.text)
    }
}

impl Hash for RefusalKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_as_it_was_written() {
        for text in [
            "deleteFiles unknown-batch",
            "deleteFiles invalid-body",
            "deleteFiles invalid-body required:/batchId,required:/classificationId",
            "uploadFiles missing-form-field classificationId",
            "uploadFiles partly-unknown-files",
        ] {
            let key: RefusalKey = text.parse().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(key.to_string(), text);
        }
        let key = RefusalKey::new(
            Endpoint::DeleteFiles,
            Situation::InvalidBody {
                signature: Some("type:/fileIds/*".to_owned()),
            },
        );
        assert_eq!(key.as_str(), "deleteFiles invalid-body type:/fileIds/*");
        assert_eq!(key.as_str().parse::<RefusalKey>(), Ok(key));
    }

    #[test]
    fn a_key_of_no_endpoint_or_situation_is_refused_with_what_is_wrong() {
        assert_eq!(
            "deleteFiles".parse::<RefusalKey>(),
            Err(SituationError::NoSituation {
                key: "deleteFiles".to_owned()
            })
        );
        assert!(matches!(
            "* unknown-path".parse::<RefusalKey>(),
            Err(SituationError::UnknownEndpoint { .. })
        ));
        assert!(matches!(
            "deleteFiles unknown-bach".parse::<RefusalKey>(),
            Err(SituationError::Unknown { .. })
        ));
        assert!(matches!(
            "uploadFiles missing-form-field".parse::<RefusalKey>(),
            Err(SituationError::NoDetail { .. })
        ));
        assert!(matches!(
            "deleteFiles unknown-batch b".parse::<RefusalKey>(),
            Err(SituationError::Detail { .. })
        ));
    }

    #[test]
    fn keys_sort_as_their_text() {
        let mut keys: Vec<RefusalKey> = ["uploadFiles no-files", "deleteFiles quota"]
            .iter()
            .filter_map(|k| k.parse().ok())
            .collect();
        keys.sort();
        let sorted: Vec<&str> = keys.iter().map(RefusalKey::as_str).collect();
        assert_eq!(sorted, ["deleteFiles quota", "uploadFiles no-files"]);
    }
}
