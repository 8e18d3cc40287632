//! The case model: one JSON file in `cases/<endpoint>/` per case, checked against
//! `schemas/case.json` and against its own fixture before it is used.

mod error;
#[cfg(test)]
mod example;
mod file;
mod load;
mod model;
mod placeholder;
mod validate;

pub use error::{CaseError, CaseProblem, CaseProblemKind};
pub use load::{CaseSource, load_dir};
pub use model::{Auth, CASE_HEADER, Case, StatusPattern};
// What only the suite's engine names.
#[cfg(feature = "suite")]
pub use model::{
    BatchSpec, BodySpec, Expect, FixtureSpec, INVALID_API_KEY, KEY_QUERY_PARAMETERS, RequestSpec,
};
#[cfg(feature = "suite")]
pub use placeholder::{Placeholder, placeholders};
