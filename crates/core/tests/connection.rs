//! The Twilio connection as the settings page uses it: connect (checked on save), status,
//! settings, disconnect — against the loopback Twilio fake.

mod common;
mod support;

use std::sync::Arc;

use calldeck_core::connection::{
    save_settings, SyncSettings, TwilioConnection, TwilioCredentialsInput,
};
use calldeck_core::secrets::{MemoryStore, StoreKind};
use calldeck_core::sync::DownloadPolicy;
use calldeck_core::{Error, ErrorCode};

use common::{signed_in, NOW_MS};
use support::config;
use support::twilio_fake::{generate, FakeTwilio, ACCOUNT_SID, AUTH_TOKEN};

fn input(token: &str) -> TwilioCredentialsInput {
    TwilioCredentialsInput::AuthToken {
        account_sid: ACCOUNT_SID.into(),
        auth_token: token.into(),
    }
}

#[tokio::test]
async fn wrong_credentials_are_refused_and_nothing_is_saved() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|conn-wrong").await;
    let fake = FakeTwilio::start(generate(3, NOW_MS, 60_000)).await;
    let conn =
        TwilioConnection::with_store(Arc::new(MemoryStore::default()), config(&fake.base_url));
    let err = conn
        .connect(&scope, input("not-the-token"))
        .await
        .expect_err("refused");
    assert_eq!(
        err.code(),
        ErrorCode::TwilioAuth,
        "a wrong token is a clear twilio_auth error: {err}"
    );
    assert!(
        !err.user_message().contains("not-the-token"),
        "the message never echoes the secret"
    );
    let status = conn.status(&scope).await.expect("status");
    assert!(status.account.is_none(), "refused credentials are not kept");
    assert!(
        matches!(conn.client().await, Err(Error::TwilioNotConnected)),
        "without saved credentials there is no client"
    );
}

#[tokio::test]
async fn right_credentials_connect_and_the_status_never_shows_the_secret() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|conn-ok").await;
    let fake = FakeTwilio::start(generate(3, NOW_MS, 60_000)).await;
    let conn =
        TwilioConnection::with_store(Arc::new(MemoryStore::default()), config(&fake.base_url));
    let status = conn
        .connect(&scope, input(AUTH_TOKEN))
        .await
        .expect("connect");
    assert_eq!(
        status.account.as_ref().map(|a| a.account_sid.as_str()),
        Some(ACCOUNT_SID)
    );
    assert_eq!(status.store, StoreKind::Memory);
    let json = serde_json::to_string(&status).expect("json");
    assert!(
        !json.contains(AUTH_TOKEN),
        "the status sent to the UI never carries the token: {json}"
    );
    conn.client()
        .await
        .expect("a client with the saved credentials");

    conn.disconnect(&scope).await.expect("disconnect");
    assert!(
        conn.status(&scope).await.expect("status").account.is_none(),
        "disconnect forgets them"
    );
}

#[tokio::test]
async fn sync_settings_are_kept_per_user_and_checked() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|conn-settings").await;
    let conn = TwilioConnection::with_store(
        Arc::new(MemoryStore::default()),
        config("http://127.0.0.1:9"),
    );
    assert_eq!(
        conn.status(&scope).await.expect("status").settings,
        SyncSettings::default()
    );
    let wanted = SyncSettings {
        download_policy: DownloadPolicy::LastDays { days: 30 },
        background_minutes: Some(5),
        notify_new: true,
    };
    save_settings(&scope, &wanted, NOW_MS).await.expect("save");
    assert_eq!(
        conn.status(&scope).await.expect("status").settings,
        wanted,
        "settings round-trip"
    );
    let bad = SyncSettings {
        background_minutes: Some(0),
        ..wanted.clone()
    };
    assert!(
        matches!(
            save_settings(&scope, &bad, NOW_MS).await,
            Err(Error::InvalidInput(_))
        ),
        "a zero-minute interval is refused"
    );
    let (_ws2, other) = signed_in(dir.path(), "auth0|conn-other").await;
    assert_eq!(
        conn.status(&other).await.expect("status").settings,
        SyncSettings::default(),
        "another user's settings are their own"
    );
}
