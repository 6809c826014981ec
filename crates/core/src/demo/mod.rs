//! The demo workspace: a tenant like any other, signed in without an account, whose
//! library is seeded on first open with believable calls and real (synthesised) audio.

mod audio;
mod seed;
mod speech;

pub use audio::conversation_wav;
pub use seed::{demo_recordings, DEMO_RECORDING_COUNT};

use crate::error::Result;
use crate::library::{count_recordings, insert_recordings, RecordingFilter, RecordingStatus};
use crate::session::{AccountId, Provider, UserScope, VerifiedIdentity, Workspace};
use crate::storage::write_atomic;

/// How many demo recordings get an audio file: enough to play and scroll through,
/// few enough that the first open stays quick.
pub const DEMO_AUDIO_FILES: usize = 24;
/// Longer calls stay without audio, keeping the demo folder to a few megabytes.
const MAX_AUDIO_SECS: u32 = 150;

pub fn identity() -> VerifiedIdentity {
    VerifiedIdentity::new(AccountId::demo(), "Demo agent".to_owned())
}

/// Signs in to the demo workspace, seeding its library the first time.
pub async fn open(workspace: &Workspace, now_ms: i64) -> Result<UserScope> {
    let scope = workspace.sign_in(identity(), now_ms).await?;
    crate::audit::record(
        &scope,
        crate::audit::Operation::SignIn,
        &[],
        crate::audit::Outcome::Ok,
        Some("demo workspace"),
        now_ms,
    )
    .await;
    if count_recordings(&scope, &RecordingFilter::default()).await? == 0 {
        seed_library(&scope, now_ms).await?;
    }
    Ok(scope)
}

/// Reopens the demo workspace at start if it was the last one open. Other providers
/// restore through their own sign-in flow, which checks their tokens.
pub async fn restore(workspace: &Workspace, now_ms: i64) -> Result<Option<UserScope>> {
    match workspace.last_session().await {
        Some(last)
            if last.provider == Provider::Demo && last.account == AccountId::demo().key() =>
        {
            open(workspace, now_ms).await.map(Some)
        }
        _ => Ok(None),
    }
}

async fn seed_library(scope: &UserScope, now_ms: i64) -> Result<()> {
    let mut recordings = demo_recordings(now_ms);
    // Short ready calls spread over the whole period get audio; their recorded duration is
    // the file's, so what the table says is what plays.
    let eligible: Vec<usize> = (0..recordings.len())
        .filter(|&i| {
            recordings[i].status == RecordingStatus::Ready
                && recordings[i].duration_secs <= MAX_AUDIO_SECS
        })
        .collect();
    let spacing = (eligible.len() / DEMO_AUDIO_FILES).max(1);
    let with_audio: Vec<usize> = eligible
        .into_iter()
        .step_by(spacing)
        .take(DEMO_AUDIO_FILES)
        .collect();
    // The newest calls with audio are spoken ones (when espeak-ng is here), so a
    // transcription has words to find.
    let mut newest = with_audio.clone();
    newest.sort_by_key(|&i| std::cmp::Reverse(recordings[i].recorded_at_ms));
    let spoken: Vec<usize> = newest.into_iter().take(speech::SPOKEN_CALLS).collect();
    for &i in &with_audio {
        let r = &mut recordings[i];
        let channels = u16::try_from(r.channels).unwrap_or(1);
        let said = match spoken.iter().position(|&s| s == i) {
            Some(n) => tokio::task::spawn_blocking(move || speech::spoken_call_wav(n, channels))
                .await
                .ok()
                .flatten(),
            None => None,
        };
        let bytes = match said {
            Some((bytes, secs)) => {
                r.duration_secs = secs;
                bytes
            }
            None => conversation_wav(i as u64, r.duration_secs, channels)?,
        };
        let name = format!("{}_{}.wav", r.sid, r.recorded_at_ms / 1000);
        write_atomic(&scope.paths().media_file(&name)?, &bytes).await?;
        r.local_file = Some(name);
        r.local_file_bytes = Some(bytes.len() as u64);
    }
    let inserted = insert_recordings(scope, &recordings, now_ms).await?;
    tracing::info!(
        user_id = scope.user_id(),
        inserted,
        "seeded the demo library"
    );
    Ok(())
}
