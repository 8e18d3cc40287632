//! The contract: the catalogue of endpoints, the JSON Schemas, the rule no schema can hold,
//! the case files, what is generated or checked from them (OpenAPI, the docs' examples), the
//! vendor profile a baseline teaches the mock, and the situations it keys refusals by.

pub mod case;
pub mod docs_check;
pub mod endpoint;
pub mod input;
pub mod openapi;
pub mod profile;
pub mod schema;
pub mod situation;
pub mod status;
