//! The fixture a resolved request needs, and the placeholders its ids become: the account's
//! home is classification 0, the batches the request names come first, files are numbered
//! across the batches.

use serde_json::Value;

use super::model::{AccountState, BatchAt};
use super::resolver::Resolution;
use crate::contract::case::{BatchSpec, FixtureSpec};
use crate::suite::fixture::{Fixture, FixtureBatch};

/// The most batches a case's fixture holds (`schemas/case.json`).
pub const MAX_FIXTURE_BATCHES: usize = 5;

/// The placeholder of fixture classification `n`.
fn classification_placeholder(n: usize) -> String {
    if n == 0 {
        "{{classificationId}}".to_owned()
    } else {
        format!("{{{{classificationId:{n}}}}}")
    }
}

/// The fixture a request's resolutions need: the account's home as classification 0, every
/// other classification named after it, and the non-empty batches of each named one.
pub(super) struct Layout {
    classifications: Vec<usize>,
    batches: Vec<BatchAt>,
    pub(super) named: usize,
}

impl Layout {
    pub(super) fn new(account: &AccountState, named: &[&Resolution]) -> Layout {
        let mut classifications: Vec<usize> = account.home().into_iter().collect();
        let mut relevant = Vec::new();
        let mut referenced: Vec<BatchAt> = Vec::new();
        for resolution in named {
            let (c, batch) = match resolution {
                Resolution::Classification(c) => (*c, None),
                Resolution::Batch((c, b)) | Resolution::File(c, b, _) => (*c, Some((*c, *b))),
                Resolution::Value(_) | Resolution::Missing => continue,
            };
            if !relevant.contains(&c) {
                relevant.push(c);
            }
            if let Some(at) = batch {
                if !referenced.contains(&at) {
                    referenced.push(at);
                }
            }
        }
        for c in &relevant {
            if !classifications.contains(c) {
                classifications.push(*c);
            }
        }
        // Batches the request names come first; then the rest of each named classification's,
        // as many as a fixture holds.
        let mut batches = referenced.clone();
        batches.truncate(MAX_FIXTURE_BATCHES);
        let named = batches.len();
        for (c, b) in account.batches() {
            if batches.len() >= MAX_FIXTURE_BATCHES {
                break;
            }
            if relevant.contains(&c) && !batches.contains(&(c, b)) {
                batches.push((c, b));
            }
        }
        Layout {
            classifications,
            batches,
            named,
        }
    }

    fn classification(&self, c: usize) -> usize {
        self.classifications
            .iter()
            .position(|x| *x == c)
            .unwrap_or_default()
    }

    fn batch(&self, at: BatchAt) -> Option<usize> {
        self.batches.iter().position(|x| *x == at)
    }

    /// The fixture's number of a file: files are numbered across its batches.
    fn file(&self, account: &AccountState, c: usize, b: usize, f: usize) -> Option<usize> {
        let at = self.batch((c, b))?;
        let before: usize = self.batches[..at]
            .iter()
            .map(|(c, b)| account.batch(*c, *b).map_or(0, |batch| batch.files.len()))
            .sum();
        Some(before + f)
    }

    /// `resolution` as it goes into a request: a placeholder, or the value.
    pub(super) fn value(&self, account: &AccountState, resolution: &Resolution) -> Option<Value> {
        let text = match resolution {
            Resolution::Missing => return None,
            Resolution::Value(value) => return Some(value.clone()),
            Resolution::Classification(c) => classification_placeholder(self.classification(*c)),
            Resolution::Batch(at) => format!("{{{{batchId:{}}}}}", self.batch(*at)?),
            Resolution::File(c, b, f) => {
                format!("{{{{fileId:{}}}}}", self.file(account, *c, *b, *f)?)
            }
        };
        Some(Value::String(text))
    }

    pub(super) fn fixture(&self, account: &AccountState, marker: &str) -> (FixtureSpec, Fixture) {
        let mut fixture = Fixture {
            classification_ids: self
                .classifications
                .iter()
                .map(|c| account.classifications[*c].id.clone())
                .collect(),
            marker: Some(marker.to_owned()),
            ..Fixture::default()
        };
        let mut spec = FixtureSpec::default();
        for (n, (c, b)) in self.batches.iter().enumerate() {
            let Some(batch) = account.batch(*c, *b) else {
                continue;
            };
            let classification = self.classification(*c);
            spec.batches.push(BatchSpec {
                files: batch.files.len(),
                classification,
            });
            fixture.batches.push(FixtureBatch {
                classification,
                id: batch.id.clone(),
            });
            fixture
                .files
                .extend(batch.files.iter().map(|id| (n, id.clone())));
        }
        (spec, fixture)
    }
}
