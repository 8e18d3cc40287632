//! The lessons a profile is learned from, case by case.

use std::path::Path;

use serde_json::{Value, Value as Json, json};

use super::*;
use crate::contract::case::Case;
use crate::contract::profile::{
    Behaviours, EmptyList, PROFILE_SCHEMA_ID, PartlyUnknown, ResultsFileId, VendorProfile,
};
use crate::contract::situation::Situation;
use crate::result::{BatchAfter, Snapshot};

fn case(name: &str) -> Case {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    Case::load(&dir, &dir.join(format!("{name}.json"))).unwrap_or_else(|e| panic!("{e}"))
}

fn snapshot(status: u16, body: Value, batch: &[&str]) -> Snapshot {
    Snapshot {
        batches_after: vec![BatchAfter::Files(
            batch.iter().map(|s| (*s).to_owned()).collect(),
        )],
        body,
        content_type: Some("application/json".to_owned()),
        earlier_statuses: vec![],
        status,
    }
}

/// The mock's answer to a delete that empties its batch.
fn mock_deleted() -> Snapshot {
    snapshot(
        200,
        json!({"status": "success", "message": "Files deleted"}),
        &[],
    )
}

#[test]
fn a_refusal_is_learned_with_its_ids_as_a_template() {
    let case = case("delete-files/unknown-batch");
    let vendor = snapshot(
        400,
        json!({"status": "error", "message": "Invalid batchId extracta-contract-unknown-id in [classificationId]", "code": 7}),
        &["[fileId:0]", "[fileId:1]"],
    );
    let mock = snapshot(
        404,
        json!({"status": "error", "message": "x"}),
        &["[fileId:0]", "[fileId:1]"],
    );
    let profile = learn(
        &[Lesson {
            case: &case,
            vendor: &vendor,
            mock: &mock,
            situation: Some(&Situation::UnknownBatch),
        }],
        "snapshots/staging",
    );
    let learned = &profile.refusals["deleteFiles unknown-batch"];
    assert_eq!(learned.status, 400);
    assert_eq!(
        learned.message,
        "Invalid batchId {batchId} in {classificationId}"
    );
    assert_eq!(learned.extra.get("code"), Some(&json!(7)));
    assert!(profile.not_learned.is_empty());
}

#[test]
fn an_accepted_empty_list_and_a_partial_delete_are_behaviours() {
    let empty = case("delete-files/empty-file-ids");
    let partly = case("delete-files/partly-unknown-file-ids");
    let success = json!({"status": "success", "message": "Files deleted"});
    let refusal = json!({"status": "error", "message": "x"});
    let two = ["[fileId:0]", "[fileId:1]"];
    let lessons = [
        Lesson {
            case: &empty,
            vendor: &snapshot(200, success.clone(), &two),
            mock: &snapshot(400, refusal.clone(), &two),
            situation: Some(&Situation::EmptyFileIds),
        },
        Lesson {
            case: &partly,
            vendor: &snapshot(200, success, &["[fileId:1]", "[fileId:2]"]),
            mock: &snapshot(404, refusal, &["[fileId:0]", "[fileId:1]", "[fileId:2]"]),
            situation: Some(&Situation::PartlyUnknownFiles),
        },
    ];
    let profile = learn(&lessons, "b");
    assert_eq!(profile.behaviours.empty_file_ids, Some(EmptyList::Accept));
    assert_eq!(
        profile.behaviours.partly_unknown_file_ids,
        Some(PartlyUnknown::DeleteKnown)
    );
    assert!(profile.not_learned.is_empty(), "{:?}", profile.not_learned);
}

