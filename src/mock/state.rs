//! What the handlers share: the keys the mock accepts and who holds them, the conditions it
//! serves under and its limits, the faults in force, what it received, and the data.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use super::bounds::Validators;
use super::expect::{self, Expectation, VerifyError};
use super::faults::{Conditions, Faults};
use super::journal::Journal;
use super::limits::Limits;
use super::reply::{Rejection, json_response, ok};
use super::store::Store;
use crate::contract::endpoint::Endpoint;
use crate::contract::profile::{
    EmptyList, LearnedSuccess, PartlyUnknown, VendorProfile, render_template,
};
use crate::contract::schema::SchemaError;

/// The state behind a running mock.
#[derive(Debug)]
pub struct MockState {
    /// Each accepted key and the name of its holder.
    keys: HashMap<String, Arc<str>>,
    conditions: Conditions,
    limits: Limits,
    validators: Validators,
    faults: Faults,
    journal: Journal,
    received: [AtomicU64; Endpoint::ALL.len()],
    expectations: Mutex<Vec<Expectation>>,
    started: Instant,
    store: Store,
    /// The vendor it answers like, if any.
    profile: Option<VendorProfile>,
}

impl MockState {
    /// A mock that accepts `keys` (held by `key-1`, `key-2`, ... in the journal) and holds
    /// `store`, under the default conditions and limits.
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
            conditions: Conditions::default(),
            journal: Journal::new(limits.journal_entries),
            validators: Validators::contract(),
            limits,
            faults: Faults::default(),
            received: Default::default(),
            expectations: Mutex::default(),
            started: Instant::now(),
            store,
            profile: None,
        }
    }

    /// The same mock, answering like the vendor `profile` describes.
    #[must_use]
    pub fn with_profile(mut self, profile: Option<VendorProfile>) -> Self {
        self.profile = profile;
        self
    }

    /// The vendor profile it answers like, if any.
    pub fn profile(&self) -> Option<&VendorProfile> {
        self.profile.as_ref()
    }

    /// Whether refusals are told apart by situation: to answer like a vendor, or to write
    /// them in the journal.
    pub fn keeps_situations(&self) -> bool {
        self.profile.is_some() || self.recording()
    }

    /// The answer to `rejection` at `endpoint`: the vendor's, when its profile learned that
    /// situation (its message filled from `request`), else the mock's own.
    pub fn refusal(
        &self,
        endpoint: Option<Endpoint>,
        rejection: &Rejection,
        request: Option<&Value>,
    ) -> Response {
        if !self.keeps_situations() {
            return rejection.clone().into_response();
        }
        let situation = rejection.situation();
        let learned = self
            .profile
            .as_ref()
            .and_then(|profile| profile.refusal(endpoint, &situation));
        let mut response = match learned {
            Some(learned) => {
                let mut body = learned.extra.clone();
                body.insert(
                    "message".to_owned(),
                    Value::String(render_template(
                        &learned.message,
                        request.unwrap_or(&Value::Null),
                    )),
                );
                let status =
                    StatusCode::from_u16(learned.status).unwrap_or(StatusCode::BAD_REQUEST);
                json_response(
                    status,
                    learned.content_type.as_deref(),
                    &Value::Object(body),
                )
            }
            None => rejection.clone().into_response(),
        };
        if self.recording() {
            response.extensions_mut().insert(situation);
        }
        response
    }

    /// The 200 of `endpoint` with `body`, shaped as the vendor's when its profile learned it.
    pub fn success(&self, endpoint: Endpoint, body: &impl Serialize) -> Response {
        let learned = self
            .profile
            .as_ref()
            .and_then(|p| p.successes.get(endpoint.name()));
        let Some(learned) = learned else {
            return ok(body);
        };
        let mut value = serde_json::to_value(body).unwrap_or(Value::Null);
        shape(&mut value, learned);
        let status = learned
            .status
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::OK);
        json_response(status, learned.content_type.as_deref(), &value)
    }

    /// What deleteFiles does with an empty list and a partly unknown one.
    pub fn delete_rules(&self) -> (EmptyList, PartlyUnknown) {
        let behaviours = self.profile.as_ref().map(|p| &p.behaviours);
        (
            behaviours
                .and_then(|b| b.empty_file_ids)
                .unwrap_or_default(),
            behaviours
                .and_then(|b| b.partly_unknown_file_ids)
                .unwrap_or_default(),
        )
    }

    /// The same mock, serving under `conditions`.
    #[must_use]
    pub fn with_conditions(mut self, conditions: Conditions) -> Self {
        self.conditions = conditions;
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

    /// The conditions it serves under.
    pub fn conditions(&self) -> &Conditions {
        &self.conditions
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
        self.conditions.record
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

/// `value` with the fields a learned success sets and removes, in the body and in each item
/// of its `files`.
fn shape(value: &mut Value, learned: &LearnedSuccess) {
    let Some(body) = value.as_object_mut() else {
        return;
    };
    for field in &learned.remove {
        body.remove(field);
    }
    for (field, set) in &learned.set {
        body.insert(field.clone(), set.clone());
    }
    if let Some(Value::Array(files)) = body.get_mut("files") {
        for file in files.iter_mut().filter_map(Value::as_object_mut) {
            for field in &learned.file_remove {
                file.remove(field);
            }
            for (field, set) in &learned.file_set {
                // A template of the file's own fields (`https://files.example/{fileId}`).
                let value = match set {
                    Value::String(text) if text.contains('{') => {
                        Value::String(render_template(text, &Value::Object(file.clone())))
                    }
                    other => other.clone(),
                };
                file.insert(field.clone(), value);
            }
        }
    }
}
