//! The checks: each compares one aspect of an [`Observation`] with the case, and every
//! violation becomes a [`Failure`] value; nothing stops at the first one.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use crate::case::Case;
use crate::drift::ChangeClass;
use crate::fixtures::Fixture;
use crate::observation::Observation;
use crate::schema::SchemaSet;

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

/// One violation of the contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Failure {
    /// The aspect.
    pub kind: FailureKind,
    /// What was expected and what came, in a sentence.
    pub message: String,
    /// For a drift: breaking or additive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<ChangeClass>,
}

impl Failure {
    /// A failure of `kind`.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            change: None,
        }
    }

    /// A drift from the baseline.
    pub fn drift(class: ChangeClass, message: impl Into<String>) -> Self {
        Failure {
            change: Some(class),
            ..Failure::new(FailureKind::Drift, message)
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.change {
            Some(class) => write!(f, "{} ({class}): {}", self.kind, self.message),
            None => write!(f, "{}: {}", self.kind, self.message),
        }
    }
}

/// Runs every check of `case` on `observation`.
pub fn check(case: &Case, fixture: &Fixture, observation: &Observation) -> Vec<Failure> {
    let mut failures = Vec::new();
    failures.extend(check_earlier(observation));
    failures.extend(check_status(case, observation));
    failures.extend(check_content_type(case, observation));
    failures.extend(check_schema(case, observation));
    failures.extend(check_body(case, observation));
    failures.extend(check_effect(case, fixture, observation));
    failures
}

fn check_earlier(observation: &Observation) -> Vec<Failure> {
    let total = observation.earlier.len() + 1;
    observation
        .earlier
        .iter()
        .enumerate()
        .filter(|(_, status)| !(200..300).contains(*status))
        .map(|(n, status)| {
            Failure::new(
                FailureKind::Status,
                format!(
                    "request {} of {total} answered {status}, expected a 2xx",
                    n + 1
                ),
            )
        })
        .collect()
}

fn check_status(case: &Case, observation: &Observation) -> Option<Failure> {
    let actual = observation.response.status;
    let expected = &case.expect.status;
    if expected.iter().any(|pattern| pattern.matches(actual)) {
        return None;
    }
    let listed: Vec<String> = expected.iter().map(ToString::to_string).collect();
    Some(Failure::new(
        FailureKind::Status,
        format!("expected {}, got {actual}", listed.join(" or ")),
    ))
}

/// The media type of a `Content-Type` value, lowercased, without parameters.
fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn check_content_type(case: &Case, observation: &Observation) -> Option<Failure> {
    let expected = media_type(&case.expect.content_type);
    match &observation.response.content_type {
        Some(actual) if media_type(actual) == expected => None,
        Some(actual) => Some(Failure::new(
            FailureKind::ContentType,
            format!("expected {expected}, got {actual}"),
        )),
        None => Some(Failure::new(
            FailureKind::ContentType,
            format!("expected {expected}, got no Content-Type header"),
        )),
    }
}

fn excerpt(text: &str) -> String {
    let mut excerpt: String = text.chars().take(80).collect();
    if excerpt.len() < text.len() {
        excerpt.push('…');
    }
    excerpt
}

fn check_schema(case: &Case, observation: &Observation) -> Vec<Failure> {
    let Some(body) = &observation.response.json else {
        return vec![Failure::new(
            FailureKind::Schema,
            format!(
                "the body is not JSON: {:?}",
                excerpt(&observation.response.text)
            ),
        )];
    };
    let violations = SchemaSet::global()
        .map_err(ToString::to_string)
        .and_then(|set| {
            set.check(&case.expect.schema, body)
                .map_err(|e| e.to_string())
        });
    match violations {
        Ok(violations) => violations
            .into_iter()
            .map(|v| Failure::new(FailureKind::Schema, format!("{} ({v})", case.expect.schema)))
            .collect(),
        Err(error) => vec![Failure::new(FailureKind::Schema, error)],
    }
}

