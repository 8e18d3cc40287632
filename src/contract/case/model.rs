//! The case model: what a case is once read, the request it sends and what it expects.

use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::Value;

use crate::contract::endpoint::Endpoint;

/// A contract case: one request and what must come back.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Case {
    /// The case's name: its path below the cases folder, without `.json`, `/`-separated
    /// (`delete-files/valid-one-file`).
    pub name: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// What it checks, as a sentence.
    pub description: String,
    /// The data it needs.
    pub fixture: FixtureSpec,
    /// What is sent.
    pub request: RequestSpec,
    /// What must come back.
    pub expect: Expect,
}

/// One batch of a fixture: how many files, in which of the fixture's classifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchSpec {
    /// Files in the batch.
    pub files: usize,
    /// The classification it is uploaded into: 0 is the run's own, 1 and up are created for
    /// the case.
    pub classification: usize,
}

/// The data a case needs, provisioned through the public API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixtureSpec {
    /// The batches, in order.
    pub batches: Vec<BatchSpec>,
}

impl FixtureSpec {
    /// A fixture of batches in the run's classification, with these file counts.
    pub fn of(files: &[usize]) -> Self {
        FixtureSpec {
            batches: files
                .iter()
                .map(|&files| BatchSpec {
                    files,
                    classification: 0,
                })
                .collect(),
        }
    }

    /// How many files the fixture holds across all batches.
    pub fn file_count(&self) -> usize {
        self.batches.iter().map(|b| b.files).sum()
    }

    /// How many classifications it spans: the run's own and those created for the case.
    pub fn classification_count(&self) -> usize {
        self.batches
            .iter()
            .map(|b| b.classification + 1)
            .max()
            .unwrap_or(1)
    }
}

/// The key sent when a case asks for an invalid one; no account has it.
#[cfg(feature = "suite")]
pub const INVALID_API_KEY: &str = "extracta-contract-invalid-key";

/// The header a case's request names its case in, so that a mock's journal can say which
/// request was whose. The suite sends it only to a built-in mock it learns from.
pub const CASE_HEADER: &str = "x-extracta-case";

/// Which credentials a request carries. Besides the run's key, a second account's key and
/// none at all, the near misses of the run's key (each must be refused): an empty token, the
/// key changed, cut or lengthened, under another scheme, or in the query string.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Auth {
    /// The run's API key.
    #[default]
    Valid,
    /// No `Authorization` header at all.
    Missing,
    /// A key that belongs to no account.
    Invalid,
    /// The key of a second account, acting on the first one's data.
    Other,
    /// `Authorization: Bearer ` with an empty token.
    BearerEmpty,
    /// `Authorization: Bearer` with no token at all.
    BearerAlone,
    /// The run's key with its last character changed (to `x`, or `y` where it ends in `x`).
    KeyLastCharChanged,
    /// The run's key cut to its first half.
    KeyFirstHalf,
    /// The run's key with `x` appended.
    KeyExtraChar,
    /// `Authorization: Basic <the run's key>`.
    SchemeBasic,
    /// `Authorization: Token <the run's key>`.
    SchemeToken,
    /// No `Authorization` header; the run's key in the query string instead, as `api_key`,
    /// `apiKey` and `access_token`.
    KeyInQuery,
}

/// The query parameters a request with [`Auth::KeyInQuery`] carries the key in.
#[cfg(feature = "suite")]
pub const KEY_QUERY_PARAMETERS: [&str; 3] = ["api_key", "apiKey", "access_token"];

impl Auth {
    /// The credentials derived from the run's key, each of which must be refused.
    pub const NEAR_MISSES: [Auth; 8] = [
        Auth::BearerEmpty,
        Auth::BearerAlone,
        Auth::KeyLastCharChanged,
        Auth::KeyFirstHalf,
        Auth::KeyExtraChar,
        Auth::SchemeBasic,
        Auth::SchemeToken,
        Auth::KeyInQuery,
    ];

    /// Whether the request carries an account's exact key as the docs ask (`Bearer <key>`):
    /// the run's, or the second account's.
    pub fn is_key(self) -> bool {
        matches!(self, Auth::Valid | Auth::Other)
    }