#[test]
fn an_added_field_and_a_reworded_success_are_learned_and_a_contradiction_is_reported() {
    let one = case("delete-files/valid-one-file");
    let several = case("delete-files/valid-several-files");
    let mock = mock_deleted();
    let vendor = snapshot(
        200,
        json!({"status": "success", "message": "Files deleted", "deleteAll": false}),
        &[],
    );
    let other = snapshot(200, json!({"status": "success", "message": "Deleted"}), &[]);
    let profile = learn(
        &[
            Lesson {
                case: &one,
                vendor: &vendor,
                mock: &mock,
                situation: None,
            },
            Lesson {
                case: &several,
                vendor: &other,
                mock: &mock,
                situation: None,
            },
        ],
        "b",
    );
    assert_eq!(
        profile.successes["deleteFiles"].set.get("deleteAll"),
        Some(&json!(false))
    );
    assert_eq!(
        profile.successes["deleteFiles"].learned_from,
        ["delete-files/valid-one-file"]
    );
    assert_eq!(profile.not_learned.len(), 1);
    assert_eq!(
        profile.not_learned[0].case,
        "delete-files/valid-several-files"
    );
    assert_eq!(
        profile.not_learned[0].reason,
        "the vendor's success here differs from its success in delete-files/valid-one-file"
    );
}

#[test]
fn an_id_in_a_field_cannot_be_made_alike_and_says_so() {
    let one_file = case("delete-files/valid-one-file");
    let mock = mock_deleted();
    let vendor = snapshot(
        200,
        json!({"status": "success", "message": "Files deleted", "batch": "[batchId:0]"}),
        &[],
    );
    let profile = one(&one_file, &vendor, &mock, None);
    assert!(profile.successes.is_empty());
    assert!(
        profile.not_learned[0].reason.contains("`batch`"),
        "{:?}",
        profile.not_learned
    );
}

#[test]
fn a_file_id_at_the_top_of_a_body_is_no_item_s_own_and_cannot_be_made_alike() {
    let one_file = case("delete-files/valid-one-file");
    let mock = mock_deleted();
    // Inside an item of `files`, the URL would become a template of the item's own id; at
    // the top of the body there is no item to fill it for.
    let vendor = snapshot(
        200,
        json!({"status": "success", "message": "Files deleted", "fileId": "[fileId:0]",
            "url": "https://files.example/[fileId:0]"}),
        &[],
    );
    let profile = one(&one_file, &vendor, &mock, None);
    assert!(profile.successes.is_empty(), "{:?}", profile.successes);
    assert!(
        profile.not_learned[0].reason.contains("`fileId`"),
        "{:?}",
        profile.not_learned
    );
}

fn one(
    case: &Case,
    vendor: &Snapshot,
    mock: &Snapshot,
    situation: Option<&Situation>,
) -> VendorProfile {
    learn(
        &[Lesson {
            case,
            vendor,
            mock,
            situation,
        }],
        "b",
    )
}

#[test]
fn a_status_that_carries_no_body_is_not_learned_and_says_why() {
    let refusal = json!({"status": "error", "message": "x"});
    let success = json!({"status": "success", "message": "Files deleted"});
    let two = ["[fileId:0]", "[fileId:1]"];
    let unknown = case("delete-files/unknown-batch");
    let empty = case("delete-files/empty-file-ids");
    let valid = case("delete-files/valid-one-file");
    let lessons = [
        // Refused by the mock, answered 304, 204 or 600 by the vendor.
        (
            &unknown,
            304,
            Json::Null,
            404,
            Some(Situation::UnknownBatch),
            "304",
        ),
        (
            &empty,
            204,
            Json::String(String::new()),
            400,
            Some(Situation::EmptyFileIds),
            "204",
        ),
        (
            &unknown,
            600,
            refusal.clone(),
            404,
            Some(Situation::UnknownBatch),
            "600",
        ),
        // A success the vendor answers 204.
        (&valid, 204, Json::String(String::new()), 200, None, "204"),
    ];
    for (case, status, body, mock_status, situation, named) in lessons {
        let vendor = snapshot(status, body, &two);
        let mock_body = if mock_status == 200 {
            success.clone()
        } else {
            refusal.clone()
        };
        let mock = snapshot(mock_status, mock_body, &two);
        let profile = one(case, &vendor, &mock, situation.as_ref());
        assert!(
            profile.refusals.is_empty() && profile.successes.is_empty(),
            "{profile:?}"
        );
        assert_eq!(profile.behaviours, Behaviours::default(), "{status}");
        assert_eq!(profile.not_learned.len(), 1, "{status}");
        assert!(
            profile.not_learned[0]
                .reason
                .contains(&format!("{named}, which a profile cannot hold")),
            "{:?}",
            profile.not_learned
        );
    }
}

