//! The mock's own limits: what protects the process (its memory, its connections, its
//! threads), not rules of the vendor. Every one has a generous default and a setter.
//!
//! The bounds on the shape of a request body (`fileIds`, `documentTypes`, `uniqueWords`) are
//! also declared in `schemas/` as `maxItems`/`maxLength`, with the defaults below; a test keeps
//! the two equal.

use std::time::Duration;

/// One mebibyte.
const MIB: usize = 1024 * 1024;

/// The mock's limits. `Default` is generous; see each field for its default.
///
/// ```
/// use std::time::Duration;
/// use extracta_contract::mock::Limits;
///
/// let limits = Limits::default()
///     .max_files_per_upload(1_000)
///     .header_timeout(Duration::from_secs(2));
/// assert_eq!(limits.max_files_per_upload, 1_000);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Open connections at most (default: the process's open-file limit less 64, from 16 to
    /// 10,000; 1,000 where the limit is unknown). When full, the connection that has waited
    /// longest (at least a second) for a request is closed to make room; while none has, new
    /// connections wait to be accepted.
    pub max_connections: usize,
    /// How long a connection may take to send a request's head, counted from its opening or
    /// from the first byte of a request that follows another (default 10 s).
    pub header_timeout: Duration,
    /// How long a request's body may take to arrive (default 60 s); then 408.
    pub body_timeout: Duration,
    /// How long a kept-alive connection may wait between an answer and the next request
    /// (default 60 s).
    pub idle_timeout: Duration,
    /// How long a shutdown waits for requests in flight before it drops their connections
    /// (default 5 s).
    pub shutdown_timeout: Duration,
    /// How many bytes of a refused request's body are read and thrown away so the
    /// connection can carry the next request (default 64 KiB); a longer body closes it.
    pub refusal_drain_bytes: usize,
    /// How long that reading may take (default 1 s); then the connection is closed.
    pub refusal_drain_timeout: Duration,
    /// The largest JSON body (default 1 MiB); larger ones get 413.
    pub max_json_body: usize,
    /// The largest multipart upload (default 100 MiB); larger ones get 413.
    pub max_upload_body: usize,
    /// Files in one upload at most (default 500); more get 400.
    pub max_files_per_upload: usize,
    /// `fileIds` in one deleteFiles at most (default 10,000; `maxItems` in the schema).
    pub max_file_ids: usize,
    /// `documentTypes` in one classification at most (default 100; `maxItems`).
    pub max_document_types: usize,
    /// `uniqueWords` of one document type at most (default 1,000; `maxItems`).
    pub max_unique_words: usize,
    /// Characters in one unique word at most (default 200; `maxLength`).
    pub max_word_length: usize,
    /// Classifications one key may hold (default 1,000); then 403.
    pub max_classifications: usize,
    /// Files one key may hold (default 100,000); then 403.
    pub max_files: usize,
    /// Bytes one key may store: classification details, ids and file names, plus a fixed
    /// amount per item (default 64 MiB); then 403. File contents are never kept.
    pub max_stored_bytes: usize,
    /// Requests the journal keeps (default 1,000); older ones are dropped first.
    pub journal_entries: usize,
    /// Faults `POST /__admin/faults` may hold in force at once (default 100); then 400.
    pub max_faults: usize,
    /// The largest `body` of a fault added through `POST /__admin/faults`, as JSON text
    /// (default 64 KiB); larger ones get 413.
    pub max_fault_body: usize,
}

/// The schema-declared defaults, read by the schemas' freshness test.
pub const DEFAULT_MAX_FILE_IDS: usize = 10_000;
/// See [`Limits::max_document_types`].
pub const DEFAULT_MAX_DOCUMENT_TYPES: usize = 100;
/// See [`Limits::max_unique_words`].
pub const DEFAULT_MAX_UNIQUE_WORDS: usize = 1_000;
/// See [`Limits::max_word_length`].
pub const DEFAULT_MAX_WORD_LENGTH: usize = 200;
/// See [`Limits::max_files_per_upload`].
pub const DEFAULT_MAX_FILES_PER_UPLOAD: usize = 500;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: default_max_connections(),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(60),
            shutdown_timeout: Duration::from_secs(5),
            refusal_drain_bytes: 64 * 1024,
            refusal_drain_timeout: Duration::from_secs(1),
            max_json_body: MIB,
            max_upload_body: 100 * MIB,
            max_files_per_upload: DEFAULT_MAX_FILES_PER_UPLOAD,
            max_file_ids: DEFAULT_MAX_FILE_IDS,
            max_document_types: DEFAULT_MAX_DOCUMENT_TYPES,
            max_unique_words: DEFAULT_MAX_UNIQUE_WORDS,
            max_word_length: DEFAULT_MAX_WORD_LENGTH,
            max_classifications: 1_000,
            max_files: 100_000,
            max_stored_bytes: 64 * MIB,
            journal_entries: 1_000,
            max_faults: 100,
            max_fault_body: 64 * 1024,
        }
    }
}

