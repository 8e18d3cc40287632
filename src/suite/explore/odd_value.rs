//! The values a field takes where it names nothing of the account: the unknown id, an odd
//! string, a value of the wrong type. Where a request deletes, each is inert: built on the id
//! that exists nowhere, or whitespace and control characters only, never a number where an id
//! belongs.

use serde_json::{Value, json};

use super::generate::{Odd, WrongType};
use crate::suite::ledger::UNKNOWN_ID;

/// The unknown id's placeholder followed by `suffix`, padded to `length` characters once the
/// placeholder is filled.
pub(super) fn nowhere(suffix: &str, length: Option<usize>) -> String {
    let mut text = format!("{{{{unknownId}}}}{suffix}");
    if let Some(length) = length {
        let filled = UNKNOWN_ID.chars().count() + suffix.chars().count();
        text.extend(std::iter::repeat_n('a', length.saturating_sub(filled)));
    }
    text
}

/// The text of an odd string: as it is where nothing is deleted, and where something may be,
/// one that names nothing (built on the unknown id, or made of whitespace and control
/// characters only; `None` for the odd strings that are not inert).
pub(super) fn odd_text(odd: Odd, deletes: bool) -> Option<String> {
    if deletes && !odd.is_inert() {
        return None;
    }
    let text = match (odd, deletes) {
        (Odd::Empty, _) => String::new(),
        (Odd::Whitespace, _) => " \t\n".to_owned(),
        (Odd::Nul, _) => "\u{0}".to_owned(),
        (Odd::OneChar, false) => "x".to_owned(),
        // One character that names nothing: DEL, a control character.
        (Odd::OneChar, true) => "\u{7f}".to_owned(),
        (Odd::Length(n), false) => "abcdefghij".chars().cycle().take(n).collect(),
        (Odd::Length(n), true) => nowhere("-", Some(n)),
        (Odd::NonAscii, false) => "fichier-\u{e9}t\u{e9}-\u{fc}\u{df}".to_owned(),
        (Odd::NonAscii, true) => nowhere("-\u{e9}t\u{e9}", None),
        (Odd::Emoji, false) => "\u{1f4c4}\u{1f5d1}\u{fe0f}".to_owned(),
        (Odd::Emoji, true) => nowhere("-\u{1f4c4}", None),
        (Odd::Control, false) => "\u{1b}[2J\r\n".to_owned(),
        (Odd::Control, true) => nowhere("\u{1b}[2J\n", None),
        (Odd::DotDot, _) => "../../etc/passwd".to_owned(),
        (Odd::Percent, _) => "%2e%2e%2f%00".to_owned(),
        (Odd::JsonLooking, _) => "{\"$ne\": null}".to_owned(),
    };
    Some(text)
}

/// A value of the wrong type; where something may be deleted, none that a server could take
/// for an id (no integer, no list of a real id).
pub(super) fn wrong_value(wrong: WrongType, deletes: bool) -> Value {
    match (wrong, deletes) {
        (WrongType::Null, _) => Value::Null,
        (WrongType::Bool, _) => Value::Bool(true),
        (WrongType::Number, false) => json!(1),
        (WrongType::Number, true) => json!(0.5),
        (WrongType::Object, _) => json!({}),
        (WrongType::List, _) => json!([nowhere("", None)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unknown_id_padded_to_a_length_has_that_length_once_filled() {
        for (suffix, length) in [("-", 65), ("-\u{e9}", 256), ("", 10_000)] {
            let text = nowhere(suffix, Some(length)).replace("{{unknownId}}", UNKNOWN_ID);
            assert_eq!(text.chars().count(), length, "{suffix:?}");
            assert!(text.starts_with(UNKNOWN_ID), "{text}");
        }
        // Shorter than the id itself: the id whole, nothing cut.
        let short = nowhere("-", Some(3)).replace("{{unknownId}}", UNKNOWN_ID);
        assert_eq!(short, format!("{UNKNOWN_ID}-"));
    }

    #[test]
    fn a_wrong_type_is_the_value_it_names_and_never_an_integer_where_a_request_deletes() {
        let unknown = json!([nowhere("", None)]);
        for (wrong, reads, deletes) in [
            (WrongType::Null, Value::Null, Value::Null),
            (WrongType::Bool, json!(true), json!(true)),
            (WrongType::Number, json!(1), json!(0.5)),
            (WrongType::Object, json!({}), json!({})),
            (WrongType::List, unknown.clone(), unknown.clone()),
        ] {
            assert_eq!(wrong_value(wrong, false), reads, "{wrong:?}");
            assert_eq!(wrong_value(wrong, true), deletes, "{wrong:?}");
        }
        assert_eq!(unknown, json!(["{{unknownId}}"]));
    }
}
