//! A pick of a generated action (the anchor, another of the account's ids, the unknown id, an
//! odd string, a value of the wrong type, nothing) resolved against one account: an id the
//! account holds, or a value.

use serde_json::Value;

use super::generate::{Action, Anchor, Odd, Pick};
use super::model::{AccountState, BatchAt};
use super::odd_value::{nowhere, odd_text, wrong_value};
use crate::contract::endpoint::Endpoint;

/// The kind of id a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Classification,
    Batch,
    File,
}

/// What a field resolved to, before placeholders: an id of the account, or a value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Resolution {
    Classification(usize),
    Batch(BatchAt),
    File(usize, usize, usize),
    Value(Value),
    Missing,
}

/// Resolves picks against one account, collecting what the fixture must hold.
pub(super) struct Resolver<'a> {
    pub(super) account: &'a AccountState,
    pub(super) action: &'a Action,
    pub(super) deletes: bool,
}

impl Resolver<'_> {
    /// The anchor's batch, if the account holds a non-empty one; for an upload, one of the
    /// anchor's classification.
    fn anchor_batch(&self) -> Option<BatchAt> {
        let mut batches = self.account.batches();
        if self.action.endpoint == Endpoint::UploadFiles {
            let classification = self.anchor_classification()?;
            batches.retain(|(c, _)| *c == classification);
        }
        (!batches.is_empty()).then(|| batches[self.action.anchor.batch % batches.len()])
    }

    /// The classifications a field of this endpoint may name: for deleteClassification, never
    /// the home (a case cannot name the run's own classification there).
    fn classifications(&self) -> Vec<usize> {
        let all = self.account.classifications();
        if self.action.endpoint == Endpoint::DeleteClassification {
            let home = self.account.home();
            all.into_iter().filter(|c| Some(*c) != home).collect()
        } else {
            all
        }
    }

    fn anchor_classification(&self) -> Option<usize> {
        match self.action.endpoint {
            Endpoint::ViewClassification
            | Endpoint::UploadFiles
            | Endpoint::DeleteClassification => {
                let all = self.classifications();
                (!all.is_empty()).then(|| all[self.action.anchor.classification % all.len()])
            }
            _ => self.anchor_batch().map(|(c, _)| c),
        }
    }

    /// The anchor's files: distinct positions in the anchor's batch.
    fn anchor_files(anchor: &Anchor, account: &AccountState, at: BatchAt) -> Vec<usize> {
        let count = account.batch(at.0, at.1).map_or(0, |b| b.files.len());
        let mut files = Vec::new();
        if count == 0 {
            return files;
        }
        for n in &anchor.files {
            let f = n % count;
            if !files.contains(&f) {
                files.push(f);
            }
        }
        files
    }

    fn unknown() -> Resolution {
        Resolution::Value(Value::String(nowhere("", None)))
    }

    fn odd(&self, odd: Odd) -> Resolution {
        odd_text(odd, self.deletes)
            .map_or_else(Self::unknown, |text| Resolution::Value(Value::String(text)))
    }

    /// What `pick` resolves to in a field of `kind`; `position` picks among the anchor's
    /// files.
    pub(super) fn resolve(&self, pick: Pick, kind: Kind, position: usize) -> Resolution {
        match pick {
            Pick::Missing => Resolution::Missing,
            Pick::Unknown => Self::unknown(),
            Pick::Odd(odd) => self.odd(odd),
            Pick::WrongType(wrong) => Resolution::Value(wrong_value(wrong, self.deletes)),
            Pick::Anchor => match kind {
                Kind::Classification => self
                    .anchor_classification()
                    .map_or_else(Self::unknown, Resolution::Classification),
                Kind::Batch => self
                    .anchor_batch()
                    .map_or_else(Self::unknown, Resolution::Batch),
                Kind::File => {
                    let Some(at) = self.anchor_batch() else {
                        return Self::unknown();
                    };
                    let files = Self::anchor_files(&self.action.anchor, self.account, at);
                    if files.is_empty() {
                        return Self::unknown();
                    }
                    Resolution::File(at.0, at.1, files[position % files.len()])
                }
            },
            Pick::Real(n) => match kind {
                Kind::Classification => {
                    let all = self.classifications();
                    if all.is_empty() {
                        Self::unknown()
                    } else {
                        Resolution::Classification(all[n % all.len()])
                    }
                }
                Kind::Batch => {
                    let all = self.account.batches();
                    if all.is_empty() {
                        Self::unknown()
                    } else {
                        Resolution::Batch(all[n % all.len()])
                    }
                }
                Kind::File => {
                    let all = self.account.files();
                    if all.is_empty() {
                        Self::unknown()
                    } else {
                        let (c, b, f) = all[n % all.len()];
                        Resolution::File(c, b, f)
                    }
                }
            },
        }
    }
}
