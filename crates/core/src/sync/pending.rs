//! New recordings listed before their call wait in `sync_pending`, out of the library, and
//! go in once, joined, when their call's page is stored. Written without the call and
//! filled in later, a recording would be written twice: its row, its indexes, its search
//! entry and the totals' triggers, all over again (measured: the fill-in cost two thirds
//! of the first write). What still waits when a run ends, stops or is forgotten goes in
//! without a call, so nothing listed is lost.

use super::recordings_upsert::upsert_recordings;
use crate::error::Result;
use crate::session::UserScope;

type Tx<'c, 't> = &'t mut sqlx::Transaction<'c, sqlx::Sqlite>;

/// Keeps `rows` (a JSON array of recording rows, in the order the sync's INSERT reads
/// them, each with its call SID) until their calls come.
pub(super) async fn hold(scope: &UserScope, tx: Tx<'_, '_>, rows: &str) -> Result<()> {
    let user_id = scope.user_id();
    sqlx::query!(
        "INSERT INTO sync_pending (user_id, sid, call_sid, row)
         SELECT ?1, j.value ->> 0, j.value ->> 1, j.value FROM json_each(?2) AS j WHERE true
         ON CONFLICT (user_id, sid) DO UPDATE SET call_sid = excluded.call_sid, row = excluded.row",
        user_id,
        rows,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Lets go of the waiting rows of `sids` (a JSON array): they were stored some other way.
pub(super) async fn drop_sids(scope: &UserScope, tx: Tx<'_, '_>, sids: &str) -> Result<()> {
    let user_id = scope.user_id();
    sqlx::query!(
        "DELETE FROM sync_pending
         WHERE user_id = ?1 AND sid IN (SELECT value FROM json_each(?2))",
        user_id,
        sids,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores the recordings waiting for the calls of `calls` (a JSON array of call rows, the
/// call SID first), joined with them, and lets them go. The calls are in `sync_calls`.
pub(super) async fn settle(
    scope: &UserScope,
    tx: Tx<'_, '_>,
    calls: &str,
    now_ms: i64,
) -> Result<()> {
    let user_id = scope.user_id();
    upsert_recordings!(
        with_call: "SELECT ?1, p.sid, p.call_sid, c.phone_number, c.phone_digits,
                c.contact_name, c.direction, p.row ->> 6, p.row ->> 7, p.row ->> 8, p.row ->> 9,
                p.row ->> 10, p.row ->> 11, p.row ->> 12, ?3
            FROM sync_pending p
            JOIN sync_calls c ON c.user_id = p.user_id AND c.call_sid = p.call_sid
            WHERE p.user_id = ?1
                AND p.call_sid IN (SELECT j.value ->> 0 FROM json_each(?2) AS j)",
        user_id,
        calls,
        now_ms,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "DELETE FROM sync_pending
         WHERE user_id = ?1 AND call_sid IN (SELECT j.value ->> 0 FROM json_each(?2) AS j)",
        user_id,
        calls,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Stores every waiting recording without its call and lets them all go: the run ended,
/// stopped or is forgotten, and what it listed belongs in the library. A later call's page
/// still fills them in (as for any recording stored without its call).
pub(super) async fn flush(scope: &UserScope, tx: Tx<'_, '_>, now_ms: i64) -> Result<()> {
    let user_id = scope.user_id();
    upsert_recordings!(
        without_call: "SELECT ?1, p.row ->> 0, p.row ->> 1, p.row ->> 2, p.row ->> 3,
                p.row ->> 4, p.row ->> 5, p.row ->> 6, p.row ->> 7, p.row ->> 8, p.row ->> 9,
                p.row ->> 10, p.row ->> 11, p.row ->> 12, ?2
            FROM sync_pending p WHERE p.user_id = ?1",
        user_id,
        now_ms,
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!("DELETE FROM sync_pending WHERE user_id = ?1", user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// [`flush`] in a transaction of its own: for a run that stopped (cancelled or failed) and
/// will resume, whose listed recordings must show meanwhile.
pub(super) async fn release(scope: &UserScope, now_ms: i64) -> Result<()> {
    let mut tx = crate::library::db::begin_write(scope.pool()).await?;
    flush(scope, &mut tx, now_ms).await?;
    tx.commit().await?;
    Ok(())
}
