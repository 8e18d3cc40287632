//! What every request passes before a handler sees it: the key, the media type, the body
//! limits, the schema check, and how a refused request's body is dealt with. What a refusal
//! looks like is [`reply`](super::reply)'s.

use std::future::Future;
use std::task::Poll;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde_json::Value;

use super::body::{Checked, FlatBody};
use super::bounds::Validators;
use super::limits::Limits;
use super::reply::{JSON, Rejection};

/// The key a request carries, if it is `Bearer <key>` and one of `keys`.
///
/// # Errors
/// [`Rejection::MissingKey`], [`Rejection::MalformedKey`] or [`Rejection::InvalidKey`].
pub fn authorise(headers: &HeaderMap, accepts: impl Fn(&str) -> bool) -> Result<&str, Rejection> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(Rejection::MissingKey)?;
    let key = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or(Rejection::MalformedKey)?;
    if accepts(key) {
        Ok(key)
    } else {
        Err(Rejection::InvalidKey)
    }
}

/// Refuses a request whose Content-Type is not JSON.
///
/// # Errors
/// [`Rejection::WrongContentType`] naming what was sent.
pub fn json_media_type(headers: &HeaderMap) -> Result<(), Rejection> {
    let sent = headers.get(header::CONTENT_TYPE);
    // Most clients send exactly this: no parameters to split off, no case to fold.
    if sent.is_some_and(|v| v.as_bytes() == JSON.as_bytes()) {
        return Ok(());
    }
    let content_type = sent.and_then(|v| v.to_str().ok()).unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    if media_type.eq_ignore_ascii_case(JSON) {
        return Ok(());
    }
    let got: String = if media_type.is_empty() {
        "none".to_owned()
    } else {
        media_type.chars().take(100).collect()
    };
    Err(Rejection::WrongContentType { got })
}

/// The declared length of a request's body, if it declares one.
pub fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Whether the client waits for `100 Continue` before it sends the body.
fn expects_continue(headers: &HeaderMap) -> bool {
    headers
        .get(header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"))
}

/// Marks `response` as the last on its connection.
pub fn closing(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Answers `response` to a request whose body was not read.
///
/// The body is never kept: when the client waits for `100 Continue`, or declares a body
/// longer than [`Limits::refusal_drain_bytes`], the answer closes the connection and nothing
/// is read (hyper then sends no `100 Continue`). Otherwise up to that many bytes are read and
/// thrown away within [`Limits::refusal_drain_timeout`], so the connection can carry the
/// client's next request; a body that does not end by then closes it.
pub async fn refuse(
    response: Response,
    headers: &HeaderMap,
    body: Body,
    limits: &Limits,
) -> Response {
    let bound = u64::try_from(limits.refusal_drain_bytes).unwrap_or(u64::MAX);
    if expects_continue(headers) || content_length(headers).is_some_and(|n| n > bound) {
        return closing(response);
    }
    if axum::body::HttpBody::is_end_stream(&body) {
        return response;
    }
    let drained = tokio::time::timeout(limits.refusal_drain_timeout, drain(body, bound)).await;
    if matches!(drained, Ok(true)) {
        response
    } else {
        closing(response)
    }
}

/// Reads `body` to its end and throws it away; false when it is longer than `bound` or breaks.
async fn drain(mut body: Body, bound: u64) -> bool {
    let mut read = 0_u64;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { return false };
        if let Some(data) = frame.data_ref() {
            read += data.len() as u64;
            if read > bound {
                return false;
            }
        }
    }
    true
}

/// Reads a JSON body of at most [`Limits::max_json_body`] bytes within
/// [`Limits::body_timeout`].
///
/// Read here rather than through axum's `Bytes` extractor and a `DefaultBodyLimit` layer on
/// each route: that layer costs several allocations on every request.
///
/// # Errors
/// [`Rejection::TooLarge`] past the limit (at once when the declared length is over it),
/// [`Rejection::BodyTimeout`] when it is late, [`Rejection::Unreadable`] when it breaks off.
pub async fn read_json_body(
    body: Body,
    headers: &HeaderMap,
    limits: &Limits,
) -> Result<Bytes, Rejection> {
    let limit = limits.max_json_body;
    if content_length(headers).is_some_and(|n| n > limit as u64) {
        return Err(Rejection::TooLarge { limit });
    }
    let mut read = std::pin::pin!(Limited::new(body, limit).collect());
    // Most bodies arrive with their head: read them without arming a timer.
    let first = std::future::poll_fn(|cx| Poll::Ready(read.as_mut().poll(cx))).await;
    let outcome = match first {
        Poll::Ready(outcome) => Ok(outcome),
        Poll::Pending => tokio::time::timeout(limits.body_timeout, read).await,
    };
    match outcome {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(error)) if error.is::<LengthLimitError>() => Err(Rejection::TooLarge { limit }),
        Ok(Err(error)) => Err(Rejection::Unreadable {
            reason: error.to_string(),
        }),
        Err(_) => Err(Rejection::BodyTimeout {
            timeout: limits.body_timeout,
        }),
    }
}

