//! What `mock` takes: where it listens, what it is like, the faults it injects and its own
//! limits.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::values::{parse_duration, parse_positive_duration, parse_rate, parse_size};

/// The heading of the mock's limits in `--help`.
const LIMITS: &str = "Limits (the mock's own, to protect it; not the vendor's)";

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
