-- The audit trail records access as well as edits (sign-in, sync runs, plays, downloads,
-- transcriptions, analyses), and some of those can end cancelled. SQLite cannot change a
-- CHECK constraint, so the table is rebuilt with the wider one, keeping every row and id.
-- The trail now grows with every play and background sync; the view pages it by id, so its
-- index is (user_id, id): a page reads its rows instead of sorting the whole trail.
CREATE TABLE audit_log_next (
    id         INTEGER PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at_ms      INTEGER NOT NULL,
    operation  TEXT NOT NULL,
    recordings TEXT NOT NULL DEFAULT '[]',
    outcome    TEXT NOT NULL CHECK (outcome IN ('ok', 'error', 'cancelled')),
    detail     TEXT
) STRICT;
INSERT INTO audit_log_next (id, user_id, at_ms, operation, recordings, outcome, detail)
    SELECT id, user_id, at_ms, operation, recordings, outcome, detail FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_next RENAME TO audit_log;
CREATE INDEX audit_log_by_user ON audit_log (user_id, id);
