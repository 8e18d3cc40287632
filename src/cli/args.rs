//! The command line: clap derive types, and the one conversion from arguments to options.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use extracta_contract::suite::{FailOn, OptionsError};
use extracta_contract::{RunOptions, RunOptionsBuilder};

use super::duration;

/// Which drift fails the run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// Only breaking changes; additive ones (a new field) and wording (a reworded message)
    /// are reported but pass.
    Breaking,
    /// Every change.
    #[default]
    Any,
}

impl From<FailOnArg> for FailOn {
    fn from(arg: FailOnArg) -> Self {
        match arg {
            FailOnArg::Breaking => FailOn::Breaking,
            FailOnArg::Any => FailOn::Any,
        }
    }
}

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

/// Where requests go and with which keys: the options `run` and `explore` share.
#[derive(Debug, Args)]
pub struct TargetArgs {
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
    /// The key of a second account, for the cases that act as another tenant on the first
    /// one's data (each must be refused and change nothing). Without it they are skipped.
    /// Never printed.
    #[arg(
        long,
        env = "EXTRACTA_SECOND_API_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub second_api_key: Option<String>,
    /// Run against the built-in mock even though --profile names another profile (its
    /// observations are then compared with, or recorded as, that profile's baselines).
    #[arg(long, conflicts_with = "base_url")]
    pub built_in_mock: bool,
    /// Run against a built-in mock that answers like this vendor profile (a
    /// vendor-profile.json, or a baseline folder holding one, as `learn` writes it).
    #[arg(long, value_name = "PATH", conflicts_with = "base_url")]
    pub mock_like: Option<PathBuf>,
    /// Snapshot profile name (default: "mock" for the built-in mock, else the host name).
    #[arg(long, env = "EXTRACTA_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
}

/// The reports written besides the text: the options `run` and `explore` share.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Also write the report as JSON to this file ("-": standard output, instead of the text).
    #[arg(long, value_name = "PATH")]
    pub json: Option<PathBuf>,
    /// Also write a Markdown summary (cases, failures, drift) to this file ("-": standard
    /// output). Without it, the summary goes to $GITHUB_STEP_SUMMARY when that is set.
    #[arg(long, value_name = "PATH")]
    pub markdown: Option<PathBuf>,
    /// Also write one self-contained HTML page with every case, its request and answer, and
    /// each drift as a side-by-side diff of baseline and observation.
    #[arg(long, value_name = "PATH")]
    pub html: Option<PathBuf>,
    /// Also write a JUnit XML report to this file ("-": standard output, instead of the text).
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
}

/// How the target is treated: timeouts, pacing, waits and the cap on deletes, which `run`
/// and `explore` share.
#[derive(Debug, Args)]
pub struct SafetyArgs {
    /// Per-request timeout, e.g. 30s or 2m.
    #[arg(long, default_value = "30s", value_parser = parse_timeout, value_name = "DURATION")]
    pub timeout: Duration,
    /// How long a target's reads may lag a request before its effect is judged: the run reads
    /// the batches again until they show it, up to this long. Default: 10s, none against the
    /// built-in mock.
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub settle: Option<Duration>,
    /// The largest answer the run reads, in bytes (e.g. 4194304, 512KiB, 4MiB); a longer one
    /// fails its case and the run goes on.
    #[arg(long, default_value = "4MiB", value_parser = parse_size, value_name = "SIZE")]
    pub max_response_size: u64,
    /// The longest wait for a batch the target is still processing (getResults answers
    /// "waiting"), e.g. 60s or 5m; a batch still waiting then fails its case.
    #[arg(long, default_value = "60s", value_parser = parse_duration, value_name = "DURATION")]
    pub max_processing_wait: Duration,
    /// The longest wait before a request is sent again, e.g. 60s or 2m: a 429 whose
    /// Retry-After asks for longer is not waited, and its case fails at once.
    #[arg(long, default_value = "60s", value_parser = parse_duration, value_name = "DURATION")]
    pub max_retry_wait: Duration,
    /// Minimum pause between calls to an endpoint, e.g. getResults=2s or deleteFiles=500ms
    /// (repeatable; 0 turns it off). Default: getResults=2s, except on loopback.
    #[arg(long, value_name = "ENDPOINT=DURATION", value_parser = parse_pace)]
    pub pace: Vec<(String, Duration)>,
    /// Stop sending destructive requests from cases after N (cleanup of what the run created
    /// is not counted).
    #[arg(long, value_name = "N")]
    pub max_deletes: Option<u64>,
}

