//! Sign-in end to end against a real OpenID provider on loopback (oidc-provider with
//! Auth0's paths), with a scripted browser: PKCE, state, nonce, ID token checks, refresh
//! with rotation, revocation, key rotation, offline start, sign-out, two users.

mod common;
mod fixtures;
mod support;

use std::path::Path;

use calldeck_core::auth::{oidc, Auth, AuthConfig, AuthError, AuthSettings, ConfigSource, Reopen};
use calldeck_core::library::{count_recordings, insert_recordings, RecordingFilter};
use calldeck_core::secrets::{self, SecretSlot};
use calldeck_core::session::AccountId;
use calldeck_core::storage::UserPaths;
use calldeck_core::{Error, ErrorCode, Workspace};
use common::free_ports;
use fixtures::{recording, sid, DAY_MS};
use support::oidc_provider::{browser, Provider};

/// The provider stamps tokens with the real clock, so the tests use it too.
fn now_ms() -> i64 {
    calldeck_core::now_ms()
}

fn settings(issuer: &str, ports: Vec<u16>) -> AuthSettings {
    AuthSettings {
        domain: issuer.to_owned(),
        client_id: "calldeck-test".into(),
        audience: Some("https://api.calldeck.test".into()),
        callback_ports: ports,
        offline_days: None,
    }
}

async fn configured(data: &Path, issuer: &str) -> Auth {
    calldeck_core::auth::settings::save(data, settings(issuer, free_ports(3).await))
        .await
        .expect("save settings");
    Auth::new(data).expect("auth")
}

/// The key of `subject`'s account at the test provider.
fn key(issuer: &str, subject: &str) -> String {
    AccountId::oidc(issuer, "calldeck-test", subject).key()
}

async fn refresh_slot(data: &Path, issuer: &str, subject: &str) -> std::sync::Arc<dyn SecretSlot> {
    let key = key(issuer, subject);
    let paths = UserPaths::for_key(data, &key);
    secrets::open_slot(secrets::REFRESH_TOKEN, &key, paths.root())
        .await
        .expect("slot")
}

fn stored(slot: &std::sync::Arc<dyn SecretSlot>) -> Option<String> {
    slot.load().expect("load")
}

fn code_of(e: &Error) -> ErrorCode {
    e.code()
}

