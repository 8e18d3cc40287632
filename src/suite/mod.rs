//! The suite engine: options in, a [`RunReport`](crate::result::RunReport) out.
//!
//! [`plan`] makes the schedule from the cases; [`run`] executes it through the [`vendor`]
//! (typed calls over the [`transport`], every one past the [`ledger`]), provisions each
//! [`fixture`], and judges what it observed with [`verify`].

pub mod error;
pub mod explore;
pub mod fixture;
pub mod keep;
pub mod learn;
pub mod ledger;
pub mod options;
pub mod ownership;
pub mod plan;
pub mod preflight;
pub mod run;
pub mod transport;
pub mod vendor;
pub mod verify;
