//! What a person does with the binary's output: reproduce a failure from its curl line, pick
//! cases, read the baseline summary, take the reports into CI (JSON, Markdown, HTML in a real
//! browser), and run it from anywhere.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

const KEY: &str = "reports-key";

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary's `mock`, killed when dropped.
struct Mock {
    child: Child,
    url: String,
}

impl Mock {
    fn start() -> Mock {
        let mut child = crate::support::binary()
            .args(["mock", "--port", "0", "--api-key", KEY])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        let mut url = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = BufReader::new(stdout).read_line(&mut url);
        }
        Mock {
            child,
            url: url.trim().to_owned(),
        }
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn extracta(args: &[&str], env: &[(&str, &str)], dir: &Path) -> Output {
    let mut command = crate::support::binary();
    command.args(args).current_dir(dir);
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap_or_else(|e| panic!("{e}"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn both(output: &Output) -> String {
    format!(
        "{}{}",
        stdout(output),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A case that expects exactly 200, whatever it expected.
fn expecting_200(text: String) -> String {
    let mut case: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    case["expect"]["status"] = serde_json::json!(200);
    case.to_string()
}

/// A folder holding one case, `name.json`: a copy of a shipped case with `edit` applied.
fn one_case(shipped: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(manifest().join("cases").join(shipped)).unwrap_or_default();
    let target = dir.path().join("broken").join("case.json");
    let _ = std::fs::create_dir_all(target.parent().unwrap_or(dir.path()));
    let _ = std::fs::write(target, edit(text));
    dir
}

#[test]
fn a_failing_case_s_curl_line_reproduces_its_answer() {
    let mock = Mock::start();
    // Expects a 200 where the mock refuses: it fails, with the request and the answer shown.
    let cases = one_case("delete-files/unknown-classification.json", expecting_200);
    let output = crate::support::binary()
        .args(["run", "--base-url", &mock.url, "--cases"])
        .arg(cases.path())
        .env("EXTRACTA_API_KEY", KEY)
        .current_dir(manifest())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let printed = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    let line = |prefix: &str| {
        printed
            .lines()
            .find_map(|l| l.trim_start().strip_prefix(prefix))
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no `{prefix}` line in:\n{printed}"))
    };
    let curl = line("request: ");
    let answer = line("answer:  ");
    assert!(
        curl.contains("$EXTRACTA_API_KEY") && !curl.contains(KEY),
        "{curl}"
    );
    // Pasted into a shell with the key exported, it gets the same answer.
    let replay = Command::new("sh")
        .args(["-c", &curl])
        .env("EXTRACTA_API_KEY", KEY)
        .current_dir(manifest())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let replayed = stdout(&replay);
    let status = replayed
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or_default();
    let body = replayed
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        answer,
        format!("{status} application/json {body}"),
        "{replayed}"
    );
    assert!(status.starts_with('4'), "{replayed}");
}

#[test]
fn list_names_and_describes_the_selected_cases_and_a_filter_runs_only_them() {
    let listed = extracta(
        &[
            "run",
            "--list",
            "delete-files/auth-invalid",
            "delete-files/auth-missing",
        ],
        &[],
        manifest(),
    );
    let printed = stdout(&listed);
    assert_eq!(listed.status.code(), Some(0), "{printed}");
    let lines: Vec<&str> = printed.lines().collect();
    assert!(
        lines[0].starts_with("delete-files/auth-invalid-key  A request with a key"),
        "{printed}"
    );
    assert!(
        lines[1].starts_with("delete-files/auth-missing  "),
        "{printed}"
    );
    assert!(lines[2].starts_with("2 of "), "{printed}");
    let ran = extracta(
        &[
            "run",
            "delete-files/auth-invalid",
            "delete-files/auth-missing",
            "--exclude",
            "invalid",
        ],
        &[],
        manifest(),
    );
    let printed = stdout(&ran);
    assert_eq!(ran.status.code(), Some(0), "{printed}");
    assert!(
        printed.contains("PASS delete-files/auth-missing"),
        "{printed}"
    );
    assert!(!printed.contains("auth-invalid-key"), "{printed}");
    let total = extracta_contract::contract::load_dir(&manifest().join("cases"))
        .map(|c| c.len())
        .unwrap_or(0);
    assert!(
        printed.ends_with(&format!("1 passed, 0 failed, {} not selected\n", total - 1)),
        "{printed}"
    );
}

#[test]
fn the_binary_runs_its_built_in_cases_from_any_folder() {
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = extracta(&["run"], &[], elsewhere.path());
    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let missing = extracta(&["run", "--cases", "no-such-folder"], &[], elsewhere.path());
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        both(&missing).contains("no-such-folder"),
        "{}",
        both(&missing)
    );
}

/// The baseline folder after recording the shipped cases against the built-in mock.
fn recorded_baseline() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let snapshots = dir.path().join("mock");
    let output = extracta(
        &[
            "run",
            "--snapshots",
            snapshots.to_str().unwrap_or_default(),
            "--update-snapshots",
        ],
        &[],
        manifest(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    assert!(stdout(&output).contains(" recorded, 0 unchanged, 0 changed, 0 missing, 0 orphaned"));
    dir
}

#[test]
fn the_baseline_summary_counts_and_prune_removes_what_has_no_case() {
    let dir = recorded_baseline();
    let snapshots = dir.path().join("mock");
    let orphan = snapshots.join("delete-files/retired-case.snap");
    let _ = std::fs::copy(snapshots.join("delete-files/valid-one-file.snap"), &orphan);
    let edited = snapshots.join("delete-files/unknown-batch.snap");
    let text = std::fs::read_to_string(&edited).unwrap_or_default();
    let _ = std::fs::write(&edited, text.replace("\"status\": 404", "\"status\": 400"));
    let _ = std::fs::remove_file(snapshots.join("delete-files/unknown-file.snap"));
    let compared = extracta(
        &["run", "--snapshots", snapshots.to_str().unwrap_or_default()],
        &[],
        manifest(),
    );
    let printed = stdout(&compared);
    assert_eq!(compared.status.code(), Some(1), "{printed}");
    assert!(printed.contains("0 recorded, "), "{printed}");
    assert!(
        printed.contains(" unchanged, 1 changed, 1 missing, 1 orphaned"),
        "{printed}"
    );
    assert!(
        printed
            .contains("orphaned baseline delete-files/retired-case: no case; --prune removes it"),
        "{printed}"
    );
    assert!(orphan.exists());
    let pruned = extracta(
        &[
            "run",
            "--snapshots",
            snapshots.to_str().unwrap_or_default(),
            "--update-snapshots",
            "--prune",
        ],
        &[],
        manifest(),
    );
    assert_eq!(pruned.status.code(), Some(0), "{}", both(&pruned));
    assert!(
        stdout(&pruned).contains("2 recorded, "),
        "{}",
        stdout(&pruned)
    );
    assert!(!orphan.exists());
}

#[test]
fn a_case_that_fails_its_contract_is_not_recorded_unless_forced() {
    let cases = one_case("delete-files/auth-missing.json", |t| {
        t.replace("\"status\": \"4xx\"", "\"status\": 200")
    });
    let snapshots = cases.path().join("snapshots");
    let record = |extra: &[&str]| {
        let mut args = vec![
            "run",
            "--snapshots",
            snapshots.to_str().unwrap_or_default(),
            "--update-snapshots",
            "--cases",
            cases.path().to_str().unwrap_or_default(),
        ];
        args.extend_from_slice(extra);
        extracta(&args, &[], manifest())
    };
    let held = record(&[]);
    assert_eq!(held.status.code(), Some(1));
    assert!(
        stdout(&held).contains("1 not recorded (the case failed; --force records it)"),
        "{}",
        stdout(&held)
    );
    assert!(!snapshots.join("broken/case.snap").exists());
    let forced = record(&["--force"]);
    assert_eq!(forced.status.code(), Some(1));
    assert!(
        snapshots.join("broken/case.snap").exists(),
        "{}",
        stdout(&forced)
    );
}

#[test]
fn json_to_standard_output_keeps_the_text_on_standard_error() {
    let output = extracta(
        &["run", "delete-files/valid-one-file", "--json", "-"],
        &[],
        manifest(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "standard output is not the JSON report: {e}\n{}",
            both(&output)
        )
    });
    assert_eq!(report["format_version"], 3);
    assert_eq!(report["cases"][0]["name"], "delete-files/valid-one-file");
    assert!(
        report["cases"][0]["curl"]
            .as_str()
            .is_some_and(|c| c.starts_with("curl "))
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 passed, 0 failed"));
    let two = extracta(&["run", "--json", "-", "--junit", "-"], &[], manifest());
    assert_eq!(two.status.code(), Some(2));
}

#[test]
fn the_markdown_summary_goes_to_the_github_step_summary() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let summary = dir.path().join("summary.md");
    let _ = std::fs::write(&summary, "earlier step\n");
    let cases = one_case("delete-files/auth-missing.json", |t| {
        t.replace("\"status\": \"4xx\"", "\"status\": 200")
    });
    let output = extracta(
        &["run", "--cases", cases.path().to_str().unwrap_or_default()],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap_or_default())],
        manifest(),
    );
    assert_eq!(output.status.code(), Some(1));
    let written = std::fs::read_to_string(&summary).unwrap_or_default();
    assert!(
        written.starts_with("earlier step\n## extracta-contract: contract violated"),
        "{written}"
    );
    assert!(
        written.contains("| `broken/case` | failed | `status: expected 200, got 401"),
        "{written}"
    );
}

/// `schemas/report.json`, compiled with the jsonschema crate.
fn report_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(manifest().join("schemas/report.json")).unwrap_or_default();
    let schema: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("schemas/report.json: {e}"));
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("schemas/report.json: {e}"))
}