/// The default cap on connections: below the open-file limit, so that the mock never runs
/// out of descriptors and can always make room for a new client.
fn default_max_connections() -> usize {
    static DEFAULT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *DEFAULT.get_or_init(|| {
        open_file_limit().map_or(1_000, |limit| limit.saturating_sub(64).clamp(16, 10_000))
    })
}

/// The soft limit on open files, where the system says (Linux's `/proc/self/limits`).
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// One chainable setter per field.
macro_rules! setters {
    ($($(#[$doc:meta])* $field:ident: $ty:ty;)*) => {
        impl Limits {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $field(mut self, value: $ty) -> Self {
                    self.$field = value;
                    self
                }
            )*
        }
    };
}

setters! {
    /// Sets [`Limits::max_connections`].
    max_connections: usize;
    /// Sets [`Limits::header_timeout`].
    header_timeout: Duration;
    /// Sets [`Limits::body_timeout`].
    body_timeout: Duration;
    /// Sets [`Limits::idle_timeout`].
    idle_timeout: Duration;
    /// Sets [`Limits::shutdown_timeout`].
    shutdown_timeout: Duration;
    /// Sets [`Limits::refusal_drain_bytes`].
    refusal_drain_bytes: usize;
    /// Sets [`Limits::refusal_drain_timeout`].
    refusal_drain_timeout: Duration;
    /// Sets [`Limits::max_json_body`].
    max_json_body: usize;
    /// Sets [`Limits::max_upload_body`].
    max_upload_body: usize;
    /// Sets [`Limits::max_files_per_upload`].
    max_files_per_upload: usize;
    /// Sets [`Limits::max_file_ids`].
    max_file_ids: usize;
    /// Sets [`Limits::max_document_types`].
    max_document_types: usize;
    /// Sets [`Limits::max_unique_words`].
    max_unique_words: usize;
    /// Sets [`Limits::max_word_length`].
    max_word_length: usize;
    /// Sets [`Limits::max_classifications`].
    max_classifications: usize;
    /// Sets [`Limits::max_files`].
    max_files: usize;
    /// Sets [`Limits::max_stored_bytes`].
    max_stored_bytes: usize;
    /// Sets [`Limits::journal_entries`].
    journal_entries: usize;
    /// Sets [`Limits::max_faults`].
    max_faults: usize;
    /// Sets [`Limits::max_fault_body`].
    max_fault_body: usize;
}

impl Limits {
    /// What is out of range, if anything: a zero where at least one is needed.
    pub(crate) fn problem(&self) -> Option<String> {
        let counts = [
            ("max_connections", self.max_connections),
            ("max_json_body", self.max_json_body),
            ("max_upload_body", self.max_upload_body),
            ("max_files_per_upload", self.max_files_per_upload),
            ("max_file_ids", self.max_file_ids),
            ("max_document_types", self.max_document_types),
            ("max_unique_words", self.max_unique_words),
            ("max_word_length", self.max_word_length),
            ("max_faults", self.max_faults),
            ("max_fault_body", self.max_fault_body),
        ];
        let durations = [
            ("header_timeout", self.header_timeout),
            ("body_timeout", self.body_timeout),
            ("idle_timeout", self.idle_timeout),
        ];
        counts
            .iter()
            .find(|(_, n)| *n == 0)
            .map(|(name, _)| format!("{name} must be at least 1"))
            .or_else(|| {
                durations
                    .iter()
                    .find(|(_, d)| d.is_zero())
                    .map(|(name, _)| format!("{name} must be longer than zero"))
            })
    }

    /// Whether the request-shape bounds are the ones the schemas declare.
    pub(crate) fn has_schema_bounds(&self) -> bool {
        self.max_file_ids == DEFAULT_MAX_FILE_IDS
            && self.max_document_types == DEFAULT_MAX_DOCUMENT_TYPES
            && self.max_unique_words == DEFAULT_MAX_UNIQUE_WORDS
            && self.max_word_length == DEFAULT_MAX_WORD_LENGTH
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_bound_is_named() {
        assert_eq!(Limits::default().problem(), None);
        assert_eq!(
            Limits::default().max_files_per_upload(0).problem(),
            Some("max_files_per_upload must be at least 1".to_owned())
        );
        assert_eq!(
            Limits::default().body_timeout(Duration::ZERO).problem(),
            Some("body_timeout must be longer than zero".to_owned())
        );
    }

    #[test]
    fn only_the_declared_bounds_use_the_schemas_as_they_are() {
        assert!(Limits::default().has_schema_bounds());
        assert!(Limits::default().max_json_body(5).has_schema_bounds());
        assert!(!Limits::default().max_file_ids(20_000).has_schema_bounds());
    }
}
