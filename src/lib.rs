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
//! back afterwards form an [`Observation`], the checks turn that into [`Failure`] values, a
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

mod contract;
#[cfg(all(feature = "mock", feature = "suite"))]
mod local;
#[cfg(feature = "mock")]
mod mock;
#[cfg(feature = "suite")]
mod redact;
#[cfg(feature = "suite")]
pub mod report;
#[cfg(feature = "suite")]
mod result;
#[cfg(feature = "suite")]
mod suite;

pub use contract::case::{
    Auth, Case, CaseError, CaseProblem, CaseProblemKind, CaseSource, StatusPattern, load_dir,
};
pub use contract::endpoint::{API_ROOT, Endpoint, MediaType};
pub use contract::input::{
    FileKind, InputError, MAX_INPUT_BYTES, MAX_WALK_DEPTH, MAX_WALK_ENTRIES, WalkError, read_input,
    read_input_from, write_whole,
};
pub use contract::profile::{
    Accepted, Behaviours, EmptyList, LearnedRefusal, LearnedSuccess, NotLearned, PROFILE_FILE,
    PROFILE_SCHEMA_ID, PartlyUnknown, ProfileError, RefusalStatus, ResultsFileId, StatusError,
    SuccessStatus, VendorProfile, render_template,
};
pub use contract::schema::{SchemaError, SchemaSet, Violation};
pub use contract::situation::{RefusalKey, Situation, SituationError};
pub use contract::{docs_check, openapi};

#[cfg(all(feature = "mock", feature = "suite"))]
pub use local::parity::{Learned, ParityError, baseline_name, learn_vendor, parity};
#[cfg(all(feature = "mock", feature = "suite"))]
pub use local::start::{DEFAULT_SECOND_API_KEY, with_built_in_mock};

#[cfg(feature = "mock")]
pub use mock::expect::{Expectation, Times, UnmetExpectation, VerifyError};
#[cfg(feature = "mock")]
pub use mock::faults::{Conditions, Fault};
#[cfg(feature = "mock")]
pub use mock::journal::ReceivedRequest;
#[cfg(feature = "mock")]
pub use mock::limits::Limits;
#[cfg(feature = "mock")]
pub use mock::seed::{BatchSeed, ClassificationSeed, Seed};
#[cfg(feature = "mock")]
pub use mock::server::{DEFAULT_API_KEY, MockBuilder, MockError, MockServer};
#[cfg(feature = "mock")]
pub use mock::store::{SeedError, Usage};

#[cfg(feature = "suite")]
pub use redact::{ApiKey, Channel, REDACTED, Redactor, guarded};
#[cfg(feature = "suite")]
pub use result::{
    BaselineCheck, BaselineStatus, BaselineSummary, BatchAfter, BatchRead, CaseResult, Change,
    ChangeClass, Cleanup, EffectProblem, Exchange, Failure, FailureKind, FileRef, Kept,
    Observation, Outcome, Response, RunEvent, RunReport, SentBody, SentRequest, SkipReason,
    Snapshot, Summary, TargetInfo, Traffic, Verdict,
};
#[cfg(feature = "suite")]
pub use suite::error::{OptionsError, RunError, Setting};
#[cfg(feature = "suite")]
pub use suite::explore::explorer::{
    ExploreEvent, ExploreReport, Finding, Stop, explore, explore_until,
};
#[cfg(feature = "suite")]
pub use suite::explore::invariants::Invariant;
#[cfg(feature = "suite")]
pub use suite::explore::options::{DEFAULT_BUDGET, ExploreOptions};
#[cfg(feature = "suite")]
pub use suite::keep::{KeepError, KeptRecord, delete_kept};
#[cfg(feature = "suite")]
pub use suite::learn::{Lesson, learn};
#[cfg(feature = "suite")]
pub use suite::options::{
    Baseline, BuiltInMock, FailOn, MOCK_PROFILE, Remote, RunOptions, RunOptionsBuilder, Selection,
    Target,
};
#[cfg(feature = "suite")]
pub use suite::plan::{Plan, Setup, Step};
#[cfg(feature = "suite")]
pub use suite::run::{run, run_until};
#[cfg(feature = "suite")]
pub use suite::verify::baseline::Baselines;
#[cfg(feature = "suite")]
pub use suite::verify::volatile::{VOLATILE_FILE, VolatileRules};

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
