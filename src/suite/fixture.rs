//! A case's fixture: the batches and files it needs, provisioned through the public API into
//! the run's classification, and the ids they received.

use serde_json::Value;

use super::ledger::UNKNOWN_ID;
use super::ownership::Marker;
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

/// The files of batch `batch` of a fixture whose earlier batches hold `before` files: the
/// name each is sent under (with the run's `marker`), the sample document and its contents,
/// cycling through the samples.
pub fn batch_files(
    marker: &Marker,
    batch: usize,
    before: usize,
    count: usize,
) -> Vec<(String, &'static str, &'static [u8])> {
    (0..count)
        .map(|n| {
            let (name, contents) = DOCUMENTS[(before + n) % DOCUMENTS.len()];
            (marker.file_name(batch, n, name), name, contents)
        })
        .collect()
}

/// Creates the classifications of `spec` beyond the run's own (`classification_id`), then
/// uploads its batches into them.
///
/// # Errors
/// When a classification cannot be created, or an upload fails or its answer lacks the ids.
pub async fn provision(
    vendor: &Vendor,
    classification_id: &str,
    spec: &FixtureSpec,
) -> Result<Fixture, VendorError> {
    let mut fixture = Fixture {
        classification_ids: vec![classification_id.to_owned()],
        marker: Some(vendor.marker().to_string()),
        ..Fixture::default()
    };
    for _ in 1..spec.classification_count() {
        fixture
            .classification_ids
            .push(vendor.create_classification().await?);
    }
    for (batch, placed) in spec.batches.iter().enumerate() {
        let files = batch_files(vendor.marker(), batch, fixture.files.len(), placed.files);
        let owner = &fixture.classification_ids[placed.classification];
        let uploaded = vendor.upload(owner, files).await?;
        fixture.batches.push(FixtureBatch {
            classification: placed.classification,
            id: uploaded.batch_id,
        });
        fixture
            .files
            .extend(uploaded.file_ids.into_iter().map(|id| (batch, id)));
    }
    Ok(fixture)
}

/// One batch of a provisioned fixture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixtureBatch {
    /// The number of the fixture's classification it is in.
    pub classification: usize,
    /// Its id.
    pub id: String,
}

/// The ids a case's fixture received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fixture {
    /// The classifications: the run's first, then those created for the case.
    pub classification_ids: Vec<String>,
    /// The batches, in the spec's order.
    pub batches: Vec<FixtureBatch>,
    /// Every file, numbered across batches: `(batch index, file id)`.
    pub files: Vec<(usize, String)>,
    /// The marker of the run that made it, which its names carry.
    pub marker: Option<String>,
}

impl Fixture {
    /// A fixture of `spec` whose ids are the placeholders that stand for them, for showing
    /// requests before any id exists; `classification_id` is the run's classification.
    pub fn placeholders(classification_id: &str, spec: &FixtureSpec) -> Fixture {
        let mut fixture = Fixture {
            classification_ids: vec![classification_id.to_owned()],
            ..Fixture::default()
        };
        for n in 1..spec.classification_count() {
            fixture
                .classification_ids
                .push(format!("{{{{classificationId:{n}}}}}"));
        }
        for (batch, placed) in spec.batches.iter().enumerate() {
            fixture.batches.push(FixtureBatch {
                classification: placed.classification,
                id: format!("{{{{batchId:{batch}}}}}"),
            });
            for _ in 0..placed.files {
                let n = fixture.files.len();
                fixture.files.push((batch, format!("{{{{fileId:{n}}}}}")));
            }
        }
        fixture
    }

    /// The id of batch `n` and of the classification it is in.
    pub fn batch(&self, n: usize) -> Option<(&str, &str)> {
        let batch = self.batches.get(n)?;
        let classification = self.classification_ids.get(batch.classification)?;
        Some((classification, &batch.id))
    }

