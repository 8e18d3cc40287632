//! # extracta-contract
//!
//! A contract and conformance suite for the Extracta.ai Document Classification API, centred
//! on `DELETE /documentClassification/deleteFiles`, with a stateful mock of the vendor.
//!
//! Data flows one way: a [`Case`] (from `cases/`) becomes a [`Request`], its answer and the
//! batches read back afterwards form an [`Observation`], the [`check()`] functions turn that into
//! [`Failure`] values, and a [`RunReport`] collects them for the renderers in [`report`].
//!
//! ## Getting started
//!
//! Run the whole suite against the built-in mock:
//!
//! ```no_run
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use extracta_contract::{RunOptions, run};
//!
//! let report = run(&RunOptions::default().cases_dir("cases"), |_, _| {}).await?;
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

pub mod case;
pub mod check;
pub mod cli;
pub mod docs_check;
pub mod drift;
pub mod fixtures;
pub mod mock;
pub mod observation;
pub mod openapi;
pub mod redact;
pub mod report;
pub mod runner;
pub mod schema;
pub mod snapshot;
pub mod target;

pub use case::{Case, CaseError};
pub use check::{Failure, FailureKind, check};
pub use drift::{Change, ChangeClass};
pub use fixtures::{Cleanup, Fixture, Session};
pub use mock::{MockBuilder, MockServer};
pub use observation::Observation;
pub use redact::{ApiKey, Redactor};
pub use report::{CaseReport, Outcome, RunReport};
pub use runner::{FailOn, RunError, RunOptions, plan, run, run_case};
pub use schema::{SchemaSet, Violation};
pub use snapshot::Baselines;
pub use target::{Request, Response, Target};