    /// The value as a case file writes it, e.g. `key-first-half`.
    pub fn as_str(self) -> &'static str {
        match self {
            Auth::Valid => "valid",
            Auth::Missing => "missing",
            Auth::Invalid => "invalid",
            Auth::Other => "other",
            Auth::BearerEmpty => "bearer-empty",
            Auth::BearerAlone => "bearer-alone",
            Auth::KeyLastCharChanged => "key-last-char-changed",
            Auth::KeyFirstHalf => "key-first-half",
            Auth::KeyExtraChar => "key-extra-char",
            Auth::SchemeBasic => "scheme-basic",
            Auth::SchemeToken => "scheme-token",
            Auth::KeyInQuery => "key-in-query",
        }
    }
}

impl fmt::Display for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of a request as the case writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum BodySpec {
    /// No body.
    None,
    /// A JSON document, placeholders in its strings.
    Json(Value),
    /// Exact characters, placeholders in them.
    Raw(String),
    /// A multipart form: text fields (placeholders in their values), then `files` sample
    /// documents under `files`.
    Form {
        /// `(name, value)` text fields, in order.
        fields: Vec<(String, String)>,
        /// How many files.
        files: usize,
    },
}

/// What a case sends.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RequestSpec {
    /// HTTP method.
    pub method: http::Method,
    /// Path below the base URL.
    pub path: String,
    /// Credentials.
    pub auth: Auth,
    /// The `Content-Type` header, if any (a form sets its own).
    pub content_type: Option<String>,
    /// The body.
    pub body: BodySpec,
    /// How many times it is sent.
    pub repeat: u32,
}

impl RequestSpec {
    /// The catalogue's endpoint at this path, when the method is the endpoint's own.
    pub fn endpoint(&self) -> Option<Endpoint> {
        Endpoint::from_path(&self.path).filter(|e| e.method() == self.method)
    }
}
/// One acceptable status: exact, or a class such as `4xx`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusPattern {
    /// Exactly this code.
    Exact(u16),
    /// Any code of this hundred (4 for `4xx`).
    Class(u16),
}

impl StatusPattern {
    /// Whether `status` is acceptable.
    pub fn matches(self, status: u16) -> bool {
        match self {
            StatusPattern::Exact(code) => code == status,
            StatusPattern::Class(class) => status / 100 == class,
        }
    }
}

impl serde::Serialize for StatusPattern {
    /// As a case file writes it: `200` or `"4xx"`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            StatusPattern::Exact(code) => serializer.serialize_u16(*code),
            StatusPattern::Class(_) => serializer.collect_str(self),
        }
    }
}

impl fmt::Display for StatusPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusPattern::Exact(code) => write!(f, "{code}"),
            StatusPattern::Class(class) => write!(f, "{class}xx"),
        }
    }
}

/// What must come back, and what the request must have done.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Expect {
    /// Acceptable statuses (any one of them).
    pub status: Vec<StatusPattern>,
    /// The media type of the answer.
    pub content_type: String,
    /// The schema the answer's body must satisfy; by default the endpoint's reply schema for a
    /// 2xx and `status.response` (the error shape) for anything else.
    pub schema: Option<String>,
    /// Top-level fields whose values must match exactly (placeholders filled).
    pub body: serde_json::Map<String, Value>,
    /// Fixture files that must be gone.
    pub deleted: Vec<usize>,
    /// Fixture files that may be gone or remain.
    pub may_delete: Vec<usize>,
    /// Fixture batches that must be gone (getResults refuses them or lists nothing).
    pub deleted_batches: Vec<usize>,
    /// How many new files each fixture batch must hold afterwards (missing entries: none).
    pub added: Vec<usize>,
}

impl Case {
    /// Whether every acceptable answer is a refusal.
    pub fn expects_refusal(&self) -> bool {
        self.expect.status.iter().all(|pattern| match pattern {
            StatusPattern::Exact(code) => *code >= 400,
            StatusPattern::Class(class) => *class >= 4,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_auth_is_written_as_its_case_files_write_it() {
        let all = [Auth::Valid, Auth::Missing, Auth::Invalid, Auth::Other]
            .into_iter()
            .chain(Auth::NEAR_MISSES);
        for auth in all {
            let written = serde_json::to_value(auth).unwrap_or_default();
            assert_eq!(written, auth.as_str(), "{auth:?}");
            let read: Auth = serde_json::from_value(written).unwrap_or_default();
            assert_eq!(read, auth);
        }
        assert!(Auth::Valid.is_key() && Auth::Other.is_key());
        assert!(Auth::NEAR_MISSES.iter().all(|auth| !auth.is_key()));
    }
}
