//! `run`: the suite against a target, or against the built-in mock when none is named.

use std::io::{IsTerminal, Write};

use extracta_contract::report::{json, junit, text};
use extracta_contract::{
    ApiKey, CaseError, Plan, Redactor, RunError, RunEvent, RunOptions, check_writable, load_dir,
    run_until, with_built_in_mock,
};

use super::args::RunArgs;
use super::exit::{self, CONFORMS};
use super::signal;

/// Text on its way out of the process: every line passes the redactor.
struct Output {
    redactor: Redactor,
}

impl Output {
    fn line(&self, text: &str) {
        let _ = writeln!(std::io::stdout(), "{}", self.redactor.redact(text));
    }

    /// Why the run could not run, redacted, and escaped where it holds the target's text:
    /// every broken case file on a line of its own.
    fn error(&self, error: &RunError) -> String {
        let shown = |text: &str| text::escaped(&self.redactor.redact(text)).into_owned();
        match error {
            RunError::Case(CaseError::Many(errors)) => {
                let lines: Vec<String> = errors.iter().map(|e| shown(&e.to_string())).collect();
                format!(
                    "load cases: {} case file(s) are unusable:\n  {}",
                    errors.len(),
                    lines.join("\n  ")
                )
            }
            other => shown(&other.to_string()),
        }
    }

    fn file(&self, path: &std::path::Path, what: &str, contents: &str) -> anyhow::Result<()> {
        std::fs::write(path, self.redactor.redact(contents))
            .map_err(|e| anyhow::anyhow!("write the {what} to {}: {e}", path.display()))
    }
}

/// Runs the suite (or lists it, with `--dry-run`) and returns the verdict's exit code.
pub async fn run(args: &RunArgs) -> anyhow::Result<u8> {
    let stop = signal::shutdown();
    let options = args.to_options();
    let output = Output {
        redactor: Redactor::new(
            [&options.api_key, &options.second_api_key]
                .into_iter()
                .flatten()
                .map(ApiKey::new),
        ),
    };
    if args.dry_run {
        return dry_run(&options, &output);
    }
    for (path, what) in [(&args.json, "JSON report"), (&args.junit, "JUnit report")] {
        if let Some(path) = path {
            check_writable(path, what)?;
        }
    }
    let (options, _mock) = with_built_in_mock(options).await?;
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
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
    if let Some(path) = &args.json {
        output.file(path, "JSON report", &json::to_json(&report)?)?;
    }
    if let Some(path) = &args.junit {
        output.file(path, "JUnit report", &junit::to_junit(&report)?)?;
    }
    Ok(exit::code(report.verdict()))
}

/// Prints every request the run would send, in order, and sends nothing.
fn dry_run(options: &RunOptions, output: &Output) -> anyhow::Result<u8> {
    let cases = load_dir(&options.cases_dir)
        .map_err(|e| anyhow::anyhow!("{}", output.error(&RunError::Case(e))))?;
    let plan = Plan::new(&cases, options);
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| "<built-in mock>".to_owned());
    let lines = plan.describe(&base_url);
    for line in &lines {
        output.line(line);
    }
    output.line(&format!(
        "dry run: {} request(s) listed; nothing was sent",
        lines.len()
    ));
    Ok(CONFORMS)
}
