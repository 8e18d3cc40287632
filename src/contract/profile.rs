//! A vendor profile: what a vendor chose where the docs are silent, learned from a baseline
//! recorded against it, in a small document a person can review and commit
//! (`snapshots/<profile>/vendor-profile.json`). The built-in mock adopts it to answer as that
//! vendor does; the suite learns it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::endpoint::Endpoint;
use super::schema::SchemaSet;
use super::situation::{RefusalKey, Situation};

/// The file a profile is kept in, beside the baselines it was learned from.
pub const PROFILE_FILE: &str = "vendor-profile.json";

/// The `$id` of the profile's schema (`schemas/vendor-profile.json`), which a learned profile
/// names as its `$schema`: the same wherever the profile is kept.
pub const PROFILE_SCHEMA_ID: &str = "https://extracta-contract.dev/schemas/vendor-profile.json";

/// A status a profile cannot hold, and the statuses it may.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("status {status} is no {kind} status a vendor profile can hold ({allowed})")]
pub struct StatusError {
    /// The status.
    pub status: u16,
    /// `refusal` or `success`.
    pub kind: &'static str,
    /// The statuses allowed, for a person.
    pub allowed: &'static str,
}

/// The status of a learned refusal: 400 to 599, a status whose answer carries a body (a 101,
/// 204 or 304 would go out with a `Content-Length` and no body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct RefusalStatus(u16);

impl RefusalStatus {
    /// The statuses a refusal may have, for a person.
    pub const ALLOWED: &'static str = "400 to 599";

    /// `status`, if it is one a refusal may have.
    ///
    /// # Errors
    /// When it is outside 400–599.
    pub fn new(status: u16) -> Result<RefusalStatus, StatusError> {
        if (400..=599).contains(&status) {
            Ok(RefusalStatus(status))
        } else {
            Err(StatusError {
                status,
                kind: "refusal",
                allowed: RefusalStatus::ALLOWED,
            })
        }
    }

    /// The status code.
    pub fn get(self) -> u16 {
        self.0
    }
}

/// The status of a learned success: a 2xx that carries a body (not 204 or 205).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct SuccessStatus(u16);

impl SuccessStatus {
    /// The statuses a success may have, for a person.
    pub const ALLOWED: &'static str = "200 to 299 but 204 and 205";

    /// `status`, if it is one a success may have.
    ///
    /// # Errors
    /// When it is no 2xx, or a 204 or 205 (which carry no body).
    pub fn new(status: u16) -> Result<SuccessStatus, StatusError> {
        if (200..=299).contains(&status) && status != 204 && status != 205 {
            Ok(SuccessStatus(status))
        } else {
            Err(StatusError {
                status,
                kind: "success",
                allowed: SuccessStatus::ALLOWED,
            })
        }
    }

    /// The status code.
    pub fn get(self) -> u16 {
        self.0
    }
}

