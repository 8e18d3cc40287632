//! `parity` and `learn`: the built-in mock beside a baseline recorded against the vendor.

use std::path::Path;

use extracta_contract::contract::input::write_whole;
use extracta_contract::contract::profile::PROFILE_FILE;
use extracta_contract::local::baseline_name;
use extracta_contract::redact::Channel;
use extracta_contract::report::text;
use extracta_contract::result::Outcome;
use extracta_contract::{Redactor, RunReport, VendorProfile, learn_vendor, parity};

use super::args::{LearnArgs, ParityArgs};
use super::exit::{CONFORMS, VIOLATION};
use super::output::Output;

/// The profile's description, its first line led by `who`: lines that hold the vendor's text
/// as it came, for [`Output::line`] to escape.
pub fn described(profile: &VendorProfile, who: &str) -> Vec<String> {
    let mut lines = profile.describe();
    if let Some(first) = lines.first_mut() {
        *first = format!("{who} {first}");
    }
    lines
}

/// Loads the vendor profile at `path`: a file, or a baseline folder holding one.
pub fn load_profile(path: &Path) -> anyhow::Result<VendorProfile> {
    VendorProfile::load(path).map_err(|e| {
        let hint = if path.is_dir() {
            format!(
                "; write one with `extracta-contract learn --snapshots {}`",
                path.display()
            )
        } else {
            String::new()
        };
        anyhow::anyhow!(
            "{}{hint}",
            Output::new(Redactor::default()).quoted(&e.to_string())
        )
    })
}

/// The lines of the cases in `report` that differ from the baseline or fail their checks,
/// and how many differ.
fn differences(report: &RunReport) -> (Vec<String>, usize) {
    let total = report.cases.len();
    let mut lines = Vec::new();
    let mut differ = 0;
    for (n, case) in report.cases.iter().enumerate() {
        if case.outcome != Outcome::Failed {
            continue;
        }
        if case.drifts().next().is_some() {
            differ += 1;
        }
        lines.push(text::case_lines(case, (n + 1, total), false));
    }
    (lines, differ)
}

/// The verdict line of a parity run: which mock, which baseline, how many cases differ.
fn verdict(report: &RunReport, mock: &str, baseline: &str) -> (String, bool) {
    let (_, differ) = differences(report);
    let failed = report.summary().failed;
    let total = report.cases.len();
    let mut verdict = if differ == 0 {
        format!("{mock} matches {baseline} in all {total} case(s) with a baseline")
    } else {
        format!("{mock} differs from {baseline} in {differ} of {total} case(s)")
    };
    if failed > differ {
        verdict.push_str(&format!(
            "; {} case(s) fail their checks against it",
            failed - differ
        ));
    }
    (verdict, failed == 0)
}

/// Runs `parity`; exit 1 when the mock differs.
pub async fn check(args: &ParityArgs) -> anyhow::Result<u8> {
    let output = Output::new(Redactor::default());
    let dir = &args.baseline.snapshots;
    let baseline = baseline_name(dir);
    let like = args.like.as_deref().map(load_profile).transpose()?;
    let mock = match &like {
        Some(profile) => {
            for text in described(profile, "the built-in mock") {
                output.line(&text);
            }
            "the built-in mock that learned the vendor"
        }
        None => "the built-in mock",
    };
    let report = parity(&args.baseline.to_options()?, dir, like).await?;
    for case in differences(&report).0 {
        output.lines(&case);
    }
    let drifts = text::drifts(&report, false);
    if !drifts.is_empty() {
        output.lines(drifts.trim_end());
    }
    let (verdict, same) = verdict(&report, mock, &baseline);
    output.line(&verdict);
    if args.like.is_none() && !same && dir.join(PROFILE_FILE).is_file() {
        output.line(&format!(
            "{} holds a vendor profile: `--like {}` checks the mock that adopts it",
            dir.display(),
            dir.display()
        ));
    }
    Ok(if same { CONFORMS } else { VIOLATION })
}

/// Runs `learn`: writes the profile, and says what it learned and what it could not. Exits 0
/// once the profile is written, whatever it could not learn (`parity --like` is the check).
pub async fn learn(args: &LearnArgs) -> anyhow::Result<u8> {
    let output = Output::new(Redactor::default());
    let dir = &args.baseline.snapshots;
    let baseline = baseline_name(dir);
    let learned = learn_vendor(&args.baseline.to_options()?, dir).await?;
    let (before, _) = verdict(&learned.before, "the plain mock", &baseline);
    output.line(&before);
    for text in described(&learned.profile, "the profile") {
        output.line(&text);
    }
    let (after, _) = verdict(&learned.after, "the mock that adopts it", &baseline);
    output.line(&after);
    let rendered = learned.profile.render();
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| dir.join(PROFILE_FILE));
    if path.as_os_str() == "-" {
        output.file(&path, "vendor profile", Channel::Json, &rendered)?;
    } else {
        // The file keeps the vendor's text as it came: the mock answers with it. Written
        // whole, never through a link planted in the baseline folder.
        write_whole(&path, rendered.as_bytes())
            .map_err(|e| anyhow::anyhow!("write the vendor profile {}: {e}", path.display()))?;
        output.line(&format!(
            "wrote {}: review it, commit it, and point your tests at `extracta-contract mock --like {}`",
            path.display(),
            path.display()
        ));
    }
    Ok(CONFORMS)
}
