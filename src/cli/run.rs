//! `run`: the suite against a target, or against the built-in mock when none is named.

use std::path::{Path, PathBuf};

use extracta_contract::contract::CaseError;
use extracta_contract::redact::Channel;
use extracta_contract::report::{html, json, junit, markdown, shown, shown_case, text};
use extracta_contract::result::Outcome;
use extracta_contract::suite::{KeptRecord, Plan};
use extracta_contract::{
    Redactor, RunError, RunEvent, RunOptions, RunReport, run_until, with_built_in_mock,
};

use super::args::{ReportArgs, RunArgs};
use super::exit::{self, CONFORMS};
use super::output::{Output, Stream};
use super::signal;

/// Why the run could not run, redacted, and escaped where it holds the target's text: every
/// problem of the case files on a line of its own.
pub(super) fn run_error(output: &Output, error: &RunError) -> String {
    match error {
        RunError::Case(error @ CaseError::Invalid { .. }) => match error.heading() {
            Some(heading) => {
                let lines: Vec<String> = error
                    .problems()
                    .iter()
                    .map(|p| output.quoted(&p.to_string()))
                    .collect();
                format!("{}\n  {}", output.quoted(&heading), lines.join("\n  "))
            }
            None => output.quoted(&error.to_string()),
        },
        other => output.quoted(&other.to_string()),
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

/// The output for a run that writes `reports`: the human text on standard output, unless a
/// report takes it (then on standard error, without colour); and whether it is coloured.
///
/// # Errors
/// When more than one report asks for standard output.
pub(super) fn output_for(
    reports: &[(&PathBuf, &str)],
    redactor: Redactor,
) -> anyhow::Result<(Output, bool)> {
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
    let stream = if to_stdout.is_empty() {
        Stream::Out
    } else {
        Stream::Err
    };
    let colour = stream == Stream::Out && super::colour::enabled(&std::io::stdout());
    Ok((Output::new(redactor).on(stream).coloured(colour), colour))
}

/// Runs the suite (lists it, with `--list`; shows its requests, with `--dry-run`) and returns
/// the verdict's exit code.
pub async fn run(args: &RunArgs) -> anyhow::Result<u8> {
    let like = args
        .target
        .mock_like
        .as_deref()
        .map(super::parity::load_profile)
        .transpose()?;
    let options = args.to_builder().mock_like(like).build()?;
    let reports = reports(&args.reports);
    let redactor = Redactor::new(options.target().keys());
    let (output, colour) = output_for(&reports, redactor.clone())?;
    if args.list {
        return list(&options, &output);
    }
    if args.dry_run {
        return dry_run(&options, &output);
    }
    // From here on a signal stops the run and lets it clean up; until here, nothing was
    // created, and a signal ends the process as usual.
    let stop = signal::shutdown();
    for (path, what) in &reports {
        check_writable(path, what)?;
    }
    if let extracta_contract::suite::Target::BuiltInMock(mock) = options.target() {
        if let Some(profile) = mock.like() {
            output.line(&format!(
                "built-in mock: {}",
                profile.describe().first().map_or("", String::as_str)
            ));
        }
    }
    let (options, mock) = with_built_in_mock(options).await?;
    let report = run_until(
        &options,
        |event| {
            if let RunEvent::CaseFinished {
                result,
                done,
                total,
            } = event
            {
                // Redacted before the report shortens anything.
                let result = shown_case(result, &redactor);
                output.lines(&text::case_lines(&result, (done, total), colour));
                if args.keep && result.outcome == Outcome::Failed && !result.read_back.is_empty() {
                    output.lines(&text::read_back_lines(&result));
                }
            }
        },
        stop,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", run_error(&output, &e)))?;
    let verdict = report.verdict();
    // The reports lay out a copy redacted first, then cut: no report shortens a key into a
    // prefix of it, or escapes it into a form the final pass would have to know.
    let report = {
        let whole = report;
        shown(&whole, &redactor)
    };
    output.lines(&text::summary(&report, colour));
    write_reports(&args.reports, &report, &output)?;
    if report.cleanup.kept.as_ref().is_some_and(|k| !k.is_empty()) {
        keep_open(&report, &options, mock.as_ref(), &output).await?;
    }
    Ok(exit::code(verdict))
}

/// What a run with `--keep` left: its ids, and how to delete them. A live target's record is
/// written for `cleanup --run-id`; the built-in mock keeps serving them until Ctrl-C.
async fn keep_open(
    report: &RunReport,
    options: &RunOptions,
    mock: Option<&extracta_contract::MockServer>,
    output: &Output,
) -> anyhow::Result<()> {
    let Some(kept) = &report.cleanup.kept else {
        return Ok(());
    };
    let base_url = options
        .target()
        .remote()
        .map(|r| r.base_url().to_owned())
        .unwrap_or_default();
    match mock {
        Some(mock) => {
            let key = match options.target() {
                extracta_contract::suite::Target::BuiltInMock(m) if m.api_keys().0.is_some() => {
                    "the key you gave (--api-key)".to_owned()
                }
                _ => format!("`{}`", extracta_contract::mock::DEFAULT_API_KEY),
            };
            output.lines(&text::kept_lines(
                report,
                &format!(
                    "the built-in mock keeps them at {} until Ctrl-C; its key is {key}",
                    mock.base_url()
                ),
            ));
            signal::shutdown().await;
        }
        None => {
            let folder = std::env::current_dir()
                .map_err(|e| anyhow::anyhow!("find the working folder: {e}"))?;
            let path = KeptRecord::new(&base_url, kept)
                .write(&folder)
                .map_err(|e| anyhow::anyhow!("write the record of what was kept: {e}"))?;
            output.lines(&text::kept_lines(
                report,
                &format!(
                    "delete them later with: extracta-contract cleanup --run-id {} (the same --base-url and key; the record is {})",
                    kept.run_id,
                    path.strip_prefix(&folder).unwrap_or(&path).display()
                ),
            ));
        }
    }
    Ok(())
}

/// Writes every report the arguments ask for, and the step summary when GitHub Actions runs
/// the suite.
pub(super) fn write_reports(
    args: &ReportArgs,
    report: &RunReport,
    output: &Output,
) -> anyhow::Result<()> {
    if let Some(path) = &args.json {
        output.file(path, "JSON report", Channel::Json, &json::to_json(report)?)?;
    }
    if let Some(path) = &args.junit {
        output.file(
            path,
            "JUnit report",
            Channel::Markup,
            &junit::to_junit(report)?,
        )?;
    }
    match (&args.markdown, std::env::var_os("GITHUB_STEP_SUMMARY")) {
        (Some(path), _) => output.file(
            path,
            "Markdown summary",
            Channel::Markdown,
            &markdown::to_markdown(report),
        )?,
        (None, Some(summary)) if !summary.is_empty() => output.append(
            Path::new(&summary),
            "step summary ($GITHUB_STEP_SUMMARY)",
            Channel::Markdown,
            &markdown::to_markdown(report),
        )?,
        _ => {}
    }
    if let Some(path) = &args.html {
        output.file(path, "HTML report", Channel::Markup, &html::to_html(report))?;
    }
    Ok(())
}

/// Prints the selected cases with their descriptions.
fn list(options: &RunOptions, output: &Output) -> anyhow::Result<u8> {
    let cases = options
        .cases()
        .load()
        .map_err(|e| anyhow::anyhow!("{}", run_error(output, &RunError::Case(e))))?;
    let selected: Vec<_> = cases.iter().filter(|c| options.selects(&c.name)).collect();
    let width = selected.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for case in &selected {
        output.line(&format!("{:width$}  {}", case.name, case.description));
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
        .map_err(|e| anyhow::anyhow!("{}", run_error(output, &RunError::Case(e))))?;
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
