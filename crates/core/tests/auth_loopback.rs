//! The loopback redirect listener: 127.0.0.1 only, one answer, `state` checked (a wrong one
//! is refused and the listener keeps waiting), other paths answered with a 404 that changes
//! nothing, a fixed port list, a timeout.

use std::time::Duration;

mod common;

use calldeck_core::auth::{AuthError, CallbackListener};
use common::free_ports;
use tokio_util::sync::CancellationToken;

fn waiting(
    listener: CallbackListener,
    timeout: Duration,
) -> tokio::task::JoinHandle<Result<String, AuthError>> {
    tokio::spawn(async move {
        listener
            .wait("expected-state".into(), timeout, CancellationToken::new())
            .await
            .map(|c| c.0)
    })
}

#[tokio::test]
async fn the_right_callback_gives_the_code_and_a_friendly_page() {
    let ports = free_ports(1).await;
    let listener = CallbackListener::bind(&ports).await.expect("bind");
    assert_eq!(
        listener.redirect_uri(),
        format!("http://127.0.0.1:{}/callback", ports[0])
    );
    let base = format!("http://127.0.0.1:{}", listener.port());
    let wait = waiting(listener, Duration::from_secs(10));
    let stray = reqwest::get(format!("{base}/favicon.ico"))
        .await
        .expect("stray");
    assert_eq!(stray.status(), 404, "another path is not the callback");
    let elsewhere = reqwest::get(format!("{base}/other?code=c0de&state=expected-state"))
        .await
        .expect("wrong path");
    assert_eq!(
        elsewhere.status(),
        404,
        "a code on the wrong path is ignored"
    );
    let page = reqwest::get(format!("{base}/callback?code=c0de&state=expected-state"))
        .await
        .expect("callback");
    assert_eq!(page.status(), 200);
    let body = page.text().await.expect("body");
    assert!(body.contains("return to CallDeck"), "{body}");
    assert!(!body.contains("c0de"), "the page does not echo the code");
    assert_eq!(wait.await.expect("join").expect("code"), "c0de");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(
        reqwest::get(format!("{base}/callback")).await.is_err(),
        "the listener closes after the answer"
    );
}

/// Any web page can make the browser send a request to the listener; only the provider's
/// redirect knows the state. A wrong or missing one is answered 400 and changes nothing, so
/// a hostile page cannot end the sign-in the user is doing.
#[tokio::test]
async fn a_wrong_or_missing_state_is_refused_and_the_listener_keeps_waiting() {
    let listener = CallbackListener::bind(&free_ports(1).await)
        .await
        .expect("bind");
    let base = format!("http://127.0.0.1:{}", listener.port());
    let wait = waiting(listener, Duration::from_secs(30));
    for forged in [
        "code=stolen&state=forged",
        "code=stolen",
        "state=",
        "error=access_denied&state=forged",
        "error=access_denied",
        "state=expected-stat",
        "state=expected-statf",
    ] {
        let page = reqwest::get(format!("{base}/callback?{forged}"))
            .await
            .expect("callback");
        assert_eq!(page.status(), 400, "{forged} is refused");
        let body = page.text().await.expect("body");
        assert!(
            !body.contains("stolen") && !body.contains("forged"),
            "the page echoes nothing of the request: {body}"
        );
    }
    let page = reqwest::get(format!("{base}/callback?code=c0de&state=expected-state"))
        .await
        .expect("callback");
    assert_eq!(page.status(), 200, "the right answer still arrives");
    assert_eq!(
        wait.await
            .expect("join")
            .expect("the attempt was still waiting"),
        "c0de",
        "only the answer with the right state ends the attempt"
    );
}

#[tokio::test]
async fn a_provider_error_and_a_timeout_end_the_attempt() {
    let listener = CallbackListener::bind(&free_ports(1).await)
        .await
        .expect("bind");
    let base = format!("http://127.0.0.1:{}", listener.port());
    let wait = waiting(listener, Duration::from_secs(10));
    reqwest::get(format!(
        "{base}/callback?error=access_denied&error_description=%3Cscript%3E&state=expected-state"
    ))
    .await
    .expect("callback");
    match wait.await.expect("join") {
        Err(AuthError::Refused(code)) => assert_eq!(code, "access_denied"),
        other => panic!("a refusal is reported: {other:?}"),
    }
    let listener = CallbackListener::bind(&free_ports(1).await)
        .await
        .expect("bind");
    let timed = waiting(listener, Duration::from_millis(200));
    assert!(matches!(
        timed.await.expect("join"),
        Err(AuthError::TimedOut)
    ));
}

#[tokio::test]
async fn the_next_port_of_the_list_is_used_when_the_first_is_taken() {
    let taken = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let busy = taken.local_addr().expect("addr").port();
    let free = free_ports(1).await[0];
    let listener = CallbackListener::bind(&[busy, free]).await.expect("bind");
    assert_eq!(listener.port(), free);
    drop(taken);
    assert!(
        matches!(
            CallbackListener::bind(&[listener.port()]).await,
            Err(AuthError::NoFreePort(_))
        ),
        "no free port in the list is an error, not a random port"
    );
}
