//! The mock's data: classifications, batches and files, kept per API key, with no HTTP in
//! sight.
//!
//! Every operation is synchronous and all-or-nothing: it either changes the store and returns
//! what it did, or returns a [`Refusal`] and changes nothing. Each key's data has a lock of its
//! own, held only to look up or change the data: one key's work never waits for another's,
//! and anything slow (parsing, classifying, freeing what a delete removed) happens outside it.
//! Nothing is kept of deleted data, and each key's data is bounded by its [`Quotas`].
//!
//! `operations` holds the [`Store`] and what its operations return; `tenant` one key's data;
//! `record` the classifications, batches and files it is made of; `quota` the quotas and what
//! each record costs them; `refusal` why an operation is refused; `seed` how a seed document
//! becomes records; `hash` the hash of the maps every request looks up.

mod hash;
mod operations;
mod quota;
mod record;
mod refusal;
mod seed;
mod tenant;

pub use hash::KeyHash;
pub use operations::{Results, Store};
// Outside the store, only tests name a quota's kind.
#[cfg(test)]
pub use quota::QuotaKind;
pub use quota::{Quotas, Usage};
pub use record::{NewFile, StoredFile};
pub use refusal::Refusal;
pub use seed::SeedError;

#[cfg(test)]
mod examples;
