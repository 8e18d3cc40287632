//! What leaves the process, whatever the target sends: every subcommand prints vendor text
//! through the one escaper, the key is redacted before anything is shortened or rendered, every
//! report stays within its bound, and no target text can break or fake a report.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use extracta_contract::suite::OptionsError;
use extracta_contract::{RunOptions, run};

use crate::support::stand_in::{SECOND_KEY, StandIn, built};

use crate::support::cases;

use crate::support::binary;

fn printed(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Whether `c` acts on a terminal, a log viewer or a parser rather than showing: a control
/// character (a newline ends a line and is allowed), a bidi control, an invisible character,
/// or a non-character.
fn acts(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
        || matches!(u32::from(c), 0xfdd0..=0xfdef)
        || u32::from(c) & 0xfffe == 0xfffe
}

/// What is wrong with the lines of `text`: a line that is a CI workflow command, or holds a
/// character that acts.
fn problems(what: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let start = line.trim_start();
        if start.starts_with("::") || start.starts_with("##") {
            found.push(format!("{what}: a line starts a CI command: {line:?}"));
        }
        if line.contains("##vso[") || line.contains("##[") {
            found.push(format!("{what}: a line holds an Azure command: {line:?}"));
        }
        if line.chars().any(acts) {
            found.push(format!(
                "{what}: a line holds a character that acts: {line:?}"
            ));
        }
    }
    found
}

/// The hostile text the stand-in adds to its messages arrived, in some shown form.
fn assert_arrived(what: &str, text: &str) {
    assert!(
        text.contains("error::pwned"),
        "{what}: the hostile text did not arrive:\n{text}"
    );
}

/// A baseline of the deleteFiles cases recorded against the `hostile-text` stand-in, failed
/// cases included.
async fn hostile_baseline() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let stand_in = StandIn::start("hostile-text");
    let options = built(
        stand_in
            .options()
            .cases_dir(cases())
            .filters(["delete-files/"])
            .snapshots(dir.path(), true)
            .force(true),
    );
    run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("record the baseline: {e}"));
    dir
}

/// What `mock --like profile` printed before it served, and its base URL.
fn mock_start(profile: &Path) -> String {
    let mut child = binary()
        .args(["mock", "--port", "0", "--like"])
        .arg(profile)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut url = String::new();
    if let Some(stdout) = child.stdout.take() {
        let _ = BufReader::new(stdout).read_line(&mut url);
    }
    let _ = child.kill();
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    format!("{url}{}", String::from_utf8_lossy(&output.stderr))
}

const HOSTILE: &str = "\n::error::pwned\n##vso[task.setvariable variable=v]1\r\u{1b}[2J\u{0}\u{202e}\u{2066}\u{200b}\u{feff}\u{fffe}\u{ffff}";

/// A docs page whose tab titles hold hostile text.
fn hostile_page() -> String {
    let title = HOSTILE.replace('\n', " ");
    format!(
        "# Remove some files\n\n`DELETE` `/documentClassification/deleteFiles`\n\n## Responses\n\n{{% tabs %}}\n{{% tab title=\"400{title}\" %}}\n\n```json\n{{\"status\": \"success\", \"message\": \"x\"}}\n```\n\n{{% endtab %}}\n{{% endtabs %}}\n"
    )
}

