//! The stateful mock of the vendor's Document Classification API, built on axum and hyper.
//!
//! `store` holds the data (no HTTP) and `classify` types uploads by their words;
//! `reply` is what every answer looks like, refusals among them; `extract` is what every
//! request passes, within the `limits` (whose request-shape bounds `bounds` writes into
//! the schemas), a flat body proved well-formed by `body`'s typed pass or else checked by
//! the schema validator; `handlers` is the route table and one handler per endpoint
//! (`upload` for the multipart one), with what they share in `handling` and `state`;
//! `faults` the misbehaviour users ask for, `admin` its endpoints, `observe` the layer
//! that fills the `journal`, `expect` what a test expects of it; `seed` the data a mock
//! starts with; `socket` the connections and their timeouts, and `server` the builder
//! and the running mock.

pub(crate) mod admin;
pub(crate) mod body;
pub(crate) mod bounds;
pub(crate) mod classify;
pub(crate) mod expect;
pub(crate) mod extract;
pub(crate) mod faults;
pub(crate) mod handlers;
pub(crate) mod handling;
pub(crate) mod journal;
pub(crate) mod limits;
pub(crate) mod observe;
pub(crate) mod reply;
pub(crate) mod seed;
pub(crate) mod server;
pub(crate) mod socket;
pub(crate) mod state;
pub(crate) mod store;
pub(crate) mod upload;

pub use expect::{Expectation, Times, UnmetExpectation, VerifyError};
pub use faults::{Conditions, Fault};
pub use journal::ReceivedRequest;
pub use limits::Limits;
pub use seed::{BatchSeed, ClassificationSeed, Seed};
pub use server::{DEFAULT_API_KEY, MockBuilder, MockError, MockServer};
pub use store::{SeedError, Usage};
