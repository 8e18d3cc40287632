//! Values that change on every request, which are not drift: recognised by their shape (UUIDs,
//! long random tokens in id-like fields, ISO-8601 and epoch timestamps) or named by the
//! profile (`volatile.json` beside its baselines). Only a value is ever ignored; a field that
//! appears or disappears is still drift.

use std::borrow::Cow;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use serde_json::Value;

use crate::contract::input::read_input;
use crate::contract::schema::SchemaSet;
use crate::result::Snapshot;

/// The name of the file of volatile values in a baseline folder.
pub const VOLATILE_FILE: &str = "volatile.json";
/// What a UUID becomes.
pub const UUID: &str = "[uuid]";
/// What a timestamp becomes.
pub const TIMESTAMP: &str = "[timestamp]";
/// What a random token in an id-like field becomes.
pub const TOKEN: &str = "[id]";
/// What a value the profile names becomes.
pub const VOLATILE: &str = "[volatile]";

/// Why a profile's file of volatile values is unusable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VolatileError {
    /// It could not be read.
    #[error("read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// It is not JSON of the right shape (`schemas/volatile.json`).
    #[error("load {path}: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, with pointers.
        reason: String,
    },
}

/// The volatile values a profile names, beside the built-in shapes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct VolatileRules {
    /// Field names whose value is volatile wherever they appear.
    #[serde(default)]
    pub fields: Vec<String>,
    /// JSON pointers into a snapshot whose value is volatile.
    #[serde(default)]
    pub pointers: Vec<String>,
}

impl VolatileRules {
    /// The rules in `dir/volatile.json`; none when the file does not exist.
    ///
    /// # Errors
    /// When the file exists but cannot be read (it is not a regular file, or too large) or
    /// breaks `schemas/volatile.json`.
    pub fn load(dir: &Path) -> Result<VolatileRules, VolatileError> {
        let path = dir.join(VOLATILE_FILE);
        if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == ErrorKind::NotFound) {
            return Ok(VolatileRules::default());
        }
        let invalid = |reason: String| VolatileError::Invalid {
            path: path.clone(),
            reason,
        };
        let text = read_input(&path).map_err(|e| VolatileError::Read {
            path: path.clone(),
            source: e.into(),
        })?;
        let document: Value = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        let schemas = SchemaSet::global();
        let violations = schemas
            .check("volatile", &document)
            .map_err(|e| invalid(e.to_string()))?;
        if !violations.is_empty() {
            let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
            return Err(invalid(listed.join("; ")));
        }
        serde_json::from_value(document).map_err(|e| invalid(e.to_string()))
    }

    /// `snapshot`'s body with every value these rules name replaced, as a new observation's
    /// is: a rule added after a baseline was recorded applies to it at once.
    pub fn mask(&self, snapshot: &Snapshot) -> Snapshot {
        let mut masked = snapshot.clone();
        if !self.fields.is_empty() || !self.pointers.is_empty() {
            self.mask_value(&mut masked.body, None, "/body");
        }
        masked
    }

    fn mask_value(&self, value: &mut Value, key: Option<&str>, pointer: &str) {
        if self.names(key, pointer) {
            *value = Value::String(VOLATILE.to_owned());
            return;
        }
        match value {
            Value::Array(items) => {
                for (n, item) in items.iter_mut().enumerate() {
                    self.mask_value(item, None, &format!("{pointer}/{n}"));
                }
            }
            Value::Object(map) => {
                for (k, item) in map.iter_mut() {
                    let child = format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                    self.mask_value(item, Some(k), &child);
                }
            }
            _ => {}
        }
    }

    /// Whether the value under `key`, at `pointer` in the snapshot, is named volatile.
    pub fn names(&self, key: Option<&str>, pointer: &str) -> bool {
        key.is_some_and(|k| self.fields.iter().any(|f| f == k))
            || self.pointers.iter().any(|p| p == pointer)
    }
}

static UUID_PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b",
    )
    .ok()
});
static DATE_TIME_PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)\b[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?\b",
    )
    .ok()
});
static HEX_RUN_PATTERN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?-u)\b[0-9a-fA-F]{24,}\b").ok());

/// Replaces every match of `pattern` in `text` with `with`.
fn replace_all<'t>(
    pattern: &LazyLock<Option<Regex>>,
    text: Cow<'t, str>,
    with: &str,
) -> Cow<'t, str> {
    match pattern.as_ref() {
        Some(regex) if regex.is_match(&text) => {
            Cow::Owned(regex.replace_all(&text, with).into_owned())
        }
        _ => text,
    }
}

