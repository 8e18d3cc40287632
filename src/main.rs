//! The `extracta-contract` binary: parse the arguments, run the command, map its verdict to
//! an exit code (see [`cli::exit`]).

mod cli;

use std::process::ExitCode;

use clap::Parser;

use cli::args::{Cli, Command};

/// mimalloc rather than the system allocator: the mock allocates on every request, and the
/// allocator's cost shows in its throughput (the figures are in `bench/`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli::logging::init(matches!(&cli.command, Command::Mock(args) if args.log));
    let mut runtime = if matches!(cli.command, Command::Mock(_)) {
        // The mock serves many connections at once: a worker per core.
        tokio::runtime::Builder::new_multi_thread()
    } else {
        // The suite sends one request at a time. On one thread, the client and the built-in
        // mock hand each request over without waking another thread.
        tokio::runtime::Builder::new_current_thread()
    };
    let outcome = match runtime.enable_all().build() {
        Ok(runtime) => {
            let outcome = runtime.block_on(cli::execute(cli.command));
            // Not waiting for a check still reading files after Ctrl-C or SIGTERM: the
            // process ends now.
            runtime.shutdown_background();
            outcome
        }
        Err(error) => Err(anyhow::anyhow!("start the async runtime: {error}")),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            cli::output::error_line(&error);
            ExitCode::from(cli::exit::COULD_NOT_RUN)
        }
    }
}
