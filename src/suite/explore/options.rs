//! What to explore, and how much: the run's options (target, keys, timeouts, pacing, the cap
//! on deletes) and the explorer's own: the budget of requests, the seed, where findings are
//! kept as cases.

use std::path::{Path, PathBuf};

use crate::suite::options::RunOptions;

/// Requests an exploration may send, by default.
pub const DEFAULT_BUDGET: u64 = 300;
/// Candidate sequences a shrink may send, at most.
pub const MAX_SHRINK_TRIES: usize = 64;

/// What to explore, and how much.
#[derive(Debug, Clone)]
pub struct ExploreOptions {
    pub(crate) run: RunOptions,
    pub(crate) budget: u64,
    pub(crate) seed: u64,
    pub(crate) save_cases: Option<PathBuf>,
    pub(crate) max_shrink_tries: usize,
}

impl ExploreOptions {
    /// Exploration of the target of `run` (started, for the built-in mock), with its keys,
    /// timeouts, pacing and cap on deletes; the default budget and a random seed.
    pub fn new(run: RunOptions) -> Self {
        ExploreOptions {
            run,
            budget: DEFAULT_BUDGET,
            seed: fastrand::u64(..),
            save_cases: None,
            max_shrink_tries: MAX_SHRINK_TRIES,
        }
    }

    /// At most `requests` requests, everything but the cleanup counted: setup, the requests
    /// generated, the reads that prove and judge them, and shrinking.
    #[must_use]
    pub fn budget(mut self, requests: u64) -> Self {
        self.budget = requests;
        self
    }

    /// The seed of the generator: the same seed against the same target sends the same
    /// sequences.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Writes each finding as a case file under `dir`, in its endpoint's folder.
    #[must_use]
    pub fn save_cases(mut self, dir: impl Into<PathBuf>) -> Self {
        self.save_cases = Some(dir.into());
        self
    }

    /// At most `tries` candidate sequences per shrink.
    #[must_use]
    pub fn max_shrink_tries(mut self, tries: usize) -> Self {
        self.max_shrink_tries = tries;
        self
    }

    /// The run's options.
    pub fn run_options(&self) -> &RunOptions {
        &self.run
    }

    /// The budget of requests.
    pub fn requests(&self) -> u64 {
        self.budget
    }

    /// The seed.
    pub fn seed_value(&self) -> u64 {
        self.seed
    }

    /// Where findings are kept as cases, if anywhere.
    pub fn cases_dir(&self) -> Option<&Path> {
        self.save_cases.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::options::RunOptions;

    #[test]
    fn the_options_read_back_what_they_were_given() {
        let run = RunOptions::builder()
            .base_url("http://127.0.0.1:1/api/v1")
            .api_key("k")
            .timeout(std::time::Duration::from_secs(7))
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let options = ExploreOptions::new(run)
            .budget(123)
            .seed(42)
            .save_cases("found");
        assert_eq!(options.requests(), 123);
        assert_eq!(options.seed_value(), 42);
        assert_eq!(options.cases_dir(), Some(Path::new("found")));
        assert_eq!(options.run_options().timeout().as_secs(), 7);
    }
}
