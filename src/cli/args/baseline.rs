//! What `parity` and `learn` take: the baseline recorded against the vendor and the cases it
//! covers.

use std::path::PathBuf;

use clap::Args;
use extracta_contract::RunOptions;
use extracta_contract::suite::OptionsError;

/// Which cases parity and learning use, and the baseline they compare with.
#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// The baseline recorded against the vendor (`run --snapshots DIR --update-snapshots`).
    #[arg(long, value_name = "DIR")]
    pub snapshots: PathBuf,
    /// Only the cases whose name contains one of these; all that have a baseline when none
    /// is given.
    #[arg(value_name = "FILTER")]
    pub filters: Vec<String>,
    /// Leave out the cases whose name contains this (repeatable).
    #[arg(long, value_name = "FILTER")]
    pub exclude: Vec<String>,
    /// Folder of case files. Default: the cases built into the binary.
    #[arg(long, value_name = "DIR")]
    pub cases: Option<PathBuf>,
}

impl BaselineArgs {
    /// The library's options for these arguments.
    ///
    /// # Errors
    /// When the options cannot make a run.
    pub fn to_options(&self) -> Result<RunOptions, OptionsError> {
        let mut options = RunOptions::builder()
            .filters(&self.filters)
            .excludes(&self.exclude);
        if let Some(dir) = &self.cases {
            options = options.cases_dir(dir);
        }
        options.build()
    }
}

/// Arguments of `parity`.
#[derive(Debug, Args)]
pub struct ParityArgs {
    /// The baseline and the cases.
    #[command(flatten)]
    pub baseline: BaselineArgs,
    /// Check the mock that answers like this vendor profile (a vendor-profile.json, or a
    /// baseline folder holding one) instead of the plain mock.
    #[arg(long, value_name = "PATH")]
    pub like: Option<PathBuf>,
}

/// Arguments of `learn`.
#[derive(Debug, Args)]
pub struct LearnArgs {
    /// The baseline and the cases.
    #[command(flatten)]
    pub baseline: BaselineArgs,
    /// Where to write the profile ("-": standard output). Default: vendor-profile.json in
    /// the --snapshots folder.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
}
