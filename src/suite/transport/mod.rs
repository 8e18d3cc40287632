//! Where requests go: the URL policy and the HTTP client ([`target`]), the wire request
//! ([`request`]), retries ([`retry`]) and pacing ([`pace`]).

pub mod pace;
pub mod request;
pub mod retry;
pub mod target;
