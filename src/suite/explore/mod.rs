//! The explorer: what no case names. It generates sequences of requests over the seven
//! endpoints ([`generate`]), makes each concrete against a model of what the run created
//! ([`model`], [`resolve`]), judges every answer and effect by the contract's invariants
//! ([`invariants`]), shrinks a failure to the smallest sequence that still fails ([`shrink`])
//! and keeps it as a case file ([`save`]); [`explorer`] runs it all against a live target
//! within a budget, through the suite's vendor, ledger and transport.

pub mod explorer;
pub mod generate;
pub mod invariants;
pub mod model;
pub mod options;
pub mod resolve;
pub mod save;
pub mod shrink;
