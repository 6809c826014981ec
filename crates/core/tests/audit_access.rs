//! The audit trail covers access, not only edits: Twilio connect and disconnect, sync runs,
//! downloads and plays each leave one entry with their outcome in the acting user's trail
//! only, and never a secret, a URL or a path. Against the loopback Twilio fake.

mod audit_trail;
mod common;
mod support;

use std::sync::Arc;

use calldeck_core::connection::{TwilioConnection, TwilioCredentialsInput};
use calldeck_core::player::{OutputChoice, PlayerHandle, RealtimeDrain};
use calldeck_core::secrets::MemoryStore;
use calldeck_core::sync::{self, download_recording, play_from_twilio, SyncOptions, SyncTrigger};
use calldeck_core::twilio::{Secret, TwilioClient, TwilioCredentials};
use tokio_util::sync::CancellationToken;

use audit_trail::{assert_holds_none, entry, trail};
use common::{signed_in, NOW_MS};
use support::twilio_fake::{generate, recording_sid, FakeTwilio, ACCOUNT_SID, AUTH_TOKEN};
use support::{client, config};

const WRONG_TOKEN: &str = "wrong-token-abcdef0123456789";

fn wrong_client(base_url: &str) -> TwilioClient {
    let credentials = TwilioCredentials::auth_token(ACCOUNT_SID, Secret::new(WRONG_TOKEN))
        .expect("well-formed credentials");
    TwilioClient::new(credentials, config(base_url)).expect("client")
}

fn options() -> SyncOptions {
    SyncOptions {
        now_ms: NOW_MS,
        ..SyncOptions::default()
    }
}

/// Everything of the test set-up that must never reach a trail.
fn secrets<'a>(fake: &'a FakeTwilio, dir: &'a str) -> [&'a str; 5] {
    [
        AUTH_TOKEN,
        WRONG_TOKEN,
        &fake.base_url,
        &fake.media_host_url,
        dir,
    ]
}

#[tokio::test]
async fn connecting_and_disconnecting_twilio_are_recorded_without_the_secret() {
    let dir = tempfile::tempdir().expect("dir");
    let (_wa, alice) = signed_in(dir.path(), "auth0|audit-connect").await;
    let (_wb, bob) = signed_in(dir.path(), "auth0|audit-connect-other").await;
    let fake = FakeTwilio::start(generate(2, NOW_MS, 60_000)).await;
    let conn =
        TwilioConnection::with_store(Arc::new(MemoryStore::default()), config(&fake.base_url));
    let input = |token: &str| TwilioCredentialsInput::AuthToken {
        account_sid: ACCOUNT_SID.into(),
        auth_token: token.into(),
    };

    conn.connect(&alice, input(WRONG_TOKEN))
        .await
        .expect_err("Twilio refuses a wrong token");
    conn.connect(&alice, input(AUTH_TOKEN))
        .await
        .expect("connects");
    conn.disconnect(&alice).await.expect("disconnects");

    assert_eq!(
        trail(&alice).await,
        vec![
            entry(
                "twilio_connect",
                "error",
                &[],
                Some("auth token: TwilioAuth")
            ),
            entry("twilio_connect", "ok", &[], Some("auth token")),
            entry("twilio_disconnect", "ok", &[], None),
        ],
        "each attempt to connect, and the disconnect, is one entry with its outcome"
    );
    assert!(
        trail(&bob).await.is_empty(),
        "another user's trail is unchanged"
    );
    assert_holds_none(&alice, &secrets(&fake, &dir.path().to_string_lossy())).await;
}

#[tokio::test]
async fn a_sync_run_is_one_entry_with_its_outcome_and_counts() {
    let dir = tempfile::tempdir().expect("dir");
    let (_wa, alice) = signed_in(dir.path(), "auth0|audit-sync").await;
    let (_wb, bob) = signed_in(dir.path(), "auth0|audit-sync-other").await;
    let fake = FakeTwilio::start(generate(3, NOW_MS, 60_000)).await;

    let done = sync::sync_recordings(
        &alice,
        &client(&fake.base_url),
        &options(),
        &CancellationToken::new(),
        None,
    )
    .await
    .expect("sync");
    assert_eq!(done.new, 3);
    let cancel = CancellationToken::new();
    cancel.cancel();
    let stopped = sync::sync_recordings(&alice, &client(&fake.base_url), &options(), &cancel, None)
        .await
        .expect("a cancelled sync is a result");
    assert!(stopped.cancelled);
    sync::sync_recordings(
        &alice,
        &wrong_client(&fake.base_url),
        &options(),
        &CancellationToken::new(),
        None,
    )
    .await
    .expect_err("refused credentials stop the sync");
    let timer = SyncOptions {
        started_by: SyncTrigger::Background,
        ..options()
    };
    sync::sync_recordings(
        &alice,
        &client(&fake.base_url),
        &timer,
        &CancellationToken::new(),
        None,
    )
    .await
    .expect("background sync");

    assert_eq!(
        trail(&alice).await,
        vec![
            entry(
                "sync",
                "ok",
                &[],
                Some("manual: 3 synced, 3 new, 0 failed, 0 downloaded")
            ),
            entry(
                "sync",
                "cancelled",
                &[],
                Some("manual: 0 synced, 0 new, 0 failed, 0 downloaded")
            ),
            entry("sync", "error", &[], Some("manual: TwilioAuth")),
            entry(
                "sync",
                "ok",
                &[],
                Some("background: 3 synced, 0 new, 0 failed, 0 downloaded")
            ),
        ],
        "one entry per run: who started it, how it ended, and what it did"
    );
    assert!(
        trail(&bob).await.is_empty(),
        "another user's trail is unchanged"
    );
    assert_holds_none(&alice, &secrets(&fake, &dir.path().to_string_lossy())).await;
}

