//! The schedule of a run: which fixture each case gets, and every request that follows from
//! it, in order. The run executes it; `--dry-run` prints it.

use serde_json::Value;

use super::fixture::{Fixture, batch_files};
use super::options::RunOptions;
use super::transport::request::{Body, Request, Retry};
use super::vendor::Vendor;
use crate::contract::case::{BodySpec, Case, FixtureSpec, StatusPattern};
use crate::contract::endpoint::Endpoint;

/// How the run gets its classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setup {
    /// It creates one, and deletes it with everything in it at the end.
    Create,
    /// It uploads into this one, and deletes only the batches it uploaded.
    Reuse(String),
}

/// One fixture and the cases that use it.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    /// The cases, in name order.
    pub cases: Vec<&'a Case>,
    /// The fixture: for a shared unit, as many batches and files as its largest case needs.
    pub spec: FixtureSpec,
    /// Whether the cases share the fixture (each must delete nothing).
    pub shared: bool,
}

impl Unit<'_> {
    /// How the unit is named in the schedule: its case, or `shared fixture`.
    pub fn label(&self) -> String {
        match (self.shared, self.cases.as_slice()) {
            (false, [case]) => case.name.clone(),
            _ => "shared fixture".to_owned(),
        }
    }
}

/// One request of the schedule.
#[derive(Debug, Clone)]
pub enum Step<'a> {
    /// createClassification for the run.
    CreateClassification,
    /// uploadFiles of one batch of a unit's fixture.
    Upload {
        /// The unit's number.
        unit: usize,
        /// The batch's number in the fixture.
        batch: usize,
        /// How many files.
        files: usize,
    },
    /// A case's request (once per `repeat`).
    Send {
        /// The unit's number.
        unit: usize,
        /// The case.
        case: &'a Case,
    },
    /// getResults of one batch of a unit's fixture, after its cases.
    ReadBack {
        /// The unit's number.
        unit: usize,
        /// The batch's number.
        batch: usize,
    },
    /// The end: deleteClassification, or deleteBatch of each batch uploaded.
    Cleanup {
        /// For a reused classification, the unit and batch deleted; `None` deletes the run's
        /// classification.
        batch: Option<(usize, usize)>,
    },
}

/// The schedule of a run.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    /// How the classification is got.
    pub setup: Setup,
    /// The units, shared first, then one per remaining case in name order.
    pub units: Vec<Unit<'a>>,
}

/// A case whose every acceptable answer is a refusal: it must delete nothing, so it can share
/// a fixture with the others like it.
fn must_delete_nothing(case: &Case) -> bool {
    case.request.repeat == 1
        && case.expect.deleted.is_empty()
        && case.expect.may_delete.is_empty()
        && case.expect.status.iter().all(|pattern| match pattern {
            StatusPattern::Exact(code) => *code >= 400,
            StatusPattern::Class(class) => *class >= 4,
        })
}

/// The smallest fixture every case of `cases` fits in.
fn union(cases: &[&Case]) -> FixtureSpec {
    let batches = cases
        .iter()
        .map(|c| c.fixture.batches.len())
        .max()
        .unwrap_or(0);
    FixtureSpec {
        batches: (0..batches)
            .map(|b| {
                cases
                    .iter()
                    .filter_map(|c| c.fixture.batches.get(b))
                    .copied()
                    .max()
                    .unwrap_or(1)
            })
            .collect(),
    }
}

impl<'a> Plan<'a> {
    /// The schedule of `cases` under `options`.
    pub fn new(cases: &'a [Case], options: &RunOptions) -> Plan<'a> {
        let setup = match &options.classification_id {
            Some(id) => Setup::Reuse(id.clone()),
            None => Setup::Create,
        };
        let (shared, own): (Vec<&Case>, Vec<&Case>) = cases
            .iter()
            .partition(|case| options.share_fixtures && must_delete_nothing(case));
        let mut units = Vec::with_capacity(own.len() + 1);
        if !shared.is_empty() {
            units.push(Unit {
                spec: union(&shared),
                cases: shared,
                shared: true,
            });
        }
        units.extend(own.into_iter().map(|case| Unit {
            spec: case.fixture.clone(),
            cases: vec![case],
            shared: false,
        }));
        Plan { setup, units }
    }

    /// Every request of the run in order (as a run at concurrency 1 sends them), when every
    /// fixture is intact.
    pub fn steps(&self) -> Vec<Step<'a>> {
        let mut steps = Vec::new();
        if self.setup == Setup::Create {
            steps.push(Step::CreateClassification);
        }
        for (unit, u) in self.units.iter().enumerate() {
            for (batch, &files) in u.spec.batches.iter().enumerate() {
                steps.push(Step::Upload { unit, batch, files });
            }
            for case in &u.cases {
                for _ in 0..case.request.repeat {
                    steps.push(Step::Send { unit, case });
                }
            }
            for batch in 0..u.spec.batches.len() {
                steps.push(Step::ReadBack { unit, batch });
            }
        }
        match self.setup {
            Setup::Create => steps.push(Step::Cleanup { batch: None }),
            Setup::Reuse(_) => {
                for (unit, u) in self.units.iter().enumerate() {
                    for batch in 0..u.spec.batches.len() {
                        steps.push(Step::Cleanup {
                            batch: Some((unit, batch)),
                        });
                    }
                }
            }
        }
        steps
    }

