//! A sent request as a `curl` command that reproduces it: paste it into a shell with the key
//! exported (`$EXTRACTA_API_KEY`, `$EXTRACTA_SECOND_API_KEY` for a second account's request);
//! the key itself never appears.

use crate::contract::case::{Auth, INVALID_API_KEY};
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

/// The `curl` command that sends `request` again and prints the answer with its headers.
/// Forms name the sample documents by their path in the repository (`cases/documents/`).
pub fn curl_line(request: &SentRequest) -> String {
    let mut words = vec![
        "curl".to_owned(),
        "-sS".to_owned(),
        "-i".to_owned(),
        "-X".to_owned(),
        quote(&request.method),
        quote(&request.url),
    ];
    let bearer = match request.auth {
        Auth::Valid => Some("\"Authorization: Bearer $EXTRACTA_API_KEY\"".to_owned()),
        Auth::Other => Some("\"Authorization: Bearer $EXTRACTA_SECOND_API_KEY\"".to_owned()),
        Auth::Invalid => Some(quote(&format!("Authorization: Bearer {INVALID_API_KEY}"))),
        Auth::Missing => None,
    };
    if let Some(header) = bearer {
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