#[tokio::test(flavor = "multi_thread")]
async fn two_users_sign_in_and_out_and_each_sees_only_their_own_library() {
    let provider = Provider::start(0).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let auth = configured(data, &provider.issuer).await;
    let ws = Workspace::new(data);

    let alice = auth
        .sign_in(&ws, browser("alice"), None, now_ms())
        .await
        .expect("alice signs in");
    assert_eq!(
        alice.account().subject,
        "alice",
        "the account's subject is the ID token's sub"
    );
    assert_eq!(
        alice.user_id(),
        key(&provider.issuer, "alice"),
        "the user id is the key of (issuer, client, sub)"
    );
    let user = alice.signed_in_user();
    assert_eq!(user.email.as_deref(), Some("alice@example.test"));
    assert!(!auth.is_offline());
    insert_recordings(
        &alice,
        &[recording(
            &sid(1, 1),
            "+15550001111",
            Some("Alice's call"),
            now_ms(),
        )],
        now_ms(),
    )
    .await
    .expect("insert");
    assert!(
        stored(&refresh_slot(data, &provider.issuer, "alice").await).is_some(),
        "the refresh token is kept"
    );
    let token = auth
        .access_token(now_ms())
        .await
        .expect("access token in memory");
    assert!(!token.expose().is_empty());

    let logout = auth
        .sign_out(&ws, false, Some("http://127.0.0.1:1/signed-out"))
        .await
        .expect("sign out")
        .expect("a logout URL");
    assert!(
        logout
            .as_str()
            .starts_with(&format!("{}v2/logout?", provider.issuer)),
        "{logout}"
    );
    let query: Vec<(String, String)> = logout.query_pairs().into_owned().collect();
    assert!(query.contains(&("client_id".into(), "calldeck-test".into())));
    assert!(query.contains(&("returnTo".into(), "http://127.0.0.1:1/signed-out".into())));
    assert!(ws.current().is_err(), "nobody is signed in after sign-out");
    assert!(
        stored(&refresh_slot(data, &provider.issuer, "alice").await).is_none(),
        "sign-out clears the tokens"
    );
    assert!(
        UserPaths::for_key(data, &key(&provider.issuer, "alice"))
            .database()
            .exists(),
        "local data stays"
    );
    let resumed = auth
        .resume(
            &ws,
            &key(&provider.issuer, "alice"),
            Reopen::AtStart,
            now_ms(),
        )
        .await;
    assert!(
        matches!(resumed, Err(Error::Auth(AuthError::SessionExpired))),
        "a signed-out account needs the browser again"
    );

    let bob = auth
        .sign_in(&ws, browser("bob"), None, now_ms())
        .await
        .expect("bob signs in");
    assert_eq!(bob.account().subject, "bob");
    assert_eq!(
        count_recordings(&bob, &RecordingFilter::default())
            .await
            .expect("count"),
        0,
        "bob sees none of alice's recordings"
    );
    let accounts = auth.accounts(&ws).await;
    assert_eq!(accounts.len(), 2, "both accounts are listed on this device");
    let a = accounts
        .iter()
        .find(|a| a.name.contains("lice"))
        .expect("alice listed");
    assert!(!a.current && !a.has_session);
    assert!(
        a.avatar
            .as_deref()
            .is_some_and(|u| u.starts_with("data:image/png;base64,")),
        "the ID token's picture is kept as a data URL"
    );
    assert!(
        accounts.iter().any(|a| a.current && a.has_session),
        "bob is current"
    );

    auth.sign_out(&ws, true, None)
        .await
        .expect("sign out removing data");
    assert!(
        !UserPaths::for_key(data, &key(&provider.issuer, "bob"))
            .root()
            .exists(),
        "bob's data is removed on request"
    );
    assert_eq!(
        auth.accounts(&ws).await.len(),
        1,
        "and bob leaves the switcher"
    );
    provider.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_rotates_and_a_reused_refresh_token_ends_the_grant_without_losing_data() {
    let provider = Provider::start(0).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let auth = configured(data, &provider.issuer).await;
    let ws = Workspace::new(data);
    auth.sign_in(&ws, browser("carol"), None, now_ms())
        .await
        .expect("sign in");
    let slot = refresh_slot(data, &provider.issuer, "carol").await;
    let first = stored(&slot).expect("first refresh token");

    // A restart: a new Auth reopens the session with a refresh, which rotates the token.
    let auth = Auth::new(data).expect("auth");
    let scope = auth
        .resume(
            &ws,
            &key(&provider.issuer, "carol"),
            Reopen::AtStart,
            now_ms() + 1000,
        )
        .await
        .expect("resume online");
    assert_eq!(scope.account().subject, "carol");
    assert!(!auth.is_offline());
    let second = stored(&slot).expect("rotated token");
    assert_ne!(
        first, second,
        "the rotated refresh token replaced the old one"
    );

    // Someone replays the old token: the provider revokes the whole grant.
    slot.save(&first).expect("plant the old token");
    let replay = auth
        .resume(
            &ws,
            &key(&provider.issuer, "carol"),
            Reopen::AtStart,
            now_ms() + 2000,
        )
        .await
        .expect_err("reuse refused");
    assert_eq!(code_of(&replay), ErrorCode::SessionExpired);
    slot.save(&second).expect("put the newest back");
    let after = Auth::new(data)
        .expect("auth")
        .resume(
            &ws,
            &key(&provider.issuer, "carol"),
            Reopen::AtStart,
            now_ms() + 3000,
        )
        .await;
    assert!(
        after.is_err(),
        "the grant is gone, even for the newest token: {after:?}"
    );
    assert!(
        UserPaths::for_key(data, &key(&provider.issuer, "carol"))
            .database()
            .exists(),
        "local data stays"
    );
    provider.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refreshes_are_one_at_a_time() {
    let provider = Provider::start(0).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let auth = std::sync::Arc::new(configured(data, &provider.issuer).await);
    let ws = Workspace::new(data);
    auth.sign_in(&ws, browser("dave"), None, now_ms())
        .await
        .expect("sign in");
    // Near its expiry the access token is due: eight callers at once must share one refresh
    // (with rotation, two refreshes of the same token would revoke the grant).
    // The provider's access tokens live 600 s; at 570 s one is within the refresh margin.
    let later = now_ms() + 570_000;
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let auth = auth.clone();
            tokio::spawn(async move {
                auth.access_token(later)
                    .await
                    .map(|t| t.expose().to_owned())
            })
        })
        .collect();
    let mut tokens = Vec::new();
    for call in calls {
        tokens.push(call.await.expect("join").expect("fresh token"));
    }
    tokens.dedup();
    assert_eq!(tokens.len(), 1, "every caller got the one refreshed token");
    provider.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn key_rotation_at_the_provider_keeps_logins_and_refresh_working() {
    let provider = Provider::start(0).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let auth = configured(data, &provider.issuer).await;
    let ws = Workspace::new(data);
    auth.sign_in(&ws, browser("erin"), None, now_ms())
        .await
        .expect("sign in before rotation");
    provider.control("rotate-keys").await;
    auth.resume(
        &ws,
        &key(&provider.issuer, "erin"),
        Reopen::AtStart,
        now_ms() + 1000,
    )
    .await
    .expect("refresh after rotation");
    auth.sign_in(&ws, browser("frank"), None, now_ms() + 2000)
        .await
        .expect("a new login after rotation");
    provider.control("drop-old-keys").await;
    auth.resume(
        &ws,
        &key(&provider.issuer, "erin"),
        Reopen::AtStart,
        now_ms() + 3000,
    )
    .await
    .expect("refresh once the old key is gone");
    provider.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replayed_code_is_refused() {
    let provider = Provider::start(0).await;
    let config = AuthConfig::from_settings(
        settings(&provider.issuer, free_ports(3).await),
        ConfigSource::Setup,
    )
    .expect("config");
    let http = oidc::http_client().expect("http");
    let listener = calldeck_core::auth::CallbackListener::bind(&config.ports)
        .await
        .expect("bind");
    let pending = oidc::begin(&config, &http, &listener.redirect_uri(), None)
        .await
        .expect("begin");
    let wait = listener.wait(
        pending.state.clone(),
        std::time::Duration::from_secs(30),
        Default::default(),
    );
    browser("grace")(pending.url.as_str()).expect("browser");
    let code = wait.await.expect("code");
    let now = chrono::Utc::now();
    oidc::finish(&pending, &http, code.0.clone(), now)
        .await
        .expect("first use");
    let replay = oidc::finish(&pending, &http, code.0, now).await;
    assert!(
        matches!(replay, Err(AuthError::Refused(_))),
        "{:?}",
        replay.err()
    );
    provider.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_at_start_opens_the_library_for_the_allowed_days_only() {
    let provider = Provider::start(0).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let auth = configured(data, &provider.issuer).await;
    let ws = Workspace::new(data);
    auth.sign_in(&ws, browser("heidi"), None, now_ms())
        .await
        .expect("sign in");
    let issuer = provider.issuer.clone();
    provider.stop().await;

    let auth = Auth::new(data).expect("auth");
    let scope = auth
        .resume(
            &ws,
            &key(&issuer, "heidi"),
            Reopen::AtStart,
            now_ms() + 3 * DAY_MS,
        )
        .await
        .expect("offline start");
    assert_eq!(scope.account().subject, "heidi");
    assert!(auth.is_offline(), "the session says it is offline");
    let late = Auth::new(data)
        .expect("auth")
        .resume(
            &ws,
            &key(&issuer, "heidi"),
            Reopen::AtStart,
            now_ms() + 15 * DAY_MS,
        )
        .await;
    assert!(
        matches!(
            late,
            Err(Error::Auth(AuthError::OfflineTooLong { days: 14 }))
        ),
        "after 14 days offline the user must sign in again: {late:?}"
    );
}

/// Walks every file under `root` and fails if any holds one of `needles`.
fn assert_nowhere(root: &Path, needles: &[String], skip: &[&str]) {
    let mut stack = vec![root.to_path_buf()];
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if skip
                .iter()
                .any(|s| path.file_name().is_some_and(|n| n == *s))
            {
                continue;
            }
            files += 1;
            let bytes = std::fs::read(&path).expect("read");
            for needle in needles {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                    "a token was written to {}",
                    path.display()
                );
            }
        }
    }
    // At least the library, the accounts list and the sign-in settings.
    assert!(files >= 3, "the scan looked at the app's files ({files})");
}

