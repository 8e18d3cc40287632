//! A vendor profile: what a vendor chose where the docs are silent, learned from a baseline
//! recorded against it, in a small document a person can review and commit
//! (`snapshots/<profile>/vendor-profile.json`). The built-in mock adopts it to answer as that
//! vendor does; the suite learns it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::endpoint::Endpoint;
use super::schema::SchemaSet;
use super::situation::{RefusalKey, Situation};

/// The file a profile is kept in, beside the baselines it was learned from.
pub const PROFILE_FILE: &str = "vendor-profile.json";

/// How a vendor answers a refusal: the status, the message (a template: `{classificationId}`,
/// `{fileIds.0}` stand for the request's values), and what else its body holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct LearnedRefusal {
    /// The HTTP status.
    pub status: u16,
    /// The message template.
    pub message: String,
    /// The `Content-Type` when it is not `application/json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Fields of the body besides `message` (its `status` among them), as they were.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
    /// The case it was learned from.
    pub learned_from: String,
}

/// How a vendor answers an endpoint's success: the status, and how its body differs from the
/// mock's own (fields set to a value, fields it does not send), for the body and for each item
/// of its `files`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct LearnedSuccess {
    /// The HTTP status, when it is not 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The `Content-Type`, when it is not `application/json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Top-level fields set to these values (added or changed).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub set: Map<String, Value>,
    /// Top-level fields the vendor does not send.
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
        let schemas = SchemaSet::global().map_err(|e| invalid(e.to_string()))?;
        let violations = schemas
            .check("vendor-profile", &document)
            .map_err(|e| invalid(e.to_string()))?;
        if !violations.is_empty() {
            let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
            return Err(invalid(listed.join("; ")));
        }
        serde_json::from_value(document).map_err(|e| invalid(e.to_string()))
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
        for not in &self.not_learned {
            lines.push(format!("  not learned from {}: {}", not.case, not.reason));
        }
        lines
    }

    /// How many choices it holds, for a person.
    pub fn count(&self) -> usize {
        self.refusals.len()
            + self.successes.len()
            + usize::from(self.behaviours.empty_file_ids.is_some())
            + usize::from(self.behaviours.partly_unknown_file_ids.is_some())
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
    }

    #[test]
    fn a_profile_reads_back_as_it_was_written() {
        let mut profile = VendorProfile::default();
        profile.refusals.insert(
            RefusalKey::new(Endpoint::DeleteFiles, Situation::UnknownBatch),
            LearnedRefusal {
                status: 400,
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
                .map(|r| r.status),
            Some(400),
            "learned on another endpoint, used where nothing else was learned"
        );
    }
}
