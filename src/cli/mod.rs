//! The command line, a shell over the library: [`args`] (clap), one module per command, the
//! exit codes ([`exit`]), the signals and the logging. Everything a command prints or writes
//! passes [`output`].

pub mod args;
pub mod cleanup;
pub mod colour;
pub mod docs;
pub mod duration;
pub mod exit;
pub mod explore;
pub mod logging;
pub mod mock;
pub mod output;
pub mod parity;
pub mod run;
pub mod signal;
pub mod validate;

use args::Command;
use extracta_contract::Redactor;
use extracta_contract::redact::Channel;

/// Runs `command`; the exit code, or why the command could not run.
pub async fn execute(command: Command) -> anyhow::Result<u8> {
    match command {
        Command::Run(args) => run::run(&args).await,
        Command::Explore(args) => explore::explore(&args).await,
        Command::Mock(args) => mock::serve(&args).await,
        Command::Parity(args) => parity::check(&args).await,
        Command::Learn(args) => parity::learn(&args).await,
        Command::Validate(args) => validate::validate(&args),
        Command::Cleanup(args) => cleanup::clean_up(&args).await,
        Command::DocsCheck(args) => docs::check(&args),
        Command::Openapi => {
            output::Output::new(Redactor::default()).file(
                std::path::Path::new("-"),
                "OpenAPI document",
                Channel::Json,
                &extracta_contract::contract::openapi::render(),
            )?;
            Ok(exit::CONFORMS)
        }
    }
}
