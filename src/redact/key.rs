//! [`ApiKey`]: a key that shows as [`REDACTED`] wherever it is formatted, and the near misses
//! derived from it.

use std::fmt;

/// What a secret is replaced with.
pub const REDACTED: &str = "[REDACTED]";

/// An API key. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    /// The key itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The key with its last character changed: to `x`, or to `y` where it ends in `x`.
    pub fn last_char_changed(&self) -> ApiKey {
        let mut chars = self.0.chars();
        let Some(last) = chars.next_back() else {
            return ApiKey(String::new());
        };
        let other = if last == 'x' { 'y' } else { 'x' };
        ApiKey(format!("{}{other}", chars.as_str()))
    }

    /// The key's first half: its first `n / 2` characters of `n`.
    pub fn first_half(&self) -> ApiKey {
        let half = self.0.chars().count() / 2;
        ApiKey(self.0.chars().take(half).collect())
    }

    /// The key with `x` appended.
    pub fn with_extra_char(&self) -> ApiKey {
        ApiKey(format!("{}x", self.0))
    }

    /// The near misses of the key that a request may carry (each must be refused), and that
    /// are secret like the key: they show all of it, or half of it.
    pub fn near_misses(&self) -> [ApiKey; 3] {
        [
            self.last_char_changed(),
            self.first_half(),
            self.with_extra_char(),
        ]
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}
