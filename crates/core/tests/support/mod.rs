#![allow(dead_code)]

pub mod chat_fake;
pub mod spec;
pub mod twilio_fake;

use std::time::Duration;

use calldeck_core::sync::{self, SyncOptions, SyncResult};
use calldeck_core::twilio::{ClientConfig, Secret, TwilioClient, TwilioCredentials};
use calldeck_core::UserScope;
use tokio_util::sync::CancellationToken;

pub fn credentials() -> TwilioCredentials {
    TwilioCredentials::auth_token(
        twilio_fake::ACCOUNT_SID,
        Secret::new(twilio_fake::AUTH_TOKEN),
    )
    .expect("valid credentials")
}

/// Fast retries, so tests of 429 and 5xx do not wait for real backoff.
pub fn config(base_url: &str) -> ClientConfig {
    ClientConfig {
        base_url: base_url.into(),
        request_timeout: Duration::from_secs(10),
        media_timeout: Duration::from_secs(10),
        max_retries: 4,
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(20),
        retry_after_max: Duration::from_secs(5),
        ..ClientConfig::default()
    }
}

pub fn client(base_url: &str) -> TwilioClient {
    TwilioClient::new(credentials(), config(base_url)).expect("client")
}

/// One sync of `scope` through `client`, run to its end: not cancelled, no progress heard.
pub async fn sync_with(
    scope: &UserScope,
    client: &TwilioClient,
    options: &SyncOptions,
) -> SyncResult {
    sync::sync_recordings(scope, client, options, &CancellationToken::new(), None)
        .await
        .expect("sync")
}
pub mod oidc_provider;
pub mod openai_fake;
