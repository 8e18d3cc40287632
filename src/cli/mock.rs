//! `mock`: serve the stateful mock until Ctrl-C or SIGTERM.

use std::io::Write;

use extracta_contract::contract::input::read_input;
use extracta_contract::mock::Limits;
use extracta_contract::{MockBuilder, MockServer, Redactor};

use super::args::MockArgs;
use super::exit::CONFORMS;
use super::output::{Output, Stream};
use super::signal;

/// Starts the mock, prints its base URL, and serves until a signal; then stops within the
/// shutdown timeout.
pub async fn serve(args: &MockArgs) -> anyhow::Result<u8> {
    let mock = builder(args)?.start().await?;
    let stop = signal::shutdown();
    // The choices go to standard error: standard output is the base URL, for scripts.
    let output = Output::new(Redactor::default());
    if let Some(warning) = open_admin_warning(args) {
        output.line_on(Stream::Err, &warning);
    }
    if let Some(profile) = mock.profile() {
        for line in super::parity::described(profile, "the mock") {
            output.line_on(Stream::Err, &line);
        }
    }
    output.line_on(Stream::Out, &mock.base_url());
    let _ = std::io::stdout().flush();
    tracing::info!(target: "extracta_contract::mock", address = %mock.addr(), base_url = %mock.base_url(), "listening");
    stop.await;
    tracing::info!(target: "extracta_contract::mock", "shutting down");
    mock.shutdown().await;
    Ok(CONFORMS)
}

/// The warning for admin endpoints served beyond this machine: they ask for no key, and show
/// every tenant's requests and let anyone inject faults.
fn open_admin_warning(args: &MockArgs) -> Option<String> {
    (args.admin && !args.host.is_loopback()).then(|| {
        format!(
            "warning: --admin on {}: the admin endpoints (/__admin/faults, /__admin/requests) ask for no key; anyone who can reach this address can read every tenant's request bodies and inject faults. Keep --admin on 127.0.0.1 unless that network is yours alone.",
            args.host
        )
    })
}

/// A count from the command line as the library's `usize`.
fn count(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The builder for these arguments: the one conversion from the command line to the library.
///
/// # Errors
/// When the seed file or the vendor profile cannot be read or parsed.
pub fn builder(args: &MockArgs) -> anyhow::Result<MockBuilder> {
    let mut limits = Limits::default();
    let counts = [
        (args.max_connections, &mut limits.max_connections),
        (args.refusal_drain, &mut limits.refusal_drain_bytes),
        (args.max_json_body, &mut limits.max_json_body),
        (args.max_upload_body, &mut limits.max_upload_body),
        (args.max_files_per_upload, &mut limits.max_files_per_upload),
        (args.max_file_ids, &mut limits.max_file_ids),
        (args.max_document_types, &mut limits.max_document_types),
        (args.max_unique_words, &mut limits.max_unique_words),
        (args.max_word_length, &mut limits.max_word_length),
        (args.max_classifications, &mut limits.max_classifications),
        (args.max_files, &mut limits.max_files),
        (args.max_stored, &mut limits.max_stored_bytes),
        (args.journal_entries, &mut limits.journal_entries),
        (args.max_faults, &mut limits.max_faults),
        (args.max_fault_body, &mut limits.max_fault_body),
    ];
    for (given, limit) in counts {
        if let Some(n) = given {
            *limit = count(n);
        }
    }
    let durations = [
        (args.header_timeout, &mut limits.header_timeout),
        (args.body_timeout, &mut limits.body_timeout),
        (args.idle_timeout, &mut limits.idle_timeout),
        (args.shutdown_timeout, &mut limits.shutdown_timeout),
        (
            args.refusal_drain_timeout,
            &mut limits.refusal_drain_timeout,
        ),
    ];
    for (given, limit) in durations {
        if let Some(d) = given {
            *limit = d;
        }
    }
    let mut builder = MockServer::builder()
        .host(args.host)
        .port(args.port)
        .latency(args.latency)
        .fail_rate(args.fail_rate)
        .processing(args.processing)
        .admin(args.admin)
        .limits(limits);
    for key in &args.api_keys {
        builder = builder.api_key(key);
    }
    if let Some(path) = &args.seed {
        let text = read_input(path)
            .map_err(|e| anyhow::anyhow!("read the seed file {}: {e}", path.display()))?;
        let seed: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("parse the seed file {}: {e}", path.display()))?;
        builder = builder.seed(seed);
    }
    if let Some(path) = &args.like {
        builder = builder.profile(super::parity::load_profile(path)?);
    }
    Ok(builder)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::Parser;

    use super::super::args::values::{parse_duration, parse_size};
    use super::super::args::{Cli, Command};
    use super::*;

    fn mock_args(args: &[&str]) -> Option<MockArgs> {
        let argv = ["extracta-contract", "mock"].iter().chain(args);
        match Cli::try_parse_from(argv) {
            Ok(Cli {
                command: Command::Mock(args),
            }) => Some(*args),
            _ => None,
        }
    }

    #[test]
    fn durations_read_milliseconds_seconds_and_minutes() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert!(parse_duration("2").is_err());
        assert!(parse_duration("2h").is_err());
        assert!(parse_duration("-1s").is_err());
    }

    #[test]
    fn sizes_read_bytes_and_binary_units() {
        assert_eq!(parse_size("65536"), Ok(65_536));
        assert_eq!(parse_size("64KiB"), Ok(65_536));
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("2MB"), Ok(2_000_000));
        assert!(parse_size("0").is_err());
        assert!(parse_size("1TiB").is_err());
    }

    #[test]
    fn limit_flags_reach_the_builder_and_the_rest_keep_their_defaults() {
        let args = mock_args(&[
            "--host",
            "0.0.0.0",
            "--max-files-per-upload",
            "1000",
            "--header-timeout",
            "2s",
            "--max-stored",
            "1MiB",
            "--processing",
            "2s",
        ])
        .unwrap_or_else(|| panic!("the arguments parse"));
        assert_eq!(args.host.to_string(), "0.0.0.0");
        let expected = Limits::default()
            .max_files_per_upload(1000)
            .header_timeout(Duration::from_secs(2))
            .max_stored_bytes(1 << 20);
        let described = format!("{:?}", builder(&args).ok());
        assert!(described.contains(&format!("{expected:?}")), "{described}");
        assert!(described.contains("processing: 2s"), "{described}");
    }

    #[test]
    fn a_zero_timeout_or_count_is_refused_on_the_command_line() {
        assert!(mock_args(&["--header-timeout", "0s"]).is_none());
        assert!(mock_args(&["--max-files-per-upload", "0"]).is_none());
        assert!(mock_args(&["--host", "localhost"]).is_none());
    }
}
