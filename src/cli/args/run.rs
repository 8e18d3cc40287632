//! What `run` and `explore` take: the target and its keys, the reports, the treatment of the
//! target, and the one conversion of each into the library's options.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use extracta_contract::suite::FailOn;
use extracta_contract::{RunOptions, RunOptionsBuilder};

use super::values::{parse_duration, parse_pace, parse_size, parse_timeout};

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
