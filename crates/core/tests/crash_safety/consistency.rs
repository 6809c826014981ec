//! What a library left by a killed sync must be: a sound database, no half-written page,
//! no duplicate, a resume point no further than what was committed, and no partial or
//! corrupt audio visible; `check` says so or fails the test.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use calldeck_core::storage::UserPaths;
use calldeck_core::sync;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use super::support::twilio_fake::{media_bytes, FakeRecording};
use super::{MEDIA_LEN, PAGE_SIZE};

#[derive(Debug, Default)]
pub struct Snapshot {
    pub rows: usize,
    pub completed: bool,
    pub cursor_offset: Option<usize>,
    pub with_file: usize,
    pub partials: usize,
    /// Complete files renamed into place whose row was not updated before the kill.
    pub unadopted: usize,
}

async fn open_db(db: &Path) -> SqliteConnection {
    SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(db))
        .await
        .expect("open the database the child left")
}

fn page_token_offset(cursor: &str) -> usize {
    let (_, rest) = cursor
        .split_once("PageToken=PA")
        .unwrap_or_else(|| panic!("cursor without a page token: {cursor}"));
    rest.split('&')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("bad page token in {cursor}"))
}

/// sid, user_id, duration_secs, local_file, local_file_bytes, recorded_at_ms.
type Row = (String, String, i64, Option<String>, Option<i64>, i64);

