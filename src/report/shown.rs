//! The report as it may be shown: a copy of a [`RunReport`] with every text and value from the
//! target redacted first, then cut to what a report can show. The renderers lay out this copy,
//! so a key is replaced before anything shortens or escapes it, and no report holds more of an
//! answer than these bounds, however long the answer.
//!
//! Memory: the copy holds at most [`KEPT_TEXT`] characters of each text and about
//! [`KEPT_VALUE`] bytes of each value, so the reports add a bounded amount per case, whatever
//! the answers. What stays proportional to the answers is the engine's own report, which keeps
//! each answer it checked normalised (and, after a drift, its baseline's) and its exchange
//! redacted and cut to 64 KiB; while it judges a case it also holds the answer as text and as
//! JSON: at most about 3 × `--max-response-size` per case. Measured on the full suite with
//! every deleteFiles answer a 3 MiB message (27 cases quoting it): a peak of 260 MB, where
//! rendering the reports from the whole answers took 1.1 GB.

use serde_json::{Map, Value};

use crate::contract::schema::Violation;
use crate::redact::Redactor;
use crate::result::quote::shortened;
use crate::result::{
    BaselineCheck, BatchAfter, CaseResult, Change, Cleanup, Exchange, Failure, FileRef, Kept,
    Response, RunReport, SentBody, SentRequest, Snapshot, TargetInfo,
};

/// The most characters of any one text from the target a report keeps (an answer's body, a
/// string in a JSON value, an id): past it the text is cut and says how many bytes it left out.
pub const KEPT_TEXT: usize = 16 * 1024;

/// The most bytes of any one JSON value a report keeps (a body, a drift's `before` or `after`),
/// about as compact JSON: past it, strings are cut and lists and maps end with an entry saying
/// how many more there were.
pub const KEPT_VALUE: usize = 16 * 1024;

/// The shortest a string in a value is cut to, however little of the budget is left.
const MIN_KEPT_STRING: usize = 64;

/// `report` redacted, then cut to the bounds above.
pub fn shown(report: &RunReport, redactor: &Redactor) -> RunReport {
    let show = Show { redactor };
    RunReport {
        target: TargetInfo {
            base_url: show.text(&report.target.base_url),
            profile: show.text(&report.target.profile),
            baseline: report.target.baseline.as_deref().map(|b| show.text(b)),
        },
        cases: report.cases.iter().map(|c| show.case(c)).collect(),
        cleanup: Cleanup {
            deleted: show.texts(&report.cleanup.deleted),
            gone: show.texts(&report.cleanup.gone),
            failed: report
                .cleanup
                .failed
                .iter()
                .map(|(id, why)| (show.text(id), show.text(why)))
                .collect(),
            kept: report.cleanup.kept.as_ref().map(|kept| Kept {
                run_id: show.text(&kept.run_id),
                classifications: show.texts(&kept.classifications),
                batches: kept
                    .batches
                    .iter()
                    .map(|(c, b)| (show.text(c), show.text(b)))
                    .collect(),
                cases: show.texts(&kept.cases),
            }),
        },
        orphaned: show.texts(&report.orphaned),
        interrupted: report.interrupted,
        duration: report.duration,
        traffic: report.traffic,
        deselected: report.deselected,
        pruned: report.pruned,
    }
}

/// `report` cut to the bounds above, with nothing redacted: what every renderer lays out, so
/// that a report is bounded whoever calls it (the CLI passes a copy it has redacted).
pub(super) fn bounded(report: &RunReport) -> RunReport {
    shown(report, &Redactor::default())
}

/// One case redacted, then cut to the bounds above.
pub fn shown_case(case: &CaseResult, redactor: &Redactor) -> CaseResult {
    Show { redactor }.case(case)
}

/// Redacts, then cuts.
struct Show<'a> {
    redactor: &'a Redactor,
}

