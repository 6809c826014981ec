//! What is compared before and after each command: every row of a user's database (tagged
//! with whether it is that user's own), and every file in the shared data folder with its
//! size and modification time.

use super::*;

use std::time::SystemTime;

/// Every row of every table in a user's database, as (belongs to this user, row as JSON).
pub(crate) type Dump = Vec<(bool, String)>;

pub(crate) async fn dump(scope: &UserScope) -> Dump {
    // One query for all tables: this runs after every command.
    let rows: Vec<(bool, String)> = sqlx::query_as(
        "SELECT user_id = ?1, json_array('recording', id, user_id, sid, call_sid, phone_number, phone_digits,
            contact_name, direction, status, duration_secs, channels, category, tags, priority, starred,
            archived, legal_hold, notes, local_file, local_file_bytes, download_count,
            last_downloaded_at_ms, recorded_at_ms, updated_at_ms) FROM recordings
         UNION ALL SELECT user_id = ?1, json_array('plays', id, play_count, last_played_at_ms)
            FROM recordings
         UNION ALL SELECT user_id = ?1, json_array('note', id, user_id, recording_id, position_ms, body,
            created_at_ms, updated_at_ms) FROM recording_notes
         UNION ALL SELECT user_id = ?1, json_array('tombstone', user_id, sid, deleted_at_ms) FROM tombstones
         UNION ALL SELECT user_id = ?1, json_array('totals', user_id, status, direction, category, starred,
            archived, legal_hold, recordings, duration_secs, local_files, local_bytes) FROM recording_totals
         UNION ALL SELECT user_id = ?1, json_array('audit', id, user_id, at_ms, operation, recordings, outcome,
            detail) FROM audit_log
         UNION ALL SELECT user_id = ?1, json_array('transcript', recording_id, user_id, engine, text,
            created_at_ms) FROM transcripts
         UNION ALL SELECT user_id = ?1, json_array('segment', id, recording_id, user_id, start_ms, end_ms,
            channel, speaker, text, words) FROM transcript_segments
         UNION ALL SELECT user_id = ?1, json_array('analysis', recording_id, user_id, metrics, ai, ai_model,
            updated_at_ms) FROM analyses
         UNION ALL SELECT user_id = ?1, json_array('sync', user_id, watermark_ms, last_completed_at_ms,
            run_from_day, run_cursor, run_high_ms, run_pages) FROM sync_state
         UNION ALL SELECT user_id = ?1, json_array('queue', user_id, sid, recorded_at_ms, queued_at_ms,
            attempts, next_attempt_at_ms, last_error, state) FROM download_queue
         UNION ALL SELECT user_id = ?1, json_array('queue_state', user_id, paused, done)
            FROM download_queue_state
         UNION ALL SELECT id = ?1, json_array('user', id, display_name) FROM users
         ORDER BY 2",
    )
    .bind(scope.user_id())
    .fetch_all(scope.pool_for_tests())
    .await
    .expect("dump");
    rows
}

/// The rows of a dump that are not the user's own.
pub(crate) fn others_rows(dump: &Dump) -> Vec<&String> {
    dump.iter()
        .filter(|(own, _)| !own)
        .map(|(_, r)| r)
        .collect()
}

/// The user's own rows, but their audit trail (which records refusals too) and their
/// play counts (which every play moves, and which no case needs put back).
pub(crate) fn own_rows(dump: &Dump) -> Vec<&String> {
    dump.iter()
        .filter(|(own, r)| *own && !r.starts_with("[\"audit\"") && !r.starts_with("[\"plays\""))
        .map(|(_, r)| r)
        .collect()
}

/// Size and modification time of a file.
pub(crate) type Stat = (u64, SystemTime);

/// Every file under the data root, but the databases' shared-memory index (which a mere
/// read of that database may touch).
pub(crate) fn files(root: &Path) -> BTreeMap<PathBuf, Stat> {
    let mut out = BTreeMap::new();
    visit(root, &mut out);
    out
}

