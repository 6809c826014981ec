//! The least any sync that keeps its recordings in SQLite can spend: the same 10,000 rows,
//! one transaction a page of 1000 as the sync commits them, written into a table with the
//! same columns and no index, constraint or trigger, from rows already in memory. The
//! peer only lists, so this bounds the ratio a persisting sync can reach against it.

use std::str::FromStr;
use std::time::Instant;

use calldeck_core::UserScope;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::BoxError;

const PAGE: i64 = 1000;

/// Seconds to write the rows `scope` synced, page by page, into a bare table of a fresh
/// database in `dir` (same journal and sync settings as a library).
pub async fn bare_write_seconds(scope: &UserScope, dir: &std::path::Path) -> Result<f64, BoxError> {
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM recordings")
        .fetch_one(scope.pool_for_tests())
        .await?;
    let mut pages: Vec<String> = Vec::new();
    for offset in (0..total).step_by(usize::try_from(PAGE)?) {
        pages.push(
            sqlx::query_scalar(
                "SELECT json_group_array(json_array(sid, call_sid, phone_number, phone_digits,
                    contact_name, direction, status, twilio_status, duration_secs, channels, price,
                    price_unit, recorded_at_ms))
                 FROM (SELECT * FROM recordings ORDER BY id LIMIT ?1 OFFSET ?2)",
            )
            .bind(PAGE)
            .bind(offset)
            .fetch_one(scope.pool_for_tests())
            .await?,
        );
    }
    let path = dir.join("floor.db");
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    sqlx::query(
        "CREATE TABLE bare (user_id TEXT, sid TEXT, call_sid TEXT, phone_number TEXT,
            phone_digits TEXT, contact_name TEXT, direction TEXT, status TEXT, twilio_status TEXT,
            duration_secs INTEGER, channels INTEGER, price TEXT, price_unit TEXT,
            recorded_at_ms INTEGER, updated_at_ms INTEGER)",
    )
    .execute(&pool)
    .await?;
    let started = Instant::now();
    for page in &pages {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO bare SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2,
                j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7,
                j.value ->> 8, j.value ->> 9, j.value ->> 10, j.value ->> 11, j.value ->> 12, ?3
             FROM json_each(?2) AS j",
        )
        .bind(scope.user_id())
        .bind(page)
        .bind(0_i64)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    let seconds = started.elapsed().as_secs_f64();
    pool.close().await;
    std::fs::remove_file(&path).ok();
    Ok(seconds)
}
