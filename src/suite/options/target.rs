//! Where a run sends its requests: a live URL with the keys of its accounts ([`Remote`]), or
//! the built-in mock ([`BuiltInMock`]), one of the two ([`Target`]).

use crate::contract::profile::VendorProfile;
use crate::redact::ApiKey;

/// A target reached over HTTP: its base URL and the keys of the accounts the run acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub(crate) base_url: String,
    pub(crate) api_key: ApiKey,
    pub(crate) second_api_key: Option<ApiKey>,
}

impl Remote {
    /// The base URL, e.g. `https://api.extracta.ai/api/v1`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The key of the account the run acts as.
    pub fn api_key(&self) -> &ApiKey {
        &self.api_key
    }

    /// The key of a second account, for the cases that act as another tenant.
    pub fn second_api_key(&self) -> Option<&ApiKey> {
        self.second_api_key.as_ref()
    }
}

/// The built-in mock as a run's target: what it answers like, whether it records what it
/// receives, the keys it accepts, and once started, where it listens.
#[derive(Debug, Clone, Default)]
pub struct BuiltInMock {
    /// Boxed: a profile is large beside the other targets, and most runs have none.
    pub(crate) like: Option<Box<VendorProfile>>,
    pub(crate) record: bool,
    pub(crate) api_key: Option<ApiKey>,
    pub(crate) second_api_key: Option<ApiKey>,
    pub(crate) running: Option<Remote>,
}

impl BuiltInMock {
    /// The vendor profile it answers like, if any.
    pub fn like(&self) -> Option<&VendorProfile> {
        self.like.as_deref()
    }

    /// Whether it keeps a journal of the requests it receives, each naming its case.
    pub fn records(&self) -> bool {
        self.record
    }

    /// The keys it is to accept, if chosen (else its own).
    pub fn api_keys(&self) -> (Option<&ApiKey>, Option<&ApiKey>) {
        (self.api_key.as_ref(), self.second_api_key.as_ref())
    }

    /// Where it listens and the keys it accepts, once started.
    pub fn running(&self) -> Option<&Remote> {
        self.running.as_ref()
    }
}

/// Where the run sends its requests.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Target {
    /// A live target: the vendor, a staging account, a stand-in.
    Remote(Remote),
    /// The built-in mock, started for the run by
    /// [`with_built_in_mock`](crate::with_built_in_mock).
    BuiltInMock(BuiltInMock),
}

impl Target {
    /// Where requests go, with the keys: `None` for a built-in mock not started yet.
    pub fn remote(&self) -> Option<&Remote> {
        match self {
            Target::Remote(remote) => Some(remote),
            Target::BuiltInMock(mock) => mock.running.as_ref(),
        }
    }

    /// Whether this is the built-in mock.
    pub fn is_built_in(&self) -> bool {
        matches!(self, Target::BuiltInMock(_))
    }

    /// Whether the run has a second account: given for a live target, always for the built-in
    /// mock (which accepts a second key of its own).
    pub fn has_second_account(&self) -> bool {
        match self {
            Target::Remote(remote) => remote.second_api_key.is_some(),
            Target::BuiltInMock(_) => true,
        }
    }

    /// Every secret key the run may send, for the redactor: a live target's, and those given
    /// to the built-in mock (its own default keys are public, and stay readable).
    pub fn keys(&self) -> Vec<ApiKey> {
        let (first, second) = match self {
            Target::Remote(remote) => (Some(&remote.api_key), remote.second_api_key.as_ref()),
            Target::BuiltInMock(mock) => (mock.api_key.as_ref(), mock.second_api_key.as_ref()),
        };
        [first, second].into_iter().flatten().cloned().collect()
    }
}
