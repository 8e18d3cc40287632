//! The JUnit XML report, through quick-junit: one test case per contract case.

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::curl::curl_line;
use super::text::escaped;
use crate::result::{Outcome, RunReport, SHOWN_BODY, shortened};

/// The report as JUnit XML, naming the target and the baseline as properties.
///
/// # Errors
/// When the XML cannot be serialised.
pub fn to_junit(report: &RunReport) -> Result<String, quick_junit::SerializeError> {
    let mut suite = TestSuite::new("extracta-contract");
    suite.set_time(report.duration);
    suite.add_property(Property::new("target", report.target.base_url.as_str()));
    suite.add_property(Property::new("profile", report.target.profile.as_str()));
    if let Some(baseline) = &report.target.baseline {
        suite.add_property(Property::new("baseline", baseline.as_str()));
    }
    for case in &report.cases {
        let status = match case.outcome {
            Outcome::Passed => TestCaseStatus::success(),
            Outcome::Skipped => {
                let mut status = TestCaseStatus::skipped();
                if let Some(reason) = &case.skip_reason {
                    status.set_message(escaped(&reason.to_string()).into_owned());
                }
                status
            }
            Outcome::Failed => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                // Text from the target is escaped: XML holds no control characters.
                let first = case
                    .failures
                    .first()
                    .map(|f| escaped(&f.to_string()).into_owned())
                    .unwrap_or_default();
                // Each kind once, in the order the failures came.
                let mut kinds: Vec<String> = Vec::new();
                for kind in case.failures.iter().map(|f| f.kind().to_string()) {
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                }
                let all: Vec<String> = case
                    .failures
                    .iter()
                    .map(|f| escaped(&f.to_string()).into_owned())
                    .collect();
                status
                    .set_message(first)
                    .set_type(kinds.join(","))
                    .set_description(all.join("\n"));
                status
            }
        };
        let mut test_case = TestCase::new(case.name.as_str(), status);
        test_case
            .set_classname("extracta-contract")
            .set_time(case.duration);
        if case.outcome == Outcome::Failed {
            if let Some(exchange) = &case.exchange {
                let mut out = format!("request: {}", curl_line(&exchange.request));
                if let Some(response) = &exchange.response {
                    out.push_str(&format!(
                        "\nanswer: {} {}\n{}",
                        response.status,
                        escaped(
                            response
                                .content_type
                                .as_deref()
                                .unwrap_or("(no Content-Type)")
                        ),
                        escaped(&shortened(&response.text, SHOWN_BODY))
                    ));
                }
                test_case.set_system_out(out);
            }
        }
        suite.add_test_case(test_case);
    }
    let mut junit = Report::new("extracta-contract");
    junit.set_time(report.duration).add_test_suite(suite);
    junit.to_string()
}
