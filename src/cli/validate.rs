//! `validate`: a JSON document against one of the contract's schemas. For `--schema case`,
//! the same checks a run makes of a case file (placeholders, fixture references) after the
//! schema's.

use std::path::Path;

use extracta_contract::contract::SchemaSet;
use extracta_contract::contract::input::{read_input, read_input_from};
use extracta_contract::{Case, Redactor};

use super::args::ValidateArgs;
use super::exit::{CONFORMS, VIOLATION};
use super::output::Output;

/// Checks the document and lists every violation with its pointer.
pub fn validate(args: &ValidateArgs) -> anyhow::Result<u8> {
    let output = Output::new(Redactor::default());
    let name = output.quoted(&args.file.display().to_string());
    let text = if args.file.as_os_str() == "-" {
        read_input_from(std::io::stdin().lock())
            .map_err(|e| anyhow::anyhow!("read standard input: {e}"))?
    } else {
        read_input(&args.file).map_err(|e| anyhow::anyhow!("read {name}: {e}"))?
    };
    let document: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("parse {name} as JSON: {e}"))?;
    let schemas = SchemaSet::global();
    let mut problems: Vec<String> = schemas
        .check(&args.schema, &document)?
        .iter()
        .map(ToString::to_string)
        .collect();
    if args.schema == "case" && problems.is_empty() {
        // What the schema cannot see, checked as a run checks it.
        if let Err(error) = Case::parse(Path::new(&args.file), "case", &text) {
            match error.problems() {
                [] => problems.push(error.to_string()),
                // Each with its pointer, as the schema's violations are listed.
                listed => problems.extend(listed.iter().map(|problem| {
                    let pointer = if problem.pointer.is_empty() {
                        "/"
                    } else {
                        problem.pointer.as_str()
                    };
                    format!("{pointer}: {}", problem.message)
                })),
            }
        }
    }
    for problem in &problems {
        output.line(&format!("{name}: {problem}"));
    }
    if problems.is_empty() {
        output.line(&format!("{name}: valid against {}", args.schema));
        Ok(CONFORMS)
    } else {
        Ok(VIOLATION)
    }
}
