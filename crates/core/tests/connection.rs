//! The Twilio connection as the settings page uses it: connect (checked on save), status,
//! settings, disconnect — against the loopback Twilio fake.

mod common;
mod support;
mod sync_owner;

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
        twilio_concurrency: 12,
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

#[tokio::test]
async fn the_concurrency_setting_is_eight_unless_chosen_and_between_1_and_32() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|conn-concurrency").await;
    let conn = TwilioConnection::with_store(
        Arc::new(MemoryStore::default()),
        config("http://127.0.0.1:9"),
    );
    let settings = conn.status(&scope).await.expect("status").settings;
    assert_eq!(
        settings.twilio_concurrency, 8,
        "Twilio's default for one app"
    );
    for refused in [0, 33, 1000] {
        let bad = SyncSettings {
            twilio_concurrency: refused,
            ..settings.clone()
        };
        let err = save_settings(&scope, &bad, NOW_MS)
            .await
            .expect_err("out of range");
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{refused}");
        assert!(
            err.user_message().contains("1 and 32"),
            "{}",
            err.user_message()
        );
    }
    for kept in [1, 32] {
        let ok = SyncSettings {
            twilio_concurrency: kept,
            ..settings.clone()
        };
        save_settings(&scope, &ok, NOW_MS).await.expect("in range");
        assert_eq!(
            conn.status(&scope)
                .await
                .expect("status")
                .settings
                .twilio_concurrency,
            kept
        );
    }
}

#[tokio::test]
async fn the_users_concurrency_setting_reaches_every_twilio_client_of_theirs() {
    let dir = tempfile::tempdir().expect("dir");
    let fake = FakeTwilio::start(generate(3, NOW_MS, 60_000)).await;
    let (runner, _events) = sync_owner::runner(&fake.base_url);
    let workspace = calldeck_core::Workspace::new(dir.path());
    let scope = sync_owner::sign_in(&workspace, "auth0|conn-reaches").await;
    sync_owner::connect(&runner, &scope).await;
    let client = || async {
        runner
            .connection(&scope)
            .await
            .expect("connection")
            .client()
            .await
            .expect("client")
    };
    assert_eq!(client().await.concurrency(), 8);
    let mut settings = runner
        .connection(&scope)
        .await
        .expect("connection")
        .status(&scope)
        .await
        .expect("status")
        .settings;
    settings.twilio_concurrency = 3;
    save_settings(&scope, &settings, NOW_MS)
        .await
        .expect("save");
    let after = client().await;
    assert_eq!(
        after.concurrency(),
        3,
        "the next client has the new setting"
    );
    assert_eq!(
        after.budget_stats().limit,
        3,
        "and so has the account's budget"
    );
}
