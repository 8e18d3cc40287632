//! `docs-check`: the JSON examples of a saved vendor docs page (the Markdown the docs site
//! serves), checked against the contract's schemas.
//!
//! It finds the endpoint in the page header, the body example under "Body Example", and each
//! response example under "Responses" with the status of the tab it stands in.

use std::fmt;

use serde_json::Value;

use super::endpoint::{Endpoint, STATUS_SCHEMA};
use super::schema::SchemaSet;
use super::status::status_agreement;

/// Why a page could not be checked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DocsError {
    /// No `/documentClassification/...` path in the page header.
    #[error("find the endpoint: the page names no /documentClassification/... path")]
    NoEndpoint,
    /// A path the contract does not describe.
    #[error("find the endpoint: the contract has no schemas for {path}")]
    UnknownEndpoint {
        /// The path found.
        path: String,
    },
    /// Neither a body example nor a response example.
    #[error("find examples: the page has no JSON code block under Body Example or Responses")]
    NoExamples,
    /// The contract's schemas are unusable.
    #[error("{0}")]
    Schema(String),
}

/// One example of the page and what is wrong with it (nothing, when it conforms).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExampleCheck {
    /// "body example" or "response 400".
    pub label: String,
    /// The schema it was checked against.
    pub schema: &'static str,
    /// Every contradiction of the contract.
    pub problems: Vec<String>,
}

impl fmt::Display for ExampleCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.problems.is_empty() {
            write!(f, "ok    {} ({})", self.label, self.schema)
        } else {
            write!(
                f,
                "FAIL  {} ({}): {}",
                self.label,
                self.schema,
                self.problems.join("; ")
            )
        }
    }
}

/// A checked page.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DocsReport {
    /// `METHOD /path` from the page header.
    pub endpoint: String,
    /// Every example, in page order.
    pub examples: Vec<ExampleCheck>,
}

impl DocsReport {
    /// How many examples contradict the contract.
    pub fn failures(&self) -> usize {
        self.examples
            .iter()
            .filter(|e| !e.problems.is_empty())
            .count()
    }
}

/// Checks every JSON example of `markdown`, a docs page in the vendor's format.
///
/// # Errors
/// When the page names no known endpoint or holds no example.
pub fn check_page(markdown: &str) -> Result<DocsReport, DocsError> {
    let (method, path) = endpoint(markdown).ok_or(DocsError::NoEndpoint)?;
    let endpoint = Endpoint::from_path(&path)
        .ok_or_else(|| DocsError::UnknownEndpoint { path: path.clone() })?;
    let (request, reply) = (endpoint.request_schema(), endpoint.response_schema());
    let schemas = SchemaSet::global();
    let mut examples = Vec::new();
    if let Some(block) =
        section(markdown, "## Body Example").and_then(|s| code_blocks(s).into_iter().next())
    {
        examples.push(check_example(
            schemas,
            "body example".to_owned(),
            request,
            &block,
            None,
        ));
    }
    if let Some(responses) = section(markdown, "## Responses") {
        for (status, block) in tabs(responses) {
            let code = status.parse::<u16>().ok();
            let schema = if code.is_some_and(|c| (200..300).contains(&c)) {
                reply
            } else {
                STATUS_SCHEMA
            };
            examples.push(check_example(
                schemas,
                format!("response {status}"),
                schema,
                &block,
                code,
            ));
        }
    }
    if examples.is_empty() {
        return Err(DocsError::NoExamples);
    }
    Ok(DocsReport {
        endpoint: format!("{method} {path}"),
        examples,
    })
}

fn check_example(
    schemas: &SchemaSet,
    label: String,
    schema: &'static str,
    block: &str,
    status: Option<u16>,
) -> ExampleCheck {
    let mut problems = Vec::new();
    match parse_lenient(block) {
        None => problems.push("the example is not valid JSON".to_owned()),
        Some(document) => {
            match schemas.check(schema, &document) {
                Ok(violations) => problems.extend(violations.iter().map(ToString::to_string)),
                Err(error) => problems.push(error.to_string()),
            }
            if let (Some(status), STATUS_SCHEMA) = (status, schema) {
                problems.extend(status_agreement(status, &document));
            }
        }
    }
    ExampleCheck {
        label,
        schema,
        problems,
    }
}