#[tokio::test]
async fn every_subcommand_prints_vendor_text_through_the_one_escaper() {
    // Arrange: a baseline and a learned profile holding the stand-in's hostile messages, a
    // docs page, a case file and paths holding the same.
    let baseline = hostile_baseline().await;
    let dir = baseline.path();
    let stand_in = StandIn::start("hostile-text");
    let work = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let page = work.path().join("page.md");
    std::fs::write(&page, hostile_page()).unwrap_or_else(|e| panic!("{e}"));
    let unknown = work.path().join("unknown.md");
    std::fs::write(
        &unknown,
        format!("`DELETE` `/documentClassification/x{HOSTILE}`\n\n## Body Example\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let case = work
        .path()
        .join(format!("case{}.json", HOSTILE.replace(['\0', '\n'], "")));
    std::fs::write(
        &case,
        format!("{{\"description\": {}}}", serde_json::json!(HOSTILE)),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let not_json = work
        .path()
        .join(format!("x{}", HOSTILE.replace(['\0', '\n'], "")));
    std::fs::write(&not_json, "not json").unwrap_or_else(|e| panic!("{e}"));
    let url = format!("http://127.0.0.1:{}/api/v1", stand_in.port);
    let selection = |command: &str| {
        let mut c = binary();
        c.args([command, "--snapshots"])
            .arg(dir)
            .arg("--cases")
            .arg(cases())
            .arg("delete-files/");
        c
    };

    // Act
    let learn = selection("learn")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let shown = vec![
        (
            "run",
            printed(
                &binary()
                    .args(["run", "--settle", "1s", "--base-url", &url])
                    .args(["--api-key", "standin-key", "--second-api-key", SECOND_KEY])
                    .arg("--cases")
                    .arg(cases())
                    .arg("delete-files/valid-one-file")
                    .output()
                    .unwrap_or_else(|e| panic!("{e}")),
            ),
        ),
        ("learn", printed(&learn)),
        (
            "parity",
            printed(
                &selection("parity")
                    .output()
                    .unwrap_or_else(|e| panic!("{e}")),
            ),
        ),
        (
            "parity --like",
            printed(
                &selection("parity")
                    .arg("--like")
                    .arg(dir)
                    .output()
                    .unwrap_or_else(|e| panic!("{e}")),
            ),
        ),
        ("mock --like", mock_start(dir)),
        (
            "docs-check",
            printed(
                &binary()
                    .arg("docs-check")
                    .arg(&page)
                    .output()
                    .unwrap_or_else(|e| panic!("{e}")),
            ),
        ),
        (
            "validate",
            printed(
                &binary()
                    .args(["validate", "--schema", "case"])
                    .arg(&case)
                    .output()
                    .unwrap_or_else(|e| panic!("{e}")),
            ),
        ),
    ];
    let errors = [
        (
            "docs-check error",
            binary()
                .arg("docs-check")
                .arg(&unknown)
                .output()
                .unwrap_or_else(|e| panic!("{e}")),
        ),
        (
            "validate error",
            binary()
                .args(["validate", "--schema", "case"])
                .arg(&not_json)
                .output()
                .unwrap_or_else(|e| panic!("{e}")),
        ),
    ];

    // Assert
    assert_eq!(learn.status.code(), Some(0), "{}", printed(&learn));
    let mut found = Vec::new();
    for (what, text) in &shown {
        found.extend(problems(what, text));
    }
    for (what, output) in &errors {
        assert_eq!(output.status.code(), Some(2), "{what}: {}", printed(output));
        found.extend(problems(what, &printed(output)));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    for (what, text) in &shown[..5] {
        assert_arrived(what, text);
    }
    assert_arrived("docs-check error", &printed(&errors[0].1));
}

/// What the binary printed and wrote for a run against `stand_in` with `key`, with every
/// report: `(exit code, printed, [(report, contents)])`.
fn run_with_reports(
    stand_in: &StandIn,
    key: &str,
    extra: &[&str],
    dir: &Path,
) -> (Option<i32>, String, Vec<(&'static str, String)>) {
    let reports = [
        ("json", "--json", "report.json"),
        ("junit", "--junit", "junit.xml"),
        ("html", "--html", "report.html"),
        ("markdown", "--markdown", "summary.md"),
    ];
    let mut command = binary();
    command
        .args(["run", "--settle", "1s"])
        .env(
            "EXTRACTA_BASE_URL",
            format!("http://127.0.0.1:{}/api/v1", stand_in.port),
        )
        .env("EXTRACTA_API_KEY", key)
        .env("EXTRACTA_SECOND_API_KEY", SECOND_KEY)
        .arg("--cases")
        .arg(cases())
        .args(extra);
    for (_, flag, file) in reports {
        command.arg(flag).arg(dir.join(file));
    }
    let output = command.output().unwrap_or_else(|e| panic!("{e}"));
    let written = reports
        .iter()
        .map(|(name, _, file)| {
            (
                *name,
                std::fs::read_to_string(dir.join(file)).unwrap_or_default(),
            )
        })
        .collect();
    (output.status.code(), printed(&output), written)
}

#[test]
fn a_key_echoed_after_long_padding_is_redacted_before_anything_is_shortened() {
    // Arrange: the stand-in echoes the key across the place each report cuts a long text.
    let key = "sk-live-0123456789abcdef";
    let stand_in = StandIn::start_with_key("echo-key-late", key);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));

    // Act
    let (code, printed, written) =
        run_with_reports(&stand_in, key, &["delete-files/valid-one-file"], dir.path());

    // Assert: no part of the key, not even its first characters before a cut.
    assert_eq!(code, Some(1), "{printed}");
    for (what, text) in
        std::iter::once(("text", &printed)).chain(written.iter().map(|(w, t)| (*w, t)))
    {
        assert!(
            text.contains("[REDACTED]"),
            "{what}: the echo did not arrive"
        );
        assert!(!text.contains("sk-l"), "{what}: a part of the key leaked");
    }
}

/// `text` escaped for HTML, as a renderer escapes it.
fn html_forms(text: &str) -> Vec<String> {
    let amp = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let quoted = amp.replace('"', "&quot;");
    vec![
        amp.clone(),
        quoted.replace('\'', "&#39;"),
        quoted.replace('\'', "&apos;"),
        quoted.replace('\'', "&#x27;"),
    ]
}

#[test]
fn a_key_holding_markup_characters_is_redacted_in_every_report() {
    // Arrange: a key that every renderer escapes its own way, echoed by the stand-in.
    let key = "sk-<b>&\"'|x-7c1e";
    let stand_in = StandIn::start_with_key("echo-key", key);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));

    // Act
    let (code, printed, written) =
        run_with_reports(&stand_in, key, &["delete-files/valid-one-file"], dir.path());

    // Assert
    assert_eq!(code, Some(1), "{printed}");
    let json_escaped = key.replace('"', "\\\"");
    let mut forms = vec![key.to_owned(), json_escaped.clone()];
    for base in [key, json_escaped.as_str()] {
        forms.extend(html_forms(base));
        forms.push(base.replace('|', "\\|"));
        forms.extend(html_forms(&base.replace('|', "\\|")));
    }
    for (what, text) in
        std::iter::once(("text", &printed)).chain(written.iter().map(|(w, t)| (*w, t)))
    {
        assert!(
            text.contains("[REDACTED]"),
            "{what}: the echo did not arrive"
        );
        for form in &forms {
            assert!(
                !text.contains(form.as_str()),
                "{what}: the key leaked as {form}"
            );
        }
    }
}

#[test]
fn credentials_in_the_base_url_are_refused_and_never_printed() {
    // Arrange
    let url = "https://ci-user:pw-9d2f71@api.example.invalid/api/v1";

    // Act
    let error = RunOptions::builder()
        .base_url(url)
        .api_key("k-1")
        .build()
        .err();
    let output = binary()
        .args(["run", "--base-url", url, "--api-key", "k-1"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));

    // Assert
    assert!(
        matches!(error, Some(OptionsError::CredentialsInUrl { .. })),
        "{error:?}"
    );
    let message = error.map(|e| e.to_string()).unwrap_or_default();
    let shown = printed(&output);
    assert_eq!(output.status.code(), Some(2), "{shown}");
    for text in [&message, &shown] {
        assert!(
            text.contains("put credentials in EXTRACTA_API_KEY, not in the URL"),
            "{text}"
        );
        assert!(
            !text.contains("pw-9d2f71") && !text.contains("ci-user"),
            "{text}"
        );
    }
}

/// Peak resident memory of a command in KiB, measured by Python's `getrusage`, and its exit
/// code; its standard output goes to `out`.
fn peak_memory(command: &Command, out: &Path) -> (u64, Option<i32>) {
    let script = "import resource, subprocess, sys\n\
        with open(sys.argv[1], 'w') as out:\n    code = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL).returncode\n\
        print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)";
    let mut python = Command::new("python3");
    python
        .args(["-c", script])
        .arg(out)
        .arg(command.get_program())
        .args(command.get_args())
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => python.env(name, value),
            None => python.env_remove(name),
        };
    }
    let output = python.output().unwrap_or_else(|e| panic!("{e}"));
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let mut words = text.split_whitespace();
    let kib = words
        .next()
        .and_then(|w| w.parse().ok())
        .unwrap_or(u64::MAX);
    (kib, words.next().and_then(|w| w.parse().ok()))
}