macro_rules! status_conversions {
    ($name:ident) => {
        impl TryFrom<u16> for $name {
            type Error = StatusError;

            fn try_from(status: u16) -> Result<Self, Self::Error> {
                $name::new(status)
            }
        }

        impl From<$name> for u16 {
            fn from(status: $name) -> u16 {
                status.0
            }
        }

        impl PartialEq<u16> for $name {
            fn eq(&self, other: &u16) -> bool {
                self.0 == *other
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

status_conversions!(RefusalStatus);
status_conversions!(SuccessStatus);

/// How a vendor answers a refusal: the status, the message (a template: `{classificationId}`,
/// `{fileIds.0}` stand for the request's values), and what else its body holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct LearnedRefusal {
    /// The HTTP status (400–599).
    pub status: RefusalStatus,
    /// The message template.
    pub message: String,
    /// The `Content-Type` as the vendor sent it, byte for byte, when it is not the mock's
    /// own `application/json` (`application/json; charset=utf-8`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Fields of the body besides `message` (its `status` among them), as they were.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
    /// The case it was learned from.
    pub learned_from: String,
}

/// How a vendor answers an endpoint's success: the status, the `Content-Type`, and how its
/// body differs from the mock's own (fields set to a value, fields it does not send), for the
/// body and for each item of its `files`.
///
/// A field is named by its name (`deleteAll`, a field of the body or of the item), or by a
/// JSON Pointer into it (`/classificationDetails/createdAt`) for a field deeper down.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct LearnedSuccess {
    /// The HTTP status, when it is not 200 (a 2xx that carries a body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SuccessStatus>,
    /// The `Content-Type` as the vendor sent it, byte for byte, when it is not the mock's
    /// own `application/json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Fields of the body set to these values (added or changed).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub set: Map<String, Value>,
    /// Fields of the body the vendor does not send.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// Fields of each item of `files` set to these values.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub file_set: Map<String, Value>,
    /// Fields of each item of `files` the vendor does not send.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_remove: Vec<String>,
    /// The cases it was learned from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub learned_from: Vec<String>,
}

/// What deleteFiles does with an empty `fileIds` list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmptyList {
    /// Refuses it (the mock's own choice).
    #[default]
    Refuse,
    /// Answers success and deletes nothing.
    Accept,
}

/// What deleteFiles does with a list naming some files the batch does not hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartlyUnknown {
    /// Refuses it whole and deletes nothing (the mock's own choice).
    #[default]
    Refuse,
    /// Deletes the files it holds and answers success.
    DeleteKnown,
}

/// What getResults does with a `fileId`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResultsFileId {
    /// Lists that file alone, and refuses a file the batch does not hold (the mock's own
    /// choice).
    #[default]
    Filter,
    /// Lists that file alone, and no file for a file the batch does not hold.
    FilterOrEmpty,
    /// Lists every file of the batch, whatever `fileId` names.
    Ignore,
}

/// What the effect records showed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct Behaviours {
    /// An empty `fileIds` list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_file_ids: Option<EmptyList>,
    /// A partly unknown `fileIds` list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partly_unknown_file_ids: Option<PartlyUnknown>,
    /// getResults' `fileId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub get_results_file_id: Option<ResultsFileId>,
}

/// A request the vendor serves that the mock's schema refuses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct Accepted {
    /// The case it was learned from.
    pub learned_from: String,
}

/// A case the profile could not learn from, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct NotLearned {
    /// The case.
    pub case: String,
    /// Why.
    pub reason: String,
}

/// What a vendor chose, learned from a baseline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct VendorProfile {
    /// The schema of this document, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The baseline it was learned from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learned_from: Option<String>,
    /// How each kind of refusal is answered, by endpoint and situation (written
    /// `deleteFiles unknown-batch`, `deleteFiles invalid-body required:/batchId`).
    #[serde(default)]
    pub refusals: BTreeMap<RefusalKey, LearnedRefusal>,
    /// The bodies the vendor serves though the mock's schema refuses them, by endpoint and
    /// the shape of their violations (`createClassification invalid-body
    /// type:/classificationDetails/documentTypes`): the mock serves them too.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub accepts: BTreeMap<RefusalKey, Accepted>,
    /// How each endpoint's success is answered, by endpoint name.
    #[serde(default)]
    pub successes: BTreeMap<String, LearnedSuccess>,
    /// What the effect records showed.
    #[serde(default)]
    pub behaviours: Behaviours,
    /// The cases whose observation the profile cannot reproduce.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_learned: Vec<NotLearned>,
}

/// Why a profile could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// It could not be read.
    #[error("read the vendor profile {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// It is not a vendor profile (`schemas/vendor-profile.json`).
    #[error("load the vendor profile {path}: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, with pointers.
        reason: String,
    },
}

impl VendorProfile {
    /// Reads a profile: `path` itself, or `path/vendor-profile.json` for a baseline folder.
    ///
    /// # Errors
    /// When it cannot be read or is not a profile.
    pub fn load(path: &Path) -> Result<VendorProfile, ProfileError> {
        let file = if path.is_dir() {
            path.join(PROFILE_FILE)
        } else {
            path.to_owned()
        };
        let text = crate::contract::input::read_input(&file).map_err(|e| ProfileError::Read {
            path: file.clone(),
            source: e.into(),
        })?;
        VendorProfile::parse(&file, &text)
    }

