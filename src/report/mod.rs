//! Reports: the model first, then one renderer per format reading it.

pub mod json;
pub mod junit;
pub mod model;
pub mod text;

pub use model::{CaseReport, Outcome, RunReport, Summary, TargetInfo};