#[test]
fn the_json_report_of_a_failing_run_has_the_published_shape() {
    // Expects a 200 where the mock refuses: a status failure, with its request and answer.
    let cases = one_case("delete-files/unknown-classification.json", expecting_200);
    let path = cases.path().join("report.json");
    let output = extracta(
        &[
            "run",
            "--cases",
            cases.path().to_str().unwrap_or_default(),
            "--json",
            path.to_str().unwrap_or_default(),
        ],
        &[],
        manifest(),
    );
    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let mut report: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let schema = report_schema();
    let errors: Vec<String> = schema.iter_errors(&report).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{text}");
    assert_eq!(report["format_version"], 3);
    let case = &report["cases"][0];
    let status = &case["failures"][0];
    assert_eq!(
        (&status["kind"], &status["expected"], &status["actual"]),
        (
            &serde_json::json!("status"),
            &serde_json::json!([200]),
            &case["answer"]["status"]
        ),
        "{text}"
    );
    assert_eq!(case["request"]["auth"], "valid");
    assert!(
        !text.contains(extracta_contract::mock::DEFAULT_API_KEY),
        "{text}"
    );
    // A report that breaks the shape is refused: a status failure without what came.
    report["cases"][0]["failures"][0]
        .as_object_mut()
        .map(|failure| failure.remove("actual"));
    assert!(!schema.is_valid(&report));
}

