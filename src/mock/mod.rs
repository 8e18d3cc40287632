//! The stateful mock of the vendor's Document Classification API, built on axum and hyper.
//!
//! [`store`] holds the data (no HTTP) and [`classify`] types uploads by their words;
//! [`reply`] is what every answer looks like, refusals among them; [`extract`] is what every
//! request passes, within the [`limits`] (whose request-shape bounds [`bounds`] writes into
//! the schemas); [`handlers`] is the route table and one handler per endpoint ([`upload`] for
//! the multipart one), with what they share in [`handling`] and [`state`];
//! [`faults`] the misbehaviour users ask for, [`admin`] its endpoints, [`observe`] the layer
//! that fills the [`journal`], [`expect`] what a test expects of it; [`seed`] the data a mock
//! starts with; [`socket`] the connections and their timeouts, and [`server`] the builder
//! and the running mock.

pub mod admin;
pub mod bounds;
pub mod classify;
pub mod expect;
pub mod extract;
pub mod faults;
pub mod handlers;
pub mod handling;
pub mod journal;
pub mod limits;
pub mod observe;
pub mod reply;
pub mod seed;
pub mod server;
pub mod socket;
pub mod state;
pub mod store;
pub mod upload;
