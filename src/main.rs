//! The `extracta-contract` binary: parse arguments, call the library, map the outcome to an
//! exit code (0 conforms, 1 contract violation, 2 could not run).

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::Parser;
use extracta_contract::cli::{Cli, Command, DocsCheckArgs, MockArgs, RunArgs, ValidateArgs};
use extracta_contract::report::{json, junit, text};
use extracta_contract::{MockServer, SchemaSet, plan, run};

const CONFORMS: u8 = 0;
const VIOLATION: u8 = 1;
const COULD_NOT_RUN: u8 = 2;

/// mimalloc rather than the system allocator: the mock allocates some thirty times per
/// request, and glibc's allocator was a sixth of its instructions (callgrind).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let log_requests = matches!(&cli.command, Command::Mock(args) if args.log);
    init_logging(log_requests);
    let mut runtime = if matches!(cli.command, Command::Mock(_)) {
        // The mock serves many connections at once: a worker per core.
        tokio::runtime::Builder::new_multi_thread()
    } else {
        // The suite sends one request at a time. On one thread, the client and the built-in
        // mock hand each request over without waking another thread: a run takes about
        // two thirds of the time it takes on a worker per core.
        tokio::runtime::Builder::new_current_thread()
    };
    let outcome = match runtime.enable_all().build() {
        Ok(runtime) => runtime.block_on(execute(cli.command)),
        Err(error) => Err(anyhow::anyhow!("start the async runtime: {error}")),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: failed to {error}");
            ExitCode::from(COULD_NOT_RUN)
        }
    }
}

async fn execute(command: Command) -> anyhow::Result<u8> {
    match command {
        Command::Run(args) => run_suite(&args).await,
        Command::Mock(args) => serve_mock(&args).await,
        Command::Validate(args) => validate(&args),
        Command::DocsCheck(args) => docs_check(&args),
        Command::Openapi => {
            let _ = write!(
                std::io::stdout(),
                "{}",
                extracta_contract::openapi::render()
            );
            Ok(CONFORMS)
        }
    }
}

async fn run_suite(args: &RunArgs) -> anyhow::Result<u8> {
    let options = args.to_options();
    let mut stdout = std::io::stdout();
    if args.dry_run {
        for line in plan(&options)? {
            let _ = writeln!(stdout, "{line}");
        }
        let _ = writeln!(stdout, "dry run: nothing was sent");
        return Ok(CONFORMS);
    }
    let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let report = run(&options, |case, progress| {
        let _ = writeln!(stdout, "{}", text::case_lines(case, progress, colour));
    })
    .await?;
    let _ = writeln!(std::io::stdout(), "{}", text::summary(&report, colour));
    if let Some(path) = &args.json {
        let rendered = serde_json::to_string_pretty(&json::to_json(&report))?;
        std::fs::write(path, rendered + "\n")
            .map_err(|e| anyhow::anyhow!("write the JSON report to {}: {e}", path.display()))?;
    }
    if let Some(path) = &args.junit {
        let rendered = junit::to_junit(&report)?;
        std::fs::write(path, rendered)
            .map_err(|e| anyhow::anyhow!("write the JUnit report to {}: {e}", path.display()))?;
    }
    Ok(if report.interrupted || !report.cleanup.failed.is_empty() {
        COULD_NOT_RUN
    } else if report.conforms() {
        CONFORMS
    } else {
        VIOLATION
    })
}

/// Logs through `tracing` to standard error: warnings by default, the mock's request log
/// with `--log`, anything else through `RUST_LOG`.
fn init_logging(log_requests: bool) {
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
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

async fn serve_mock(args: &MockArgs) -> anyhow::Result<u8> {
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
    let stop = shutdown_signal();
    let _ = writeln!(std::io::stdout(), "{}", mock.base_url());
    let _ = std::io::stdout().flush();
    tracing::info!(target: "extracta_contract::mock", base_url = %mock.base_url(), "listening");
    stop.await;
    tracing::info!(target: "extracta_contract::mock", "shutting down");
    mock.shutdown().await;
    Ok(CONFORMS)
}

/// Ctrl-C, or SIGTERM on Unix. The handlers are installed when this is called, not when the
/// future is first polled, so a signal that arrives right after the URL is printed still
/// shuts the mock down cleanly.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate()).ok();
        let int = signal(SignalKind::interrupt()).ok();
        async move {
            match (term, int) {
                (Some(mut term), Some(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {}
                        _ = int.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

fn docs_check(args: &DocsCheckArgs) -> anyhow::Result<u8> {
    let name = args.file.display();
    let page =
        std::fs::read_to_string(&args.file).map_err(|e| anyhow::anyhow!("read {name}: {e}"))?;
    let report = extracta_contract::docs_check::check_page(&page)
        .map_err(|e| anyhow::anyhow!("check {name}: {e}"))?;
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{name}: {}", report.endpoint);
    for example in &report.examples {
        let _ = writeln!(stdout, "{example}");
    }
    let failures = report.failures();
    let _ = writeln!(
        stdout,
        "{failures} of {} example(s) contradict the contract",
        report.examples.len()
    );
    Ok(if failures == 0 { CONFORMS } else { VIOLATION })
}

fn validate(args: &ValidateArgs) -> anyhow::Result<u8> {
    let name = args.file.display();
    let text = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| anyhow::anyhow!("read standard input: {e}"))?;
        text
    } else {
        std::fs::read_to_string(&args.file).map_err(|e| anyhow::anyhow!("read {name}: {e}"))?
    };
    let document: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("parse {name} as JSON: {e}"))?;
    let schemas = SchemaSet::global().map_err(|e| anyhow::anyhow!("{e}"))?;
    let violations = schemas.check(&args.schema, &document)?;
    let mut stdout = std::io::stdout();
    for violation in &violations {
        let _ = writeln!(stdout, "{name}: {violation}");
    }
    if violations.is_empty() {
        let _ = writeln!(stdout, "{name}: valid against {}", args.schema);
        Ok(CONFORMS)
    } else {
        Ok(VIOLATION)
    }
}
