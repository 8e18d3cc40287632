//! An abstract [`Action`] made concrete against the model: a [`Case`] like those in `cases/`
//! (its request with placeholders, its fixture, what the contract says must come back) and
//! the [`Fixture`] of real ids the placeholders stand for. The suite's own code then builds the
//! wire request from them and judges the answer, so a finding saved as a case file sends the
//! same request and is held to the same checks.
//!
//! What a request that deletes may carry is kept safe here: its ids are the run's (from the
//! model), the id that exists nowhere, or an odd string that names nothing (built on that id,
//! or empty, whitespace or control characters only); never a climbing path, percent-escapes or
//! JSON-looking text, and never a number where an id belongs.

use std::path::PathBuf;

use serde_json::{Map, Value, json};

use super::description::describe;
use super::generate::{
    Action, Body, Content, DocumentTypes, Extra, FileList, Pick, Shape, WrongType,
};
use super::layout::Layout;
use super::model::AccountState;
use super::odd_value::{nowhere, odd_text, wrong_value};
use super::oracle::expect;
use super::resolver::{Kind, Resolution, Resolver};
use crate::contract::case::{BodySpec, Case, RequestSpec};
use crate::contract::endpoint::{Endpoint, MediaType};
use crate::suite::fixture::Fixture;

/// The most non-empty batches the explorer lets one classification hold: an upload of a new
/// batch past it is not sent.
pub const MAX_BATCHES_PER_CLASSIFICATION: usize = 3;
/// The most files the explorer lets one batch hold: an upload into it past it is not sent.
pub const MAX_FILES_PER_BATCH: usize = 12;

/// An action made concrete.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The case: request with placeholders, fixture, what must come back.
    pub case: Case,
    /// The ids the placeholders stand for.
    pub fixture: Fixture,
    /// How many of the fixture's batches the request names (they come first): what a refusal
    /// must have left alone is read back from them, what a success did from every batch.
    pub named: usize,
}

/// The name of a classification the run creates, as a case writes it.
fn created_name() -> String {
    "extracta-contract explore {{runMarker}}".to_owned()
}

/// The document types of a classification the run creates.
fn document_types(types: DocumentTypes) -> Option<Value> {
    let invoice = json!({"name": "Invoice", "description": "Commercial invoice.",
                         "uniqueWords": ["invoice number", "bill to"]});
    match types {
        DocumentTypes::Plain => Some(json!([invoice])),
        DocumentTypes::AsObject => Some(invoice),
        DocumentTypes::Empty => Some(json!([])),
        DocumentTypes::Missing => None,
    }
}

/// `value` as a form field's text: strings as they are, anything else as JSON.
fn form_text(value: Value) -> String {
    match value {
        Value::String(text) => text,
        other => other.to_string(),
    }
}

