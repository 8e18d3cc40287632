//! Options as the builder makes them, and what it refuses.

use std::time::Duration;

use super::builder::without_userinfo;
use super::*;
use crate::contract::endpoint::Endpoint;
use crate::contract::profile::VendorProfile;

#[test]
fn the_user_name_and_password_of_a_url_are_found_and_left_out() {
    assert_eq!(
        without_userinfo("https://u:p@host:8443/api/v1?x=@y").as_deref(),
        Some("https://host:8443/api/v1?x=@y")
    );
    assert_eq!(
        without_userinfo("u:p@host/api").as_deref(),
        Some("host/api")
    );
    assert_eq!(without_userinfo("https://host/api/@v1"), None);
    assert_eq!(without_userinfo("https://host"), None);
}

fn refusal(builder: RunOptionsBuilder) -> String {
    builder
        .build()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

fn remote() -> RunOptionsBuilder {
    RunOptions::builder()
        .base_url("https://api.example.invalid/api/v1")
        .api_key("k")
}

#[test]
fn a_set_but_empty_url_or_key_is_refused() {
    assert!(refusal(remote().base_url("")).contains("set but empty"));
    assert!(refusal(remote().api_key(" ")).contains("EXTRACTA_API_KEY"));
    assert!(refusal(remote().second_api_key("")).contains("EXTRACTA_SECOND_API_KEY"));
    assert!(refusal(remote().profile("")).contains("EXTRACTA_PROFILE"));
}

#[test]
fn a_live_target_needs_a_key() {
    let without = RunOptions::builder().base_url("https://api.example.invalid/api/v1");
    assert!(refusal(without).contains("an API key is needed"));
    // The built-in mock has keys of its own.
    assert!(RunOptions::builder().build().is_ok());
}

#[test]
fn a_profile_on_the_built_in_mock_must_be_meant() {
    assert!(refusal(RunOptions::builder().profile("staging")).contains("--built-in-mock"));
    let meant = RunOptions::builder().profile("staging").built_in_mock(true);
    assert!(meant.build().is_ok());
    assert!(RunOptions::builder().profile("mock").build().is_ok());
}

#[test]
fn an_unknown_pace_endpoint_is_refused_naming_the_known_ones() {
    let error = refusal(remote().pace("getResult", Duration::ZERO));
    assert!(
        error.contains("getResult") && error.contains("getResults"),
        "{error}"
    );
    let options = remote().pace("getResults", Duration::ZERO).build();
    assert!(options.is_ok_and(|o| o.pace() == [(Endpoint::GetResults, Duration::ZERO)]));
}

#[test]
fn the_same_key_for_both_accounts_is_refused() {
    assert!(refusal(remote().second_api_key("k")).contains("second account"));
}

#[test]
fn a_vendor_profile_is_for_the_built_in_mock_only() {
    let like = remote().mock_like(Some(VendorProfile::default()));
    assert!(refusal(like).contains("only the built-in mock"));
}

#[test]
fn the_baseline_is_one_of_its_modes() {
    let baseline = |b: RunOptionsBuilder| b.build().map(|o| o.baseline).ok();
    assert_eq!(baseline(RunOptions::builder()), Some(Baseline::None));
    assert_eq!(
        baseline(RunOptions::builder().snapshots("s", false).prune(true)),
        Some(Baseline::Compare {
            dir: "s".into(),
            prune: true
        })
    );
    assert_eq!(
        baseline(RunOptions::builder().snapshots("s", true).force(true)),
        Some(Baseline::Update {
            dir: "s".into(),
            force: true,
            prune: false
        })
    );
    assert_eq!(
        baseline(RunOptions::builder().inspect_snapshots("s").prune(true)),
        Some(Baseline::Inspect { dir: "s".into() })
    );
    assert!(refusal(RunOptions::builder().force(true)).contains("--update-snapshots"));
}

#[test]
fn no_key_shows_in_the_debug_of_options_or_their_builder() {
    let builder = remote()
        .api_key("sk-live-debug-5e1f")
        .second_api_key("sk-second-debug-9a2b");
    let shown = format!("{builder:?}");
    let options = builder.build().unwrap_or_else(|e| panic!("{e}"));
    let mock = RunOptions::builder()
        .api_key("sk-live-debug-5e1f")
        .second_api_key("sk-second-debug-9a2b")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    for text in [
        shown,
        format!("{options:?}"),
        format!("{:?}", options.target()),
        format!("{mock:?}"),
        format!("{:#?}", mock.target()),
    ] {
        assert!(
            !text.contains("sk-live-debug-5e1f") && !text.contains("sk-second-debug-9a2b"),
            "{text}"
        );
        assert!(text.contains("[REDACTED]"), "{text}");
    }
}

#[test]
fn the_built_in_mock_files_under_mock_and_a_live_target_under_its_host() {
    let built_in = RunOptions::builder().build().map(|o| o.profile_name());
    assert_eq!(built_in.ok().as_deref(), Some(MOCK_PROFILE));
    let live = remote().build().map(|o| o.profile_name());
    assert_eq!(live.ok().as_deref(), Some("api.example.invalid"));
}