/// JSON, or JSON with `//` line comments as the docs sometimes write (`"fileId": "x" // optional`).
fn parse_lenient(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok().or_else(|| {
        let stripped: Vec<&str> = text
            .lines()
            .map(|line| match line.find("//") {
                Some(at) if line[..at].matches('"').count() % 2 == 0 => &line[..at],
                _ => line,
            })
            .collect();
        serde_json::from_str(&stripped.join("\n")).ok()
    })
}

/// The method and path in the page header: `` `DELETE` `/documentClassification/deleteFiles` ``.
fn endpoint(markdown: &str) -> Option<(String, String)> {
    let header = markdown.split("\n## ").next().unwrap_or(markdown);
    let quoted: Vec<&str> = header.split('`').skip(1).step_by(2).collect();
    let at = quoted
        .iter()
        .position(|q| q.starts_with("/documentClassification/"))?;
    let method = at
        .checked_sub(1)
        .map(|m| quoted[m])
        .filter(|m| m.chars().all(|c| c.is_ascii_uppercase()));
    Some((method.unwrap_or("?").to_owned(), quoted[at].to_owned()))
}

/// The text from `heading` to the next heading of the same level.
fn section<'a>(markdown: &'a str, heading: &str) -> Option<&'a str> {
    let start = markdown
        .find(&format!("\n{heading}"))
        .map(|at| at + heading.len() + 1)?;
    let rest = &markdown[start..];
    Some(rest.find("\n## ").map_or(rest, |end| &rest[..end]))
}

/// The contents of every fenced code block in `text`.
fn code_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(lines) => blocks.push(lines.join("\n")),
                None => current = Some(Vec::new()),
            }
        } else if let Some(lines) = current.as_mut() {
            lines.push(line);
        }
    }
    blocks
}

/// Each `{% tab title="..." %}` with the first code block inside it.
fn tabs(text: &str) -> Vec<(String, String)> {
    text.split("{% tab title=\"")
        .skip(1)
        .filter_map(|tab| {
            let (title, body) = tab.split_once('"')?;
            let body = body.split("{% endtab %}").next().unwrap_or(body);
            code_blocks(body)
                .into_iter()
                .next()
                .map(|block| (title.to_owned(), block))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "# Delete things\n\n<mark>`DELETE`</mark> `/documentClassification/deleteBatch`\n\nText.\n\n## Body Example\n\n```json\n{\"classificationId\": \"c\", \"batchId\": \"b\" // both required\n}\n```\n\n## Responses\n\n{% tabs %}\n{% tab title=\"200\" %}\n\n```json\n{\"status\": \"success\", \"message\": \"Batch deleted\"}\n```\n\n{% endtab %}\n{% tab title=\"404\" %}\n\n```json\n{\"status\": \"success\", \"message\": \"Batch deleted\"}\n```\n\n{% endtab %}\n{% endtabs %}\n";

    #[test]
    fn a_page_yields_its_endpoint_and_every_example() {
        let report = check_page(PAGE).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            report.endpoint,
            "DELETE /documentClassification/deleteBatch"
        );
        let labels: Vec<&str> = report.examples.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["body example", "response 200", "response 404"]);
    }

    #[test]
    fn a_refusal_example_that_says_success_is_the_only_failure() {
        let report = check_page(PAGE).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.failures(), 1);
        assert_eq!(
            report.examples[2].problems,
            ["a 404 answer says `status` \"success\", it must say \"error\""]
        );
    }

    #[test]
    fn a_body_example_missing_a_required_field_fails() {
        let page = PAGE.replace("\"batchId\": \"b\" // both required", "\"batch\": \"b\"");
        let report = check_page(&page).unwrap_or_else(|e| panic!("{e}"));
        assert!(report.examples[0].problems[0].contains("\"batchId\" is a required property"));
    }

    #[test]
    fn a_page_without_an_endpoint_is_an_error() {
        assert!(matches!(
            check_page("# Nothing\n\n## Body Example\n"),
            Err(DocsError::NoEndpoint)
        ));
    }
}
