//! A loopback fake of an OpenAI-compatible `POST /v1/chat/completions` endpoint for the AI
//! analysis tests. It answers in the chat completions shape, and checks what a real service
//! would: the bearer key, the model, and that structured output is asked for as a strict
//! `json_schema`. Each request takes the next scripted [`Reply`]; once the script is used
//! up it answers with [`good_analysis`]. Listens on 127.0.0.1 only.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

pub const API_KEY: &str = "sk-fake-analysis-key-0123456789abcdef";
pub const MODEL: &str = "fake-analyst-1";

#[derive(Debug, Clone)]
pub enum Reply {
    /// 200 with this message content.
    Content(String),
    /// 200 with the `refusal` field set and no content.
    Refusal(String),
    /// This status with an OpenAI-style error body, and `Retry-After` when given.
    Status(u16, Option<&'static str>),
    /// A redirect to the same endpoint (a client that follows it would ask twice).
    Redirect,
    /// Waits this long, then answers with [`good_analysis`].
    Slow(Duration),
}

#[derive(Default)]
pub struct FakeState {
    script: Mutex<VecDeque<Reply>>,
    requests: AtomicU32,
    last_body: Mutex<Option<Value>>,
}

pub struct FakeChat {
    /// `http://127.0.0.1:<port>`, without `/v1`.
    pub base_url: String,
    state: Arc<FakeState>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeChat {
    pub async fn start(script: Vec<Reply>) -> Self {
        let state = Arc::new(FakeState::default());
        *state.script.lock().expect("lock") = script.into();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("addr"));
        let app = Router::new()
            .route("/v1/chat/completions", post(chat))
            .with_state(state.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url,
            state,
            task,
        }
    }

    /// Requests received, whatever was answered.
    pub fn requests(&self) -> u32 {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// The body of the last request that passed the checks.
    pub fn last_body(&self) -> Option<Value> {
        self.state.last_body.lock().expect("lock").clone()
    }
}

impl Drop for FakeChat {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A valid analysis, as the model would send it.
pub fn good_analysis() -> Value {
    json!({
        "summary": "The customer called about a double charge on their invoice. The agent confirmed the error and issued a refund.",
        "sentiment": "mixed",
        "topics": ["billing", "refund"],
        "actionItems": ["Send the refund confirmation by email."]
    })
}

fn error(status: StatusCode, message: String, code: &str) -> Response {
    let body =
        json!({ "error": { "message": message, "type": "invalid_request_error", "code": code } });
    (status, Json(body)).into_response()
}

fn completion(message: Value) -> Response {
    Json(json!({
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": MODEL,
        "choices": [{ "index": 0, "message": message, "finish_reason": "stop" }],
        "usage": { "prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150 }
    }))
    .into_response()
}

/// What a strict structured-output request must look like; `None` when it does.
fn problem(body: &Value) -> Option<&'static str> {
    let format = &body["response_format"];
    if format["type"] != "json_schema" {
        return Some("response_format.type must be json_schema");
    }
    let schema = &format["json_schema"];
    if !schema["name"].is_string() || schema["strict"] != true {
        return Some("json_schema needs a name and strict: true");
    }
    if schema["schema"]["type"] != "object" || schema["schema"]["additionalProperties"] != false {
        return Some("strict schemas are objects without additional properties");
    }
    let messages = body["messages"].as_array()?;
    let roles: Vec<&str> = messages.iter().filter_map(|m| m["role"].as_str()).collect();
    if roles != ["system", "user"] || !messages.iter().all(|m| m["content"].is_string()) {
        return Some("expected a system and a user message with text content");
    }
    None
}

async fn chat(State(state): State<Arc<FakeState>>, headers: HeaderMap, body: String) -> Response {
    state.requests.fetch_add(1, Ordering::SeqCst);
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if presented != format!("Bearer {API_KEY}") {
        // Hostile on purpose: quotes the key it refused, which the client must not pass on.
        let message = format!("Incorrect API key provided: {presented}");
        return error(StatusCode::UNAUTHORIZED, message, "invalid_api_key");
    }
    let Ok(body) = serde_json::from_str::<Value>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "the body is not JSON".into(),
            "bad_json",
        );
    };
    if body["model"] != MODEL {
        let message = format!("The model `{}` does not exist", body["model"]);
        return error(StatusCode::NOT_FOUND, message, "model_not_found");
    }
    if body["messages"].as_array().is_none() {
        return error(
            StatusCode::BAD_REQUEST,
            "messages missing".into(),
            "bad_request",
        );
    }
    if let Some(why) = problem(&body) {
        return error(StatusCode::BAD_REQUEST, why.into(), "bad_request");
    }
    *state.last_body.lock().expect("lock") = Some(body);
    let reply = state.script.lock().expect("lock").pop_front();
    match reply.unwrap_or(Reply::Content(good_analysis().to_string())) {
        Reply::Content(content) => {
            completion(json!({ "role": "assistant", "content": content, "refusal": null }))
        }
        Reply::Refusal(why) => {
            completion(json!({ "role": "assistant", "content": null, "refusal": why }))
        }
        Reply::Status(code, retry_after) => {
            let status = StatusCode::from_u16(code).expect("status");
            let mut response = error(status, format!("scripted {code}"), "scripted");
            if let Some(value) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, value.parse().expect("header"));
            }
            response
        }
        Reply::Redirect => (
            StatusCode::TEMPORARY_REDIRECT,
            [(header::LOCATION, "/v1/chat/completions")],
        )
            .into_response(),
        Reply::Slow(delay) => {
            tokio::time::sleep(delay).await;
            completion(json!({ "role": "assistant", "content": good_analysis().to_string() }))
        }
    }
}
