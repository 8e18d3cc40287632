//! The command line, a shell over the library: [`args`] (clap), one module per command, the
//! exit codes ([`exit`]), the signals and the logging.

pub mod args;
pub mod colour;
pub mod docs;
pub mod duration;
pub mod exit;
pub mod explore;
pub mod logging;
pub mod mock;
pub mod parity;
pub mod run;
pub mod signal;
pub mod validate;

use std::io::Write;

use args::Command;

/// Runs `command`; the exit code, or why the command could not run.
pub async fn execute(command: Command) -> anyhow::Result<u8> {
    match command {
        Command::Run(args) => run::run(&args).await,
        Command::Explore(args) => explore::explore(&args).await,
        Command::Mock(args) => mock::serve(&args).await,
        Command::Parity(args) => parity::check(&args).await,
        Command::Learn(args) => parity::learn(&args).await,
        Command::Validate(args) => validate::validate(&args),
        Command::DocsCheck(args) => docs::check(&args),
        Command::Openapi => {
            let _ = write!(
                std::io::stdout(),
                "{}",
                extracta_contract::openapi::render()
            );
            Ok(exit::CONFORMS)
        }
    }
}
