//! The player belongs to the signed-in user. There is one player on the desktop, so these
//! tests give two users one player and check that neither can see or steer the other's
//! playback, and that a change of user stops and forgets it.
//!
//! The player's output here is a mixer nobody drains: nothing moves the position but a seek,
//! so a state can be compared exactly before and after another user's command.

mod common;
mod fixtures;

use std::num::NonZero;
use std::path::Path;
use std::time::{Duration, Instant};

use calldeck_core::library::insert_recordings;
use calldeck_core::player::{OutputChoice, PlaybackStatus, PlayerHandle, PlayerState};
use calldeck_core::session::VerifiedIdentity;
use calldeck_core::{Error, UserScope, Workspace};
use common::{signed_in, NOW_MS};
use fixtures::{recording, sid};

const RATE: u32 = 8_000;

/// A player whose output nobody drains, and the undrained end (kept alive with it).
fn still_player() -> (PlayerHandle, rodio::mixer::MixerSource) {
    let (mixer, source) = rodio::mixer::mixer(
        NonZero::new(1).expect("one channel"),
        NonZero::new(RATE).expect("a rate"),
    );
    let player = PlayerHandle::spawn(OutputChoice::Mixer(mixer)).expect("player");
    (player, source)
}

/// Three seconds of a tone, as a WAV in the user's media folder, and its library row.
async fn downloaded_recording(scope: &UserScope, owner: u32) -> String {
    let id = sid(owner, 1);
    let name = format!("{id}.wav");
    write_tone(&scope.paths().media_file(&name).expect("media path"));
    let mut row = recording(&id, "+15550100000", None, NOW_MS);
    row.local_file = Some(name);
    row.duration_secs = 3;
    insert_recordings(scope, &[row], NOW_MS)
        .await
        .expect("insert recording");
    id
}

fn write_tone(path: &Path) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).expect("wav writer");
    for i in 0..RATE * 3 {
        let t = i as f32 / RATE as f32;
        let sample = (t * 440.0 * std::f32::consts::TAU).sin() * 0.3;
        w.write_sample((sample * 32_767.0) as i16).expect("sample");
    }
    w.finalize().expect("finalise wav");
}