/// The longest run of hex digits in `text`, and whether four digits and a `-` stand anywhere
/// (a date's start): what any volatile value inside text must have. Checked first, so that
/// the patterns are compiled and run only on text that may hold one.
fn shapes(text: &str) -> (usize, bool) {
    let (mut longest, mut run, mut digits, mut date) = (0, 0, 0, false);
    for byte in text.bytes() {
        run = if byte.is_ascii_hexdigit() { run + 1 } else { 0 };
        longest = longest.max(run);
        date |= byte == b'-' && digits >= 4;
        digits = if byte.is_ascii_digit() { digits + 1 } else { 0 };
    }
    (longest, date)
}

/// `text` with the volatile values inside it named: UUIDs, date-times and long hex runs
/// (trace ids).
pub fn in_text(text: &str) -> Cow<'_, str> {
    let (hex_run, date) = shapes(text);
    let text = Cow::Borrowed(text);
    // A UUID ends in 12 hex digits.
    let text = if hex_run >= 12 {
        replace_all(&UUID_PATTERN, text, UUID)
    } else {
        text
    };
    let text = if date {
        replace_all(&DATE_TIME_PATTERN, text, TIMESTAMP)
    } else {
        text
    };
    if hex_run < 24 {
        return text;
    }
    let hex_runs = HEX_RUN_PATTERN.as_ref();
    match hex_runs {
        // A long hex run counts only when it mixes digits and letters, as random ids do.
        Some(regex) if regex.is_match(&text) => Cow::Owned(
            regex
                .replace_all(&text, |found: &regex::Captures<'_>| {
                    let run = &found[0];
                    let digits = run.bytes().any(|b| b.is_ascii_digit());
                    let letters = run.bytes().any(|b| b.is_ascii_alphabetic());
                    if digits && letters {
                        TOKEN.to_owned()
                    } else {
                        run.to_owned()
                    }
                })
                .into_owned(),
        ),
        _ => text,
    }
}

/// `createdAt`, `updatedAt`, `deletedAt`, `timestamp`, `time`...
pub fn is_timestamp_field(key: &str) -> bool {
    key.ends_with("At")
        || key.eq_ignore_ascii_case("timestamp")
        || key.eq_ignore_ascii_case("time")
        || key.eq_ignore_ascii_case("date")
}

/// `id`, `requestId`, `traceId`, `request_id`, `x-request-id`...
pub fn is_id_field(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower == "id"
        || key.ends_with("Id")
        || key.ends_with("ID")
        || lower.ends_with("_id")
        || lower.ends_with("-id")
}

/// An id-like field that names a thing the vendor keeps (`fileId`, `batchId`...), not a
/// request's own id (`requestId`, `traceId`).
pub fn is_entity_id_field(key: &str) -> bool {
    const PER_REQUEST: &[&str] = &[
        "requestid",
        "traceid",
        "correlationid",
        "spanid",
        "request_id",
        "trace_id",
    ];
    is_id_field(key) && !PER_REQUEST.contains(&key.to_ascii_lowercase().as_str())
}

/// A string that looks generated: at least 8 characters of an id alphabet, with a digit.
pub fn is_random_token(text: &str) -> bool {
    text.len() >= 8
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        && text.bytes().any(|b| b.is_ascii_digit())
}

