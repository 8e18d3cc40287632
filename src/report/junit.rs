//! The JUnit XML report, through quick-junit: one test case per contract case.

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::shown::bounded;
use super::view::{CaseView, SHOWN_BODY, View, shortened};
use crate::redact::escaped;
use crate::result::{Outcome, RunReport};

/// The most characters of a failing case's failure list, and of its `system-out` (request and
/// answer), before XML escaping: a case is at most about twice this, whatever the target sent.
pub const CASE_JUNIT_TEXT: usize = 32 * 1024;

/// A case's status: its skip reason, or its failures (text from the target escaped: XML holds
/// no control characters) with their kinds as the type.
fn status(case: &CaseView<'_>) -> TestCaseStatus {
    match case.result.outcome {
        Outcome::Passed => TestCaseStatus::success(),
        Outcome::Skipped => {
            let mut status = TestCaseStatus::skipped();
            if let Some(reason) = &case.skip_reason {
                status.set_message(escaped(reason).into_owned());
            }
            status
        }
        Outcome::Failed => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let all: Vec<String> = case
                .failures
                .iter()
                .map(|f| escaped(f).into_owned())
                .collect();
            status
                .set_message(all.first().cloned().unwrap_or_default())
                .set_type(case.kinds().join(","))
                .set_description(shortened(&all.join("\n"), CASE_JUNIT_TEXT));
            status
        }
    }
}

/// A failing case's request and answer, for its `system-out`.
fn system_out(case: &CaseView<'_>) -> Option<String> {
    let mut out = format!("request: {}", escaped(case.request.as_ref()?));
    if let Some(answer) = &case.answer {
        out.push_str(&format!(
            "\nanswer: {} {}\n{}",
            answer.status,
            escaped(answer.content_type),
            escaped(&answer.body(SHOWN_BODY))
        ));
    }
    Some(shortened(&out, CASE_JUNIT_TEXT))
}

/// The report as JUnit XML, naming the target and the baseline as properties. Every text in it
/// is [`escaped`], so it holds no character XML 1.0 forbids and always parses.
///
/// # Errors
/// When the XML cannot be serialised.
pub fn to_junit(report: &RunReport) -> Result<String, quick_junit::SerializeError> {
    let report = &bounded(report);
    let view = View::new(report);
    let mut suite = TestSuite::new("extracta-contract");
    suite.set_time(report.duration);
    let target = &report.target;
    suite.add_property(Property::new("target", escaped(&target.base_url).as_ref()));
    suite.add_property(Property::new("profile", escaped(&target.profile).as_ref()));
    if let Some(baseline) = &target.baseline {
        suite.add_property(Property::new("baseline", escaped(baseline).as_ref()));
    }
    for case in &view.cases {
        let mut test_case = TestCase::new(escaped(&case.result.name).as_ref(), status(case));
        test_case
            .set_classname("extracta-contract")
            .set_time(case.result.duration);
        if case.failed() {
            if let Some(out) = system_out(case) {
                test_case.set_system_out(out);
            }
        }
        suite.add_test_case(test_case);
    }
    let mut junit = Report::new("extracta-contract");
    junit.set_time(report.duration).add_test_suite(suite);
    junit.to_string()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::contract::case::Auth;
    use crate::report::view::FAILURES_SHOWN;
    use crate::result::{CaseResult, Exchange, Failure, Response, SentBody, SentRequest};

    /// A report of one failing case: `failures` its failures, `answer` the body it got.
    fn failing(failures: &[&str], answer: &str) -> RunReport {
        let case = CaseResult::new(
            "delete-files/valid-one-file",
            "d",
            Outcome::Failed,
            failures
                .iter()
                .map(|cause| Failure::Transport {
                    cause: (*cause).to_owned(),
                })
                .collect(),
            None,
            Duration::ZERO,
        )
        .with_exchange(Some(Exchange {
            request: SentRequest {
                method: "DELETE".into(),
                url: "http://127.0.0.1:1/api/v1/documentClassification/deleteFiles".into(),
                auth: Auth::Valid,
                content_type: Some("application/json".into()),
                body: SentBody::Text {
                    text: r#"{"fileIds":["f"]}"#.into(),
                },
            },
            response: Some(Response::new(
                503,
                Some("application/json".into()),
                answer.into(),
            )),
        }));
        crate::result::report_of(vec![case])
    }

    #[test]
    fn a_failing_case_carries_its_request_and_answer_in_system_out() {
        let xml = to_junit(&failing(
            &["reset"],
            r#"{"status":"error","message":"busy"}"#,
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        let out = xml
            .split_once("<system-out>")
            .and_then(|(_, rest)| rest.split_once("</system-out>"))
            .map(|(out, _)| out)
            .unwrap_or_else(|| panic!("no system-out in {xml}"));
        assert!(out.contains("request: curl"), "{out}");
        assert!(out.contains("/documentClassification/deleteFiles"), "{out}");
        assert!(out.contains("answer: 503 application/json"), "{out}");
        assert!(out.contains("busy"), "{out}");
    }

    #[test]
    fn a_list_of_some_thousand_characters_is_kept_whole() {
        let causes: Vec<String> = (0..FAILURES_SHOWN)
            .map(|n| format!("{n} {}", "w".repeat(200)))
            .collect();
        let causes: Vec<&str> = causes.iter().map(String::as_str).collect();
        let xml = to_junit(&failing(&causes, "{}")).unwrap_or_else(|e| panic!("{e}"));
        let description = xml
            .split_once("<failure")
            .and_then(|(_, rest)| rest.split_once("</failure>"))
            .map(|(failure, _)| failure)
            .unwrap_or_else(|| panic!("no failure in {xml}"));
        for cause in causes {
            assert!(
                description.contains(&format!("transport: {cause}")),
                "{cause} is cut"
            );
        }
    }
}
