//! The checks: each compares one aspect of an [`Observation`] with the case, and every
//! violation becomes a [`Failure`] value; nothing stops at the first one.

use serde_json::Value;

use super::media;
use crate::contract::case::{Case, StatusPattern};
use crate::contract::endpoint::STATUS_SCHEMA;
use crate::contract::schema::SchemaSet;
use crate::contract::status::expected_word;
use crate::result::{BatchRead, EffectProblem, Failure, FileRef, Observation};
use crate::suite::fixture::Fixture;

/// How much of a body that is not JSON a failure quotes.
const EXCERPT_CHARS: usize = 80;

/// Runs every check of `case` on `observation`.
pub fn check(case: &Case, fixture: &Fixture, observation: &Observation) -> Vec<Failure> {
    let mut failures = Vec::new();
    failures.extend(check_earlier(observation));
    failures.extend(check_status(case, observation));
    failures.extend(check_content_type(case, observation));
    let schema = response_schema(case, observation);
    failures.extend(check_schema(&schema, observation));
    failures.extend(check_body(case, fixture, &schema, observation));
    failures.extend(check_effect(case, fixture, observation));
    failures
}

/// The schema the answer must satisfy: the case's, or the endpoint's reply schema for a 2xx
/// and the error shape for anything else.
fn response_schema(case: &Case, observation: &Observation) -> String {
    if let Some(schema) = &case.expect.schema {
        return schema.clone();
    }
    match case.request.endpoint() {
        Some(endpoint) if observation.response.is_success() => {
            endpoint.response_schema().to_owned()
        }
        _ => STATUS_SCHEMA.to_owned(),
    }
}

fn check_earlier(observation: &Observation) -> Vec<Failure> {
    let of = observation.earlier.len() + 1;
    observation
        .earlier
        .iter()
        .enumerate()
        .filter(|(_, status)| !(200..300).contains(*status))
        .map(|(n, status)| Failure::EarlierStatus {
            request: n + 1,
            of,
            actual: *status,
        })
        .collect()
}

fn check_status(case: &Case, observation: &Observation) -> Option<Failure> {
    let actual = observation.response.status;
    let expected = &case.expect.status;
    if expected.iter().any(|pattern| pattern.matches(actual)) {
        return None;
    }
    // A single exact status that the vendor's page shows for this endpoint is the documented
    // one, and the failure says so.
    let documented = match (case.request.endpoint(), expected.as_slice()) {
        (Some(endpoint), [StatusPattern::Exact(code)])
            if endpoint.documented_statuses().contains(code) =>
        {
            Some(*code)
        }
        _ => None,
    };
    Some(Failure::Status {
        expected: expected.clone(),
        actual,
        documented,
    })
}

/// The answer's media type must be the case's: compared as media types (a JSON answer may say
/// `charset=utf-8`, and no other charset).
fn check_content_type(case: &Case, observation: &Observation) -> Option<Failure> {
    let expected = media::essence(&case.expect.content_type);
    match &observation.response.content_type {
        Some(actual) if media::conforms(actual, &expected) => None,
        actual => Some(Failure::ContentType {
            expected,
            actual: actual.clone(),
        }),
    }
}

fn excerpt(text: &str) -> String {
    let mut excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
    if excerpt.len() < text.len() {
        excerpt.push('…');
    }
    excerpt
}

fn check_schema(schema: &str, observation: &Observation) -> Vec<Failure> {
    let Some(body) = &observation.response.json else {
        return vec![Failure::NotJson {
            excerpt: excerpt(&observation.response.text),
        }];
    };
    let violations = SchemaSet::global()
        .check(schema, body)
        .map_err(|e| e.to_string());
    match violations {
        Ok(violations) => violations
            .into_iter()
            .map(|violation| Failure::Schema {
                schema: schema.to_owned(),
                violation,
            })
            .collect(),
        Err(reason) => vec![Failure::Setup { reason }],
    }
}

fn check_body(
    case: &Case,
    fixture: &Fixture,
    schema: &str,
    observation: &Observation,
) -> Vec<Failure> {
    let Some(body) = observation.response.json.as_ref() else {
        return Vec::new();
    };
    let mut failures: Vec<Failure> = case
        .expect
        .body
        .iter()
        .map(|(field, expected)| (field, fixture.fill_json(expected)))
        .filter(|(field, expected)| body.get(field.as_str()) != Some(expected))
        .map(|(field, expected)| Failure::BodyField {
            field: field.clone(),
            expected,
            actual: body.get(field.as_str()).cloned(),
        })
        .collect();
    // The {status, message} replies say in the body what the HTTP status says.
    if schema == STATUS_SCHEMA {
        let status = observation.response.status;
        let must_say = expected_word(status);
        if let Some(says) = body.get("status").and_then(Value::as_str) {
            if says != must_say {
                failures.push(Failure::StatusWord {
                    status,
                    says: says.to_owned(),
                    must_say,
                });
            }
        }
    }
    failures
}

