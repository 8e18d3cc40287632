//! A minimal valid case file, and reading case text as the tests do.

use std::path::Path;

use super::error::CaseError;
use super::model::Case;

/// A valid case: two files in one batch, the second deleted.
pub(super) const MINIMAL: &str = r#"{"description": "d",
        "fixture": {"batches": [2]},
        "request": {"method": "DELETE", "path": "/documentClassification/deleteFiles",
                    "json": {"classificationId": "{{classificationId}}", "batchId": "{{batchId}}", "fileIds": ["{{fileId:1}}"]}},
        "expect": {"status": 200, "deleted": [1]}}"#;

/// Reads `text` as the case `delete-files/example`.
pub(super) fn parse(text: &str) -> Result<Case, CaseError> {
    Case::parse(
        Path::new("cases/delete-files/example.json"),
        "delete-files/example",
        text,
    )
}
