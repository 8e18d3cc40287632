//! The contract as an OpenAPI 3.1 document, generated from `schemas/`.
//!
//! The JSON Schemas are embedded as components as they are (only their `$id`/`$schema` are
//! dropped and their internal `#/$defs/...` references re-rooted), so the document never
//! drifts from the schemas: `schemas/openapi.json` is this output, and a test regenerates it.

use serde_json::{Map, Value, json};

use crate::schema::SchemaSet;

/// The schemas the document embeds as components, under their file names.
const COMPONENTS: &[&str] = &[
    "create-classification.request",
    "create-classification.response",
    "view-classification.request",
    "view-classification.response",
    "upload-files.request",
    "upload-files.response",
    "get-results.request",
    "get-results.response",
    "delete-files.request",
    "delete-batch.request",
    "delete-classification.request",
    "status.response",
];

/// One endpoint: method, name, summary, request schema, request media type, 200 schema.
struct Operation {
    method: &'static str,
    name: &'static str,
    summary: &'static str,
    request: &'static str,
    media_type: &'static str,
    reply: &'static str,
}

const OPERATIONS: &[Operation] = &[
    Operation {
        method: "post",
        name: "createClassification",
        summary: "Create a classification with its candidate document types",
        request: "create-classification.request",
        media_type: "application/json",
        reply: "create-classification.response",
    },
    Operation {
        method: "post",
        name: "viewClassification",
        summary: "Return a classification's stored definition",
        request: "view-classification.request",
        media_type: "application/json",
        reply: "view-classification.response",
    },
    Operation {
        method: "post",
        name: "uploadFiles",
        summary: "Add files to a classification, in a new batch or an existing one",
        request: "upload-files.request",
        media_type: "multipart/form-data",
        reply: "upload-files.response",
    },
    Operation {
        method: "post",
        name: "getResults",
        summary: "The predicted document type of each file of a batch (keep 2 s between calls)",
        request: "get-results.request",
        media_type: "application/json",
        reply: "get-results.response",
    },
    Operation {
        method: "delete",
        name: "deleteFiles",
        summary: "Permanently delete files of a batch; the rest of the batch stays",
        request: "delete-files.request",
        media_type: "application/json",
        reply: "status.response",
    },
    Operation {
        method: "delete",
        name: "deleteBatch",
        summary: "Permanently delete a batch with its files and results",
        request: "delete-batch.request",
        media_type: "application/json",
        reply: "status.response",
    },
    Operation {
        method: "delete",
        name: "deleteClassification",
        summary: "Permanently delete a classification with all its batches",
        request: "delete-classification.request",
        media_type: "application/json",
        reply: "status.response",
    },
];

/// The request and the 200 reply schema of an endpoint, by its name (e.g. `deleteFiles`).
pub fn schemas_of(endpoint: &str) -> Option<(&'static str, &'static str)> {
    OPERATIONS
        .iter()
        .find(|op| op.name == endpoint)
        .map(|op| (op.request, op.reply))
}

fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// Re-roots `#/$defs/...` references of the schema `name` under its component.
fn rebase(value: &mut Value, name: &str) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref") {
                if let Some(rest) = target.strip_prefix("#/") {
                    *target = format!("#/components/schemas/{name}/{rest}");
                }
            }
            map.values_mut().for_each(|v| rebase(v, name));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rebase(v, name)),
        _ => {}
    }
}

fn component(name: &str) -> Value {
    let mut schema = SchemaSet::source(name).unwrap_or(Value::Null);
    if let Some(map) = schema.as_object_mut() {
        map.remove("$id");
        map.remove("$schema");
    }
    rebase(&mut schema, name);
    schema
}

fn operation(op: &Operation) -> Value {
    let json_reply = |schema: Value, description: &str| json!({"description": description, "content": {"application/json": {"schema": schema}}});
    let mut responses = Map::new();
    responses.insert(
        "200".to_owned(),
        json_reply(reference(op.reply), "Success."),
    );
    if op.name == "deleteFiles" {
        responses.insert(
            "200".to_owned(),
            json!({"description": "Files deleted (docs: 200 example).",
                   "content": {"application/json": {"schema": reference("status.response"),
                       "example": {"status": "success", "message": "Files deleted"}}}}),
        );
        responses.insert(
            "400".to_owned(),
            json!({"$ref": "#/components/responses/BadRequest"}),
        );
        responses.insert(
            "500".to_owned(),
            json!({"description": "Internal server error (docs: 500 example).",
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/error.response"},
                       "example": {"status": "error", "message": "Internal server error"}}}}),
        );
    }
    responses.insert(
        "4XX".to_owned(),
        json!({"$ref": "#/components/responses/ClientError"}),
    );
    json!({
        "operationId": op.name,
        "summary": op.summary,
        "requestBody": {"required": true, "content": {op.media_type: {"schema": reference(op.request)}}},
        "responses": responses,
    })
}

/// The OpenAPI 3.1 document of every endpoint the mock serves.
pub fn document() -> Value {
    let mut schemas: Map<String, Value> = COMPONENTS
        .iter()
        .map(|name| ((*name).to_owned(), component(name)))
        .collect();
    schemas.insert(
        "error.response".to_owned(),
        json!({
            "description": "Every refusal: the {status, message} shape with status \"error\". The docs' 400 example says \"success\", a documentation bug.",
            "allOf": [reference("status.response"), {"properties": {"status": {"const": "error"}}}]
        }),
    );
    let error = |description: &str| {
        json!({"description": description,
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/error.response"}}}})
    };
    let mut paths = Map::new();
    for op in OPERATIONS {
        paths.insert(
            format!("/documentClassification/{}", op.name),
            json!({op.method: operation(op)}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Extracta.ai Document Classification API (contract of extracta-contract)",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Generated from the JSON Schemas in schemas/ by `extracta-contract openapi`; do not edit by hand. Status codes the docs do not give (auth failures, unknown ids, validation) are the 4XX class."
        },
        "servers": [{"url": "https://api.extracta.ai/api/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer <API key>"}},
            "schemas": schemas,
            "responses": {
                "BadRequest": error("A malformed request (the docs' 400 tab)."),
                "ClientError": error("A refused request: malformed, unauthorised, unknown ids, too large. The docs give no codes for these."),
            }
        }
    })
}

/// The document as committed in `schemas/openapi.json`: pretty, with a final newline.
pub fn render() -> String {
    serde_json::to_string_pretty(&document()).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_openapi_document_is_fresh() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/openapi.json");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == render(),
            "schemas/openapi.json is stale: run `cargo run -- openapi > schemas/openapi.json`"
        );
    }

    #[test]
    fn every_reference_resolves_inside_the_document() {
        let document = document();
        let mut refs = Vec::new();
        collect_refs(&document, &mut refs);
        assert!(!refs.is_empty());
        for target in refs {
            let pointer = target.trim_start_matches('#');
            assert!(
                document.pointer(pointer).is_some(),
                "{target} does not resolve"
            );
        }
    }

    fn collect_refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    out.push(target.clone());
                }
                map.values().for_each(|v| collect_refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_endpoint_the_mock_serves_is_described() {
        let document = document();
        let paths = document["paths"]
            .as_object()
            .map(|p| p.len())
            .unwrap_or_default();
        assert_eq!(paths, 7);
    }
}
