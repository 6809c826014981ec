use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::error::Result;

/// Opens (creating if needed) a user's library database and brings its schema up to date.
pub async fn open(path: &Path) -> Result<SqlitePool> {
    let options = options(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    // Two first opens at once (two windows of a start-up race, or two processes) would both
    // see no schema and both create it ("table exists"), or both switch a new file to WAL
    // (which answers SQLITE_BUSY at once): the first connection and the migrations happen
    // under an exclusive lock on a file beside the database, which the OS releases however
    // the holder ends.
    let lock = open_lock(path).await?;
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await;
    let migrated = match &pool {
        Ok(pool) => sqlx::migrate!("../../migrations").run(pool).await,
        Err(_) => Ok(()),
    };
    drop(lock);
    let pool = pool?;
    migrated?;
    Ok(pool)
}

async fn open_lock(database: &Path) -> Result<std::fs::File> {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    let path = std::path::PathBuf::from(name);
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        file.lock()?;
        Ok(file)
    })
    .await
    .map_err(|_| crate::Error::Internal("database open lock task failed".into()))?
}

/// Begins a write transaction that holds the write lock from its first statement (`BEGIN
/// IMMEDIATE`). A deferred `BEGIN` that reads before it writes keeps a snapshot which
/// another connection's commit can make stale; its first write then fails with SQLITE_BUSY
/// at once, busy timeout or not. Taking the lock up front makes an edit during a sync wait
/// its turn instead. Every transaction that writes begins here.
pub(crate) async fn begin_write(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

/// Connection options for the database file at `path`, taken as a path: a `?` or `#` in a
/// folder's name stays part of the name (as a URL it would become connection options).
pub(crate) fn options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new().filename(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn opens_with_wal_and_foreign_keys_enforced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let pool = open(&dir.path().join("library.db")).await.expect("open");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .expect("pragma");
        assert_eq!(mode, "wal", "WAL lets the UI read while a sync writes");
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&pool)
            .await
            .expect("pragma");
        assert_eq!(fk, 1, "foreign keys must be enforced on every connection");
    }
}
