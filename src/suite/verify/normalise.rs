//! Normalisation of an observation into a [`Snapshot`]: two runs against the same healthy
//! vendor must give the same value. Every id the run generated is replaced by its placeholder
//! name wherever it appears (also inside messages), values that change per request become
//! named placeholders ([`volatile`](super::volatile)), maps are sorted, and the keys the run
//! holds become `[REDACTED]` (a snapshot is written out; the checks have already seen the
//! answer as it came).

use serde_json::{Map, Value};

use super::volatile::{self, TIMESTAMP, TOKEN, VOLATILE, VolatileRules};
use crate::redact::Redactor;
use crate::result::{BatchAfter, BatchRead, Observation, Snapshot};
use crate::suite::fixture::Fixture;

/// What a batch that could not be read back becomes.
pub const UNREADABLE: &str = "[unreadable]";
/// What a batch getResults refused becomes.
pub const GONE: &str = "[gone]";

/// The stable form of `observation`: status, content type, body and the batches afterwards.
pub fn normalise(
    observation: &Observation,
    fixture: &Fixture,
    rules: &VolatileRules,
    redactor: &Redactor,
) -> Snapshot {
    let mut ids = fixture.names();
    let known: Vec<String> = ids.iter().map(|(id, _)| id.clone()).collect();
    let mut new = Vec::new();
    if let Some(json) = &observation.response.json {
        handed_out(json, None, &known, &mut new);
    }
    for read in &observation.batches {
        for id in read.files().into_iter().flatten() {
            if !known.contains(id) && !new.contains(id) {
                new.push(id.clone());
            }
        }
    }
    ids.extend(
        new.into_iter()
            .enumerate()
            .map(|(n, id)| (id, format!("[new:{n}]"))),
    );
    ids.sort_by_key(|(id, _)| std::cmp::Reverse(id.len()));
    let names = Names {
        ids: ids
            .into_iter()
            .filter(|(id, _)| !id.is_empty())
            .map(|(id, name)| (memchr::memmem::Finder::new(&id).into_owned(), name))
            .collect(),
        rules,
        redactor,
    };
    let body = match &observation.response.json {
        Some(json) => names.stabilise(json, None, "/body"),
        None => Value::String(names.text(&observation.response.text)),
    };
    let batches_after = observation
        .batches
        .iter()
        .map(|read| match read {
            BatchRead::Listed(ids) => BatchAfter::Files(
                ids.iter()
                    .map(|id| names.string(id, Some("fileId")))
                    .collect(),
            ),
            BatchRead::Gone { .. } => BatchAfter::Note(GONE.to_owned()),
            BatchRead::Unreadable(_) | BatchRead::Interrupted => {
                BatchAfter::Note(UNREADABLE.to_owned())
            }
        })
        .collect();
    Snapshot {
        batches_after,
        body,
        content_type: observation
            .response
            .content_type
            .as_deref()
            .map(|c| names.text(c)),
        earlier_statuses: observation.earlier.clone(),
        status: observation.response.status,
    }
}

/// The ids the answer hands out that the fixture does not hold (a created classification, an
/// uploaded file), in the order they stand (maps by key): named `[new:N]` wherever they appear
/// (a file's `url` holds its id too). A request's own id is not one of them.
fn handed_out(value: &Value, key: Option<&str>, known: &[String], new: &mut Vec<String>) {
    match value {
        Value::String(s)
            if key.is_some_and(volatile::is_entity_id_field)
                && volatile::is_random_token(s)
                && !known.contains(s)
                && !new.contains(s) =>
        {
            new.push(s.clone());
        }
        Value::Array(items) => items.iter().for_each(|v| handed_out(v, None, known, new)),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for k in keys {
                handed_out(&map[k], Some(k), known, new);
            }
        }
        _ => {}
    }
}

/// `text` with every id that `finder` finds (left to right, not overlapping, as
/// [`str::replace`] finds them) replaced by `name`; `text` itself where the id is absent, as
/// it is from most values. An answer can be megabytes long: the search is memchr's, its
/// finder built once per observation.
fn replace(text: String, finder: &memchr::memmem::Finder<'_>, name: &str) -> String {
    let id_len = finder.needle().len();
    let mut found = finder.find_iter(text.as_bytes()).peekable();
    if found.peek().is_none() {
        return text;
    }
    let mut replaced = String::with_capacity(text.len());
    let mut last = 0;
    for start in found {
        replaced.push_str(&text[last..start]);
        replaced.push_str(name);
        last = start + id_len;
    }
    replaced.push_str(&text[last..]);
    replaced
}

