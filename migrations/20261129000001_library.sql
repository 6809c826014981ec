-- The per-user recording library. Every row carries user_id and every query filters on it,
-- even though each user also has a database file of their own: two walls, not one.
CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    display_name  TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE recordings (
    id                  INTEGER PRIMARY KEY,
    user_id             TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sid                 TEXT NOT NULL CHECK (sid GLOB 'RE[0-9a-fA-F]*' AND length(sid) = 34),
    call_sid            TEXT,
    phone_number        TEXT NOT NULL,
    -- The number reduced to its digits, so "(555) 12" and "+1 555" find the same call.
    phone_digits        TEXT NOT NULL,
    contact_name        TEXT,
    direction           TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    status              TEXT NOT NULL CHECK (status IN ('ready', 'processing', 'error')),
    duration_secs       INTEGER NOT NULL DEFAULT 0 CHECK (duration_secs >= 0),
    channels            INTEGER NOT NULL DEFAULT 1,
    category            TEXT,
    tags                TEXT NOT NULL DEFAULT '[]',
    priority            TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
    starred             INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
    archived            INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    legal_hold          INTEGER NOT NULL DEFAULT 0 CHECK (legal_hold IN (0, 1)),
    notes               TEXT,
    -- A file name inside the user's media folder, never a path.
    local_file          TEXT CHECK (local_file IS NULL OR (instr(local_file, '/') = 0 AND instr(local_file, '\') = 0)),
    local_file_bytes    INTEGER,
    play_count          INTEGER NOT NULL DEFAULT 0,
    download_count      INTEGER NOT NULL DEFAULT 0,
    last_played_at_ms   INTEGER,
    last_downloaded_at_ms INTEGER,
    recorded_at_ms      INTEGER NOT NULL,
    updated_at_ms       INTEGER NOT NULL,
    UNIQUE (user_id, sid)
) STRICT;

-- The default listing: newest first, paged. The grouped columns after id never change the
-- order, but let date-range counts (with or without those filters) read the index alone.
CREATE INDEX recordings_by_user_date ON recordings (
    user_id, recorded_at_ms DESC, id DESC, status, direction, category, starred, archived, legal_hold
);
