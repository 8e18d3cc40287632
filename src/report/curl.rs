//! A sent request as a `curl` command that reproduces it: paste it into a shell with the key
//! exported (`$EXTRACTA_API_KEY`, `$EXTRACTA_SECOND_API_KEY` for a second account's request);
//! the key itself never appears.

use crate::contract::case::{Auth, INVALID_API_KEY, KEY_QUERY_PARAMETERS};
use crate::result::{SentBody, SentRequest};

/// `text` as one shell word: in single quotes, or `$'...'` with escapes when it holds
/// characters a terminal would act on.
pub fn quote(text: &str) -> String {
    if text.chars().all(|c| !c.is_control()) {
        return format!("'{}'", text.replace('\'', r"'\''"));
    }
    let mut quoted = String::from("$'");
    for c in text.chars() {
        match c {
            '\\' => quoted.push_str(r"\\"),
            '\'' => quoted.push_str(r"\'"),
            '\n' => quoted.push_str(r"\n"),
            '\r' => quoted.push_str(r"\r"),
            '\t' => quoted.push_str(r"\t"),
            c if c.is_control() => {
                let mut buffer = [0_u8; 4];
                for byte in c.encode_utf8(&mut buffer).bytes() {
                    quoted.push_str(&format!(r"\x{byte:02x}"));
                }
            }
            c => quoted.push(c),
        }
    }
    quoted.push('\'');
    quoted
}

/// The `-H` word of the `Authorization` header `auth` sends, if any. A near miss of the key
/// is made from `$EXTRACTA_API_KEY` by the shell (bash), so that neither the key nor its
/// length is printed: the command sends the refused credential, never the valid key in its
/// place.
fn authorization(auth: Auth) -> Option<String> {
    const KEY: &str = "$EXTRACTA_API_KEY";
    let header = match auth {
        Auth::Valid => format!("\"Authorization: Bearer {KEY}\""),
        Auth::Other => "\"Authorization: Bearer $EXTRACTA_SECOND_API_KEY\"".to_owned(),
        Auth::Invalid => quote(&format!("Authorization: Bearer {INVALID_API_KEY}")),
        Auth::BearerEmpty => quote("Authorization: Bearer "),
        Auth::BearerAlone => quote("Authorization: Bearer"),
        Auth::KeyLastCharChanged => "\"Authorization: Bearer ${EXTRACTA_API_KEY%?}$([ \"${EXTRACTA_API_KEY: -1}\" = x ] && echo y || echo x)\"".to_owned(),
        Auth::KeyFirstHalf => {
            "\"Authorization: Bearer ${EXTRACTA_API_KEY:0:${#EXTRACTA_API_KEY}/2}\"".to_owned()
        }
        Auth::KeyExtraChar => "\"Authorization: Bearer ${EXTRACTA_API_KEY}x\"".to_owned(),
        Auth::SchemeBasic => format!("\"Authorization: Basic {KEY}\""),
        Auth::SchemeToken => format!("\"Authorization: Token {KEY}\""),
        Auth::Missing | Auth::KeyInQuery => return None,
    };
    Some(header)
}

/// The URL as one shell word; for [`Auth::KeyInQuery`], with the key in the query string,
/// expanded by the shell.
fn url_word(request: &SentRequest) -> String {
    let mut word = quote(&request.url);
    if request.auth == Auth::KeyInQuery {
        let mut separator = if request.url.contains('?') { '&' } else { '?' };
        for name in KEY_QUERY_PARAMETERS {
            word.push_str(&quote(&format!("{separator}{name}=")));
            word.push_str("\"$EXTRACTA_API_KEY\"");
            separator = '&';
        }
    }
    word
}

