//! The demo workspace: a tenant like any other, signed in without an account, whose
//! library is seeded on first open with believable calls and real (synthesised) audio.

mod audio;
mod seed;

pub use audio::conversation_wav;
pub use seed::{demo_recordings, DEMO_RECORDING_COUNT};

use crate::error::Result;
use crate::library::{count_recordings, insert_recordings};
use crate::session::{Provider, UserScope, VerifiedIdentity, Workspace};
use crate::storage::write_atomic;

pub const DEMO_SUBJECT: &str = "demo|calldeck";

/// How many demo recordings get an audio file: enough to play and scroll through,
/// few enough that the first open stays quick.
pub const DEMO_AUDIO_FILES: usize = 24;

pub fn identity() -> VerifiedIdentity {
    VerifiedIdentity::new(DEMO_SUBJECT.to_owned(), "Demo agent".to_owned(), Provider::Demo)
}

/// Signs in to the demo workspace, seeding its library the first time.
pub async fn open(workspace: &Workspace, now_ms: i64) -> Result<UserScope> {
    let scope = workspace.sign_in(identity(), now_ms).await?;
    if count_recordings(&scope).await? == 0 {
        seed_library(&scope, now_ms).await?;
    }
    Ok(scope)
}

async fn seed_library(scope: &UserScope, now_ms: i64) -> Result<()> {
    let mut recordings = demo_recordings(now_ms);
    // The newest ready calls get audio, so the first screen has something to play.
    let mut newest_ready: Vec<usize> = (0..recordings.len())
        .filter(|&i| recordings[i].status == crate::library::RecordingStatus::Ready)
        .collect();
    newest_ready.sort_by_key(|&i| std::cmp::Reverse(recordings[i].recorded_at_ms));
    for (n, &i) in newest_ready.iter().take(DEMO_AUDIO_FILES).enumerate() {
        let r = &mut recordings[i];
        // Short enough to keep the demo small; the record's duration matches the file.
        r.duration_secs = 8 + u32::try_from(n * 7 % 40).unwrap_or(0);
        let channels = u16::try_from(r.channels).unwrap_or(1);
        let bytes = conversation_wav(n as u64, r.duration_secs, channels)?;
        let name = format!("{}_{}.wav", r.sid, r.recorded_at_ms / 1000);
        write_atomic(&scope.paths().media_file(&name)?, &bytes).await?;
        r.local_file = Some(name);
        r.local_file_bytes = Some(bytes.len() as u64);
    }
    let inserted = insert_recordings(scope, &recordings, now_ms).await?;
    tracing::info!(user_id = scope.user_id(), inserted, "seeded the demo library");
    Ok(())
}
