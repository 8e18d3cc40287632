//! The suite engine: options in, a [`RunReport`](crate::result::RunReport) out.
//!
//! `plan` makes the schedule from the cases; `run` executes it through the `vendor`
//! (typed calls over the `transport`, every one past the `ledger`), provisions each
//! `fixture`, and judges what it observed with `verify`.

pub(crate) mod cleanup;
pub(crate) mod error;
pub mod explore;
pub(crate) mod fixture;
pub(crate) mod keep;
pub(crate) mod learn;
pub(crate) mod ledger;
pub(crate) mod options;
pub(crate) mod ownership;
pub(crate) mod plan;
pub(crate) mod preflight;
pub(crate) mod run;
pub(crate) mod settle;
pub(crate) mod transport;
pub(crate) mod vendor;
pub(crate) mod verify;

pub use cleanup::{KeepError, KeptRecord, delete_kept};
pub use error::{OptionsError, RunError, Setting};
pub use learn::{Lesson, learn};
pub use options::{
    Baseline, BuiltInMock, FailOn, MOCK_PROFILE, Remote, RunOptions, RunOptionsBuilder, Selection,
    Target,
};
pub use plan::{Plan, Setup, Step};
pub use run::{run, run_until};
pub use verify::baseline::{Baselines, SnapshotError};
pub use verify::volatile::{VOLATILE_FILE, VolatileRules};
