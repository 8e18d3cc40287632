//! The vendor as the run talks to it: one typed call per thing the run needs (create a
//! classification, upload a batch, list a batch's files, delete what it created), every
//! request passing the [`Ledger`](crate::suite::ledger::Ledger) on its way out.
//!
//! `client` holds the [`Vendor`] and its calls, `cleanup` how it deletes what the run
//! created, `error` why a call failed.

mod cleanup;
mod client;
mod error;

pub use client::{MAX_PROCESSING_WAIT, Vendor};
pub use error::VendorError;
