//! The typed pass over a JSON request body: the bodies of the flat schemas (string ids, and
//! deleteFiles' list of them) read straight into borrowed fields, without a JSON tree and
//! without the schema validator. It only ever proves a body well-formed; whatever it cannot
//! prove (a missing or empty field, a field of another type, an unknown or repeated field,
//! an escaped string, a body that is not JSON) it leaves to the parser and the validator,
//! which then give their verdict and their message as before.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A flat schema's fields: which the typed pass reads, and which of them are required.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// The schema's name.
    schema: &'static str,
    classification_id: Field,
    batch_id: Field,
    file_id: Field,
    file_ids: Field,
}

/// Whether a schema names a field, and requires it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// The schema does not name it: a body that has it is left to the validator.
    Absent,
    Optional,
    Required,
}

use Field::{Absent, Optional, Required};

/// The flat schemas. Every field they name is a non-empty string, or (`fileIds`) a list of
/// at most `max_file_ids` non-empty strings; none forbids other properties. A test holds
/// this table to the schema files.
const SHAPES: &[Shape] = &[
    Shape {
        schema: "delete-files.request",
        classification_id: Required,
        batch_id: Required,
        file_id: Absent,
        file_ids: Required,
    },
    Shape {
        schema: "delete-batch.request",
        classification_id: Required,
        batch_id: Required,
        file_id: Absent,
        file_ids: Absent,
    },
    Shape {
        schema: "delete-classification.request",
        classification_id: Required,
        batch_id: Absent,
        file_id: Absent,
        file_ids: Absent,
    },
    Shape {
        schema: "view-classification.request",
        classification_id: Required,
        batch_id: Absent,
        file_id: Absent,
        file_ids: Absent,
    },
    Shape {
        schema: "get-results.request",
        classification_id: Required,
        batch_id: Required,
        file_id: Optional,
        file_ids: Absent,
    },
];

/// A body of a flat schema, its strings borrowed from the request's bytes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FlatBody<'a> {
    classification_id: Option<&'a str>,
    batch_id: Option<&'a str>,
    file_id: Option<&'a str>,
    file_ids: Option<Vec<&'a str>>,
}

/// What the typed pass read: the body, or `None` when it gave up (an unknown or repeated
/// field, a field that is not an unescaped string). Giving up is not an error: the JSON is
/// read to its end all the same, as building an error's message would cost more than the
/// whole pass.
struct Read<'a>(Option<FlatBody<'a>>);

impl<'de> Deserialize<'de> for Read<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FlatVisitor)
    }
}

/// Reads a JSON object's known fields, once each, each an unescaped string (`fileIds` a
/// list of them).
struct FlatVisitor;

