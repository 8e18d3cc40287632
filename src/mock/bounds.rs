//! The request-shape bounds that `schemas/` declare as this mock's (`maxItems`, `maxLength`),
//! and the validators the mock checks bodies with: the contract's own schemas when the
//! [`Limits`] keep the declared bounds, else copies of the same schema files with the
//! configured bounds written in.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::limits::Limits;
use crate::contract::schema::{SchemaError, SchemaSet};

/// A schema's name, a JSON pointer into it, and the limit that sets the value there.
type Bound = (&'static str, &'static str, fn(&Limits) -> usize);

/// Where each configurable bound sits.
const BOUNDS: &[Bound] = &[
    (
        "delete-files.request",
        "/properties/fileIds/maxItems",
        |l| l.max_file_ids,
    ),
    (
        "create-classification.request",
        "/properties/classificationDetails/properties/documentTypes/maxItems",
        |l| l.max_document_types,
    ),
    (
        "create-classification.request",
        "/$defs/documentType/properties/uniqueWords/maxItems",
        |l| l.max_unique_words,
    ),
    (
        "create-classification.request",
        "/$defs/documentType/properties/uniqueWords/items/maxLength",
        |l| l.max_word_length,
    ),
    ("upload-files.request", "/properties/files/maxItems", |l| {
        l.max_files_per_upload
    }),
];

/// The longest message text a violation keeps, as the contract's own schema set does.
const MAX_MESSAGE_CHARS: usize = 240;

/// What the mock validates request bodies with.
#[derive(Debug)]
pub enum Validators {
    /// The contract's schemas, as they are.
    Contract(&'static SchemaSet),
    /// The contract's schemas, but these ones compiled with other bounds.
    Configured {
        /// The contract's schemas, for the others.
        contract: &'static SchemaSet,
        /// The schemas with other bounds, by name.
        patched: BTreeMap<&'static str, PatchedSchema>,
        /// The bound on deleteFiles' `fileIds` they hold.
        max_file_ids: usize,
    },
}

/// One schema compiled with other bounds.
pub struct PatchedSchema(jsonschema::Validator);

impl std::fmt::Debug for PatchedSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PatchedSchema")
    }
}

impl Validators {
    /// The contract's schemas as they are.
    pub fn contract() -> Validators {
        Validators::Contract(SchemaSet::global())
    }

    /// The validators for `limits`.
    ///
    /// # Errors
    /// When a schema does not compile.
    pub fn new(limits: &Limits) -> Result<Validators, SchemaError> {
        let contract = SchemaSet::global();
        if limits.has_schema_bounds() {
            return Ok(Validators::Contract(contract));
        }
        let mut documents: BTreeMap<&'static str, Value> = BTreeMap::new();
        for (name, pointer, limit) in BOUNDS {
            let document = match documents.entry(name) {
                std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(SchemaSet::source(name).ok_or_else(|| SchemaError::Unknown {
                        name: (*name).to_owned(),
                        known: contract.names().collect::<Vec<_>>().join(", "),
                    })?)
                }
            };
            if let Some(slot) = document.pointer_mut(pointer) {
                *slot = Value::from(limit(limits));
            }
        }
        let mut patched = BTreeMap::new();
        for (name, document) in documents {
            let validator =
                jsonschema::draft202012::new(&document).map_err(|e| SchemaError::Invalid {
                    name,
                    reason: e.to_string(),
                })?;
            patched.insert(name, PatchedSchema(validator));
        }
        Ok(Validators::Configured {
            contract,
            patched,
            max_file_ids: limits.max_file_ids,
        })
    }

    /// Checks `document` against the schema `name` and appends every violation to `out`, as
    /// [`SchemaSet::describe_violations`] does. Returns whether there was any.
    ///
    /// # Errors
    /// When no schema has that name.
    pub fn describe_violations(
        &self,
        name: &str,
        document: &Value,
        out: &mut String,
    ) -> Result<bool, SchemaError> {
        let (contract, patched) = match self {
            Validators::Contract(contract) => (contract, None),
            Validators::Configured {
                contract, patched, ..
            } => (contract, patched.get(name)),
        };
        let Some(PatchedSchema(validator)) = patched else {
            return contract.describe_violations(name, document, out);
        };
        if validator.is_valid(document) {
            return Ok(false);
        }
        for (index, error) in validator.iter_errors(document).enumerate() {
            if index > 0 {
                out.push_str("; ");
            }
            let pointer = error.instance_path().as_str();
            out.push_str(if pointer.is_empty() { "/" } else { pointer });
            out.push_str(": ");
            let start = out.len();
            // Writing to a String cannot fail.
            let _ = write!(out, "{error}");
            if let Some((end, _)) = out[start..].char_indices().nth(MAX_MESSAGE_CHARS) {
                out.truncate(start + end);
                out.push('…');
            }
        }
        Ok(true)
    }
}

impl Validators {
    /// The bound on deleteFiles' `fileIds` the schemas hold, for the typed pass
    /// ([`FlatBody`](super::body::FlatBody)).
    pub fn max_file_ids(&self) -> usize {
        match self {
            // The contract's schemas declare the default limits (a test below holds them to it).
            Validators::Contract(_) => super::limits::DEFAULT_MAX_FILE_IDS,
            Validators::Configured { max_file_ids, .. } => *max_file_ids,
        }
    }

    /// The shape of `document`'s violations of the schema `name`, as
    /// [`SchemaSet::signature`] gives it, with the configured bounds.
    ///
    /// # Errors
    /// When no schema has that name.
    pub fn signature(&self, name: &str, document: &Value) -> Result<String, SchemaError> {
        match self {
            Validators::Contract(contract) => contract.signature(name, document),
            Validators::Configured {
                contract, patched, ..
            } => match patched.get(name) {
                Some(PatchedSchema(validator)) => {
                    Ok(crate::contract::schema::signature_of(validator, document))
                }
                None => contract.signature(name, document),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_schemas_declare_the_default_limits() {
        let defaults = Limits::default();
        for (name, pointer, limit) in BOUNDS {
            let declared =
                SchemaSet::source(name).and_then(|s| s.pointer(pointer).and_then(Value::as_u64));
            assert_eq!(
                declared,
                u64::try_from(limit(&defaults)).ok(),
                "{name}{pointer} differs from Limits::default()"
            );
        }
    }

    fn described(validators: &Validators, name: &str, document: &Value) -> String {
        let mut out = String::new();
        let _ = validators.describe_violations(name, document, &mut out);
        out
    }

    #[test]
    fn configured_bounds_replace_the_declared_ones_and_nothing_else() {
        let contract = Validators::new(&Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        let wider = Validators::new(&Limits::default().max_file_ids(20_000))
            .unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<String> = (0..15_000).map(|n| format!("f{n}")).collect();
        let many = json!({"classificationId": "c", "batchId": "b", "fileIds": ids});
        assert!(!described(&contract, "delete-files.request", &many).is_empty());
        assert_eq!(described(&wider, "delete-files.request", &many), "");
        let broken = json!({"classificationId": 5, "fileIds": "x"});
        assert_eq!(
            described(&wider, "delete-files.request", &broken),
            described(&contract, "delete-files.request", &broken)
        );
    }
}
