//! The result model: what a run observed and found, independent of how it was found or how it
//! is shown. The engine fills it; the reports only read it. It depends on the contract's types
//! and on nothing of the engine or the renderers (a test reads every file of this folder).
//!
//! The flow of a case through it: a [`SentRequest`] and its [`Response`] form an [`Exchange`];
//! the answer and the batches read back form an [`Observation`], normalised into a
//! [`Snapshot`] for the baseline; the checks give [`Failure`] values (a drift carries a
//! [`Change`]); a [`CaseResult`] holds them, and a [`RunReport`] every case and its
//! [`Verdict`].

mod case;
mod change;
mod failure;
mod observation;
pub mod quote;
mod response;
mod run;
#[cfg(test)]
mod tests;

pub use case::{BaselineCheck, BaselineStatus, CaseResult, Outcome, SkipReason};
pub use change::{Change, ChangeClass};
pub use failure::{EffectProblem, Failure, FailureKind, FileRef};
pub use observation::{BatchAfter, BatchRead, Observation, Snapshot};
pub use response::{Exchange, Response, SentBody, SentRequest};
#[cfg(test)]
pub(crate) use run::report_of;
pub use run::{
    BaselineSummary, Cleanup, Kept, RunEvent, RunReport, Summary, TargetInfo, Traffic, Verdict,
};
