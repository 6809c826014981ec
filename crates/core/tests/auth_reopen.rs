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

async fn trail(scope: &calldeck_core::UserScope) -> Vec<String> {
    let mut ops: Vec<String> = calldeck_core::audit::list_audit(scope, &Default::default())
        .await
        .expect("audit")
        .into_iter()
        .map(|e| format!("{}:{}", e.operation, e.outcome))
        .collect();
    ops.reverse();
    ops
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_switch_offline_opening_and_sign_out_are_in_each_users_own_trail() {
    let provider = Provider::start(0).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    configure(data, &provider.issuer, &free_ports(3).await, None).await;
    let ws = Workspace::new(data);
    let auth = Auth::new(data).expect("auth");
    let alice = auth
        .sign_in(&ws, browser("alice"), None, now_ms())
        .await
        .expect("alice");
    let alice_key = alice.user_id().to_owned();
    drop(alice);
    let bob_key = auth
        .sign_in(&ws, browser("bob"), None, now_ms())
        .await
        .expect("bob")
        .user_id()
        .to_owned();
    let alice = auth
        .switch_to(&ws, &alice_key, now_ms())
        .await
        .expect("switch to alice");
    assert_eq!(trail(&alice).await, ["sign_in:ok", "switch_account:ok"]);
    drop(alice);
    let bob = auth
        .switch_to(&ws, &bob_key, now_ms())
        .await
        .expect("back to bob");
    assert_eq!(
        trail(&bob).await,
        ["sign_in:ok", "switch_away:ok", "switch_account:ok"],
        "bob's trail says he left and came back, and nothing of alice's"
    );
    drop(bob);
    auth.switch_to(&ws, &alice_key, now_ms())
        .await
        .expect("to alice again");

    // A restart with the provider unreachable opens alice offline; then she signs out.
    provider.control("reachable?on=false").await;
    let (ws, auth) = (Workspace::new(data), Auth::new(data).expect("auth"));
    let alice = auth
        .resume(&ws, &alice_key, Reopen::AtStart, now_ms())
        .await
        .expect("offline");
    assert_eq!(
        trail(&alice).await.last().map(String::as_str),
        Some("offline_open:ok")
    );
    auth.sign_out(&ws, false, None).await.expect("sign out");
    provider.control("reachable?on=true").await;
    let alice = auth
        .sign_in(&ws, browser("alice"), None, now_ms())
        .await
        .expect("alice again");
    assert_eq!(
        trail(&alice).await,
        [
            "sign_in:ok",
            "switch_account:ok",
            "switch_away:ok",
            "switch_account:ok",
            "offline_open:ok",
            "sign_out:ok",
            "sign_in:ok"
        ]
    );
    provider.stop().await;
}
