//! The redactor and the escaper, with unique keys; and the folder is a leaf: no file of it
//! reads anything else of the crate.

use std::borrow::Cow;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

use super::*;

/// Every file of `src/redact/`, as compiled.
const FILES: &[(&str, &str)] = &[
    ("escape.rs", include_str!("escape.rs")),
    ("forms.rs", include_str!("forms.rs")),
    ("key.rs", include_str!("key.rs")),
    ("mod.rs", include_str!("mod.rs")),
    ("redactor.rs", include_str!("redactor.rs")),
    ("tests.rs", include_str!("tests.rs")),
];

const KEY: &str = "sk-live/Ab+c=d3f9Q";

fn redactor() -> Redactor {
    Redactor::new([ApiKey::new(KEY)])
}

#[test]
fn the_redactor_is_a_leaf() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/redact");
    let mut on_disk: Vec<String> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
    assert_eq!(on_disk, listed, "every file of the folder is checked");
    for (name, source) in FILES {
        assert!(source.contains("use "), "{name}");
        assert!(
            !source.contains(concat!("crate", "::")),
            "{name} reads nothing of the crate"
        );
        // From mod.rs, `super` is the crate; from the other files, this folder.
        let outside = if *name == "mod.rs" {
            concat!("super", "::")
        } else {
            concat!("super", "::", "super", "::")
        };
        assert!(
            !source.contains(outside),
            "{name} reads nothing of the crate"
        );
    }
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
        percent_encoding::utf8_percent_encode(KEY, percent_encoding::NON_ALPHANUMERIC).to_string(),
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
