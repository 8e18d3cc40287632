//! Values quoted in failure and drift lines, shortened to a fixed length with their size
//! stated: a target that answers with a 3 MiB message gets a line, not 3 MiB of it.
//!
//! A text already cut for showing carries the marker [`shortened`] writes (`… (N more bytes)`),
//! and the size stated is that of the whole text it was cut from.

use std::io::Write;

use serde_json::Value;

/// The most characters of a value a failure or drift line quotes: a longer one is cut and says
/// its size, `"aaaa…" (3145728 bytes)`.
pub const QUOTED_CHARS: usize = 200;

/// The most characters of a sentence from the target (a transport error, a reason, a list of
/// ids) a failure line holds.
pub const SENTENCE_CHARS: usize = 1000;

/// The marker a cut text ends with, before the count of bytes left out.
const MARK: &str = "… (";
const MARK_END: &str = " more bytes)";

/// `text` cut after `limit` characters, saying how much more there was: `éé… (4 more bytes)`.
/// A text cut before counts what its earlier cut left out too.
pub fn shortened(text: &str, limit: usize) -> String {
    // No more characters than bytes: a text of at most `limit` bytes is never cut (most are
    // far shorter than the limit, and counting characters reads them whole).
    if text.len() <= limit {
        return text.to_owned();
    }
    match text.char_indices().nth(limit) {
        Some((end, _)) => {
            let (whole, _) = split_mark(text);
            if end >= whole.len() && whole.len() < text.len() {
                // The cut falls in the marker of an earlier cut: that one is short enough.
                return text.to_owned();
            }
            let left_out = size(text) - end.min(whole.len());
            format!("{}{MARK}{left_out}{MARK_END}", &text[..end])
        }
        None => text.to_owned(),
    }
}

/// `text` without a trailing cut marker, and the bytes that marker says were left out.
fn split_mark(text: &str) -> (&str, usize) {
    let Some(body) = text.strip_suffix(MARK_END) else {
        return (text, 0);
    };
    let Some(at) = body.rfind(MARK) else {
        return (text, 0);
    };
    match body[at + MARK.len()..].parse::<usize>() {
        Ok(more) => (&body[..at], more),
        Err(_) => (text, 0),
    }
}

/// The size in bytes of the text `text` was cut from (itself, when it was not cut).
pub fn size(text: &str) -> usize {
    let (whole, more) = split_mark(text);
    whole.len() + more
}

/// Text from the target as a JSON string, cut after [`QUOTED_CHARS`] characters: `"Invalid
/// batchId"`, `"aaaa…" (3145728 bytes)`.
pub fn text(text: &str) -> String {
    let (whole, _) = split_mark(text);
    match whole.char_indices().nth(QUOTED_CHARS) {
        None if whole.len() == text.len() => json_string(text),
        cut => {
            let end = cut.map_or(whole.len(), |(end, _)| end);
            let quoted = json_string(&whole[..end]);
            let open = quoted.strip_suffix('"').unwrap_or(&quoted);
            format!("{open}…\" ({} bytes)", size(text))
        }
    }
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Text from the target as it is (an id, a media type, a sentence), cut after `limit`
/// characters with its size stated: `abc… (5000 bytes)`.
pub fn bounded(text: &str, limit: usize) -> String {
    let (whole, _) = split_mark(text);
    match whole.char_indices().nth(limit) {
        None if whole.len() == text.len() => text.to_owned(),
        cut => {
            let end = cut.map_or(whole.len(), |(end, _)| end);
            format!("{}… ({} bytes)", &whole[..end], size(text))
        }
    }
}

/// Keeps the first bytes written to it and counts them all.
struct Head {
    kept: Vec<u8>,
    cap: usize,
    total: usize,
}

impl Write for Head {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let room = self.cap.saturating_sub(self.kept.len());
        self.kept.extend_from_slice(&buf[..buf.len().min(room)]);
        self.total += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A JSON value as a failure line quotes it, compact: whole when short, else its first
/// [`QUOTED_CHARS`] characters and its size (`{"a":[1,2,…} (5000 bytes)`). Never more than a
/// line's worth is held, however long the value.
pub fn value(value: &Value) -> String {
    if let Value::String(string) = value {
        return text(string);
    }
    let mut head = Head {
        kept: Vec::new(),
        cap: QUOTED_CHARS * 4 + 4,
        total: 0,
    };
    let _ = serde_json::to_writer(&mut head, value);
    let kept = String::from_utf8_lossy(&head.kept);
    match kept.char_indices().nth(QUOTED_CHARS) {
        None if head.kept.len() == head.total => kept.into_owned(),
        cut => {
            let end = cut.map_or(kept.len(), |(end, _)| end);
            format!("{}… ({} bytes)", &kept[..end], head.total)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_short_value_is_quoted_whole() {
        assert_eq!(text("Invalid batchId"), "\"Invalid batchId\"");
        assert_eq!(value(&json!({"a": [1, 2]})), r#"{"a":[1,2]}"#);
        assert_eq!(bounded("batch-1", QUOTED_CHARS), "batch-1");
    }

    #[test]
    fn a_long_value_is_cut_and_says_its_size() {
        let huge = "a".repeat(3 * 1024 * 1024);
        let quoted = text(&huge);
        assert_eq!(
            quoted,
            format!("\"{}…\" (3145728 bytes)", "a".repeat(QUOTED_CHARS))
        );
        let object = value(&json!({ "message": huge }));
        assert!(object.ends_with("… (3145742 bytes)"), "{object}");
        assert!(object.chars().count() < QUOTED_CHARS + 30, "{object}");
    }

    #[test]
    fn a_text_cut_before_states_the_size_of_the_whole() {
        let huge = "a".repeat(100_000);
        let kept = shortened(&huge, 1000);
        assert_eq!(size(&kept), 100_000);
        assert!(text(&kept).ends_with("…\" (100000 bytes)"));
        assert!(shortened(&kept, 10).ends_with("… (99990 more bytes)"));
        assert!(bounded(&kept, 5).ends_with("aaaaa… (100000 bytes)"));
        // A short text cut before still says so.
        assert_eq!(text(&shortened(&huge, 3)), "\"aaa…\" (100000 bytes)");
        assert_eq!(shortened("éééé", 2), "éé… (4 more bytes)");
    }
}
