//! Playing a recording that is not on this computer: its audio is fetched from Twilio into
//! the user's media folder while the player reads the growing file, so playback starts
//! with the first bytes and the recording is available offline afterwards.

use crate::audit::{self, Operation};
use crate::error::{Error, Result};
use crate::ids::RecordingSid;
use crate::player::{CacheWriter, PlayerHandle};
use crate::session::UserScope;
use crate::twilio::TwilioClient;

use super::downloads::{date_and_channels, mark_downloaded, media_file_name};

/// How the audit trail tells this download from a "Download now".
const STREAMED: &str = "streamed";

/// Starts streaming `id` from Twilio into the player. Returns once playback has started;
/// the download finishes in the background, marks the recording as downloaded and then
/// calls `on_cached` (the shell tells the UI). The download is one entry in the user's audit
/// trail, ok or failed (the play is another, from the player).
pub async fn play_from_twilio(
    scope: &UserScope,
    client: &TwilioClient,
    player: &PlayerHandle,
    id: &str,
    on_cached: Box<dyn FnOnce() + Send>,
) -> Result<()> {
    let sid = RecordingSid::parse(id)?;
    let (recorded_at_ms, channels) = date_and_channels(scope, &sid).await?;
    let name = media_file_name(&sid, recorded_at_ms);
    let target = scope.paths().media_file(&name)?;
    let final_path = target.clone();
    let ids = [sid.as_str().to_owned()];
    let opened = async {
        let body = client.open_media(&sid, channels).await?;
        let writer = CacheWriter::create(target, body.expected_len()).await?;
        Ok::<_, Error>((body, writer))
    }
    .await;
    let (mut body, mut writer) = match opened {
        Ok(opened) => opened,
        Err(error) => {
            let failed: Result<()> = Err(error);
            audit::record_result(
                scope,
                Operation::Download,
                &ids,
                &failed,
                Some(STREAMED),
                crate::now_ms(),
            )
            .await;
            return failed;
        }
    };
    let stream = writer.stream();

    let (scope_bg, sid_bg) = (scope.clone(), sid.clone());
    tokio::spawn(async move {
        // The body is held to the size limit and checked for truncation as it comes.
        let fetched = loop {
            match body.chunk().await {
                Ok(Some(chunk)) => {
                    if let Err(error) = writer.write_chunk(&chunk).await {
                        break Err(error);
                    }
                }
                Ok(None) => break Ok(()),
                Err(error) => break Err(Error::from(error)),
            }
        };
        let kept = match fetched {
            // The player sees the failure and stops; no partial file stays behind.
            Err(error) => {
                writer.abandon().await;
                Err(error)
            }
            Ok(()) => writer.finish().await,
        };
        let recorded = match kept {
            Ok(bytes) => mark_downloaded(&scope_bg, &sid_bg, &name, bytes)
                .await
                .map(|_| ()),
            Err(error) => Err(error),
        };
        // Before the shell hears of it, so the trail already says so when the UI looks.
        audit::record_result(
            &scope_bg,
            Operation::Download,
            &ids,
            &recorded,
            Some(STREAMED),
            crate::now_ms(),
        )
        .await;
        match recorded {
            Ok(()) => on_cached(),
            Err(error) => {
                tracing::warn!(user_id = scope_bg.user_id(), recording = %sid_bg, %error, "streaming from Twilio failed");
            }
        }
    });
    player.play_streamed(scope, id, final_path, stream).await
}
