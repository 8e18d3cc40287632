//! The stateful mock of the vendor's Document Classification API, built on axum.
//!
//! [`store`] holds the data (no HTTP), [`extract`] what every request passes and how every
//! refusal looks, [`handlers`] the route table and one handler per endpoint, [`faults`] the
//! misbehaviour users ask for, [`observe`] the layer that applies it and fills the
//! [`journal`], and [`server`] the builder and the running socket.

pub mod extract;
pub mod faults;
pub mod handlers;
pub mod journal;
pub mod observe;
pub mod server;
pub mod state;
pub mod store;
