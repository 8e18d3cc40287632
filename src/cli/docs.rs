//! `docs-check`: the JSON examples of a saved vendor docs page against the contract.

use std::io::Write;

use extracta_contract::read_input;

use super::args::DocsCheckArgs;
use super::exit::{CONFORMS, VIOLATION};

/// Checks the page and prints one line per example.
pub fn check(args: &DocsCheckArgs) -> anyhow::Result<u8> {
    let name = args.file.display();
    let page = read_input(&args.file).map_err(|e| anyhow::anyhow!("read {name}: {e}"))?;
    let report = extracta_contract::docs_check::check_page(&page)
        .map_err(|e| anyhow::anyhow!("check {name}: {e}"))?;
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{name}: {}", report.endpoint);
    for example in &report.examples {
        let _ = writeln!(stdout, "{example}");
    }
    let failures = report.failures();
    let _ = writeln!(
        stdout,
        "{failures} of {} example(s) contradict the contract",
        report.examples.len()
    );
    Ok(if failures == 0 { CONFORMS } else { VIOLATION })
}
