//! The contract suite as `cargo test` runs it: one test per case file (every folder under
//! `cases/`), each a run of the same engine as `extracta-contract run` with that one case
//! selected, against the built-in mock or, when `EXTRACTA_BASE_URL` and `EXTRACTA_API_KEY`
//! are set, against a live target.
//!
//! Each case's normalised observation is compared with `snapshots/<profile>/<case>.snap` by
//! the engine; insta's assertion is the last step, so `cargo insta review` accepts changes.
//! CI runs with `INSTA_UPDATE=no`: a changed response fails.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use extracta_contract::{Case, RunOptions, run, with_built_in_mock};
use rstest::rstest;

#[path = "support/mod.rs"]
mod support;

use support::http;

#[path = "contract/admin.rs"]
mod admin;
#[path = "contract/cli.rs"]
mod cli;
#[path = "contract/explore.rs"]
mod explore;
#[path = "contract/files.rs"]
mod files;
#[path = "contract/hostile.rs"]
mod hostile;
#[path = "contract/keep.rs"]
mod keep;
#[path = "contract/mock_assert.rs"]
mod mock_assert;
#[path = "contract/mock_http.rs"]
mod mock_http;
#[path = "contract/mock_limits.rs"]
mod mock_limits;
#[path = "contract/output.rs"]
mod output;
#[path = "contract/ownership.rs"]
mod ownership;
#[path = "contract/parity.rs"]
mod parity;
#[path = "contract/readme.rs"]
mod readme;
#[path = "contract/reports.rs"]
mod reports;
#[path = "contract/safety.rs"]
mod safety;
#[path = "contract/standins.rs"]
mod standins;
#[path = "contract/terminal.rs"]
mod terminal;
#[path = "contract/transport.rs"]
mod transport;

#[rstest]
#[tokio::test]
async fn case(#[files("cases/**/*.json")] path: PathBuf) {
    // Arrange
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let case = Case::load(&manifest.join("cases"), &path).unwrap_or_else(|e| panic!("{e}"));
    let options = RunOptions::from_env()
        .cases_dir(manifest.join("cases"))
        .only(case.name.clone());
    let profile = options
        .clone()
        .build()
        .unwrap_or_else(|e| panic!("failed to {e}"))
        .profile_name();
    let options = options
        .snapshots(manifest.join("snapshots").join(&profile), false)
        .build()
        .unwrap_or_else(|e| panic!("failed to {e}"));
    let (options, _mock) = with_built_in_mock(options)
        .await
        .unwrap_or_else(|e| panic!("failed to {e}"));

    // Act
    let report = run(&options, |_| {})
        .await
        .unwrap_or_else(|e| panic!("failed to {e}"));

    // Assert
    assert!(
        report.cleanup.failed.is_empty(),
        "cleanup failed: {:?}",
        report.cleanup.failed
    );
    let [result] = report.cases.as_slice() else {
        panic!("the run holds {} cases, not 1", report.cases.len());
    };
    if let Some(reason) = &result.skip_reason {
        // A case that cannot run here (a second account not given, say) is not a pass: it
        // says so, and has no observation to compare.
        let _ = writeln!(std::io::stderr(), "case {} skipped: {reason}", case.name);
        return;
    }
    let broken: Vec<String> = result
        .failures
        .iter()
        .filter(|f| f.change_class().is_none())
        .map(ToString::to_string)
        .collect();
    assert!(
        broken.is_empty(),
        "case {} ({}) failed against {}:\n  {}",
        case.name,
        case.description,
        report.target.base_url,
        broken.join("\n  ")
    );
    // Drift, if any, shows as insta's diff (and waits for `cargo insta review`).
    // The baseline of `delete-files/valid-one-file` is
    // `snapshots/<profile>/delete-files/valid-one-file.snap`.
    let (folder, stem) = case
        .name
        .rsplit_once('/')
        .unwrap_or(("", case.name.as_str()));
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new("../snapshots").join(&profile).join(folder));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_sort_maps(true);
    settings.set_description(case.description.clone());
    settings.set_input_file(path.strip_prefix(manifest).unwrap_or(&path));
    settings.bind(|| insta::assert_json_snapshot!(stem, result.observation));
}
