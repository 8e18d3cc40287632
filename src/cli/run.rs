//! `run`: the suite against a target, or against the built-in mock when none is named.

use std::io::Write;
use std::path::{Path, PathBuf};

use extracta_contract::report::{html, json, junit, markdown, text};
use extracta_contract::{
    CaseError, Plan, Redactor, RunError, RunEvent, RunOptions, RunReport, run_until,
    with_built_in_mock,
};

use super::args::{ReportArgs, RunArgs};
use super::exit::{self, CONFORMS};
use super::signal;

/// Where the human text goes: standard output, unless a report takes it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Stream {
    Out,
    Err,
}

/// Text on its way out of the process: every line and every file passes the redactor.
pub(super) struct Output {
    pub(super) redactor: Redactor,
    pub(super) text: Stream,
}

impl Output {
    /// Text for standard error or output, as the reports leave it: standard output unless a
    /// report takes it.
    pub(super) fn new(redactor: Redactor, reports: &[(&PathBuf, &str)]) -> anyhow::Result<Output> {
        let to_stdout: Vec<&str> = reports
            .iter()
            .filter(|(path, _)| path.as_os_str() == "-")
            .map(|(_, what)| *what)
            .collect();
        if to_stdout.len() > 1 {
            anyhow::bail!(
                "write reports: only one can take standard output (`-`), not the {}",
                to_stdout.join(" and the ")
            );
        }
        Ok(Output {
            redactor,
            text: if to_stdout.is_empty() {
                Stream::Out
            } else {
                Stream::Err
            },
        })
    }

    pub(super) fn line(&self, text: &str) {
        let text = self.redactor.redact(text);
        let _ = match self.text {
            Stream::Out => writeln!(std::io::stdout(), "{text}"),
            Stream::Err => writeln!(std::io::stderr(), "{text}"),
        };
    }

    /// Why the run could not run, redacted, and escaped where it holds the target's text:
    /// every problem of the case files on a line of its own.
    pub(super) fn error(&self, error: &RunError) -> String {
        let shown = |text: &str| text::escaped(&self.redactor.redact(text)).into_owned();
        match error {
            RunError::Case(error @ CaseError::Invalid { .. }) => match error.heading() {
                Some(heading) => {
                    let lines: Vec<String> = error
                        .problems()
                        .iter()
                        .map(|p| shown(&p.to_string()))
                        .collect();
                    format!("{}\n  {}", shown(&heading), lines.join("\n  "))
                }
                None => shown(&error.to_string()),
            },
            other => shown(&other.to_string()),
        }
    }

    /// Writes a report to `path` (`-`: standard output), redacted.
    fn file(&self, path: &Path, what: &str, contents: &str) -> anyhow::Result<()> {
        let contents = self.redactor.redact(contents);
        if path.as_os_str() == "-" {
            let _ = write!(std::io::stdout(), "{contents}");
            return Ok(());
        }
        std::fs::write(path, contents)
            .map_err(|e| anyhow::anyhow!("write the {what} to {}: {e}", path.display()))
    }

    /// Appends a report to `path` (the step summary of GitHub Actions), redacted.
    fn append(&self, path: &Path, what: &str, contents: &str) -> anyhow::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| anyhow::anyhow!("open the {what} {}: {e}", path.display()))?;
        file.write_all(self.redactor.redact(contents).as_bytes())
            .map_err(|e| anyhow::anyhow!("write the {what} to {}: {e}", path.display()))
    }
}

/// The reports a run writes, each to a path (or `-`).
pub(super) fn reports(args: &ReportArgs) -> Vec<(&PathBuf, &'static str)> {
    [
        (&args.json, "JSON report"),
        (&args.junit, "JUnit report"),
        (&args.markdown, "Markdown summary"),
        (&args.html, "HTML report"),
    ]
    .into_iter()
    .filter_map(|(path, what)| path.as_ref().map(|p| (p, what)))
    .collect()
}

