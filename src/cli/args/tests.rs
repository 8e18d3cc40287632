//! The command line as clap reads it, and the options it becomes.

use std::time::Duration;

use clap::{CommandFactory, Parser};
use extracta_contract::suite::FailOn;

use super::values::{parse_pace, parse_size, parse_timeout};
use super::*;

/// The command `args` parse to (the program's name is added).
fn command(args: &[&str]) -> Command {
    let all = std::iter::once("extracta-contract").chain(args.iter().copied());
    match Cli::try_parse_from(all) {
        Ok(cli) => cli.command,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_cli_definition_is_consistent() {
    Cli::command().debug_assert();
}

#[test]
fn run_arguments_become_options() {
    let Command::Run(args) = command(&[
        "run",
        "--base-url",
        "https://x/api/v1",
        "--concurrency",
        "3",
    ]) else {
        panic!("not run")
    };
    let options = args
        .to_builder()
        .api_key("k")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        options.target().remote().map(|r| r.base_url()),
        Some("https://x/api/v1")
    );
    assert_eq!(options.effective_concurrency(), 3);
    assert_eq!(options.fail_on(), FailOn::Any);
}

#[test]
fn fail_on_breaking_becomes_the_option() {
    let Command::Run(args) = command(&["run", "--fail-on", "breaking"]) else {
        panic!("not run")
    };
    let options = args.to_builder().build().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(options.fail_on(), FailOn::Breaking);
}

#[test]
fn explore_arguments_become_the_target_and_the_safety_options() {
    let Command::Explore(args) = command(&[
        "explore",
        "--base-url",
        "https://x/api/v1",
        "--max-deletes",
        "7",
    ]) else {
        panic!("not explore")
    };
    let options = args
        .to_builder()
        .api_key("k")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        options.target().remote().map(|r| r.base_url()),
        Some("https://x/api/v1")
    );
    assert_eq!(options.max_deletes(), Some(7));
}

#[test]
fn sizes_read_with_binary_units() {
    assert_eq!(parse_size("2GiB"), Ok(2 << 30));
    assert_eq!(parse_size("4MiB"), Ok(4 * 1024 * 1024));
    assert_eq!(parse_size("512KiB"), Ok(512 * 1024));
    assert_eq!(parse_size("1000"), Ok(1000));
    assert_eq!(parse_size("4MB"), Ok(4_000_000));
    assert!(parse_size("4XB").is_err());
    assert!(parse_size("0").is_err());
}

#[test]
fn a_timeout_takes_a_unit() {
    assert!(parse_timeout("5").is_err_and(|e| e.contains("needs a unit")));
    assert_eq!(parse_timeout("5s"), Ok(Duration::from_secs(5)));
    assert_eq!(parse_timeout("500ms"), Ok(Duration::from_millis(500)));
    assert!(parse_timeout("0").is_err());
}

#[test]
fn pace_reads_seconds_and_milliseconds() {
    assert_eq!(
        parse_pace("getResults=2s"),
        Ok(("getResults".to_owned(), Duration::from_secs(2)))
    );
    assert_eq!(
        parse_pace("deleteFiles=500ms"),
        Ok(("deleteFiles".to_owned(), Duration::from_millis(500)))
    );
    assert_eq!(
        parse_pace("getResults=0"),
        Ok(("getResults".to_owned(), Duration::ZERO))
    );
    assert!(parse_pace("getResults").is_err());
    assert!(parse_pace("getResults=2h").is_err());
    assert!(parse_pace("getResults=-1s").is_err());
}

#[test]
fn a_fail_rate_outside_zero_to_one_is_refused() {
    assert!(Cli::try_parse_from(["extracta-contract", "mock", "--fail-rate", "1.5"]).is_err());
    assert!(Cli::try_parse_from(["extracta-contract", "mock", "--fail-rate", "0.25"]).is_ok());
}

#[test]
fn update_snapshots_needs_a_folder() {
    assert!(Cli::try_parse_from(["extracta-contract", "run", "--update-snapshots"]).is_err());
}

#[test]
fn a_zero_concurrency_is_refused() {
    assert!(Cli::try_parse_from(["extracta-contract", "run", "--concurrency", "0"]).is_err());
}
