//! What a case saw: the answer to its request and the state of its batches afterwards.

use crate::target::Response;

/// Everything the checks look at for one case.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Observation {
    /// Statuses of the requests sent before the last one (a case with `repeat` > 1).
    pub earlier: Vec<u16>,
    /// The answer to the last request.
    pub response: Response,
    /// For each fixture batch, the file ids getResults lists afterwards, or why it could not be read.
    pub batches: Vec<Result<Vec<String>, String>>,
}

impl Observation {
    /// Whether the last answer was a 2xx.
    pub fn succeeded(&self) -> bool {
        (200..300).contains(&self.response.status)
    }
}
