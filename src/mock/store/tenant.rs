//! One key's data: its classifications and what they cost its quotas, with the look-ups and
//! the quota check every operation makes under the key's lock.

use std::collections::HashMap;

use super::quota::{QuotaKind, Quotas, Usage};
use super::record::{Batch, Classification};
use super::refusal::Refusal;

/// What one API key holds.
#[derive(Debug, Default)]
pub struct Tenant {
    /// Its classifications, by id.
    pub classifications: HashMap<String, Classification>,
    /// What they cost its quotas.
    pub usage: Usage,
}

impl Tenant {
    /// The classification `id`.
    ///
    /// # Errors
    /// [`Refusal::UnknownClassification`] when the key has none of that id.
    pub fn classification(&self, id: &str) -> Result<&Classification, Refusal> {
        self.classifications
            .get(id)
            .ok_or_else(|| Refusal::UnknownClassification {
                classification_id: id.to_owned(),
            })
    }

    /// The batch `batch` of the classification `cls`, to change.
    ///
    /// # Errors
    /// When the classification or the batch does not exist.
    pub fn batch_mut(&mut self, cls: &str, batch: &str) -> Result<&mut Batch, Refusal> {
        self.classifications
            .get_mut(cls)
            .ok_or_else(|| Refusal::UnknownClassification {
                classification_id: cls.to_owned(),
            })?
            .batches
            .get_mut(batch)
            .ok_or_else(|| Refusal::UnknownBatch {
                classification_id: cls.to_owned(),
                batch_id: batch.to_owned(),
            })
    }

    /// Whether the key may hold this many more classifications, files and bytes.
    ///
    /// # Errors
    /// [`Refusal::Quota`] naming the first quota it would exceed.
    pub fn check(
        &self,
        quotas: &Quotas,
        classifications: usize,
        files: usize,
        bytes: usize,
    ) -> Result<(), Refusal> {
        let over = |kind, limit| Err(Refusal::Quota { kind, limit });
        if self.usage.classifications + classifications > quotas.classifications {
            return over(QuotaKind::Classifications, quotas.classifications);
        }
        if self.usage.files + files > quotas.files {
            return over(QuotaKind::Files, quotas.files);
        }
        if self.usage.bytes + bytes > quotas.bytes {
            return over(QuotaKind::StoredBytes, quotas.bytes);
        }
        Ok(())
    }

    /// Shrinks a map that deletes left mostly empty, so that its memory goes too.
    pub fn tidy(&mut self) {
        let map = &mut self.classifications;
        if map.capacity() > 4 * map.len() + 16 {
            map.shrink_to_fit();
        }
    }
}