/// Arguments of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The target and its keys.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Run only the cases whose name (their path under cases/, e.g. delete-files/auth-missing)
    /// contains one of these; all when none is given.
    #[arg(value_name = "FILTER")]
    pub filters: Vec<String>,
    /// Leave out the cases whose name contains this (repeatable).
    #[arg(long, value_name = "FILTER")]
    pub exclude: Vec<String>,
    /// List the selected cases with what each checks, and run nothing.
    #[arg(long)]
    pub list: bool,
    /// Folder of case files (searched recursively for *.json). Default: the cases built into
    /// the binary (the repository's cases/).
    #[arg(long, value_name = "DIR")]
    pub cases: Option<PathBuf>,
    /// The reports.
    #[command(flatten)]
    pub reports: ReportArgs,
    /// How many cases run at once (default: 2 against the built-in mock, 8 over the network).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: Option<u16>,
    /// Timeouts, pacing, waits, the cap on deletes.
    #[command(flatten)]
    pub safety: SafetyArgs,
    /// Compare each case's normalised observation with the baseline in DIR (insta .snap files,
    /// the same ones `cargo test` writes); a difference fails as drift and waits as .snap.new.
    #[arg(long, value_name = "DIR")]
    pub snapshots: Option<PathBuf>,
    /// Record the observations as the new baseline in --snapshots DIR instead of comparing.
    /// A case that failed its contract is not recorded, unless --force.
    #[arg(long, requires = "snapshots")]
    pub update_snapshots: bool,
    /// With --update-snapshots: record also the cases that failed their contract.
    #[arg(long, requires = "update_snapshots")]
    pub force: bool,
    /// Remove the baselines in --snapshots DIR whose case no longer exists.
    #[arg(long, requires = "snapshots")]
    pub prune: bool,
    /// Which drift fails the run: any change, or only breaking ones (additive changes such
    /// as a new field are then reported but pass).
    #[arg(long, value_enum, default_value_t = FailOnArg::Any)]
    pub fail_on: FailOnArg,
    /// Print every request the run would send (key redacted) and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Reuse this classification instead of creating one; only the batches the run uploads
    /// into it are deleted at the end, never the classification.
    #[arg(long, value_name = "ID")]
    pub classification_id: Option<String>,
    /// Leave the fixtures of the cases that fail in place (and only those), and print their ids
    /// and the command that deletes them later (`cleanup --run-id`); the request of a failed
    /// case and the reads that show its effect can then be sent again by hand. Against the
    /// built-in mock, the mock keeps running until Ctrl-C.
    #[arg(long)]
    pub keep: bool,
}

/// Arguments of `explore`.
#[derive(Debug, Args)]
pub struct ExploreArgs {
    /// The target and its keys.
    #[command(flatten)]
    pub target: TargetArgs,
    /// At most N requests, everything but the cleanup counted (setup, the generated requests,
    /// the reads that prove and judge them, shrinking).
    #[arg(long, value_name = "N", default_value_t = extracta_contract::suite::explore::DEFAULT_BUDGET)]
    pub budget: u64,
    /// The generator's seed; the same seed against the same target sends the same requests.
    /// Default: a random one, printed first.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Write each finding as a case file under DIR (in its endpoint's folder), which
    /// `run --cases DIR` replays.
    #[arg(long, value_name = "DIR")]
    pub save_cases: Option<PathBuf>,
    /// The reports.
    #[command(flatten)]
    pub reports: ReportArgs,
    /// Timeouts, pacing, waits, the cap on deletes.
    #[command(flatten)]
    pub safety: SafetyArgs,
}

/// Reads `ENDPOINT=DURATION`, e.g. `getResults=2s`, `deleteFiles=500ms` or `getResults=0`.
fn parse_pace(text: &str) -> Result<(String, Duration), String> {
    let (endpoint, duration) = text
        .split_once('=')
        .ok_or_else(|| format!("expected ENDPOINT=DURATION (e.g. getResults=2s), got `{text}`"))?;
    Ok((endpoint.trim().to_owned(), duration::parse(duration)?))
}

/// A timeout: a duration of at least 1 ms.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let timeout = duration::parse(text)?;
    if timeout.is_zero() {
        return Err("a timeout of 0 would fail every request; give at least 1ms".to_owned());
    }
    Ok(timeout)
}

