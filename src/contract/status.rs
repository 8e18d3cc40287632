//! What a `{status, message}` reply must say for its HTTP status: the one rule of the contract
//! that no schema can hold, because a schema never sees the status line.

use serde_json::Value;

/// What the body's `status` field must say for an HTTP `status`: `"success"` for a 2xx,
/// `"error"` for anything else.
pub fn expected_word(status: u16) -> &'static str {
    if (200..300).contains(&status) {
        "success"
    } else {
        "error"
    }
}

/// Why a `{status, message}` body contradicts its HTTP status, if it does: a 2xx must say
/// `"success"`, a 4xx/5xx `"error"` (the docs' 400 example says "success": a documentation bug).
pub fn status_agreement(status: u16, body: &Value) -> Option<String> {
    let says = body.get("status").and_then(Value::as_str)?;
    let must_say = expected_word(status);
    (says != must_say)
        .then(|| format!("a {status} answer says `status` \"{says}\", it must say \"{must_say}\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_refusal_that_says_success_disagrees() {
        assert_eq!(
            status_agreement(400, &json!({"status": "success"})).as_deref(),
            Some("a 400 answer says `status` \"success\", it must say \"error\"")
        );
        assert_eq!(status_agreement(200, &json!({"status": "success"})), None);
        assert_eq!(status_agreement(500, &json!({"status": "error"})), None);
        assert_eq!(
            status_agreement(200, &json!({"message": "no status"})),
            None
        );
    }
}
