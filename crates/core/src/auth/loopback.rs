//! The loopback redirect of RFC 8252: a listener on 127.0.0.1, on the first free port of a
//! fixed list (Auth0 only redirects to registered callback URLs), that takes one answer on
//! `/callback` and then closes. The browser tab gets a short page saying what happened.
//! Any web page the user has open can send requests there too; only the provider's redirect
//! carries the `state` of this sign-in, so anything else is refused and the wait goes on.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use super::AuthError;

pub struct CallbackListener {
    listener: TcpListener,
    port: u16,
}

/// What the provider sent back: the code to exchange.
#[derive(Debug)]
pub struct CallbackCode(pub String);

impl CallbackListener {
    /// Binds 127.0.0.1 (never another interface) on the first free port of `ports`.
    pub async fn bind(ports: &[u16]) -> Result<Self, AuthError> {
        let mut last = String::from("no ports configured");
        for &port in ports {
            match TcpListener::bind(("127.0.0.1", port)).await {
                Ok(listener) => {
                    let port = listener
                        .local_addr()
                        .map_err(|e| AuthError::NoFreePort(e.to_string()))?
                        .port();
                    return Ok(Self { listener, port });
                }
                Err(e) => last = format!("{port}: {e}"),
            }
        }
        Err(AuthError::NoFreePort(last))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.port)
    }

    /// Waits for the one answer on `/callback` with the right `state`: a code, or the
    /// provider's error, ends the attempt. A wrong or missing `state` is answered 400 and
    /// the wait goes on (until `timeout` or `cancel`): a hostile page must not be able to end
    /// the user's sign-in. Requests on other paths get a 404 and change nothing.
    pub async fn wait(
        self,
        expected_state: String,
        timeout: Duration,
        cancel: CancellationToken,
    ) -> Result<CallbackCode, AuthError> {
        let (tx, mut rx) = mpsc::channel(1);
        let app = Router::new()
            .route("/callback", get(on_callback))
            .fallback(|| async {
                page(
                    StatusCode::NOT_FOUND,
                    "Nothing here",
                    "This is CallDeck's sign-in listener. You can close this tab.",
                )
            })
            .with_state(Arc::new(Answer {
                expected_state,
                tx,
                refused_once: AtomicBool::new(false),
            }));
        let (stop, stopped) = oneshot::channel::<()>();
        let serve = axum::serve(self.listener, app).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        let server = tokio::spawn(async move {
            let _ = serve.await;
        });
        let outcome = tokio::select! {
            answer = rx.recv() => answer.unwrap_or(Err(AuthError::Cancelled)),
            () = tokio::time::sleep(timeout) => Err(AuthError::TimedOut),
            () = cancel.cancelled() => Err(AuthError::Cancelled),
        };
        let _ = stop.send(());
        // A browser may keep its connection open; the port is closed regardless.
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(2)).await;
            server.abort();
        });
        outcome
    }
}

struct Answer {
    expected_state: String,
    tx: mpsc::Sender<Result<CallbackCode, AuthError>>,
    /// A refusal is logged once per attempt, so a page sending thousands fills no log.
    refused_once: AtomicBool,
}

async fn on_callback(
    State(answer): State<Arc<Answer>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let state_ok = params
        .get("state")
        .is_some_and(|s| constant_time_eq(s.as_bytes(), answer.expected_state.as_bytes()));
    if !state_ok {
        // Nothing of the request is logged: it is whatever the sending page chose.
        if !answer.refused_once.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                "ignored a callback request that was not for this sign-in (wrong or missing state)"
            );
        }
        return page(
            StatusCode::BAD_REQUEST,
            "Sign-in not accepted",
            "This request was not for the sign-in CallDeck started, so it was ignored. If you are signing in, finish in the page CallDeck opened.",
        );
    }
    let (result, response) = if let Some(error) = params.get("error") {
        // The provider's error code (e.g. access_denied) is not secret; its description could
        // echo anything, so only the code is kept.
        let code: String = error
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(60)
            .collect();
        (
            Err(AuthError::Refused(code)),
            page(
                StatusCode::OK,
                "Sign-in not completed",
                "The sign-in was not completed. You can close this tab and return to CallDeck.",
            ),
        )
    } else if let Some(code) = params.get("code").filter(|c| !c.is_empty()) {
        (
            Ok(CallbackCode(code.clone())),
            page(
                StatusCode::OK,
                "You are signed in",
                "You can close this tab and return to CallDeck.",
            ),
        )
    } else {
        (
            Err(AuthError::Refused("no_code".into())),
            page(
                StatusCode::BAD_REQUEST,
                "Sign-in not completed",
                "The answer held no sign-in code. Return to CallDeck and try again.",
            ),
        )
    };
    // Only the first answer counts; later ones find the channel full or closed.
    let _ = answer.tx.try_send(result);
    response
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The friendly page the browser tab shows. Static text only: nothing from the request.
pub(crate) fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} · CallDeck</title>\
         <style>body{{font:16px system-ui,sans-serif;display:grid;place-items:center;height:90vh;color:#1f2937;background:#f8fafc}}\
         main{{max-width:28rem;text-align:center}}h1{{font-size:1.4rem}}</style></head>\
         <body><main><h1>{title}</h1><p>{body}</p></main></body></html>"
    );
    (
        status,
        [
            (header::CONNECTION, "close"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Html(html),
    )
        .into_response()
}

/// Serves the page Auth0's logout returns to (`returnTo`), on the first free callback port,
/// for one visit or two minutes. Answers the URL to pass as `returnTo`.
pub async fn signed_out_page(ports: &[u16]) -> Option<String> {
    let listener = CallbackListener::bind(ports).await.ok()?;
    let url = format!("http://127.0.0.1:{}/signed-out", listener.port);
    let (tx, mut rx) = mpsc::channel::<()>(1);
    let app = Router::new().route(
        "/signed-out",
        get(move || {
            let tx = tx.clone();
            async move {
                let _ = tx.try_send(());
                page(
                    StatusCode::OK,
                    "You are signed out",
                    "You can close this tab. CallDeck has signed you out.",
                )
            }
        }),
    );
    let (stop, stopped) = oneshot::channel::<()>();
    let serve = axum::serve(listener.listener, app).with_graceful_shutdown(async {
        let _ = stopped.await;
    });
    let server = tokio::spawn(async move {
        let _ = serve.await;
    });
    tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(120), rx.recv()).await;
        let _ = stop.send(());
        tokio::time::sleep(Duration::from_secs(2)).await;
        server.abort();
    });
    Some(url)
}