#[test]
fn a_content_type_is_learned_byte_for_byte_unless_it_is_the_mocks_own() {
    let unknown = case("delete-files/unknown-batch");
    let two = ["[fileId:0]", "[fileId:1]"];
    let mut vendor = snapshot(
        400,
        json!({"status": "error", "message": "Invalid batchId"}),
        &two,
    );
    vendor.content_type = Some("application/json; charset=utf-8".to_owned());
    let mock = snapshot(404, json!({"status": "error", "message": "x"}), &two);
    let profile = one(&unknown, &vendor, &mock, Some(&Situation::UnknownBatch));
    assert_eq!(
        profile.refusals["deleteFiles unknown-batch"]
            .content_type
            .as_deref(),
        Some("application/json; charset=utf-8")
    );
    vendor.content_type = Some("application/json".to_owned());
    let profile = one(&unknown, &vendor, &mock, Some(&Situation::UnknownBatch));
    assert_eq!(
        profile.refusals["deleteFiles unknown-batch"].content_type,
        None
    );

    let valid = case("delete-files/valid-one-file");
    let body = json!({"status": "success", "message": "Files deleted"});
    let mut vendor = snapshot(200, body.clone(), &[]);
    vendor.content_type = Some("application/json;charset=UTF-8".to_owned());
    let profile = one(&valid, &vendor, &snapshot(200, body, &[]), None);
    let learned = &profile.successes["deleteFiles"];
    assert_eq!(
        learned.content_type.as_deref(),
        Some("application/json;charset=UTF-8")
    );
    assert!(learned.set.is_empty() && learned.remove.is_empty());
    assert_eq!(profile.schema.as_deref(), Some(PROFILE_SCHEMA_ID));
}

#[test]
fn a_field_inside_an_object_that_names_the_run_is_learned_by_its_pointer() {
    let case = case("view-classification/valid");
    let details = |created: bool| {
        let mut details = json!({"name": "extracta-contract run [runMarker]", "documentTypes": []});
        if created {
            details["createdAt"] = json!("[timestamp]");
        }
        details
    };
    let vendor = snapshot(
        200,
        json!({"status": "success", "classificationId": "[classificationId]", "classificationDetails": details(false), "region": "eu"}),
        &["[fileId:0]"],
    );
    let mock = snapshot(
        200,
        json!({"status": "success", "classificationId": "[classificationId]", "classificationDetails": details(true)}),
        &["[fileId:0]"],
    );
    let profile = one(&case, &vendor, &mock, None);
    let learned = &profile.successes["viewClassification"];
    assert_eq!(learned.remove, ["/classificationDetails/createdAt"]);
    assert_eq!(learned.set.get("region"), Some(&json!("eu")));
    assert!(
        !learned.set.contains_key("classificationDetails"),
        "{learned:?}"
    );
    assert!(profile.not_learned.is_empty(), "{:?}", profile.not_learned);
}

