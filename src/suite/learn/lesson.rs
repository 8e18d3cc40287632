//! What one case teaches: its recorded observation of the vendor beside the built-in mock's
//! own, and the situation the mock saw in it.

use crate::contract::case::Case;
use crate::contract::situation::Situation;
use crate::result::Snapshot;

/// What one case teaches.
#[derive(Debug, Clone, Copy)]
pub struct Lesson<'a> {
    /// The case.
    pub case: &'a Case,
    /// The vendor's observation, from the baseline.
    pub vendor: &'a Snapshot,
    /// The plain mock's observation.
    pub mock: &'a Snapshot,
    /// The situation the mock saw in the case's request: the refusal's, or `None` when it
    /// accepted it.
    pub situation: Option<&'a Situation>,
}
