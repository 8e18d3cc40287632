//! `validate`: a JSON document against one of the contract's schemas.

use std::io::{Read, Write};

use extracta_contract::SchemaSet;

use super::args::ValidateArgs;
use super::exit::{CONFORMS, VIOLATION};

/// Checks the document and lists every violation with its pointer.
pub fn validate(args: &ValidateArgs) -> anyhow::Result<u8> {
    let name = args.file.display();
    let text = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| anyhow::anyhow!("read standard input: {e}"))?;
        text
    } else {
        std::fs::read_to_string(&args.file).map_err(|e| anyhow::anyhow!("read {name}: {e}"))?
    };
    let document: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("parse {name} as JSON: {e}"))?;
    let schemas = SchemaSet::global().map_err(|e| anyhow::anyhow!("{e}"))?;
    let violations = schemas.check(&args.schema, &document)?;
    let mut stdout = std::io::stdout();
    for violation in &violations {
        let _ = writeln!(stdout, "{name}: {violation}");
    }
    if violations.is_empty() {
        let _ = writeln!(stdout, "{name}: valid against {}", args.schema);
        Ok(CONFORMS)
    } else {
        Ok(VIOLATION)
    }
}
