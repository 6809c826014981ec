-- The download queue: what the download policy wants on this computer and is not yet, kept
-- in the library so a restart resumes it. A row leaves the queue when its audio is saved;
-- a failure counts an attempt and waits (`next_attempt_at_ms`, exponential backoff with
-- jitter) before the next; after the last attempt the row stays as 'failed' (with its
-- error, a sentence for a person) until the user retries it. A recording deleted here
-- takes its row with it (the foreign key), so a deleted or tombstoned recording is never
-- downloaded from the queue.
CREATE TABLE download_queue (
    user_id            TEXT NOT NULL,
    sid                TEXT NOT NULL,
    -- The recording's date, copied so the queue is worked newest first from its own index.
    recorded_at_ms     INTEGER NOT NULL,
    queued_at_ms       INTEGER NOT NULL,
    attempts           INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at_ms INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT,
    state              TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'failed')),
    PRIMARY KEY (user_id, sid),
    FOREIGN KEY (user_id, sid) REFERENCES recordings (user_id, sid) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX download_queue_by_turn ON download_queue (user_id, state, recorded_at_ms DESC);

-- Per user: whether the queue is paused (kept across restarts), and how many downloads of
-- the current batch are done (for "n of m"; a new batch starts when the queue was empty).
CREATE TABLE download_queue_state (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    paused  INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    done    INTEGER NOT NULL DEFAULT 0 CHECK (done >= 0)
) STRICT;