    /// The request of a step, its ids as placeholders (`{{classificationId}}`,
    /// `{{batchId:N}}`, `{{fileId:N}}`), with the label of what it belongs to.
    pub fn request(&self, step: &Step<'_>) -> (Option<String>, Request) {
        let classification = match &self.setup {
            Setup::Create => "{{classificationId}}".to_owned(),
            Setup::Reuse(id) => id.clone(),
        };
        let placeholders = |unit: usize| {
            let spec = self
                .units
                .get(unit)
                .map(|u| u.spec.clone())
                .unwrap_or_default();
            Fixture::placeholders(&classification, &spec)
        };
        let label = |unit: usize| self.units.get(unit).map(Unit::label);
        match step {
            Step::CreateClassification => (None, Vendor::create_classification_request()),
            Step::Upload { unit, batch, files } => {
                let before = self
                    .units
                    .get(*unit)
                    .map_or(0, |u| u.spec.batches.iter().take(*batch).sum::<usize>());
                let request =
                    Vendor::upload_request(&classification, batch_files(*batch, before, *files));
                (label(*unit), request)
            }
            Step::Send { unit, case } => {
                let view = placeholders(*unit).view(&case.fixture);
                (Some(case.name.clone()), case_request(case, &view))
            }
            Step::ReadBack { unit, batch } => {
                let fixture = placeholders(*unit);
                let batch_id = fixture.batch_ids.get(*batch).cloned().unwrap_or_default();
                let request = Vendor::results_request(&classification, &batch_id);
                (label(*unit), request)
            }
            Step::Cleanup { batch: None } => (
                None,
                Request::json(
                    Endpoint::DeleteClassification,
                    &serde_json::json!({"classificationId": classification}),
                ),
            ),
            Step::Cleanup {
                batch: Some((unit, batch)),
            } => {
                let fixture = placeholders(*unit);
                let batch_id = fixture.batch_ids.get(*batch).cloned().unwrap_or_default();
                let body =
                    serde_json::json!({"classificationId": classification, "batchId": batch_id});
                (label(*unit), Request::json(Endpoint::DeleteBatch, &body))
            }
        }
    }

    /// Every request of the run, described for a person (key redacted), as `--dry-run`
    /// prints them.
    pub fn describe(&self, base_url: &str) -> Vec<String> {
        self.steps()
            .iter()
            .map(|step| {
                let (label, request) = self.request(step);
                let line = request.describe(base_url);
                match label {
                    Some(label) => format!("[{label}] {line}"),
                    None => line,
                }
            })
            .collect()
    }
}

/// The wire request of `case`, placeholders filled from `fixture`.
pub fn case_request(case: &Case, fixture: &Fixture) -> Request {
    let body = match &case.request.body {
        BodySpec::None => Body::Empty,
        BodySpec::Json(json) => Body::Bytes(fill_json(json, fixture).to_string().into_bytes()),
        BodySpec::Raw(raw) => Body::Bytes(fixture.fill(raw).into_bytes()),
    };
    Request {
        method: case.request.method.clone(),
        path: case.request.path.clone(),
        auth: case.request.auth,
        content_type: case.request.content_type.clone(),
        body,
        // The request under test is observed as sent: a 5xx is the answer, never retried.
        retry: Retry::RateLimitOnly,
    }
}

fn fill_json(value: &Value, fixture: &Fixture) -> Value {
    match value {
        Value::String(s) => Value::String(fixture.fill(s)),
        Value::Array(items) => Value::Array(items.iter().map(|v| fill_json(v, fixture)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (fixture.fill(k), fill_json(v, fixture)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn cases() -> Vec<Case> {
        crate::contract::case::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn refusals_share_one_fixture_and_the_rest_get_their_own() {
        let cases = cases();
        let plan = Plan::new(&cases, &RunOptions::default());
        assert!(plan.units[0].shared);
        assert!(
            plan.units[1..]
                .iter()
                .all(|u| !u.shared && u.cases.len() == 1)
        );
        let shared: Vec<&str> = plan.units[0]
            .cases
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert!(shared.contains(&"auth-missing"), "{shared:?}");
        assert!(!shared.contains(&"valid-one-file"), "{shared:?}");
        assert_eq!(
            plan.units.iter().map(|u| u.cases.len()).sum::<usize>(),
            cases.len()
        );
    }

    #[test]
    fn the_steps_create_provision_send_read_back_and_clean_up() {
        let cases = cases();
        let plan = Plan::new(&cases, &RunOptions::default());
        let steps = plan.steps();
        assert!(matches!(steps.first(), Some(Step::CreateClassification)));
        assert!(matches!(steps.last(), Some(Step::Cleanup { batch: None })));
        let sends = steps
            .iter()
            .filter(|s| matches!(s, Step::Send { .. }))
            .count();
        let repeats: u32 = cases.iter().map(|c| c.request.repeat).sum();
        assert_eq!(sends, repeats as usize);
    }

    #[test]
    fn a_reused_classification_is_never_deleted_only_its_new_batches() {
        let cases = cases();
        let options = RunOptions {
            classification_id: Some("theirs".to_owned()),
            ..RunOptions::default()
        };
        let plan = Plan::new(&cases, &options);
        let lines = plan.describe("https://x/api/v1");
        assert!(lines.iter().all(|l| !l.contains("createClassification")));
        assert!(lines.iter().all(|l| !l.contains("deleteClassification")));
        let uploads = lines.iter().filter(|l| l.contains("/uploadFiles")).count();
        let batch_deletes = lines.iter().filter(|l| l.contains("/deleteBatch")).count();
        assert_eq!(uploads, batch_deletes);
    }
}
