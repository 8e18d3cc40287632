//! A vendor's refusal as the profile's answer: its status, its message as a template the mock
//! fills, its other fields, each made alike where it can be.

use serde_json::{Map, Value};

use super::lesson::Lesson;
use super::specimen::{content_type_of, is_named, names_an_id, specimen, specimen_text};
use super::template::template;
use crate::contract::profile::{LearnedRefusal, RefusalStatus};

/// The vendor's refusal in the lesson as a profile's answer.
pub(super) fn refusal_of(lesson: &Lesson<'_>) -> Result<LearnedRefusal, String> {
    let vendor = lesson.vendor;
    let status = RefusalStatus::new(vendor.status).map_err(|_| {
        format!(
            "the vendor refuses with {}, which a profile cannot hold: a refusal's status is {}, one whose answer carries a body",
            vendor.status,
            RefusalStatus::ALLOWED
        )
    })?;
    let Some(body) = vendor.body.as_object() else {
        return Err("the vendor's refusal body is not a JSON object".to_owned());
    };
    let Some(message) = body.get("message").and_then(Value::as_str) else {
        return Err("the vendor's refusal body has no `message`".to_owned());
    };
    let extra: Map<String, Value> = body
        .iter()
        .filter(|(key, _)| key.as_str() != "message")
        .map(|(k, v)| (k.clone(), specimen(v)))
        .collect();
    if let Some((key, value)) = extra.iter().find(|(_, v)| is_named(v)) {
        return Err(format!(
            "the vendor's `{key}` ({value}) holds an id the mock cannot make alike"
        ));
    }
    let message = specimen_text(&template(message, lesson.case));
    if names_an_id(&message) {
        return Err(format!(
            "the vendor's message \"{message}\" names an id its request did not send"
        ));
    }
    Ok(LearnedRefusal {
        status,
        message,
        content_type: content_type_of(vendor),
        extra,
        learned_from: lesson.case.name.clone(),
    })
}

/// A refusal as a person reads it: `400 "Invalid batchId"`, and its content type when it is
/// not the mock's own.
pub(super) fn answer(refusal: &LearnedRefusal) -> String {
    let mut text = format!("{} \"{}\"", refusal.status, refusal.message);
    if let Some(content_type) = &refusal.content_type {
        text.push_str(&format!(" as {content_type}"));
    }
    if !refusal.extra.is_empty() {
        text.push_str(&format!(" with {}", Value::Object(refusal.extra.clone())));
    }
    text
}
