//! What the store's tests share: a classification's details and new files.

use serde_json::{Value, json};

use super::NewFile;
use crate::mock::classify::Guess;

/// Details of a classification with two document types.
pub fn details() -> Value {
    json!({"name": "n", "documentTypes": [
        {"name": "Invoice", "description": "", "uniqueWords": ["invoice number", "bill to"]},
        {"name": "Receipt", "description": "", "uniqueWords": ["receipt", "paid"]}]})
}

/// `n` new files, `0.pdf`, `1.pdf`, ..., of no type.
pub fn files(n: usize) -> Vec<NewFile> {
    (0..n)
        .map(|i| NewFile {
            file_name: format!("{i}.pdf"),
            guess: Guess {
                document_type: None,
                confidence: 0.0,
            },
        })
        .collect()
}
