//! The machine report, `format_version` 3 (every key in snake_case), published as the JSON
//! Schema `schemas/report.json`.
//!
//! Each case carries its request (the key named by its role, never its value), the answer
//! and the `curl` command that sends the request again; each failure its `kind`, the sentence
//! the text report shows, and its data as typed fields (`expected`, `actual`, a JSON
//! `pointer`, a drift's `change` class with its `path`, `before` and `after`, ...).
//!
//! No report holds more of the target's text than a person can read: an answer's body is cut
//! after 4096 characters, any other text after [`KEPT_TEXT`](crate::report::KEPT_TEXT)
//! characters, and a value (a drift's `before` and `after`, a field's `actual`) keeps about
//! [`KEPT_VALUE`](crate::report::KEPT_VALUE) bytes; a cut text ends `… (N more bytes)`, a cut
//! list with an item `… (N more items)`, a cut map with a field `…`.
//!
//! Within a version, fields may be added; a field removed or renamed, or a type changed,
//! bumps [`FORMAT_VERSION`].

mod case;
mod failure;
mod report;
#[cfg(test)]
mod tests;

pub use report::{FORMAT_VERSION, to_json};