async fn wait_until(player: &PlayerHandle, scope: &UserScope, want: PlaybackStatus) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while player.state_for(scope).status != want {
        assert!(
            Instant::now() < deadline,
            "the player never reached {want:?}: {:?}",
            player.state_for(scope)
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// What the owner sees of the playback: everything a command could change.
fn playback(state: &PlayerState) -> (Option<String>, PlaybackStatus, u32, f32, f32) {
    (
        state.recording_id.clone(),
        state.status,
        state.position_ms,
        state.volume,
        state.speed,
    )
}

fn not_found(result: calldeck_core::Result<()>, what: &str) {
    assert!(
        matches!(result, Err(Error::NotFound)),
        "{what} by another user must answer not_found, got {result:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn another_user_cannot_pause_seek_or_change_what_is_playing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_wa, alice) = signed_in(dir.path(), "auth0|alice").await;
    let (_wb, bob) = signed_in(dir.path(), "auth0|bob").await;
    let alices = downloaded_recording(&alice, 1).await;
    let (player, _output) = still_player();

    player.play(&alice, &alices).await.expect("alice plays");
    wait_until(&player, &alice, PlaybackStatus::Playing).await;
    player.seek(&alice, 1_000).await.expect("alice seeks");
    let before = playback(&player.state_for(&alice));
    assert_eq!(before.2, 1_000, "alice's own seek moved her playback");

    not_found(player.pause(&bob).await, "pause");
    not_found(player.seek(&bob, 2_500).await, "seek");
    not_found(player.skip(&bob, 10_000).await, "skip");
    not_found(player.stop(&bob).await, "stop");
    not_found(player.resume(&bob).await, "resume");
    not_found(player.set_volume(&bob, 0.0).await, "set_volume");
    not_found(player.set_speed(&bob, 2.0).await, "set_speed");

    assert_eq!(
        playback(&player.state_for(&alice)),
        before,
        "alice's playback is exactly as it was: still playing, same place, volume and speed"
    );
    let seen_by_bob = player.state_for(&bob);
    assert_eq!(
        (
            seen_by_bob.recording_id,
            seen_by_bob.status,
            seen_by_bob.position_ms
        ),
        (None, PlaybackStatus::Stopped, 0),
        "bob sees an idle player, nothing of alice's"
    );
    player.pause(&alice).await.expect("alice pauses");
    assert_eq!(
        player.state_for(&alice).status,
        PlaybackStatus::Paused,
        "the owner's own commands still work"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_state_stream_shown_to_one_user_never_names_anothers_recording() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_wa, alice) = signed_in(dir.path(), "auth0|alice").await;
    let (bobs_workspace, bob) = signed_in(dir.path(), "auth0|bob").await;
    let alices = downloaded_recording(&alice, 1).await;
    let bobs = downloaded_recording(&bob, 2).await;
    let (player, _output) = still_player();

    // What bob's window would be sent: the stream asks his workspace who is signed in.
    let mut states = player.subscribe();
    let bobs_wanted = bobs.clone();
    let watcher = tokio::spawn(async move {
        let mut seen = Vec::new();
        while let Some(state) = states.next(&bobs_workspace).await {
            let done = state.recording_id.as_deref() == Some(bobs_wanted.as_str());
            seen.push(state.recording_id);
            if done {
                break;
            }
        }
        seen
    });

    player.play(&alice, &alices).await.expect("alice plays");
    wait_until(&player, &alice, PlaybackStatus::Playing).await;
    player.seek(&alice, 500).await.expect("alice seeks");
    // Long enough for the watcher to have been woken by several of alice's states.
    tokio::time::sleep(Duration::from_millis(300)).await;
    player.pause(&alice).await.expect("alice pauses");
    player.play(&bob, &bobs).await.expect("bob plays his own");

    let seen = tokio::time::timeout(Duration::from_secs(15), watcher)
        .await
        .expect("bob's stream must come to his own recording")
        .expect("watcher");
    assert!(
        !seen.iter().any(|id| id.as_deref() == Some(alices.as_str())),
        "bob's stream must never carry alice's recording id: {seen:?}"
    );
    assert_eq!(
        seen.last().cloned().flatten().as_deref(),
        Some(bobs.as_str()),
        "bob's own playback does reach him"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_of_user_stops_and_forgets_playback_before_the_next_one_is_current() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (player, _output) = still_player();
    let workspace = Workspace::new(dir.path()).with_player(player.clone());
    let alice = workspace
        .sign_in(VerifiedIdentity::for_tests("auth0|alice"), NOW_MS)
        .await
        .expect("alice signs in");
    let alices = downloaded_recording(&alice, 1).await;
    player.play(&alice, &alices).await.expect("alice plays");
    wait_until(&player, &alice, PlaybackStatus::Playing).await;
    player.seek(&alice, 1_200).await.expect("alice seeks");

    let bob = workspace
        .sign_in(VerifiedIdentity::for_tests("auth0|bob"), NOW_MS)
        .await
        .expect("bob signs in on the same desktop");
    let left = player.state_for(&alice);
    assert_eq!(
        (left.recording_id, left.position_ms, left.status),
        (None, 0, PlaybackStatus::Stopped),
        "alice's playback is gone, not just hidden: no SID, no position"
    );
    not_found(
        player.resume(&alice).await,
        "resume (nothing is left to resume)",
    );
    not_found(player.pause(&bob).await, "pause of the forgotten playback");

    // A play of alice's that was already on its way (her scope from another window of
    // time) cannot start once bob is the signed-in user.
    let (_other, alice_again) = signed_in(dir.path(), "auth0|alice").await;
    assert!(
        matches!(
            player.play(&alice_again, &alices).await,
            Err(Error::NotFound)
        ),
        "the player takes only the signed-in user's recordings"
    );
    assert_eq!(player.state_for(&bob).recording_id, None);

    let bobs = downloaded_recording(&bob, 2).await;
    player.play(&bob, &bobs).await.expect("bob plays his own");
    wait_until(&player, &bob, PlaybackStatus::Playing).await;
    workspace.sign_out().await;
    assert_eq!(
        player.state_for(&bob).recording_id,
        None,
        "signing out stops and forgets playback"
    );
    not_found(player.resume(&bob).await, "resume after sign-out");
}

#[tokio::test(flavor = "multi_thread")]
async fn volume_and_speed_of_an_idle_player_are_the_next_plays() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_w, alice) = signed_in(dir.path(), "auth0|alice").await;
    let alices = downloaded_recording(&alice, 1).await;
    let (player, _output) = still_player();
    player
        .set_volume(&alice, 0.4)
        .await
        .expect("volume before anything plays");
    player
        .set_speed(&alice, 1.5)
        .await
        .expect("speed before anything plays");
    player.play(&alice, &alices).await.expect("alice plays");
    let state = player.state_for(&alice);
    assert_eq!((state.volume, state.speed), (0.4, 1.5), "{state:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_play_by_another_user_does_not_take_over_the_last_ones_levels() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_wa, alice) = signed_in(dir.path(), "auth0|alice").await;
    let (_wb, bob) = signed_in(dir.path(), "auth0|bob").await;
    let alices = downloaded_recording(&alice, 1).await;
    let bobs = downloaded_recording(&bob, 2).await;
    let (player, _output) = still_player();
    player.play(&alice, &alices).await.expect("alice plays");
    player
        .set_volume(&alice, 0.2)
        .await
        .expect("alice's volume");
    player.set_speed(&alice, 0.5).await.expect("alice's speed");
    player.play(&bob, &bobs).await.expect("bob plays his own");
    let state = player.state_for(&bob);
    assert_eq!(
        (state.volume, state.speed),
        (1.0, 1.0),
        "bob's playback starts at the default levels, not alice's: {state:?}"
    );
}
