//! `docs-check`: the JSON examples of a saved vendor docs page against the contract.

use extracta_contract::Redactor;
use extracta_contract::contract::input::read_input;

use super::args::DocsCheckArgs;
use super::exit::{CONFORMS, VIOLATION};
use super::output::Output;

/// Checks the page and prints one line per example.
pub fn check(args: &DocsCheckArgs) -> anyhow::Result<u8> {
    let output = Output::new(Redactor::default());
    let name = output.quoted(&args.file.display().to_string());
    let page = read_input(&args.file).map_err(|e| anyhow::anyhow!("read {name}: {e}"))?;
    let report = extracta_contract::contract::docs_check::check_page(&page)
        .map_err(|e| anyhow::anyhow!("check {name}: {}", output.quoted(&e.to_string())))?;
    output.line(&format!("{name}: {}", report.endpoint));
    for example in &report.examples {
        output.line(&example.to_string());
    }
    let failures = report.failures();
    output.line(&format!(
        "{failures} of {} example(s) contradict the contract",
        report.examples.len()
    ));
    Ok(if failures == 0 { CONFORMS } else { VIOLATION })
}
