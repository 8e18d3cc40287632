//! The [`Plan`]: which cases run and which are skipped, the fixture each unit of cases gets,
//! and the steps and requests that follow, in order.

use std::collections::HashSet;

use super::case_request::{awaited, case_request};
use super::effects::{
    creates_batch, creates_classification, deletes_batches, deletes_classification, deletes_of,
    shareable, union,
};
use crate::contract::case::{Auth, Case, FixtureSpec};
use crate::contract::endpoint::Endpoint;
use crate::suite::fixture::{Fixture, batch_files};
use crate::suite::options::RunOptions;
use crate::suite::ownership::{Marker, ProofRead, proof_reads};
use crate::suite::transport::request::Request;
use crate::suite::vendor::Vendor;

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
    /// Whether the cases share the fixture (each must change nothing).
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

/// What the end of a run deletes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Removal<'a> {
    /// A batch a unit uploaded into the reused classification.
    Batch {
        /// The unit.
        unit: usize,
        /// The batch's number in its fixture.
        batch: usize,
    },
    /// A batch a case's upload created in the reused classification.
    CreatedBatch {
        /// The case.
        case: &'a Case,
    },
    /// The run's classification, with everything in it.
    RunClassification,
    /// A classification a unit's fixture created.
    Classification {
        /// The unit.
        unit: usize,
        /// Its number in the fixture (1 and up).
        index: usize,
    },
    /// A classification a case's request created.
    CreatedClassification {
        /// The case.
        case: &'a Case,
    },
}

