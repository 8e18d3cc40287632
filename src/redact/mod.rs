//! The one redactor and escaper: secrets never leave the process in clear text, and text from
//! the target never acts on the terminal or CI log it is shown in.
//!
//! The checks, the ids and the next request use answers as they came; the key is replaced only
//! where text leaves the process (the terminal, the JSON and JUnit reports, the snapshots).
//! A server may echo a key in another form than it was sent, so each key is also looked for
//! JSON-escaped (as serde and PHP's `json_encode` write it, or every character as `\uXXXX`),
//! URL-encoded and in base64 (standard or URL-safe, at any alignment inside a longer blob);
//! text that still holds escapes is decoded once and searched again. Each of these forms is also
//! looked for as the renderers escape it (HTML and XML entities, a Markdown cell's `\|`): the
//! reports redact their data before they render it, and this is the second line of defence.
//!
//! [`escaped`] shows what a terminal, a CI log or a parser would act on (control characters,
//! ANSI sequences, newlines, the invisible characters that reorder or hide text, the
//! non-characters XML forbids, the `##` of a CI command) as visible escapes. [`guarded`] is the
//! last pass over everything that leaves the process, in the escapes of the format it is
//! written in: whatever a renderer missed, no line of it is a CI command and no character in it
//! acts.
//!
//! `escape` holds the escaper, `key` the [`ApiKey`], `forms` the forms a key may take,
//! `redactor` the [`Redactor`] that finds them. A leaf: nothing here reads the rest of the
//! crate (a test reads every file of this folder).

mod escape;
mod forms;
mod key;
mod redactor;
#[cfg(test)]
mod tests;

pub use escape::{Channel, acts, escaped, guarded};
pub use key::{ApiKey, REDACTED};
pub use redactor::Redactor;