    /// Reads the text of a profile; `path` names it in errors.
    ///
    /// # Errors
    /// When it is not JSON of the profile's schema.
    pub fn parse(path: &Path, text: &str) -> Result<VendorProfile, ProfileError> {
        let invalid = |reason: String| ProfileError::Invalid {
            path: path.to_owned(),
            reason,
        };
        let document: Value = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let schemas = SchemaSet::global();
        let violations = schemas
            .check("vendor-profile", &document)
            .map_err(|e| invalid(e.to_string()))?;
        if !violations.is_empty() {
            let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
            return Err(invalid(listed.join("; ")));
        }
        let profile: VendorProfile =
            serde_json::from_value(document).map_err(|e| invalid(e.to_string()))?;
        if let Some(key) = profile.accepts.keys().find(|key| {
            !matches!(
                key.situation(),
                Situation::InvalidBody { signature: Some(_) }
            )
        }) {
            return Err(invalid(format!(
                "/accepts/{key}: only a body of a given invalid shape (`<endpoint> invalid-body <shape>`) can be accepted"
            )));
        }
        Ok(profile)
    }

    /// Whether the vendor serves a body of `endpoint` that breaks its schema as `situation`
    /// says (an `invalid-body` of that shape).
    pub fn accepts_body(&self, endpoint: Endpoint, situation: &Situation) -> bool {
        matches!(situation, Situation::InvalidBody { signature: Some(_) })
            && self
                .accepts
                .contains_key(&RefusalKey::new(endpoint, situation.clone()))
    }

    /// The profile as its file holds it: pretty JSON with a final newline.
    pub fn render(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// How the vendor answers `situation` on `endpoint` (`None` for a request to no endpoint):
    /// learned on that endpoint, or else on another (a vendor answers a missing key alike
    /// everywhere).
    pub fn refusal(
        &self,
        endpoint: Option<Endpoint>,
        situation: &Situation,
    ) -> Option<&LearnedRefusal> {
        endpoint
            .and_then(|endpoint| {
                self.refusals
                    .get(&RefusalKey::new(endpoint, situation.clone()))
            })
            .or_else(|| {
                self.refusals
                    .iter()
                    .find(|(key, _)| key.situation() == situation)
                    .map(|(_, refusal)| refusal)
            })
    }

    /// The profile for a person, a line each: every choice it learned (and from which case),
    /// then every case it could not learn from, and why.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "answers like the vendor of {}: {} choice(s) learned; elsewhere the mock's own",
            self.learned_from
                .as_deref()
                .unwrap_or("an unnamed baseline"),
            self.count()
        )];
        for (key, refusal) in &self.refusals {
            let mut line = format!("  {key}: {} \"{}\"", refusal.status, refusal.message);
            if !refusal.extra.is_empty() {
                line.push_str(&format!(" with {}", Value::Object(refusal.extra.clone())));
            }
            if let Some(content_type) = &refusal.content_type {
                line.push_str(&format!(" as {content_type}"));
            }
            line.push_str(&format!(" (from {})", refusal.learned_from));
            lines.push(line);
        }
        for (key, accepted) in &self.accepts {
            lines.push(format!(
                "  {key}: served, not refused (from {})",
                accepted.learned_from
            ));
        }
        for (endpoint, success) in &self.successes {
            let mut changes = Vec::new();
            if let Some(status) = success.status {
                changes.push(format!("status {status}"));
            }
            if let Some(content_type) = &success.content_type {
                changes.push(format!("content type {content_type}"));
            }
            for (field, value) in &success.set {
                changes.push(format!("`{field}` = {value}"));
            }
            for field in &success.remove {
                changes.push(format!("no `{field}`"));
            }
            for (field, value) in &success.file_set {
                changes.push(format!("each file's `{field}` = {value}"));
            }
            for field in &success.file_remove {
                changes.push(format!("no `{field}` in each file"));
            }
            lines.push(format!(
                "  {endpoint} success: {} (from {})",
                changes.join(", "),
                success.learned_from.join(", ")
            ));
        }
        if let Some(empty) = self.behaviours.empty_file_ids {
            let does = match empty {
                EmptyList::Refuse => "refused",
                EmptyList::Accept => "accepted, nothing deleted",
            };
            lines.push(format!("  deleteFiles with an empty fileIds list: {does}"));
        }
        if let Some(partly) = self.behaviours.partly_unknown_file_ids {
            let does = match partly {
                PartlyUnknown::Refuse => "refused whole, nothing deleted",
                PartlyUnknown::DeleteKnown => "the files it names that exist are deleted",
            };
            lines.push(format!(
                "  deleteFiles with a partly unknown fileIds list: {does}"
            ));
        }
        if let Some(file_id) = self.behaviours.get_results_file_id {
            let does = match file_id {
                ResultsFileId::Filter => "that file alone; an unknown file refused",
                ResultsFileId::FilterOrEmpty => "that file alone; no file for an unknown one",
                ResultsFileId::Ignore => "ignored: every file of the batch",
            };
            lines.push(format!("  getResults with a fileId: {does}"));
        }
        for not in &self.not_learned {
            lines.push(format!("  not learned from {}: {}", not.case, not.reason));
        }
        lines
    }

    /// How many choices it holds, for a person.
    pub fn count(&self) -> usize {
        self.refusals.len()
            + self.accepts.len()
            + self.successes.len()
            + usize::from(self.behaviours.empty_file_ids.is_some())
            + usize::from(self.behaviours.partly_unknown_file_ids.is_some())
            + usize::from(self.behaviours.get_results_file_id.is_some())
    }
}

