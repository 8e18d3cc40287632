//! `mock`: serve the stateful mock until Ctrl-C or SIGTERM.

use std::io::Write;

use extracta_contract::MockServer;

use super::args::MockArgs;
use super::exit::CONFORMS;
use super::signal;

/// Starts the mock, prints its base URL, and serves until a signal.
pub async fn serve(args: &MockArgs) -> anyhow::Result<u8> {
    let mut builder = MockServer::builder()
        .port(args.port)
        .latency(std::time::Duration::from_millis(args.latency))
        .fail_rate(args.fail_rate)
        .admin(args.admin);
    for key in &args.api_keys {
        builder = builder.api_key(key);
    }
    if let Some(path) = &args.seed {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("read the seed file {}: {e}", path.display()))?;
        let seed = serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("parse the seed file {}: {e}", path.display()))?;
        builder = builder.seed(seed);
    }
    let mock = builder.start().await?;
    let stop = signal::shutdown();
    let _ = writeln!(std::io::stdout(), "{}", mock.base_url());
    let _ = std::io::stdout().flush();
    tracing::info!(target: "extracta_contract::mock", base_url = %mock.base_url(), "listening");
    stop.await;
    tracing::info!(target: "extracta_contract::mock", "shutting down");
    mock.shutdown().await;
    Ok(CONFORMS)
}
