//! What must hold of every request the explorer sends, whatever it is: the invariant a
//! failure breaks, one name for each class of bug. What a request must expect is the
//! oracle's (`oracle`).
//!
//! Every answer is JSON, every 2xx in its endpoint's schema, every refusal in the error
//! shape, and never a 5xx; a credential other than an account's exact key is refused and
//! changes nothing; another account's key changes nothing of this one's.

use std::fmt;

use crate::contract::case::Auth;
use crate::contract::endpoint::Endpoint;
use crate::result::{Failure, FailureKind, Response};

/// An invariant a finding breaks: a class of bug, one name each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Invariant {
    /// No complete answer.
    Transport,
    /// A 5xx.
    ServerError,
    /// A credential other than an account's exact key was not refused, or changed something.
    Credential,
    /// The other account's key was not refused where it must be, or changed something.
    Tenant,
    /// An answer that is not JSON (or does not say so).
    NotJson,
    /// A status other than the one the vendor's page documents.
    DocumentedStatus,
    /// A status the contract does not allow.
    Status,
    /// A request changed what it must not, or did not do what it said it did.
    Effect,
    /// A refusal outside the `{status, message}` error shape.
    ErrorShape,
    /// A 2xx outside its endpoint's schema.
    SuccessSchema,
}

impl Invariant {
    /// The name a finding carries: `explore/<name>/<n>`.
    pub fn name(self) -> &'static str {
        match self {
            Invariant::Transport => "transport",
            Invariant::ServerError => "server-error",
            Invariant::Credential => "credential",
            Invariant::Tenant => "tenant",
            Invariant::NotJson => "not-json",
            Invariant::DocumentedStatus => "documented-status",
            Invariant::Status => "status",
            Invariant::Effect => "effect",
            Invariant::ErrorShape => "error-shape",
            Invariant::SuccessSchema => "success-schema",
        }
    }

    /// What must hold, as a sentence.
    pub fn rule(self) -> &'static str {
        match self {
            Invariant::Transport => "every request gets a complete answer",
            Invariant::ServerError => "no request gets a 5xx",
            Invariant::Credential => {
                "a credential other than an account's exact key is refused and changes nothing"
            }
            Invariant::Tenant => "another account's key changes nothing of this account's",
            Invariant::NotJson => "every answer is JSON where the docs promise JSON",
            Invariant::DocumentedStatus => "the status is the one the vendor's page documents",
            Invariant::Status => "the status is one the contract allows",
            Invariant::Effect => {
                "a refused request changes nothing; a delete removes exactly what it named and the account held"
            }
            Invariant::ErrorShape => "every refusal has the {status, message} error shape",
            Invariant::SuccessSchema => "every 2xx answer has its endpoint's schema",
        }
    }

    /// The invariant `failures` of a request to `endpoint` with `auth`, answered `response`,
    /// break first.
    pub fn of(
        endpoint: Endpoint,
        auth: Auth,
        response: Option<&Response>,
        failures: &[Failure],
    ) -> Invariant {
        let has = |kind: FailureKind| failures.iter().any(|f| f.kind() == kind);
        let status = response.map(|r| r.status);
        if has(FailureKind::Transport) {
            return Invariant::Transport;
        }
        if status.is_some_and(|s| s >= 500) {
            return Invariant::ServerError;
        }
        let accepted_or_acted = has(FailureKind::Status) || has(FailureKind::Effect);
        if !auth.is_key() && accepted_or_acted {
            return Invariant::Credential;
        }
        // Another account's key: a change to this account's data, or a read of it answered.
        let disclosed = !endpoint.is_destructive()
            && endpoint != Endpoint::CreateClassification
            && status.is_some_and(|s| (200..300).contains(&s));
        if auth == Auth::Other
            && (has(FailureKind::Effect) || (disclosed && has(FailureKind::Status)))
        {
            return Invariant::Tenant;
        }
        if has(FailureKind::ContentType)
            || failures
                .iter()
                .any(|f| matches!(f, Failure::NotJson { .. }))
        {
            return Invariant::NotJson;
        }
        if failures.iter().any(|f| {
            matches!(
                f,
                Failure::Status {
                    documented: Some(_),
                    ..
                }
            )
        }) {
            return Invariant::DocumentedStatus;
        }
        if has(FailureKind::Status) {
            return Invariant::Status;
        }
        if has(FailureKind::Effect) || has(FailureKind::Setup) {
            return Invariant::Effect;
        }
        if status.is_some_and(|s| (200..300).contains(&s)) {
            Invariant::SuccessSchema
        } else {
            Invariant::ErrorShape
        }
    }
}