/// `action` against `account` (whose data it names), its created names carrying `marker`;
/// `None` when it cannot be sent as generated (an upload past the explorer's bounds).
pub fn resolve(action: &Action, account: &AccountState, marker: &str) -> Option<Resolved> {
    let deletes = action.endpoint.is_destructive();
    let resolver = Resolver {
        account,
        action,
        deletes,
    };
    let id = |pick: Pick, kind: Kind| resolver.resolve(pick, kind, 0);
    // The fields, resolved, in the order the body writes them.
    let mut fields: Vec<(&str, Resolution)> = Vec::new();
    let mut file_ids: Option<(Vec<Resolution>, Shape)> = None;
    let mut upload_files = 0;
    match &action.body {
        Body::Create { .. } => {}
        Body::View { classification } | Body::DeleteClassification { classification } => {
            fields.push((
                "classificationId",
                id(*classification, Kind::Classification),
            ));
        }
        Body::Upload {
            classification,
            batch,
            files,
        } => {
            let classification = id(*classification, Kind::Classification);
            let batch = id(*batch, Kind::Batch);
            if !within_bounds(account, &classification, &batch, *files) {
                return None;
            }
            fields.push(("classificationId", classification));
            fields.push(("batchId", batch));
            upload_files = *files;
        }
        Body::Results {
            classification,
            batch,
            file,
        } => {
            fields.push((
                "classificationId",
                id(*classification, Kind::Classification),
            ));
            fields.push(("batchId", id(*batch, Kind::Batch)));
            fields.push(("fileId", id(*file, Kind::File)));
        }
        Body::DeleteBatch {
            classification,
            batch,
        } => {
            fields.push((
                "classificationId",
                id(*classification, Kind::Classification),
            ));
            fields.push(("batchId", id(*batch, Kind::Batch)));
        }
        Body::DeleteFiles {
            classification,
            batch,
            files,
        } => {
            fields.push((
                "classificationId",
                id(*classification, Kind::Classification),
            ));
            fields.push(("batchId", id(*batch, Kind::Batch)));
            let FileList { items, shape } = files;
            let items = items
                .iter()
                .enumerate()
                .map(|(n, pick)| resolver.resolve(*pick, Kind::File, n))
                .collect();
            file_ids = Some((items, *shape));
        }
    }
    let extra_file = match action.extra {
        Extra::FileId(n) => Some(resolver.resolve(Pick::Anchor, Kind::File, n + 1)),
        Extra::None | Extra::Unknown(_) => None,
    };
    let mut named: Vec<&Resolution> = fields.iter().map(|(_, r)| r).collect();
    if let Some((items, _)) = &file_ids {
        named.extend(items);
    }
    named.extend(&extra_file);
    let layout = Layout::new(account, &named);
    let value = |resolution: &Resolution| layout.value(account, resolution);

    let mut object = Map::new();
    if let Body::Create {
        name,
        document_types: types,
    } = &action.body
    {
        let mut details = Map::new();
        let name = match name {
            Pick::Missing => None,
            Pick::Odd(odd) => odd_text(*odd, false).map(Value::String),
            Pick::WrongType(wrong) => Some(wrong_value(*wrong, false)),
            Pick::Anchor | Pick::Real(_) | Pick::Unknown => Some(Value::String(created_name())),
        };
        if let Some(name) = name {
            details.insert("name".to_owned(), name);
        }
        // The description always carries the marker: whatever the target makes of the name,
        // the run can prove the classification its own, and delete it.
        details.insert(
            "description".to_owned(),
            Value::String(
                "Created by extracta-contract explore (run {{runMarker}}); deleted at the end of its run."
                    .to_owned(),
            ),
        );
        if let Some(types) = document_types(*types) {
            details.insert("documentTypes".to_owned(), types);
        }
        object.insert("classificationDetails".to_owned(), Value::Object(details));
    }
    for (name, resolution) in &fields {
        if let Some(v) = value(resolution) {
            object.insert((*name).to_owned(), v);
        }
    }
    if let Some((items, shape)) = &file_ids {
        let mut list: Vec<Value> = items.iter().filter_map(value).collect();
        let ids = match shape {
            Shape::AsIs => Some(Value::Array(list)),
            Shape::Duplicate(n) => {
                if !list.is_empty() {
                    let again = list[n % list.len()].clone();
                    list.push(again);
                }
                Some(Value::Array(list))
            }
            Shape::Long(n) => {
                list.extend((0..*n).map(|k| Value::String(nowhere(&format!("-{k}"), None))));
                Some(Value::Array(list))
            }
            Shape::Missing => None,
            // A list's first id as a bare string, as a client that forgot the brackets sends.
            Shape::NotAList(WrongType::List) => Some(
                list.into_iter()
                    .next()
                    .unwrap_or_else(|| Value::String(nowhere("", None))),
            ),
            Shape::NotAList(wrong) => Some(wrong_value(*wrong, deletes)),
        };
        if let Some(ids) = ids {
            object.insert("fileIds".to_owned(), ids);
        }
    }
    match action.extra {
        Extra::None => {}
        Extra::Unknown(odd) => {
            let text = odd_text(odd, deletes).unwrap_or_else(|| nowhere("", None));
            object.insert("extractaContractProbe".to_owned(), Value::String(text));
        }
        Extra::FileId(_) => {
            if let Some(file) = extra_file.as_ref().and_then(value) {
                object.insert("fileId".to_owned(), file);
            }
        }
    }

    let json_type = MediaType::Json.as_str().to_owned();
    let (content_type, body) = if action.endpoint == Endpoint::UploadFiles {
        if action.content == Content::NotMultipart {
            (Some(json_type), BodySpec::Json(Value::Object(object)))
        } else {
            let fields = object
                .into_iter()
                .map(|(name, value)| (name, form_text(value)))
                .collect();
            (
                None,
                BodySpec::Form {
                    fields,
                    files: upload_files,
                },
            )
        }
    } else {
        let document = Value::Object(object);
        match action.content {
            Content::Json | Content::NotMultipart => (Some(json_type), BodySpec::Json(document)),
            Content::JsonUtf8 => (
                Some(format!("{json_type}; charset=utf-8")),
                BodySpec::Json(document),
            ),
            Content::TextPlain => (Some("text/plain".to_owned()), BodySpec::Json(document)),
            Content::NoContentType => (None, BodySpec::Json(document)),
            Content::NoBody => (Some(json_type), BodySpec::None),
            Content::Malformed => {
                let mut text = document.to_string();
                text.pop();
                (Some(json_type), BodySpec::Raw(text))
            }
            Content::NotAnObject => (Some(json_type), BodySpec::Json(json!([document]))),
        }
    };
    let request = RequestSpec {
        method: action.endpoint.method(),
        path: action.endpoint.path().to_owned(),
        auth: action.auth,
        content_type,
        body,
        repeat: 1,
    };
    let (spec, fixture) = layout.fixture(account, marker);
    let expect = expect(&request, &spec);
    let case = Case {
        name: format!("explore/{}", action.endpoint),
        path: PathBuf::from("explore"),
        description: describe(action),
        fixture: spec,
        request,
        expect,
    };
    Some(Resolved {
        case,
        fixture,
        named: layout.named,
    })
}

