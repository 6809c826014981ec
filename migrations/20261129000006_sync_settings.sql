-- Per-user sync settings (not secret: credentials live in the keyring).
CREATE TABLE sync_settings (
    user_id            TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- JSON of DownloadPolicy, e.g. {"kind":"starred"}.
    download_policy    TEXT NOT NULL DEFAULT '{"kind":"none"}',
    -- Minutes between background syncs; NULL when background sync is off.
    background_minutes INTEGER CHECK (background_minutes IS NULL OR background_minutes BETWEEN 1 AND 1440),
    -- A desktop notification when a background sync finds new recordings.
    notify_new         INTEGER NOT NULL DEFAULT 0 CHECK (notify_new IN (0, 1)),
    updated_at_ms      INTEGER NOT NULL
) STRICT;