/// The files of user `v`: their folder and their exports.
pub(crate) fn files_of(world: &World, v: usize) -> BTreeMap<PathBuf, Stat> {
    let mut out = BTreeMap::new();
    visit(world.users[v].1.paths().root(), &mut out);
    visit(&exports_of(world, v), &mut out);
    out
}

/// The paths whose file appeared, went, or changed between two views.
pub(crate) fn changed_paths<'a>(
    was: &'a BTreeMap<PathBuf, Stat>,
    is: &'a BTreeMap<PathBuf, Stat>,
) -> BTreeSet<&'a PathBuf> {
    was.keys()
        .chain(is.keys())
        .filter(|p| was.get(*p) != is.get(*p))
        .collect()
}

fn visit(dir: &Path, out: &mut BTreeMap<PathBuf, Stat>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let (Ok(meta), path) = (entry.metadata(), entry.path()) else {
            continue;
        };
        if meta.is_dir() {
            visit(&path, out);
        } else if !path.to_string_lossy().ends_with("-shm") {
            let modified = meta.modified().expect("modification time");
            out.insert(path, (meta.len(), modified));
        }
    }
}

/// The user whose database (or its write-ahead log) `path` is, if it is one.
pub(crate) fn database_of(world: &World, path: &Path) -> Option<usize> {
    world.users.iter().position(|(_, scope)| {
        let db = scope.paths().database();
        path == db || path.as_os_str() == format!("{}-wal", db.display()).as_str()
    })
}

/// The files of the data folder by whose they are: each user's (their folder and their
/// exports), and the rest (shared by all).
pub(crate) struct Files {
    pub(crate) users: Vec<BTreeMap<PathBuf, Stat>>,
    pub(crate) rest: BTreeMap<PathBuf, Stat>,
}

impl Files {
    pub(crate) fn take(world: &World) -> Self {
        let mut users = vec![BTreeMap::new(); world.users.len()];
        let mut rest = BTreeMap::new();
        for (path, stat) in files(&world.root) {
            let whose = (0..world.users.len()).find(|&v| {
                path.starts_with(world.users[v].1.paths().root())
                    || path.starts_with(exports_of(world, v))
            });
            match whose {
                Some(v) => users[v].insert(path, stat),
                None => rest.insert(path, stat),
            };
        }
        Files { users, rest }
    }
}

/// What is known of everyone's data between commands.
pub(crate) struct Known {
    pub(crate) dumps: Vec<Dump>,
    /// Each user's own rows as `seed_own` left them.
    base: Vec<Vec<String>>,
    pub(crate) files: Files,
    /// Users who acted since the world was last put back.
    pub(crate) dirty: BTreeSet<usize>,
}

impl Known {
    pub(crate) async fn take(world: &World) -> Self {
        let mut dumps = Vec::new();
        for (_, scope) in &world.users {
            dumps.push(dump(scope).await);
        }
        Known {
            base: dumps
                .iter()
                .map(|d| own_rows(d).into_iter().cloned().collect())
                .collect(),
            dumps,
            files: Files::take(world),
            dirty: BTreeSet::new(),
        }
    }

    /// Puts user `u`'s own data back as seeded, when a case changed it (most cases only
    /// read most users' data, and a reset is the dearest part of a case).
    pub(crate) async fn put_back(&mut self, world: &World, u: usize) {
        let scope = &world.users[u].1;
        let own: Vec<String> = own_rows(&self.dumps[u]).into_iter().cloned().collect();
        if own != self.base[u] {
            reset_own(world, u).await;
            self.dumps[u] = dump(scope).await;
            self.base[u] = own_rows(&self.dumps[u]).into_iter().cloned().collect();
        } else if self.dumps[u]
            .iter()
            .any(|(own, r)| *own && r.starts_with("[\"audit\""))
        {
            sqlx::query("DELETE FROM audit_log WHERE user_id = ?1")
                .bind(scope.user_id())
                .execute(scope.pool_for_tests())
                .await
                .expect("clear the audit trail");
        }
    }

    /// Takes what user `v`'s folders now hold as known (after their own command).
    pub(crate) fn take_files_of(&mut self, world: &World, v: usize) {
        self.files.users[v] = files_of(world, v);
    }
}
