//! The renderers of a [`RunReport`](crate::result::RunReport): human text, JSON, JUnit XML.
//! They read the result model and nothing else.

pub mod json;
pub mod junit;
pub mod text;
