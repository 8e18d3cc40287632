//! The schedule of a run: which cases run and which are skipped (and why), which fixture each
//! case gets, and every request that follows from it, in order. The run executes it;
//! `--dry-run` prints it.
//!
//! `schedule` holds the [`Plan`] and its steps, `effects` what each case may do to the data,
//! `case_request` a case's request as sent.

mod case_request;
mod effects;
mod schedule;
#[cfg(test)]
mod tests;

pub use case_request::{awaited, case_request};
pub use schedule::{Plan, Setup, Step, Unit};
