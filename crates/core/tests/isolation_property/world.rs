//! The shared world: twenty users, each with rows of their own and another's planted, and
//! what a user's database and folder hold, to compare before and after each command.

use super::*;

pub(crate) const USERS: usize = 20;
pub(crate) const OWN: u32 = 8;

pub(crate) struct World {
    pub(crate) root: PathBuf,
    pub(crate) users: Vec<(Workspace, UserScope)>,
}

pub(crate) fn subject(u: usize) -> String {
    format!("auth0|tenant-{u:02}")
}

pub(crate) async fn build(root: &Path) -> World {
    let data = root.join("data");
    let mut users = Vec::new();
    for u in 0..USERS {
        let (ws, scope) = signed_in(&data, &subject(u)).await;
        let owner = u32::try_from(u).expect("small");
        let mut rows = Vec::new();
        for n in 0..OWN {
            let mut r = recording(
                &sid(owner, n),
                &format!("+1555{owner:03}{n:04}"),
                Some(&format!("Tenant {u} contact {n}")),
                NOW_MS - i64::from(n) * 60 * DAY_MS,
            );
            if n < 3 {
                let name = format!("{}.wav", sid(owner, n));
                std::fs::write(scope.paths().media_dir().join(&name), b"audio").expect("audio");
                r.local_file = Some(name);
                r.local_file_bytes = Some(5);
            }
            r.starred = n == 4;
            rows.push(r);
        }
        insert_recordings(&scope, &rows, NOW_MS)
            .await
            .expect("insert");
        set_legal_hold(&scope, &sid(owner, 5), true, NOW_MS)
            .await
            .expect("hold");
        add_note(&scope, &sid(owner, 0), 1000, "own note", NOW_MS)
            .await
            .expect("note");
        // The second wall: rows of the next user, with that user's real SIDs and a file of
        // theirs, planted in this database. They must stay invisible and untouched.
        let victim = (u + 1) % USERS;
        let pool = scope.pool_for_tests();
        sqlx::query(
            "INSERT INTO users (id, display_name, created_at_ms) VALUES (?1, 'planted', 0)",
        )
        .bind(subject(victim))
        .execute(pool)
        .await
        .expect("planted user");
        for n in 0..3u32 {
            let planted_sid = sid(u32::try_from(victim).expect("small"), n);
            let file = format!("planted-{n}.wav");
            std::fs::write(scope.paths().media_dir().join(&file), b"planted")
                .expect("planted file");
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO recordings (user_id, sid, phone_number, phone_digits, contact_name,
                    direction, status, local_file, local_file_bytes, recorded_at_ms, updated_at_ms)
                 VALUES (?1, ?2, '+15550000000', '15550000000', 'Tenant planted', 'inbound', 'ready',
                    ?3, 7, ?4, 0) RETURNING id",
            )
            .bind(subject(victim))
            .bind(&planted_sid)
            .bind(file)
            .bind(NOW_MS - 400 * DAY_MS)
            .fetch_one(pool)
            .await
            .expect("planted row");
            sqlx::query(
                "INSERT INTO recording_notes (user_id, recording_id, position_ms, body, created_at_ms, updated_at_ms)
                 VALUES (?1, ?2, 0, 'planted note', 0, 0)",
            )
            .bind(subject(victim))
            .bind(id)
            .execute(pool)
            .await
            .expect("planted note");
        }
        users.push((ws, scope));
    }
    World {
        root: root.to_path_buf(),
        users,
    }
}

/// Everything in a user's database, except (when `except` names one) that user's own rows.
pub(crate) async fn dump(scope: &UserScope, except: &str) -> Vec<String> {
    let pool = scope.pool_for_tests();
    let mut out = Vec::new();
    for sql in [
        "SELECT json_array(id, user_id, sid, call_sid, phone_number, phone_digits, contact_name, direction,
            status, duration_secs, channels, category, tags, priority, starred, archived, legal_hold, notes,
            local_file, local_file_bytes, play_count, download_count, last_played_at_ms,
            last_downloaded_at_ms, recorded_at_ms, updated_at_ms) FROM recordings WHERE user_id != ?1 ORDER BY id",
        "SELECT json_array(id, user_id, recording_id, position_ms, body, created_at_ms, updated_at_ms)
            FROM recording_notes WHERE user_id != ?1 ORDER BY id",
        "SELECT json_array(user_id, sid, deleted_at_ms) FROM tombstones WHERE user_id != ?1 ORDER BY 1",
        "SELECT json_array(user_id, status, direction, category, starred, archived, legal_hold, recordings,
            duration_secs, local_files, local_bytes) FROM recording_totals WHERE user_id != ?1 ORDER BY 1",
        "SELECT json_array(id, user_id, at_ms, operation, recordings, outcome, detail) FROM audit_log
            WHERE user_id != ?1 ORDER BY id",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql)
            .bind(except)
            .fetch_all(pool)
            .await
            .expect("dump");
        out.extend(rows);
    }
    out
}

/// The acting user's own rows (recordings, notes, tombstones, totals), without the audit log.
pub(crate) async fn own_rows(scope: &UserScope) -> Vec<String> {
    let pool = scope.pool_for_tests();
    let mut out = Vec::new();
    for sql in [
        "SELECT json_array(id, sid, category, tags, priority, starred, archived, legal_hold, notes,
            local_file, download_count) FROM recordings WHERE user_id = ?1 ORDER BY id",
        "SELECT json_array(id, recording_id, position_ms, body) FROM recording_notes WHERE user_id = ?1 ORDER BY id",
        "SELECT json_array(sid) FROM tombstones WHERE user_id = ?1 ORDER BY 1",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql)
            .bind(scope.user_id())
            .fetch_all(pool)
            .await
            .expect("dump");
        out.extend(rows);
    }
    out
}

pub(crate) fn files_outside(world: &World, actor: usize) -> BTreeMap<String, u64> {
    let own = world.users[actor].1.paths().root().to_path_buf();
    let own_exports = world.root.join("exports").join(actor.to_string());
    tree(&world.root)
        .into_iter()
        .map(|rel| world.root.join(rel))
        .filter(|p| !p.starts_with(&own) && !p.starts_with(&own_exports))
        // The databases of other users are compared row by row (WAL files change on reads).
        .filter(|p| !p.to_string_lossy().contains("library.db"))
        .map(|p| {
            let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            (p.to_string_lossy().into_owned(), len)
        })
        .collect()
}