#[tokio::test]
async fn download_now_is_recorded_with_its_outcome() {
    let dir = tempfile::tempdir().expect("dir");
    let (_wa, alice) = signed_in(dir.path(), "auth0|audit-download").await;
    let (_wb, bob) = signed_in(dir.path(), "auth0|audit-download-other").await;
    let fake = FakeTwilio::start(generate(3, NOW_MS, 60_000)).await;
    let c = client(&fake.base_url);
    sync::sync_recordings(&alice, &c, &options(), &CancellationToken::new(), None)
        .await
        .expect("sync");
    let before = trail(&alice).await.len();
    let (one, two) = (recording_sid(1), recording_sid(2));

    download_recording(&alice, &c, &one)
        .await
        .expect("downloads");
    download_recording(&alice, &wrong_client(&fake.base_url), &two)
        .await
        .expect_err("refused credentials");
    // Bob has no such recording: it is not found, and only Bob's trail says so.
    download_recording(&bob, &c, &one)
        .await
        .expect_err("another user's recording is not found");

    assert_eq!(
        trail(&alice).await[before..].to_vec(),
        vec![
            entry("download", "ok", &[&one], Some("download now")),
            entry(
                "download",
                "error",
                &[&two],
                Some("download now: TwilioAuth")
            ),
        ],
        "each download now is one entry naming the recording"
    );
    assert_eq!(
        trail(&bob).await,
        vec![entry(
            "download",
            "error",
            &[&one],
            Some("download now: NotFound")
        )],
        "Bob's attempt is in Bob's trail only"
    );
    assert_holds_none(&alice, &secrets(&fake, &dir.path().to_string_lossy())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plays_and_streamed_downloads_are_recorded_with_their_outcome() {
    let dir = tempfile::tempdir().expect("dir");
    let (_wa, alice) = signed_in(dir.path(), "auth0|audit-play").await;
    let (_wb, bob) = signed_in(dir.path(), "auth0|audit-play-other").await;
    let fake = FakeTwilio::start(generate(3, NOW_MS, 60_000)).await;
    let c = client(&fake.base_url);
    sync::sync_recordings(&alice, &c, &options(), &CancellationToken::new(), None)
        .await
        .expect("sync");
    let before = trail(&alice).await.len();
    let audio = calldeck_core::demo::conversation_wav(5, 2, 1).expect("audio");
    *fake.state.media_body.lock().expect("lock") = Some(audio);
    let drain = RealtimeDrain::start(1, 8_000, false);
    let player = PlayerHandle::spawn(OutputChoice::Mixer(drain.mixer().clone())).expect("player");
    let (one, two, three) = (recording_sid(1), recording_sid(2), recording_sid(3));

    // Streamed from Twilio, then cached: a play and a download.
    let (cached_tx, cached_rx) = tokio::sync::oneshot::channel();
    let on_cached = Box::new(move || {
        let _ = cached_tx.send(());
    });
    play_from_twilio(&alice, &c, &player, &one, on_cached)
        .await
        .expect("streamed play starts");
    cached_rx.await.expect("the audio is cached");
    // Played again, now from this computer.
    player
        .play(&alice, &one)
        .await
        .expect("plays the local file");
    // Twilio refuses the media: no play, a failed download.
    play_from_twilio(
        &alice,
        &wrong_client(&fake.base_url),
        &player,
        &two,
        Box::new(|| {}),
    )
    .await
    .expect_err("refused credentials");
    // A downloaded file that is not audio: the play fails.
    download_recording(&alice, &c, &three)
        .await
        .expect("downloads");
    let garbage = alice
        .paths()
        .media_dir()
        .read_dir()
        .expect("media")
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with(&three))
        .expect("the downloaded file");
    std::fs::write(garbage.path(), b"this is not audio at all").expect("overwrite");
    player
        .play(&alice, &three)
        .await
        .expect_err("unreadable audio does not play");
    // Whatever the failed load left (or nothing: an idle player answers not_found).
    let _ = player.stop(&alice).await;

    let mut got = trail(&alice).await[before..].to_vec();
    // The streamed play and its download end in either order.
    got[..2].sort();
    assert_eq!(
        got,
        vec![
            entry("download", "ok", &[&one], Some("streamed")),
            entry("play", "ok", &[&one], Some("streamed")),
            entry("play", "ok", &[&one], Some("from this computer")),
            entry("download", "error", &[&two], Some("streamed: TwilioAuth")),
            entry("download", "ok", &[&three], Some("download now")),
            entry(
                "play",
                "error",
                &[&three],
                Some("from this computer: AudioUnreadable")
            ),
        ],
        "each play start and each download is one entry with its outcome"
    );
    assert!(
        trail(&bob).await.is_empty(),
        "another user's trail is unchanged"
    );
    assert_holds_none(&alice, &secrets(&fake, &dir.path().to_string_lossy())).await;
}