/// Every invariant that must hold whenever the process dies.
pub async fn check(paths: &UserPaths, expected: &[FakeRecording], context: &str) -> Snapshot {
    let mut db = open_db(&paths.database()).await;
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut db)
        .await
        .expect("integrity_check");
    assert_eq!(integrity, vec!["ok".to_owned()], "{context}: integrity");
    let fk: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut db)
        .await
        .expect("foreign_key_check");
    assert!(fk.is_empty(), "{context}: foreign keys: {fk:?}");

    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.sid, r.user_id, r.duration_secs, r.local_file, r.local_file_bytes, r.recorded_at_ms
         FROM recordings r
         WHERE r.call_sid IS NOT NULL AND r.phone_number <> '' AND r.twilio_status = 'completed'",
    )
    .fetch_all(&mut db)
    .await
    .expect("rows");
    let all: i64 = sqlx::query_scalar("SELECT count(*) FROM recordings")
        .fetch_one(&mut db)
        .await
        .expect("count");
    assert_eq!(
        usize::try_from(all).expect("count"),
        rows.len(),
        "{context}: every row is complete (joined with its call, status kept)"
    );
    let distinct: HashSet<(&str, &str)> =
        rows.iter().map(|r| (r.1.as_str(), r.0.as_str())).collect();
    assert_eq!(
        distinct.len(),
        rows.len(),
        "{context}: duplicate (user, sid)"
    );
    let files: Vec<&str> = rows.iter().filter_map(|r| r.3.as_deref()).collect();
    let distinct_files: HashSet<&str> = files.iter().copied().collect();
    assert_eq!(
        distinct_files.len(),
        files.len(),
        "{context}: two rows share a file"
    );

    let index: HashMap<&str, (usize, &FakeRecording)> = expected
        .iter()
        .enumerate()
        .map(|(i, r)| (r.sid.as_str(), (i, r)))
        .collect();
    for (sid, _, duration, _, _, at) in &rows {
        let (_, fake) = index
            .get(sid.as_str())
            .unwrap_or_else(|| panic!("{context}: a recording the fake never had: {sid}"));
        assert_eq!(
            (duration.to_string(), *at),
            (fake.duration.clone(), fake.created_ms),
            "{context}: {sid} differs from Twilio"
        );
    }

    let state: Option<(Option<i64>, Option<String>, i64)> =
        sqlx::query_as("SELECT watermark_ms, run_cursor, run_pages FROM sync_state")
            .fetch_optional(&mut db)
            .await
            .expect("sync_state");
    let (watermark, cursor, run_pages) = state.unwrap_or((None, None, 0));
    let completed = watermark.is_some();
    let cursor_offset = cursor.as_deref().map(page_token_offset);
    if completed {
        assert_eq!(
            rows.len(),
            expected.len(),
            "{context}: a completed run stored everything"
        );
    } else {
        // The first run lists newest first: what is stored is exactly the pages before the
        // resume point, whole.
        let offset = cursor_offset.unwrap_or(0);
        assert_eq!(
            rows.len(),
            offset,
            "{context}: rows stored vs. the resume point (a page half-written, or the cursor \
             past an uncommitted page)"
        );
        assert_eq!(
            offset,
            usize::try_from(run_pages).expect("pages") * PAGE_SIZE as usize,
            "{context}: the resume point is whole committed pages"
        );
        for (sid, ..) in &rows {
            let (i, _) = index[sid.as_str()];
            assert!(
                i < offset,
                "{context}: {sid} (#{i}) is beyond the resume point {offset}"
            );
        }
    }
    db.close().await.expect("close");

    // The media folder: every referenced file whole and right; nothing else visible.
    let media = paths.media_dir();
    let by_sid: HashMap<&str, (Option<&str>, i64)> = rows
        .iter()
        .map(|r| (r.0.as_str(), (r.3.as_deref(), r.5)))
        .collect();
    let mut snapshot = Snapshot {
        rows: rows.len(),
        completed,
        cursor_offset,
        with_file: files.len(),
        ..Snapshot::default()
    };
    for (sid, _, _, file, bytes, at) in &rows {
        let Some(file) = file else { continue };
        assert!(
            !file.ends_with(".partial") && !file.starts_with('.'),
            "{context}: {sid} points at a temp file {file}"
        );
        assert_eq!(
            *file,
            format!("{sid}_{}.mp3", at.div_euclid(1000)),
            "{context}: file name"
        );
        let content = std::fs::read(media.join(file))
            .unwrap_or_else(|e| panic!("{context}: {sid}'s file {file} is missing: {e}"));
        assert_eq!(
            *bytes,
            Some(i64::try_from(content.len()).expect("len")),
            "{context}: {file} size vs. the row"
        );
        assert!(
            content == media_bytes(sid, MEDIA_LEN),
            "{context}: {file} is corrupt ({} bytes)",
            content.len()
        );
    }
    for entry in std::fs::read_dir(&media).expect("media dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".partial") {
            assert!(
                name.starts_with('.'),
                "{context}: a temp file must be hidden: {name}"
            );
            snapshot.partials += 1;
            continue;
        }
        let sid = name.split('_').next().unwrap_or_default();
        match by_sid.get(sid) {
            Some((Some(current), _)) if *current == name => {}
            Some((None, at)) if name == format!("{sid}_{}.mp3", at.div_euclid(1000)) => {
                // Renamed into place (after fsync) just before the kill; the next start
                // adopts it. It must be whole.
                let content = std::fs::read(media.join(&name)).expect("read");
                assert!(
                    content == media_bytes(sid, MEDIA_LEN),
                    "{context}: {name} (not yet adopted) is corrupt ({} bytes)",
                    content.len()
                );
                snapshot.unadopted += 1;
            }
            _ => panic!("{context}: a stray file in the media folder: {name}"),
        }
    }
    assert!(
        snapshot.unadopted <= sync::MAX_CONCURRENCY,
        "{context}: {} complete files without their row update",
        snapshot.unadopted
    );
    snapshot
}

pub async fn row_dump(paths: &UserPaths) -> Vec<(String, i64, Option<String>, Option<i64>)> {
    let mut db = open_db(&paths.database()).await;
    let rows = sqlx::query_as(
        "SELECT sid, updated_at_ms, local_file, local_file_bytes FROM recordings ORDER BY sid",
    )
    .fetch_all(&mut db)
    .await
    .expect("dump");
    db.close().await.expect("close");
    rows
}
