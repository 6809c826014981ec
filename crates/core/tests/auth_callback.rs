//! The loopback callback against a hostile web page: while the user signs in, any page the
//! browser shows can send requests to `http://127.0.0.1:<port>/callback`. Such a request is
//! refused, is not logged verbatim, and does not end the sign-in: the real redirect from the
//! provider (oidc-provider on loopback, through the scripted browser) still signs the user in.

mod common;
mod support;

use std::sync::{Arc, Mutex};

use calldeck_core::auth::{Auth, AuthSettings};
use calldeck_core::Workspace;
use common::free_ports;
use support::oidc_provider::{browser, Provider};

/// Put in everything the hostile page sends, to find it in the log if it were written.
const MARKER: &str = "hostile-0xC0FFEE";

/// What the hostile page got back, request by request.
type Answers = Arc<Mutex<Vec<(String, u16)>>>;

/// The "system browser" of a user who has a hostile page open: before the scripted browser
/// signs in, that page fires cross-origin requests at the callback the authorization URL
/// names (a wrong state; a forged provider error), and they are answered first.
fn browser_beside_a_hostile_page(
    login: &str,
    answers: Answers,
) -> impl FnOnce(&str) -> calldeck_core::Result<()> {
    let sign_in = browser(login);
    move |authorize: &str| {
        let authorize_url = url::Url::parse(authorize).expect("authorization URL");
        let callback = authorize_url
            .query_pairs()
            .find(|(k, _)| k == "redirect_uri")
            .map(|(_, v)| v.into_owned())
            .expect("the authorization URL names the callback");
        let authorize = authorize.to_owned();
        // The listener starts serving once this returns, so the page's requests run beside it.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let client = reqwest::Client::new();
                for forged in [
                    format!("state=x&code={MARKER}"),
                    format!("state={MARKER}&error=access_denied&error_description={MARKER}"),
                ] {
                    let status = client
                        .get(format!("{callback}?{forged}"))
                        .header("Origin", "https://attacker.example")
                        .header("Referer", "https://attacker.example/page")
                        .header("Sec-Fetch-Site", "cross-site")
                        .header("Sec-Fetch-Mode", "no-cors")
                        .send()
                        .await
                        .map(|r| r.status().as_u16())
                        .unwrap_or(0);
                    answers.lock().expect("answers").push((forged, status));
                }
            });
            // Only then does the user finish signing in at the provider.
            let _ = sign_in(&authorize);
        });
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cross_origin_request_to_the_callback_does_not_end_the_sign_in() {
    let log = captured_log();
    let provider = Provider::start(0).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let settings = AuthSettings {
        domain: provider.issuer.clone(),
        client_id: "calldeck-test".into(),
        audience: Some("https://api.calldeck.test".into()),
        callback_ports: free_ports(3).await,
        offline_days: None,
    };
    calldeck_core::auth::settings::save(data, settings)
        .await
        .expect("save settings");
    let auth = Auth::new(data).expect("auth");
    let ws = Workspace::new(data);
    let answers = Answers::default();

    let alice = auth
        .sign_in(
            &ws,
            browser_beside_a_hostile_page("alice", answers.clone()),
            None,
            calldeck_core::now_ms(),
        )
        .await
        .expect("the sign-in completes despite the hostile requests");
    assert_eq!(alice.account().subject, "alice");

    let answers = answers.lock().expect("answers").clone();
    assert_eq!(answers.len(), 2, "the hostile page sent its requests first");
    for (forged, status) in &answers {
        assert_eq!(*status, 400, "{forged} is refused");
    }
    let log = String::from_utf8_lossy(&log.lock().expect("log")).into_owned();
    assert!(
        log.contains("ignored a callback"),
        "the refusal is logged (the log was captured: {} bytes)",
        log.len()
    );
    assert!(
        !log.contains(MARKER),
        "nothing the page sent is logged verbatim"
    );
    provider.stop().await;
}

/// Everything logged, at every level, from the first call on.
fn captured_log() -> Arc<Mutex<Vec<u8>>> {
    static LOG: std::sync::OnceLock<Arc<Mutex<Vec<u8>>>> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || LogWriter(sink.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");
        log
    })
    .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
