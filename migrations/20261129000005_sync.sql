-- Twilio sync: what Twilio said beyond the library's own columns, and where each user's
-- sync stands.

-- Twilio's recording status exactly as received (bounded), so a value Twilio adds later is
-- kept rather than lost; `status` holds the library's mapping of it.
ALTER TABLE recordings ADD COLUMN twilio_status TEXT;
-- Price as Twilio sends it: a decimal string, may be negative, may be null.
ALTER TABLE recordings ADD COLUMN price TEXT;
ALTER TABLE recordings ADD COLUMN price_unit TEXT;

-- One row per user. A run lists newest first, so its resume point is the link to the next
-- page (`run_cursor`), written in the same transaction as the page before it: it never
-- moves past a page that did not commit. A run that completes moves the watermark (the
-- newest creation time seen) and clears the run columns; the next run starts from the
-- watermark's day less an overlap.
CREATE TABLE sync_state (
    user_id              TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    watermark_ms         INTEGER,
    last_completed_at_ms INTEGER,
    run_from_day         TEXT,
    run_cursor           TEXT,
    run_high_ms          INTEGER,
    run_pages            INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Downloads look for ready recordings that have no local file yet.
CREATE INDEX recordings_to_download ON recordings (user_id, recorded_at_ms DESC) WHERE local_file IS NULL;
