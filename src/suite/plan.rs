//! The schedule of a run: which cases run and which are skipped (and why), which fixture each
//! case gets, and every request that follows from it, in order. The run executes it;
//! `--dry-run` prints it.

use std::collections::HashSet;

use super::fixture::{Fixture, batch_files};
use super::options::RunOptions;
use super::ownership::{Marker, Named, ProofRead, proof_reads};
use super::transport::request::{Body, Request, Retry};
use super::vendor::Vendor;
use crate::contract::case::{Auth, BodySpec, Case, FixtureSpec, Placeholder};
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

/// Whether a case can share a fixture with others: it must change nothing, in the run's own
/// classification, whatever it is answered: a refusal, or a destructive request that names
/// nothing its fixture lets it delete (a vendor may accept it as a no-op).
fn shareable(case: &Case) -> bool {
    let destructive = Endpoint::destroys(&case.request.path, &case.request.method);
    case.request.repeat == 1
        && (case.expects_refusal() || destructive)
        && case.expect.deleted.is_empty()
        && case.expect.may_delete.is_empty()
        && case.expect.deleted_batches.is_empty()
        && case.expect.added.iter().all(|n| *n == 0)
        && case.fixture.batches.iter().all(|b| b.classification == 0)
}

/// How many destructive requests a case sends.
fn deletes_of(case: &Case) -> u64 {
    if Endpoint::destroys(&case.request.path, &case.request.method) {
        u64::from(case.request.repeat)
    } else {
        0
    }
}

/// Whether the case's request accepts a 2xx answer, and so may create what its endpoint
/// creates.
fn may_succeed(case: &Case) -> bool {
    case.expect
        .status
        .iter()
        .any(|pattern| (200..300).any(|status| pattern.matches(status)))
}

/// Whether the case's request creates a classification: a healthy target makes it succeed.
/// (A case that accepts a 2xx or a 4xx may create one too; the run deletes what it records.)
fn creates_classification(case: &Case) -> bool {
    case.request.endpoint() == Some(Endpoint::CreateClassification) && expects_success(case)
}

/// Whether a healthy target makes the case's request succeed: every answer it accepts is a
/// 2xx, or it repeats a request whose earlier sends must succeed.
fn expects_success(case: &Case) -> bool {
    let only_success = case
        .expect
        .status
        .iter()
        .all(|pattern| !(300..600).any(|status| pattern.matches(status)));
    only_success || (case.request.repeat > 1 && may_succeed(case))
}

/// The fixture classification a deleteClassification case deletes, as it must (its request
/// names `{{classificationId:N}}` and it accepts only a 2xx).
fn deletes_classification(case: &Case) -> Option<usize> {
    if case.request.endpoint() != Some(Endpoint::DeleteClassification) || !expects_success(case) {
        return None;
    }
    let BodySpec::Json(body) = &case.request.body else {
        return None;
    };
    let named = body.get("classificationId")?.as_str()?;
    let inner = named.strip_prefix("{{")?.strip_suffix("}}")?;
    match Placeholder::parse(inner) {
        Some(Placeholder::Classification(n)) => Some(n),
        _ => None,
    }
}

/// The fixture batches a deleteBatch case deletes, as it must.
fn deletes_batches(case: &Case) -> Vec<usize> {
    if case.request.endpoint() == Some(Endpoint::DeleteBatch) && expects_success(case) {
        case.expect.deleted_batches.clone()
    } else {
        Vec::new()
    }
}

/// Whether the case's request creates a batch (an upload naming no batch, that a healthy
/// target accepts).
fn creates_batch(case: &Case) -> bool {
    let names_batch = match &case.request.body {
        BodySpec::Form { fields, .. } => fields.iter().any(|(name, _)| name == "batchId"),
        _ => true,
    };
    case.request.endpoint() == Some(Endpoint::UploadFiles) && expects_success(case) && !names_batch
}

