//! The schedule of the committed cases, and the cap on deletes.

use std::path::Path;

use super::effects::{deletes_batches, deletes_of};
use super::schedule::Removal;
use super::*;
use crate::contract::case::{Auth, Case};
use crate::contract::endpoint::Endpoint;
use crate::suite::options::{RunOptions, RunOptionsBuilder};

fn cases() -> Vec<Case> {
    crate::contract::case::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn options() -> RunOptionsBuilder {
    RunOptions::builder()
        .base_url("https://api.example.invalid/api/v1")
        .api_key("first")
}

fn built(builder: RunOptionsBuilder) -> RunOptions {
    builder.build().unwrap_or_else(|e| panic!("{e}"))
}

fn with_second_account() -> RunOptions {
    built(options().second_api_key("second"))
}

#[test]
fn refusals_share_one_fixture_and_the_rest_get_their_own() {
    let cases = cases();
    let plan = Plan::new(&cases, &with_second_account());
    assert!(plan.units[0].shared);
    assert!(
        plan.units[1..]
            .iter()
            .all(|u| !u.shared && u.cases.len() == 1)
    );
    let shared: Vec<&str> = plan.units[0]
        .cases
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert!(shared.contains(&"delete-files/auth-missing"), "{shared:?}");
    assert!(
        !shared.contains(&"delete-files/valid-one-file"),
        "{shared:?}"
    );
    assert_eq!(
        plan.units.iter().map(|u| u.cases.len()).sum::<usize>(),
        cases.len()
    );
    assert!(plan.skipped.is_empty());
}

#[test]
fn the_steps_create_provision_send_read_back_and_clean_up() {
    let cases = cases();
    let plan = Plan::new(&cases, &with_second_account());
    let steps = plan.steps();
    assert!(matches!(
        steps.first(),
        Some(Step::CreateClassification { unit: None, .. })
    ));
    assert!(matches!(steps.last(), Some(Step::Cleanup(_))));
    let sends = steps
        .iter()
        .filter(|s| matches!(s, Step::Send { .. }))
        .count();
    let repeats: u32 = cases.iter().map(|c| c.request.repeat).sum();
    assert_eq!(sends, repeats as usize);
}

#[test]
fn a_reused_classification_is_never_deleted_only_its_new_batches() {
    let cases = cases();
    let options = built(
        options()
            .second_api_key("second")
            .classification_id(Some("theirs".to_owned())),
    );
    let plan = Plan::new(&cases, &options);
    let steps = plan.steps();
    let count = |matches: fn(&Step<'_>) -> bool| steps.iter().filter(|s| matches(s)).count();
    assert_eq!(
        count(|s| matches!(s, Step::Cleanup(Removal::RunClassification))),
        0
    );
    assert_eq!(count(|s| matches!(s, Step::CreateClassification { .. })), 0);
    let uploads = count(|s| matches!(s, Step::Upload { .. }));
    assert!(uploads > 0);
    // Every batch uploaded is deleted at the end, but for those a case deletes itself.
    let deleted_by_cases: usize = plan
        .units
        .iter()
        .flat_map(|u| &u.cases)
        .map(|c| deletes_batches(c).len())
        .sum();
    assert!(deleted_by_cases > 0);
    assert_eq!(
        uploads,
        count(|s| matches!(s, Step::Cleanup(Removal::Batch { .. }))) + deleted_by_cases
    );
    let lines = plan.describe("https://x/api/v1");
    assert!(
        lines.iter().all(|l| !(l.contains("/deleteClassification")
            && l.contains(r#""classificationId":"theirs""#))),
        "{lines:#?}"
    );
}

#[test]
fn without_a_second_account_its_cases_are_skipped_with_the_reason() {
    let cases = cases();
    let plan = Plan::new(&cases, &built(options()));
    let other: Vec<&str> = cases
        .iter()
        .filter(|c| c.request.auth == Auth::Other)
        .map(|c| c.name.as_str())
        .collect();
    assert!(!other.is_empty());
    let skipped: Vec<&str> = plan.skipped.iter().map(|(c, _)| c.name.as_str()).collect();
    assert_eq!(skipped, other);
    assert!(plan.skipped[0].1.to_string().contains("--second-api-key"));
}

#[test]
fn the_cap_on_deletes_holds_back_whole_cases_and_their_uploads() {
    let cases = cases();
    let options = built(options().second_api_key("second").max_deletes(Some(2)));
    let plan = Plan::new(&cases, &options);
    let sent: u64 = plan
        .units
        .iter()
        .flat_map(|u| &u.cases)
        .map(|c| deletes_of(c))
        .sum();
    assert!(sent <= 2, "{sent}");
    assert!(
        plan.skipped
            .iter()
            .all(|(_, why)| why.to_string().contains("--max-deletes 2"))
    );
    assert!(!plan.skipped.is_empty());
    let uploads = plan
        .steps()
        .iter()
        .filter(|s| matches!(s, Step::Upload { .. }))
        .count();
    assert_eq!(
        uploads,
        plan.units
            .iter()
            .map(|u| u.spec.batches.len())
            .sum::<usize>()
    );
}

/// A case of its own: `request` and `expect` as the case file writes them.
fn case(name: &str, request: &str, expect: &str) -> Case {
    let text = format!(
        r#"{{"description": "d", "fixture": {{"batches": [2]}}, "request": {request}, "expect": {expect}}}"#
    );
    Case::parse(std::path::Path::new("t.json"), name, &text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_post_to_a_destructive_path_counts_against_the_cap_as_the_send_does() {
    let cases = [case(
        "post-to-delete-files",
        r#"{"method": "POST", "path": "/documentClassification/deleteFiles", "json": {}}"#,
        r#"{"status": "4xx"}"#,
    )];
    let plan = Plan::new(&cases, &built(options().max_deletes(Some(0))));
    assert_eq!(plan.skipped.len(), 1, "{:?}", plan.skipped);
    assert!(plan.units.is_empty());
    assert!(
        !plan
            .steps()
            .iter()
            .any(|s| matches!(s, Step::Upload { .. }))
    );
}

#[test]
fn a_repeated_delete_counts_each_time_against_the_cap() {
    let cases = [case(
        "twice",
        r#"{"method": "DELETE", "path": "/documentClassification/deleteFiles", "json": {"classificationId": "{{classificationId}}", "batchId": "{{batchId}}", "fileIds": ["{{fileId:0}}"]}, "repeat": 2}"#,
        r#"{"status": [200, "4xx"], "deleted": [0]}"#,
    )];
    let capped = Plan::new(&cases, &built(options().max_deletes(Some(1))));
    assert_eq!(capped.skipped.len(), 1, "{:?}", capped.skipped);
    let room = Plan::new(&cases, &built(options().max_deletes(Some(2))));
    assert!(room.skipped.is_empty());
}

#[test]
fn a_get_results_of_a_fixture_batch_is_awaited_and_no_other_request_is() {
    use super::case_request::awaited;
    use crate::suite::fixture::{Fixture, FixtureBatch};
    use crate::suite::transport::request::Request;
    use crate::suite::vendor::Vendor;
    let fixture = Fixture {
        classification_ids: vec!["c0".into(), "c1".into()],
        batches: vec![
            FixtureBatch {
                classification: 0,
                id: "b0".into(),
            },
            FixtureBatch {
                classification: 1,
                id: "b1".into(),
            },
        ],
        ..Fixture::default()
    };
    let ours = |c: &str, b: &str| vec![(c.to_owned(), b.to_owned())];
    assert_eq!(
        awaited(&Vendor::results_request("c1", "b1"), &fixture),
        ours("c1", "b1")
    );
    assert_eq!(
        awaited(&Vendor::results_request("c0", "b0"), &fixture),
        ours("c0", "b0")
    );
    // A batch of the fixture named under another of its classifications is not one it made.
    assert!(awaited(&Vendor::results_request("c0", "b1"), &fixture).is_empty());
    assert!(awaited(&Vendor::results_request("c1", "b0"), &fixture).is_empty());
    assert!(awaited(&Vendor::results_request("c9", "b9"), &fixture).is_empty());
    let delete = Request::json(
        crate::contract::endpoint::Endpoint::DeleteBatch,
        &serde_json::json!({"classificationId": "c0", "batchId": "b0"}),
    );
    assert!(awaited(&delete, &fixture).is_empty());
}

fn committed(name: &str) -> Case {
    cases()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case {name}"))
}

#[test]
fn a_refusal_that_adds_nothing_shares_a_fixture_and_one_that_adds_does_not() {
    use super::effects::shareable;
    let refusal = committed("get-results/unknown-batch");
    assert!(shareable(&refusal));
    let mut adds_none = refusal.clone();
    adds_none.expect.added = vec![0];
    assert!(shareable(&adds_none));
    let mut adds_one = refusal;
    adds_one.expect.added = vec![1];
    assert!(!shareable(&adds_one));
    assert!(!shareable(&committed("delete-files/valid-one-file")));
}

#[test]
fn a_repeated_delete_deletes_its_batch_only_if_it_may_succeed() {
    use crate::contract::case::StatusPattern;
    let twice = committed("delete-batch/same-delete-twice");
    assert_eq!(deletes_batches(&twice), [0]);
    let mut always_refused = twice;
    always_refused.expect.status = vec![StatusPattern::Class(4)];
    assert!(deletes_batches(&always_refused).is_empty());
}

#[test]
fn only_an_upload_that_names_no_batch_and_must_succeed_creates_one() {
    use super::effects::creates_batch;
    assert!(creates_batch(&committed("upload-files/new-batch")));
    assert!(!creates_batch(&committed("upload-files/into-batch")));
    assert!(!creates_batch(&committed("upload-files/not-multipart")));
    assert!(!creates_batch(&committed(
        "upload-files/unknown-classification"
    )));
    assert!(!creates_batch(&committed("delete-files/valid-one-file")));
}

#[test]
fn a_unit_is_named_by_its_case_or_as_a_shared_fixture() {
    use crate::contract::case::FixtureSpec;
    let (a, b) = (
        committed("get-results/unknown-batch"),
        committed("get-results/valid"),
    );
    fn unit<'a>(cases: Vec<&'a Case>, shared: bool) -> Unit<'a> {
        Unit {
            cases,
            spec: FixtureSpec::of(&[1]),
            shared,
        }
    }
    assert_eq!(unit(vec![&a], false).label(), "get-results/unknown-batch");
    assert_eq!(unit(vec![&a], true).label(), "shared fixture");
    assert_eq!(unit(vec![&a, &b], true).label(), "shared fixture");
}

#[test]
fn a_unit_s_own_classification_is_read_back_once_when_created_and_not_again_before_its_delete() {
    let text = r#"{"description": "d", "fixture": {"batches": [1, {"files": 1, "classification": 1}]},
        "request": {"method": "DELETE", "path": "/documentClassification/deleteClassification",
        "json": {"classificationId": "{{classificationId:1}}"}},
        "expect": {"status": 200}}"#;
    let parse = |name: &str| {
        Case::parse(Path::new(&format!("cases/{name}.json")), name, text)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let cases = [
        parse("delete-classification/a"),
        parse("delete-classification/b"),
    ];
    let plan = Plan::new(&cases, &built(options()));
    let reads: Vec<(String, Endpoint)> = plan
        .requests()
        .into_iter()
        .filter_map(|(label, request)| Some((label.unwrap_or_default(), request.endpoint()?)))
        .filter(|(_, endpoint)| {
            matches!(
                endpoint,
                Endpoint::CreateClassification
                    | Endpoint::ViewClassification
                    | Endpoint::DeleteClassification
            )
        })
        .collect();
    let unit = |name: &str| {
        [
            Endpoint::CreateClassification,
            Endpoint::ViewClassification,
            Endpoint::DeleteClassification,
        ]
        .map(|endpoint| (format!("delete-classification/{name}"), endpoint))
    };
    // The run's classification, then each unit's: created, read back, deleted by the case.
    let mut expected = vec![
        (String::new(), Endpoint::CreateClassification),
        (String::new(), Endpoint::ViewClassification),
    ];
    expected.extend(unit("a"));
    expected.extend(unit("b"));
    let found: Vec<_> = reads.iter().take(expected.len()).cloned().collect();
    assert_eq!(found, expected, "{reads:?}");
}