/// `template` with `{field}` and `{field.N}` replaced by the values of `request` (a JSON body,
/// or a form as an object of strings); a placeholder whose value is missing stays as it is.
pub fn render_template(template: &str, request: &Value) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let path = &after[..end];
        let value = path
            .split('.')
            .try_fold(request, |value, step| match step.parse::<usize>() {
                Ok(n) => value.get(n),
                Err(_) => value.get(step),
            });
        match value {
            Some(Value::String(s)) => out.push_str(s),
            Some(other @ (Value::Number(_) | Value::Bool(_))) => out.push_str(&other.to_string()),
            _ => {
                out.push('{');
                out.push_str(path);
                out.push('}');
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_template_is_filled_from_the_request() {
        let request = json!({"classificationId": "c1", "batchId": "b1", "fileIds": ["f1", "f2"]});
        assert_eq!(
            render_template(
                "batch {batchId} not in {classificationId}: {fileIds.1}",
                &request
            ),
            "batch b1 not in c1: f2"
        );
        assert_eq!(
            render_template("no {such} field", &request),
            "no {such} field"
        );
        assert_eq!(render_template("a { b", &request), "a { b");
        let request = json!({"count": 3, "all": true, "none": null});
        assert_eq!(
            render_template("{count} {all} {none}", &request),
            "3 true {none}"
        );
    }

    #[test]
    fn a_profile_counts_every_choice_it_holds() {
        let refusal =
            |case: &str| format!(r#"{{"status": 404, "message": "m", "learnedFrom": "{case}"}}"#);
        let text = format!(
            r#"{{
                "refusals": {{"deleteFiles unknown-batch": {}, "deleteFiles unknown-file": {},
                              "getResults unknown-batch": {}}},
                "accepts": {{"createClassification invalid-body type:/a": {{"learnedFrom": "c"}},
                             "createClassification invalid-body type:/b": {{"learnedFrom": "c"}}}},
                "successes": {{"deleteFiles": {{"learnedFrom": ["c"]}}}},
                "behaviours": {{"emptyFileIds": "accept", "partlyUnknownFileIds": "delete-known",
                               "getResultsFileId": "ignore"}}
            }}"#,
            refusal("a"),
            refusal("b"),
            refusal("c")
        );
        let profile = parsed(&text).unwrap_or_else(|e| panic!("{e}"));
        // 3 refusals, 2 accepted bodies, 1 success, 3 behaviours.
        assert_eq!(profile.count(), 9);
        assert!(profile.describe()[0].contains("9 choice(s) learned"));
    }

    fn parsed(text: &str) -> Result<VendorProfile, String> {
        VendorProfile::parse(Path::new("p.json"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn a_refusal_status_that_carries_no_body_is_refused_at_load() {
        for status in [101, 204, 304, 399, 600] {
            let text = format!(
                r#"{{"refusals": {{"deleteFiles unknown-batch": {{"status": {status}, "message": "m", "learnedFrom": "c"}}}}}}"#
            );
            let error = parsed(&text).err().unwrap_or_default();
            assert!(
                error.contains("/refusals/deleteFiles unknown-batch/status"),
                "{status}: {error}"
            );
        }
        let ok = r#"{"refusals": {"deleteFiles unknown-batch": {"status": 599, "message": "m", "learnedFrom": "c"}}}"#;
        assert_eq!(
            parsed(ok).map(|p| p.refusals["deleteFiles unknown-batch"].status.get()),
            Ok(599)
        );
    }

    #[test]
    fn the_type_refuses_such_a_status_too_when_the_schema_is_not_asked() {
        let refusal = serde_json::from_value::<LearnedRefusal>(
            serde_json::json!({"status": 204, "message": "m", "learnedFrom": "c"}),
        );
        let error = refusal.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            error
                .contains("status 204 is no refusal status a vendor profile can hold (400 to 599)"),
            "{error}"
        );
        for status in [204, 205, 304] {
            assert!(SuccessStatus::new(status).is_err(), "{status}");
        }
        assert_eq!(SuccessStatus::new(201).map(SuccessStatus::get), Ok(201));
        let success = r#"{"successes": {"deleteFiles": {"status": 204}}}"#;
        assert!(parsed(success).is_err());
    }

    #[test]
    fn a_learned_profile_names_its_schema_by_the_schemas_id() {
        let id = SchemaSet::source("vendor-profile")
            .and_then(|schema| schema.get("$id").and_then(Value::as_str).map(str::to_owned));
        assert_eq!(id.as_deref(), Some(PROFILE_SCHEMA_ID));
    }

    #[test]
    fn only_an_invalid_body_of_a_given_shape_can_be_accepted() {
        let shaped = r#"{"accepts": {"createClassification invalid-body type:/classificationDetails/documentTypes": {"learnedFrom": "c"}}}"#;
        let profile = parsed(shaped).unwrap_or_else(|e| panic!("{e}"));
        let situation = Situation::InvalidBody {
            signature: Some("type:/classificationDetails/documentTypes".to_owned()),
        };
        assert!(profile.accepts_body(Endpoint::CreateClassification, &situation));
        assert!(!profile.accepts_body(Endpoint::DeleteFiles, &situation));
        for key in ["deleteFiles unknown-batch", "deleteFiles invalid-body"] {
            let text = format!(r#"{{"accepts": {{"{key}": {{"learnedFrom": "c"}}}}}}"#);
            assert!(parsed(&text).is_err(), "{key}");
        }
    }

    #[test]
    fn a_profile_written_before_the_content_types_and_behaviours_still_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/profiles/independent.json");
        let profile = VendorProfile::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(profile.refusals["deleteFiles invalid-key"].status, 403);
        assert_eq!(profile.behaviours.get_results_file_id, None);
    }

    #[test]
    fn a_profile_reads_back_as_it_was_written() {
        let mut profile = VendorProfile::default();
        profile.refusals.insert(
            RefusalKey::new(Endpoint::DeleteFiles, Situation::UnknownBatch),
            LearnedRefusal {
                status: RefusalStatus(400),
                message: "Invalid batchId".to_owned(),
                content_type: None,
                extra: Map::new(),
                learned_from: "delete-files/unknown-batch".to_owned(),
            },
        );
        profile.behaviours.empty_file_ids = Some(EmptyList::Accept);
        let text = profile.render();
        let read =
            VendorProfile::parse(Path::new("p.json"), &text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read, profile);
        assert_eq!(
            read.refusal(Some(Endpoint::DeleteBatch), &Situation::UnknownBatch)
                .map(|r| r.status.get()),
            Some(400),
            "learned on another endpoint, used where nothing else was learned"
        );
    }
}
