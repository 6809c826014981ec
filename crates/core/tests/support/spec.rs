//! Twilio's official OpenAPI spec, turned into JSON Schemas the fake's answers must meet.
//! The spec lives in the shared folder beside the repository: `<repo>/../shared/twilio/`.
#![allow(dead_code)]

use serde_json::{Map, Value};

pub fn spec_path() -> std::path::PathBuf {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    repo.join("../shared/twilio/twilio_api_v2010.json")
}

pub fn load_spec() -> Value {
    let path = spec_path();
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "Twilio's OpenAPI spec is needed at {} (the shared folder beside the repository): {e}",
            path.display()
        )
    });
    serde_json::from_str(&raw).expect("the Twilio spec is JSON")
}

/// OpenAPI 3.0 -> JSON Schema: `$ref`s inlined, `nullable` turned into a type union,
/// vendor keys and formats dropped, and objects closed (`additionalProperties: false`), so
/// a field the spec does not know makes the fake fail rather than drift.
fn convert(node: &Value, spec: &Value, depth: u32) -> Value {
    assert!(depth < 32, "the spec's schemas nest too deeply");
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                let path = r.trim_start_matches("#/").split('/');
                let mut target = spec;
                for part in path {
                    target = &target[part];
                }
                return convert(target, spec, depth + 1);
            }
            let mut out = Map::new();
            for (k, v) in map {
                if k.starts_with("x-")
                    || matches!(
                        k.as_str(),
                        "nullable" | "format" | "description" | "example" | "examples"
                    )
                {
                    continue;
                }
                out.insert(k.clone(), convert(v, spec, depth + 1));
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert(
                        "type".into(),
                        Value::Array(vec![Value::String(t), Value::String("null".into())]),
                    );
                }
                if let Some(Value::Array(mut e)) = out.get("enum").cloned() {
                    e.push(Value::Null);
                    out.insert("enum".into(), Value::Array(e));
                }
            }
            if out.get("type") == Some(&Value::String("object".into()))
                && out.contains_key("properties")
            {
                out.insert("additionalProperties".into(), Value::Bool(false));
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| convert(v, spec, depth + 1)).collect())
        }
        other => other.clone(),
    }
}

/// The JSON Schema of the 200 answer of `GET <path>` in the spec.
pub fn response_schema(spec: &Value, path: &str) -> Value {
    let node =
        &spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert!(
        node.is_object(),
        "the spec has no 200 schema for GET {path}"
    );
    convert(node, spec, 0)
}

/// The names of the date fields the spec marks `date-time-rfc-2822` in a component schema.
pub fn rfc2822_fields(spec: &Value, component: &str) -> Vec<String> {
    spec["components"]["schemas"][component]["properties"]
        .as_object()
        .expect("component")
        .iter()
        .filter(|(_, v)| v["format"] == "date-time-rfc-2822")
        .map(|(k, _)| k.clone())
        .collect()
}

/// Errors of `instance` against `schema`, as readable lines.
pub fn violations(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("the converted schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}