#[test]
fn what_get_results_does_with_a_file_id_is_learned() {
    let files = |ids: &[&str]| {
        json!({"status": "success", "classificationId": "[classificationId]", "batchId": "[batchId:0]",
            "files": ids.iter().map(|id| json!({"fileId": id, "status": "processed"})).collect::<Vec<_>>()})
    };
    let batch = ["[fileId:0]", "[fileId:1]"];
    let one_file = case("get-results/one-file");
    let vendor = snapshot(200, files(&batch), &batch);
    let mock = snapshot(200, files(&["[fileId:1]"]), &batch);
    let profile = one(&one_file, &vendor, &mock, None);
    assert_eq!(
        profile.behaviours.get_results_file_id,
        Some(ResultsFileId::Ignore)
    );
    assert!(profile.not_learned.is_empty(), "{:?}", profile.not_learned);

    let unknown = case("get-results/unknown-file");
    let vendor = snapshot(200, files(&[]), &batch);
    let mock = snapshot(404, json!({"status": "error", "message": "x"}), &batch);
    let profile = one(&unknown, &vendor, &mock, Some(&Situation::UnknownFile));
    assert_eq!(
        profile.behaviours.get_results_file_id,
        Some(ResultsFileId::FilterOrEmpty)
    );

    // Both at once contradict each other: the first is kept, the second reported by name.
    let ignoring = snapshot(200, files(&batch), &batch);
    let profile = learn(
        &[
            Lesson {
                case: &one_file,
                vendor: &ignoring,
                mock: &snapshot(200, files(&["[fileId:1]"]), &batch),
                situation: None,
            },
            Lesson {
                case: &unknown,
                vendor: &vendor,
                mock: &mock,
                situation: Some(&Situation::UnknownFile),
            },
        ],
        "b",
    );
    assert_eq!(
        profile.behaviours.get_results_file_id,
        Some(ResultsFileId::Ignore)
    );
    assert_eq!(
        profile.not_learned[0].reason,
        "the vendor treats getResults' fileId as `filter-or-empty` here and as `ignore` in an earlier case"
    );
}

#[test]
fn a_body_the_vendor_serves_though_the_schema_refuses_it_is_accepted() {
    let case = case("create-classification/document-types-as-object");
    let vendor = snapshot(
        200,
        json!({"status": "created", "classificationId": "[new:0]"}),
        &[],
    );
    let mock = snapshot(400, json!({"status": "error", "message": "x"}), &[]);
    let situation = Situation::InvalidBody {
        signature: Some("type:/classificationDetails/documentTypes".to_owned()),
    };
    let profile = one(&case, &vendor, &mock, Some(&situation));
    assert_eq!(
        profile
            .accepts
            .get("createClassification invalid-body type:/classificationDetails/documentTypes")
            .map(|a| a.learned_from.as_str()),
        Some("create-classification/document-types-as-object")
    );
}

#[test]
fn an_accepted_empty_list_or_partial_delete_that_did_something_else_is_not_learned() {
    let empty = case("delete-files/empty-file-ids");
    let partly = case("delete-files/partly-unknown-file-ids");
    let success = json!({"status": "success", "message": "Files deleted"});
    let refusal = json!({"status": "error", "message": "x"});
    let two = ["[fileId:0]", "[fileId:1]"];
    let lessons = [
        // An empty list that emptied the batch is no "accept".
        Lesson {
            case: &empty,
            vendor: &snapshot(200, success.clone(), &[]),
            mock: &snapshot(400, refusal.clone(), &two),
            situation: Some(&Situation::EmptyFileIds),
        },
        // A partly unknown list that deleted nothing is no "delete the known ones".
        Lesson {
            case: &partly,
            vendor: &snapshot(200, success, &two),
            mock: &snapshot(404, refusal, &two),
            situation: Some(&Situation::PartlyUnknownFiles),
        },
    ];
    let profile = learn(&lessons, "snapshots/staging");
    assert_eq!(profile.behaviours.empty_file_ids, None);
    assert_eq!(profile.behaviours.partly_unknown_file_ids, None);
    let cases: Vec<&str> = profile
        .not_learned
        .iter()
        .map(|n| n.case.as_str())
        .collect();
    assert_eq!(
        cases,
        [
            "delete-files/empty-file-ids",
            "delete-files/partly-unknown-file-ids"
        ]
    );
    assert_eq!(profile.learned_from.as_deref(), Some("snapshots/staging"));
}

