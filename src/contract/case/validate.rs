//! What the schema cannot see: references to fixture items that do not exist, unknown
//! placeholders and schemas.

use std::path::Path;

use serde_json::Value;

use super::error::CaseProblem;
use super::model::{BodySpec, Case};
use super::placeholder::{PLAIN_PLACEHOLDERS, Placeholder, placeholders};
use crate::contract::endpoint::Endpoint;
use crate::contract::schema::SchemaSet;

impl Case {
    /// What the schema cannot see: references to fixture items that do not exist.
    pub(super) fn problems(&self, schemas: &SchemaSet) -> Vec<CaseProblem> {
        let mut problems = Vec::new();
        let mut push = |pointer: &str, message: String| {
            problems.push(CaseProblem::invalid(&self.path, pointer, message));
        };
        let files = self.fixture.file_count();
        let batches = self.fixture.batches.len();
        let classifications = self.fixture.classification_count();
        for (field, list) in [
            ("/expect/deleted", &self.expect.deleted),
            ("/expect/mayDelete", &self.expect.may_delete),
        ] {
            for index in list.iter().filter(|&&i| i >= files) {
                push(
                    field,
                    format!("file {index} does not exist, the fixture has {files} file(s)"),
                );
            }
        }
        for index in self
            .expect
            .deleted_batches
            .iter()
            .filter(|&&i| i >= batches)
        {
            push(
                "/expect/deletedBatches",
                format!("batch {index} does not exist, the fixture has {batches}"),
            );
        }
        if self.expect.added.len() > batches {
            push(
                "/expect/added",
                format!(
                    "{} entries, the fixture has {batches} batch(es)",
                    self.expect.added.len()
                ),
            );
        }
        if self.request.endpoint() == Some(Endpoint::DeleteClassification) {
            if let BodySpec::Json(body) = &self.request.body {
                let named = body.get("classificationId").and_then(Value::as_str);
                if matches!(
                    named,
                    Some("{{classificationId}}" | "{{classificationId:0}}")
                ) {
                    push(
                        "/request",
                        "deleteClassification names the run's own classification, which holds every other case's data; put the case's batches in a classification of its own ({\"files\": N, \"classification\": 1}) and name {{classificationId:1}}"
                            .to_owned(),
                    );
                }
            }
        }
        if let Some(schema) = &self.expect.schema {
            if schemas.names().all(|name| name != schema) {
                push("/expect/schema", format!("no schema named `{schema}`"));
            }
        }
        let mut texts = Vec::new();
        match &self.request.body {
            BodySpec::Json(json) => collect_strings(json, &mut texts),
            BodySpec::Raw(raw) => texts.push(raw.as_str()),
            BodySpec::Form { fields, .. } => {
                texts.extend(fields.iter().map(|(_, value)| value.as_str()));
            }
            BodySpec::None => {}
        }
        let mut expected = Vec::new();
        for value in self.expect.body.values() {
            collect_strings(value, &mut expected);
        }
        for (field, texts) in [("/request", texts), ("/expect/body", expected)] {
            for text in texts {
                for placeholder in placeholders(text) {
                    let problem = match Placeholder::parse(placeholder) {
                        Some(Placeholder::Batch(n)) if n >= batches.max(1) => {
                            format!("names batch {n}, the fixture has {batches}")
                        }
                        Some(Placeholder::File(n)) if n >= files => {
                            format!("names file {n}, the fixture has {files}")
                        }
                        Some(Placeholder::Classification(n)) if n >= classifications => {
                            format!("names classification {n}, the fixture has {classifications}")
                        }
                        Some(_) => continue,
                        None => format!(
                            "is unknown; known: {}, classificationId:N, batchId:N, fileId:N",
                            PLAIN_PLACEHOLDERS.join(", ")
                        ),
                    };
                    push(
                        field,
                        format!("placeholder {{{{{placeholder}}}}} {problem}"),
                    );
                }
            }
        }
        problems
    }
}