/// One request of the schedule.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    /// createClassification: the run's own (`unit` is `None`), or one more of a unit's fixture
    /// (its number there, from 1).
    CreateClassification {
        /// The unit whose fixture needs it.
        unit: Option<usize>,
        /// Its number in the fixture: 0 for the run's own.
        index: usize,
    },
    /// uploadFiles of one batch of a unit's fixture.
    Upload {
        /// The unit's number.
        unit: usize,
        /// The batch's number in the fixture.
        batch: usize,
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
    /// A delete at the end.
    Cleanup(Removal<'a>),
}

/// The schedule of a run.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    /// How the classification is got.
    pub setup: Setup,
    /// The units, shared first, then one per remaining case in name order.
    pub units: Vec<Unit<'a>>,
    /// The cases that do not run, each with the reason.
    pub skipped: Vec<(&'a Case, crate::result::SkipReason)>,
}

impl<'a> Plan<'a> {
    /// The schedule of `cases` under `options`.
    pub fn new(cases: &'a [Case], options: &RunOptions) -> Plan<'a> {
        let setup = match &options.classification_id {
            Some(id) => Setup::Reuse(id.clone()),
            None => Setup::Create,
        };
        let second_account = options.target.has_second_account();
        let mut skipped = Vec::new();
        let mut runnable = Vec::new();
        for case in cases {
            if case.request.auth == Auth::Other && !second_account {
                skipped.push((case, crate::result::SkipReason::NoSecondAccount));
            } else if matches!(setup, Setup::Reuse(_))
                && (case.fixture.classification_count() > 1 || creates_classification(case))
            {
                skipped.push((case, crate::result::SkipReason::NeedsOwnClassification));
            } else {
                runnable.push(case);
            }
        }
        let (mut shared, own): (Vec<&Case>, Vec<&Case>) = runnable
            .into_iter()
            .partition(|case| options.share_fixtures && shareable(case));
        let mut own = own;
        if let Some(max) = options.max_deletes {
            // In schedule order, the cases whose deletes still fit under the cap run.
            let mut left = max;
            let mut fits = |case: &&'a Case, skipped: &mut Vec<_>| {
                let needs = deletes_of(case);
                if needs <= left {
                    left -= needs;
                    true
                } else {
                    skipped.push((*case, crate::result::SkipReason::DeleteCap { max, needs }));
                    false
                }
            };
            shared.retain(|case| fits(case, &mut skipped));
            own.retain(|case| fits(case, &mut skipped));
        }
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
        skipped.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        Plan {
            setup,
            units,
            skipped,
        }
    }

    /// Every request of the run in order (as a run at concurrency 1 sends them), when every
    /// fixture is intact and every read settles at once.
    pub fn steps(&self) -> Vec<Step<'a>> {
        let mut steps = Vec::new();
        if self.setup == Setup::Create {
            steps.push(Step::CreateClassification {
                unit: None,
                index: 0,
            });
        }
        for (unit, u) in self.units.iter().enumerate() {
            for index in 1..u.spec.classification_count() {
                steps.push(Step::CreateClassification {
                    unit: Some(unit),
                    index,
                });
            }
            for batch in 0..u.spec.batches.len() {
                steps.push(Step::Upload { unit, batch });
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
        steps.extend(self.removals().into_iter().map(Step::Cleanup));
        steps
    }

    /// What the end of the run deletes, in the order it deletes it: batches in a reused
    /// classification, then every classification the run created, in the order it created
    /// them.
    fn removals(&self) -> Vec<Removal<'a>> {
        let mut batches = Vec::new();
        let mut classifications = Vec::new();
        if self.setup == Setup::Create {
            classifications.push(Removal::RunClassification);
        }
        for (unit, u) in self.units.iter().enumerate() {
            // What a case deletes as it should is gone before the end.
            let deleted: Vec<usize> = u
                .cases
                .iter()
                .filter_map(|c| deletes_classification(c))
                .collect();
            for index in 1..u.spec.classification_count() {
                if !deleted.contains(&index) {
                    classifications.push(Removal::Classification { unit, index });
                }
            }
            if matches!(self.setup, Setup::Reuse(_)) {
                let gone: Vec<usize> = u.cases.iter().flat_map(|c| deletes_batches(c)).collect();
                for (batch, placed) in u.spec.batches.iter().enumerate() {
                    if placed.classification == 0 && !gone.contains(&batch) {
                        batches.push(Removal::Batch { unit, batch });
                    }
                }
            }
            for case in &u.cases {
                if creates_classification(case) {
                    classifications.push(Removal::CreatedClassification { case });
                }
                if creates_batch(case) && matches!(self.setup, Setup::Reuse(_)) {
                    batches.push(Removal::CreatedBatch { case });
                }
            }
        }
        batches.extend(classifications);
        batches
    }

    /// The request of a step, its ids as placeholders (`{{classificationId}}`,
    /// `{{batchId:N}}`, `{{fileId:N}}`, `{{created}}` for an id the vendor hands out), with
    /// the label of what it belongs to.
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
        let delete_classification = |id: &str| {
            Request::json(
                Endpoint::DeleteClassification,
                &serde_json::json!({ "classificationId": id }),
            )
        };
        let delete_batch = |classification: &str, batch: &str| {
            let body = serde_json::json!({"classificationId": classification, "batchId": batch});
            Request::json(Endpoint::DeleteBatch, &body)
        };
        match *step {
            Step::CreateClassification { unit, .. } => (
                unit.and_then(label),
                Vendor::create_classification_request(&Marker::placeholder()),
            ),
            Step::Upload { unit, batch } => {
                let spec = self.units.get(unit).map(|u| &u.spec);
                let before =
                    spec.map_or(0, |s| s.batches.iter().take(batch).map(|b| b.files).sum());
                let files = spec
                    .and_then(|s| s.batches.get(batch))
                    .map_or(0, |b| b.files);
                let fixture = placeholders(unit);
                let owner = fixture
                    .batches
                    .get(batch)
                    .and_then(|b| fixture.classification_ids.get(b.classification))
                    .cloned()
                    .unwrap_or_default();
                let files = batch_files(&Marker::placeholder(), batch, before, files);
                let request = Vendor::upload_request(&owner, files);
                (label(unit), request)
            }
            Step::Send { unit, case } => {
                let view = placeholders(unit).view(&case.fixture);
                (
                    Some(case.name.clone()),
                    case_request(case, &view, &Marker::placeholder()),
                )
            }
            Step::ReadBack { unit, batch } => {
                let fixture = placeholders(unit);
                let (owner, batch_id) = fixture.batch(batch).unwrap_or_default();
                (label(unit), Vendor::results_request(owner, batch_id))
            }
            Step::Cleanup(Removal::RunClassification) => {
                (None, delete_classification(&classification))
            }
            Step::Cleanup(Removal::Classification { unit, index }) => {
                let fixture = placeholders(unit);
                let id = fixture
                    .classification_ids
                    .get(index)
                    .cloned()
                    .unwrap_or_default();
                (label(unit), delete_classification(&id))
            }
            Step::Cleanup(Removal::CreatedClassification { case }) => (
                Some(case.name.clone()),
                delete_classification("{{created}}"),
            ),
            Step::Cleanup(Removal::Batch { unit, batch }) => {
                let fixture = placeholders(unit);
                let (owner, batch_id) = fixture.batch(batch).unwrap_or_default();
                (label(unit), delete_batch(owner, batch_id))
            }
            Step::Cleanup(Removal::CreatedBatch { case }) => (
                Some(case.name.clone()),
                delete_batch(&classification, "{{created}}"),
            ),
        }
    }

    /// The fixture of a case's request under test, its ids as placeholders.
    fn view(&self, step: &Step<'_>) -> Option<Fixture> {
        let Step::Send { unit, case } = *step else {
            return None;
        };
        let classification = match &self.setup {
            Setup::Create => "{{classificationId}}".to_owned(),
            Setup::Reuse(id) => id.clone(),
        };
        let spec = self.units.get(unit)?.spec.clone();
        Some(Fixture::placeholders(&classification, &spec).view(&case.fixture))
    }

    /// The unit a step belongs to, if any.
    fn unit_of(&self, step: &Step<'_>) -> Option<usize> {
        match *step {
            Step::CreateClassification { unit, .. } => unit,
            Step::Upload { unit, .. } | Step::Send { unit, .. } | Step::ReadBack { unit, .. } => {
                Some(unit)
            }
            Step::Cleanup(Removal::Batch { unit, .. } | Removal::Classification { unit, .. }) => {
                Some(unit)
            }
            Step::Cleanup(
                Removal::CreatedBatch { case } | Removal::CreatedClassification { case },
            ) => self
                .units
                .iter()
                .position(|u| u.cases.iter().any(|c| std::ptr::eq(*c, case))),
            Step::Cleanup(Removal::RunClassification) => None,
        }
    }

    /// The id of the run's classification, as the plan shows it.
    fn run_classification(&self) -> String {
        match &self.setup {
            Setup::Create => "{{classificationId}}".to_owned(),
            Setup::Reuse(id) => id.clone(),
        }
    }

    /// Every request the run sends, in order, each with the label of what it belongs to: the
    /// request of each step, after the reads it needs first (getResults until a batch a case
    /// reads is processed; the first read of each classification and batch a delete names,
    /// which proves it the run's), and each classification created read back at once.
    pub fn requests(&self) -> Vec<(Option<String>, Request)> {
        let mut requests = Vec::new();
        // What is proven already, by unit: the same placeholder in two units is two things.
        // (No case may delete the run's classification, which every unit shares.)
        let mut proven: HashSet<(Option<usize>, ProofRead)> = HashSet::new();
        let run_classification = self.run_classification();
        for step in self.steps() {
            let (label, request) = self.request(&step);
            let unit = self.unit_of(&step);
            let view = self.view(&step).unwrap_or_default();
            for (classification, batch) in awaited(&request, &view) {
                requests.push((
                    label.clone(),
                    Vendor::results_request(&classification, &batch),
                ));
            }
            let batch_of = |file: &str| {
                let (batch, _) = view.files.iter().find(|(_, id)| id == file)?;
                view.batch(*batch)
                    .map(|(classification, batch)| (classification.to_owned(), batch.to_owned()))
            };
            for read in proof_reads(&request, batch_of) {
                if proven.insert((unit, read.clone())) {
                    requests.push((label.clone(), read.request()));
                }
            }
            let created = match step {
                Step::CreateClassification { unit: None, .. } => Some(run_classification.clone()),
                Step::CreateClassification { index, .. } => {
                    Some(format!("{{{{classificationId:{index}}}}}"))
                }
                _ => None,
            };
            requests.push((label.clone(), request));
            if let Some(id) = created {
                // Read back at once, to prove the new classification is the run's.
                let read = ProofRead::Classification(id);
                proven.insert((unit, read.clone()));
                requests.push((label, read.request()));
            }
        }
        requests
    }

    /// Every request of the run, described for a person (key redacted), as `--dry-run`
    /// prints them, then one line per skipped case.
    pub fn describe(&self, base_url: &str) -> Vec<String> {
        let mut lines: Vec<String> = self
            .requests()
            .into_iter()
            .map(|(label, request)| {
                let line = request.describe(base_url);
                match label {
                    Some(label) => format!("[{label}] {line}"),
                    None => line,
                }
            })
            .collect();
        lines.extend(
            self.skipped
                .iter()
                .map(|(case, reason)| format!("[{}] skipped: {reason}", case.name)),
        );
        lines
    }
}