#[test]
fn one_situation_answered_two_ways_is_learned_once_and_the_other_reported() {
    let batch = case("delete-files/unknown-batch");
    let classification = case("delete-files/batch-of-another-classification");
    let mock = snapshot(404, json!({"status": "error", "message": "x"}), &[]);
    let first = snapshot(404, json!({"status": "error", "message": "No batch"}), &[]);
    let second = snapshot(
        400,
        json!({"status": "error", "message": "No batch", "code": 7}),
        &[],
    );
    let lesson = |case, vendor| Lesson {
        case,
        vendor,
        mock: &mock,
        situation: Some(&Situation::UnknownBatch),
    };
    let profile = learn(
        &[lesson(&batch, &first), lesson(&classification, &second)],
        "b",
    );
    assert_eq!(profile.refusals["deleteFiles unknown-batch"].status, 404);
    assert_eq!(profile.not_learned.len(), 1, "{:?}", profile.not_learned);
    assert_eq!(
        profile.not_learned[0].case,
        "delete-files/batch-of-another-classification"
    );
    assert_eq!(
        profile.not_learned[0].reason,
        "the vendor answers 400 \"No batch\" with {\"status\":\"error\",\"code\":7} here and \
         404 \"No batch\" with {\"status\":\"error\"} in delete-files/unknown-batch, for what the mock takes as one situation \
         (deleteFiles unknown-batch)"
    );
    // The same answer twice is learned once, and nothing is reported.
    let profile = learn(
        &[lesson(&batch, &first), lesson(&classification, &first)],
        "b",
    );
    assert!(profile.not_learned.is_empty(), "{:?}", profile.not_learned);
}

#[test]
fn an_invalid_body_the_vendor_accepts_is_not_learned_when_it_changed_the_data() {
    let case = case("delete-files/file-ids-as-string");
    let situation = Situation::InvalidBody {
        signature: Some("type:/fileIds".to_owned()),
    };
    let vendor = snapshot(200, json!({"status": "success", "message": "ok"}), &[]);
    let mock = snapshot(
        400,
        json!({"status": "error", "message": "x"}),
        &["[fileId:0]"],
    );
    let profile = one(&case, &vendor, &mock, Some(&situation));
    assert!(profile.accepts.is_empty(), "{:?}", profile.accepts);
    assert_eq!(profile.not_learned.len(), 1);
}

#[test]
fn a_get_results_that_lists_what_the_mock_lists_teaches_nothing_of_its_file_id() {
    let body = |message: &str| {
        json!({"status": "success", "message": message, "classificationId": "[classificationId]",
            "batchId": "[batchId:0]", "files": [{"fileId": "[fileId:1]", "status": "processed"}]})
    };
    let batch = ["[fileId:0]", "[fileId:1]"];
    let profile = one(
        &case("get-results/one-file"),
        &snapshot(200, body("Here you are"), &batch),
        &snapshot(200, body("ok"), &batch),
        None,
    );
    assert_eq!(profile.behaviours.get_results_file_id, None);
    assert!(profile.not_learned.is_empty(), "{:?}", profile.not_learned);
}

#[test]
fn a_run_id_is_found_inside_lists_and_objects_of_a_value() {
    use super::specimen::is_named;
    assert!(is_named(&json!(["x", "[fileId:0]"])));
    assert!(is_named(&json!({"a": {"b": ["[batchId:1]"]}})));
    assert!(!is_named(&json!(["x", 1, null, {"a": "y"}])));
    assert!(!is_named(&json!(7)));
}

#[test]
fn an_id_a_list_of_the_request_named_becomes_its_entry_in_the_template() {
    let several = case("delete-files/valid-several-files");
    assert_eq!(
        super::template::template("Deleted [fileId:2] from [batchId:0]", &several),
        "Deleted {fileIds.1} from {batchId}"
    );
}
