//! The command line and its commands, with the arguments of the commands that take a few:
//! `cleanup`, `docs-check` and `validate`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use super::baseline::{LearnArgs, ParityArgs};
use super::mock::MockArgs;
use super::run::{ExploreArgs, RunArgs};
use super::values::parse_timeout;

/// Contract suite for the Extracta.ai Document Classification API (deleteFiles and the
/// endpoints it needs), with a stateful mock of the vendor.
///
/// Exit codes: 0 the target conforms; 1 a contract violation or drift; 2 the suite could not
/// run or finish (bad arguments or case files, target unreachable, Ctrl-C, cleanup failed).
#[derive(Debug, Parser)]
#[command(name = "extracta-contract", version, about, long_about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every case against a live target, or against the built-in mock when no URL is given.
    ///
    /// Examples:
    ///   extracta-contract run
    ///   EXTRACTA_API_KEY=... extracta-contract run --base-url https://api.extracta.ai/api/v1 \
    ///       --snapshots snapshots/staging --junit junit.xml
    #[command(verbatim_doc_comment)]
    Run(Box<RunArgs>),
    /// Explore the target with generated sequences of requests, checking every answer and
    /// effect against the contract's invariants; each finding is shrunk to the smallest
    /// sequence that still fails, shown as curl lines, and can be kept as a case.
    ///
    /// Deletes only what it created (or ids that exist nowhere), at most --budget requests,
    /// and cleans up, also on Ctrl-C. The seed is printed first: --seed replays a run.
    ///
    /// Examples:
    ///   extracta-contract explore --seed 1 --budget 1000
    ///   EXTRACTA_API_KEY=... EXTRACTA_SECOND_API_KEY=... extracta-contract explore \
    ///       --base-url https://api.extracta.ai/api/v1 --save-cases found --junit explore.xml
    #[command(verbatim_doc_comment)]
    Explore(Box<ExploreArgs>),
    /// Serve the stateful mock of the vendor until Ctrl-C or SIGTERM; prints its base URL.
    ///
    /// Examples:
    ///   extracta-contract mock --port 8787 --api-key my-test-key
    ///   extracta-contract mock --seed examples/seed.json --latency 50ms --log
    ///   extracta-contract mock --admin   # then: curl -X POST localhost:8787/__admin/faults
    ///                                    #   -d '{"status": 503, "count": 2}'
    #[command(verbatim_doc_comment)]
    Mock(Box<MockArgs>),
    /// Check the JSON examples of a saved vendor docs page (its Markdown) against the schemas:
    /// the body example, and each response example with the status of its tab.
    ///
    /// Example: extracta-contract docs-check delete-files.md
    #[command(verbatim_doc_comment)]
    DocsCheck(DocsCheckArgs),
    /// Print the contract as an OpenAPI 3.1 document, generated from the schemas.
    ///
    /// Example: extracta-contract openapi > schemas/openapi.json
    #[command(verbatim_doc_comment)]
    Openapi,
    /// Compare the built-in mock with a baseline recorded against the vendor.
    ///
    /// Runs the cases that have a baseline in DIR against the mock and reports, case by case,
    /// where the mock answers or acts otherwise. Exit 1 when it differs. Nothing in DIR is
    /// written.
    ///
    /// Examples:
    ///   extracta-contract parity --snapshots snapshots/staging
    ///   extracta-contract parity --snapshots snapshots/staging --like snapshots/staging
    #[command(verbatim_doc_comment)]
    Parity(ParityArgs),
    /// Learn the vendor's choices from a baseline recorded against it, as a vendor profile.
    ///
    /// The choices: statuses, messages, extra fields, content types, what an empty or partly
    /// unknown list does. The profile is for `mock --like`, `run --mock-like` and
    /// `MockBuilder::like`. Then checks that the mock which adopts it matches the baseline, and
    /// lists the cases it could not learn from.
    ///
    /// Example: extracta-contract learn --snapshots snapshots/staging
    ///          # writes snapshots/staging/vendor-profile.json
    #[command(verbatim_doc_comment)]
    Learn(LearnArgs),
    /// Check a JSON document against one of the contract's schemas, listing every violation.
    ///
    /// Example: extracta-contract validate --schema delete-files.request body.json
    #[command(verbatim_doc_comment)]
    Validate(ValidateArgs),
    /// Delete what a run with --keep left in place, on the same target: each classification
    /// and batch read back first, and deleted only if it carries that run's marker.
    ///
    /// Example: EXTRACTA_API_KEY=... extracta-contract cleanup --run-id xc-0123456789abcdef \
    ///              --base-url https://api.extracta.ai/api/v1
    #[command(verbatim_doc_comment)]
    Cleanup(CleanupArgs),
}

/// Arguments of `cleanup`.
#[derive(Debug, Args)]
pub struct CleanupArgs {
    /// The run's id, as the run printed it (`xc-` and hex digits); its record is read from
    /// .extracta-contract/kept/ in the working folder.
    #[arg(long, value_name = "ID")]
    pub run_id: String,
    /// Base URL of the API the run kept its fixtures on.
    #[arg(long, env = "EXTRACTA_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// API key of the account the run used. Never printed.
    #[arg(
        long,
        env = "EXTRACTA_API_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub api_key: Option<String>,
    /// Per-request timeout, e.g. 30s or 2m.
    #[arg(long, default_value = "30s", value_parser = parse_timeout, value_name = "DURATION")]
    pub timeout: Duration,
}

/// Arguments of `docs-check`.
#[derive(Debug, Args)]
pub struct DocsCheckArgs {
    /// The saved page (GitBook Markdown, as the docs site serves it).
    pub file: PathBuf,
}

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Schema name: a file name in schemas/ without ".json", e.g. delete-files.request.
    #[arg(long, value_name = "NAME")]
    pub schema: String,
    /// The JSON document to check ("-" reads standard input).
    pub file: PathBuf,
}
