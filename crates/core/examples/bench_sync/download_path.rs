//! `downloads_10k_latency_s`'s path: the files are fetched by one function, so that the
//! benchmark can be switched to the persistent download queue in one place.

use calldeck_core::sync::{DownloadPolicy, SyncOptions};
use calldeck_core::twilio::TwilioClient;
use calldeck_core::UserScope;

use super::fake_process::LATENCY_MEDIA_LEN;
use super::latency::{options, sync_logged};
use super::{twilio_fake, BoxError, NOW_MS};

/// Files fetched: the newest this many recordings'.
const DOWNLOADS: usize = 10_000;

/// The download path the figure measures: a sync with the "starred" policy after the
/// newest `DOWNLOADS` recordings are starred, which queues them in the library's download
/// queue and works it to the end under the account's budget, as the app does.
pub(crate) async fn download_files(
    scope: &UserScope,
    client: &TwilioClient,
) -> Result<(u32, u32), BoxError> {
    sqlx::query(
        "UPDATE recordings SET starred = 1 WHERE id IN
         (SELECT id FROM recordings ORDER BY recorded_at_ms DESC LIMIT ?1)",
    )
    .bind(i64::try_from(DOWNLOADS)?)
    .execute(scope.pool_for_tests())
    .await?;
    let options = SyncOptions {
        download: DownloadPolicy::Starred,
        now_ms: NOW_MS + 60_000,
        ..options()
    };
    let (result, _) = sync_logged("downloads", scope, client, &options).await?;
    Ok((result.downloaded, result.download_failed))
}

/// Files of the starred recordings missing or not byte for byte what the fake serves.
pub(crate) async fn corrupt_downloads(scope: &UserScope) -> Result<usize, BoxError> {
    let files: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT sid, local_file FROM recordings WHERE starred = 1")
            .fetch_all(scope.pool_for_tests())
            .await?;
    let media = scope.paths().media_dir();
    Ok(files
        .iter()
        .filter(|(sid, file)| {
            let bytes = file
                .as_deref()
                .and_then(|f| std::fs::read(media.join(f)).ok());
            bytes.is_none_or(|b| b != twilio_fake::media_bytes(sid, LATENCY_MEDIA_LEN))
        })
        .count())
}