#[tokio::test]
async fn a_three_megabyte_message_keeps_every_report_and_the_memory_within_bounds() {
    // Arrange: a baseline of a healthy vendor, then one whose every message is 3 MiB long, so
    // that every deleteFiles case quotes it in a failure or a drift.
    let baseline = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let healthy = StandIn::start("independent");
    let options = built(
        healthy
            .options()
            .cases_dir(cases())
            .filters(["delete-files/"])
            .snapshots(baseline.path(), true),
    );
    run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("record the baseline: {e}"));
    let stand_in = StandIn::start("huge-message");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut command = binary();
    command
        .args(["run", "--settle", "1s"])
        .env(
            "EXTRACTA_BASE_URL",
            format!("http://127.0.0.1:{}/api/v1", stand_in.port),
        )
        .env("EXTRACTA_API_KEY", "standin-key")
        .env("EXTRACTA_SECOND_API_KEY", SECOND_KEY)
        .env("GITHUB_STEP_SUMMARY", dir.path().join("step-summary.md"))
        .arg("--cases")
        .arg(cases())
        .arg("--snapshots")
        .arg(baseline.path())
        .arg("delete-files/");
    for (flag, file) in [
        ("--json", "report.json"),
        ("--junit", "junit.xml"),
        ("--html", "report.html"),
    ] {
        command.arg(flag).arg(dir.path().join(file));
    }

    // Act
    let (kib, code) = peak_memory(&command, &dir.path().join("log.txt"));

    // Assert
    assert_eq!(code, Some(1));
    let size = |file: &str| {
        std::fs::metadata(dir.path().join(file))
            .map(|m| m.len())
            .unwrap_or(u64::MAX)
    };
    let log = std::fs::read_to_string(dir.path().join("log.txt")).unwrap_or_default();
    let cases = log.lines().filter(|l| l.starts_with('[')).count() as u64;
    assert!(cases > 10, "{log}");
    assert!(
        log.contains("(3145728 bytes)"),
        "the quoted message does not say its size"
    );
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    // The bounds the reports promise (src/report/): the text log 64 KiB a case, the step
    // summary under GitHub's 1 MiB, HTML 512 KiB and JUnit 160 KiB a case.
    let bounds = [
        ("log.txt", cases * 64 * KIB),
        ("step-summary.md", MIB),
        ("report.html", cases * 512 * KIB),
        ("junit.xml", cases * 160 * KIB),
        ("report.json", cases * 256 * KIB),
    ];
    for (file, bound) in bounds {
        assert!(
            size(file) < bound,
            "{file}: {} bytes, bound {bound}",
            size(file)
        );
    }
    // The engine's report keeps each answer it checked normalised (and its baseline's, for the
    // diff), and its exchange redacted and cut to 64 KiB; while a case is judged, the answer is
    // also held as text and as JSON. About three copies a case; the reports add none.
    let bound = 64 * KIB + cases * 4 * 3 * KIB;
    assert!(kib < bound, "peak memory {kib} KiB, bound {bound} KiB");
}

