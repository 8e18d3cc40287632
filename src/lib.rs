//! # extracta-contract
//!
//! A contract and conformance suite for the Extracta.ai Document Classification API, centred
//! on `DELETE /documentClassification/deleteFiles`, with a stateful mock of the vendor.
//!
//! ## The flow
//!
//! ```text
//! contract (catalogue, schemas, cases) ─┬─> mock (store, handlers)      the vendor, built in
//!                                       └─> suite: plan -> run -> verify -> result -> report
//! ```
//!
//! A [`Case`] (one file in `cases/`) becomes a wire request, its answer and the batches read
//! back afterwards form an [`Observation`](result::Observation), the checks turn that into [`Failure`](result::Failure) values, a
//! [`CaseResult`] holds them, and a [`RunReport`] collects every case for the renderers in
//! [`report`]. The [`Endpoint`] catalogue says once what each endpoint is; the mock, the
//! suite, the OpenAPI document and the tests read it.
//!
//! [`explore`] looks past the cases: it generates sequences of requests, makes each a case
//! against what the run created, judges it with the same checks, and shrinks a failure to
//! the smallest sequence that still fails, kept as a case file ([`ExploreOptions`]).
//!
//! ## Cargo features
//!
//! `mock` builds the server alone (axum, no HTTP client), `suite` the engine and the reports,
//! `cli` the binary. All are on by default; a crate that only wants the mock depends with
//! `default-features = false, features = ["mock"]`.
//!
//! ## Getting started
//!
//! Run the whole suite against the built-in mock:
//!
//! ```no_run
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use extracta_contract::{RunOptions, run, with_built_in_mock};
//!
//! let options = RunOptions::builder().cases_dir("cases").build()?;
//! let (options, _mock) = with_built_in_mock(options).await?;
//! let report = run(&options, |_| {}).await?;
//! assert!(report.conforms());
//! # Ok(())
//! # }
//! ```
//!
//! Or use the mock in your own tests:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let _ = rustls::crypto::ring::default_provider().install_default(); // this crate's reqwest has no provider of its own
//! let mock = extracta_contract::MockServer::builder().api_key("test-key").start().await?;
//! let answer = reqwest::Client::new()
//!     .delete(format!("{}/documentClassification/deleteFiles", mock.base_url()))
//!     .bearer_auth("test-key")
//!     .json(&serde_json::json!({"classificationId": "c", "batchId": "b", "fileIds": ["f"]}))
//!     .send()
//!     .await?;
//! assert_eq!(answer.status(), 404); // nothing of that name exists yet
//! # Ok(())
//! # }
//! ```

pub mod contract;
#[cfg(all(feature = "mock", feature = "suite"))]
pub mod local;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "suite")]
pub mod redact;
#[cfg(feature = "suite")]
pub mod report;
#[cfg(feature = "suite")]
pub mod result;
#[cfg(feature = "suite")]
pub mod suite;

// The entry points, at the root; everything else under the part it belongs to.
pub use contract::Case;
pub use contract::Endpoint;
pub use contract::profile::VendorProfile;
#[cfg(all(feature = "mock", feature = "suite"))]
pub use local::{learn_vendor, parity, with_built_in_mock};
#[cfg(feature = "mock")]
pub use mock::{MockBuilder, MockServer};
#[cfg(feature = "suite")]
pub use redact::{ApiKey, Redactor};
#[cfg(feature = "suite")]
pub use result::{CaseResult, RunEvent, RunReport, Verdict};
#[cfg(feature = "suite")]
pub use suite::explore::{ExploreOptions, explore, explore_until};
#[cfg(feature = "suite")]
pub use suite::{RunError, RunOptions, RunOptionsBuilder, run, run_until};

/// Hooks for this crate's own tests and fuzz target; not part of the public API.
#[doc(hidden)]
pub mod testing {
    #[cfg(feature = "mock")]
    pub use crate::mock::handlers::router;
    #[cfg(feature = "mock")]
    pub use crate::mock::state::MockState;
    #[cfg(feature = "mock")]
    pub use crate::mock::store::{Quotas, Store};
}