    /// The id a placeholder stands for.
    pub fn resolve(&self, placeholder: Placeholder) -> Option<&str> {
        match placeholder {
            Placeholder::Classification(n) => self.classification_ids.get(n).map(String::as_str),
            Placeholder::Batch(n) => self.batches.get(n).map(|b| b.id.as_str()),
            Placeholder::File(n) => self.files.get(n).map(|(_, id)| id.as_str()),
            Placeholder::Unknown => Some(UNKNOWN_ID),
            Placeholder::Marker => self.marker.as_deref(),
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

    /// `value` with the placeholders in its strings (and keys) filled.
    pub fn fill_json(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.fill(s)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.fill_json(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (self.fill(k), self.fill_json(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// The part of this fixture that a case with `spec` sees: its batches, and in each its
    /// first files, numbered as if the fixture had been made for it alone.
    pub fn view(&self, spec: &FixtureSpec) -> Fixture {
        let mut files = Vec::new();
        for (batch, placed) in spec.batches.iter().enumerate() {
            files.extend(
                self.files
                    .iter()
                    .filter(|(b, _)| *b == batch)
                    .take(placed.files)
                    .cloned(),
            );
        }
        Fixture {
            classification_ids: self.classification_ids.clone(),
            batches: self
                .batches
                .iter()
                .take(spec.batches.len())
                .cloned()
                .collect(),
            files,
            marker: self.marker.clone(),
        }
    }

    /// Every generated id with the stable name it gets in snapshots, longest id first.
    pub fn names(&self) -> Vec<(String, String)> {
        let mut names = Vec::new();
        for (n, id) in self.classification_ids.iter().enumerate() {
            let name = if n == 0 {
                "[classificationId]".to_owned()
            } else {
                format!("[classificationId:{n}]")
            };
            names.push((id.clone(), name));
        }
        for (n, batch) in self.batches.iter().enumerate() {
            names.push((batch.id.clone(), format!("[batchId:{n}]")));
        }
        for (n, (_, id)) in self.files.iter().enumerate() {
            names.push((id.clone(), format!("[fileId:{n}]")));
        }
        if let Some(marker) = &self.marker {
            names.push((marker.clone(), "[runMarker]".to_owned()));
        }
        names.sort_by_key(|(id, _)| std::cmp::Reverse(id.len()));
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(batches: &[&str], files: &[(usize, &str)]) -> Fixture {
        Fixture {
            classification_ids: vec!["c".into(), "c1".into()],
            batches: batches
                .iter()
                .map(|id| FixtureBatch {
                    classification: 0,
                    id: (*id).to_owned(),
                })
                .collect(),
            files: files.iter().map(|(b, id)| (*b, (*id).to_owned())).collect(),
            marker: None,
        }
    }

    #[test]
    fn a_shared_fixture_is_seen_as_if_made_for_the_case() {
        let shared = fixture(
            &["b0", "b1"],
            &[(0, "f0"), (0, "f1"), (0, "f2"), (1, "f3"), (1, "f4")],
        );
        let view = shared.view(&FixtureSpec::of(&[2]));
        assert_eq!(view.batches.len(), 1);
        assert_eq!(view.files, [(0, "f0".to_owned()), (0, "f1".to_owned())]);
        let view = shared.view(&FixtureSpec::of(&[1, 2]));
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
        let fixture = fixture(&["b0", "b1"], &[(0, "f0"), (1, "f1")]);
        assert_eq!(
            fixture.fill(
                "{{classificationId}}/{{classificationId:1}}/{{batchId}}/{{batchId:1}}/{{fileId:1}}/{{unknownId}}"
            ),
            format!("c/c1/b0/b1/f1/{UNKNOWN_ID}")
        );
    }

    #[test]
    fn a_dry_run_names_each_id_a_spec_will_receive_by_its_placeholder() {
        use crate::contract::case::BatchSpec;
        let spec = FixtureSpec {
            batches: vec![
                BatchSpec {
                    files: 2,
                    classification: 0,
                },
                BatchSpec {
                    files: 1,
                    classification: 1,
                },
            ],
        };
        let fixture = Fixture::placeholders("run-classification", &spec);
        assert_eq!(
            fixture.classification_ids,
            ["run-classification", "{{classificationId:1}}"]
        );
        assert_eq!(
            fixture.batches,
            [
                FixtureBatch {
                    classification: 0,
                    id: "{{batchId:0}}".into()
                },
                FixtureBatch {
                    classification: 1,
                    id: "{{batchId:1}}".into()
                },
            ]
        );
        assert_eq!(
            fixture.files,
            [
                (0, "{{fileId:0}}".to_owned()),
                (0, "{{fileId:1}}".to_owned()),
                (1, "{{fileId:2}}".to_owned())
            ]
        );
    }
}