/// What values are stabilised with: the run's ids with their names, the profile's volatile
/// values, and the redactor.
struct Names<'a> {
    /// `(a finder of the id, its name)`, the longest id first; no empty id.
    ids: Vec<(memchr::memmem::Finder<'static>, String)>,
    rules: &'a VolatileRules,
    redactor: &'a Redactor,
}

impl Names<'_> {
    /// `text` with every id named, every volatile value inside it named, and every secret
    /// redacted.
    fn text(&self, text: &str) -> String {
        // A handful of ids in a few short strings: a search per id costs less than building
        // an automaton for every case (the finders are built once per observation).
        let named = self
            .ids
            .iter()
            .fold(text.to_owned(), |text, (finder, name)| {
                replace(text, finder, name)
            });
        let named = volatile::in_text(&named);
        self.redactor.redact(&named)
    }

    /// A string value under `key`: as [`Names::text`], and a whole random token in an
    /// id-like field named.
    fn string(&self, value: &str, key: Option<&str>) -> String {
        let text = self.text(value);
        if key.is_some_and(volatile::is_id_field)
            && volatile::is_random_token(&text)
            && !self.ids.iter().any(|(_, name)| *name == text)
        {
            return TOKEN.to_owned();
        }
        text
    }

    /// Sorts maps and names ids and volatile values; `key` is the field `value` stands under,
    /// `pointer` where it is in the snapshot.
    fn stabilise(&self, value: &Value, key: Option<&str>, pointer: &str) -> Value {
        if self.rules.names(key, pointer) {
            return Value::String(VOLATILE.to_owned());
        }
        match value {
            Value::Number(_) | Value::String(_)
                if key.is_some_and(volatile::is_timestamp_field) =>
            {
                Value::String(TIMESTAMP.to_owned())
            }
            Value::Number(_) if volatile::is_epoch(value) => Value::String(TIMESTAMP.to_owned()),
            Value::String(s) => Value::String(self.string(s, key)),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(n, v)| self.stabilise(v, None, &format!("{pointer}/{n}")))
                    .collect(),
            ),
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let sorted: Map<String, Value> = keys
                    .into_iter()
                    .map(|k| {
                        let child =
                            format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1"));
                        (self.text(k), self.stabilise(&map[k], Some(k), &child))
                    })
                    .collect();
                Value::Object(sorted)
            }
            other => other.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::ApiKey;
    use crate::result::Response;
    use serde_json::json;

    fn normalise(observation: &Observation, fixture: &Fixture) -> Snapshot {
        super::normalise(
            observation,
            fixture,
            &VolatileRules::default(),
            &Redactor::default(),
        )
    }

    fn fixture(suffix: &str) -> Fixture {
        Fixture {
            classification_ids: vec![format!("cls-{suffix}")],
            batches: vec![crate::suite::fixture::FixtureBatch {
                classification: 0,
                id: format!("batch-{suffix}"),
            }],
            files: vec![
                (0, format!("file-{suffix}1")),
                (0, format!("file-{suffix}2")),
            ],
            marker: None,
        }
    }

    fn observation(f: &Fixture) -> Observation {
        let body = json!({"status": "error", "message": format!("file {} not found", f.files[0].1),
            "deletedAt": 1_712_547_789_609_u64, "a": 1, "when": "2026-11-28T15:04:05Z"});
        Observation::new(
            vec![],
            Response::new(404, Some("application/json".into()), body.to_string()),
            vec![BatchRead::Listed(vec![f.files[1].1.clone()])],
        )
    }

    proptest::proptest! {
        #[test]
        fn an_id_is_replaced_where_str_replace_would(
            text in "[ab\u{e9}\u{1F600}-]{0,40}",
            id in "[ab\u{e9}\u{1F600}]{1,3}",
        ) {
            let finder = memchr::memmem::Finder::new(&id);
            proptest::prop_assert_eq!(replace(text.clone(), &finder, "<n>"), text.replace(&id, "<n>"));
        }
    }

    #[test]
    fn a_file_the_batch_lists_that_the_fixture_does_not_hold_is_named_new() {
        let f = fixture("x");
        let stranger = "file-uploaded-by-someone-else".to_owned();
        let observed = Observation::new(
            vec![],
            Response::new(200, Some("application/json".into()), "{}".into()),
            vec![BatchRead::Listed(vec![
                f.files[1].1.clone(),
                stranger.clone(),
                f.files[0].1.clone(),
            ])],
        );
        let snapshot = normalise(&observed, &f);
        assert_eq!(
            snapshot.batches_after,
            [BatchAfter::Files(vec![
                "[fileId:1]".into(),
                "[new:0]".into(),
                "[fileId:0]".into()
            ])]
        );
    }

    #[test]
    fn a_timestamp_field_is_named_whatever_its_value_looks_like() {
        let f = fixture("x");
        let body = json!({"createdAt": "yesterday", "updatedAt": 7});
        let observed = Observation::new(
            vec![],
            Response::new(200, Some("application/json".into()), body.to_string()),
            vec![],
        );
        let snapshot = normalise(&observed, &f);
        assert_eq!(snapshot.body["createdAt"], TIMESTAMP);
        assert_eq!(snapshot.body["updatedAt"], TIMESTAMP);
    }

    #[test]
    fn two_runs_with_other_ids_normalise_alike() {
        let (one, two) = (fixture("aaa"), fixture("bbbbbb"));
        assert_eq!(
            normalise(&observation(&one), &one),
            normalise(&observation(&two), &two)
        );
    }

    #[test]
    fn a_key_the_vendor_echoes_is_redacted_in_the_snapshot() {
        let f = fixture("x");
        let body = json!({"status": "error", "message": "you sent Bearer sk-9f1"});
        let observed = Observation::new(
            vec![],
            Response::new(401, Some("application/json".into()), body.to_string()),
            vec![],
        );
        let redactor = Redactor::new([ApiKey::new("sk-9f1")]);
        let snapshot = super::normalise(&observed, &f, &VolatileRules::default(), &redactor);
        assert_eq!(snapshot.body["message"], "you sent Bearer [REDACTED]");
    }

    /// An answer to a delete of file 1, with what a noisy vendor adds to every answer.
    fn noisy(f: &Fixture, seed: u32) -> Observation {
        let body = json!({
            "status": "success", "message": "Files deleted",
            "requestId": format!("req_{seed:08x}9a"),
            "traceId": format!("{seed:08x}3577b34da6a3ce929d0e0e4736"),
            "meta": {"served": format!("2026-11-{:02}T10:00:00Z", 1 + seed % 27), "epoch": 1_700_000_000 + u64::from(seed), "region": format!("eu-{seed}")},
            "uuid": format!("{seed:08x}-9a4d-4e6f-8b2a-1c3d5e7f9a0b"),
            "detail": format!("deleted {} in request {seed:08x}-9a4d-4e6f-8b2a-1c3d5e7f9a0b", f.files[1].1),
        });
        Observation::new(
            vec![],
            Response::new(200, Some("application/json".into()), body.to_string()),
            vec![BatchRead::Listed(vec![f.files[0].1.clone()])],
        )
    }

    #[test]
    fn per_request_ids_and_timestamps_are_not_drift() {
        let (one, two) = (fixture("aaa"), fixture("bbbb"));
        let rules = VolatileRules {
            fields: vec!["region".to_owned()],
            pointers: vec![],
        };
        let snapshot =
            |f: &Fixture, seed| super::normalise(&noisy(f, seed), f, &rules, &Redactor::default());
        assert_eq!(snapshot(&one, 1), snapshot(&two, 2));
        let body = snapshot(&one, 1).body;
        assert_eq!(body["requestId"], TOKEN);
        assert_eq!(body["meta"]["region"], VOLATILE);
        assert_eq!(body["detail"], "deleted [fileId:1] in request [uuid]");
        // Without the profile's rule, the region differs between the two runs.
        let plain = |f: &Fixture, seed| normalise(&noisy(f, seed), f);
        assert_ne!(plain(&one, 1), plain(&two, 2));
    }

    #[test]
    fn a_field_that_appears_is_still_seen() {
        let f = fixture("x");
        let mut observed = noisy(&f, 1);
        let mut with_field = observed.response.json.clone().unwrap_or_default();
        with_field["deleteAll"] = json!(false);
        observed.response = Response::new(200, None, with_field.to_string());
        assert_eq!(normalise(&observed, &f).body["deleteAll"], json!(false));
    }

    #[test]
    fn ids_in_messages_and_timestamps_get_names_and_maps_are_sorted() {
        let f = fixture("x");
        let snapshot = normalise(&observation(&f), &f);
        assert_eq!(snapshot.body["message"], "file [fileId:0] not found");
        assert_eq!(snapshot.body["deletedAt"], TIMESTAMP);
        assert_eq!(snapshot.body["when"], TIMESTAMP);
        assert_eq!(
            snapshot.batches_after,
            [BatchAfter::Files(vec!["[fileId:1]".to_owned()])]
        );
        let keys: Vec<&String> = snapshot
            .body
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["a", "deletedAt", "message", "status", "when"]);
    }
}
