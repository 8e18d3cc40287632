//! The stateful mock of the vendor's Document Classification API, built on axum.
//!
//! [`state`] holds the data, [`routes`] the HTTP handlers, [`server`] the running socket.

pub mod routes;
pub mod server;
pub mod state;

pub use routes::{Behaviour, MockState, router};
pub use server::{DEFAULT_API_KEY, MockBuilder, MockError, MockServer};
pub use state::{Rejection, Store};
