//! When output is coloured: one rule for the log and the report text.

use std::io::IsTerminal;

/// Whether text written to `stream` may carry colour: the stream is a terminal, `NO_COLOR`
/// is not set (<https://no-color.org>, any value), and `TERM` is not `dumb`.
pub fn enabled(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && allowed_by(|name| std::env::var_os(name))
}

/// Whether the environment read through `var` allows colour.
fn allowed_by(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    var("NO_COLOR").is_none_or(|v| v.is_empty()) && var("TERM").is_none_or(|t| t != "dumb")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let pairs: Vec<(String, OsString)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), OsString::from(v)))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn no_color_or_a_dumb_terminal_turns_colour_off() {
        assert!(allowed_by(env(&[("TERM", "xterm-256color")])));
        assert!(!allowed_by(env(&[("NO_COLOR", "1")])));
        assert!(!allowed_by(env(&[("TERM", "dumb")])));
        // An empty NO_COLOR does not count (no-color.org).
        assert!(allowed_by(env(&[("NO_COLOR", "")])));
    }
}
