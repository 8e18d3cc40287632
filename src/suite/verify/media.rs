//! `Content-Type` values compared as media types, not as strings: `type/subtype` without
//! regard to case, and only the parameters that mean something. For JSON (`application/json`
//! and every `+json` type) a `charset` of UTF-8 means nothing: JSON is UTF-8 (RFC 8259,
//! section 8.1) and the type defines no parameter (section 11), so
//! `application/json; charset=utf-8` is `application/json`. Any other charset on JSON is
//! wrong.

use mime::Mime;

/// A `Content-Type` value as a media type, or `None` when it is not one.
fn parse(content_type: &str) -> Option<Mime> {
    content_type.trim().parse().ok().or_else(|| {
        // Spacing around `=` is not allowed (RFC 9110), but servers write it.
        let tight: String = content_type
            .split(';')
            .map(|part| part.split('=').map(str::trim).collect::<Vec<_>>().join("="))
            .collect::<Vec<_>>()
            .join(";");
        tight.parse().ok()
    })
}

/// Whether a media type is JSON: `application/json` or a `+json` type.
fn is_json(media: &Mime) -> bool {
    media.subtype() == mime::JSON || media.suffix() == Some(mime::JSON)
}

/// Whether a charset names UTF-8.
fn is_utf8(charset: &str) -> bool {
    charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("utf8")
}

/// The media type's essence, `type/subtype` in lower case; the value itself, trimmed and in
/// lower case, when it is not a media type.
pub fn essence(content_type: &str) -> String {
    parse(content_type).map_or_else(
        || {
            content_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        },
        |media| media.essence_str().to_owned(),
    )
}

/// What a `Content-Type` means: the essence and the parameters that count, sorted, names in
/// lower case; a JSON type's UTF-8 charset dropped.
pub fn meaning(content_type: &str) -> String {
    let Some(media) = parse(content_type) else {
        return content_type.trim().to_ascii_lowercase();
    };
    let json = is_json(&media);
    let mut params: Vec<(String, String)> = media
        .params()
        .filter(|(name, value)| !(json && *name == mime::CHARSET && is_utf8(value.as_str())))
        .map(|(name, value)| {
            let name = name.as_str().to_ascii_lowercase();
            let value = if name == "charset" {
                value.as_str().to_ascii_lowercase()
            } else {
                value.as_str().to_owned()
            };
            (name, value)
        })
        .collect();
    params.sort();
    let mut meaning = media.essence_str().to_owned();
    for (name, value) in params {
        meaning.push_str(&format!(";{name}={value}"));
    }
    meaning
}

/// Whether two `Content-Type` headers (or their absence) mean the same.
pub fn same(before: Option<&str>, after: Option<&str>) -> bool {
    match (before, after) {
        (Some(before), Some(after)) => meaning(before) == meaning(after),
        (None, None) => true,
        _ => false,
    }
}

/// Whether `content_type` is of the media type `expected` (an essence) and, for JSON, declares
/// no charset but UTF-8.
pub fn conforms(content_type: &str, expected: &str) -> bool {
    let Some(media) = parse(content_type) else {
        return essence(content_type) == expected.to_ascii_lowercase();
    };
    let charset_ok = !is_json(&media)
        || media
            .get_param(mime::CHARSET)
            .is_none_or(|charset| is_utf8(charset.as_str()));
    media.essence_str().eq_ignore_ascii_case(expected) && charset_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_utf8_charset_on_json_means_nothing_in_any_case_or_spacing() {
        for variant in [
            "application/json; charset=utf-8",
            "application/json;charset=UTF-8",
            "Application/JSON; Charset=utf-8",
            "application/json ; charset = utf-8",
            "application/json; charset=\"utf-8\"",
            "application/json",
        ] {
            assert!(
                same(Some("application/json"), Some(variant)),
                "{variant} -> {}",
                meaning(variant)
            );
            assert!(conforms(variant, "application/json"), "{variant}");
        }
    }

    #[test]
    fn another_type_or_charset_is_another_meaning() {
        for other in [
            "text/plain",
            "application/problem+json",
            "application/json; charset=iso-8859-1",
            "text/html; charset=utf-8",
        ] {
            assert!(!same(Some("application/json"), Some(other)), "{other}");
        }
        assert!(!same(Some("application/json"), None));
        assert!(same(None, None));
        assert!(!conforms(
            "application/json; charset=iso-8859-1",
            "application/json"
        ));
        assert!(!conforms("text/plain", "application/json"));
    }

    #[test]
    fn a_charset_means_something_on_text_and_a_json_suffix_is_json() {
        assert!(!same(Some("text/plain"), Some("text/plain; charset=utf-8")));
        assert!(same(
            Some("application/problem+json"),
            Some("application/problem+json; charset=UTF-8")
        ));
        assert_eq!(
            essence("Application/JSON; charset=utf-8"),
            "application/json"
        );
    }
}