/// Whether a shared fixture is as it was provisioned: every batch there, every file in it,
/// no file added.
pub fn intact(fixture: &Fixture, batches: &[BatchRead]) -> bool {
    batches.len() == fixture.batches.len()
        && batches.iter().enumerate().all(|(batch, read)| {
            let expected: Vec<&String> = fixture
                .files
                .iter()
                .filter(|(b, _)| *b == batch)
                .map(|(_, id)| id)
                .collect();
            read.files().is_some_and(|ids| {
                ids.len() == expected.len() && expected.iter().all(|id| ids.contains(id))
            })
        })
}

/// What the request did to the data, against what the case allows: the named files gone
/// (after a success), every other file and batch still there, no file added that the case
/// does not expect, and after a refusal, nothing changed at all.
pub fn check_effect(case: &Case, fixture: &Fixture, observation: &Observation) -> Vec<Failure> {
    let mut failures = Vec::new();
    let status = observation.response.status;
    // A repeated request may have deleted on an earlier success even if the last one refused.
    let any_success = observation.any_success();
    for (batch, read) in observation.batches.iter().enumerate() {
        let id = fixture
            .batches
            .get(batch)
            .map(|b| b.id.clone())
            .unwrap_or_default();
        let must_go = any_success && case.expect.deleted_batches.contains(&batch);
        // A batch whose every file the request deleted may go with its last file.
        let emptied = any_success
            && fixture
                .files
                .iter()
                .enumerate()
                .filter(|(_, (b, _))| *b == batch)
                .all(|(n, _)| {
                    case.expect.deleted.contains(&n) || case.expect.may_delete.contains(&n)
                });
        match read {
            BatchRead::Unreadable(reason) => failures.push(Failure::Unreadable {
                batch,
                reason: reason.clone(),
            }),
            BatchRead::Interrupted => failures.push(Failure::Interrupted),
            BatchRead::Gone { .. } if !must_go && !emptied => {
                failures.push(Failure::BatchGone { batch, id });
            }
            read if must_go && !read.is_gone() => {
                failures.push(Failure::BatchRemains { batch, id });
            }
            _ => {}
        }
        if let Some(ids) = read.files() {
            let new: Vec<String> = ids
                .iter()
                .filter(|id| !fixture.files.iter().any(|(_, own)| own == *id))
                .cloned()
                .collect();
            let expected = if any_success {
                case.expect.added.get(batch).copied().unwrap_or(0)
            } else {
                0
            };
            if new.len() != expected {
                failures.push(Failure::Added {
                    batch,
                    expected,
                    ids: new,
                });
            }
        }
    }
    for (index, (batch, id)) in fixture.files.iter().enumerate() {
        let Some(read) = observation.batches.get(*batch) else {
            continue;
        };
        let batch_deleted = any_success && case.expect.deleted_batches.contains(batch);
        let gone = match read {
            BatchRead::Unreadable(_) | BatchRead::Interrupted => continue,
            // A batch that is gone is reported once, not file by file.
            BatchRead::Gone { .. } => continue,
            BatchRead::Listed(ids) => !ids.contains(id),
        };
        if batch_deleted {
            continue;
        }
        let named = case.expect.deleted.contains(&index);
        let open = case.expect.may_delete.contains(&index);
        let problem = if gone && !any_success {
            EffectProblem::DeletedByRefusal { status }
        } else if gone && !named && !open {
            EffectProblem::DeletedUnnamed
        } else if any_success && named && !gone {
            EffectProblem::NotDeleted
        } else {
            continue;
        };
        failures.push(Failure::Effect {
            file: FileRef {
                index,
                batch: *batch,
                id: id.clone(),
            },
            problem,
        });
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{FailureKind, Response};
    use crate::suite::fixture::FixtureBatch;
    use serde_json::json;
    use std::path::Path;

    fn case(expect: &str) -> Case {
        let text = format!(
            r#"{{"description": "d", "fixture": {{"batches": [2, 1]}},
               "request": {{"method": "DELETE", "path": "/documentClassification/deleteFiles"}},
               "expect": {expect}}}"#
        );
        Case::parse(Path::new("t.json"), "t", &text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn fixture() -> Fixture {
        Fixture {
            classification_ids: vec!["c".into()],
            batches: ["b0", "b1"]
                .iter()
                .map(|id| FixtureBatch {
                    classification: 0,
                    id: (*id).to_owned(),
                })
                .collect(),
            files: vec![(0, "f0".into()), (0, "f1".into()), (1, "f2".into())],
            marker: None,
        }
    }

    fn observe(status: u16, body: Value, batches: [&[&str]; 2]) -> Observation {
        Observation::new(
            vec![],
            Response::new(
                status,
                Some("application/json; charset=utf-8".into()),
                body.to_string(),
            ),
            batches
                .iter()
                .map(|ids| BatchRead::Listed(ids.iter().map(|s| (*s).to_owned()).collect()))
                .collect(),
        )
    }

    fn kinds(failures: &[Failure]) -> Vec<FailureKind> {
        failures.iter().map(Failure::kind).collect()
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
        assert!(failures[0].message().contains("must be gone"));
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
    fn a_refusal_that_deleted_a_file_the_case_lets_a_success_delete_still_fails() {
        // `mayDelete` leaves a file open to a success (a partly unknown list may be deleted in
        // part); a refusal must change nothing, that file included.
        let observation = observe(
            400,
            json!({"status": "error", "message": "x"}),
            [&["f1"], &["f2"]],
        );
        let expect = r#"{"status": "4xx", "mayDelete": [0]}"#;
        let failures = check(&case(expect), &fixture(), &observation);
        assert_eq!(kinds(&failures), [FailureKind::Effect], "{failures:?}");
        assert!(
            failures[0].message().contains("refused"),
            "{}",
            failures[0].message()
        );
        let accepted = observe(
            200,
            json!({"status": "success", "message": "Files deleted"}),
            [&["f1"], &["f2"]],
        );
        let expect = r#"{"status": [200, 400], "mayDelete": [0]}"#;
        assert_eq!(check(&case(expect), &fixture(), &accepted), vec![]);
    }

    #[test]
    fn json_may_say_utf8_and_no_other_charset() {
        let body = json!({"status": "success", "message": "Files deleted"});
        for (content_type, passes) in [
            ("application/json", true),
            ("Application/JSON;charset=UTF-8", true),
            ("application/json; charset=iso-8859-1", false),
            ("application/problem+json", false),
        ] {
            let mut observation = observe(200, body.clone(), [&["f1"], &["f2"]]);
            observation.response.content_type = Some(content_type.into());
            let failures = check(&case(DELETE_ONE), &fixture(), &observation);
            assert_eq!(failures.is_empty(), passes, "{content_type}: {failures:?}");
        }
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
        assert_eq!(failures[0].message(), "expected 200 or 4xx, got 500");
    }

    #[test]
    fn an_exact_status_the_page_does_not_show_is_not_called_documented() {
        let observation = observe(
            400,
            json!({"status": "error", "message": "Bad request"}),
            [&["f0", "f1"], &["f2"]],
        );
        let failures = check(&case(r#"{"status": 404}"#), &fixture(), &observation);
        assert_eq!(
            failures[0],
            Failure::Status {
                expected: vec![StatusPattern::Exact(404)],
                actual: 400,
                documented: None,
            }
        );
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
            failures[0].message(),
            "request 1 of 2 answered 404, expected a 2xx"
        );
    }

    #[test]
    fn a_documented_status_says_so_when_another_came() {
        let observation = observe(
            422,
            json!({"status": "error", "message": "x"}),
            [&["f0", "f1"], &["f2"]],
        );
        let failures = check(&case(r#"{"status": 400}"#), &fixture(), &observation);
        assert_eq!(
            failures[0].message(),
            "expected 400, got 422 (the vendor's page documents 400 for this)"
        );
    }

    #[test]
    fn a_refusal_that_adds_a_file_to_a_batch_fails_the_effect_check() {
        let observation = observe(
            403,
            json!({"status": "error", "message": "x"}),
            [&["f0", "f1", "intruder"], &["f2"]],
        );
        let failures = check(&case(r#"{"status": "4xx"}"#), &fixture(), &observation);
        assert_eq!(
            failures,
            vec![Failure::Added {
                batch: 0,
                expected: 0,
                ids: vec!["intruder".to_owned()]
            }]
        );
    }

    #[test]
    fn a_batch_refused_on_read_back_is_gone_and_must_not_be() {
        let mut observation = observe(
            404,
            json!({"status": "error", "message": "x"}),
            [&["f0", "f1"], &["f2"]],
        );
        observation.batches[1] = BatchRead::Gone { status: 404 };
        let failures = check(&case(r#"{"status": "4xx"}"#), &fixture(), &observation);
        assert_eq!(
            failures,
            vec![Failure::BatchGone {
                batch: 1,
                id: "b1".to_owned()
            }]
        );
    }

    #[test]
    fn a_batch_the_case_deletes_must_be_gone_and_the_others_remain() {
        let deletes_batch = r#"{"status": 200, "deletedBatches": [1]}"#;
        let mut observation = observe(
            200,
            json!({"status": "success", "message": "Batch deleted"}),
            [&["f0", "f1"], &["f2"]],
        );
        let failures = check(&case(deletes_batch), &fixture(), &observation);
        assert_eq!(
            failures,
            vec![Failure::BatchRemains {
                batch: 1,
                id: "b1".to_owned()
            }]
        );
        observation.batches[1] = BatchRead::Gone { status: 404 };
        assert_eq!(
            check(&case(deletes_batch), &fixture(), &observation),
            vec![]
        );
    }

    #[test]
    fn a_vendor_may_drop_a_batch_whose_every_file_was_deleted() {
        let mut observation = observe(
            200,
            json!({"status": "success", "message": "Files deleted"}),
            [&["f0", "f1"], &[]],
        );
        observation.batches[1] = BatchRead::Gone { status: 404 };
        let deletes_all = r#"{"status": 200, "deleted": [2]}"#;
        assert_eq!(check(&case(deletes_all), &fixture(), &observation), vec![]);
    }

    #[test]
    fn a_body_that_is_not_json_is_quoted_up_to_80_characters() {
        let short = "<html>oops</html>";
        assert_eq!(excerpt(short), short);
        let exact = "x".repeat(EXCERPT_CHARS);
        assert_eq!(excerpt(&exact), exact);
        let long = "é".repeat(100);
        assert_eq!(excerpt(&long), format!("{}…", "é".repeat(EXCERPT_CHARS)));
    }

    #[test]
    fn a_shared_fixture_is_intact_with_every_batch_and_file_and_nothing_more() {
        let fixture = fixture();
        let listed =
            |ids: &[&str]| BatchRead::Listed(ids.iter().map(|s| (*s).to_owned()).collect());
        assert!(intact(&fixture, &[listed(&["f1", "f0"]), listed(&["f2"])]));
        let broken = [
            ("a file gone", vec![listed(&["f0"]), listed(&["f2"])]),
            (
                "a file swapped",
                vec![listed(&["f0", "f9"]), listed(&["f2"])],
            ),
            (
                "a file added",
                vec![listed(&["f0", "f1", "f9"]), listed(&["f2"])],
            ),
            (
                "a file moved",
                vec![listed(&["f0", "f1", "f2"]), listed(&[])],
            ),
            ("a batch missing", vec![listed(&["f0", "f1"])]),
            (
                "a batch gone",
                vec![listed(&["f0", "f1"]), BatchRead::Gone { status: 404 }],
            ),
        ];
        for (what, batches) in broken {
            assert!(!intact(&fixture, &batches), "{what}");
        }
    }

    #[test]
    fn a_success_that_took_a_batch_it_did_not_empty_fails() {
        let mut observation = observe(
            200,
            json!({"status": "success", "message": "Files deleted"}),
            [&[], &["f2"]],
        );
        observation.batches[0] = BatchRead::Gone { status: 404 };
        let failures = check(&case(DELETE_ONE), &fixture(), &observation);
        assert_eq!(
            failures,
            vec![Failure::BatchGone {
                batch: 0,
                id: "b0".to_owned()
            }]
        );
    }

    #[test]
    fn a_batch_that_could_not_be_read_back_fails_and_says_why() {
        let mut observation = observe(
            200,
            json!({"status": "success", "message": "Files deleted"}),
            [&[], &["f2"]],
        );
        observation.batches[0] = BatchRead::Unreadable("timed out".to_owned());
        let failures = check(&case(DELETE_ONE), &fixture(), &observation);
        assert_eq!(
            failures,
            vec![Failure::Unreadable {
                batch: 0,
                reason: "timed out".to_owned()
            }]
        );
    }
}
