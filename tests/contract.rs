//! The contract suite: one test per case file, against the built-in mock (started in-process)
//! or, when `EXTRACTA_BASE_URL` and `EXTRACTA_API_KEY` are set, against a live target.
//!
//! Each case's normalised observation is snapshotted into `snapshots/<profile>/<case>.snap`.
//! CI runs with `INSTA_UPDATE=no`: a changed response fails; `cargo insta review` accepts it.

use std::path::{Path, PathBuf};

use extracta_contract::runner::{RunOptions, resolve_target};
use extracta_contract::{Case, Session, run_case};
use rstest::rstest;

#[path = "contract/cli.rs"]
mod cli;
#[path = "contract/hostile.rs"]
mod hostile;
#[path = "contract/mock_http.rs"]
mod mock_http;
#[path = "contract/safety.rs"]
mod safety;
#[path = "contract/standins.rs"]
mod standins;

/// The target the environment names, or the built-in mock.
fn options_from_env() -> RunOptions {
    let mut options = RunOptions::default();
    let set = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let (Some(url), Some(key)) = (set("EXTRACTA_BASE_URL"), set("EXTRACTA_API_KEY")) {
        options = options.base_url(url).api_key(key);
    }
    options.profile = set("EXTRACTA_PROFILE");
    options
}

#[rstest]
#[tokio::test]
async fn case(#[files("cases/delete-files/*.json")] path: PathBuf) {
    // Arrange
    let case = Case::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let options = options_from_env();
    let (target, info, _mock) = resolve_target(&options)
        .await
        .unwrap_or_else(|e| panic!("failed to {e}"));
    let session = Session::open(target)
        .await
        .unwrap_or_else(|e| panic!("failed to {e}"));

    // Act
    let report = run_case(&session, &case).await;
    let cleanup = session.close().await;

    // Assert
    assert!(
        cleanup.failed.is_empty(),
        "cleanup failed: {:?}",
        cleanup.failed
    );
    let failures: Vec<String> = report.failures.iter().map(ToString::to_string).collect();
    assert!(
        failures.is_empty(),
        "case {} ({}) failed against {}:\n  {}",
        case.name,
        case.description,
        info.base_url,
        failures.join("\n  ")
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new("../snapshots").join(&info.profile));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_sort_maps(true);
    settings.set_description(case.description.clone());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    settings.set_input_file(path.strip_prefix(manifest).unwrap_or(&path));
    settings.bind(|| insta::assert_json_snapshot!(case.name.as_str(), report.observation));
}
