//! Why a call to the vendor failed ([`VendorError`]), and the errors an answer makes when it
//! is not the success the call needs.

use std::time::Duration;

use serde_json::Value;

use crate::result::Response;
use crate::suite::ledger::LedgerError;
use crate::suite::transport::target::TargetError;

/// How much of a refusing answer's body an error keeps.
const BODY_EXCERPT: usize = 300;

/// Why a call to the vendor failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum VendorError {
    /// No answer.
    #[error(transparent)]
    Transport(#[from] TargetError),
    /// The ledger kept the request in.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The target answered, but not with success.
    #[error("{step}: the target answered {status}: {body}")]
    Refused {
        /// What was being done.
        step: &'static str,
        /// The HTTP status.
        status: u16,
        /// The body, shortened.
        body: String,
    },
    /// A success answer without what the suite needs from it.
    #[error("{step}: {reason}")]
    Malformed {
        /// What was being done.
        step: &'static str,
        /// What was missing.
        reason: String,
    },
    /// What a destructive request names is not the run's: a read showed it without the
    /// run's marker.
    #[error(
        "the target answered {origin} with {id}, which this run did not create ({reason}); not deleted"
    )]
    NotOwned {
        /// The id.
        id: String,
        /// The answer that handed it out.
        origin: &'static str,
        /// What the read showed.
        reason: String,
    },
    /// Whether what a destructive request names is the run's could not be read.
    #[error("could not prove that {id} is this run's ({reason}); not deleted")]
    Unproven {
        /// The id.
        id: String,
        /// Why.
        reason: String,
    },
    /// getResults still answered `waiting` when the wait was up.
    #[error("batch {batch} was not processed within {}s (getResults still answers \"waiting\")", waited.as_secs())]
    NotProcessed {
        /// The batch.
        batch: String,
        /// How long the run waited.
        waited: Duration,
    },
}

pub(super) fn refused(step: &'static str, response: &Response) -> VendorError {
    let mut body: String = response.text.chars().take(BODY_EXCERPT).collect();
    if body.len() < response.text.len() {
        body.push('…');
    }
    VendorError::Refused {
        step,
        status: response.status,
        body,
    }
}

pub(super) fn success_json(step: &'static str, response: Response) -> Result<Value, VendorError> {
    if !response.is_success() {
        return Err(refused(step, &response));
    }
    response.json.ok_or_else(|| VendorError::Malformed {
        step,
        reason: "the answer is not JSON".to_owned(),
    })
}

pub(super) fn string_field<'a>(
    step: &'static str,
    value: &'a Value,
    field: &str,
) -> Result<&'a str, VendorError> {
    value
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| VendorError::Malformed {
            step,
            reason: format!("the answer has no string `{field}`"),
        })
}
