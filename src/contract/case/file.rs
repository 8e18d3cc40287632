//! The case file on disk: its serde shape, read into the model and checked.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::error::{CaseError, CaseProblem};
use super::model::{
    Auth, BatchSpec, BodySpec, Case, Expect, FixtureSpec, RequestSpec, StatusPattern,
};
use super::validate::name_problem;
use crate::contract::schema::SchemaSet;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCase {
    description: String,
    #[serde(default)]
    fixture: RawFixture,
    request: RawRequest,
    expect: RawExpect,
}

#[derive(Default, Deserialize)]
struct RawFixture {
    #[serde(default)]
    batches: Vec<RawBatch>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawBatch {
    Files(usize),
    Placed {
        files: usize,
        #[serde(default)]
        classification: usize,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRequest {
    method: String,
    path: String,
    #[serde(default)]
    auth: Auth,
    #[serde(default = "default_content_type")]
    content_type: Option<String>,
    json: Option<Value>,
    raw: Option<String>,
    form: Option<RawForm>,
    #[serde(default = "one")]
    repeat: u32,
}

#[derive(Deserialize)]
struct RawForm {
    #[serde(default)]
    fields: serde_json::Map<String, Value>,
    #[serde(default)]
    files: usize,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawExpect {
    status: RawStatus,
    #[serde(default = "json_media_type")]
    content_type: String,
    schema: Option<String>,
    #[serde(default)]
    body: serde_json::Map<String, Value>,
    #[serde(default)]
    deleted: Vec<usize>,
    #[serde(default)]
    may_delete: Vec<usize>,
    #[serde(default)]
    deleted_batches: Vec<usize>,
    #[serde(default)]
    added: Vec<usize>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawStatus {
    Many(Vec<Value>),
    One(Value),
}

fn default_content_type() -> Option<String> {
    Some(json_media_type())
}
fn json_media_type() -> String {
    "application/json".to_owned()
}
fn one() -> u32 {
    1
}

impl Case {
    /// Checks the text of a case file; `path` names it in errors, `name` is the case's name.
    ///
    /// # Errors
    /// As [`Case::load`].
    pub fn parse(path: &Path, name: &str, text: &str) -> Result<Case, CaseError> {
        let Some(misnamed) = name_problem(path, name) else {
            return Case::read(path, name, text);
        };
        let mut problems = vec![misnamed];
        if let Err(CaseError::Invalid { problems: more }) = Case::read(path, name, text) {
            problems.extend(more);
        }
        Err(CaseError::Invalid { problems })
    }

    /// The case in `text`, checked against the schema and its own fixture.
    fn read(path: &Path, name: &str, text: &str) -> Result<Case, CaseError> {
        let invalid = |problems: Vec<CaseProblem>| CaseError::Invalid { problems };
        let whole = |message: String| invalid(vec![CaseProblem::invalid(path, "", message)]);
        let document: Value = serde_json::from_str(text)
            .map_err(|e| invalid(vec![CaseProblem::not_json(path, e.to_string())]))?;
        let schemas = SchemaSet::global();
        let violations = schemas
            .check("case", &document)
            .map_err(|e| whole(e.to_string()))?;
        if !violations.is_empty() {
            return Err(invalid(
                violations
                    .into_iter()
                    .map(|v| CaseProblem::invalid(path, v.pointer, v.message))
                    .collect(),
            ));
        }
        let raw: RawCase = serde_json::from_value(document).map_err(|e| whole(e.to_string()))?;
        let body = match (raw.request.json, raw.request.raw, raw.request.form) {
            (Some(json), _, _) => BodySpec::Json(json),
            (None, Some(raw), _) => BodySpec::Raw(raw),
            (None, None, Some(form)) => BodySpec::Form {
                fields: form
                    .fields
                    .into_iter()
                    .map(|(name, value)| {
                        let value = match value {
                            Value::String(s) => s,
                            other => other.to_string(),
                        };
                        (name, value)
                    })
                    .collect(),
                files: form.files,
            },
            (None, None, None) => BodySpec::None,
        };
        let case = Case {
            name: name.to_owned(),
            path: path.to_owned(),
            description: raw.description,
            fixture: FixtureSpec {
                batches: raw
                    .fixture
                    .batches
                    .into_iter()
                    .map(|batch| match batch {
                        RawBatch::Files(files) => BatchSpec {
                            files,
                            classification: 0,
                        },
                        RawBatch::Placed {
                            files,
                            classification,
                        } => BatchSpec {
                            files,
                            classification,
                        },
                    })
                    .collect(),
            },
            request: RequestSpec {
                // The case schema admits only the methods of its enum.
                method: http::Method::from_bytes(raw.request.method.as_bytes()).map_err(|e| {
                    invalid(vec![CaseProblem::invalid(
                        path,
                        "/request/method",
                        e.to_string(),
                    )])
                })?,
                path: raw.request.path,
                auth: raw.request.auth,
                content_type: raw.request.content_type,
                body,
                repeat: raw.request.repeat,
            },
            expect: Expect {
                status: match raw.expect.status {
                    RawStatus::One(value) => vec![status_pattern(&value)],
                    RawStatus::Many(values) => values.iter().map(status_pattern).collect(),
                },
                content_type: raw.expect.content_type,
                schema: raw.expect.schema,
                body: raw.expect.body,
                deleted: raw.expect.deleted,
                may_delete: raw.expect.may_delete,
                deleted_batches: raw.expect.deleted_batches,
                added: raw.expect.added,
            },
        };
        let problems = case.problems(schemas);
        if problems.is_empty() {
            Ok(case)
        } else {
            Err(invalid(problems))
        }
    }
}

fn status_pattern(value: &Value) -> StatusPattern {
    // The case schema has already admitted only integers and "Nxx" strings.
    match value {
        Value::String(class) => StatusPattern::Class(
            class
                .chars()
                .next()
                .and_then(|c| c.to_digit(10))
                .map_or(0, |d| d as u16),
        ),
        other => StatusPattern::Exact(other.as_u64().map_or(0, |n| n as u16)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::example::{MINIMAL, parse};
    use super::*;

    #[test]
    fn a_minimal_case_gets_the_documented_defaults() {
        let case = parse(MINIMAL).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(case.name, "delete-files/example");
        assert_eq!(case.request.auth, Auth::Valid);
        assert_eq!(
            case.request.content_type.as_deref(),
            Some("application/json")
        );
        assert_eq!(case.expect.status, vec![StatusPattern::Exact(200)]);
        assert_eq!(case.expect.schema, None);
        assert_eq!(case.fixture, FixtureSpec::of(&[2]));
        assert_eq!(case.expect.content_type, "application/json");
    }

    #[test]
    fn a_status_class_and_a_list_are_read() {
        let text = MINIMAL.replace(r#""status": 200"#, r#""status": [200, "4xx"]"#);
        let case = parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            case.expect.status,
            vec![StatusPattern::Exact(200), StatusPattern::Class(4)]
        );
        assert!(StatusPattern::Class(4).matches(404) && !StatusPattern::Class(4).matches(500));
    }

    #[test]
    fn a_broken_case_names_the_file_and_the_field() {
        let text = MINIMAL.replace(r#""status": 200"#, r#""status": "teapot""#);
        let error = parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("cases/delete-files/example.json"), "{error}");
        assert!(error.contains("/expect/status"), "{error}");
    }

    #[test]
    fn an_unknown_field_is_refused() {
        let text = MINIMAL.replace(
            r#""description": "d","#,
            r#""description": "d", "expected": 1,"#,
        );
        let error = parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("expected"), "{error}");
    }

    #[test]
    fn malformed_json_names_the_file() {
        let error = parse("{").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            error.starts_with("parse case file cases/delete-files/example.json"),
            "{error}"
        );
    }
}