impl Show<'_> {
    /// A text: redacted, then cut after [`KEPT_TEXT`] characters.
    fn text(&self, text: &str) -> String {
        self.text_to(text, KEPT_TEXT)
    }

    fn text_to(&self, text: &str, limit: usize) -> String {
        shortened(&self.redactor.redact(text), limit)
    }

    fn texts(&self, texts: &[String]) -> Vec<String> {
        texts.iter().map(|t| self.text(t)).collect()
    }

    /// A value within [`KEPT_VALUE`] bytes.
    fn value(&self, value: &Value) -> Value {
        let mut budget = KEPT_VALUE;
        self.value_within(value, &mut budget)
    }

    fn value_within(&self, value: &Value, budget: &mut usize) -> Value {
        match value {
            Value::String(text) => {
                let limit = (*budget).clamp(MIN_KEPT_STRING, KEPT_TEXT);
                let kept = self.text_to(text, limit);
                *budget = budget.saturating_sub(kept.len() + 3);
                Value::String(kept)
            }
            Value::Array(items) => {
                let mut kept = Vec::new();
                for (n, item) in items.iter().enumerate() {
                    if *budget == 0 {
                        kept.push(Value::String(format!("… ({} more items)", items.len() - n)));
                        break;
                    }
                    kept.push(self.value_within(item, budget));
                }
                Value::Array(kept)
            }
            Value::Object(fields) => {
                let mut kept = Map::new();
                for (n, (name, item)) in fields.iter().enumerate() {
                    if *budget == 0 {
                        kept.insert(
                            "…".to_owned(),
                            Value::String(format!("{} more fields", fields.len() - n)),
                        );
                        break;
                    }
                    let name = self.text_to(name, MIN_KEPT_STRING.max(*budget).min(KEPT_TEXT));
                    *budget = budget.saturating_sub(name.len() + 4);
                    let item = self.value_within(item, budget);
                    kept.insert(name, item);
                }
                Value::Object(kept)
            }
            other => {
                *budget = budget.saturating_sub(8);
                other.clone()
            }
        }
    }

    fn case(&self, case: &CaseResult) -> CaseResult {
        CaseResult {
            name: self.text(&case.name),
            description: self.text(&case.description),
            outcome: case.outcome,
            duration: case.duration,
            failures: case.failures.iter().map(|f| self.failure(f)).collect(),
            observation: case.observation.as_ref().map(|s| self.snapshot(s)),
            skip_reason: case.skip_reason,
            exchange: case.exchange.as_ref().map(|e| self.exchange(e)),
            baseline: case.baseline.as_ref().map(|b| BaselineCheck {
                status: b.status,
                recorded: b.recorded.as_ref().map(|s| self.snapshot(s)),
            }),
            read_back: case.read_back.iter().map(|r| self.request(r)).collect(),
        }
    }

    fn snapshot(&self, snapshot: &Snapshot) -> Snapshot {
        Snapshot {
            batches_after: snapshot
                .batches_after
                .iter()
                .map(|b| self.batch_after(b))
                .collect(),
            body: self.value(&snapshot.body),
            content_type: snapshot.content_type.as_deref().map(|t| self.text(t)),
            earlier_statuses: snapshot.earlier_statuses.clone(),
            status: snapshot.status,
        }
    }

    fn batch_after(&self, batch: &BatchAfter) -> BatchAfter {
        match batch {
            BatchAfter::Files(ids) => {
                let Value::Array(kept) = self.value(&Value::from(ids.clone())) else {
                    return BatchAfter::Files(Vec::new());
                };
                BatchAfter::Files(
                    kept.into_iter()
                        .map(|v| v.as_str().unwrap_or_default().to_owned())
                        .collect(),
                )
            }
            BatchAfter::Note(note) => BatchAfter::Note(self.text(note)),
        }
    }

    fn exchange(&self, exchange: &Exchange) -> Exchange {
        Exchange {
            request: self.request(&exchange.request),
            response: exchange.response.as_ref().map(|r| Response {
                status: r.status,
                content_type: r.content_type.as_deref().map(|t| self.text(t)),
                text: self.text(&r.text),
                json: r.json.as_ref().map(|v| self.value(v)),
            }),
        }
    }

    fn request(&self, request: &SentRequest) -> SentRequest {
        SentRequest {
            method: self.text(&request.method),
            url: self.text(&request.url),
            auth: request.auth,
            content_type: request.content_type.as_deref().map(|t| self.text(t)),
            body: match &request.body {
                SentBody::None => SentBody::None,
                SentBody::Text { text } => SentBody::Text {
                    text: self.text(text),
                },
                SentBody::Form { fields, files } => {
                    let pairs = |pairs: &[(String, String)]| {
                        pairs
                            .iter()
                            .map(|(a, b)| (self.text(a), self.text(b)))
                            .collect()
                    };
                    SentBody::Form {
                        fields: pairs(fields),
                        files: pairs(files),
                    }
                }
            },
        }
    }

    fn ids(&self, ids: &[String]) -> Vec<String> {
        match self.value(&Value::from(ids.to_vec())) {
            Value::Array(kept) => kept
                .into_iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect(),
            _ => Vec::new(),
        }
    }

    fn failure(&self, failure: &Failure) -> Failure {
        match failure {
            Failure::ContentType { expected, actual } => Failure::ContentType {
                expected: self.text(expected),
                actual: actual.as_deref().map(|a| self.text(a)),
            },
            Failure::NotJson { excerpt } => Failure::NotJson {
                excerpt: self.text(excerpt),
            },
            Failure::Schema { schema, violation } => Failure::Schema {
                schema: self.text(schema),
                violation: Violation {
                    pointer: self.text(&violation.pointer),
                    message: self.text(&violation.message),
                },
            },
            Failure::BodyField {
                field,
                expected,
                actual,
            } => Failure::BodyField {
                field: self.text(field),
                expected: self.value(expected),
                actual: actual.as_ref().map(|a| self.value(a)),
            },
            Failure::StatusWord {
                status,
                says,
                must_say,
            } => Failure::StatusWord {
                status: *status,
                says: self.text(says),
                must_say,
            },
            Failure::Unreadable { batch, reason } => Failure::Unreadable {
                batch: *batch,
                reason: self.text(reason),
            },
            Failure::Effect { file, problem } => Failure::Effect {
                file: FileRef {
                    index: file.index,
                    batch: file.batch,
                    id: self.text(&file.id),
                },
                problem: *problem,
            },
            Failure::Added {
                batch,
                expected,
                ids,
            } => Failure::Added {
                batch: *batch,
                expected: *expected,
                ids: self.ids(ids),
            },
            Failure::BatchGone { batch, id } => Failure::BatchGone {
                batch: *batch,
                id: self.text(id),
            },
            Failure::BatchRemains { batch, id } => Failure::BatchRemains {
                batch: *batch,
                id: self.text(id),
            },
            Failure::Transport { cause } => Failure::Transport {
                cause: self.text(cause),
            },
            Failure::Setup { reason } => Failure::Setup {
                reason: self.text(reason),
            },
            Failure::Drift(change) => Failure::Drift(self.change(change)),
            // The rest carry nothing from the target.
            other => other.clone(),
        }
    }

    fn change(&self, change: &Change) -> Change {
        let path = |p: &str| self.text(p);
        match change {
            Change::ContentType { before, after } => Change::ContentType {
                before: before.as_deref().map(|t| self.text(t)),
                after: after.as_deref().map(|t| self.text(t)),
            },
            Change::FieldAdded { path: p } => Change::FieldAdded { path: path(p) },
            Change::FieldRemoved { path: p } => Change::FieldRemoved { path: path(p) },
            Change::TypeChanged {
                path: p,
                before,
                after,
            } => Change::TypeChanged {
                path: path(p),
                before,
                after,
            },
            Change::Reworded {
                path: p,
                before,
                after,
            } => Change::Reworded {
                path: path(p),
                before: self.text(before),
                after: self.text(after),
            },
            Change::ValueChanged {
                path: p,
                before,
                after,
            } => Change::ValueChanged {
                path: path(p),
                before: self.value(before),
                after: self.value(after),
            },
            Change::FilesLeft {
                batch,
                before,
                after,
            } => Change::FilesLeft {
                batch: *batch,
                before: before.as_ref().map(|b| self.batch_after(b)),
                after: after.as_ref().map(|b| self.batch_after(b)),
            },
            // Statuses only.
            other => other.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::redact::ApiKey;
    use crate::result::Outcome;

    #[test]
    fn a_key_past_the_cut_is_redacted_before_the_text_is_cut() {
        let redactor = Redactor::new([ApiKey::new("sk-live-0123456789")]);
        let padded = format!("{}sk-live-0123456789", "x".repeat(KEPT_TEXT - 4));
        let kept = Show {
            redactor: &redactor,
        }
        .text(&padded);
        assert!(!kept.contains("sk-l"), "{kept}");
    }

    #[test]
    fn a_huge_value_is_kept_within_its_budget_and_says_what_it_left_out() {
        let redactor = Redactor::default();
        let show = Show {
            redactor: &redactor,
        };
        let huge = json!({
            "message": "a".repeat(3 * 1024 * 1024),
            "items": (0..100_000).collect::<Vec<u32>>(),
        });
        let kept = show.value(&huge);
        let size = serde_json::to_string(&kept).map(|t| t.len()).unwrap_or(0);
        assert!(size < KEPT_VALUE + 1024, "{size}");
        assert!(
            kept["message"]
                .as_str()
                .is_some_and(|m| m.ends_with("more bytes)")),
            "{kept}"
        );
        let failure = Failure::Drift(Change::ValueChanged {
            path: "message".into(),
            before: json!("Invalid batchId"),
            after: huge["message"].clone(),
        });
        let case = CaseResult::new(
            "c",
            "d",
            Outcome::Failed,
            vec![failure],
            None,
            Duration::ZERO,
        );
        let line = shown_case(&case, &redactor).failures[0].to_string();
        assert!(line.ends_with("…\" (3145728 bytes)"), "{line}");
        assert!(line.len() < 400, "{line}");
    }
}
