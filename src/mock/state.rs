//! What the handlers share: the keys the mock accepts and who holds them, the conditions it
//! serves under and its limits, the faults in force, what it received, and the data.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use serde_json::{Map, Value};

use super::bounds::Validators;
use super::expect::{self, Expectation, VerifyError};
use super::faults::{Conditions, Faults};
use super::journal::Journal;
use super::limits::Limits;
use super::reply::{Rejection, json_response, ok};
use super::store::{KeyHash, Store};
use crate::contract::endpoint::Endpoint;
use crate::contract::profile::{
    EmptyList, LearnedSuccess, PartlyUnknown, ResultsFileId, VendorProfile, render_template,
};
use crate::contract::schema::SchemaError;

/// The state behind a running mock.
#[derive(Debug)]
pub struct MockState {
    /// Each accepted key and the name of its holder.
    keys: HashMap<String, Arc<str>, KeyHash>,
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
            return rejection.reply();
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
                    StatusCode::from_u16(learned.status.get()).unwrap_or(StatusCode::BAD_REQUEST);
                json_response(
                    status,
                    learned.content_type.as_deref(),
                    &Value::Object(body),
                )
            }
            None => rejection.reply(),
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
            .and_then(|s| StatusCode::from_u16(s.get()).ok())
            .unwrap_or(StatusCode::OK);
        json_response(status, learned.content_type.as_deref(), &value)
    }

    /// The document of a JSON body the mock's schema refused as `rejection` says, when the
    /// vendor it answers like serves such a body; else the rejection.
    ///
    /// # Errors
    /// `rejection`, unless the profile accepts its situation at `endpoint`.
    pub fn accepted_anyway(
        &self,
        endpoint: Endpoint,
        rejection: Rejection,
        bytes: &[u8],
    ) -> Result<Value, Rejection> {
        let accepted = matches!(rejection, Rejection::InvalidBody { .. })
            && self
                .profile
                .as_ref()
                .is_some_and(|p| p.accepts_body(endpoint, &rejection.situation()));
        if !accepted {
            return Err(rejection);
        }
        serde_json::from_slice(bytes).map_err(|_| rejection)
    }

    /// The `fileId` getResults lists by (`None`: every file of the batch), and whether a file
    /// the batch does not hold gives an empty list rather than a refusal.
    pub fn results_file_id<'a>(&self, file_id: Option<&'a str>) -> (Option<&'a str>, bool) {
        let rule = self
            .profile
            .as_ref()
            .and_then(|p| p.behaviours.get_results_file_id)
            .unwrap_or_default();
        match rule {
            ResultsFileId::Filter => (file_id, false),
            ResultsFileId::FilterOrEmpty => (file_id, true),
            ResultsFileId::Ignore => (None, false),
        }
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

/// The object that holds `field` in `value` and the field's name in it: `value` itself for a
/// name, the object a JSON Pointer's parent names for a pointer (`/classificationDetails/createdAt`).
fn holder<'a>(value: &'a mut Value, field: &str) -> Option<(&'a mut Map<String, Value>, String)> {
    let Some(pointer) = field.strip_prefix('/') else {
        return value.as_object_mut().map(|map| (map, field.to_owned()));
    };
    let (parent, last) = match pointer.rsplit_once('/') {
        Some((parent, last)) => (format!("/{parent}"), last),
        None => (String::new(), pointer),
    };
    let name = last.replace("~1", "/").replace("~0", "~");
    value
        .pointer_mut(&parent)
        .and_then(Value::as_object_mut)
        .map(|map| (map, name))
}

/// `target` with the fields `set` sets and `remove` removes; for an item of `files`
/// (`templates`), a string value holding a placeholder (`https://files.example/{fileId}`) is
/// filled from the item's own fields.
fn reshape(target: &mut Value, set: &Map<String, Value>, remove: &[String], templates: bool) {
    let own = if templates {
        target.clone()
    } else {
        Value::Null
    };
    for field in remove {
        if let Some((map, name)) = holder(target, field) {
            map.remove(&name);
        }
    }
    for (field, value) in set {
        let value = match value {
            Value::String(text) if templates && text.contains('{') => {
                Value::String(render_template(text, &own))
            }
            other => other.clone(),
        };
        if let Some((map, name)) = holder(target, field) {
            map.insert(name, value);
        }
    }
}

/// `value` with the fields a learned success sets and removes, in the body and in each item
/// of its `files`.
fn shape(value: &mut Value, learned: &LearnedSuccess) {
    reshape(value, &learned.set, &learned.remove, false);
    if let Some(Value::Array(files)) = value.get_mut("files") {
        for file in files.iter_mut() {
            reshape(file, &learned.file_set, &learned.file_remove, true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_learned_success_reshapes_fields_by_name_and_by_pointer() {
        let mut learned = LearnedSuccess {
            remove: vec![
                "/classificationDetails/createdAt".to_owned(),
                "/no/such/parent".to_owned(),
                "numberOfFiles".to_owned(),
            ],
            ..LearnedSuccess::default()
        };
        learned
            .set
            .insert("/classificationDetails/a~1b".to_owned(), json!(1));
        learned.set.insert("region".to_owned(), json!("{fileId}"));
        learned
            .file_set
            .insert("url".to_owned(), json!("https://files.example/{fileId}"));
        let mut body = json!({
            "classificationDetails": {"name": "n", "createdAt": 1},
            "numberOfFiles": 1,
            "files": [{"fileId": "f1"}, {"fileId": "f2"}],
        });
        shape(&mut body, &learned);
        assert_eq!(
            body,
            json!({
                "classificationDetails": {"name": "n", "a/b": 1},
                "region": "{fileId}",
                "files": [
                    {"fileId": "f1", "url": "https://files.example/f1"},
                    {"fileId": "f2", "url": "https://files.example/f2"},
                ],
            })
        );
    }
}