/// Arguments of `mock`.
#[derive(Debug, Args)]
pub struct MockArgs {
    /// Address to listen on: 127.0.0.1 (the default) for this machine only, 0.0.0.0 to be
    /// reached from elsewhere (e.g. from another container).
    #[arg(
        long,
        default_value = "127.0.0.1",
        value_name = "IP",
        env = "EXTRACTA_MOCK_HOST"
    )]
    pub host: std::net::IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// An API key the mock accepts; repeat for several. Default: "mock-api-key".
    #[arg(long = "api-key", value_name = "KEY")]
    pub api_keys: Vec<String>,
    /// Preload classifications, batches and files from this JSON file (schemas/seed.json).
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
    /// Answer like the vendor this profile describes: a vendor-profile.json (written by
    /// `learn`), or a baseline folder holding one. Its choices are listed at start.
    #[arg(long, value_name = "PATH")]
    pub like: Option<PathBuf>,
    /// Wait this long before every answer: 250ms, 2s, 1m.
    #[arg(long, default_value = "0", value_name = "DURATION", value_parser = parse_duration)]
    pub latency: Duration,
    /// Answer this share of requests (0 to 1) with 503, at random.
    #[arg(long, default_value_t = 0.0, value_name = "P", value_parser = parse_rate)]
    pub fail_rate: f64,
    /// getResults answers {"status": "waiting"} for this long after each upload into a batch,
    /// as the vendor does while it processes (e.g. 2s); 0 processes at once.
    #[arg(long, default_value = "0s", value_name = "DURATION", value_parser = parse_duration)]
    pub processing: Duration,
    /// Serve POST /__admin/faults {"status": N, "count": K, "endpoint": "deleteFiles", ...}
    /// (faults to inject; DELETE clears them) and GET /__admin/requests (what the mock
    /// received, with each key's holder, never the key). Off unless given. They ask for no
    /// key and show every tenant's request bodies: keep them on loopback.
    #[arg(long)]
    pub admin: bool,
    /// Log every request to standard error (method, path, status, time; never the key).
    /// RUST_LOG can refine it, e.g. RUST_LOG=extracta_contract=debug.
    #[arg(long)]
    pub log: bool,
    /// Open connections at most [default: the open-file limit less 64, from 16 to 10000];
    /// when full, the one that has waited longest (at least a second) for a request is closed
    /// to make room.
    #[arg(long, value_name = "N", help_heading = LIMITS, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_connections: Option<u64>,
    /// Time a request's head may take to arrive [default: 10s].
    #[arg(long, value_name = "DURATION", help_heading = LIMITS, value_parser = parse_positive_duration)]
    pub header_timeout: Option<Duration>,
    /// Time a request's body may take to arrive, then 408 [default: 60s].
    #[arg(long, value_name = "DURATION", help_heading = LIMITS, value_parser = parse_positive_duration)]
    pub body_timeout: Option<Duration>,
    /// Time a kept-alive connection may wait for its next request [default: 60s].
    #[arg(long, value_name = "DURATION", help_heading = LIMITS, value_parser = parse_positive_duration)]
    pub idle_timeout: Option<Duration>,
    /// On Ctrl-C or SIGTERM, time requests in flight get to finish before their connections
    /// are dropped [default: 5s].
    #[arg(long, value_name = "DURATION", help_heading = LIMITS, value_parser = parse_duration)]
    pub shutdown_timeout: Option<Duration>,
    /// Bytes of a refused request's body read and thrown away to keep its connection open
    /// [default: 64KiB]; a longer body closes the connection.
    #[arg(long, value_name = "SIZE", help_heading = LIMITS, value_parser = parse_size)]
    pub refusal_drain: Option<u64>,
    /// Time that reading may take [default: 1s].
    #[arg(long, value_name = "DURATION", help_heading = LIMITS, value_parser = parse_duration)]
    pub refusal_drain_timeout: Option<Duration>,
    /// Largest JSON body, then 413 [default: 1MiB].
    #[arg(long, value_name = "SIZE", help_heading = LIMITS, value_parser = parse_size)]
    pub max_json_body: Option<u64>,
    /// Largest upload, then 413 [default: 100MiB].
    #[arg(long, value_name = "SIZE", help_heading = LIMITS, value_parser = parse_size)]
    pub max_upload_body: Option<u64>,
    /// Files in one upload at most [default: 500].
    #[arg(long, value_name = "N", help_heading = LIMITS, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_files_per_upload: Option<u64>,
    /// fileIds in one deleteFiles at most [default: 10000].
    #[arg(long, value_name = "N", help_heading = LIMITS, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_file_ids: Option<u64>,
    /// documentTypes in one classification at most [default: 100].
    #[arg(long, value_name = "N", help_heading = LIMITS, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_document_types: Option<u64>,
    /// uniqueWords of one document type at most [default: 1000].
    #[arg(long, value_name = "N", help_heading = LIMITS, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_unique_words: Option<u64>,
    /// Characters in one unique word at most [default: 200].
    #[arg(long, value_name = "N", help_heading = LIMITS, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_word_length: Option<u64>,
    /// Classifications one key may hold, then 403 [default: 1000].
    #[arg(long, value_name = "N", help_heading = LIMITS)]
    pub max_classifications: Option<u64>,
    /// Files one key may hold, then 403 [default: 100000].
    #[arg(long, value_name = "N", help_heading = LIMITS)]
    pub max_files: Option<u64>,
    /// Bytes one key may store (details, ids, file names; never file contents), then 403
    /// [default: 64MiB].
    #[arg(long, value_name = "SIZE", help_heading = LIMITS, value_parser = parse_size)]
    pub max_stored: Option<u64>,
    /// Requests the --admin request log keeps [default: 1000].
    #[arg(long, value_name = "N", help_heading = LIMITS)]
    pub journal_entries: Option<u64>,
    /// Faults POST /__admin/faults may hold in force at once, then 400 [default: 100].
    #[arg(long, value_name = "N", help_heading = LIMITS, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_faults: Option<u64>,
    /// Largest body of a fault added through POST /__admin/faults, then 413 [default: 64KiB].
    #[arg(long, value_name = "SIZE", help_heading = LIMITS, value_parser = parse_size)]
    pub max_fault_body: Option<u64>,
}

