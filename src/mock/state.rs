//! What the handlers share: the keys the mock accepts and who holds them, its behaviour and
//! limits, the faults in force, what it received, and the data.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use super::bounds::Validators;
use super::expect::{self, Expectation, VerifyError};
use super::faults::{Behaviour, Faults};
use super::journal::Journal;
use super::limits::Limits;
use super::store::Store;
use crate::contract::endpoint::Endpoint;
use crate::contract::schema::SchemaError;

/// The state behind a running mock.
#[derive(Debug)]
pub struct MockState {
    /// Each accepted key and the name of its holder.
    keys: HashMap<String, Arc<str>>,
    behaviour: Behaviour,
    limits: Limits,
    validators: Validators,
    faults: Faults,
    journal: Journal,
    received: [AtomicU64; Endpoint::ALL.len()],
    expectations: Mutex<Vec<Expectation>>,
    started: Instant,
    store: Store,
}

impl MockState {
    /// A mock that accepts `keys` (held by `key-1`, `key-2`, ... in the journal) and holds
    /// `store`, with the default behaviour and limits.
    pub fn new(keys: impl IntoIterator<Item = String>, store: Store) -> Self {
        let tenants = keys
            .into_iter()
            .enumerate()
            .map(|(n, key)| (format!("key-{}", n + 1), key));
        MockState::with_tenants(tenants, store)
    }

    /// A mock that accepts each `(holder, key)` and holds `store`.
    pub fn with_tenants(tenants: impl IntoIterator<Item = (String, String)>, store: Store) -> Self {
        let limits = Limits::default();
        MockState {
            keys: tenants
                .into_iter()
                .map(|(holder, key)| (key, Arc::from(holder)))
                .collect(),
            behaviour: Behaviour::default(),
            journal: Journal::new(limits.journal_entries),
            validators: Validators::contract(),
            limits,
            faults: Faults::default(),
            received: Default::default(),
            expectations: Mutex::default(),
            started: Instant::now(),
            store,
        }
    }

    /// The same mock, behaving as `behaviour` says.
    #[must_use]
    pub fn with_behaviour(mut self, behaviour: Behaviour) -> Self {
        self.behaviour = behaviour;
        self
    }

    /// The same mock within `limits` (its store keeps the quotas it was built with).
    ///
    /// # Errors
    /// When the schemas with the configured bounds do not compile.
    pub fn with_limits(mut self, limits: Limits) -> Result<Self, SchemaError> {
        self.validators = Validators::new(&limits)?;
        self.journal = Journal::new(limits.journal_entries);
        self.limits = limits;
        Ok(self)
    }

    /// The holder of `key`, if the mock accepts it.
    pub fn holder(&self, key: &str) -> Option<&Arc<str>> {
        self.keys.get(key)
    }

    /// Whether the mock accepts `key`.
    pub fn accepts(&self, key: &str) -> bool {
        self.keys.contains_key(key)
    }

    /// How the mock misbehaves on purpose.
    pub fn behaviour(&self) -> &Behaviour {
        &self.behaviour
    }

    /// The limits it keeps to.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// What request bodies are checked with.
    pub fn validators(&self) -> &Validators {
        &self.validators
    }

    /// The faults in force.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// What the mock received.
    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Whether requests are written in the journal.
    pub fn recording(&self) -> bool {
        self.behaviour.record
    }

    /// When the mock started.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// The data.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Runs `f` with the data (kept for tests written before the store locked per key).
    pub fn with_store<T>(&self, f: impl FnOnce(&Store) -> T) -> T {
        f(&self.store)
    }

    /// Counts one request received at `endpoint`.
    pub fn count(&self, endpoint: Endpoint) {
        if let Some(counter) = Endpoint::ALL
            .iter()
            .position(|e| *e == endpoint)
            .and_then(|at| self.received.get(at))
        {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// How many requests `endpoint` received.
    pub fn received(&self, endpoint: Endpoint) -> u64 {
        Endpoint::ALL
            .iter()
            .position(|e| *e == endpoint)
            .and_then(|at| self.received.get(at))
            .map_or(0, |c| c.load(Ordering::Relaxed))
    }

    /// Adds an expectation.
    pub fn expect(&self, expectation: Expectation) {
        self.expectations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(expectation);
    }

    /// Checks every expectation against the requests received so far.
    ///
    /// # Errors
    /// [`VerifyError::Unmet`] listing each expectation not met.
    pub fn verify(&self) -> Result<(), VerifyError> {
        let expectations = self
            .expectations
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        expect::check(&expectations, |e| self.received(e))
    }
}