impl fmt::Display for Invariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::case::StatusPattern;

    const REFUSED: StatusPattern = StatusPattern::Class(4);

    #[test]
    fn a_5xx_outranks_every_other_failure_and_a_near_miss_accepted_is_a_credential_bug() {
        let status = Failure::Status {
            expected: vec![REFUSED],
            actual: 200,
            documented: None,
        };
        let ok = Response::new(200, None, String::new());
        let crash = Response::new(500, None, String::new());
        let of = |endpoint, auth, response| {
            Invariant::of(
                endpoint,
                auth,
                Some(response),
                std::slice::from_ref(&status),
            )
        };
        assert_eq!(
            of(Endpoint::DeleteFiles, Auth::KeyFirstHalf, &ok),
            Invariant::Credential
        );
        // Another account's key reading this account's data is a tenant bug; the same key
        // getting a no-op 200 for a body it should have been refused is a status bug.
        assert_eq!(
            of(Endpoint::GetResults, Auth::Other, &ok),
            Invariant::Tenant
        );
        assert_eq!(
            of(Endpoint::DeleteBatch, Auth::Other, &ok),
            Invariant::Status
        );
        assert_eq!(
            of(Endpoint::DeleteFiles, Auth::Valid, &crash),
            Invariant::ServerError
        );
    }

    const EVERY: [Invariant; 10] = [
        Invariant::Transport,
        Invariant::ServerError,
        Invariant::Credential,
        Invariant::Tenant,
        Invariant::NotJson,
        Invariant::DocumentedStatus,
        Invariant::Status,
        Invariant::Effect,
        Invariant::ErrorShape,
        Invariant::SuccessSchema,
    ];

    #[test]
    fn each_invariant_has_a_name_and_a_rule_of_its_own() {
        let names: std::collections::BTreeSet<&str> = EVERY.iter().map(|i| i.name()).collect();
        let rules: std::collections::BTreeSet<&str> = EVERY.iter().map(|i| i.rule()).collect();
        assert_eq!(names.len(), EVERY.len());
        assert_eq!(rules.len(), EVERY.len());
        assert!(rules.iter().all(|r| r.len() > 20), "{rules:?}");
        assert_eq!(Invariant::ServerError.rule(), "no request gets a 5xx");
        assert_eq!(Invariant::NotJson.to_string(), "not-json");
    }

    #[test]
    fn each_failure_alone_breaks_the_invariant_of_its_class() {
        let of = |status: Option<u16>, failure: Failure| {
            let response = status.map(|s| Response::new(s, None, String::new()));
            Invariant::of(
                Endpoint::DeleteFiles,
                Auth::Valid,
                response.as_ref(),
                &[failure],
            )
        };
        let transport = Failure::Transport {
            cause: "reset".to_owned(),
        };
        assert_eq!(of(None, transport), Invariant::Transport);
        let content_type = Failure::ContentType {
            expected: "application/json".to_owned(),
            actual: Some("text/html".to_owned()),
        };
        assert_eq!(of(Some(200), content_type), Invariant::NotJson);
        let not_json = Failure::NotJson {
            excerpt: "<html>".to_owned(),
        };
        assert_eq!(of(Some(400), not_json), Invariant::NotJson);
        let documented = Failure::Status {
            expected: vec![StatusPattern::Exact(400)],
            actual: 422,
            documented: Some(400),
        };
        assert_eq!(of(Some(422), documented), Invariant::DocumentedStatus);
        let allowed = Failure::Status {
            expected: vec![REFUSED],
            actual: 200,
            documented: None,
        };
        assert_eq!(of(Some(200), allowed), Invariant::Status);
        let gone = Failure::BatchGone {
            batch: 1,
            id: "b".to_owned(),
        };
        assert_eq!(of(Some(200), gone), Invariant::Effect);
        let setup = Failure::Setup {
            reason: "the upload was refused".to_owned(),
        };
        assert_eq!(of(Some(200), setup), Invariant::Effect);
        let field = || Failure::BodyField {
            field: "status".to_owned(),
            expected: serde_json::json!("error"),
            actual: None,
        };
        assert_eq!(of(Some(200), field()), Invariant::SuccessSchema);
        assert_eq!(of(Some(404), field()), Invariant::ErrorShape);
    }
}