/// The `curl` command that sends `request` again and prints the answer with its headers.
/// Forms name the sample documents by their path in the repository (`cases/documents/`).
pub fn curl_line(request: &SentRequest) -> String {
    let mut words = vec![
        "curl".to_owned(),
        "-sS".to_owned(),
        "-i".to_owned(),
        "-X".to_owned(),
        quote(&request.method),
        url_word(request),
    ];
    if let Some(header) = authorization(request.auth) {
        words.extend(["-H".to_owned(), header]);
    }
    if let Some(content_type) = &request.content_type {
        words.extend([
            "-H".to_owned(),
            quote(&format!("Content-Type: {content_type}")),
        ]);
    }
    match &request.body {
        SentBody::None => {}
        SentBody::Text { text } => words.extend(["--data-raw".to_owned(), quote(text)]),
        SentBody::Form { fields, files } => {
            for (name, value) in fields {
                words.extend([
                    "--form-string".to_owned(),
                    quote(&format!("{name}={value}")),
                ]);
            }
            for (name, document) in files {
                words.extend([
                    "-F".to_owned(),
                    quote(&format!(
                        "files=@cases/documents/{document};filename={name}"
                    )),
                ]);
            }
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(auth: Auth, body: SentBody) -> SentRequest {
        SentRequest {
            method: "DELETE".to_owned(),
            url: "http://127.0.0.1:1/api/v1/documentClassification/deleteFiles".to_owned(),
            auth,
            content_type: Some("application/json".to_owned()),
            body,
        }
    }

    #[test]
    fn a_json_request_names_the_key_by_its_variable() {
        let line = curl_line(&request(
            Auth::Valid,
            SentBody::Text {
                text: r#"{"fileIds":["it's"]}"#.to_owned(),
            },
        ));
        assert_eq!(
            line,
            r#"curl -sS -i -X 'DELETE' 'http://127.0.0.1:1/api/v1/documentClassification/deleteFiles' -H "Authorization: Bearer $EXTRACTA_API_KEY" -H 'Content-Type: application/json' --data-raw '{"fileIds":["it'\''s"]}'"#
        );
    }

    #[test]
    fn a_near_miss_of_the_key_is_made_by_the_shell_and_never_the_valid_key() {
        let line = |auth| curl_line(&request(auth, SentBody::None));
        assert!(line(Auth::BearerEmpty).contains("-H 'Authorization: Bearer '"));
        assert!(line(Auth::BearerAlone).contains("-H 'Authorization: Bearer' "));
        assert!(line(Auth::KeyFirstHalf).contains(
            r#"-H "Authorization: Bearer ${EXTRACTA_API_KEY:0:${#EXTRACTA_API_KEY}/2}""#
        ));
        assert!(
            line(Auth::KeyExtraChar).contains(r#""Authorization: Bearer ${EXTRACTA_API_KEY}x""#)
        );
        assert!(line(Auth::SchemeBasic).contains(r#""Authorization: Basic $EXTRACTA_API_KEY""#));
        assert!(line(Auth::SchemeToken).contains(r#""Authorization: Token $EXTRACTA_API_KEY""#));
        let query = line(Auth::KeyInQuery);
        assert!(!query.contains("Authorization"), "{query}");
        assert!(
            query.contains(r#"/deleteFiles''?api_key='"$EXTRACTA_API_KEY"'&apiKey='"$EXTRACTA_API_KEY"'&access_token='"$EXTRACTA_API_KEY""#),
            "{query}"
        );
        for auth in Auth::NEAR_MISSES {
            assert!(
                !line(auth).contains("Bearer $EXTRACTA_API_KEY\""),
                "{auth}: {}",
                line(auth)
            );
        }
    }

    #[test]
    fn a_refused_requests_reproducer_never_sends_the_valid_key() {
        // Pasting the reproducer of a refused delete must be refused again, not delete.
        let line = |auth| curl_line(&request(auth, SentBody::None));
        let invalid = line(Auth::Invalid);
        assert!(
            invalid.contains(&format!("-H 'Authorization: Bearer {INVALID_API_KEY}'")),
            "{invalid}"
        );
        assert!(!line(Auth::Missing).contains("Authorization"));
        assert!(line(Auth::Other).contains(r#""Authorization: Bearer $EXTRACTA_SECOND_API_KEY""#));
        for auth in [Auth::Invalid, Auth::Missing, Auth::Other]
            .into_iter()
            .chain(Auth::NEAR_MISSES)
        {
            assert!(
                !line(auth).contains("Bearer $EXTRACTA_API_KEY\""),
                "{auth}: {}",
                line(auth)
            );
        }
    }

    #[test]
    fn the_shell_makes_each_near_miss_as_the_transport_does() {
        use crate::redact::ApiKey;
        // Run only where bash is (it is on the CI image and every Linux).
        for key in ["sk-live-1234", "ends-in-x", "k\u{e9}y-\u{e9}\u{e9}"] {
            let api_key = ApiKey::new(key);
            for (auth, expected) in [
                (Auth::KeyLastCharChanged, api_key.last_char_changed()),
                (Auth::KeyFirstHalf, api_key.first_half()),
                (Auth::KeyExtraChar, api_key.with_extra_char()),
            ] {
                let Some(header) = authorization(auth) else {
                    panic!("{auth} sends no header");
                };
                let Ok(output) = std::process::Command::new("bash")
                    .arg("-c")
                    .arg(format!("printf '%s' {header}"))
                    .env("EXTRACTA_API_KEY", key)
                    .env("LC_ALL", "C.UTF-8")
                    .output()
                else {
                    return;
                };
                let sent = String::from_utf8_lossy(&output.stdout);
                assert_eq!(
                    sent,
                    format!("Authorization: Bearer {}", expected.expose()),
                    "{auth} of {key}"
                );
            }
        }
    }

    #[test]
    fn control_characters_are_escaped_not_sent_to_the_terminal() {
        assert_eq!(quote("a\nb\u{1b}[2J"), r"$'a\nb\x1b[2J'");
    }

    #[test]
    fn a_form_names_the_sample_documents_and_sends_fields_as_strings() {
        let line = curl_line(&request(
            Auth::Other,
            SentBody::Form {
                fields: vec![("classificationId".to_owned(), "@c".to_owned())],
                files: vec![(
                    "contract-0-0-invoice.pdf".to_owned(),
                    "invoice.pdf".to_owned(),
                )],
            },
        ));
        assert!(line.contains("$EXTRACTA_SECOND_API_KEY"), "{line}");
        assert!(
            line.contains("--form-string 'classificationId=@c'"),
            "{line}"
        );
        assert!(
            line.contains(
                "-F 'files=@cases/documents/invoice.pdf;filename=contract-0-0-invoice.pdf'"
            ),
            "{line}"
        );
    }
}
