//! The one redactor: secrets never leave the process in clear text.
//!
//! Every byte that arrives from a target passes through [`Redactor::redact`] in `target.rs`
//! before anything else sees it, and every transport error is redacted there too, so reports,
//! snapshots and logs downstream only ever hold redacted text.

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

/// Replaces every secret it knows with [`REDACTED`].
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<ApiKey>,
}

impl Redactor {
    /// A redactor for these keys.
    pub fn new(secrets: impl IntoIterator<Item = ApiKey>) -> Self {
        Redactor {
            secrets: secrets
                .into_iter()
                .filter(|k| !k.expose().is_empty())
                .collect(),
        }
    }

    /// `text` with every secret replaced.
    pub fn redact(&self, text: &str) -> String {
        self.secrets.iter().fold(text.to_owned(), |text, key| {
            text.replace(key.expose(), REDACTED)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_replaced_wherever_it_stands() {
        let redactor = Redactor::new([ApiKey::new("sk-123")]);
        assert_eq!(
            redactor.redact("Bearer sk-123, again sk-123"),
            "Bearer [REDACTED], again [REDACTED]"
        );
    }

    #[test]
    fn a_key_never_prints_through_debug_or_display() {
        let key = ApiKey::new("sk-123");
        assert_eq!(format!("{key} {key:?}"), "[REDACTED] [REDACTED]");
    }

    #[test]
    fn an_empty_key_changes_nothing() {
        assert_eq!(Redactor::new([ApiKey::new("")]).redact("text"), "text");
    }
}
