//! Normalisation of observations into stable snapshot values.
//!
//! Two runs against the same healthy vendor must produce the same value: every id the run
//! generated is replaced by its placeholder name wherever it appears (also inside messages),
//! timestamps become `[timestamp]`, and maps are sorted. The API key is already redacted by
//! the target before an observation exists.

use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::case::Case;
use crate::fixtures::Fixture;
use crate::observation::Observation;

/// What every timestamp becomes.
pub const TIMESTAMP: &str = "[timestamp]";

/// The stable form of `observation`: status, content type, body and the batches afterwards.
pub fn normalise(observation: &Observation, fixture: &Fixture) -> Value {
    let names = fixture.names();
    let body = match &observation.response.json {
        Some(json) => stabilise(json, &names, None),
        None => Value::String(replace_ids(&observation.response.text, &names)),
    };
    let batches: Vec<Value> = observation
        .batches
        .iter()
        .map(|files| match files {
            Ok(ids) => Value::Array(
                ids.iter()
                    .map(|id| Value::String(replace_ids(id, &names)))
                    .collect(),
            ),
            Err(_) => Value::String("[unreadable]".to_owned()),
        })
        .collect();
    let mut snapshot = json!({
        "status": observation.response.status,
        "contentType": observation.response.content_type,
        "body": body,
        "batchesAfter": batches,
    });
    if !observation.earlier.is_empty() {
        snapshot["earlierStatuses"] = json!(observation.earlier);
    }
    stabilise(&snapshot, &[], None)
}

fn replace_ids(text: &str, names: &[(String, String)]) -> String {
    names
        .iter()
        .filter(|(id, _)| !id.is_empty())
        .fold(text.to_owned(), |text, (id, name)| text.replace(id, name))
}

/// Sorts maps, names ids and timestamps; `key` is the field `value` stands under.
fn stabilise(value: &Value, names: &[(String, String)], key: Option<&str>) -> Value {
    match value {
        Value::Number(_) | Value::String(_) if key.is_some_and(is_timestamp_field) => {
            Value::String(TIMESTAMP.to_owned())
        }
        Value::String(s) if looks_like_a_date(s) => Value::String(TIMESTAMP.to_owned()),
        Value::String(s) => Value::String(replace_ids(s, names)),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| stabilise(v, names, None)).collect())
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let sorted: Map<String, Value> = keys
                .into_iter()
                .map(|k| (replace_ids(k, names), stabilise(&map[k], names, Some(k))))
                .collect();
            Value::Object(sorted)
        }
        other => other.clone(),
    }
}

/// An RFC 3339 date or date-time, e.g. `2026-11-28T15:04:05Z`.
fn looks_like_a_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10)
}

/// `createdAt`, `updatedAt`, `deletedAt`, `timestamp`...
fn is_timestamp_field(key: &str) -> bool {
    key.ends_with("At") || key.eq_ignore_ascii_case("timestamp")
}

/// Why a baseline could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The file exists but is not a readable snapshot.
    #[error("read baseline {path}: {reason}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The file could not be written.
    #[error("write baseline {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// A folder of baselines in insta's `.snap` format: the store that `cargo test` writes and
/// `run --snapshots` reads (and `run --update-snapshots` writes), one file per case.
#[derive(Debug, Clone)]
pub struct Baselines {
    dir: PathBuf,
}

impl Baselines {
    /// The baselines in `dir`, e.g. `snapshots/mock`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Baselines { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the accepted baseline of `case` lives.
    pub fn path(&self, case: &str) -> PathBuf {
        self.dir.join(format!("{case}.snap"))
    }

    /// Where a changed observation waits for `cargo insta review`.
    pub fn pending_path(&self, case: &str) -> PathBuf {
        self.dir.join(format!("{case}.snap.new"))
    }

    /// The recorded observation of `case`, or `None` when none was recorded.
    ///
    /// # Errors
    /// When the file exists but cannot be read as a JSON snapshot.
    pub fn read(&self, case: &str) -> Result<Option<Value>, SnapshotError> {
        let path = self.path(case);
        if !path.exists() {
            return Ok(None);
        }
        let failed = |reason: String| SnapshotError::Read {
            path: path.clone(),
            reason,
        };
        let snapshot = insta::Snapshot::from_file(&path).map_err(|e| failed(e.to_string()))?;
        let text = snapshot
            .contents()
            .as_text()
            .map(ToString::to_string)
            .ok_or_else(|| failed("it is a binary snapshot".to_owned()))?;
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| failed(format!("its contents are not JSON: {e}")))
    }

    /// Records `observation` as the baseline of `case` (`pending`: as `.snap.new` for review).
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn write(
        &self,
        case: &Case,
        observation: &Value,
        pending: bool,
    ) -> Result<PathBuf, SnapshotError> {
        let path = if pending {
            self.pending_path(&case.name)
        } else {
            self.path(&case.name)
        };
        let write = |source| SnapshotError::Write {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(&self.dir).map_err(write)?;
        std::fs::write(&path, render(case, observation)).map_err(write)?;
        if !pending {
            // An accepted baseline supersedes whatever waited for review.
            let _ = std::fs::remove_file(self.pending_path(&case.name));
        }
        Ok(path)
    }
}

