//! The contract's JSON Schemas: compiled once, checked with every violation reported.
//!
//! The schema files in `schemas/` are the single source of truth. They are embedded at build
//! time so the mock and the suite validate with exactly the files in the repository, wherever
//! the binary runs from.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde_json::Value;

/// Every schema of the contract, by name (the file name without `.json`).
const SOURCES: &[(&str, &str)] = &[
    ("case", include_str!("../../schemas/case.json")),
    (
        "create-classification.request",
        include_str!("../../schemas/create-classification.request.json"),
    ),
    (
        "create-classification.response",
        include_str!("../../schemas/create-classification.response.json"),
    ),
    (
        "delete-batch.request",
        include_str!("../../schemas/delete-batch.request.json"),
    ),
    (
        "delete-classification.request",
        include_str!("../../schemas/delete-classification.request.json"),
    ),
    (
        "delete-files.request",
        include_str!("../../schemas/delete-files.request.json"),
    ),
    (
        "get-results.request",
        include_str!("../../schemas/get-results.request.json"),
    ),
    (
        "get-results.response",
        include_str!("../../schemas/get-results.response.json"),
    ),
    ("report", include_str!("../../schemas/report.json")),
    ("seed", include_str!("../../schemas/seed.json")),
    (
        "status.response",
        include_str!("../../schemas/status.response.json"),
    ),
    (
        "upload-files.request",
        include_str!("../../schemas/upload-files.request.json"),
    ),
    (
        "upload-files.response",
        include_str!("../../schemas/upload-files.response.json"),
    ),
    (
        "vendor-profile",
        include_str!("../../schemas/vendor-profile.json"),
    ),
    ("volatile", include_str!("../../schemas/volatile.json")),
    (
        "view-classification.request",
        include_str!("../../schemas/view-classification.request.json"),
    ),
    (
        "view-classification.response",
        include_str!("../../schemas/view-classification.response.json"),
    ),
];

/// Why a schema could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// No schema has that name.
    #[error("find schema `{name}`: known schemas are {known}")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The names that exist, comma separated.
        known: String,
    },
    /// A schema file is not valid JSON or not a valid schema.
    #[error("compile schema `{name}`: {reason}")]
    Invalid {
        /// The schema's name.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

/// One violation of a schema: where in the document, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer into the checked document ("" for the root).
    pub pointer: String,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", shown_pointer(&self.pointer), self.message)
    }
}

/// The compiled schemas of the contract, each compiled the first time it is used.
pub struct SchemaSet {
    validators: BTreeMap<&'static str, Compiled>,
}

/// One schema: its source, and its validator once compiled.
struct Compiled {
    source: &'static str,
    validator: OnceLock<Result<jsonschema::Validator, String>>,
}

impl fmt::Debug for SchemaSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SchemaSet")
            .field("schemas", &self.validators.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The longest message text a violation keeps; instances can be megabytes long.
const MAX_MESSAGE_CHARS: usize = 240;

impl SchemaSet {
    /// The schemas of the process, each compiled once, when it is first used (a run needs
    /// few of them, and compiling one costs more than validating thousands of bodies). One
    /// that does not compile is an error of each check that uses it
    /// ([`SchemaError::Invalid`]), which the test suite rules out.
    pub fn global() -> &'static SchemaSet {
        static SET: OnceLock<SchemaSet> = OnceLock::new();
        SET.get_or_init(|| SchemaSet::of(SOURCES))
    }

    /// The schemas of `sources`, `(name, text)`, none compiled yet.
    fn of(sources: &[(&'static str, &'static str)]) -> SchemaSet {
        let validators = sources
            .iter()
            .map(|(name, source)| {
                let compiled = Compiled {
                    source,
                    validator: OnceLock::new(),
                };
                (*name, compiled)
            })
            .collect();
        SchemaSet { validators }
    }

    /// The schema document `name` as written in `schemas/`.
    pub fn source(name: &str) -> Option<Value> {
        SOURCES
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, text)| serde_json::from_str(text).ok())
    }

    /// The names of all schemas.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.validators.keys().copied()
    }

    /// Checks `document` against the schema `name`, returning every violation (empty when valid).
    ///
    /// # Errors
    /// When no schema has that name.
    pub fn check(&self, name: &str, document: &Value) -> Result<Vec<Violation>, SchemaError> {
        let validator = self.validator(name)?;
        if validator.is_valid(document) {
            // The fast path: most documents are valid, and is_valid stops at nothing to collect.
            return Ok(Vec::new());
        }
        Ok(validator
            .iter_errors(document)
            .map(|error| {
                let mut message = String::new();
                write_shortened(&mut message, &error);
                Violation {
                    pointer: error.instance_path().as_str().to_owned(),
                    message,
                }
            })
            .collect())
    }

    /// Checks `document` against the schema `name` and appends every violation to `out`, as
    /// [`Violation`]s display and separated by "; ", without building a list in between.
    /// Returns whether there was any.
    ///
    /// # Errors
    /// When no schema has that name.
    pub fn describe_violations(
        &self,
        name: &str,
        document: &Value,
        out: &mut String,
    ) -> Result<bool, SchemaError> {
        let validator = self.validator(name)?;
        if validator.is_valid(document) {
            return Ok(false);
        }
        // Room for a few violations: grown once, not message by message.
        out.reserve(256);
        for (index, error) in validator.iter_errors(document).enumerate() {
            if index > 0 {
                out.push_str("; ");
            }
            out.push_str(shown_pointer(error.instance_path().as_str()));
            out.push_str(": ");
            write_shortened(out, &error);
        }
        Ok(true)
    }

    /// The shape of `document`'s violations of the schema `name`, the same for every document
    /// that breaks it the same way: each violation as `<keyword>:<pointer>` (a missing property
    /// as `required:<pointer>/<property>`, array items as `*`), sorted, `,` separated; empty
    /// when it conforms.
    ///
    /// # Errors
    /// When no schema has that name.
    pub fn signature(&self, name: &str, document: &Value) -> Result<String, SchemaError> {
        Ok(signature_of(self.validator(name)?, document))
    }

    fn validator(&self, name: &str) -> Result<&jsonschema::Validator, SchemaError> {
        let (name, compiled) =
            self.validators
                .get_key_value(name)
                .ok_or_else(|| SchemaError::Unknown {
                    name: name.to_owned(),
                    known: self.names().collect::<Vec<_>>().join(", "),
                })?;
        compiled
            .validator
            .get_or_init(|| {
                let schema: Value =
                    serde_json::from_str(compiled.source).map_err(|e| e.to_string())?;
                jsonschema::draft202012::new(&schema).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|reason| SchemaError::Invalid {
                name,
                reason: reason.clone(),
            })
    }
}

