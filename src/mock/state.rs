//! What the handlers share: the keys the mock accepts, its behaviour, the faults in force and
//! the data.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use super::faults::{Behaviour, Faults};
use super::journal::Journal;
use super::store::Store;

/// The state behind a running mock.
#[derive(Debug)]
pub struct MockState {
    keys: HashSet<String>,
    behaviour: Behaviour,
    faults: Faults,
    journal: Journal,
    store: Mutex<Store>,
}

impl MockState {
    /// A mock that accepts `keys` and holds `store`.
    pub fn new(keys: impl IntoIterator<Item = String>, store: Store) -> Self {
        MockState::with_behaviour(keys, store, Behaviour::default())
    }

    /// A mock that accepts `keys`, holds `store` and behaves as `behaviour` says.
    pub fn with_behaviour(
        keys: impl IntoIterator<Item = String>,
        store: Store,
        behaviour: Behaviour,
    ) -> Self {
        MockState {
            keys: keys.into_iter().collect(),
            behaviour,
            faults: Faults::default(),
            journal: Journal::default(),
            store: Mutex::new(store),
        }
    }

    /// Whether the mock accepts `key`.
    pub fn accepts(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    /// How the mock misbehaves on purpose.
    pub fn behaviour(&self) -> &Behaviour {
        &self.behaviour
    }

    /// The faults in force.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// What the mock received.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Runs `f` with the data locked; a panic elsewhere never locks the mock up.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> T) -> T {
        f(&mut self.store.lock().unwrap_or_else(PoisonError::into_inner))
    }
}