/// Whether an upload stays within the explorer's bounds on what one classification and one
/// batch hold.
fn within_bounds(
    account: &AccountState,
    classification: &Resolution,
    batch: &Resolution,
    files: usize,
) -> bool {
    match (classification, batch) {
        (_, Resolution::Batch((c, b))) => account
            .batch(*c, *b)
            .is_none_or(|batch| batch.files.len() + files <= MAX_FILES_PER_BATCH),
        (Resolution::Classification(c), Resolution::Missing) => {
            let held = account.batches().iter().filter(|(bc, _)| bc == c).count();
            held < MAX_BATCHES_PER_CLASSIFICATION
        }
        _ => true,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;

    use super::*;
    use crate::suite::explore::explorer::runner;
    use crate::suite::explore::generate::sequence;
    use crate::suite::explore::model::Owner;
    use crate::suite::ledger::{Ledger, is_nowhere};
    use crate::suite::ownership::Marker;
    use crate::suite::plan::case_request;
    use crate::suite::transport::request::Body as WireBody;

    /// An account of 1 to 3 classifications (the first its home), each with up to 3 batches
    /// of up to 4 files, every id unique.
    fn account() -> impl Strategy<Value = AccountState> {
        prop::collection::vec(prop::collection::vec(0..=4_usize, 0..=3), 1..=3).prop_map(
            |classifications| {
                let mut account = AccountState::default();
                let mut n = 0;
                for (c, batches) in classifications.iter().enumerate() {
                    let id = format!("cls-{c}");
                    account.add_classification(&id, c == 0);
                    for files in batches {
                        n += 1;
                        let batch = format!("batch-{n}");
                        let ids: Vec<String> =
                            (0..*files).map(|f| format!("file-{n}-{f}")).collect();
                        account.add_files(&id, &batch, &ids);
                    }
                }
                account
            },
        )
    }

    /// Every string of `value`, keys included.
    fn strings(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(s) => out.push(s.clone()),
            Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            Value::Object(map) => map.iter().for_each(|(k, v)| {
                out.push(k.clone());
                strings(v, out);
            }),
            _ => {}
        }
    }

    /// Whether `value` holds an integer anywhere.
    fn has_integer(value: &Value) -> bool {
        match value {
            Value::Number(n) => n.is_i64() || n.is_u64(),
            Value::Array(items) => items.iter().any(has_integer),
            Value::Object(map) => map.values().any(has_integer),
            _ => false,
        }
    }

    /// The request schema of `endpoint`, from `schemas/`.
    fn request_schema(endpoint: Endpoint) -> Value {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas")
            .join(format!("{}.json", endpoint.request_schema()));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_default()).unwrap_or_default()
    }

    /// A home classification with batch-0 (file-0, file-1), a spare one with batch-1 (file-2).
    pub(in crate::suite::explore) fn sample_account() -> AccountState {
        let mut account = AccountState::default();
        account.add_classification("cls-home", true);
        account.add_classification("cls-spare", false);
        account.add_files("cls-home", "batch-0", &["file-0".into(), "file-1".into()]);
        account.add_files("cls-spare", "batch-1", &["file-2".into()]);
        account
    }

    #[test]
    fn an_upload_stays_within_three_batches_a_classification_and_twelve_files_a_batch() {
        let mut account = AccountState::default();
        account.add_classification("cls", true);
        let new_batch = |account: &AccountState| {
            within_bounds(
                account,
                &Resolution::Classification(0),
                &Resolution::Missing,
                1,
            )
        };
        for n in 0..MAX_BATCHES_PER_CLASSIFICATION {
            assert!(new_batch(&account), "{n} batches held");
            let files: Vec<String> = (0..11).map(|f| format!("file-{n}-{f}")).collect();
            account.add_files("cls", &format!("batch-{n}"), &files);
        }
        assert!(!new_batch(&account), "a fourth batch");
        // Batch 0 holds 11 files: one more fits, two do not.
        let batch = Resolution::Batch((0, 0));
        let classification = Resolution::Classification(0);
        assert!(within_bounds(&account, &classification, &batch, 1));
        assert!(!within_bounds(&account, &classification, &batch, 2));
        // A batch of 5: seven more fit, eight do not.
        let mut small = AccountState::default();
        small.add_classification("cls", true);
        let files: Vec<String> = (0..5).map(|f| format!("file-{f}")).collect();
        small.add_files("cls", "batch", &files);
        assert!(within_bounds(&small, &classification, &batch, 7));
        assert!(!within_bounds(&small, &classification, &batch, 8));
    }

    #[test]
    fn a_file_of_another_batch_is_named_by_its_own_number_in_the_fixture() {
        // The anchor is the home's batch-0 (file-0); file-2 is in the spare's batch-1.
        let mut action = Action::plain(Endpoint::DeleteFiles);
        action.body = Body::DeleteFiles {
            classification: Pick::Anchor,
            batch: Pick::Anchor,
            files: FileList {
                items: vec![Pick::Real(2), Pick::Anchor],
                shape: Shape::AsIs,
            },
        };
        let resolved = resolve(&action, &sample_account(), "xc-0123456789abcdef")
            .unwrap_or_else(|| panic!("not sent"));
        let BodySpec::Json(body) = &resolved.case.request.body else {
            panic!("{:?}", resolved.case.request.body);
        };
        let body = resolved.fixture.fill_json(body);
        assert_eq!(body["batchId"], "batch-0", "{body}");
        assert_eq!(body["fileIds"], json!(["file-2", "file-0"]), "{body}");
    }

    #[test]
    fn a_file_id_beside_file_ids_names_a_file_of_the_batch_the_list_does_not() {
        // The anchor holds both files of batch-0; the list names its first.
        let mut action = Action::plain(Endpoint::DeleteFiles);
        action.anchor.files = vec![0, 1];
        action.extra = Extra::FileId(0);
        let resolved = resolve(&action, &sample_account(), "xc-0123456789abcdef")
            .unwrap_or_else(|| panic!("not sent"));
        let BodySpec::Json(body) = &resolved.case.request.body else {
            panic!("{:?}", resolved.case.request.body);
        };
        let body = resolved.fixture.fill_json(body);
        assert_eq!(body["fileIds"], json!(["file-0"]), "{body}");
        assert_eq!(body["fileId"], "file-1", "{body}");
    }

    #[test]
    fn a_plain_request_of_every_endpoint_is_valid_by_its_schema_and_expected_to_succeed() {
        let schemas = crate::contract::schema::SchemaSet::global();
        let account = sample_account();
        for endpoint in Endpoint::ALL {
            let resolved = resolve(&Action::plain(endpoint), &account, "xc-0123456789abcdef")
                .unwrap_or_else(|| panic!("{endpoint}: not sent"));
            let expected = &resolved.case.expect.status;
            assert!(
                expected.iter().any(|p| p.matches(200)) && !expected.iter().any(|p| p.matches(400)),
                "{endpoint}: {expected:?}"
            );
            let BodySpec::Json(body) = &resolved.case.request.body else {
                assert_eq!(endpoint, Endpoint::UploadFiles);
                continue;
            };
            let body = resolved.fixture.fill_json(body);
            let violations = schemas
                .check(endpoint.request_schema(), &body)
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(violations.is_empty(), "{endpoint}: {body}: {violations:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Every field a generated request sends is one its endpoint's request schema names,
        /// or one of the explorer's own (an unknown field, a singular fileId beside fileIds).
        #[test]
        fn generated_requests_send_the_fields_of_their_schemas(seed in any::<u64>()) {
            let account = sample_account();
            let mut runner = runner(seed);
            let tree = sequence(true).new_tree(&mut runner).map_err(|e| TestCaseError::fail(e.to_string()))?;
            for action in tree.current() {
                let Some(resolved) = resolve(&action, &account, "xc-0123456789abcdef") else {
                    continue;
                };
                let schema = request_schema(action.endpoint);
                let fields: Vec<String> = match &resolved.case.request.body {
                    BodySpec::Json(Value::Object(object)) => object.keys().cloned().collect(),
                    BodySpec::Form { fields, .. } => fields.iter().map(|(name, _)| name.clone()).collect(),
                    _ => Vec::new(),
                };
                for field in fields {
                    prop_assert!(
                        schema["properties"].get(&field).is_some()
                            || field == "extractaContractProbe"
                            || (field == "fileId" && action.endpoint == Endpoint::DeleteFiles),
                        "{}: {}", action.endpoint, field
                    );
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever the seed and whatever the account holds, a generated request that deletes
        /// names only what the run created or what names nothing, carries nothing a server
        /// could take for another id, and the ledger lets it go.
        #[test]
        fn no_generated_delete_names_an_id_the_run_did_not_create(
            seed in any::<u64>(),
            first in account(),
            second in account(),
        ) {
            let marker = Marker::new();
            let ledger = Ledger::default();
            let mut created: Vec<String> = Vec::new();
            for account in [&first, &second] {
                for classification in &account.classifications {
                    let _ = ledger.record_classification(&classification.id);
                    created.push(classification.id.clone());
                    for batch in &classification.batches {
                        let _ = ledger.record_batch(&classification.id, &batch.id);
                        created.push(batch.id.clone());
                        for file in &batch.files {
                            ledger.record_file(file, &classification.id, &batch.id);
                            created.push(file.clone());
                        }
                    }
                }
            }
            let mut runner = runner(seed);
            let strategy = sequence(true);
            let mut deletes = 0;
            for _ in 0..8 {
                let tree = strategy.new_tree(&mut runner).map_err(|e| TestCaseError::fail(e.to_string()))?;
                for action in tree.current() {
                    let account = if action.owner == Owner::First { &first } else { &second };
                    let Some(resolved) = resolve(&action, account, &marker.to_string()) else {
                        continue;
                    };
                    let request = case_request(&resolved.case, &resolved.fixture, &marker);
                    if !request.is_destructive() {
                        continue;
                    }
                    deletes += 1;
                    let WireBody::Bytes(bytes) = &request.body else {
                        continue;
                    };
                    let text = String::from_utf8_lossy(bytes).into_owned();
                    // A body cut short is read as a lenient parser would complete it.
                    let body: Option<Value> = serde_json::from_str(&text)
                        .or_else(|_| serde_json::from_str(&format!("{text}}}")))
                        .ok();
                    let Some(body) = body else { continue };
                    let mut named = Vec::new();
                    strings(&body, &mut named);
                    for s in named.iter().filter(|s| !matches!(s.as_str(),
                        "classificationId" | "batchId" | "fileIds" | "fileId" | "extractaContractProbe"))
                    {
                        prop_assert!(created.contains(s) || is_nowhere(s), "{} names {:?}: {}", action.endpoint, s, text);
                        prop_assert!(!s.contains("../") && !s.contains('%') && !s.starts_with('{'), "{}", text);
                    }
                    prop_assert!(!has_integer(&body), "{}", text);
                    prop_assert!(ledger.authorise(&request).is_ok(), "{}", text);
                }
            }
            prop_assert!(deletes > 0);
        }
    }
}
