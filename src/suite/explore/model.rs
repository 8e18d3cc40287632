//! The explorer's model of the vendor's state: for each account, the classifications, batches
//! and files this run made, as the answers and the read-backs showed them. Actions pick their
//! ids from it, the oracle judges against it, and it is brought in line with every read-back
//! (the target's word on what it holds wins over the model's guess).

use crate::result::BatchRead;

/// Whose data: the run's first account, or the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    /// The account of the run's key.
    First,
    /// The account of the second key.
    Second,
}

/// A batch: its id, its files, and whether the target has processed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchState {
    /// Its id.
    pub id: String,
    /// Its files' ids.
    pub files: Vec<String>,
    /// Whether getResults lists its files (no longer `waiting`).
    pub processed: bool,
}

/// A classification: its id, whether it is the account's home, its batches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassificationState {
    /// Its id.
    pub id: String,
    /// The home holds the account's main batches and is never named by deleteClassification.
    pub home: bool,
    /// Its batches.
    pub batches: Vec<BatchState>,
}

/// What one account holds of this run's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountState {
    /// Its classifications, home first.
    pub classifications: Vec<ClassificationState>,
}

/// Where a batch is: `(classification, batch)` positions.
pub type BatchAt = (usize, usize);

impl AccountState {
    /// The home classification's position.
    pub fn home(&self) -> Option<usize> {
        self.classifications.iter().position(|c| c.home)
    }

    /// Every batch that holds a file, in order. Empty batches are left out of the pools:
    /// a case's fixture cannot describe one.
    pub fn batches(&self) -> Vec<BatchAt> {
        self.classifications
            .iter()
            .enumerate()
            .flat_map(|(c, classification)| {
                classification
                    .batches
                    .iter()
                    .enumerate()
                    .filter(|(_, batch)| !batch.files.is_empty())
                    .map(move |(b, _)| (c, b))
            })
            .collect()
    }

    /// Every classification that holds a non-empty batch.
    pub fn classifications(&self) -> Vec<usize> {
        let batches = self.batches();
        (0..self.classifications.len())
            .filter(|c| batches.iter().any(|(bc, _)| bc == c))
            .collect()
    }

    /// Every file of a non-empty batch: `(classification, batch, file)` positions.
    pub fn files(&self) -> Vec<(usize, usize, usize)> {
        self.batches()
            .into_iter()
            .flat_map(|(c, b)| {
                (0..self.batch(c, b).map_or(0, |batch| batch.files.len())).map(move |f| (c, b, f))
            })
            .collect()
    }

    /// The batch at `(c, b)`.
    pub fn batch(&self, c: usize, b: usize) -> Option<&BatchState> {
        self.classifications.get(c)?.batches.get(b)
    }

    /// The position of the batch `id`.
    pub fn find_batch(&self, id: &str) -> Option<BatchAt> {
        self.classifications
            .iter()
            .enumerate()
            .find_map(|(c, classification)| {
                let b = classification.batches.iter().position(|b| b.id == id)?;
                Some((c, b))
            })
    }

    /// The position of the classification `id`.
    pub fn find_classification(&self, id: &str) -> Option<usize> {
        self.classifications.iter().position(|c| c.id == id)
    }

    /// A new classification.
    pub fn add_classification(&mut self, id: &str, home: bool) {
        if self.find_classification(id).is_none() {
            self.classifications.push(ClassificationState {
                id: id.to_owned(),
                home,
                batches: Vec::new(),
            });
        }
    }

    /// Files uploaded into batch `batch` of classification `classification` (a new batch
    /// when the model does not know it).
    pub fn add_files(&mut self, classification: &str, batch: &str, files: &[String]) {
        let Some(c) = self.find_classification(classification) else {
            return;
        };
        let batches = &mut self.classifications[c].batches;
        match batches.iter_mut().find(|b| b.id == batch) {
            Some(known) => {
                for file in files {
                    if !known.files.contains(file) {
                        known.files.push(file.clone());
                    }
                }
                known.processed = false;
            }
            None => batches.push(BatchState {
                id: batch.to_owned(),
                files: files.to_vec(),
                processed: false,
            }),
        }
    }

    /// Forgets a classification (deleted).
    pub fn remove_classification(&mut self, id: &str) {
        self.classifications.retain(|c| c.id != id);
    }

    /// What a read-back showed of batch `id`: its files now (only those the run may name),
    /// or that it is gone.
    pub fn observe(&mut self, id: &str, read: &BatchRead, owned: impl Fn(&str) -> bool) {
        let Some((c, b)) = self.find_batch(id) else {
            return;
        };
        match read {
            BatchRead::Listed(ids) => {
                let batch = &mut self.classifications[c].batches[b];
                batch.files = ids.iter().filter(|f| owned(f)).cloned().collect();
                batch.processed = true;
            }
            BatchRead::Gone { .. } => {
                self.classifications[c].batches.remove(b);
            }
            BatchRead::Unreadable(_) | BatchRead::Interrupted => {}
        }
    }
}

/// Both accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Model {
    first: AccountState,
    second: AccountState,
}

impl Model {
    /// What `owner` holds.
    pub fn account(&self, owner: Owner) -> &AccountState {
        match owner {
            Owner::First => &self.first,
            Owner::Second => &self.second,
        }
    }

    /// What `owner` holds, to change.
    pub fn account_mut(&mut self, owner: Owner) -> &mut AccountState {
        match owner {
            Owner::First => &mut self.first,
            Owner::Second => &mut self.second,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> AccountState {
        let mut account = AccountState::default();
        account.add_classification("c0", true);
        account.add_classification("c1", false);
        account.add_files("c0", "b0", &["f0".into(), "f1".into()]);
        account.add_files("c1", "b1", &["f2".into()]);
        account.add_files("c0", "b2", &[]);
        account
    }

    #[test]
    fn the_pools_hold_what_a_case_can_describe_only() {
        let account = account();
        // The empty batch b2 is in no pool.
        assert_eq!(account.batches(), [(0, 0), (1, 0)]);
        assert_eq!(account.classifications(), [0, 1]);
        assert_eq!(account.files(), [(0, 0, 0), (0, 0, 1), (1, 0, 0)]);
        assert_eq!(account.home(), Some(0));
    }

    #[test]
    fn the_home_is_the_classification_marked_so_and_an_account_may_have_none() {
        assert_eq!(AccountState::default().home(), None);
        let mut account = AccountState::default();
        account.add_classification("spare", false);
        assert_eq!(account.home(), None);
        account.add_classification("home", true);
        assert_eq!(account.home(), Some(1));
    }

    #[test]
    fn files_uploaded_into_a_known_batch_are_added_once() {
        let mut account = account();
        account.add_files("c0", "b0", &["f1".into(), "f9".into()]);
        assert_eq!(
            account.batch(0, 0).map(|b| b.files.clone()),
            Some(vec!["f0".into(), "f1".into(), "f9".into()])
        );
        // Into a classification the model does not hold: nothing.
        account.add_files("elsewhere", "b0", &["f8".into()]);
        assert_eq!(account.files().len(), 4);
    }

    #[test]
    fn a_read_back_is_the_models_truth() {
        let mut account = account();
        account.observe(
            "b0",
            &BatchRead::Listed(vec!["f1".into(), "theirs".into()]),
            |id| id != "theirs",
        );
        assert_eq!(
            account.batch(0, 0).map(|b| b.files.clone()),
            Some(vec!["f1".into()])
        );
        account.observe("b1", &BatchRead::Gone { status: 404 }, |_| true);
        assert_eq!(account.find_batch("b1"), None);
        assert_eq!(account.classifications(), [0]);
    }
}
