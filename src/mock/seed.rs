//! What a mock holds from the start, written in Rust or as JSON (`schemas/seed.json`).
//!
//! ```
//! use extracta_contract::mock::Seed;
//!
//! let seed = Seed::new().classification("cls-1", |c| {
//!     c.name("Invoices")
//!         .document_type("Invoice", ["invoice number", "bill to"])
//!         .batch("batch-1", |b| b.file("file-1", "a.pdf").file("file-2", "b.pdf"))
//! });
//! assert_eq!(seed.to_json()["classifications"][0]["batches"][0]["files"][1]["fileId"], "file-2");
//! ```

use serde::Serialize;
use serde_json::{Value, json};

/// Classifications, batches and files under fixed ids, for
/// [`MockBuilder::seed`](crate::MockBuilder::seed). Built with [`Seed::classification`], read from a JSON document
/// (`Seed::from(value)`), or both.
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct Seed {
    documents: Vec<Value>,
    classifications: Vec<ClassificationSeed>,
}

impl Seed {
    /// An empty seed.
    pub fn new() -> Seed {
        Seed::default()
    }

    /// Adds a classification with this id, described by `build`.
    pub fn classification(
        mut self,
        id: impl Into<String>,
        build: impl FnOnce(ClassificationSeed) -> ClassificationSeed,
    ) -> Seed {
        self.classifications
            .push(build(ClassificationSeed::new(id.into())));
        self
    }

    /// Adds a JSON document in the format of `schemas/seed.json`.
    pub fn json(mut self, document: Value) -> Seed {
        self.documents.push(document);
        self
    }

    /// Adds everything `other` holds.
    pub fn and(mut self, other: Seed) -> Seed {
        self.documents.extend(other.documents);
        self.classifications.extend(other.classifications);
        self
    }

    /// Whether the seed holds nothing.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty() && self.classifications.is_empty()
    }

    /// The typed classifications as one JSON document of the seed format.
    pub fn to_json(&self) -> Value {
        json!({ "classifications": self.classifications })
    }

    /// Every document to load, in order: the JSON ones, then the typed classifications.
    pub(crate) fn documents(&self) -> Vec<Value> {
        let mut documents = self.documents.clone();
        if !self.classifications.is_empty() {
            documents.push(self.to_json());
        }
        documents
    }
}

impl From<Value> for Seed {
    fn from(document: Value) -> Self {
        Seed::new().json(document)
    }
}

/// A classification of a [`Seed`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[must_use]
pub struct ClassificationSeed {
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
    classification_id: String,
    classification_details: DetailsSeed,
    batches: Vec<BatchSeed>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct DetailsSeed {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    document_types: Vec<DocumentTypeSeed>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct DocumentTypeSeed {
    name: String,
    description: String,
    unique_words: Vec<String>,
}

impl ClassificationSeed {
    fn new(id: String) -> Self {
        ClassificationSeed {
            owner: None,
            classification_details: DetailsSeed {
                name: id.clone(),
                description: None,
                document_types: Vec::new(),
            },
            classification_id: id,
            batches: Vec::new(),
        }
    }

    /// Its name (default: its id).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.classification_details.name = name.into();
        self
    }

    /// Its description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.classification_details.description = Some(description.into());
        self
    }

    /// Adds a document type with its unique words (uploads are classified by them).
    pub fn document_type(
        mut self,
        name: impl Into<String>,
        unique_words: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.classification_details
            .document_types
            .push(DocumentTypeSeed {
                name: name.into(),
                description: String::new(),
                unique_words: unique_words.into_iter().map(Into::into).collect(),
            });
        self
    }

    /// The API key that owns it (default: the first key the mock accepts).
    pub fn owner(mut self, key: impl Into<String>) -> Self {
        self.owner = Some(key.into());
        self
    }

    /// Adds a batch with this id, described by `build`.
    pub fn batch(
        mut self,
        id: impl Into<String>,
        build: impl FnOnce(BatchSeed) -> BatchSeed,
    ) -> Self {
        self.batches.push(build(BatchSeed {
            batch_id: id.into(),
            files: Vec::new(),
        }));
        self
    }
}

/// A batch of a [`ClassificationSeed`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[must_use]
pub struct BatchSeed {
    batch_id: String,
    files: Vec<FileSeed>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct FileSeed {
    file_id: String,
    file_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    document_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f64>,
}

impl BatchSeed {
    /// Adds a file that getResults reports as of no document type.
    pub fn file(mut self, id: impl Into<String>, name: impl Into<String>) -> Self {
        self.files.push(FileSeed {
            file_id: id.into(),
            file_name: name.into(),
            document_type: None,
            confidence: None,
        });
        self
    }

    /// Adds a file that getResults reports as `document_type` with this confidence (0 to 1).
    pub fn classified_file(
        mut self,
        id: impl Into<String>,
        name: impl Into<String>,
        document_type: impl Into<String>,
        confidence: f64,
    ) -> Self {
        self.files.push(FileSeed {
            file_id: id.into(),
            file_name: name.into(),
            document_type: Some(document_type.into()),
            confidence: Some(confidence),
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::schema::SchemaSet;

    #[test]
    fn a_typed_seed_is_a_valid_seed_document() {
        let seed = Seed::new().classification("c", |c| {
            c.owner("k")
                .description("d")
                .document_type("Invoice", ["invoice"])
                .batch("b", |b| {
                    b.file("f1", "a.pdf")
                        .classified_file("f2", "b.pdf", "Invoice", 0.9)
                })
        });
        let schemas = SchemaSet::global();
        assert_eq!(schemas.check("seed", &seed.to_json()).ok(), Some(vec![]));
    }

    #[test]
    fn json_and_typed_parts_are_loaded_in_order() {
        let seed =
            Seed::from(json!({"classifications": []})).and(Seed::new().classification("c", |c| c));
        assert_eq!(seed.documents().len(), 2);
        assert!(Seed::new().documents().is_empty());
    }
}
