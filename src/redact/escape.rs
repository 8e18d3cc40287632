//! The escaper: text from the target shown so that nothing in it acts on the terminal or CI
//! log it is written to ([`escaped`]), and the last pass over everything that leaves the
//! process, in the escapes of its format ([`guarded`]).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` acts rather than shows: a control character, a bidi control, an invisible or
/// line-breaking character, or a non-character (U+FDD0..U+FDEF and the last two code points of
/// every plane; XML 1.0 forbids U+FFFE and U+FFFF).
pub fn acts(c: char) -> bool {
    let n = u32::from(c);
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
        || (0xfdd0..=0xfdef).contains(&n)
        || n & 0xfffe == 0xfffe
}

/// `c` as a visible escape: `\n`, `\x1b`, `\u{202e}`.
fn push_visible(shown: &mut String, c: char) {
    match c {
        '\n' => shown.push_str("\\n"),
        '\r' => shown.push_str("\\r"),
        '\t' => shown.push_str("\\t"),
        c if u32::from(c) < 0x100 => {
            let _ = write!(shown, "\\x{:02x}", u32::from(c));
        }
        c => {
            let _ = write!(shown, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// Whether the text after a `##` makes it an Azure Pipelines or GitHub Actions command
/// (`##[...]`, `##vso[...]`), which a CI log acts on wherever it stands in a line.
fn starts_ci_command(after: &str) -> bool {
    after.starts_with('[')
        || after
            .get(..4)
            .is_some_and(|word| word.eq_ignore_ascii_case("vso["))
}

/// Whether the `#` at `at` in `text` starts a `##[` or `##vso[` command.
fn command_hash(text: &str, at: usize) -> bool {
    text[at..].starts_with("##") && starts_ci_command(&text[at + 2..])
}

/// `text` with everything a terminal or a CI log would act on shown visibly: control
/// characters (newlines and ANSI escapes among them) as `\n`, `\x1b`..., the invisible
/// characters that reorder or hide text and the non-characters as `\u{202e}`..., and the `#`
/// that would start an Azure or GitHub command (`##vso[`, `##[`) as `\u{23}`.
pub fn escaped(text: &str) -> Cow<'_, str> {
    let hashes = text.contains("##");
    if !text.chars().any(acts) && !hashes {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for (at, c) in text.char_indices() {
        if acts(c) {
            push_visible(&mut shown, c);
        } else if hashes && c == '#' && command_hash(text, at) {
            shown.push_str("\\u{23}");
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// Where text leaves the process: each channel shows what would act in its own escapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Channel {
    /// Lines for a terminal or a CI log; with `colour`, the SGR sequences (`ESC [ ... m`) that
    /// paint a terminal are kept.
    Text {
        /// Whether colour sequences are ours (at a terminal).
        colour: bool,
    },
    /// JSON: JSON escapes (`\u202e`, `\u0023`), so that the value read back is the same.
    Json,
    /// XML or HTML: what XML forbids as visible text, a command's `#` or `:` as a character
    /// reference.
    Markup,
    /// Markdown: as text, without colour.
    Markdown,
}

/// The length of the SGR sequence (`ESC [ digits ; m`) at the start of `text`, if one is there.
fn sgr_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("\u{1b}[")?;
    let params = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (rest.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

/// The last pass over text leaving the process in `channel`: every character that acts in the
/// format's escapes (the line breaks and tabs of the layout kept), the `:` of a line that would
/// start a GitHub command (`::` after any spaces) and the `#` of any `##[` or `##vso[`
/// defused.
pub fn guarded(text: &str, channel: Channel) -> Cow<'_, str> {
    let layout = |c: char| matches!(c, '\n' | '\t');
    let needs =
        text.chars().any(|c| acts(c) && !layout(c)) || text.contains("##") || text.contains("::");
    if !needs {
        return Cow::Borrowed(text);
    }
    let (hash, colon) = match channel {
        Channel::Text { .. } | Channel::Markdown => ("\\u{23}", "\\u{3a}"),
        Channel::Json => ("\\u0023", "\\u003a"),
        Channel::Markup => ("&#35;", "&#58;"),
    };
    let mut out = String::with_capacity(text.len() + 16);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let indent = line.len() - line.trim_start().len();
        let mut at = 0;
        while let Some(c) = line[at..].chars().next() {
            if let (Channel::Text { colour: true }, Some(len)) = (channel, sgr_len(&line[at..])) {
                out.push_str(&line[at..at + len]);
                at += len;
                continue;
            }
            if acts(c) && !layout(c) {
                if channel == Channel::Json {
                    let mut units = [0_u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        let _ = write!(out, "\\u{unit:04x}");
                    }
                } else {
                    push_visible(&mut out, c);
                }
            } else if c == '#' && command_hash(line, at) {
                out.push_str(hash);
            } else if c == ':' && at == indent && line[at..].starts_with("::") {
                out.push_str(colon);
            } else {
                out.push(c);
            }
            at += c.len_utf8();
        }
    }
    Cow::Owned(out)
}
