//! Offline opening is narrow: only at start, only for the user whose session it was, only
//! within the allowed days, and never once the sign-in settings name another provider; and
//! when the provider answers again and the grant is gone, the session ends at once.

mod common;
mod fixtures;
mod support;

use calldeck_core::auth::{AccountStatus, Auth, AuthError, AuthSettings, Reopen};
use calldeck_core::library::{count_recordings, insert_recordings, RecordingFilter};
use calldeck_core::{Error, ErrorCode, Workspace};
use common::free_ports;
use fixtures::{recording, sid, DAY_MS};
use support::oidc_provider::{browser, configure, Provider};

fn now_ms() -> i64 {
    calldeck_core::now_ms()
}

#[tokio::test(flavor = "multi_thread")]
async fn at_start_the_last_user_opens_offline_until_the_provider_says_the_grant_is_gone() {
    let provider = Provider::start(0).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let ports = free_ports(3).await;
    configure(data, &provider.issuer, &ports, None).await;
    let ws = Workspace::new(data);
    let auth = Auth::new(data).expect("auth");
    let bob_key = auth
        .sign_in(&ws, browser("bob"), None, now_ms())
        .await
        .expect("bob")
        .user_id()
        .to_owned();
    let alice = auth
        .sign_in(&ws, browser("alice"), None, now_ms())
        .await
        .expect("alice");
    let alice_key = alice.user_id().to_owned();
    insert_recordings(
        &alice,
        &[recording(&sid(1, 1), "+15550001", None, now_ms())],
        now_ms(),
    )
    .await
    .expect("insert");
    drop(alice);

    // A restart with the provider unreachable: only the last session opens, offline.
    provider.control("reachable?on=false").await;
    let (ws, auth) = (Workspace::new(data), Auth::new(data).expect("auth"));
    let other = auth
        .resume(&ws, &bob_key, Reopen::AtStart, now_ms() + 1000)
        .await;
    assert!(
        matches!(other, Err(Error::Auth(AuthError::SwitchNeedsProvider(_)))),
        "only the user whose session it was opens offline: {other:?}"
    );
    let scope = auth
        .resume(&ws, &alice_key, Reopen::AtStart, now_ms() + DAY_MS)
        .await
        .expect("alice's library opens offline at start");
    assert!(auth.is_offline());
    assert_eq!(
        count_recordings(&scope, &RecordingFilter::default())
            .await
            .expect("count"),
        1
    );
    assert!(
        auth.confirm_session(now_ms() + DAY_MS).await.is_none(),
        "still unreachable: the offline session goes on"
    );

    // The grant was revoked meanwhile; the provider answers again.
    provider.control("revoke-all").await;
    provider.control("reachable?on=true").await;
    let ended = auth
        .confirm_session(now_ms() + DAY_MS)
        .await
        .expect("the session ends as soon as the provider answers");
    assert_eq!(ended.code(), ErrorCode::SessionExpired);
    assert!(
        auth.access_token(now_ms() + DAY_MS).await.is_err(),
        "no access token any more"
    );
    ws.sign_out().await;
    assert!(
        scope.paths().database().exists(),
        "signed out, local data kept"
    );
    provider.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn changed_settings_never_open_an_account_offline_and_it_shows_as_another_providers() {
    let provider = Provider::start(0).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let ports = free_ports(3).await;
    configure(data, &provider.issuer, &ports, None).await;
    let ws = Workspace::new(data);
    let auth = Auth::new(data).expect("auth");
    let alice_key = auth
        .sign_in(&ws, browser("alice"), None, now_ms())
        .await
        .expect("alice")
        .user_id()
        .to_owned();

    let elsewhere = AuthSettings {
        domain: "http://127.0.0.1:9/".into(),
        client_id: "calldeck-test".into(),
        audience: None,
        callback_ports: ports.clone(),
        offline_days: None,
    };
    let affected = calldeck_core::auth::settings::accounts_needing_sign_in(data, &elsewhere).await;
    assert_eq!(
        affected,
        vec!["Alice Example (alice@example.test)".to_owned()],
        "the setup screen can say who will need to sign in again"
    );
    calldeck_core::auth::settings::save(data, elsewhere)
        .await
        .expect("settings can change");

    // A restart: the domain now names an unreachable host.
    let (ws, auth) = (Workspace::new(data), Auth::new(data).expect("auth"));
    let reopened = auth
        .resume(&ws, &alice_key, Reopen::AtStart, now_ms() + 1000)
        .await;
    assert!(
        matches!(reopened, Err(Error::Auth(AuthError::OtherProvider))),
        "no offline opening once the settings name another provider: {reopened:?}"
    );
    let accounts = auth.accounts(&ws).await;
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].status, AccountStatus::OtherProvider);
    assert!(!accounts[0].has_session);
    assert!(
        ws.current().is_err(),
        "nobody is signed in; alice's data stays where it was"
    );
    provider.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corrupt_accounts_list_is_kept_aside_and_rebuilt_from_the_users_folders() {
    let provider = Provider::start(0).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    configure(data, &provider.issuer, &free_ports(3).await, None).await;
    let ws = Workspace::new(data);
    let auth = Auth::new(data).expect("auth");
    for who in ["alice", "bob"] {
        auth.sign_in(&ws, browser(who), None, now_ms())
            .await
            .expect("sign in");
    }
    // A crash of another program, a full disk: the list is garbage now.
    std::fs::write(data.join("accounts.json"), b"\0\0\0{not json").expect("corrupt");

    let (ws, auth) = (Workspace::new(data), Auth::new(data).expect("auth"));
    let notice = auth.upgrade_layout().await.expect("start");
    assert!(
        notice.is_some_and(|n| n.contains("rebuilt")),
        "the user is told the list was rebuilt"
    );
    let mut names: Vec<String> = auth
        .accounts(&ws)
        .await
        .into_iter()
        .map(|a| a.name)
        .collect();
    names.sort();
    assert_eq!(names, vec!["Alice Example", "Bob Example"]);
    let aside = std::fs::read_dir(data)
        .expect("list")
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("accounts.json.corrupt")
        })
        .count();
    assert_eq!(aside, 1, "the unreadable file is kept aside, not deleted");
    provider.stop().await;
}
