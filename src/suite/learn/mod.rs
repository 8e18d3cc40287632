//! Learning a vendor profile: each case's recorded observation of the vendor beside the
//! built-in mock's own observation of the same case, and the situation the mock saw in it
//! (which refusal, or none). Where they differ, the difference becomes a choice of the
//! profile, or a case it could not learn from, with why.
//!
//! `lesson` is what one case teaches, `profile` what the lessons teach together; a refusal is
//! learned by `refusal`, a success by `success`; `specimen` says what of an answer the mock
//! can copy, `template` makes a message's ids the fields that named them.

mod lesson;
mod profile;
mod refusal;
mod specimen;
mod success;
mod template;
#[cfg(test)]
mod tests;

pub use lesson::Lesson;
pub use profile::learn;