/// `markdown` without its code spans (a run of backticks up to the next run as long).
fn outside_code_spans(markdown: &str) -> String {
    let mut outside = String::new();
    let mut rest = markdown;
    while let Some(open) = rest.find('`') {
        outside.push_str(&rest[..open]);
        let fence = rest[open..].chars().take_while(|c| *c == '`').count();
        let after = &rest[open + fence..];
        let mut search = 0;
        let mut close = None;
        while let Some(at) = after[search..].find('`') {
            let start = search + at;
            let run = after[start..].chars().take_while(|c| *c == '`').count();
            if run == fence {
                close = Some(start + run);
                break;
            }
            search = start + run;
        }
        match close {
            Some(end) => rest = &after[end..],
            None => {
                outside.push_str(&rest[open..open + fence]);
                rest = after;
            }
        }
    }
    outside.push_str(rest);
    outside
}

#[test]
fn target_text_can_neither_break_nor_fake_a_report() {
    // Arrange: messages with non-characters, bidi controls, Markdown images and links.
    let stand_in = StandIn::start("hostile-text");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));

    // Act
    let (code, printed, written) = run_with_reports(
        &stand_in,
        "standin-key",
        &["delete-files/valid-one-file", "delete-files/unknown-batch"],
        dir.path(),
    );
    let report = |name: &str| {
        written
            .iter()
            .find(|(w, _)| *w == name)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    };

    // Assert
    assert_eq!(code, Some(1), "{printed}");
    let junit = report("junit");
    let parsed = roxmltree::Document::parse(&junit);
    assert!(
        parsed.is_ok(),
        "the JUnit report does not parse: {parsed:?}"
    );
    for name in ["junit", "html", "markdown"] {
        let text = report(name);
        assert!(
            text.contains("error::pwned"),
            "{name}: the text did not arrive"
        );
        assert!(
            !text.chars().any(acts),
            "{name}: a character that acts was written raw"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&report("json")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["verdict"], "contract");
    let markdown = outside_code_spans(&report("markdown"));
    for markup in ["![", "](", "<img", "https://"] {
        assert!(
            !markdown.contains(markup),
            "the summary renders target text as Markdown ({markup}):\n{markdown}"
        );
    }
}
