-- Everything the library's operations need: bookmarks, tombstones, the audit log, the search
-- index, the per-user aggregates behind stats and counts, and indexes for each sort.

-- Timestamped notes at a position in the audio.
CREATE TABLE recording_notes (
    id            INTEGER PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    recording_id  INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    position_ms   INTEGER NOT NULL CHECK (position_ms >= 0),
    body          TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX recording_notes_by_recording ON recording_notes (user_id, recording_id, position_ms);

-- Recordings the user deleted: a sync must never bring them back.
CREATE TABLE tombstones (
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sid           TEXT NOT NULL,
    deleted_at_ms INTEGER NOT NULL,
    PRIMARY KEY (user_id, sid)
) STRICT, WITHOUT ROWID;

-- Who did what to which recordings, when, and how it ended. Never a secret.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at_ms      INTEGER NOT NULL,
    operation  TEXT NOT NULL,
    recordings TEXT NOT NULL DEFAULT '[]',
    outcome    TEXT NOT NULL CHECK (outcome IN ('ok', 'error')),
    detail     TEXT
) STRICT;
CREATE INDEX audit_log_by_user_time ON audit_log (user_id, at_ms DESC, id DESC);

-- One index per sort, each ending in id so keyset pages are exact.
CREATE INDEX recordings_by_user_duration ON recordings (user_id, duration_secs, id);
CREATE INDEX recordings_by_user_phone ON recordings (user_id, phone_digits, id);
-- Cleanup looks at files older than a date.
CREATE INDEX recordings_with_files_by_date ON recordings (user_id, recorded_at_ms) WHERE local_file IS NOT NULL;

-- Substring search over numbers and names: a trigram index finds "555" or "ana" anywhere.
CREATE VIRTUAL TABLE recordings_search USING fts5 (
    phone_digits, contact_name, content = 'recordings', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO recordings_search (rowid, phone_digits, contact_name)
    SELECT id, phone_digits, coalesce(contact_name, '') FROM recordings;
CREATE TRIGGER recordings_search_insert AFTER INSERT ON recordings BEGIN
    INSERT INTO recordings_search (rowid, phone_digits, contact_name)
        VALUES (new.id, new.phone_digits, coalesce(new.contact_name, ''));
END;
CREATE TRIGGER recordings_search_delete AFTER DELETE ON recordings BEGIN
    INSERT INTO recordings_search (recordings_search, rowid, phone_digits, contact_name)
        VALUES ('delete', old.id, old.phone_digits, coalesce(old.contact_name, ''));
END;
CREATE TRIGGER recordings_search_update AFTER UPDATE OF phone_digits, contact_name ON recordings BEGIN
    INSERT INTO recordings_search (recordings_search, rowid, phone_digits, contact_name)
        VALUES ('delete', old.id, old.phone_digits, coalesce(old.contact_name, ''));
    INSERT INTO recordings_search (rowid, phone_digits, contact_name)
        VALUES (new.id, new.phone_digits, coalesce(new.contact_name, ''));
END;

-- Per-user aggregates kept by triggers, so stats and unfiltered counts never scan:
-- one row per combination of the grouped columns.
CREATE TABLE recording_totals (
    user_id        TEXT NOT NULL,
    status         TEXT NOT NULL,
    direction      TEXT NOT NULL,
    category       TEXT NOT NULL,
    starred        INTEGER NOT NULL,
    archived       INTEGER NOT NULL,
    legal_hold     INTEGER NOT NULL,
    recordings     INTEGER NOT NULL,
    duration_secs  INTEGER NOT NULL,
    local_files    INTEGER NOT NULL,
    local_bytes    INTEGER NOT NULL,
    PRIMARY KEY (user_id, status, direction, category, starred, archived, legal_hold)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER recording_totals_insert AFTER INSERT ON recordings BEGIN
    INSERT INTO recording_totals VALUES (
        new.user_id, new.status, new.direction, coalesce(new.category, ''), new.starred, new.archived,
        new.legal_hold, 1, new.duration_secs, new.local_file IS NOT NULL, coalesce(new.local_file_bytes, 0))
    ON CONFLICT DO UPDATE SET
        recordings = recordings + 1,
        duration_secs = duration_secs + excluded.duration_secs,
        local_files = local_files + excluded.local_files,
        local_bytes = local_bytes + excluded.local_bytes;
END;
CREATE TRIGGER recording_totals_delete AFTER DELETE ON recordings BEGIN
    UPDATE recording_totals SET
        recordings = recordings - 1,
        duration_secs = duration_secs - old.duration_secs,
        local_files = local_files - (old.local_file IS NOT NULL),
        local_bytes = local_bytes - coalesce(old.local_file_bytes, 0)
    WHERE user_id = old.user_id AND status = old.status AND direction = old.direction
      AND category = coalesce(old.category, '') AND starred = old.starred AND archived = old.archived
      AND legal_hold = old.legal_hold;
    DELETE FROM recording_totals
    WHERE user_id = old.user_id AND status = old.status AND direction = old.direction
      AND category = coalesce(old.category, '') AND starred = old.starred AND archived = old.archived
      AND legal_hold = old.legal_hold AND recordings = 0;
END;
-- An emptied group row is removed by its primary key, never by a scan of the totals.
CREATE TRIGGER recording_totals_update AFTER UPDATE OF
    user_id, status, direction, category, starred, archived, legal_hold, duration_secs, local_file, local_file_bytes
    ON recordings BEGIN
    UPDATE recording_totals SET
        recordings = recordings - 1,
        duration_secs = duration_secs - old.duration_secs,
        local_files = local_files - (old.local_file IS NOT NULL),
        local_bytes = local_bytes - coalesce(old.local_file_bytes, 0)
    WHERE user_id = old.user_id AND status = old.status AND direction = old.direction
      AND category = coalesce(old.category, '') AND starred = old.starred AND archived = old.archived
      AND legal_hold = old.legal_hold;
    INSERT INTO recording_totals VALUES (
        new.user_id, new.status, new.direction, coalesce(new.category, ''), new.starred, new.archived,
        new.legal_hold, 1, new.duration_secs, new.local_file IS NOT NULL, coalesce(new.local_file_bytes, 0))
    ON CONFLICT DO UPDATE SET
        recordings = recordings + 1,
        duration_secs = duration_secs + excluded.duration_secs,
        local_files = local_files + excluded.local_files,
        local_bytes = local_bytes + excluded.local_bytes;
    DELETE FROM recording_totals
    WHERE user_id = old.user_id AND status = old.status AND direction = old.direction
      AND category = coalesce(old.category, '') AND starred = old.starred AND archived = old.archived
      AND legal_hold = old.legal_hold AND recordings = 0;
END;
INSERT INTO recording_totals
    SELECT user_id, status, direction, coalesce(category, ''), starred, archived, legal_hold,
           count(*), sum(duration_secs), sum(local_file IS NOT NULL), sum(coalesce(local_file_bytes, 0))
    FROM recordings GROUP BY 1, 2, 3, 4, 5, 6, 7;
