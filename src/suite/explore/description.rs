//! What a generated action does, in a few words: its endpoint, its credential and what is odd
//! about it. A finding's case file carries it as its description.

use super::generate::{Action, Body, Content, DocumentTypes, Extra, Pick, Shape};
use super::model::Owner;

/// What an action does, in a few words: its endpoint, credential and what is odd about it.
pub(super) fn describe(action: &Action) -> String {
    let mut odd: Vec<String> = Vec::new();
    // An optional field (uploadFiles' batchId, getResults' fileId) may be absent.
    let mut note = |pick: &Pick, field: &str| match pick {
        Pick::Anchor => {}
        Pick::Missing if matches!(field, "fileId" | "an optional batchId") => {}
        Pick::Real(_) => odd.push(format!("{field} naming another of the account's ids")),
        Pick::Unknown => odd.push(format!("{field} naming nothing")),
        Pick::Odd(o) => odd.push(format!("{field} of {}", o.label())),
        Pick::WrongType(_) => odd.push(format!("{field} of the wrong type")),
        Pick::Missing => odd.push(format!("no {field}")),
    };
    match &action.body {
        Body::Create {
            name,
            document_types,
        } => {
            note(name, "name");
            match document_types {
                DocumentTypes::Plain => {}
                DocumentTypes::AsObject => odd.push("documentTypes an object".to_owned()),
                DocumentTypes::Empty => odd.push("documentTypes empty".to_owned()),
                DocumentTypes::Missing => odd.push("no documentTypes".to_owned()),
            }
        }
        Body::View { classification } | Body::DeleteClassification { classification } => {
            note(classification, "classificationId");
        }
        Body::Upload {
            classification,
            batch,
            ..
        } => {
            note(classification, "classificationId");
            note(batch, "an optional batchId");
        }
        Body::Results {
            classification,
            batch,
            file,
        } => {
            note(classification, "classificationId");
            note(batch, "batchId");
            note(file, "fileId");
        }
        Body::DeleteBatch {
            classification,
            batch,
        } => {
            note(classification, "classificationId");
            note(batch, "batchId");
        }
        Body::DeleteFiles {
            classification,
            batch,
            files,
        } => {
            note(classification, "classificationId");
            note(batch, "batchId");
            for item in &files.items {
                note(item, "a fileIds entry");
            }
            match files.shape {
                Shape::AsIs => {}
                Shape::Duplicate(_) => odd.push("a fileIds entry twice".to_owned()),
                Shape::Long(n) => odd.push(format!("{n} more unknown fileIds")),
                Shape::Missing => odd.push("no fileIds".to_owned()),
                Shape::NotAList(_) => odd.push("fileIds not a list".to_owned()),
            }
        }
    }
    match action.content {
        Content::Json => {}
        Content::JsonUtf8 => odd.push("charset=utf-8".to_owned()),
        Content::TextPlain => odd.push("Content-Type text/plain".to_owned()),
        Content::NoContentType => odd.push("no Content-Type".to_owned()),
        Content::NoBody => odd.push("no body".to_owned()),
        Content::Malformed => odd.push("JSON cut short".to_owned()),
        Content::NotAnObject => odd.push("a list for a body".to_owned()),
        Content::NotMultipart => odd.push("JSON, not a form".to_owned()),
    }
    match action.extra {
        Extra::None => {}
        Extra::Unknown(_) => odd.push("an unknown field".to_owned()),
        Extra::FileId(_) => odd.push("a fileId beside fileIds".to_owned()),
    }
    let whose = match (action.owner, action.auth) {
        (Owner::Second, _) => " on the second account's data",
        _ => "",
    };
    let mut text = format!("{} with auth {}{whose}", action.endpoint, action.auth);
    if !odd.is_empty() {
        text.push_str(": ");
        text.push_str(&odd.join(", "));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::case::Auth;
    use crate::contract::endpoint::Endpoint;
    use crate::suite::explore::generate::{FileList, Odd, WrongType};

    fn delete_files(files: FileList, content: Content, extra: Extra) -> Action {
        Action {
            body: Body::DeleteFiles {
                classification: Pick::Anchor,
                batch: Pick::Anchor,
                files,
            },
            content,
            extra,
            ..Action::plain(Endpoint::DeleteFiles)
        }
    }

    #[test]
    fn a_plain_action_is_its_endpoint_and_credential_alone() {
        let plain = FileList {
            items: vec![Pick::Anchor],
            shape: Shape::AsIs,
        };
        assert_eq!(
            describe(&delete_files(plain, Content::Json, Extra::None)),
            "deleteFiles with auth valid"
        );
    }

    #[test]
    fn an_odd_action_names_each_odd_part_in_order() {
        let files = FileList {
            items: vec![
                Pick::Odd(Odd::Length(65)),
                Pick::Unknown,
                Pick::WrongType(WrongType::Null),
                Pick::Real(1),
            ],
            shape: Shape::Long(3),
        };
        let mut action = delete_files(files, Content::TextPlain, Extra::Unknown(Odd::Empty));
        action.owner = Owner::Second;
        action.auth = Auth::Missing;
        assert_eq!(
            describe(&action),
            "deleteFiles with auth missing on the second account's data: \
             a fileIds entry of 65 characters, a fileIds entry naming nothing, \
             a fileIds entry of the wrong type, \
             a fileIds entry naming another of the account's ids, 3 more unknown fileIds, \
             Content-Type text/plain, an unknown field"
        );
    }

    #[test]
    fn an_absent_optional_field_is_not_odd_and_an_absent_required_one_is() {
        let mut action = delete_files(
            FileList {
                items: vec![],
                shape: Shape::Missing,
            },
            Content::Json,
            Extra::None,
        );
        action.endpoint = Endpoint::GetResults;
        action.body = Body::Results {
            classification: Pick::Missing,
            batch: Pick::Anchor,
            file: Pick::Missing,
        };
        assert_eq!(
            describe(&action),
            "getResults with auth valid: no classificationId"
        );
    }
}