/// The smallest fixture every case of `cases` fits in (all in the run's classification).
fn union(cases: &[&Case]) -> FixtureSpec {
    let batches = cases
        .iter()
        .map(|c| c.fixture.batches.len())
        .max()
        .unwrap_or(0);
    let files: Vec<usize> = (0..batches)
        .map(|b| {
            cases
                .iter()
                .filter_map(|c| c.fixture.batches.get(b))
                .map(|batch| batch.files)
                .max()
                .unwrap_or(1)
        })
        .collect();
    FixtureSpec::of(&files)
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
        // What is proven already: the same placeholder in two units is two things, but the
        // run's classification is one.
        let mut proven: HashSet<(Option<usize>, ProofRead)> = HashSet::new();
        let run_classification = self.run_classification();
        let scoped = |unit: Option<usize>, read: ProofRead| match &read {
            ProofRead::Classification(id) if *id == run_classification => (None, read),
            _ => (unit, read),
        };
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
                if proven.insert(scoped(unit, read.clone())) {
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
                proven.insert(scoped(unit, read.clone()));
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

/// The batches a case's getResults request reads, of its fixture, as `(classificationId,
/// batchId)`: the run waits until each is processed before it sends the request, so that the
/// case judges a processed batch.
pub fn awaited(request: &Request, fixture: &Fixture) -> Vec<(String, String)> {
    if request.endpoint() != Some(Endpoint::GetResults) {
        return Vec::new();
    }
    let named = Named::of(request);
    let (Some(classification), Some(batch)) = (named.classification, named.batch) else {
        return Vec::new();
    };
    let ours = (0..fixture.batches.len())
        .filter_map(|n| fixture.batch(n))
        .any(|(c, b)| c == classification && b == batch);
    if ours {
        vec![(classification, batch)]
    } else {
        Vec::new()
    }
}

/// The wire request of `case`, placeholders filled from `fixture`; files it uploads are named
/// with `marker`.
pub fn case_request(case: &Case, fixture: &Fixture, marker: &Marker) -> Request {
    let body = match &case.request.body {
        BodySpec::None => Body::Empty,
        BodySpec::Json(json) => Body::Bytes(fixture.fill_json(json).to_string().into_bytes()),
        BodySpec::Raw(raw) => Body::Bytes(fixture.fill(raw).into_bytes()),
        BodySpec::Form { fields, files } => Body::Form {
            fields: fields
                .iter()
                .map(|(name, value)| (name.clone(), fixture.fill(value)))
                .collect(),
            files: batch_files(marker, 0, 0, *files),
        },
    };
    Request {
        method: case.request.method.clone(),
        path: case.request.path.clone(),
        auth: case.request.auth,
        content_type: case.request.content_type.clone(),
        body,
        // The request under test is observed as sent: a 5xx is the answer, never retried.
        retry: Retry::RateLimitOnly,
        case: Some(case.name.clone()),
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

    fn options() -> super::super::options::RunOptionsBuilder {
        RunOptions::builder()
            .base_url("https://api.example.invalid/api/v1")
            .api_key("first")
    }

    fn built(builder: super::super::options::RunOptionsBuilder) -> RunOptions {
        builder.build().unwrap_or_else(|e| panic!("{e}"))
    }

    fn with_second_account() -> RunOptions {
        built(options().second_api_key("second"))
    }

    #[test]
    fn refusals_share_one_fixture_and_the_rest_get_their_own() {
        let cases = cases();
        let plan = Plan::new(&cases, &with_second_account());
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
        assert!(shared.contains(&"delete-files/auth-missing"), "{shared:?}");
        assert!(
            !shared.contains(&"delete-files/valid-one-file"),
            "{shared:?}"
        );
        assert_eq!(
            plan.units.iter().map(|u| u.cases.len()).sum::<usize>(),
            cases.len()
        );
        assert!(plan.skipped.is_empty());
    }

    #[test]
    fn the_steps_create_provision_send_read_back_and_clean_up() {
        let cases = cases();
        let plan = Plan::new(&cases, &with_second_account());
        let steps = plan.steps();
        assert!(matches!(
            steps.first(),
            Some(Step::CreateClassification { unit: None, .. })
        ));
        assert!(matches!(steps.last(), Some(Step::Cleanup(_))));
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
        let options = built(
            options()
                .second_api_key("second")
                .classification_id(Some("theirs".to_owned())),
        );
        let plan = Plan::new(&cases, &options);
        let steps = plan.steps();
        let count = |matches: fn(&Step<'_>) -> bool| steps.iter().filter(|s| matches(s)).count();
        assert_eq!(
            count(|s| matches!(s, Step::Cleanup(Removal::RunClassification))),
            0
        );
        assert_eq!(count(|s| matches!(s, Step::CreateClassification { .. })), 0);
        let uploads = count(|s| matches!(s, Step::Upload { .. }));
        assert!(uploads > 0);
        // Every batch uploaded is deleted at the end, but for those a case deletes itself.
        let deleted_by_cases: usize = plan
            .units
            .iter()
            .flat_map(|u| &u.cases)
            .map(|c| deletes_batches(c).len())
            .sum();
        assert!(deleted_by_cases > 0);
        assert_eq!(
            uploads,
            count(|s| matches!(s, Step::Cleanup(Removal::Batch { .. }))) + deleted_by_cases
        );
        let lines = plan.describe("https://x/api/v1");
        assert!(
            lines.iter().all(|l| !(l.contains("/deleteClassification")
                && l.contains(r#""classificationId":"theirs""#))),
            "{lines:#?}"
        );
    }

    #[test]
    fn without_a_second_account_its_cases_are_skipped_with_the_reason() {
        let cases = cases();
        let plan = Plan::new(&cases, &built(options()));
        let other: Vec<&str> = cases
            .iter()
            .filter(|c| c.request.auth == Auth::Other)
            .map(|c| c.name.as_str())
            .collect();
        assert!(!other.is_empty());
        let skipped: Vec<&str> = plan.skipped.iter().map(|(c, _)| c.name.as_str()).collect();
        assert_eq!(skipped, other);
        assert!(plan.skipped[0].1.to_string().contains("--second-api-key"));
    }

    #[test]
    fn the_cap_on_deletes_holds_back_whole_cases_and_their_uploads() {
        let cases = cases();
        let options = built(options().second_api_key("second").max_deletes(Some(2)));
        let plan = Plan::new(&cases, &options);
        let sent: u64 = plan
            .units
            .iter()
            .flat_map(|u| &u.cases)
            .map(|c| deletes_of(c))
            .sum();
        assert!(sent <= 2, "{sent}");
        assert!(
            plan.skipped
                .iter()
                .all(|(_, why)| why.to_string().contains("--max-deletes 2"))
        );
        assert!(!plan.skipped.is_empty());
        let uploads = plan
            .steps()
            .iter()
            .filter(|s| matches!(s, Step::Upload { .. }))
            .count();
        assert_eq!(
            uploads,
            plan.units
                .iter()
                .map(|u| u.spec.batches.len())
                .sum::<usize>()
        );
    }

    /// A case of its own: `request` and `expect` as the case file writes them.
    fn case(name: &str, request: &str, expect: &str) -> Case {
        let text = format!(
            r#"{{"description": "d", "fixture": {{"batches": [2]}}, "request": {request}, "expect": {expect}}}"#
        );
        Case::parse(std::path::Path::new("t.json"), name, &text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_post_to_a_destructive_path_counts_against_the_cap_as_the_send_does() {
        let cases = [case(
            "post-to-delete-files",
            r#"{"method": "POST", "path": "/documentClassification/deleteFiles", "json": {}}"#,
            r#"{"status": "4xx"}"#,
        )];
        let plan = Plan::new(&cases, &built(options().max_deletes(Some(0))));
        assert_eq!(plan.skipped.len(), 1, "{:?}", plan.skipped);
        assert!(plan.units.is_empty());
        assert!(
            !plan
                .steps()
                .iter()
                .any(|s| matches!(s, Step::Upload { .. }))
        );
    }

    #[test]
    fn a_repeated_delete_counts_each_time_against_the_cap() {
        let cases = [case(
            "twice",
            r#"{"method": "DELETE", "path": "/documentClassification/deleteFiles", "json": {"classificationId": "{{classificationId}}", "batchId": "{{batchId}}", "fileIds": ["{{fileId:0}}"]}, "repeat": 2}"#,
            r#"{"status": [200, "4xx"], "deleted": [0]}"#,
        )];
        let capped = Plan::new(&cases, &built(options().max_deletes(Some(1))));
        assert_eq!(capped.skipped.len(), 1, "{:?}", capped.skipped);
        let room = Plan::new(&cases, &built(options().max_deletes(Some(2))));
        assert!(room.skipped.is_empty());
    }
}
