//! An account is its issuer, client and subject, and nothing of one user reaches the next:
//! a refresh token never goes to a provider that did not issue it, switching never opens a
//! library offline, and sign-out leaves no token behind whatever refresh was in flight.
//! Against two real OpenID providers on loopback (oidc-provider with Auth0's paths).

mod common;
mod fixtures;
mod support;

use std::time::Duration;

use calldeck_core::auth::Auth;
use calldeck_core::library::{count_recordings, insert_recordings, RecordingFilter};
use calldeck_core::secrets::{FileSlot, KeyringSlot, SecretSlot};
use calldeck_core::Workspace;
use common::free_ports;
use fixtures::{recording, sid};
use support::oidc_provider::{browser, configure, Provider};

fn now_ms() -> i64 {
    calldeck_core::now_ms()
}

fn refresh_requests(requests: &[std::collections::HashMap<String, String>]) -> usize {
    requests
        .iter()
        .filter(|r| r.get("grant_type").map(String::as_str) == Some("refresh_token"))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_token_goes_back_only_to_the_issuer_that_issued_it() {
    let (first, second) = (Provider::start(0).await, Provider::start(0).await);
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let ports = free_ports(3).await;
    configure(data, &first.issuer, &ports, None).await;
    let auth = Auth::new(data).expect("auth");
    let ws = Workspace::new(data);

    let alice = auth
        .sign_in(&ws, browser("alice"), None, now_ms())
        .await
        .expect("alice signs in through the first provider");
    insert_recordings(
        &alice,
        &[recording(&sid(1, 1), "+15550001", None, now_ms())],
        now_ms(),
    )
    .await
    .expect("insert");
    let alice_key = alice.signed_in_user().account_key;
    drop(alice);
    auth.sign_in(&ws, browser("bob"), None, now_ms())
        .await
        .expect("bob signs in; alice's session is kept");

    // Whoever sits at the sign-in screen points the settings at a provider they control.
    configure(data, &second.issuer, &ports, None).await;
    let switched = auth.switch_to(&ws, &alice_key, now_ms()).await;
    assert!(
        switched.is_err(),
        "an account of the first provider does not open through the second"
    );
    assert_eq!(
        refresh_requests(&second.token_requests().await),
        0,
        "no refresh token was sent to the second provider"
    );

    // The second provider mints the same `sub`: that is another account, with nothing in it.
    let impostor = auth
        .sign_in(&ws, browser("alice"), None, now_ms())
        .await
        .expect("a sign-in through the second provider works");
    assert_ne!(
        impostor.signed_in_user().account_key,
        alice_key,
        "the same sub at another issuer is another account"
    );
    assert_eq!(
        count_recordings(&impostor, &RecordingFilter::default())
            .await
            .expect("count"),
        0,
        "it opens an empty library, not alice's"
    );
    first.stop().await;
    second.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn switching_to_an_account_never_opens_it_offline() {
    let provider = Provider::start(0).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    let ports = free_ports(3).await;
    configure(data, &provider.issuer, &ports, None).await;
    let auth = Auth::new(data).expect("auth");
    let ws = Workspace::new(data);
    let alice_key = auth
        .sign_in(&ws, browser("alice"), None, now_ms())
        .await
        .expect("alice signs in")
        .signed_in_user()
        .account_key;
    auth.sign_in(&ws, browser("bob"), None, now_ms())
        .await
        .expect("bob signs in");

    // The grant is revoked at the provider, which then cannot be reached, and whoever sits
    // there asks the setup form for a year of offline use.
    provider.control("revoke-all").await;
    provider.control("reachable?on=false").await;
    configure(data, &provider.issuer, &ports, Some(365)).await;
    let switched = auth.switch_to(&ws, &alice_key, now_ms() + 1000).await;
    assert!(
        switched.is_err(),
        "switching needs the provider: alice's library must not open offline"
    );
    assert_ne!(
        ws.current().ok().map(|s| s.signed_in_user().account_key),
        Some(alice_key),
        "alice is not signed in"
    );
    provider.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_out_while_a_refresh_is_in_flight_leaves_no_token_and_no_folder() {
    for remove_data in [false, true] {
        let provider = Provider::start(0).await;
        let dir = tempfile::tempdir().expect("dir");
        let data = dir.path().to_path_buf();
        configure(&data, &provider.issuer, &free_ports(3).await, None).await;
        let auth = std::sync::Arc::new(Auth::new(&data).expect("auth"));
        let ws = std::sync::Arc::new(Workspace::new(&data));
        let scope = auth
            .sign_in(&ws, browser("alice"), None, now_ms())
            .await
            .expect("alice signs in");
        let key = scope.signed_in_user().account_key;
        let root = scope.paths().root().to_path_buf();
        drop(scope);

        // The provider holds the next refresh for seconds; sign-out comes meanwhile.
        provider.control("token-delay?ms=3000").await;
        let before = provider.token_requests().await.len();
        let refreshing = {
            let auth = std::sync::Arc::clone(&auth);
            // Ten minutes on, the access token needs renewing.
            tokio::spawn(async move { auth.access_token(now_ms() + 600_000).await })
        };
        while provider.token_requests().await.len() == before {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        auth.sign_out(&ws, remove_data, None)
            .await
            .expect("sign out");
        let _ = refreshing.await.expect("refresh task");
        // Give a late save every chance to land.
        tokio::time::sleep(Duration::from_millis(3500)).await;

        let keyring = KeyringSlot::new("auth0-refresh", &key);
        assert!(
            // No keyring service at all (an error) means nothing can be kept there either.
            !matches!(keyring.load(), Ok(Some(_))),
            "no refresh token is left in the keyring (remove_data {remove_data})"
        );
        assert!(
            FileSlot::new(&root, "auth-refresh-token")
                .load()
                .expect("file")
                .is_none(),
            "no refresh token is left in a file (remove_data {remove_data})"
        );
        if remove_data {
            assert!(!root.exists(), "a removed folder stays removed");
        }
        provider.stop().await;
    }
}
