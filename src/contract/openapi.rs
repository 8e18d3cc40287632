//! The contract as an OpenAPI 3.1 document, generated from `schemas/`.
//!
//! The JSON Schemas are embedded as components as they are (only their `$id`/`$schema` are
//! dropped and their internal `#/$defs/...` references re-rooted), so the document never
//! drifts from the schemas: `schemas/openapi.json` is this output, and a test regenerates it.

use serde_json::{Map, Value, json};

use super::endpoint::{Endpoint, STATUS_SCHEMA};
use super::schema::SchemaSet;

/// The schemas the document embeds as components, under their file names: every endpoint's
/// request and reply, each once, in catalogue order.
fn components() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for endpoint in Endpoint::ALL {
        for name in [endpoint.request_schema(), endpoint.response_schema()] {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    // The reply of the deletes is also the shape of every refusal: listed last.
    names.retain(|n| *n != STATUS_SCHEMA);
    names.push(STATUS_SCHEMA);
    names
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

fn operation(endpoint: Endpoint) -> Value {
    let json_reply = |schema: Value, description: &str| json!({"description": description, "content": {"application/json": {"schema": schema}}});
    let mut responses = Map::new();
    responses.insert(
        "200".to_owned(),
        json_reply(reference(endpoint.response_schema()), "Success."),
    );
    if endpoint == Endpoint::DeleteFiles {
        responses.insert(
            "200".to_owned(),
            json!({"description": "Files deleted (docs: 200 example).",
                   "content": {"application/json": {"schema": reference(STATUS_SCHEMA),
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
    let media_type = endpoint.media_type().as_str();
    json!({
        "operationId": endpoint.name(),
        "summary": endpoint.summary(),
        "requestBody": {"required": true, "content": {media_type: {"schema": reference(endpoint.request_schema())}}},
        "responses": responses,
    })
}

/// The OpenAPI 3.1 document of every endpoint the mock serves.
pub fn document() -> Value {
    let mut schemas: Map<String, Value> = components()
        .into_iter()
        .map(|name| (name.to_owned(), component(name)))
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
    for endpoint in Endpoint::ALL {
        let method = endpoint.method().as_str().to_ascii_lowercase();
        paths.insert(
            endpoint.path().to_owned(),
            json!({method: operation(endpoint)}),
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
        assert_eq!(paths, Endpoint::ALL.len());
    }
}
