//! The one redactor and escaper: secrets never leave the process in clear text, and text from
//! the target never acts on the terminal or CI log it is shown in.
//!
//! The checks, the ids and the next request use answers as they came; the key is replaced only
//! where text leaves the process (the terminal, the JSON and JUnit reports, the snapshots).
//! A server may echo a key in another form than it was sent, so each key is also looked for
//! JSON-escaped (as serde and PHP's `json_encode` write it, or every character as `\uXXXX`),
//! URL-encoded and in base64 (standard or URL-safe, at any alignment inside a longer blob);
//! text that still holds escapes is decoded once and searched again. Each of these forms is also
//! looked for as the renderers escape it (HTML and XML entities, a Markdown cell's `\|`): the
//! reports redact their data before they render it, and this is the second line of defence.
//!
//! [`escaped`] shows what a terminal, a CI log or a parser would act on (control characters,
//! ANSI sequences, newlines, the invisible characters that reorder or hide text, the
//! non-characters XML forbids, the `##` of a CI command) as visible escapes. [`guarded`] is the
//! last pass over everything that leaves the process, in the escapes of the format it is
//! written in: whatever a renderer missed, no line of it is a CI command and no character in it
//! acts.

use std::borrow::Cow;
use std::fmt;
use std::fmt::Write as _;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

/// What a secret is replaced with.
pub const REDACTED: &str = "[REDACTED]";

/// Keys shorter than this are looked for only as they are and escaped: their base64 forms are
/// short enough to occur in unrelated text.
const MIN_ENCODED_KEY: usize = 8;

/// Secrets shorter than this (a test key such as `k`, the half of a short key) are replaced
/// only where they stand as a token of their own, not inside a word: replaced everywhere, a
/// one-letter key would take that letter out of every word of the output.
const MIN_ANYWHERE: usize = 8;

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

/// An API key. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    /// The key itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The key with its last character changed: to `x`, or to `y` where it ends in `x`.
    pub fn last_char_changed(&self) -> ApiKey {
        let mut chars = self.0.chars();
        let Some(last) = chars.next_back() else {
            return ApiKey(String::new());
        };
        let other = if last == 'x' { 'y' } else { 'x' };
        ApiKey(format!("{}{other}", chars.as_str()))
    }

    /// The key's first half: its first `n / 2` characters of `n`.
    pub fn first_half(&self) -> ApiKey {
        let half = self.0.chars().count() / 2;
        ApiKey(self.0.chars().take(half).collect())
    }

    /// The key with `x` appended.
    pub fn with_extra_char(&self) -> ApiKey {
        ApiKey(format!("{}x", self.0))
    }

    /// The near misses of the key that a request may carry (each must be refused), and that
    /// are secret like the key: they show all of it, or half of it.
    pub fn near_misses(&self) -> [ApiKey; 3] {
        [
            self.last_char_changed(),
            self.first_half(),
            self.with_extra_char(),
        ]
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// Replaces every secret it knows, in every form it knows, with [`REDACTED`].
#[derive(Clone, Default)]
pub struct Redactor {
    /// One automaton over every form of every secret of [`MIN_ANYWHERE`] characters or more,
    /// the longest match winning; `None` without one.
    forms: Option<AhoCorasick>,
    /// The forms of the shorter secrets, replaced only where they stand as a token of their
    /// own; `None` without one.
    tokens: Option<AhoCorasick>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = [&self.forms, &self.tokens]
            .into_iter()
            .flatten()
            .map(AhoCorasick::patterns_len)
            .sum::<usize>();
        write!(f, "Redactor({count} forms)")
    }
}

/// The key written inside a JSON string: as serde writes it, with `/` escaped (PHP), and with
/// every character as `\uXXXX` (lower and upper hex).
fn json_forms(key: &str) -> Vec<String> {
    let serde = serde_json::to_string(key).unwrap_or_default();
    let serde = serde
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(&serde)
        .to_owned();
    let php = serde.replace('/', "\\/");
    let mut lower = String::new();
    let mut upper = String::new();
    for unit in key.encode_utf16() {
        lower.push_str(&format!("\\u{unit:04x}"));
        upper.push_str(&format!("\\u{unit:04X}"));
    }
    vec![serde, php, lower, upper]
}

