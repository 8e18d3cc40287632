//! When a failed request is sent again, and after how long.

use std::time::Duration;

use super::request::Retry;

/// How often a request answered 429 is sent again before the 429 is the answer.
pub const RATE_LIMIT_RETRIES: u32 = 5;
/// The longest `Retry-After` honoured; longer ones are capped.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// How often a request that is safe to repeat is sent again after a 5xx or no answer.
pub const FAILURE_RETRIES: u32 = 3;
/// The first backoff; it doubles with each retry.
pub const BACKOFF: Duration = Duration::from_millis(500);

/// How one attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// An answer with this status, and its `Retry-After` if any.
    Answered {
        /// The status.
        status: u16,
        /// The `Retry-After` header, in seconds.
        retry_after: Option<Duration>,
    },
    /// No answer, and trying again may help (a reset connection).
    Dropped,
    /// No answer, and trying again will not help (refused, DNS, TLS, a timeout in full).
    Failed,
}

/// The retries one request has had so far, and the decision for the next attempt.
#[derive(Debug, Clone, Default)]
pub struct RetryState {
    rate_limited: u32,
    failed: u32,
}

impl RetryState {
    /// How long to wait before sending again after `attempt`, or `None` when `attempt` is
    /// the outcome.
    pub fn next(&mut self, policy: Retry, attempt: Attempt) -> Option<Duration> {
        let wait = match attempt {
            Attempt::Answered {
                status: 429,
                retry_after,
            } if self.rate_limited < RATE_LIMIT_RETRIES => {
                self.rate_limited += 1;
                retry_after.unwrap_or(BACKOFF * 2u32.pow(self.rate_limited))
            }
            Attempt::Answered { status, .. }
                if status >= 500
                    && policy == Retry::Idempotent
                    && self.failed < FAILURE_RETRIES =>
            {
                self.failed += 1;
                BACKOFF * 2u32.pow(self.failed - 1)
            }
            Attempt::Dropped if policy == Retry::Idempotent && self.failed < FAILURE_RETRIES => {
                self.failed += 1;
                BACKOFF * 2u32.pow(self.failed - 1)
            }
            _ => return None,
        };
        Some(wait.min(MAX_RETRY_AFTER))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(status: u16) -> Attempt {
        Attempt::Answered {
            status,
            retry_after: None,
        }
    }

    #[test]
    fn a_429_is_retried_after_its_retry_after_for_any_request() {
        let mut state = RetryState::default();
        let attempt = Attempt::Answered {
            status: 429,
            retry_after: Some(Duration::from_secs(3)),
        };
        assert_eq!(
            state.next(Retry::RateLimitOnly, attempt),
            Some(Duration::from_secs(3))
        );
    }

    #[test]
    fn a_request_under_test_is_never_retried_after_a_5xx_or_a_drop() {
        let mut state = RetryState::default();
        assert_eq!(state.next(Retry::RateLimitOnly, answered(503)), None);
        assert_eq!(state.next(Retry::RateLimitOnly, Attempt::Dropped), None);
    }

    #[test]
    fn an_idempotent_request_is_retried_with_doubling_backoff_then_given_up() {
        let mut state = RetryState::default();
        let waits: Vec<Option<Duration>> = (0..4)
            .map(|_| state.next(Retry::Idempotent, answered(502)))
            .collect();
        assert_eq!(
            waits,
            [Some(BACKOFF), Some(BACKOFF * 2), Some(BACKOFF * 4), None]
        );
        assert_eq!(
            RetryState::default().next(Retry::Idempotent, Attempt::Failed),
            None
        );
    }

    #[test]
    fn a_429_without_retry_after_waits_a_doubling_backoff() {
        let mut state = RetryState::default();
        let waits: Vec<Option<Duration>> = (0..3)
            .map(|_| state.next(Retry::RateLimitOnly, answered(429)))
            .collect();
        assert_eq!(
            waits,
            [Some(BACKOFF * 2), Some(BACKOFF * 4), Some(BACKOFF * 8)]
        );
    }

    #[test]
    fn a_dropped_connection_is_retried_like_a_5xx_and_shares_its_limit() {
        let mut state = RetryState::default();
        assert_eq!(
            state.next(Retry::Idempotent, Attempt::Dropped),
            Some(BACKOFF)
        );
        assert_eq!(
            state.next(Retry::Idempotent, answered(500)),
            Some(BACKOFF * 2)
        );
        assert_eq!(
            state.next(Retry::Idempotent, Attempt::Dropped),
            Some(BACKOFF * 4)
        );
        assert_eq!(state.next(Retry::Idempotent, Attempt::Dropped), None);
    }

    #[test]
    fn a_4xx_other_than_429_is_the_answer() {
        let mut state = RetryState::default();
        for status in [400, 401, 404, 499] {
            assert_eq!(state.next(Retry::Idempotent, answered(status)), None);
        }
    }

    #[test]
    fn the_429s_stop_after_the_limit_and_long_waits_are_capped() {
        let mut state = RetryState::default();
        let long = Attempt::Answered {
            status: 429,
            retry_after: Some(Duration::from_secs(3600)),
        };
        for _ in 0..RATE_LIMIT_RETRIES {
            assert_eq!(
                state.next(Retry::RateLimitOnly, long),
                Some(MAX_RETRY_AFTER)
            );
        }
        assert_eq!(state.next(Retry::RateLimitOnly, long), None);
    }
}
