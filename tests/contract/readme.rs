//! The README's examples, executed: its Rust program is `examples/from_rust.rs` word for word
//! (CI runs the example), and every shell line that states its exit code (`# exit N`) or its
//! output (`# prints ...`) does what it says.

use std::path::Path;
use std::process::Command;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .unwrap_or_else(|e| panic!("README.md: {e}"))
}

/// The lines of the README's code blocks of `language`.
fn blocks(text: &str, language: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in text.lines() {
        match (&mut current, line.trim_start()) {
            (None, fence) if fence == format!("```{language}") => current = Some(Vec::new()),
            (Some(_), "```") => blocks.push(current.take().unwrap_or_default().join("\n")),
            (Some(lines), _) => lines.push(line),
            _ => {}
        }
    }
    blocks
}

/// The binary for a README line that starts with `extracta-contract ` or `cargo run -- `.
fn command_of(line: &str) -> Option<Vec<String>> {
    let (command, _) = line.split_once(" #")?;
    let rest = command
        .strip_prefix("extracta-contract ")
        .or_else(|| command.strip_prefix("cargo run -- "))?;
    Some(rest.split_whitespace().map(str::to_owned).collect())
}

fn extracta(args: &[String]) -> std::process::Output {
    crate::support::binary()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_readmes_rust_program_is_the_example_that_ci_runs() {
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/from_rust.rs"),
    )
    .unwrap_or_default();
    let shown = blocks(&readme(), "rust");
    assert!(
        shown.iter().any(|block| block.trim() == example.trim()),
        "the README's Rust block is not examples/from_rust.rs"
    );
}

#[test]
fn every_shell_line_that_states_its_exit_code_exits_with_it() {
    let mut checked = 0;
    for block in blocks(&readme(), "sh") {
        for line in block.lines() {
            let Some(code) = line
                .split("# exit ")
                .nth(1)
                .and_then(|rest| rest.split(':').next())
                .and_then(|n| n.trim().parse::<i32>().ok())
            else {
                continue;
            };
            let Some(args) = command_of(line) else {
                continue;
            };
            let output = extracta(&args);
            assert_eq!(
                output.status.code(),
                Some(code),
                "{line}\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            checked += 1;
        }
    }
    assert!(checked >= 4, "only {checked} lines state an exit code");
}

#[test]
fn the_mock_prints_the_url_the_readme_says() {
    use std::io::{BufRead, BufReader};
    let line = blocks(&readme(), "sh")
        .into_iter()
        .flat_map(|b| b.lines().map(str::to_owned).collect::<Vec<_>>())
        .find(|l| l.contains(" mock ") && l.contains("# prints "))
        .unwrap_or_else(|| panic!("the README shows no mock command with what it prints"));
    let said = line.split("# prints ").nth(1).unwrap_or_default().trim();
    // Its port, taken free now, in the command and in what it prints.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let args: Vec<String> = command_of(&line)
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.replace("8787", &port.to_string()))
        .collect();
    let mut child = crate::support::binary()
        .args(&args)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut printed = String::new();
    if let Some(stdout) = child.stdout.take() {
        let _ = BufReader::new(stdout).read_line(&mut printed);
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    assert_eq!(printed.trim(), said.replace("8787", &port.to_string()));
}