/// The heading of the mock's limits in `--help`.
const LIMITS: &str = "Limits (the mock's own, to protect it; not the vendor's)";

/// Reads a duration: `500ms`, `2s`, `1m`, or `0`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    duration::parse(text)
}

/// Reads a duration longer than zero.
fn parse_positive_duration(text: &str) -> Result<Duration, String> {
    match parse_duration(text)? {
        d if d.is_zero() => Err(format!("`{text}` must be longer than zero")),
        d => Ok(d),
    }
}

/// Reads a size in bytes: `65536`, `64KiB`, `1MiB`, `2GiB` (or KB, MB, GB in powers of 1000).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let at = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(at);
    let value: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as 65536, 64KiB or 1MiB"))?;
    let factor: u64 = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        "KB" | "kB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`: use KiB, MiB or GiB"
            ));
        }
    };
    match value.checked_mul(factor) {
        Some(0) => Err(format!("`{text}` must be at least 1 byte")),
        Some(bytes) => Ok(bytes),
        None => Err(format!("`{text}` is too large")),
    }
}

/// Reads a share from 0 to 1.
fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!(
            "expected a share from 0 to 1 (e.g. 0.1), got `{text}`"
        )),
    }
}

/// Which cases parity and learning use, and the baseline they compare with.
#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// The baseline recorded against the vendor (`run --snapshots DIR --update-snapshots`).
    #[arg(long, value_name = "DIR")]
    pub snapshots: PathBuf,
    /// Only the cases whose name contains one of these; all that have a baseline when none
    /// is given.
    #[arg(value_name = "FILTER")]
    pub filters: Vec<String>,
    /// Leave out the cases whose name contains this (repeatable).
    #[arg(long, value_name = "FILTER")]
    pub exclude: Vec<String>,
    /// Folder of case files. Default: the cases built into the binary.
    #[arg(long, value_name = "DIR")]
    pub cases: Option<PathBuf>,
}

impl BaselineArgs {
    /// The library's options for these arguments.
    ///
    /// # Errors
    /// When the options cannot make a run.
    pub fn to_options(&self) -> Result<RunOptions, OptionsError> {
        let mut options = RunOptions::builder()
            .filters(&self.filters)
            .excludes(&self.exclude);
        if let Some(dir) = &self.cases {
            options = options.cases_dir(dir);
        }
        options.build()
    }
}

/// Arguments of `parity`.
#[derive(Debug, Args)]
pub struct ParityArgs {
    /// The baseline and the cases.
    #[command(flatten)]
    pub baseline: BaselineArgs,
    /// Check the mock that answers like this vendor profile (a vendor-profile.json, or a
    /// baseline folder holding one) instead of the plain mock.
    #[arg(long, value_name = "PATH")]
    pub like: Option<PathBuf>,
}

