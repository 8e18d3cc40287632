//! The explorer: what no case names. It generates sequences of requests over the seven
//! endpoints (`generate`), makes each concrete against a model of what the run created
//! (`model`; `resolve`, which picks ids with `resolver`, odd values with `odd_value`, lays out
//! the fixture with `layout` and words it with `description`) with what the contract makes
//! it expect (`oracle`), names the invariant a failure breaks (`invariants`), shrinks a
//! failure to the smallest sequence that still fails (`shrink`) and keeps it as a case file
//! (`save`); `explorer` runs it all against a live target within a budget, through the
//! suite's vendor, ledger and transport, and reports what it found (`finding`).

pub(crate) mod description;
pub(crate) mod explorer;
pub(crate) mod finding;
pub(crate) mod generate;
pub(crate) mod invariants;
pub(crate) mod layout;
pub(crate) mod model;
pub(crate) mod odd_value;
pub(crate) mod options;
pub(crate) mod oracle;
pub(crate) mod resolve;
pub(crate) mod resolver;
pub(crate) mod save;
pub(crate) mod shrink;

pub use explorer::{explore, explore_until};
pub use finding::{ExploreEvent, ExploreReport, Finding, Stop};
pub use invariants::Invariant;
pub use options::{DEFAULT_BUDGET, ExploreOptions};