/// An integer in the range of epoch seconds or milliseconds from 2001 to 2100.
pub fn is_epoch(value: &Value) -> bool {
    const SECONDS: std::ops::RangeInclusive<u64> = 1_000_000_000..=4_102_444_800;
    const MILLIS: std::ops::RangeInclusive<u64> = 1_000_000_000_000..=4_102_444_800_000;
    value
        .as_u64()
        .is_some_and(|n| SECONDS.contains(&n) || MILLIS.contains(&n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn uuids_dates_and_trace_ids_inside_text_are_named() {
        assert_eq!(
            in_text(
                "request 3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b failed at 2026-11-28T15:04:05.123Z"
            ),
            "request [uuid] failed at [timestamp]"
        );
        assert_eq!(
            in_text("trace 4bf92f3577b34da6a3ce929d0e0e4736"),
            "trace [id]"
        );
        assert_eq!(in_text("Files deleted"), "Files deleted");
        assert!(matches!(in_text("Files deleted"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_date_alone_in_text_is_named() {
        assert_eq!(in_text("due 2026-11-28"), "due [timestamp]");
        assert_eq!(in_text("at 2026-11-28T10:00:00Z."), "at [timestamp].");
    }

    #[test]
    fn a_hex_run_is_named_from_24_characters_when_it_mixes_digits_and_letters() {
        let run = "4bf92f3577b34da6a3ce929d";
        assert_eq!(run.len(), 24);
        assert_eq!(in_text(&format!("trace {run}")), "trace [id]");
        // Digits alone (an order number) or letters alone (a word of hex letters) stay.
        let digits = "123456789012345678901234567890";
        assert_eq!(
            in_text(&format!("order {digits}")),
            format!("order {digits}")
        );
        let letters = "abcdefabcdefabcdefabcdefab";
        assert_eq!(in_text(letters), letters);
    }

    #[test]
    fn timestamp_fields_are_recognised_by_name() {
        for key in ["createdAt", "deletedAt", "timestamp", "Time", "DATE"] {
            assert!(is_timestamp_field(key), "{key}");
        }
        for key in ["id", "status", "format", "at"] {
            assert!(!is_timestamp_field(key), "{key}");
        }
    }

    #[test]
    fn a_rule_masks_a_recorded_baseline_also_inside_lists() {
        let recorded = Snapshot {
            batches_after: vec![],
            body: json!({"region": "eu-1", "items": [{"region": "eu-2", "name": "a"}]}),
            content_type: None,
            earlier_statuses: vec![],
            status: 200,
        };
        let rules = VolatileRules {
            fields: vec!["region".to_owned()],
            pointers: vec![],
        };
        assert_eq!(
            rules.mask(&recorded).body,
            json!({"region": VOLATILE, "items": [{"region": VOLATILE, "name": "a"}]})
        );
        let by_pointer = VolatileRules {
            fields: vec![],
            pointers: vec!["/body/items/0/name".to_owned()],
        };
        assert_eq!(
            by_pointer.mask(&recorded).body,
            json!({"region": "eu-1", "items": [{"region": "eu-2", "name": VOLATILE}]})
        );
        assert_eq!(VolatileRules::default().mask(&recorded), recorded);
    }

    #[test]
    fn an_upper_case_uuid_is_a_uuid_too() {
        // .NET writes UUIDs in upper case; a mixed case one is still one.
        assert_eq!(
            in_text("job 3F2B8C1E-9A4D-4E6F-8B2A-1C3D5E7F9A0B queued"),
            "job [uuid] queued"
        );
        assert_eq!(in_text("3f2b8c1e-9A4D-4e6f-8B2A-1c3d5e7f9a0b"), "[uuid]");
    }

    #[test]
    fn id_like_fields_and_tokens_are_recognised() {
        for key in [
            "id",
            "requestId",
            "traceId",
            "request_id",
            "x-request-id",
            "fileID",
        ] {
            assert!(is_id_field(key), "{key}");
        }
        assert!(!is_id_field("message"));
        assert!(is_random_token("req_8f3a2c91"));
        assert!(is_random_token("-OPXR1F82I0cRYJPcHNo"));
        assert!(!is_random_token("extracta-contract-unknown-id"));
        assert!(!is_random_token("[fileId:0]"));
    }

    #[test]
    fn epoch_seconds_and_milliseconds_are_timestamps_but_small_numbers_are_not() {
        assert!(is_epoch(&json!(1_712_547_789)));
        assert!(is_epoch(&json!(1_712_547_789_609_u64)));
        assert!(!is_epoch(&json!(42)));
        assert!(!is_epoch(&json!(0.5)));
    }

    #[test]
    fn a_profile_names_fields_and_pointers() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            VolatileRules::load(dir.path()).ok(),
            Some(VolatileRules::default())
        );
        let _ = std::fs::write(
            dir.path().join(VOLATILE_FILE),
            r#"{"fields": ["region"], "pointers": ["/body/meta/shard"]}"#,
        );
        let rules = VolatileRules::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert!(rules.names(Some("region"), "/body/region"));
        assert!(rules.names(Some("shard"), "/body/meta/shard"));
        assert!(!rules.names(Some("shard"), "/body/shard"));
        let _ = std::fs::write(dir.path().join(VOLATILE_FILE), r#"{"field": ["x"]}"#);
        let error = VolatileRules::load(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("volatile.json"), "{error}");
    }
}
