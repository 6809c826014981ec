//! "Delete at Twilio too": both places, or neither.

mod common;
mod support;

use calldeck_core::library::{self, is_tombstoned, set_legal_hold};
use calldeck_core::sync::{self, delete_here_and_at_twilio, SyncOptions};
use calldeck_core::{ids::RecordingSid, Error};
use tokio_util::sync::CancellationToken;

use common::{signed_in, NOW_MS};
use support::client;
use support::twilio_fake::{generate, recording_sid, FakeTwilio};

#[tokio::test]
async fn deleting_at_twilio_removes_it_there_and_here_and_remembers_it_as_deleted() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|remote-delete").await;
    let fake = FakeTwilio::start(generate(5, NOW_MS, 3_600_000)).await;
    let c = client(&fake.base_url);
    let options = SyncOptions {
        now_ms: NOW_MS,
        ..SyncOptions::default()
    };
    sync::sync_recordings(&scope, &c, &options, &CancellationToken::new(), None)
        .await
        .expect("sync");
    let id = recording_sid(2);

    delete_here_and_at_twilio(&scope, &c, &id, NOW_MS)
        .await
        .expect("delete both");
    let sid = RecordingSid::parse(&id).expect("sid");
    assert!(
        fake.with_recordings(|r| r.iter().all(|x| x.sid != id)),
        "Twilio no longer has it"
    );
    assert!(
        matches!(
            library::get_recording(&scope, &id).await,
            Err(Error::NotFound)
        ),
        "nor the library"
    );
    assert!(
        is_tombstoned(&scope, &sid).await.expect("tombstone"),
        "and it is remembered as deleted"
    );
}

#[tokio::test]
async fn a_held_or_foreign_recording_is_not_deleted_at_twilio() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|remote-held").await;
    let fake = FakeTwilio::start(generate(3, NOW_MS, 3_600_000)).await;
    let c = client(&fake.base_url);
    let options = SyncOptions {
        now_ms: NOW_MS,
        ..SyncOptions::default()
    };
    sync::sync_recordings(&scope, &c, &options, &CancellationToken::new(), None)
        .await
        .expect("sync");
    let held = recording_sid(1);
    set_legal_hold(&scope, &held, true, NOW_MS)
        .await
        .expect("hold");

    let err = delete_here_and_at_twilio(&scope, &c, &held, NOW_MS)
        .await
        .expect_err("held");
    assert!(
        matches!(err, Error::OnLegalHold { .. }),
        "legal hold wins: {err:?}"
    );
    assert!(
        fake.with_recordings(|r| r.iter().any(|x| x.sid == held)),
        "Twilio still has the held recording"
    );

    let (_ws2, other) = signed_in(dir.path(), "auth0|remote-other").await;
    let err = delete_here_and_at_twilio(&other, &c, &recording_sid(2), NOW_MS)
        .await
        .expect_err("foreign");
    assert!(
        matches!(err, Error::NotFound),
        "another user's recording is not_found: {err:?}"
    );
    assert!(
        fake.with_recordings(|r| r.len() == 3),
        "nothing was deleted at Twilio"
    );
}
