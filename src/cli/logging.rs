//! Logging through `tracing` to standard error.

/// Warnings by default, the mock's request log with `--log`, anything else through `RUST_LOG`.
pub fn init(log_requests: bool) {
    let default = if log_requests {
        "warn,extracta_contract::mock=info"
    } else {
        "warn"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(super::colour::enabled(&std::io::stderr()))
        .try_init();
}
