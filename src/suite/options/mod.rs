//! What to run, and where: [`RunOptions`], built once by [`RunOptionsBuilder`] into types whose
//! variants are the modes. The target is a live URL with its keys ([`Remote`]) or the
//! built-in mock ([`BuiltInMock`]); the baseline is none, compared, inspected or updated
//! ([`Baseline`]). Keys are [`ApiKey`](crate::redact::ApiKey)s from the moment they are read: no `Debug` of an
//! option shows one.
//!
//! `run_options` holds the built options, `target` and `baseline` their two modes, `builder`
//! the one way to make them.

mod baseline;
mod builder;
mod run_options;
mod target;
#[cfg(test)]
mod tests;

pub use baseline::Baseline;
pub use builder::RunOptionsBuilder;
pub use run_options::{FailOn, MOCK_PROFILE, RunOptions, Selection};
pub use target::{BuiltInMock, Remote, Target};