impl<'de> Visitor<'de> for FlatVisitor {
    type Value = Read<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a flat request body")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read<'de>, A::Error> {
        let mut body = FlatBody::default();
        let mut fits = true;
        while let Some(key) = map.next_key_seed(Text)? {
            let slot = match key {
                Some("classificationId") => &mut body.classification_id,
                Some("batchId") => &mut body.batch_id,
                Some("fileId") => &mut body.file_id,
                Some("fileIds") if body.file_ids.is_none() => {
                    body.file_ids = map.next_value_seed(Texts)?;
                    fits &= body.file_ids.is_some();
                    continue;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    fits = false;
                    continue;
                }
            };
            let value = map.next_value_seed(Text)?;
            fits &= slot.is_none() && value.is_some();
            *slot = value;
        }
        Ok(Read(fits.then_some(body)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Read<'de>, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Read(None))
    }

    fn visit_borrowed_str<E: de::Error>(self, _: &'de str) -> Result<Read<'de>, E> {
        Ok(Read(None))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Read<'de>, E> {
        Ok(Read(None))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Read<'de>, E> {
        Ok(Read(None))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Read<'de>, E> {
        Ok(Read(None))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Read<'de>, E> {
        Ok(Read(None))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Read<'de>, E> {
        Ok(Read(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Read<'de>, E> {
        Ok(Read(None))
    }
}

/// An unescaped string, borrowed; `None` for any other value, read to its end.
struct Text;

impl<'de> DeserializeSeed<'de> for Text {
    type Value = Option<&'de str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Text {
    type Value = Option<&'de str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Some(text))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_map(map).map(|_| None)
    }
}

/// A list of unescaped strings, borrowed; `None` for any other value, read to its end.
struct Texts;

impl<'de> DeserializeSeed<'de> for Texts {
    type Value = Option<Vec<&'de str>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Texts {
    type Value = Option<Vec<&'de str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of strings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut texts = Vec::with_capacity(seq.size_hint().unwrap_or(4));
        let mut fits = true;
        while let Some(text) = seq.next_element_seed(Text)? {
            match text {
                Some(text) if fits => texts.push(text),
                _ => fits = false,
            }
        }
        Ok(fits.then_some(texts))
    }

    fn visit_borrowed_str<E: de::Error>(self, _: &'de str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_map(map).map(|_| None)
    }
}

/// Whether `field` of a body holds what its schema asks for.
fn fits(field: Field, value: Option<&str>) -> bool {
    match (field, value) {
        (Absent, None) | (Optional, None) => true,
        (Absent, Some(_)) | (Required, None) => false,
        (Optional | Required, Some(text)) => !text.is_empty(),
    }
}

impl<'a> FlatBody<'a> {
    /// `bytes` read by the typed pass, if it proves them a well-formed body of the schema
    /// `schema` with at most `max_file_ids` file ids; `None` leaves them to the validator.
    pub fn prove(bytes: &'a [u8], schema: &str, max_file_ids: usize) -> Option<FlatBody<'a>> {
        let shape = SHAPES.iter().find(|s| s.schema == schema)?;
        // Checked as UTF-8 once, rather than string by string.
        let text = std::str::from_utf8(bytes).ok()?;
        let Read(body) = serde_json::from_str(text).ok()?;
        let body = body?;
        let ids_fit = match (shape.file_ids, &body.file_ids) {
            (Absent, None) | (Optional, None) => true,
            (Absent, Some(_)) | (Required, None) => false,
            (Optional | Required, Some(ids)) => {
                ids.len() <= max_file_ids && ids.iter().all(|id| !id.is_empty())
            }
        };
        let fields_fit = fits(shape.classification_id, body.classification_id)
            && fits(shape.batch_id, body.batch_id)
            && fits(shape.file_id, body.file_id);
        (ids_fit && fields_fit).then_some(body)
    }
}

/// A request body that passed its schema: read by the typed pass, or parsed into a document
/// and checked by the validator.
#[derive(Debug)]
pub enum Checked<'a> {
    /// Proved by the typed pass.
    Flat(FlatBody<'a>),
    /// Parsed and validated.
    Document(Value),
}

impl Checked<'_> {
    /// The string field `field` (`classificationId`, `batchId`, `fileId`), if the body has it
    /// as a string.
    pub fn get(&self, field: &str) -> Option<&str> {
        match self {
            Checked::Flat(body) => match field {
                "classificationId" => body.classification_id,
                "batchId" => body.batch_id,
                "fileId" => body.file_id,
                _ => None,
            },
            Checked::Document(document) => document.get(field).and_then(Value::as_str),
        }
    }

    /// The string field `field`, empty when the body does not have it.
    pub fn text(&self, field: &str) -> &str {
        self.get(field).unwrap_or_default()
    }

    /// The strings of `fileIds`, in order.
    pub fn file_ids(&self) -> Vec<&str> {
        match self {
            Checked::Flat(body) => body.file_ids.clone().unwrap_or_default(),
            Checked::Document(document) => document["fileIds"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect(),
        }
    }

    /// The parsed document, if the body was parsed into one.
    pub fn document(&self) -> Option<&Value> {
        match self {
            Checked::Flat(_) => None,
            Checked::Document(document) => Some(document),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::schema::SchemaSet;
    use crate::mock::bounds::Validators;
    use crate::mock::extract::{parse_json_body, validate_json_body};
    use crate::mock::limits::Limits;
    use proptest::prelude::*;

    #[test]
    fn the_shapes_are_the_schema_files() {
        for shape in SHAPES {
            let source = SchemaSet::source(shape.schema)
                .unwrap_or_else(|| panic!("no schema {}", shape.schema));
            let properties = source["properties"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            let required: Vec<&str> = source["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let fields = [
                ("classificationId", shape.classification_id),
                ("batchId", shape.batch_id),
                ("fileId", shape.file_id),
                ("fileIds", shape.file_ids),
            ];
            let named: Vec<&str> = fields
                .iter()
                .filter(|(_, field)| *field != Absent)
                .map(|(name, _)| *name)
                .collect();
            let mut properties_named: Vec<&str> = properties.keys().map(String::as_str).collect();
            properties_named.sort_unstable();
            let mut named_sorted = named.clone();
            named_sorted.sort_unstable();
            assert_eq!(properties_named, named_sorted, "{}", shape.schema);
            for (name, field) in fields {
                assert_eq!(
                    field == Required,
                    required.contains(&name),
                    "{}: {name}",
                    shape.schema
                );
            }
            assert_eq!(
                source["additionalProperties"],
                Value::Null,
                "{}",
                shape.schema
            );
            for (name, schema) in &properties {
                let string = serde_json::json!({"type": "string", "minLength": 1});
                let rule = if name == "fileIds" {
                    assert_eq!(schema["type"], "array", "{}", shape.schema);
                    assert!(schema["maxItems"].is_u64(), "{}", shape.schema);
                    &schema["items"]
                } else {
                    schema
                };
                let mut rule = rule.clone();
                if let Some(map) = rule.as_object_mut() {
                    map.remove("description");
                }
                assert_eq!(rule, string, "{}: {name}", shape.schema);
            }
        }
    }

    /// The verdict and the message of the parser and the validator alone.
    fn validated(bytes: &[u8], schema: &str, validators: &Validators) -> Result<Value, String> {
        validate_json_body(bytes, schema, validators, true)
            .map_err(|rejection| format!("{rejection} {:?}", rejection.situation()))
    }

    /// A JSON text for the fields of the flat schemas: strings (some empty, some escaped),
    /// other types, `null`, lists of ids, an unknown field, a repeated field.
    fn body() -> impl Strategy<Value = String> {
        let name = prop_oneof![
            Just("classificationId"),
            Just("batchId"),
            Just("fileId"),
            Just("fileIds"),
            Just("other"),
        ];
        let string = prop_oneof![
            Just(String::new()),
            "[a-z0-9-]{1,8}",
            Just("a\\\"b".to_owned()),
            Just("\\u00e9".to_owned()),
            Just("é".to_owned()),
        ]
        .prop_map(|s| format!("\"{s}\""));
        let scalar = prop_oneof![
            string.clone(),
            Just("null".to_owned()),
            Just("5".to_owned()),
            Just("1e400".to_owned()),
            Just("true".to_owned()),
            Just("{}".to_owned()),
        ];
        let list = prop::collection::vec(scalar.clone(), 0..5)
            .prop_map(|items| format!("[{}]", items.join(",")));
        let value = prop_oneof![4 => string, 2 => scalar, 2 => list];
        let fields = prop::collection::vec((name, value), 0..6);
        let whole = fields.prop_map(|fields| {
            let members: Vec<String> = fields
                .iter()
                .map(|(name, value)| format!("\"{name}\":{value}"))
                .collect();
            format!("{{{}}}", members.join(","))
        });
        // The flat schemas' own fields, well-formed but for some left out: many bodies the
        // typed pass proves.
        let id = "[a-z0-9-]{1,8}";
        let own = (
            prop::option::of(id),
            prop::option::of(id),
            prop::option::of(id),
            prop::option::of(prop::collection::vec(id, 0..4)),
        )
            .prop_map(|(classification, batch, file, files)| {
                let mut members = Vec::new();
                for (name, value) in [
                    ("classificationId", classification),
                    ("batchId", batch),
                    ("fileId", file),
                ] {
                    if let Some(value) = value {
                        members.push(format!("\"{name}\":\"{value}\""));
                    }
                }
                if let Some(files) = files {
                    let items: Vec<String> = files.iter().map(|f| format!("\"{f}\"")).collect();
                    members.push(format!("\"fileIds\":[{}]", items.join(",")));
                }
                format!("{{{}}}", members.join(", "))
            });
        prop_oneof![
            6 => whole,
            4 => own,
            1 => Just("[]".to_owned()),
            1 => Just("{\"classificationId\":\"c\",".to_owned()),
        ]
    }

    fn schemas() -> impl Strategy<Value = &'static str> {
        prop::sample::select(SHAPES.iter().map(|s| s.schema).collect::<Vec<_>>())
    }

    #[test]
    fn a_well_formed_body_of_each_flat_schema_is_proved() {
        let validators = Validators::contract();
        for (schema, body) in [
            (
                "delete-files.request",
                r#"{"classificationId":"c","batchId":"b","fileIds":["f1","f2"]}"#,
            ),
            (
                "delete-files.request",
                r#"{"fileIds":[],"batchId":"b","classificationId":"c"}"#,
            ),
            (
                "delete-batch.request",
                r#" {"classificationId":"c","batchId":"b"} "#,
            ),
            (
                "delete-classification.request",
                r#"{"classificationId":"c"}"#,
            ),
            ("view-classification.request", r#"{"classificationId":"c"}"#),
            (
                "get-results.request",
                r#"{"classificationId":"c","batchId":"b"}"#,
            ),
            (
                "get-results.request",
                r#"{"classificationId":"c","batchId":"b","fileId":"f"}"#,
            ),
        ] {
            let checked = parse_json_body(body.as_bytes(), schema, &validators, false);
            assert!(
                matches!(checked, Ok(Checked::Flat(_))),
                "{schema} {body}: {checked:?}"
            );
        }
        // What the typed pass cannot prove goes to the validator, which may well accept it.
        for body in [
            r#"{"classificationId":"c\u0041"}"#,
            r#"{"classificationId":"c","other":1}"#,
        ] {
            let checked = parse_json_body(
                body.as_bytes(),
                "view-classification.request",
                &validators,
                false,
            );
            assert!(
                matches!(checked, Ok(Checked::Document(_))),
                "{body}: {checked:?}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// Whatever the typed pass proves, the validator accepts, and the handler reads the
        /// same fields from it; whatever it leaves, the validator judges with its own message.
        #[test]
        fn the_typed_pass_agrees_with_the_validator(
            text in body(),
            schema in schemas(),
            max_file_ids in prop_oneof![Just(10_000_usize), 0..3_usize],
        ) {
            let limits = Limits::default().max_file_ids(max_file_ids);
            let validators = Validators::new(&limits).unwrap_or_else(|e| panic!("{e}"));
            let bytes = text.as_bytes();
            let with_pass = parse_json_body(bytes, schema, &validators, true);
            let without = validated(bytes, schema, &validators);
            match with_pass {
                Ok(Checked::Flat(body)) => {
                    let document = without.unwrap_or_else(|e| panic!("{text}: proved, but {e}"));
                    let fast = Checked::Flat(body);
                    let slow = Checked::Document(document);
                    for field in ["classificationId", "batchId", "fileId"] {
                        prop_assert_eq!(fast.get(field), slow.get(field), "{}", text);
                    }
                    prop_assert_eq!(fast.file_ids(), slow.file_ids(), "{}", text);
                }
                Ok(Checked::Document(document)) => prop_assert_eq!(Ok(document), without),
                Err(rejection) => prop_assert_eq!(
                    Err(format!("{rejection} {:?}", rejection.situation())),
                    without
                ),
            }
        }
    }
}
