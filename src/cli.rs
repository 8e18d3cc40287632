//! The command line: clap derive types, and the one conversion from arguments to options.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::runner::RunOptions;

/// Contract suite for the Extracta.ai Document Classification API (deleteFiles and the
/// endpoints it needs), with a stateful mock of the vendor.
///
/// Exit codes: 0 the target conforms; 1 a contract violation; 2 the suite could not run.
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
    /// Example: extracta-contract run --base-url https://api.extracta.ai/api/v1
    /// (with EXTRACTA_API_KEY set in the environment)
    Run(RunArgs),
    /// Serve the stateful mock of the vendor until Ctrl-C or SIGTERM.
    ///
    /// Example: extracta-contract mock --port 8787 --api-key my-test-key
    Mock(MockArgs),
    /// Check a JSON document against one of the contract's schemas, listing every violation.
    ///
    /// Example: extracta-contract validate --schema delete-files.request body.json
    Validate(ValidateArgs),
}

/// Arguments of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Base URL of the API, e.g. https://api.extracta.ai/api/v1. Without it the built-in mock
    /// is started on a free loopback port.
    #[arg(long, env = "EXTRACTA_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// API key sent as `Authorization: Bearer <key>`. Never printed.
    #[arg(
        long,
        env = "EXTRACTA_API_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub api_key: Option<String>,
    /// Folder of case files (searched recursively for *.json).
    #[arg(long, default_value = "cases", value_name = "DIR")]
    pub cases: PathBuf,
    /// Snapshot profile name (default: "mock" for the built-in mock, else the host name).
    #[arg(long, env = "EXTRACTA_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
    /// Also write the report as JSON to this file.
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// How many cases run at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600), value_name = "SECONDS")]
    pub timeout: u64,
}

/// Arguments of `mock`.
#[derive(Debug, Args)]
pub struct MockArgs {
    /// Loopback port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// An API key the mock accepts; repeat for several. Default: "mock-api-key".
    #[arg(long = "api-key", value_name = "KEY")]
    pub api_keys: Vec<String>,
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

impl RunArgs {
    /// The library's options for these arguments.
    pub fn to_options(&self) -> RunOptions {
        let mut options = RunOptions::default()
            .cases_dir(&self.cases)
            .concurrency(usize::from(self.concurrency))
            .timeout(Duration::from_secs(self.timeout));
        options.base_url = self.base_url.clone().filter(|u| !u.trim().is_empty());
        options.api_key = self.api_key.clone().filter(|k| !k.is_empty());
        options.profile = self.profile.clone().filter(|p| !p.is_empty());
        options
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_arguments_become_options() {
        let cli = Cli::try_parse_from([
            "extracta-contract",
            "run",
            "--base-url",
            "https://x/api/v1",
            "--concurrency",
            "3",
        ]);
        let Ok(Cli {
            command: Command::Run(args),
        }) = cli
        else {
            panic!("parse failed")
        };
        let options = args.to_options();
        assert_eq!(options.base_url.as_deref(), Some("https://x/api/v1"));
        assert_eq!(options.concurrency, 3);
    }

    #[test]
    fn a_zero_concurrency_is_refused() {
        assert!(Cli::try_parse_from(["extracta-contract", "run", "--concurrency", "0"]).is_err());
    }
}
