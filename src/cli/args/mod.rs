//! The command line: clap derive types, and the one conversion from arguments to options.
//!
//! `command` holds the commands, `run` what `run` and `explore` take, `mock` what the mock
//! takes, `baseline` what `parity` and `learn` take, `values` how a flag's value is read.

mod baseline;
mod command;
mod mock;
mod run;
#[cfg(test)]
mod tests;
pub mod values;

pub use baseline::{LearnArgs, ParityArgs};
pub use command::{CleanupArgs, Cli, Command, DocsCheckArgs, ValidateArgs};
pub use mock::MockArgs;
pub use run::{ExploreArgs, ReportArgs, RunArgs};