/// Arguments of `learn`.
#[derive(Debug, Args)]
pub struct LearnArgs {
    /// The baseline and the cases.
    #[command(flatten)]
    pub baseline: BaselineArgs,
    /// Where to write the profile ("-": standard output). Default: vendor-profile.json in
    /// the --snapshots folder.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
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

impl TargetArgs {
    /// `options` with the target and its keys.
    ///
    /// Values are passed as given, empty ones included: building the options refuses a URL or
    /// key that is set but empty before anything is sent.
    pub fn apply(&self, mut options: RunOptionsBuilder) -> RunOptionsBuilder {
        options = options.built_in_mock(self.built_in_mock);
        if let Some(url) = &self.base_url {
            options = options.base_url(url);
        }
        if let Some(key) = &self.api_key {
            options = options.api_key(key);
        }
        if let Some(key) = &self.second_api_key {
            options = options.second_api_key(key);
        }
        if let Some(profile) = &self.profile {
            options = options.profile(profile);
        }
        options
    }
}

impl SafetyArgs {
    /// `options` with the timeouts, pacing, waits and the cap on deletes.
    pub fn apply(&self, mut options: RunOptionsBuilder) -> RunOptionsBuilder {
        options = options
            .timeout(self.timeout)
            .max_response_size(usize::try_from(self.max_response_size).unwrap_or(usize::MAX))
            .max_retry_wait(self.max_retry_wait)
            .max_processing_wait(self.max_processing_wait)
            .max_deletes(self.max_deletes);
        if let Some(settle) = self.settle {
            options = options.settle(settle);
        }
        for (endpoint, interval) in &self.pace {
            options = options.pace(endpoint, *interval);
        }
        options
    }
}

impl RunArgs {
    /// The builder of the library's options for these arguments, before the vendor profile
    /// (read from `--mock-like`) is added.
    pub fn to_builder(&self) -> RunOptionsBuilder {
        let mut options = RunOptions::builder()
            .filters(&self.filters)
            .excludes(&self.exclude)
            .force(self.force)
            .prune(self.prune)
            .fail_on(self.fail_on.into())
            .classification_id(self.classification_id.clone())
            .keep(self.keep);
        options = self.target.apply(options);
        options = self.safety.apply(options);
        if let Some(dir) = &self.cases {
            options = options.cases_dir(dir);
        }
        if let Some(n) = self.concurrency {
            options = options.concurrency(usize::from(n));
        }
        if let Some(dir) = &self.snapshots {
            options = options.snapshots(dir, self.update_snapshots);
        }
        options
    }
}

impl ExploreArgs {
    /// The builder of the run's options the exploration uses (target, keys, safety), before
    /// the vendor profile (read from `--mock-like`) is added.
    pub fn to_builder(&self) -> RunOptionsBuilder {
        self.safety.apply(self.target.apply(RunOptions::builder()))
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
        let options = args
            .to_builder()
            .api_key("k")
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            options.target().remote().map(|r| r.base_url()),
            Some("https://x/api/v1")
        );
        assert_eq!(options.effective_concurrency(), 3);
        assert_eq!(options.fail_on(), FailOn::Any);
    }

    #[test]
    fn sizes_read_with_binary_units() {
        assert_eq!(parse_size("4MiB"), Ok(4 * 1024 * 1024));
        assert_eq!(parse_size("512KiB"), Ok(512 * 1024));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("4MB"), Ok(4_000_000));
        assert!(parse_size("4XB").is_err());
        assert!(parse_size("0").is_err());
    }

    #[test]
    fn a_timeout_takes_a_unit() {
        assert!(parse_timeout("5").is_err_and(|e| e.contains("needs a unit")));
        assert_eq!(parse_timeout("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_timeout("500ms"), Ok(Duration::from_millis(500)));
        assert!(parse_timeout("0").is_err());
    }

    #[test]
    fn pace_reads_seconds_and_milliseconds() {
        assert_eq!(
            parse_pace("getResults=2s"),
            Ok(("getResults".to_owned(), Duration::from_secs(2)))
        );
        assert_eq!(
            parse_pace("deleteFiles=500ms"),
            Ok(("deleteFiles".to_owned(), Duration::from_millis(500)))
        );
        assert_eq!(
            parse_pace("getResults=0"),
            Ok(("getResults".to_owned(), Duration::ZERO))
        );
        assert!(parse_pace("getResults").is_err());
        assert!(parse_pace("getResults=2h").is_err());
        assert!(parse_pace("getResults=-1s").is_err());
    }

    #[test]
    fn a_fail_rate_outside_zero_to_one_is_refused() {
        assert!(Cli::try_parse_from(["extracta-contract", "mock", "--fail-rate", "1.5"]).is_err());
        assert!(Cli::try_parse_from(["extracta-contract", "mock", "--fail-rate", "0.25"]).is_ok());
    }

    #[test]
    fn update_snapshots_needs_a_folder() {
        assert!(Cli::try_parse_from(["extracta-contract", "run", "--update-snapshots"]).is_err());
    }

    #[test]
    fn a_zero_concurrency_is_refused() {
        assert!(Cli::try_parse_from(["extracta-contract", "run", "--concurrency", "0"]).is_err());
    }
}