/// The key URL-encoded: every byte outside the unreserved set as `%XX` (upper and lower hex),
/// and the form-encoding variant with `+` for a space.
fn url_forms(key: &str) -> Vec<String> {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let upper = utf8_percent_encode(key, UNRESERVED).to_string();
    let lower = lower_hex_escapes(&upper);
    let form = upper.replace("%20", "+");
    vec![upper, lower, form]
}

/// `%2F` as `%2f`: the hex digits of every escape in lower case.
fn lower_hex_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut hex_left = 0;
    for c in text.chars() {
        if c == '%' {
            hex_left = 2;
            out.push(c);
        } else if hex_left > 0 {
            hex_left -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The key in base64 as it appears inside any blob: for each of the three alignments, the
/// characters that depend on the key's bytes alone, in the four alphabets.
fn base64_forms(key: &str) -> Vec<String> {
    let mut forms = Vec::new();
    for engine in [&STANDARD, &URL_SAFE] {
        // Alone, with and without padding.
        let alone = engine.encode(key);
        forms.push(alone.trim_end_matches('=').to_owned());
        forms.push(alone);
    }
    for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
        for offset in 0..3_usize {
            // `offset` bytes before the key shift it to another alignment; the first chars
            // that depend on those bytes, and the last that depend on what follows, drop out.
            let mut bytes = vec![0_u8; offset];
            bytes.extend_from_slice(key.as_bytes());
            let encoded = engine.encode(&bytes);
            let skip = (offset * 8).div_ceil(6);
            let keep = (bytes.len() * 8) / 6;
            forms.extend(encoded.get(skip..keep).map(str::to_owned));
        }
    }
    forms
}

/// `form` as the renderers escape it: for HTML and XML (`&amp;`, `&lt;`, `&gt;`, with quotes as
/// they are or as `&quot;` and `&#39;`, `&apos;` or `&#x27;`), and for a Markdown table cell
/// (`\|`), alone and then HTML-escaped. Only the forms that differ from `form`.
fn markup_forms(form: &str) -> Vec<String> {
    let html = |text: &str| {
        let amp = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        let quoted = amp.replace('"', "&quot;");
        [
            quoted.replace('\'', "&#39;"),
            quoted.replace('\'', "&apos;"),
            quoted.replace('\'', "&#x27;"),
            quoted,
            amp,
        ]
    };
    let cell = form.replace('|', "\\|");
    let mut forms: Vec<String> = html(form).into_iter().chain(html(&cell)).collect();
    forms.push(cell);
    forms.retain(|escaped| escaped != form);
    forms
}

/// Decodes JSON escapes (`\uXXXX`, `\/`, `\"`, `\\`) and URL escapes (`%XX`) once, leaving
/// anything else as it is.
fn decode_escapes(text: &str) -> String {
    let mut units: Vec<u16> = Vec::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let flush = |units: &mut Vec<u16>, out: &mut String| {
        out.push_str(&String::from_utf16_lossy(units));
        units.clear();
    };
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if let Some(hex) = rest.strip_prefix("\\u").and_then(|r| r.get(..4)) {
            if let Ok(unit) = u16::from_str_radix(hex, 16) {
                units.push(unit);
                i += 6;
                continue;
            }
        }
        flush(&mut units, &mut out);
        if let Some(c) = rest
            .strip_prefix('\\')
            .and_then(|r| r.chars().next())
            .filter(|c| matches!(c, '/' | '"' | '\\'))
        {
            out.push(c);
            i += 2;
            continue;
        }
        if let Some(hex) = rest.strip_prefix('%').and_then(|r| r.get(..2)) {
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                // Collect a run of escapes so multi-byte characters decode whole.
                let mut run = vec![byte];
                let mut j = i + 3;
                while let Some(next) = text
                    .get(j..)
                    .and_then(|r| r.strip_prefix('%'))
                    .and_then(|r| r.get(..2))
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    run.push(next);
                    j += 3;
                }
                out.push_str(&String::from_utf8_lossy(&run));
                i = j;
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or_default();
        out.push(c);
        i += c.len_utf8();
    }
    flush(&mut units, &mut out);
    out
}