/// Everything logged, at every level, by any test of this binary from the first call on.
fn captured_log() -> std::sync::Arc<std::sync::Mutex<Vec<u8>>> {
    static LOG: std::sync::OnceLock<std::sync::Arc<std::sync::Mutex<Vec<u8>>>> =
        std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
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

struct LogWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_token_is_written_to_any_file_of_the_app_or_its_log() {
    let log = captured_log();
    let provider = Provider::start(0).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let auth = configured(data, &provider.issuer).await;
    let ws = Workspace::new(data);
    auth.sign_in(&ws, browser("ivan"), None, now_ms())
        .await
        .expect("sign in");
    let slot = refresh_slot(data, &provider.issuer, "ivan").await;
    let mut needles = vec![
        stored(&slot).expect("refresh token"),
        auth.access_token(now_ms())
            .await
            .expect("access")
            .expose()
            .to_owned(),
    ];
    auth.resume(
        &ws,
        &key(&provider.issuer, "ivan"),
        Reopen::AtStart,
        now_ms() + 1000,
    )
    .await
    .expect("refresh");
    needles.push(stored(&slot).expect("rotated refresh token"));
    needles.push(
        auth.access_token(now_ms() + 1000)
            .await
            .expect("access")
            .expose()
            .to_owned(),
    );
    ws.sign_out().await;
    // Where no keyring service exists the refresh token lives, by design, in the owner-only
    // fallback file; every other file must be free of tokens.
    assert_nowhere(data, &needles, &["auth-refresh-token"]);
    let log = String::from_utf8_lossy(&log.lock().expect("log")).into_owned();
    assert!(
        log.contains("signed in"),
        "the log was captured: {} bytes",
        log.len()
    );
    for needle in &needles {
        assert!(!log.contains(needle.as_str()), "a token was logged");
    }
    provider.stop().await;
}
