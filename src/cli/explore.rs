//! `explore`: generated sequences of requests against a target (the built-in mock when none
//! is named); prints the seed first, each finding as it is found (shrunk, with its `curl`
//! lines and answer), and ends with `N sequences, N requests, N findings`.

use std::fmt::Write as _;
use std::path::Path;

use extracta_contract::report::curl::curl_line;
use extracta_contract::report::{shown, shown_case, text};
use extracta_contract::suite::explore::{ExploreEvent, ExploreReport};
use extracta_contract::{ExploreOptions, Redactor, explore_until, with_built_in_mock};

use super::args::ExploreArgs;
use super::exit;
use super::run::{check_writable, output_for, reports, run_error, write_reports};
use super::signal;

/// The lines of one finding: the case lines of its failing request (failures, `curl` line,
/// answer), the requests sent before it, and where it was saved.
fn finding_lines(
    event: ExploreEvent<'_>,
    number: usize,
    colour: bool,
    redactor: &Redactor,
) -> String {
    let ExploreEvent::Found { finding, result } = event else {
        return String::new();
    };
    // Redacted before anything is cut, as the run's case lines are.
    let result = shown_case(result, redactor);
    let mut lines = text::case_lines(&result, (number, number), colour);
    let earlier = finding.sequence.len().saturating_sub(1);
    for exchange in finding.sequence.iter().take(earlier) {
        let _ = write!(lines, "\n     after:   {}", curl_line(&exchange.request));
        if let Some(response) = &exchange.response {
            let _ = write!(
                lines,
                "\n              {} {}",
                response.status,
                text::escaped(
                    &redactor
                        .redact(&response.text)
                        .chars()
                        .take(200)
                        .collect::<String>()
                )
            );
        }
    }
    match (&finding.saved, &finding.save_error) {
        (Some(path), _) => {
            let _ = write!(lines, "\n     saved:   {}", path.display());
        }
        (None, Some(error)) => {
            let _ = write!(lines, "\n     not saved: {}", text::escaped(error));
        }
        (None, None) => {}
    }
    lines
}

/// The closing lines: why it stopped, what the cleanup could not remove, the target line,
/// and `N sequences, N requests, N findings`.
fn summary(explored: &ExploreReport) -> String {
    let report = &explored.report;
    let mut lines = format!("stopped: {}", explored.stop);
    if explored.not_sent > 0 {
        let _ = write!(
            lines,
            "\nnot sent: {} generated request(s) the ledger or the ownership proof kept in",
            explored.not_sent
        );
    }
    for (id, reason) in &report.cleanup.failed {
        let _ = write!(
            lines,
            "\ncleanup: could not delete {}: {}",
            text::escaped(id),
            text::escaped(reason)
        );
    }
    let traffic = report.traffic;
    let _ = write!(
        lines,
        "\ntarget {}: {} requests ({} uploads, {} deletes), cleanup included, in {} ms",
        text::escaped(&report.target.base_url),
        traffic.requests,
        traffic.uploads,
        traffic.deletes,
        report.duration.as_millis()
    );
    let _ = write!(
        lines,
        "\n{} sequences, {} requests, {} findings",
        explored.sequences,
        explored.requests,
        explored.findings.len()
    );
    lines
}

/// Explores the target and returns the verdict's exit code.
pub async fn explore(args: &ExploreArgs) -> anyhow::Result<u8> {
    let stop = signal::shutdown();
    let like = args
        .target
        .mock_like
        .as_deref()
        .map(super::parity::load_profile)
        .transpose()?;
    let run = args.to_builder().mock_like(like).build()?;
    let reports = reports(&args.reports);
    let redactor = Redactor::new(run.target().keys());
    let (output, colour) = output_for(&reports, redactor.clone())?;
    for (path, what) in &reports {
        check_writable(path, what)?;
    }
    if let Some(dir) = &args.save_cases {
        check_folder(dir)?;
    }
    let seed = args.seed.unwrap_or_else(|| fastrand::u64(..));
    output.line(&format!(
        "seed {seed} (replay: extracta-contract explore --seed {seed} --budget {})",
        args.budget
    ));
    let (run, _mock) = with_built_in_mock(run).await?;
    let mut options = ExploreOptions::new(run).seed(seed).budget(args.budget);
    if let Some(dir) = &args.save_cases {
        options = options.save_cases(dir);
    }
    let mut found = 0;
    let explored = explore_until(
        &options,
        |event| {
            found += 1;
            output.lines(&finding_lines(event, found, colour, &redactor));
        },
        stop,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", run_error(&output, &e)))?;
    output.lines(&summary(&explored));
    let verdict = explored.report.verdict();
    // Redacted first, then cut, as the run's reports are.
    write_reports(&args.reports, &shown(&explored.report, &redactor), &output)?;
    Ok(exit::code(verdict))
}

/// Checks that findings can be saved under `dir`: a folder, or one that can be made.
fn check_folder(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(
            "save cases in {}: it is a file, not a folder",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("save cases in {}: {e}", dir.display()))
}
