//! The contract: the catalogue of endpoints, the JSON Schemas, the rule no schema can hold,
//! the case files, what is generated or checked from them (OpenAPI, the docs' examples), the
//! vendor profile a baseline teaches the mock, and the situations it keys refusals by.

pub(crate) mod case;
pub mod docs_check;
pub(crate) mod endpoint;
pub mod input;
pub mod openapi;
pub mod profile;
pub(crate) mod schema;
pub(crate) mod situation;
pub(crate) mod status;

pub use case::{
    Auth, Case, CaseError, CaseProblem, CaseProblemKind, CaseSource, StatusPattern, load_dir,
};
pub use endpoint::{API_ROOT, Endpoint, MediaType};
pub use schema::{SchemaError, SchemaSet, Violation};
pub use situation::{RefusalKey, Situation, SituationError};
