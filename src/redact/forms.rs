//! The forms a key may take in a server's answer: JSON-escaped, URL-encoded, base64 at any
//! alignment, each as the renderers escape it; and text with its escapes decoded once.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

/// The key written inside a JSON string: as serde writes it, with `/` escaped (PHP), and with
/// every character as `\uXXXX` (lower and upper hex).
pub(super) fn json_forms(key: &str) -> Vec<String> {
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
pub(super) fn url_forms(key: &str) -> Vec<String> {
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
pub(super) fn base64_forms(key: &str) -> Vec<String> {
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
pub(super) fn markup_forms(form: &str) -> Vec<String> {
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
pub(super) fn decode_escapes(text: &str) -> String {
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
