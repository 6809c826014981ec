//! What a library left by a killed sync must be: a sound database, no half-written page,
//! no duplicate, every window's resume point no further than what was committed, no join
//! lost between a call and its recording, and no partial or corrupt audio visible; `check`
//! says so or fails the test.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use calldeck_core::storage::UserPaths;
use calldeck_core::sync;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

use super::support::twilio_fake::{media_bytes, FakeRecording};
use super::MEDIA_LEN;

#[derive(Debug, Default)]
pub struct Snapshot {
    pub rows: usize,
    pub completed: bool,
    /// Recordings windows left part-way (with a saved next link).
    pub midway_windows: usize,
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

fn page_token_offset(link: &str) -> usize {
    let (_, rest) = link
        .split_once("PageToken=PA")
        .unwrap_or_else(|| panic!("link without a page token: {link}"));
    rest.split('&')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("bad page token in {link}"))
}

fn day_ms(day: &str) -> i64 {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_else(|| panic!("bad day {day}"))
        .and_utc()
        .timestamp_millis()
}

const DAY: i64 = 86_400_000;

/// The SIDs a saved window link has listed before it (the fake's whole-day reading): the
/// first `PageToken` entries of its query, newest first, that fall inside the window.
fn listed_before(
    link: &str,
    newest_first: &[&FakeRecording],
    (from, to): (i64, Option<i64>),
) -> HashSet<String> {
    let query = link.split_once('?').map_or("", |(_, q)| q);
    let (mut lo, mut hi) = (i64::MIN, i64::MAX);
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "DateCreated" => {
                lo = lo.max(day_ms(v));
                hi = hi.min(day_ms(v) + DAY);
            }
            "DateCreated%3E" => lo = lo.max(day_ms(v)),
            "DateCreated%3C" => hi = hi.min(day_ms(v) + DAY),
            _ => {}
        }
    }
    newest_first
        .iter()
        .filter(|r| r.created_ms >= lo && r.created_ms < hi)
        .take(page_token_offset(link))
        .filter(|r| r.created_ms >= from && to.is_none_or(|t| r.created_ms < t))
        .map(|r| r.sid.clone())
        .collect()
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
         WHERE r.call_sid IS NOT NULL AND r.twilio_status = 'completed'",
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
        "{context}: every row is complete (its call SID and status kept)"
    );
    // Whichever of a call and its recording was stored second completed the join.
    let lost: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM recordings r JOIN sync_calls c
            ON c.user_id = r.user_id AND c.call_sid = r.call_sid
         WHERE r.phone_number = ''",
    )
    .fetch_one(&mut db)
    .await
    .expect("joins");
    assert_eq!(
        lost, 0,
        "{context}: recordings whose call was stored without them"
    );
    // A recording waiting for its call never waits for one already stored.
    let stranded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sync_pending p JOIN sync_calls c
            ON c.user_id = p.user_id AND c.call_sid = p.call_sid",
    )
    .fetch_one(&mut db)
    .await
    .expect("waiting");
    assert_eq!(
        stranded, 0,
        "{context}: recordings waiting for a call already stored"
    );
    let unjoined: i64 =
        sqlx::query_scalar("SELECT count(*) FROM recordings WHERE phone_number = ''")
            .fetch_one(&mut db)
            .await
            .expect("unjoined");
    // Recordings listed before their call wait out of the library: listed and committed
    // all the same, never also in it.
    let waiting: Vec<String> = sqlx::query_scalar("SELECT sid FROM sync_pending")
        .fetch_all(&mut db)
        .await
        .expect("waiting");
    let in_library: HashSet<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert!(
        waiting.iter().all(|sid| !in_library.contains(sid.as_str())),
        "{context}: a recording both in the library and waiting for its call"
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

    let state: Option<(Option<i64>, Option<String>)> =
        sqlx::query_as("SELECT watermark_ms, run_range_from FROM sync_state")
            .fetch_optional(&mut db)
            .await
            .expect("sync_state");
    let (watermark, run) = state.unwrap_or((None, None));
    // A run completed once: everything is stored (a later run only confirms it).
    let completed = watermark.is_some();
    let windows: Vec<(String, Option<String>, Option<String>, bool)> = sqlx::query_as(
        "SELECT from_day, to_day, next_link, done FROM sync_windows WHERE listing = 'recordings'",
    )
    .fetch_all(&mut db)
    .await
    .expect("windows");
    let midway_windows = windows.iter().filter(|w| w.2.is_some()).count();
    if completed {
        assert_eq!(
            rows.len(),
            expected.len(),
            "{context}: a completed run stored everything"
        );
        assert_eq!(
            unjoined, 0,
            "{context}: a completed run joined every recording"
        );
        assert!(
            waiting.is_empty(),
            "{context}: a completed run leaves none waiting"
        );
        assert!(
            run.is_some() || windows.is_empty(),
            "{context}: a completed run keeps no windows"
        );
    } else {
        // Each window lists newest first: what is stored of its days is exactly the pages
        // before its resume point, whole; nothing of a window not started, everything of
        // a window done. The windows cover the run's days once.
        let mut newest_first: Vec<&FakeRecording> = expected.iter().collect();
        newest_first.sort_by(|a, b| b.created_ms.cmp(&a.created_ms).then(b.sid.cmp(&a.sid)));
        let stored: HashSet<String> = rows
            .iter()
            .map(|r| r.0.clone())
            .chain(waiting.iter().cloned())
            .collect();
        let mut covered = HashSet::new();
        for (from, to, link, done) in &windows {
            let span = (day_ms(from), to.as_deref().map(day_ms));
            let inside: HashSet<String> = newest_first
                .iter()
                .filter(|r| r.created_ms >= span.0 && span.1.is_none_or(|t| r.created_ms < t))
                .map(|r| r.sid.clone())
                .collect();
            let want = match (done, link) {
                (true, _) => inside.clone(),
                (false, Some(link)) => listed_before(link, &newest_first, span),
                (false, None) => HashSet::new(),
            };
            let have: HashSet<String> = stored.intersection(&inside).cloned().collect();
            assert_eq!(
                have.len(),
                want.len(),
                "{context}: window [{from}, {to:?}) link {link:?} done {done}: stored vs. its \
                 resume point (a page half-written, or the link past an uncommitted page)"
            );
            assert_eq!(have, want, "{context}: window [{from}, {to:?})");
            for sid in inside {
                assert!(
                    covered.insert(sid),
                    "{context}: windows overlap at [{from}, {to:?})"
                );
            }
        }
        for sid in &stored {
            assert!(
                covered.contains(sid),
                "{context}: {sid} is stored outside every window of the run"
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
        midway_windows,
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
