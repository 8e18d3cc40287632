//! Expectations, wiremock style: how many requests an endpoint should receive, checked by
//! [`MockServer::verify`](crate::MockServer::verify) and when the mock is dropped.

use std::fmt;
use std::ops::{Range, RangeFrom, RangeInclusive, RangeToInclusive};

use crate::contract::endpoint::Endpoint;

/// How many times: exactly `n` (`1`), or a range (`1..=3`, `2..`, `..=5`, `1..4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times {
    min: u64,
    max: Option<u64>,
}

impl Times {
    /// Whether `n` is within.
    pub fn contains(self, n: u64) -> bool {
        n >= self.min && self.max.is_none_or(|max| n <= max)
    }
}

impl From<u64> for Times {
    fn from(n: u64) -> Self {
        Times {
            min: n,
            max: Some(n),
        }
    }
}

impl From<RangeInclusive<u64>> for Times {
    fn from(range: RangeInclusive<u64>) -> Self {
        Times {
            min: *range.start(),
            max: Some(*range.end()),
        }
    }
}

impl From<Range<u64>> for Times {
    fn from(range: Range<u64>) -> Self {
        Times {
            min: range.start,
            max: Some(range.end.saturating_sub(1)),
        }
    }
}

impl From<RangeFrom<u64>> for Times {
    fn from(range: RangeFrom<u64>) -> Self {
        Times {
            min: range.start,
            max: None,
        }
    }
}

impl From<RangeToInclusive<u64>> for Times {
    fn from(range: RangeToInclusive<u64>) -> Self {
        Times {
            min: 0,
            max: Some(range.end),
        }
    }
}

impl fmt::Display for Times {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) if max == self.min => write!(f, "exactly {max}"),
            Some(max) if self.min == 0 => write!(f, "at most {max}"),
            Some(max) => write!(f, "from {} to {max}", self.min),
            None => write!(f, "at least {}", self.min),
        }
    }
}

/// An endpoint should receive a number of requests (any answer counts, refusals too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Expectation {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// How many requests.
    pub times: Times,
}

/// An expectation the mock's traffic did not meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnmetExpectation {
    /// What was expected.
    pub expectation: Expectation,
    /// How many requests the endpoint received.
    pub received: u64,
}

impl fmt::Display for UnmetExpectation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} expected {} request(s), received {}",
            self.expectation.endpoint, self.expectation.times, self.received
        )
    }
}

/// Why [`MockServer::verify`](crate::MockServer::verify) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// Some expectations were not met.
    #[error("meet the mock's expectations: {}", list(.unmet))]
    Unmet {
        /// Each expectation not met, in the order they were set.
        unmet: Vec<UnmetExpectation>,
    },
}

fn list(unmet: &[UnmetExpectation]) -> String {
    unmet
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The expectations not met by `received` (the count of an endpoint's requests).
pub fn check(
    expectations: &[Expectation],
    received: impl Fn(Endpoint) -> u64,
) -> Result<(), VerifyError> {
    let unmet: Vec<UnmetExpectation> = expectations
        .iter()
        .filter_map(|e| {
            let count = received(e.endpoint);
            (!e.times.contains(count)).then_some(UnmetExpectation {
                expectation: *e,
                received: count,
            })
        })
        .collect();
    if unmet.is_empty() {
        Ok(())
    } else {
        Err(VerifyError::Unmet { unmet })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_ranges() {
        assert!(Times::from(1).contains(1) && !Times::from(1).contains(2));
        assert!(Times::from(2..).contains(9) && !Times::from(2..).contains(1));
        assert!(Times::from(..=2).contains(0) && !Times::from(..=2).contains(3));
        assert!(Times::from(1..3).contains(2) && !Times::from(1..3).contains(3));
        assert_eq!(Times::from(1..=3).to_string(), "from 1 to 3");
    }

    #[test]
    fn an_unmet_expectation_names_the_endpoint_and_the_counts() {
        let expectations = [
            Expectation {
                endpoint: Endpoint::DeleteFiles,
                times: Times::from(1),
            },
            Expectation {
                endpoint: Endpoint::GetResults,
                times: Times::from(..=5),
            },
        ];
        let verdict = check(&expectations, |_| 0);
        assert_eq!(
            verdict.map_err(|e| e.to_string()),
            Err(
                "meet the mock's expectations: deleteFiles expected exactly 1 request(s), received 0"
                    .to_owned()
            )
        );
        assert_eq!(check(&expectations, |_| 1), Ok(()));
    }
}