/// A name that holds a control character: a case's name is its path below the cases folder,
/// and it goes where a line break or an escape would forge a line (a snapshot's header, a
/// report, the terminal).
pub(super) fn name_problem(path: &Path, name: &str) -> Option<CaseProblem> {
    let control = name.chars().find(|c| c.is_control())?;
    Some(CaseProblem::invalid(
        path,
        "",
        format!(
            "the case's name {name:?} holds the control character U+{:04X}; a case is named by \
             its path below the cases folder: rename the file or its folder",
            u32::from(control)
        ),
    ))
}

fn collect_strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            out.push(k);
            collect_strings(v, out);
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::error::CaseProblemKind;
    use super::super::example::{MINIMAL, parse};
    use super::super::model::Case;

    #[test]
    fn every_problem_is_a_value_naming_its_file_and_field() {
        let text = MINIMAL
            .replace(r#""deleted": [1]"#, r#""deleted": [2]"#)
            .replace("{{batchId}}", "{{batch}}");
        let error = parse(&text).err();
        let problems = error.as_ref().map(|e| e.problems()).unwrap_or_default();
        let fields: Vec<&str> = problems.iter().map(|p| p.pointer.as_str()).collect();
        assert_eq!(fields, ["/expect/deleted", "/request"], "{problems:?}");
        for problem in problems {
            assert_eq!(problem.file, Path::new("cases/delete-files/example.json"));
            assert_eq!(problem.kind, CaseProblemKind::Invalid);
        }
        assert!(problems[0].message.starts_with("file 2 does not exist"));
    }

    #[test]
    fn a_name_with_a_control_character_is_refused_with_the_file_s_other_problems() {
        let path = Path::new("cases/delete-files/two\nlines.json");
        let broken = MINIMAL.replace("{{batchId}}", "{{batch}}");
        for (text, count) in [(MINIMAL.to_owned(), 1), (broken, 2)] {
            let error = Case::parse(path, "delete-files/two\nlines", &text).err();
            let problems = error.as_ref().map(|e| e.problems()).unwrap_or_default();
            assert_eq!(problems.len(), count, "{problems:?}");
            assert_eq!(problems[0].pointer, "");
            assert!(
                problems[0]
                    .message
                    .contains(r#""delete-files/two\nlines" holds the control character U+000A"#),
                "{}",
                problems[0].message
            );
        }
        for fine in ["delete-files/a: \"b\"", "delete-files/ünïcode"] {
            assert!(Case::parse(path, fine, MINIMAL).is_ok(), "{fine}");
        }
    }

    #[test]
    fn a_placeholder_beyond_the_fixture_is_refused() {
        let text = MINIMAL.replace("{{fileId:1}}", "{{fileId:7}}");
        let error = parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("names file 7"), "{error}");
    }

    #[test]
    fn a_misspelt_placeholder_is_refused() {
        let text = MINIMAL.replace("{{batchId}}", "{{batch}}");
        let error = parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.contains("placeholder {{batch}} is unknown"),
            "{error}"
        );
    }

    #[test]
    fn an_effect_on_a_missing_file_is_refused() {
        let text = MINIMAL.replace(r#""deleted": [1]"#, r#""deleted": [2]"#);
        let error = parse(&text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("/expect/deleted: file 2"), "{error}");
    }

    #[test]
    fn batches_may_name_a_classification_of_their_own() {
        let text = MINIMAL.replace(
            r#""batches": [2]"#,
            r#""batches": [2, {"files": 1, "classification": 1}]"#,
        );
        let case = parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(case.fixture.classification_count(), 2);
        assert_eq!(case.fixture.batches[1].classification, 1);
        let beyond = MINIMAL.replace("{{classificationId}}", "{{classificationId:1}}");
        let error = parse(&beyond)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("names classification 1"), "{error}");
    }
}
