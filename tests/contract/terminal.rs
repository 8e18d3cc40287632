//! The binary at a terminal, as a person first meets it: under a pseudo-terminal made by
//! `script` (util-linux), so that colour and the log's terminal detection are really taken.
//! CI has no terminal of its own; these tests make one.

use std::process::Command;

use crate::support::without_settings;

/// What a command printed at the terminal (standard output and error together, as a person
/// sees them) and its exit code.
struct AtTerminal {
    code: Option<i32>,
    printed: String,
}

/// Runs `command` (a shell command line) under a pseudo-terminal.
fn at_terminal(command: &str) -> AtTerminal {
    let output = without_settings(&mut Command::new("script"))
        .args(["-qec", command, "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .output()
        .unwrap_or_else(|e| {
            panic!("failed to start `script` (util-linux; Debian: bsdutils), which makes the terminal: {e}")
        });
    AtTerminal {
        code: output.status.code(),
        printed: String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"),
    }
}

fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_extracta-contract")
}

/// No panic, and none of the log library's complaints, in what was printed.
fn assert_no_panic(shown: &AtTerminal) {
    for stray in ["panicked", "RUST_BACKTRACE", "crate feature", "ANSI"] {
        assert!(
            !shown.printed.contains(stray),
            "`{stray}` at the terminal:\n{}",
            shown.printed
        );
    }
}

#[test]
fn the_main_command_reaches_its_verdict_at_a_terminal() {
    let shown = at_terminal(&format!("{} run", binary()));
    assert_no_panic(&shown);
    assert_eq!(shown.code, Some(0), "{}", shown.printed);
    let last = shown.printed.lines().last().unwrap_or_default();
    assert!(
        last.ends_with("passed, 0 failed"),
        "the last line is the verdict, got {last:?}:\n{}",
        shown.printed
    );
    // Every case line is coloured at a terminal: the colour rule saw one.
    assert!(shown.printed.contains("\u{1b}["), "{}", shown.printed);
}

#[test]
fn no_color_turns_the_colour_off_at_a_terminal() {
    let shown = at_terminal(&format!("NO_COLOR=1 {} run delete-files/valid", binary()));
    assert_no_panic(&shown);
    assert_eq!(shown.code, Some(0), "{}", shown.printed);
    assert!(!shown.printed.contains("\u{1b}["), "{}", shown.printed);
}

#[test]
fn the_mock_serves_and_logs_at_a_terminal_until_sigterm() {
    let shown = at_terminal(&format!(
        "timeout --preserve-status -s TERM 2 {} mock --port 0 --log",
        binary()
    ));
    assert_no_panic(&shown);
    assert_eq!(shown.code, Some(0), "{}", shown.printed);
    let lines: Vec<&str> = shown.printed.lines().collect();
    let first = lines.first().copied().unwrap_or_default();
    assert!(
        first.starts_with("http://127.0.0.1:") && first.ends_with("/api/v1"),
        "the first line is the base URL, got {first:?}"
    );
    // Then only the log: its start and its end.
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains("extracta_contract::mock")),
        "a stray line:\n{}",
        shown.printed
    );
    assert!(shown.printed.contains("listening") && shown.printed.contains("shutting down"));
}

#[test]
fn an_error_exit_at_a_terminal_is_one_line_and_exit_2() {
    let shown = at_terminal(&format!(
        "{} run --base-url https://api.example.invalid/api/v1",
        binary()
    ));
    assert_no_panic(&shown);
    assert_eq!(shown.code, Some(2), "{}", shown.printed);
    let lines: Vec<&str> = shown.printed.lines().collect();
    assert_eq!(lines.len(), 1, "{}", shown.printed);
    assert!(lines[0].starts_with("error: failed to "), "{}", lines[0]);
}