fn check_body(case: &Case, observation: &Observation) -> Vec<Failure> {
    let Some(body) = observation.response.json.as_ref() else {
        return Vec::new();
    };
    let mut failures: Vec<Failure> = case
        .expect
        .body
        .iter()
        .filter_map(|(field, expected)| match body.get(field) {
            Some(actual) if actual == expected => None,
            Some(actual) => Some(format!("`{field}`: expected {expected}, got {actual}")),
            None => Some(format!(
                "`{field}`: expected {expected}, the field is missing"
            )),
        })
        .map(|message| Failure::new(FailureKind::Body, message))
        .collect();
    // The {status, message} replies say in the body what the HTTP status says.
    if case.expect.schema == "status.response" {
        failures.extend(
            status_agreement(observation.response.status, body)
                .map(|m| Failure::new(FailureKind::Body, m)),
        );
    }
    failures
}

/// Why a `{status, message}` body contradicts its HTTP status, if it does: a 2xx must say
/// `"success"`, a 4xx/5xx `"error"` (the docs' 400 example says "success": a documentation bug).
pub fn status_agreement(status: u16, body: &Value) -> Option<String> {
    let says = body.get("status").and_then(Value::as_str)?;
    let must_say = if status < 300 { "success" } else { "error" };
    (says != must_say)
        .then(|| format!("a {status} answer says `status` \"{says}\", it must say \"{must_say}\""))
}

