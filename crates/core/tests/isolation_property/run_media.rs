//! The commands around a recording's audio and words, run by one user: the player, Twilio
//! (sync, download, streaming), transcripts, analysis and the waveform. What they answer
//! is returned like `run`'s; the player's own checks are in `player_check`.

use super::*;

const SPEEDS: [f32; 4] = [0.5, 1.0, 1.5, 2.0];

pub(crate) async fn run_media(
    world: &World,
    actor: usize,
    op: &Op,
) -> (Option<ErrorCode>, bool, Vec<String>) {
    let scope = &world.users[actor].1;
    let player = &world.player;
    let client = &world.twilio[actor].1;
    let now = NOW_MS + 1;
    let id = |t: &Target| id_of(t, world, actor);
    let code = |r: Result<(), calldeck_core::Error>| r.err().map(|e| e.code());
    // The player's commands answer for the player as a whole; whose playback it holds
    // decides what they must answer, which `player_check` knows.
    match op {
        Op::Play(t) => (code(player.play(scope, &id(t)).await), !is_own(t), vec![]),
        Op::Stream(t) => {
            let r = play_from_twilio(scope, client, player, &id(t), Box::new(|| ())).await;
            (code(r), true, vec![])
        }
        Op::Pause => (code(player.pause(scope).await), false, vec![]),
        Op::Resume => (code(player.resume(scope).await), false, vec![]),
        Op::Stop => (code(player.stop(scope).await), false, vec![]),
        Op::Seek(ms) => (code(player.seek(scope, *ms).await), false, vec![]),
        Op::Skip(ms) => (code(player.skip(scope, *ms).await), false, vec![]),
        Op::Volume(v) => {
            let volume = f32::from(*v) / 10.0;
            (code(player.set_volume(scope, volume).await), false, vec![])
        }
        Op::Speed(i) => (
            code(player.set_speed(scope, SPEEDS[*i]).await),
            false,
            vec![],
        ),
        Op::PlayerState => {
            let ids = player.state_for(scope).recording_id.into_iter().collect();
            (None, false, ids)
        }
        Op::Sync => {
            let options = SyncOptions {
                page_size: 1000,
                now_ms: now,
                ..SyncOptions::default()
            };
            let r = sync_recordings(scope, client, &options, &CancellationToken::new(), None).await;
            assert!(
                r.as_ref().is_ok_and(|r| r.failed == 0),
                "a user's sync of their own Twilio account succeeds: {r:?}"
            );
            (None, false, vec![])
        }
        Op::DownloadNow(t) => {
            let r = download_recording(scope, client, &id(t)).await;
            (r.err().map(|e| e.code()), !is_own(t), vec![])
        }
        Op::QueuePause(paused) => {
            let r = queue::set_paused(scope, *paused).await;
            assert!(
                r.as_ref()
                    .is_ok_and(|s| s.paused == *paused && s.waiting == 0 && s.failed == 0),
                "the actor's own queue, empty, none of the planted one: {r:?}"
            );
            (None, false, vec![])
        }
        Op::QueueRetry | Op::QueueStatus => {
            let r = if matches!(op, Op::QueueRetry) {
                queue::retry_failed(scope).await
            } else {
                queue::queue_status(scope).await
            };
            assert!(
                r.as_ref().is_ok_and(|s| s.waiting == 0 && s.failed == 0),
                "another user's queued and failed downloads are not the actor's: {r:?}"
            );
            (None, false, vec![])
        }
        Op::GetTranscript(t) => {
            let r = get_transcript(scope, &id(t)).await;
            if let Ok(Some(transcript)) = &r {
                assert!(
                    transcript
                        .segments
                        .iter()
                        .all(|s| !s.text.contains("planted")),
                    "a transcript of another user's is never read: {transcript:?}"
                );
            }
            (r.err().map(|e| e.code()), !is_own(t), vec![])
        }
        Op::SaveTranscript(t) => {
            let said = [Segment {
                start_ms: 0,
                end_ms: 300,
                channel: 0,
                speaker: Speaker::Mixed,
                text: "saved again".into(),
                words: Vec::new(),
            }];
            let r = save_transcript(scope, &id(t), Engine::Remote, &said, now).await;
            (code(r), !is_own(t), vec![])
        }
        Op::AnalyseAudio(t) => {
            let r = analyse_audio(scope, &id(t), now).await;
            (r.err().map(|e| e.code()), !is_own(t), vec![])
        }
        Op::GetAnalysis(t) => {
            let r = get_analysis(scope, &id(t)).await;
            if let Ok(analysis) = &r {
                let json = serde_json::to_string(analysis).expect("analysis serialises");
                assert!(
                    !json.contains("planted"),
                    "an analysis of another user's is never read: {json}"
                );
            }
            (r.err().map(|e| e.code()), !is_own(t), vec![])
        }
        Op::Waveform(t, buckets) => {
            let r = waveform(scope, &id(t), *buckets).await;
            let ids = r
                .as_ref()
                .map(|w| vec![w.recording_id.clone()])
                .unwrap_or_default();
            (r.err().map(|e| e.code()), !is_own(t), ids)
        }
        library => unreachable!("{library:?} is run by `run`"),
    }
}
