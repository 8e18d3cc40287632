//! Files and folders a user or a repository hands the tool: symlinks in the baseline folder
//! are never written, deleted or walked through, input files are read only when regular and
//! only so much, and a walk of a folder ends (and gives way to a signal) within seconds.

#![cfg(unix)]

use std::io::Write as _;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rstest::rstest;

/// How long a command may take before it counts as hung.
const HUNG: Duration = Duration::from_secs(20);

/// What a finished command gave.
struct Finished {
    code: Option<i32>,
    text: String,
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn binary(args: &[&str]) -> Command {
    let mut command = crate::support::binary();
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Reads a pipe to its end on a thread of its own.
fn drain(pipe: Option<impl std::io::Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    })
}

/// Waits for `child` until `limit`; kills it and fails the test when it is still running.
fn finish(mut child: Child, limit: Duration, what: &str) -> Finished {
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Ok(Some(status)) = child.try_wait() {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let text = format!(
        "{}{}",
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default()
    );
    let Some(status) = status else {
        panic!("{what} still ran after {limit:?} and was killed; it printed:\n{text}");
    };
    Finished {
        code: status.code(),
        text,
    }
}

/// Runs the binary with `args`, failing the test when it hangs.
fn extracta(args: &[&str]) -> Finished {
    let child = binary(args)
        .spawn()
        .unwrap_or_else(|e| panic!("failed to run the binary: {e}"));
    finish(
        child,
        HUNG,
        &format!("extracta-contract {}", args.join(" ")),
    )
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

fn path_arg(path: &Path) -> &str {
    path.to_str()
        .unwrap_or_else(|| panic!("{path:?} is not UTF-8"))
}

fn write(path: &Path, contents: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, contents).unwrap_or_else(|e| panic!("{e}"));
}

fn link(target: &Path, at: &Path) {
    if let Some(parent) = at.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    symlink(target, at).unwrap_or_else(|e| panic!("{e}"));
}

fn fifo(at: &Path) {
    let made = Command::new("mkfifo")
        .arg(at)
        .status()
        .unwrap_or_else(|e| panic!("mkfifo: {e}"));
    assert!(made.success(), "mkfifo {at:?}");
}

/// The committed baseline of `case` (of the built-in mock), copied into `dir`.
fn committed_baseline(dir: &Path, case: &str) -> PathBuf {
    let from = manifest()
        .join("snapshots/mock")
        .join(format!("{case}.snap"));
    let to = dir.join(format!("{case}.snap"));
    let text = std::fs::read_to_string(&from).unwrap_or_else(|e| panic!("{from:?}: {e}"));
    write(&to, &text);
    to
}

const CASE: &str = "delete-files/valid-one-file";
const PRECIOUS: &str = "a file outside the baseline folder\n";

#[test]
fn update_snapshots_refuses_a_baseline_that_is_a_symlink_and_leaves_what_it_points_at() {
    // Arrange: the committed baseline is a link to a file outside the folder.
    let outside = tempdir();
    let precious = outside.path().join("precious.txt");
    write(&precious, PRECIOUS);
    let snapshots = tempdir();
    let baseline = snapshots.path().join(format!("{CASE}.snap"));
    link(&precious, &baseline);

    // Act
    let run = extracta(&[
        "run",
        "--snapshots",
        path_arg(snapshots.path()),
        "--update-snapshots",
        "valid-one-file",
    ]);

    // Assert: refused before the run, naming the link; the file it points at is intact.
    assert_eq!(run.code, Some(2), "{}", run.text);
    assert!(
        run.text.contains("valid-one-file.snap") && run.text.contains("symbolic link"),
        "{}",
        run.text
    );
    assert_eq!(
        std::fs::read_to_string(&precious).ok().as_deref(),
        Some(PRECIOUS)
    );
}

#[test]
fn a_plain_run_refuses_a_pending_baseline_that_is_a_symlink() {
    // Arrange: a folder with a baseline of another case, and the `.snap.new` a run would write
    // for this one planted as a link.
    let outside = tempdir();
    let precious = outside.path().join("precious.txt");
    write(&precious, PRECIOUS);
    let snapshots = tempdir();
    let _ = committed_baseline(snapshots.path(), "delete-files/auth-missing");
    link(
        &precious,
        &snapshots.path().join(format!("{CASE}.snap.new")),
    );

    // Act
    let run = extracta(&[
        "run",
        "--snapshots",
        path_arg(snapshots.path()),
        "valid-one-file",
    ]);

    // Assert
    assert_eq!(run.code, Some(2), "{}", run.text);
    assert!(
        run.text.contains("valid-one-file.snap.new") && run.text.contains("symbolic link"),
        "{}",
        run.text
    );
    assert_eq!(
        std::fs::read_to_string(&precious).ok().as_deref(),
        Some(PRECIOUS)
    );
}

#[test]
fn prune_deletes_nothing_behind_a_folder_symlink() {
    // Arrange: a link in the baseline folder to a folder of `.snap` files elsewhere.
    let outside = tempdir();
    let theirs = outside.path().join("theirs.snap");
    write(&theirs, PRECIOUS);
    let snapshots = tempdir();
    link(outside.path(), &snapshots.path().join("elsewhere"));

    // Act
    let run = extracta(&[
        "run",
        "--snapshots",
        path_arg(snapshots.path()),
        "--update-snapshots",
        "--prune",
        "valid-one-file",
    ]);

    // Assert
    assert_eq!(run.code, Some(0), "{}", run.text);
    assert_eq!(
        std::fs::read_to_string(&theirs).ok().as_deref(),
        Some(PRECIOUS)
    );
}

#[test]
fn prune_keeps_a_live_baseline_that_a_loop_shows_again() {
    // Arrange: `loop -> .` shows the folder's own baselines under another name.
    let snapshots = tempdir();
    let baseline = committed_baseline(snapshots.path(), CASE);
    link(Path::new("."), &snapshots.path().join("loop"));

    // Act
    let run = extracta(&[
        "run",
        "--snapshots",
        path_arg(snapshots.path()),
        "--update-snapshots",
        "--prune",
        "valid-one-file",
    ]);

    // Assert
    assert_eq!(run.code, Some(0), "{}", run.text);
    assert!(
        baseline.is_file(),
        "the live baseline was deleted:\n{}",
        run.text
    );
    assert!(snapshots.path().join("loop").is_symlink());
}

#[test]
fn two_loops_in_the_baseline_folder_neither_hang_the_run_nor_hold_off_sigterm() {
    // Arrange: two links to the folder itself: a walk that follows them never ends.
    let snapshots = tempdir();
    let _ = committed_baseline(snapshots.path(), CASE);
    link(Path::new("."), &snapshots.path().join("a"));
    link(Path::new("."), &snapshots.path().join("b"));
    let child = binary(&[
        "run",
        "--snapshots",
        path_arg(snapshots.path()),
        "--prune",
        "valid-one-file",
    ])
    .spawn()
    .unwrap_or_else(|e| panic!("{e}"));

    // Act: SIGTERM a few seconds in, wherever the run is by then.
    std::thread::sleep(Duration::from_secs(3));
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let run = finish(child, Duration::from_secs(10), "the run after SIGTERM");

    // Assert: it ended, having passed or having been stopped.
    assert!(
        matches!(run.code, Some(0 | 2)),
        "{:?} {}",
        run.code,
        run.text
    );
}

#[test]
fn two_loops_in_the_cases_folder_do_not_hang_the_list() {
    // Arrange
    let cases = tempdir();
    let text = std::fs::read_to_string(manifest().join(format!("cases/{CASE}.json")))
        .unwrap_or_else(|e| panic!("{e}"));
    write(&cases.path().join("one.json"), &text);
    link(Path::new("."), &cases.path().join("a"));
    link(Path::new("."), &cases.path().join("b"));

    // Act
    let list = extracta(&["run", "--list", "--cases", path_arg(cases.path())]);

    // Assert
    assert_eq!(list.code, Some(0), "{}", list.text);
    assert!(
        list.text.contains("1 of 1 case(s) selected"),
        "{}",
        list.text
    );
}

/// Where each input file goes on a command line, `{}` standing for the file; `dir` is a
/// folder the command may use.
fn input_command(input: &str, file: &Path, dir: &Path) -> Vec<String> {
    let file = path_arg(file).to_owned();
    let dir = path_arg(dir).to_owned();
    let args: Vec<&str> = match input {
        "case" => vec!["run", "--list", "--cases", &dir],
        "seed" => vec!["mock", "--port", "0", "--seed", &file],
        "profile" => vec!["mock", "--port", "0", "--like", &file],
        "mock-like" => vec!["run", "--list", "--mock-like", &file],
        "volatile" => vec!["run", "--snapshots", &dir, "valid-one-file"],
        "docs" => vec!["docs-check", &file],
        "validate" => vec!["validate", "--schema", "case", &file],
        other => panic!("no command reads a {other} file"),
    };
    args.into_iter().map(str::to_owned).collect()
}

/// Where each input file lives in `dir`.
fn input_path(input: &str, dir: &Path) -> PathBuf {
    match input {
        "case" => dir.join("case.json"),
        "volatile" => {
            let _ = committed_baseline(dir, CASE);
            dir.join("volatile.json")
        }
        _ => dir.join("input.json"),
    }
}

#[rstest]
fn an_input_file_that_is_a_fifo_is_refused_at_once(
    #[values("case", "seed", "profile", "mock-like", "volatile", "docs", "validate")] input: &str,
) {
    // Arrange: a named pipe nobody writes to; opening it to read waits for ever.
    let dir = tempdir();
    let path = input_path(input, dir.path());
    fifo(&path);

    // Act
    let args = input_command(input, &path, dir.path());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let refused = extracta(&args);

    // Assert
    assert_eq!(refused.code, Some(2), "{input}: {}", refused.text);
    assert!(
        refused.text.contains("FIFO") && refused.text.contains("not a regular file"),
        "{input}: {}",
        refused.text
    );
}

#[test]
fn a_case_file_that_links_to_a_device_is_refused_at_once() {
    // Arrange: a case file that never ends.
    let cases = tempdir();
    link(Path::new("/dev/urandom"), &cases.path().join("random.json"));

    // Act
    let child = binary(&["run", "--list", "--cases", path_arg(cases.path())])
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let refused = finish(child, Duration::from_secs(5), "reading /dev/urandom");

    // Assert
    assert_eq!(refused.code, Some(2), "{}", refused.text);
    assert!(
        refused.text.contains("random.json") && refused.text.contains("a device"),
        "{}",
        refused.text
    );
}

#[test]
fn an_input_file_larger_than_the_cap_is_refused_unread() {
    // Arrange: a sparse file of 64 MiB, which costs no disk.
    let dir = tempdir();
    let big = dir.path().join("big.json");
    let file = std::fs::File::create(&big).unwrap_or_else(|e| panic!("{e}"));
    file.set_len(64 << 20).unwrap_or_else(|e| panic!("{e}"));

    // Act
    let refused = extracta(&["validate", "--schema", "case", path_arg(&big)]);

    // Assert
    assert_eq!(refused.code, Some(2), "{}", refused.text);
    assert!(
        refused.text.contains("big.json") && refused.text.contains("larger than 8 MiB"),
        "{}",
        refused.text
    );
}

#[test]
fn standard_input_larger_than_the_cap_is_refused() {
    // Arrange
    let mut child = binary(&["validate", "--schema", "case", "-"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdin = child.stdin.take();
    let feeder = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            let chunk = vec![b' '; 1 << 20];
            for _ in 0..16 {
                if stdin.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
    });

    // Act
    let refused = finish(child, HUNG, "validate -");
    let _ = feeder.join();

    // Assert
    assert_eq!(refused.code, Some(2), "{}", refused.text);
    assert!(
        refused.text.contains("standard input") && refused.text.contains("larger than 8 MiB"),
        "{}",
        refused.text
    );
}

#[rstest]
#[case::run(&["run"])]
#[case::list(&["run", "--list"])]
fn sigterm_stops_a_run_still_reading_its_case_files(#[case] command: &[&str]) {
    // Arrange: case files of the most the tool reads, each: reading them all takes a while.
    let cases = tempdir();
    for n in 0..1_000 {
        let file = std::fs::File::create(cases.path().join(format!("{n}.json")))
            .unwrap_or_else(|e| panic!("{e}"));
        file.set_len(8 << 20).unwrap_or_else(|e| panic!("{e}"));
    }
    let mut args = command.to_vec();
    args.extend(["--cases", path_arg(cases.path())]);
    let child = binary(&args).spawn().unwrap_or_else(|e| panic!("{e}"));

    // Act
    std::thread::sleep(Duration::from_secs(1));
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let stopped = finish(child, Duration::from_secs(5), "the run after SIGTERM");

    // Assert: ended by the signal, or having said that it stopped before sending anything.
    match stopped.code {
        None => {}
        Some(2) => assert!(
            stopped.text.contains("stopped before its first request"),
            "{}",
            stopped.text
        ),
        other => panic!("{other:?} {}", stopped.text),
    }
}