/// Checks a body against the schema `schema`: through the typed pass when it proves the
/// body well-formed (see [`FlatBody`]), else parsed and checked with `validators` as
/// [`validate_json_body`] does, which then gives the verdict.
///
/// # Errors
/// [`Rejection::EmptyBody`], [`Rejection::MalformedJson`] or [`Rejection::InvalidBody`].
pub fn parse_json_body<'a>(
    bytes: &'a [u8],
    schema: &str,
    validators: &Validators,
    keeps_situations: bool,
) -> Result<Checked<'a>, Rejection> {
    if let Some(body) = FlatBody::prove(bytes, schema, validators.max_file_ids()) {
        return Ok(Checked::Flat(body));
    }
    validate_json_body(bytes, schema, validators, keeps_situations).map(Checked::Document)
}

/// Parses a body and checks it against the schema `schema` with `validators`; an invalid
/// body's refusal carries the violations' shape when `keeps_situations` (see
/// [`Rejection::InvalidBody`]).
///
/// # Errors
/// [`Rejection::EmptyBody`], [`Rejection::MalformedJson`] or [`Rejection::InvalidBody`].
pub fn validate_json_body(
    bytes: &[u8],
    schema: &str,
    validators: &Validators,
    keeps_situations: bool,
) -> Result<Value, Rejection> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Rejection::EmptyBody);
    }
    // Checked as UTF-8 once, rather than string by string; the parser's verdict and message
    // are the same either way, and it gives them when the bytes are not UTF-8.
    let parsed = match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    };
    let document: Value = parsed.map_err(|e| Rejection::MalformedJson {
        reason: e.to_string(),
    })?;
    // Empty, so nothing is allocated for a valid body.
    let mut violations = String::new();
    let invalid = validators
        .describe_violations(schema, &document, &mut violations)
        .map_err(|e| Rejection::InvalidBody {
            violations: e.to_string(),
            signature: None,
        })?;
    if invalid {
        let signature = keeps_situations
            .then(|| validators.signature(schema, &document).ok())
            .flatten();
        Err(Rejection::InvalidBody {
            violations,
            signature,
        })
    } else {
        Ok(document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            if let Ok(value) = HeaderValue::from_str(value) {
                map.insert(name.clone(), value);
            }
        }
        map
    }

    #[test]
    fn a_key_must_be_a_bearer_token_the_mock_accepts() {
        let accepts = |k: &str| k == "k1";
        let with = |auth: &str| headers(&[(header::AUTHORIZATION, auth)]);
        assert_eq!(authorise(&with("Bearer k1"), accepts), Ok("k1"));
        assert_eq!(
            authorise(&with("Bearer k2"), accepts),
            Err(Rejection::InvalidKey)
        );
        assert_eq!(
            authorise(&with("Basic k1"), accepts),
            Err(Rejection::MalformedKey)
        );
        assert_eq!(
            authorise(&HeaderMap::new(), accepts),
            Err(Rejection::MissingKey)
        );
    }

    #[test]
    fn a_non_json_media_type_is_named() {
        let refused = json_media_type(&headers(&[(header::CONTENT_TYPE, "text/plain")]));
        assert_eq!(
            refused.map_err(|r| r.to_string()),
            Err("Content-Type must be application/json, got text/plain".to_owned())
        );
        assert_eq!(
            json_media_type(&headers(&[(
                header::CONTENT_TYPE,
                "application/json; charset=utf-8"
            )])),
            Ok(())
        );
    }
}