/// The signature of `document`'s violations of `validator` (see [`SchemaSet::signature`]).
pub fn signature_of(validator: &jsonschema::Validator, document: &Value) -> String {
    let mut parts: Vec<String> = validator
        .iter_errors(document)
        .map(|error| {
            let pointer: Vec<&str> = error
                .instance_path()
                .as_str()
                .split('/')
                .map(|step| {
                    if !step.is_empty() && step.bytes().all(|b| b.is_ascii_digit()) {
                        "*"
                    } else {
                        step
                    }
                })
                .collect();
            let mut pointer = pointer.join("/");
            if let jsonschema::error::ValidationErrorKind::Required { property } = error.kind() {
                pointer.push('/');
                pointer.push_str(property.as_str().unwrap_or_default());
            }
            format!("{}:{pointer}", error.kind().keyword())
        })
        .collect();
    parts.sort();
    parts.dedup();
    parts.join(",")
}

/// A JSON pointer as violations show it: "/" for the root, which is "" in JSON Pointer.
fn shown_pointer(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

/// Appends `message`, cut to about [`MAX_MESSAGE_CHARS`] on character boundaries. The cut is
/// in the middle: a violation reads `<the value> <why>`, and a long value must not push the
/// reason (`has more than 10000 items`) out of the message.
fn write_shortened(out: &mut String, message: &impl fmt::Display) {
    use fmt::Write as _;
    let start = out.len();
    // Writing to a String cannot fail.
    let _ = write!(out, "{message}");
    let written = &out[start..];
    let chars = written.chars().count();
    if chars <= MAX_MESSAGE_CHARS {
        return;
    }
    let tail_chars = MAX_MESSAGE_CHARS / 3;
    let head_end = written
        .char_indices()
        .nth(MAX_MESSAGE_CHARS - tail_chars)
        .map_or(written.len(), |(i, _)| i);
    let tail_start = written
        .char_indices()
        .nth(chars - tail_chars)
        .map_or(written.len(), |(i, _)| i);
    let tail = written[tail_start..].to_owned();
    out.truncate(start + head_end);
    out.push('…');
    out.push_str(&tail);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set() -> &'static SchemaSet {
        SchemaSet::global()
    }

    #[test]
    fn a_long_value_is_cut_in_the_middle_and_the_reason_stays() {
        let ids: Vec<String> = (0..10_001).map(|n| format!("f{n}")).collect();
        let body = json!({"classificationId": "c", "batchId": "b", "fileIds": ids});
        let mut message = String::new();
        let invalid = set().describe_violations("delete-files.request", &body, &mut message);
        assert!(matches!(invalid, Ok(true)));
        assert!(message.ends_with("has more than 10000 items"), "{message}");
        assert!(
            message.chars().count() < MAX_MESSAGE_CHARS + 40,
            "{message}"
        );
    }

    #[test]
    fn every_schema_file_compiles_and_is_listed() {
        let on_disk: Vec<String> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas"))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                .filter_map(|n| n.strip_suffix(".json").map(str::to_owned))
                .filter(|n| n != "openapi")
                .collect();
        let mut on_disk = on_disk;
        on_disk.sort();
        assert_eq!(on_disk, set().names().collect::<Vec<_>>());
        for name in set().names() {
            let checked = set().check(name, &json!({}));
            assert!(checked.is_ok(), "{name}: {checked:?}");
        }
    }

    #[test]
    fn a_schema_that_does_not_compile_is_an_error_of_each_check_that_uses_it() {
        let set = SchemaSet::of(&[
            ("broken", r#"{"type": "no such type"}"#),
            ("not-json", "{"),
            ("fine", r#"{"type": "object"}"#),
        ]);
        for name in ["broken", "not-json"] {
            for _ in 0..2 {
                let checked = set.check(name, &json!({}));
                assert!(
                    matches!(&checked, Err(SchemaError::Invalid { name: n, .. }) if *n == name),
                    "{name}: {checked:?}"
                );
            }
        }
        assert_eq!(set.check("fine", &json!({})).ok(), Some(vec![]));
        assert!(matches!(
            set.check("other", &json!({})),
            Err(SchemaError::Unknown { known, .. }) if known == "broken, fine, not-json"
        ));
    }

    #[test]
    fn the_documented_body_example_is_a_valid_request() {
        let body = json!({"classificationId": "classificationId", "batchId": "batchId",
            "fileIds": ["fileId1", "fileId2", "fileId3"]});
        assert_eq!(
            set().check("delete-files.request", &body).ok(),
            Some(vec![])
        );
    }

    #[test]
    fn a_request_without_batch_id_names_the_missing_field() {
        let body = json!({"classificationId": "c", "fileIds": ["f"]});
        let violations = set()
            .check("delete-files.request", &body)
            .unwrap_or_default();
        assert_eq!(violations.len(), 1);
        assert!(
            violations[0].message.contains("batchId"),
            "{:?}",
            violations
        );
    }

    #[test]
    fn a_wrong_item_type_is_reported_with_its_pointer() {
        let body = json!({"classificationId": "c", "batchId": "b", "fileIds": ["f", 5]});
        let violations = set()
            .check("delete-files.request", &body)
            .unwrap_or_default();
        assert_eq!(
            violations
                .iter()
                .map(|v| v.pointer.as_str())
                .collect::<Vec<_>>(),
            ["/fileIds/1"]
        );
    }

    #[test]
    fn the_documented_400_example_passes_the_schema_alone() {
        // The schema cannot know the HTTP status; status/body agreement is a separate check.
        let body = json!({"status": "success", "message": "Files deleted"});
        assert_eq!(set().check("status.response", &body).ok(), Some(vec![]));
    }

    #[test]
    fn a_response_with_renamed_message_violates_the_schema() {
        let body = json!({"status": "success", "msg": "Files deleted"});
        assert!(
            !set()
                .check("status.response", &body)
                .unwrap_or_default()
                .is_empty()
        );
    }

    #[test]
    fn an_unknown_schema_name_lists_the_known_ones() {
        let error = set()
            .check("nope", &json!({}))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("delete-files.request"), "{error}");
    }

    #[test]
    fn a_signature_names_each_kind_of_violation_and_where() {
        let signature = |body: Value| {
            set()
                .signature("delete-files.request", &body)
                .unwrap_or_default()
        };
        assert_eq!(
            signature(json!({"classificationId": "c", "fileIds": [1, "f", 2]})),
            "required:/batchId,type:/fileIds/*"
        );
        assert_eq!(
            signature(json!({"classificationId": "d", "fileIds": [3]})),
            signature(json!({"classificationId": "c", "fileIds": [1, 2]})),
            "the same breakage, the same signature"
        );
        assert_eq!(
            signature(json!({"classificationId": "c", "batchId": "b", "fileIds": []})),
            ""
        );
    }

    #[test]
    fn long_messages_are_shortened() {
        let mut out = "kept: ".to_owned();
        write_shortened(&mut out, &format!("{}{}", "é".repeat(500), "ü".repeat(100)));
        assert_eq!(out.chars().count(), "kept: ".len() + MAX_MESSAGE_CHARS + 1);
        assert!(out.starts_with("kept: éé"), "{out}");
        assert!(out.contains("é…ü"), "{out}");
        assert!(out.ends_with(&"ü".repeat(MAX_MESSAGE_CHARS / 3)), "{out}");
    }

    #[test]
    fn described_violations_read_as_the_listed_ones() {
        let body = json!({"classificationId": 5, "fileIds": "x"});
        let listed: Vec<String> = set()
            .check("delete-files.request", &body)
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect();
        let mut described = String::new();
        assert_eq!(
            set()
                .describe_violations("delete-files.request", &body, &mut described)
                .ok(),
            Some(true)
        );
        assert_eq!(listed.len(), 3, "{listed:?}");
        assert_eq!(described, listed.join("; "));
        let mut untouched = String::new();
        let valid = json!({"classificationId": "c", "batchId": "b", "fileIds": ["f"]});
        assert_eq!(
            set()
                .describe_violations("delete-files.request", &valid, &mut untouched)
                .ok(),
            Some(false)
        );
        assert!(untouched.is_empty());
    }
}
