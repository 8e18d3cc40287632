//! The JUnit XML report, through quick-junit: one test case per contract case.

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use crate::result::{Outcome, RunReport};

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
            Outcome::Skipped => TestCaseStatus::skipped(),
            Outcome::Failed => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let first = case
                    .failures
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                let kinds: Vec<String> =
                    case.failures.iter().map(|f| f.kind().to_string()).collect();
                let all: Vec<String> = case.failures.iter().map(ToString::to_string).collect();
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
        suite.add_test_case(test_case);
    }
    let mut junit = Report::new("extracta-contract");
    junit.set_time(report.duration).add_test_suite(suite);
    junit.to_string()
}