/// The `.snap` text insta writes for `cargo test`'s assertion of this case.
pub fn render(case: &Case, observation: &Value) -> String {
    let contents = serde_json::to_string_pretty(observation).unwrap_or_default();
    format!(
        "---\nsource: tests/contract.rs\ndescription: {}\ninput_file: {}\n---\n{contents}\n",
        yaml_scalar(&case.description),
        input_file(&case.path)
    )
}

/// The case file's path from its `cases` folder on, with `/` separators.
fn input_file(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let start = parts
        .iter()
        .rposition(|p| p == "cases")
        .unwrap_or(parts.len().saturating_sub(1));
    parts[start..].join("/")
}

/// A YAML scalar quoted exactly where insta's emitter quotes it, so that a baseline written
/// by `run` is byte for byte the file `cargo test` writes.
fn yaml_scalar(text: &str) -> String {
    const RESERVED: &[&str] = &[
        "yes", "Yes", "YES", "no", "No", "NO", "True", "TRUE", "true", "False", "FALSE", "false",
        "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
    ];
    let quote = text.is_empty()
        || text.starts_with(' ')
        || text.ends_with(' ')
        || text.starts_with(['&', '*', '?', '|', '-', '<', '>', '=', '!', '%', '@', '.'])
        || text.contains(|c: char| {
            matches!(
                c,
                ':' | '{' | '}' | '[' | ']' | ',' | '#' | '`' | '"' | '\'' | '\\'
            ) || (c.is_ascii_control() && c != '\x7f')
        })
        || RESERVED.contains(&text)
        || text.starts_with("0x")
        || text.parse::<i64>().is_ok()
        || text.parse::<f64>().is_ok();
    if quote {
        Value::String(text.to_owned()).to_string()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Response;

    fn fixture(suffix: &str) -> Fixture {
        Fixture {
            classification_id: format!("cls-{suffix}"),
            batch_ids: vec![format!("batch-{suffix}")],
            files: vec![
                (0, format!("file-{suffix}1")),
                (0, format!("file-{suffix}2")),
            ],
        }
    }

    fn observation(f: &Fixture) -> Observation {
        let body = json!({"status": "error", "message": format!("file {} not found", f.files[0].1),
            "deletedAt": 1_712_547_789_609_u64, "a": 1, "when": "2026-11-28T15:04:05Z"});
        Observation {
            earlier: vec![],
            response: Response {
                status: 404,
                content_type: Some("application/json".into()),
                text: body.to_string(),
                json: Some(body),
            },
            batches: vec![Ok(vec![f.files[1].1.clone()])],
        }
    }

    #[test]
    fn two_runs_with_other_ids_normalise_alike() {
        let (one, two) = (fixture("aaa"), fixture("bbbbbb"));
        assert_eq!(
            normalise(&observation(&one), &one),
            normalise(&observation(&two), &two)
        );
    }

    #[test]
    fn ids_in_messages_and_timestamps_get_names_and_maps_are_sorted() {
        let f = fixture("x");
        let value = normalise(&observation(&f), &f);
        assert_eq!(value["body"]["message"], "file [fileId:0] not found");
        assert_eq!(value["body"]["deletedAt"], TIMESTAMP);
        assert_eq!(value["body"]["when"], TIMESTAMP);
        assert_eq!(value["batchesAfter"], json!([["[fileId:1]"]]));
        let keys: Vec<&String> = value["body"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["a", "deletedAt", "message", "status", "when"]);
    }

    #[test]
    fn the_committed_baselines_read_back_as_they_render() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let baselines = Baselines::new(root.join("snapshots/mock"));
        let cases = crate::case::load_dir(&root.join("cases")).unwrap_or_default();
        assert!(!cases.is_empty());
        for case in cases {
            let recorded = baselines.read(&case.name).ok().flatten();
            let recorded = recorded.unwrap_or_else(|| panic!("no baseline for {}", case.name));
            let on_disk = std::fs::read_to_string(baselines.path(&case.name)).unwrap_or_default();
            assert_eq!(
                render(&case, &recorded),
                on_disk,
                "{} renders differently from insta",
                case.name
            );
        }
    }

    #[test]
    fn a_missing_baseline_reads_as_none() {
        assert!(matches!(Baselines::new("no/such/dir").read("x"), Ok(None)));
    }
}
