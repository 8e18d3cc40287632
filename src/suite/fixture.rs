//! A case's fixture: the batches and files it needs, provisioned through the public API into
//! the run's classification, and the ids they received.

use super::ledger::UNKNOWN_ID;
use super::vendor::{Vendor, VendorError};
use crate::contract::case::{FixtureSpec, Placeholder, placeholders};

/// The small sample documents uploaded as fixture files.
const DOCUMENTS: &[(&str, &[u8])] = &[
    (
        "invoice.pdf",
        include_bytes!("../../cases/documents/invoice.pdf"),
    ),
    (
        "receipt.pdf",
        include_bytes!("../../cases/documents/receipt.pdf"),
    ),
    (
        "purchase-order.pdf",
        include_bytes!("../../cases/documents/purchase-order.pdf"),
    ),
];

/// The files of batch `batch` of a fixture whose earlier batches hold `before` files: names
/// and contents, cycling through the sample documents.
pub fn batch_files(batch: usize, before: usize, count: usize) -> Vec<(String, &'static [u8])> {
    (0..count)
        .map(|n| {
            let (name, contents) = DOCUMENTS[(before + n) % DOCUMENTS.len()];
            (format!("contract-{batch}-{n}-{name}"), contents)
        })
        .collect()
}

/// Uploads the batches of `spec` into `classification_id`.
///
/// # Errors
/// When an upload fails or its answer lacks the ids.
pub async fn provision(
    vendor: &Vendor,
    classification_id: &str,
    spec: &FixtureSpec,
) -> Result<Fixture, VendorError> {
    let mut fixture = Fixture {
        classification_id: classification_id.to_owned(),
        ..Fixture::default()
    };
    for (batch, &count) in spec.batches.iter().enumerate() {
        let files = batch_files(batch, fixture.files.len(), count);
        let uploaded = vendor.upload(classification_id, files).await?;
        fixture.batch_ids.push(uploaded.batch_id);
        fixture
            .files
            .extend(uploaded.file_ids.into_iter().map(|id| (batch, id)));
    }
    Ok(fixture)
}

/// The ids a case's fixture received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fixture {
    /// The run's classification.
    pub classification_id: String,
    /// One id per batch, in the spec's order.
    pub batch_ids: Vec<String>,
    /// Every file, numbered across batches: `(batch index, file id)`.
    pub files: Vec<(usize, String)>,
}

impl Fixture {
    /// A fixture of `spec` whose ids are the placeholders that stand for them, for showing
    /// requests before any id exists.
    pub fn placeholders(classification_id: &str, spec: &FixtureSpec) -> Fixture {
        let mut fixture = Fixture {
            classification_id: classification_id.to_owned(),
            ..Fixture::default()
        };
        for (batch, &count) in spec.batches.iter().enumerate() {
            fixture.batch_ids.push(format!("{{{{batchId:{batch}}}}}"));
            for _ in 0..count {
                let n = fixture.files.len();
                fixture.files.push((batch, format!("{{{{fileId:{n}}}}}")));
            }
        }
        fixture
    }

    /// The id a placeholder stands for.
    pub fn resolve(&self, placeholder: Placeholder) -> Option<&str> {
        match placeholder {
            Placeholder::Classification => Some(&self.classification_id),
            Placeholder::Batch(n) => self.batch_ids.get(n).map(String::as_str),
            Placeholder::File(n) => self.files.get(n).map(|(_, id)| id.as_str()),
            Placeholder::Unknown => Some(UNKNOWN_ID),
        }
    }

    /// `text` with every placeholder replaced by its id.
    pub fn fill(&self, text: &str) -> String {
        let mut filled = text.to_owned();
        for inner in placeholders(text) {
            if let Some(id) = Placeholder::parse(inner).and_then(|p| self.resolve(p)) {
                filled = filled.replace(&format!("{{{{{inner}}}}}"), id);
            }
        }
        filled
    }

    /// The part of this fixture that a case with `spec` sees: its batches, and in each its
    /// first files, numbered as if the fixture had been made for it alone.
    pub fn view(&self, spec: &FixtureSpec) -> Fixture {
        let mut files = Vec::new();
        for (batch, &count) in spec.batches.iter().enumerate() {
            files.extend(
                self.files
                    .iter()
                    .filter(|(b, _)| *b == batch)
                    .take(count)
                    .cloned(),
            );
        }
        Fixture {
            classification_id: self.classification_id.clone(),
            batch_ids: self
                .batch_ids
                .iter()
                .take(spec.batches.len())
                .cloned()
                .collect(),
            files,
        }
    }

    /// Every generated id with the stable name it gets in snapshots, longest id first.
    pub fn names(&self) -> Vec<(String, String)> {
        let mut names = vec![(
            self.classification_id.clone(),
            "[classificationId]".to_owned(),
        )];
        for (n, id) in self.batch_ids.iter().enumerate() {
            names.push((id.clone(), format!("[batchId:{n}]")));
        }
        for (n, (_, id)) in self.files.iter().enumerate() {
            names.push((id.clone(), format!("[fileId:{n}]")));
        }
        names.sort_by_key(|(id, _)| std::cmp::Reverse(id.len()));
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_fixture_is_seen_as_if_made_for_the_case() {
        let shared = Fixture {
            classification_id: "c".into(),
            batch_ids: vec!["b0".into(), "b1".into()],
            files: vec![
                (0, "f0".into()),
                (0, "f1".into()),
                (0, "f2".into()),
                (1, "f3".into()),
                (1, "f4".into()),
            ],
        };
        let view = shared.view(&FixtureSpec { batches: vec![2] });
        assert_eq!(view.batch_ids, ["b0"]);
        assert_eq!(view.files, [(0, "f0".to_owned()), (0, "f1".to_owned())]);
        let view = shared.view(&FixtureSpec {
            batches: vec![1, 2],
        });
        assert_eq!(
            view.files,
            [
                (0, "f0".to_owned()),
                (1, "f3".to_owned()),
                (1, "f4".to_owned())
            ]
        );
    }

    #[test]
    fn placeholders_are_filled_from_the_fixture() {
        let fixture = Fixture {
            classification_id: "c".into(),
            batch_ids: vec!["b0".into(), "b1".into()],
            files: vec![(0, "f0".into()), (1, "f1".into())],
        };
        assert_eq!(
            fixture
                .fill("{{classificationId}}/{{batchId}}/{{batchId:1}}/{{fileId:1}}/{{unknownId}}"),
            format!("c/b0/b1/f1/{UNKNOWN_ID}")
        );
    }
}