fn check_effect(case: &Case, fixture: &Fixture, observation: &Observation) -> Vec<Failure> {
    let mut failures = Vec::new();
    for (batch, files) in observation.batches.iter().enumerate() {
        if let Err(reason) = files {
            failures.push(Failure::new(
                FailureKind::Effect,
                format!("batch {batch} could not be read back: {reason}"),
            ));
        }
    }
    let status = observation.response.status;
    // A repeated request may have deleted on an earlier success even if the last one refused.
    let any_success =
        observation.succeeded() || observation.earlier.iter().any(|s| (200..300).contains(s));
    for (n, (batch, id)) in fixture.files.iter().enumerate() {
        let Some(Ok(remaining)) = observation.batches.get(*batch) else {
            continue;
        };
        let gone = !remaining.contains(id);
        let named = case.expect.deleted.contains(&n);
        let open = case.expect.may_delete.contains(&n);
        let message = if gone && !any_success {
            format!(
                "file {n} (batch {batch}) was deleted, but the answer was {status}: a refused request must delete nothing"
            )
        } else if gone && !named && !open {
            format!(
                "file {n} (batch {batch}) was deleted, but the request did not name it for deletion"
            )
        } else if any_success && named && !gone {
            format!("file {n} (batch {batch}) must be gone, it is still listed")
        } else {
            continue;
        };
        failures.push(Failure::new(FailureKind::Effect, message));
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Response;
    use serde_json::json;
    use std::path::Path;

    fn case(expect: &str) -> Case {
        let text = format!(
            r#"{{"description": "d", "fixture": {{"batches": [2, 1]}},
               "request": {{"method": "DELETE", "path": "/documentClassification/deleteFiles"}},
               "expect": {expect}}}"#
        );
        Case::parse(Path::new("t.json"), &text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn fixture() -> Fixture {
        Fixture {
            classification_id: "c".into(),
            batch_ids: vec!["b0".into(), "b1".into()],
            files: vec![(0, "f0".into()), (0, "f1".into()), (1, "f2".into())],
        }
    }

    fn observe(status: u16, body: Value, batches: [&[&str]; 2]) -> Observation {
        Observation {
            earlier: vec![],
            response: Response {
                status,
                content_type: Some("application/json; charset=utf-8".into()),
                text: body.to_string(),
                json: Some(body),
            },
            batches: batches
                .iter()
                .map(|ids| Ok(ids.iter().map(|s| (*s).to_owned()).collect()))
                .collect(),
        }
    }

    fn kinds(failures: &[Failure]) -> Vec<FailureKind> {
        failures.iter().map(|f| f.kind).collect()
    }

    const DELETE_ONE: &str = r#"{"status": 200, "body": {"status": "success", "message": "Files deleted"}, "deleted": [0]}"#;

    #[test]
    fn a_conforming_delete_passes_every_check() {
        let observation = observe(
            200,
            json!({"status": "success", "message": "Files deleted"}),
            [&["f1"], &["f2"]],
        );
        assert_eq!(check(&case(DELETE_ONE), &fixture(), &observation), vec![]);
    }

    #[test]
    fn a_400_that_says_success_fails_the_body_check() {
        let observation = observe(
            400,
            json!({"status": "success", "message": "Files deleted"}),
            [&["f0", "f1"], &["f2"]],
        );
        let failures = check(&case(r#"{"status": "4xx"}"#), &fixture(), &observation);
        assert_eq!(kinds(&failures), [FailureKind::Body], "{failures:?}");
    }

    #[test]
    fn a_success_that_deleted_nothing_fails_the_effect_check() {
        let observation = observe(
            200,
            json!({"status": "success", "message": "Files deleted"}),
            [&["f0", "f1"], &["f2"]],
        );
        let failures = check(&case(DELETE_ONE), &fixture(), &observation);
        assert_eq!(kinds(&failures), [FailureKind::Effect]);
        assert!(failures[0].message.contains("must be gone"));
    }

    #[test]
    fn deleting_the_whole_batch_or_another_batch_fails_the_effect_check() {
        let observation = observe(
            200,
            json!({"status": "success", "message": "Files deleted"}),
            [&[], &[]],
        );
        let failures = check(&case(DELETE_ONE), &fixture(), &observation);
        assert_eq!(kinds(&failures), [FailureKind::Effect, FailureKind::Effect]);
    }

    #[test]
    fn a_refusal_that_deleted_something_fails_the_effect_check() {
        let observation = observe(
            404,
            json!({"status": "error", "message": "x"}),
            [&["f1"], &["f2"]],
        );
        let failures = check(&case(r#"{"status": "4xx"}"#), &fixture(), &observation);
        assert_eq!(kinds(&failures), [FailureKind::Effect]);
    }

    #[test]
    fn text_plain_fails_content_type_and_schema() {
        let mut observation = observe(200, json!({}), [&["f1"], &["f2"]]);
        observation.response.content_type = Some("text/plain".into());
        observation.response.json = None;
        observation.response.text = "Files deleted".into();
        let failures = check(&case(DELETE_ONE), &fixture(), &observation);
        assert_eq!(
            kinds(&failures),
            [FailureKind::ContentType, FailureKind::Schema]
        );
    }

    #[test]
    fn a_renamed_message_fails_schema_and_body() {
        let observation = observe(
            200,
            json!({"status": "success", "msg": "Files deleted"}),
            [&["f1"], &["f2"]],
        );
        let failures = check(&case(DELETE_ONE), &fixture(), &observation);
        assert_eq!(kinds(&failures), [FailureKind::Schema, FailureKind::Body]);
    }

    #[test]
    fn an_unexpected_status_names_both() {
        let observation = observe(
            500,
            json!({"status": "error", "message": "Internal server error"}),
            [&["f0", "f1"], &["f2"]],
        );
        let failures = check(
            &case(r#"{"status": [200, "4xx"]}"#),
            &fixture(),
            &observation,
        );
        assert_eq!(failures[0].message, "expected 200 or 4xx, got 500");
    }

    #[test]
    fn an_earlier_refusal_of_a_repeated_request_is_a_status_failure() {
        let mut observation = observe(
            200,
            json!({"status": "success", "message": "Files deleted"}),
            [&["f1"], &["f2"]],
        );
        observation.earlier = vec![404];
        let failures = check(&case(DELETE_ONE), &fixture(), &observation);
        assert_eq!(
            failures[0].message,
            "request 1 of 2 answered 404, expected a 2xx"
        );
    }
}
