//! When a failed request is sent again, and after how long; never longer than the run's
//! `--max-retry-wait`.

use std::time::{Duration, SystemTime};

use super::request::Retry;

/// How often a request answered 429 is sent again before the 429 is the answer.
pub const RATE_LIMIT_RETRIES: u32 = 5;
/// The longest wait before sending a request again, by default (`--max-retry-wait`).
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);
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

/// What follows an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Send again after this wait.
    Retry(Duration),
    /// The attempt's outcome is the request's.
    Done,
    /// The target asks to wait longer than the run waits: give up now.
    TooLong {
        /// What the target asked for.
        asked: Duration,
    },
}

/// A `Retry-After` value: seconds, or an HTTP-date (how long from `now` until then; zero for a
/// date past). `None` when it is neither.
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The retries one request has had so far, and the decision for the next attempt.
#[derive(Debug, Clone)]
pub struct RetryState {
    rate_limited: u32,
    failed: u32,
    max_wait: Duration,
}

impl Default for RetryState {
    fn default() -> Self {
        RetryState::new(MAX_RETRY_WAIT)
    }
}

impl RetryState {
    /// No retry yet; no wait longer than `max_wait`.
    pub fn new(max_wait: Duration) -> Self {
        RetryState {
            rate_limited: 0,
            failed: 0,
            max_wait,
        }
    }

    /// What follows `attempt`: a wait and another attempt, the end, or giving up because the
    /// target asks for a longer wait than `max_wait`. A backoff of our own is cut to
    /// `max_wait`; a `Retry-After` is the target's and is honoured whole, or not at all.
    pub fn next(&mut self, policy: Retry, attempt: Attempt) -> Next {
        let wait = match attempt {
            Attempt::Answered {
                status: 429,
                retry_after: Some(asked),
            } if self.rate_limited < RATE_LIMIT_RETRIES => {
                if asked > self.max_wait {
                    return Next::TooLong { asked };
                }
                self.rate_limited += 1;
                asked
            }
            Attempt::Answered {
                status: 429,
                retry_after: None,
            } if self.rate_limited < RATE_LIMIT_RETRIES => {
                self.rate_limited += 1;
                BACKOFF * 2u32.pow(self.rate_limited)
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
            _ => return Next::Done,
        };
        Next::Retry(wait.min(self.max_wait))
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
            Next::Retry(Duration::from_secs(3))
        );
    }

    #[test]
    fn a_request_under_test_is_never_retried_after_a_5xx_or_a_drop() {
        let mut state = RetryState::default();
        assert_eq!(state.next(Retry::RateLimitOnly, answered(503)), Next::Done);
        assert_eq!(
            state.next(Retry::RateLimitOnly, Attempt::Dropped),
            Next::Done
        );
    }

    #[test]
    fn an_idempotent_request_is_retried_with_doubling_backoff_then_given_up() {
        let mut state = RetryState::default();
        let waits: Vec<Next> = (0..4)
            .map(|_| state.next(Retry::Idempotent, answered(502)))
            .collect();
        assert_eq!(
            waits,
            [
                Next::Retry(BACKOFF),
                Next::Retry(BACKOFF * 2),
                Next::Retry(BACKOFF * 4),
                Next::Done
            ]
        );
        assert_eq!(
            RetryState::default().next(Retry::Idempotent, Attempt::Failed),
            Next::Done
        );
    }

    #[test]
    fn a_429_without_retry_after_waits_a_doubling_backoff() {
        let mut state = RetryState::default();
        let waits: Vec<Next> = (0..3)
            .map(|_| state.next(Retry::RateLimitOnly, answered(429)))
            .collect();
        assert_eq!(
            waits,
            [
                Next::Retry(BACKOFF * 2),
                Next::Retry(BACKOFF * 4),
                Next::Retry(BACKOFF * 8)
            ]
        );
    }

    #[test]
    fn a_dropped_connection_is_retried_like_a_5xx_and_shares_its_limit() {
        let mut state = RetryState::default();
        assert_eq!(
            state.next(Retry::Idempotent, Attempt::Dropped),
            Next::Retry(BACKOFF)
        );
        assert_eq!(
            state.next(Retry::Idempotent, answered(500)),
            Next::Retry(BACKOFF * 2)
        );
        assert_eq!(
            state.next(Retry::Idempotent, Attempt::Dropped),
            Next::Retry(BACKOFF * 4)
        );
        assert_eq!(state.next(Retry::Idempotent, Attempt::Dropped), Next::Done);
    }

    #[test]
    fn a_4xx_other_than_429_is_the_answer() {
        let mut state = RetryState::default();
        for status in [400, 401, 404, 499] {
            assert_eq!(state.next(Retry::Idempotent, answered(status)), Next::Done);
        }
    }

    #[test]
    fn the_429s_stop_after_the_limit() {
        let mut state = RetryState::default();
        let asked = Attempt::Answered {
            status: 429,
            retry_after: Some(Duration::from_secs(2)),
        };
        for _ in 0..RATE_LIMIT_RETRIES {
            assert_eq!(
                state.next(Retry::RateLimitOnly, asked),
                Next::Retry(Duration::from_secs(2))
            );
        }
        assert_eq!(state.next(Retry::RateLimitOnly, asked), Next::Done);
    }

    #[test]
    fn a_retry_after_longer_than_the_cap_is_not_waited() {
        let mut state = RetryState::new(Duration::from_secs(60));
        let long = Attempt::Answered {
            status: 429,
            retry_after: Some(Duration::from_secs(3600)),
        };
        assert_eq!(
            state.next(Retry::Idempotent, long),
            Next::TooLong {
                asked: Duration::from_secs(3600)
            }
        );
        // Exactly the cap is still waited.
        let at_cap = Attempt::Answered {
            status: 429,
            retry_after: Some(Duration::from_secs(60)),
        };
        assert_eq!(
            state.next(Retry::Idempotent, at_cap),
            Next::Retry(Duration::from_secs(60))
        );
    }

    #[test]
    fn our_own_backoff_is_cut_to_the_cap() {
        let mut state = RetryState::new(Duration::from_millis(1500));
        let waits: Vec<Next> = (0..3)
            .map(|_| state.next(Retry::RateLimitOnly, answered(429)))
            .collect();
        assert_eq!(
            waits,
            [
                Next::Retry(BACKOFF * 2),
                Next::Retry(Duration::from_millis(1500)),
                Next::Retry(Duration::from_millis(1500))
            ]
        );
    }

    #[test]
    fn a_retry_after_is_read_as_seconds_or_as_an_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777 s after the epoch.
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:50:37 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_after("Sun, 06 Nov 1994 08:48:37 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }
}