/// Runs the suite (lists it, with `--list`; shows its requests, with `--dry-run`) and returns
/// the verdict's exit code.
pub async fn run(args: &RunArgs) -> anyhow::Result<u8> {
    let stop = signal::shutdown();
    let like = args
        .target
        .mock_like
        .as_deref()
        .map(super::parity::load_profile)
        .transpose()?;
    let options = args.to_builder().mock_like(like).build()?;
    let reports = reports(&args.reports);
    let output = Output::new(Redactor::new(options.target().keys()), &reports)?;
    if args.list {
        return list(&options, &output);
    }
    if args.dry_run {
        return dry_run(&options, &output);
    }
    for (path, what) in &reports {
        check_writable(path, what)?;
    }
    if let extracta_contract::Target::BuiltInMock(mock) = options.target() {
        if let Some(profile) = mock.like() {
            output.line(&format!(
                "built-in mock: {}",
                profile.describe().first().map_or("", String::as_str)
            ));
        }
    }
    let (options, _mock) = with_built_in_mock(options).await?;
    let colour = output.text == Stream::Out && super::colour::enabled(&std::io::stdout());
    let report = run_until(
        &options,
        |event| {
            if let RunEvent::CaseFinished {
                result,
                done,
                total,
            } = event
            {
                output.line(&text::case_lines(result, (done, total), colour));
            }
        },
        stop,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", output.error(&e)))?;
    output.line(&text::summary(&report, colour));
    write_reports(&args.reports, &report, &output)?;
    Ok(exit::code(report.verdict()))
}

/// Writes every report the arguments ask for, and the step summary when GitHub Actions runs
/// the suite.
pub(super) fn write_reports(
    args: &ReportArgs,
    report: &RunReport,
    output: &Output,
) -> anyhow::Result<()> {
    if let Some(path) = &args.json {
        output.file(path, "JSON report", &json::to_json(report)?)?;
    }
    if let Some(path) = &args.junit {
        output.file(path, "JUnit report", &junit::to_junit(report)?)?;
    }
    match (&args.markdown, std::env::var_os("GITHUB_STEP_SUMMARY")) {
        (Some(path), _) => output.file(path, "Markdown summary", &markdown::to_markdown(report))?,
        (None, Some(summary)) if !summary.is_empty() => output.append(
            Path::new(&summary),
            "step summary ($GITHUB_STEP_SUMMARY)",
            &markdown::to_markdown(report),
        )?,
        _ => {}
    }
    if let Some(path) = &args.html {
        output.file(path, "HTML report", &html::to_html(report))?;
    }
    Ok(())
}

/// Prints the selected cases with their descriptions.
fn list(options: &RunOptions, output: &Output) -> anyhow::Result<u8> {
    let cases = options
        .cases()
        .load()
        .map_err(|e| anyhow::anyhow!("{}", output.error(&RunError::Case(e))))?;
    let selected: Vec<_> = cases.iter().filter(|c| options.selects(&c.name)).collect();
    let width = selected.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for case in &selected {
        output.line(&format!(
            "{:width$}  {}",
            case.name,
            text::escaped(&case.description)
        ));
    }
    output.line(&format!(
        "{} of {} case(s) selected",
        selected.len(),
        cases.len()
    ));
    Ok(CONFORMS)
}

/// Prints every request the run would send, in order, and sends nothing.
fn dry_run(options: &RunOptions, output: &Output) -> anyhow::Result<u8> {
    let mut cases = options
        .cases()
        .load()
        .map_err(|e| anyhow::anyhow!("{}", output.error(&RunError::Case(e))))?;
    cases.retain(|case| options.selects(&case.name));
    let plan = Plan::new(&cases, options);
    let base_url = options
        .target()
        .remote()
        .map_or_else(|| "<built-in mock>".to_owned(), |r| r.base_url().to_owned());
    let lines = plan.describe(&base_url);
    for line in &lines {
        output.line(line);
    }
    let requests = lines.len() - plan.skipped.len();
    output.line(&format!(
        "dry run: {requests} request(s) listed; nothing was sent"
    ));
    Ok(CONFORMS)
}

/// Checks that a report can be written to `path`, before the run: its folder exists and is
/// writable, and it is not a folder itself. `-` (standard output) is always writable.
///
/// # Errors
/// Naming the path and what is wrong.
pub(super) fn check_writable(path: &Path, what: &str) -> anyhow::Result<()> {
    if path.as_os_str() == "-" {
        return Ok(());
    }
    if path.is_dir() {
        anyhow::bail!("write the {what} to {}: it is a folder", path.display());
    }
    let folder: PathBuf = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    // Create and remove a file in the folder, to learn whether it is writable.
    let probe = folder.join(format!(".extracta-contract-probe-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| anyhow::anyhow!("write the {what} to {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_path_in_a_missing_folder_is_refused() {
        let error = check_writable(Path::new("/no/such/folder/report.json"), "JSON report")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("/no/such/folder/report.json"), "{error}");
        assert!(check_writable(Path::new("-"), "JSON report").is_ok());
    }
}