/// Chromium, if the machine has it (CI installs it and sets EXTRACTA_REQUIRE_BROWSER).
fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .map(|name| PathBuf::from("/usr/bin").join(name))
        .find(|path| path.exists());
    if found.is_none() {
        assert!(
            std::env::var_os("EXTRACTA_REQUIRE_BROWSER").is_none(),
            "no Chromium, and EXTRACTA_REQUIRE_BROWSER asks for one"
        );
    }
    found
}

#[test]
fn the_html_report_renders_in_a_real_browser_with_its_drift_side_by_side() {
    let Some(browser) = chromium() else {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"skipped: no Chromium on this machine\n",
        );
        return;
    };
    let dir = recorded_baseline();
    let snapshots = dir.path().join("mock");
    let edited = snapshots.join("delete-files/unknown-batch.snap");
    let text = std::fs::read_to_string(&edited).unwrap_or_default();
    let _ = std::fs::write(
        &edited,
        text.replace(
            "not found in classification",
            "is unknown in classification",
        ),
    );
    let page = dir.path().join("report.html");
    let output = extracta(
        &[
            "run",
            "--snapshots",
            snapshots.to_str().unwrap_or_default(),
            "--html",
            page.to_str().unwrap_or_default(),
        ],
        &[],
        manifest(),
    );
    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rendered = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let dom = stdout(&rendered);
    let cases = extracta_contract::contract::load_dir(&manifest().join("cases"))
        .map(|c| c.len())
        .unwrap_or(0);
    assert_eq!(dom.matches("class=\"case-row\"").count(), cases, "{dom}");
    assert_eq!(dom.matches("<details class=\"case\"").count(), cases);
    assert!(dom.contains("<table class=\"diff\">"), "{dom}");
    assert!(
        dom.contains("is unknown in classification"),
        "the baseline side is missing"
    );
    assert!(
        dom.contains("not found in classification"),
        "the observation side is missing"
    );
    assert!(dom.contains("curl -sS -i"), "the request is missing");
}

