//! [`Redactor`]: every form of every key replaced by [`REDACTED`] in text that leaves the
//! process.

use std::fmt;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::forms::{base64_forms, decode_escapes, json_forms, markup_forms, url_forms};
use super::key::{ApiKey, REDACTED};

/// Keys shorter than this are looked for only as they are and escaped: their base64 forms are
/// short enough to occur in unrelated text.
const MIN_ENCODED_KEY: usize = 8;

/// Secrets shorter than this (a test key such as `k`, the half of a short key) are replaced
/// only where they stand as a token of their own, not inside a word: replaced everywhere, a
/// one-letter key would take that letter out of every word of the output.
const MIN_ANYWHERE: usize = 8;

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
