//! A baseline's text, as insta writes it for `cargo test`: its header (the source, the case's
//! description and file, each a YAML scalar quoted as insta quotes it) and the normalised
//! observation; and whether a file's header declares it binary.

use std::fmt::Write as _;
use std::path::{Component, Path};

use crate::contract::case::Case;
use crate::result::Snapshot;

/// The `.snap` text insta writes for `cargo test`'s assertion of this case: the store's files
/// are insta's, asserted in `tests/contract.rs`, so `cargo insta review` can accept them. Every
/// header value is a YAML scalar quoted as insta quotes it: a line break or `: ` in a case's
/// path or description stays inside its own field.
pub fn render(case: &Case, observation: &Snapshot) -> String {
    let contents = serde_json::to_string_pretty(observation).unwrap_or_default();
    format!(
        "---\nsource: tests/contract.rs\ndescription: {}\ninput_file: {}\n---\n{contents}\n",
        yaml_scalar(&case.description),
        yaml_scalar(&input_file(&case.path))
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

/// A YAML scalar quoted exactly where insta's emitter quotes it, and escaped as it escapes
/// it, so that a baseline written by `run` is byte for byte the file `cargo test` writes.
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
            // insta leaves BEL, BS, VT, FF and ESC unquoted; any other C0 control is quoted.
            matches!(
                c,
                ':' | '{'
                    | '}'
                    | '['
                    | ']'
                    | ','
                    | '#'
                    | '`'
                    | '"'
                    | '\''
                    | '\\'
                    | '\0'..='\x06'
                    | '\t'
                    | '\n'
                    | '\r'
                    | '\x0e'..='\x1a'
                    | '\x1c'..='\x1f'
            )
        })
        || RESERVED.contains(&text)
        || text.starts_with("0x")
        || text.parse::<i64>().is_ok()
        || text.parse::<f64>().is_ok();
    if !quote {
        return text.to_owned();
    }
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\x08' => quoted.push_str("\\b"),
            '\t' => quoted.push_str("\\t"),
            '\n' => quoted.push_str("\\n"),
            '\x0c' => quoted.push_str("\\f"),
            '\r' => quoted.push_str("\\r"),
            '\0'..='\x1f' | '\x7f' => {
                let _ = write!(quoted, "\\u{:04x}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// Whether a snapshot's header declares it binary (`snapshot_kind: binary`).
pub(super) fn declares_binary(text: &str) -> bool {
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return false;
    }
    lines
        .take_while(|line| line.trim_end() != "---")
        .filter_map(|line| line.strip_prefix("snapshot_kind:"))
        .any(|kind| kind.trim() != "text")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scalar_is_quoted_where_yaml_would_read_it_as_something_else() {
        for (text, written) in [
            ("plain text", "plain text"),
            ("", "\"\""),
            (" lead", "\" lead\""),
            ("trail ", "\"trail \""),
            ("-dash", "\"-dash\""),
            ("a: b", "\"a: b\""),
            ("yes", "\"yes\""),
            ("0xZZ", "\"0xZZ\""),
            ("12", "\"12\""),
            ("1.5", "\"1.5\""),
            ("say \"hi\"\t", "\"say \\\"hi\\\"\\t\""),
            ("\u{1}", "\"\\u0001\""),
            // insta leaves an escape unquoted.
            ("a \u{1b} b", "a \u{1b} b"),
        ] {
            assert_eq!(yaml_scalar(text), written, "{text:?}");
        }
    }
}
