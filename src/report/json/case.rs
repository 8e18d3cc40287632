//! A case in the report: its result, the request it sent (the key named by its role), the
//! answer, the `curl` line, and why it was skipped.

use serde::Serialize;

use super::failure::{JsonFailure, failure_json};
use crate::contract::case::Auth;
use crate::report::curl::curl_line;
use crate::report::view::{SHOWN_BODY, shortened};
use crate::result::{
    BaselineStatus, CaseResult, Exchange, Outcome, Response, SentBody, SentRequest, SkipReason,
};

/// A case: its result, its request and answer, and the `curl` command that sends the request
/// again.
#[derive(Serialize)]
pub(super) struct JsonCase<'a> {
    name: &'a str,
    description: &'a str,
    outcome: Outcome,
    duration_ms: u128,
    failures: Vec<JsonFailure<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip: Option<JsonSkip>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request: Option<JsonRequest<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<JsonAnswer<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    curl: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<JsonBaseline>,
}

/// Why a case was not run: the reason's name, its sentence, and its data.
#[derive(Serialize)]
struct JsonSkip {
    kind: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    needs: Option<u64>,
}

/// A request as sent: the path of its URL, the key named by its role.
#[derive(Serialize)]
struct JsonRequest<'a> {
    method: &'a str,
    path: String,
    auth: Auth,
    content_type: Option<&'a str>,
    body: JsonBody<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
enum JsonBody<'a> {
    None,
    Text {
        text: &'a str,
    },
    Form {
        fields: Vec<JsonField<'a>>,
        files: Vec<JsonFile<'a>>,
    },
}

#[derive(Serialize)]
struct JsonField<'a> {
    name: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    name: &'a str,
    document: &'a str,
}

/// An answer: its status, its media type and its body, cut after [`SHOWN_BODY`] characters.
#[derive(Serialize)]
struct JsonAnswer<'a> {
    status: u16,
    content_type: Option<&'a str>,
    body: String,
}

#[derive(Serialize)]
struct JsonBaseline {
    status: BaselineStatus,
}

fn skip_json(reason: SkipReason) -> JsonSkip {
    let (kind, max, needs) = match reason {
        SkipReason::NoSecondAccount => ("no-second-account", None, None),
        SkipReason::NeedsOwnClassification => ("needs-own-classification", None, None),
        SkipReason::DeleteCap { max, needs } => ("delete-cap", Some(max), Some(needs)),
        SkipReason::Interrupted => ("interrupted", None, None),
    };
    JsonSkip {
        kind,
        message: reason.to_string(),
        max,
        needs,
    }
}

/// The path (and query) of `url`, as the request carried it (the transport parses URLs the
/// same way); the whole text when it is no URL.
pub(super) fn url_path(url: &str) -> String {
    url::Url::parse(url).map_or_else(
        |_| url.to_owned(),
        |parsed| parsed[url::Position::BeforePath..].to_owned(),
    )
}

fn request_json(request: &SentRequest) -> JsonRequest<'_> {
    let body = match &request.body {
        SentBody::None => JsonBody::None,
        SentBody::Text { text } => JsonBody::Text { text },
        SentBody::Form { fields, files } => JsonBody::Form {
            fields: fields
                .iter()
                .map(|(name, value)| JsonField { name, value })
                .collect(),
            files: files
                .iter()
                .map(|(name, document)| JsonFile { name, document })
                .collect(),
        },
    };
    JsonRequest {
        method: &request.method,
        path: url_path(&request.url),
        auth: request.auth,
        content_type: request.content_type.as_deref(),
        body,
    }
}

fn answer_json(response: &Response) -> JsonAnswer<'_> {
    JsonAnswer {
        status: response.status,
        content_type: response.content_type.as_deref(),
        body: shortened(&response.text, SHOWN_BODY),
    }
}

pub(super) fn case_json(case: &CaseResult) -> JsonCase<'_> {
    let exchange: Option<&Exchange> = case.exchange.as_ref();
    JsonCase {
        name: &case.name,
        description: &case.description,
        outcome: case.outcome,
        duration_ms: case.duration.as_millis(),
        failures: case.failures.iter().map(failure_json).collect(),
        skip: case.skip_reason.map(skip_json),
        request: exchange.map(|e| request_json(&e.request)),
        answer: exchange.and_then(|e| e.response.as_ref()).map(answer_json),
        curl: exchange.map(|e| curl_line(&e.request)),
        baseline: case
            .baseline
            .as_ref()
            .map(|b| JsonBaseline { status: b.status }),
    }
}