#[test]
fn validate_and_run_agree_on_what_a_case_file_is() {
    let cases = one_case("delete-files/valid-one-file.json", |t| {
        t.replace("{{batchId}}", "{{batch}}")
    });
    let file = cases.path().join("broken/case.json");
    let validated = extracta(
        &[
            "validate",
            "--schema",
            "case",
            file.to_str().unwrap_or_default(),
        ],
        &[],
        manifest(),
    );
    assert_eq!(validated.status.code(), Some(1), "{}", both(&validated));
    assert!(
        stdout(&validated).contains("placeholder {{batch}} is unknown"),
        "{}",
        stdout(&validated)
    );
    let ran = extracta(
        &["run", "--cases", cases.path().to_str().unwrap_or_default()],
        &[],
        manifest(),
    );
    assert_eq!(ran.status.code(), Some(2));
    assert!(
        both(&ran).contains("placeholder {{batch}} is unknown"),
        "{}",
        both(&ran)
    );
}

/// The colour of a failed case's section in the HTML report (`#failures>details`).
const FAILED_SECTION: [u8; 3] = [0xff, 0xf5, 0xf5];

#[test]
fn the_first_screen_of_the_html_report_of_a_failing_run_shows_the_failures() {
    let Some(browser) = chromium() else {
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"skipped: no Chromium on this machine\n",
        );
        return;
    };
    // Every case of the suite, one of them failing: alphabetically last, so that a page in
    // name order would show it far below the first screen.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cases = dir.path().join("cases");
    let _ = Command::new("cp")
        .args(["-r"])
        .arg(manifest().join("cases"))
        .arg(&cases)
        .status();
    let shipped =
        std::fs::read_to_string(cases.join("delete-files/valid-one-file.json")).unwrap_or_default();
    let _ = std::fs::create_dir_all(cases.join("zz"));
    let _ = std::fs::write(cases.join("zz/fails.json"), expecting_201(shipped));
    let page = dir.path().join("report.html");
    let output = extracta(
        &[
            "run",
            "--cases",
            cases.to_str().unwrap_or_default(),
            "--html",
            page.to_str().unwrap_or_default(),
        ],
        &[],
        manifest(),
    );
    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let shot = dir.path().join("first-screen.png");
    let taken = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1280,800",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let file = std::fs::File::open(&shot)
        .unwrap_or_else(|e| panic!("no screenshot ({e}): {}", both(&taken)));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut pixels)
        .unwrap_or_else(|e| panic!("{e}"));
    let step = info.color_type.samples();
    let failed_rows = pixels[..info.buffer_size()]
        .chunks(info.line_size)
        .filter(|row| row.chunks(step).any(|px| px[..3] == FAILED_SECTION))
        .count();
    assert!(
        failed_rows > 20,
        "the first {}x{} screen shows no failed case ({failed_rows} rows of its colour)",
        info.width,
        info.height
    );
    let html = std::fs::read_to_string(&page).unwrap_or_default();
    let verdict = html.find("id=\"verdict\"").unwrap_or(usize::MAX);
    let failures = html.find("id=\"failures\"").unwrap_or(usize::MAX);
    let all = html.find("id=\"all\"").unwrap_or(0);
    assert!(verdict < failures && failures < all, "the page's order");
}

/// A case that expects 201 where the vendor documents 200.
fn expecting_201(text: String) -> String {
    let mut case: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    case["expect"]["status"] = serde_json::json!(201);
    case.to_string()
}