/// One automaton over `forms`, or `None` when there are none.
fn automaton(mut forms: Vec<String>, kind: MatchKind) -> Option<AhoCorasick> {
    forms.retain(|form| !form.is_empty());
    forms.sort();
    forms.dedup();
    if forms.is_empty() {
        return None;
    }
    AhoCorasick::builder()
        .match_kind(kind)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(&forms)
        .ok()
}

/// `text` with every match of `tokens` that stands as a token of its own (no letter or digit
/// just before or after it) replaced; overlapping matches are replaced as one.
fn replace_tokens(tokens: &AhoCorasick, text: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut spans: Vec<(usize, usize)> = tokens
        .find_overlapping_iter(text)
        .filter(|m| {
            !word(text[..m.start()].chars().next_back()) && !word(text[m.end()..].chars().next())
        })
        .map(|m| (m.start(), m.end()))
        .collect();
    if spans.is_empty() {
        return text.to_owned();
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        if end <= at {
            continue;
        }
        out.push_str(&text[at..start.max(at)]);
        if start >= at {
            out.push_str(REDACTED);
        }
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

impl Redactor {
    /// A redactor for these keys and their near misses ([`ApiKey::near_misses`]; the
    /// longest match wins, so the key is one redaction, not its half and the rest); empty
    /// keys are ignored.
    pub fn new(secrets: impl IntoIterator<Item = ApiKey>) -> Self {
        let mut forms = Vec::new();
        let mut tokens = Vec::new();
        let secrets = secrets
            .into_iter()
            .filter(|key| !key.expose().is_empty())
            .flat_map(|key| {
                let near = key.near_misses();
                std::iter::once(key).chain(near)
            });
        for key in secrets {
            let key = key.expose();
            if key.is_empty() {
                continue;
            }
            let mut own = vec![key.to_owned()];
            own.extend(json_forms(key));
            own.extend(url_forms(key));
            if key.len() >= MIN_ENCODED_KEY {
                own.extend(base64_forms(key));
            }
            // A second line of defence: each form as a renderer escapes it, should a renderer
            // be given text that was not redacted first.
            let rendered: Vec<String> = own.iter().flat_map(|f| markup_forms(f)).collect();
            let into = if key.chars().count() >= MIN_ANYWHERE {
                &mut forms
            } else {
                &mut tokens
            };
            into.extend(own);
            into.extend(rendered);
        }
        Redactor {
            forms: automaton(forms, MatchKind::LeftmostLongest),
            tokens: automaton(tokens, MatchKind::Standard),
        }
    }

    /// Whether `text` holds a secret in any form this redactor knows.
    pub fn finds_secret(&self, text: &str) -> bool {
        self.redact(text) != text
    }

    fn replace_forms(&self, text: &str) -> String {
        let mut out = match &self.forms {
            Some(forms) => {
                let mut out = String::with_capacity(text.len());
                forms.replace_all_with(text, &mut out, |_, _, out| {
                    out.push_str(REDACTED);
                    true
                });
                out
            }
            None => text.to_owned(),
        };
        if let Some(tokens) = &self.tokens {
            out = replace_tokens(tokens, &out);
        }
        out
    }

    /// `text` with every secret replaced, in every form.
    pub fn redact(&self, text: &str) -> String {
        if self.forms.is_none() && self.tokens.is_none() {
            return text.to_owned();
        }
        let replaced = self.replace_forms(text);
        if replaced.contains('\\') || replaced.contains('%') {
            // A key escaped one character at a time: decode once and look again. The decoded
            // text is shown only when it hid a secret.
            let decoded = decode_escapes(&replaced);
            let again = self.replace_forms(&decoded);
            if again != decoded {
                return again;
            }
        }
        replaced
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-live/Ab+c=d3f9Q";

    fn redactor() -> Redactor {
        Redactor::new([ApiKey::new(KEY)])
    }

    #[test]
    fn the_redactor_is_a_leaf() {
        let source = include_str!("redact.rs");
        assert!(source.contains("use "));
        assert!(
            !source.contains(concat!("crate", "::")),
            "redact.rs reads nothing of the crate"
        );
    }

    #[test]
    fn server_text_cannot_draw_lines_or_clear_the_screen() {
        let hostile = "x\n[24/24] PASS all\n::error::pwned\u{1b}[2J\u{202e}";
        let shown = escaped(hostile);
        assert!(!shown.contains('\n') && !shown.contains('\u{1b}') && !shown.contains('\u{202e}'));
        assert_eq!(
            shown,
            "x\\n[24/24] PASS all\\n::error::pwned\\x1b[2J\\u{202e}"
        );
        assert!(matches!(escaped("Files deleted"), Cow::Borrowed(_)));
    }

    #[test]
    fn non_characters_and_ci_commands_are_shown_not_acted_on() {
        assert_eq!(
            escaped("a\u{fffe}\u{ffff}\u{1fffe}\u{2028}b"),
            "a\\u{fffe}\\u{ffff}\\u{1fffe}\\u{2028}b"
        );
        assert_eq!(
            escaped("x ##vso[task.setvariable]1 ##[error]y ## heading"),
            "x \\u{23}#vso[task.setvariable]1 \\u{23}#[error]y ## heading"
        );
    }

    #[test]
    fn the_guard_writes_each_channel_in_its_own_escapes() {
        let text = "  ::error::x\n##vso[a]b \u{202e}\u{ffff}\u{1b}[31mred\u{1b}[0m\tend";
        assert_eq!(
            guarded(text, Channel::Text { colour: false }),
            "  \\u{3a}:error::x\n\\u{23}#vso[a]b \\u{202e}\\u{ffff}\\x1b[31mred\\x1b[0m\tend"
        );
        assert_eq!(
            guarded(text, Channel::Text { colour: true }),
            "  \\u{3a}:error::x\n\\u{23}#vso[a]b \\u{202e}\\u{ffff}\u{1b}[31mred\u{1b}[0m\tend"
        );
        assert_eq!(
            guarded(text, Channel::Markup),
            "  &#58;:error::x\n&#35;#vso[a]b \\u{202e}\\u{ffff}\\x1b[31mred\\x1b[0m\tend"
        );
        // JSON escapes read back as the same value.
        let json = serde_json::to_string("##[x] \u{202e}\u{7f}\u{1fffe}").unwrap_or_default();
        let shown = guarded(&json, Channel::Json);
        assert_eq!(shown, r##""\u0023#[x] \u202e\u007f\ud83f\udffe""##);
        let read: String = serde_json::from_str(&shown).unwrap_or_default();
        assert_eq!(read, "##[x] \u{202e}\u{7f}\u{1fffe}");
        assert!(matches!(
            guarded("plain: text", Channel::Json),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_key_is_found_as_every_renderer_escapes_it() {
        let key = "sk-<b>&\"'|x";
        let redactor = Redactor::new([ApiKey::new(key)]);
        for shown in [
            "sk-&lt;b&gt;&amp;&quot;&#39;|x",
            "sk-&lt;b&gt;&amp;&quot;&apos;|x",
            "sk-&lt;b&gt;&amp;\"'|x",
            "sk-<b>&\"'\\|x",
            "sk-&lt;b&gt;&amp;\\&quot;&#39;|x",
        ] {
            assert_eq!(
                redactor.redact(&format!("<td>{shown}</td>")),
                "<td>[REDACTED]</td>",
                "{shown}"
            );
        }
    }

    #[test]
    fn a_key_is_replaced_wherever_it_stands() {
        let redactor = Redactor::new([ApiKey::new("sk-123")]);
        assert_eq!(
            redactor.redact("Bearer sk-123, again sk-123"),
            "Bearer [REDACTED], again [REDACTED]"
        );
    }

    #[test]
    fn a_key_never_prints_through_debug_or_display() {
        let key = ApiKey::new("sk-123");
        assert_eq!(format!("{key} {key:?}"), "[REDACTED] [REDACTED]");
        assert!(!format!("{:?}", Redactor::new([key])).contains("sk-123"));
    }

    #[test]
    fn an_empty_key_changes_nothing() {
        assert_eq!(Redactor::new([ApiKey::new("")]).redact("text"), "text");
    }

    #[test]
    fn every_encoding_a_server_may_echo_is_redacted() {
        let redactor = redactor();
        let echoes = [
            KEY.to_owned(),
            KEY.replace('/', "\\/"),
            KEY.encode_utf16().map(|u| format!("\\u{u:04x}")).collect(),
            KEY.encode_utf16().map(|u| format!("\\u{u:04X}")).collect(),
            // Some characters escaped, some not.
            KEY.replace('s', "\\u0073").replace('/', "\\/"),
            percent_encoding::utf8_percent_encode(KEY, percent_encoding::NON_ALPHANUMERIC)
                .to_string(),
            STANDARD.encode(KEY),
            URL_SAFE_NO_PAD.encode(KEY),
            STANDARD.encode(format!("Bearer {KEY}")),
            STANDARD.encode(format!("x:{KEY}:y")),
        ];
        for echo in echoes {
            let shown = redactor.redact(&format!("{{\"message\": \"you sent {echo} here\"}}"));
            assert!(shown.contains(REDACTED), "{echo} -> {shown}");
            assert!(!shown.contains(KEY), "{echo} -> {shown}");
            assert!(!shown.contains(&echo), "{echo} -> {shown}");
        }
    }

    #[test]
    fn text_without_a_secret_is_left_as_it_is() {
        let redactor = redactor();
        let text = r#"{"message": "caf\u00e9 100% ok \/ fine"}"#;
        assert_eq!(redactor.redact(text), text);
    }

    #[test]
    fn a_second_key_is_redacted_like_the_first() {
        let redactor = Redactor::new([ApiKey::new("first-key-123"), ApiKey::new("second-key-456")]);
        assert_eq!(
            redactor.redact("first-key-123 and second-key-456"),
            "[REDACTED] and [REDACTED]"
        );
    }

    #[test]
    fn url_escapes_in_lower_case_and_form_encoding_are_redacted_in_place() {
        let redactor = Redactor::new([ApiKey::new("Key With/Slash \u{e9}")]);
        for echo in [
            "Key%20With%2FSlash%20%C3%A9",
            "Key%20With%2fSlash%20%c3%a9",
            "Key+With%2FSlash+%C3%A9",
        ] {
            // The other escape stays as it was: the form was found without decoding the text.
            let shown = redactor.redact(&format!("path %2Fx sent {echo}"));
            assert_eq!(shown, "path %2Fx sent [REDACTED]", "{echo}");
        }
    }

    #[test]
    fn json_escaped_keys_are_redacted_in_place() {
        let redactor = redactor();
        let unicode_lower: String = KEY.encode_utf16().map(|u| format!("\\u{u:04x}")).collect();
        let unicode_upper: String = KEY.encode_utf16().map(|u| format!("\\u{u:04X}")).collect();
        for echo in [KEY.replace('/', "\\/"), unicode_lower, unicode_upper] {
            // The other escape stays as it was: the form was found without decoding the text.
            let shown = redactor.redact(&format!(r#"{{"path": "a\/b", "echo": "{echo}"}}"#));
            assert_eq!(shown, r#"{"path": "a\/b", "echo": "[REDACTED]"}"#, "{echo}");
        }
    }

    #[test]
    fn base64_is_looked_for_from_eight_characters_on() {
        let eight = Redactor::new([ApiKey::new("abcdefgh")]);
        assert_eq!(eight.redact(&STANDARD.encode("abcdefgh")), REDACTED);
        let seven = Redactor::new([ApiKey::new("abcdefg")]);
        let encoded = STANDARD.encode("abcdefg");
        assert_eq!(seven.redact(&encoded), encoded);
    }

    #[test]
    fn a_secret_is_found_in_any_form_and_only_then() {
        let redactor = redactor();
        assert!(redactor.finds_secret(&format!("sent {}", STANDARD.encode(KEY))));
        assert!(!redactor.finds_secret("sent nothing of the kind"));
        assert!(!Redactor::default().finds_secret(KEY));
    }

    #[test]
    fn a_redactor_shows_how_many_forms_it_knows() {
        assert_eq!(format!("{:?}", Redactor::default()), "Redactor(0 forms)");
        let shown = format!("{:?}", Redactor::new([ApiKey::new("sk-123")]));
        assert!(shown.starts_with("Redactor(") && !shown.starts_with("Redactor(0 "));
    }

    #[test]
    fn the_near_misses_of_a_key_are_derived_as_the_requests_send_them() {
        let key = ApiKey::new("sk-live-1234");
        assert_eq!(key.last_char_changed().expose(), "sk-live-123x");
        assert_eq!(ApiKey::new("abcx").last_char_changed().expose(), "abcy");
        assert_eq!(key.first_half().expose(), "sk-liv");
        assert_eq!(ApiKey::new("abcde").first_half().expose(), "ab");
        assert_eq!(key.with_extra_char().expose(), "sk-live-1234x");
        assert_eq!(ApiKey::new("").last_char_changed().expose(), "");
    }

    #[test]
    fn a_short_key_is_replaced_where_it_stands_alone_not_inside_words() {
        let redactor = Redactor::new([ApiKey::new("k")]);
        // The one-letter key and its near misses (`x`, `kx`) stay in the words...
        assert_eq!(
            redactor.redact("write it https://api.extracta.ai/api/v1"),
            "write it https://api.extracta.ai/api/v1"
        );
        // ...and go wherever they stand as a token.
        assert_eq!(
            redactor.redact("Authorization: Bearer k, \"x\", kx; api_key=k&y=%6B"),
            "Authorization: Bearer [REDACTED], \"[REDACTED]\", [REDACTED]; api_key=[REDACTED]&y=[REDACTED]"
        );
        // A long key is replaced anywhere, a short one beside it only as a token.
        let both = Redactor::new([ApiKey::new("sk-live-5e1f9a2b7c"), ApiKey::new("ab")]);
        assert_eq!(
            both.redact("zsk-live-5e1f9a2b7cz ab cab"),
            "z[REDACTED]z [REDACTED] cab"
        );
    }

    #[test]
    fn the_near_misses_of_a_key_are_redacted_and_the_key_stays_one_redaction() {
        let key = ApiKey::new("sk-live-5e1f9a2b7c");
        let redactor = Redactor::new([key.clone()]);
        for near in key.near_misses() {
            let near = near.expose().to_owned();
            let shown = redactor.redact(&format!("sent {near} and {}", STANDARD.encode(&near)));
            assert_eq!(shown, "sent [REDACTED] and [REDACTED]", "{near}");
        }
        // The half is a prefix of the key: the key is still replaced whole.
        assert_eq!(
            redactor.redact("Bearer sk-live-5e1f9a2b7c."),
            "Bearer [REDACTED]."
        );
        assert_eq!(redactor.redact("key sk-live-5e1f9a2b7cx"), "key [REDACTED]");
    }

    #[test]
    fn a_key_escaped_a_character_at_a_time_is_found_after_decoding() {
        let redactor = Redactor::new([ApiKey::new("k\"ey\\-é-long")]);
        // `k`, `"` and `\` each escaped differently, `é` as UTF-8 percent escapes.
        let echo = r#"\u006b\"ey\\-%C3%A9-long"#;
        assert_eq!(redactor.redact(&format!("<{echo}>")), "<[REDACTED]>");
    }
}
