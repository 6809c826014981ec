-- Transcripts as timed segments, their per-user word index, and call analyses.

CREATE TABLE transcripts (
    recording_id  INTEGER PRIMARY KEY NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- 'local' (pocketsphinx) or 'remote' (an OpenAI-compatible endpoint).
    engine        TEXT NOT NULL CHECK (engine IN ('local', 'remote')),
    -- The whole transcript, a line a segment: what the word index reads.
    text          TEXT NOT NULL DEFAULT '',
    created_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE transcript_segments (
    id           INTEGER PRIMARY KEY,
    recording_id INTEGER NOT NULL REFERENCES transcripts(recording_id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL,
    start_ms     INTEGER NOT NULL CHECK (start_ms >= 0),
    end_ms       INTEGER NOT NULL CHECK (end_ms >= start_ms),
    channel      INTEGER NOT NULL CHECK (channel BETWEEN 0 AND 7),
    speaker      TEXT NOT NULL CHECK (speaker IN ('agent', 'customer', 'mixed')),
    text         TEXT NOT NULL,
    -- JSON array of {startMs, endMs, text}.
    words        TEXT NOT NULL DEFAULT '[]'
) STRICT;

CREATE INDEX transcript_segments_by_recording ON transcript_segments (recording_id, start_ms);

-- Words, not substrings: unicode61 tokens, diacritics folded. One document a transcript,
-- its rowid the recording's, so a match is a recording id with no lookup (as for
-- recordings_search). The user id is indexed too, so a query narrows to the session user's
-- documents inside the index; the outer query still checks every row's user_id.
CREATE VIRTUAL TABLE transcript_search USING fts5 (
    text,
    user_id,
    content = 'transcripts',
    content_rowid = 'recording_id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER transcript_search_insert AFTER INSERT ON transcripts BEGIN
    INSERT INTO transcript_search (rowid, text, user_id)
    VALUES (new.recording_id, new.text, new.user_id);
END;

CREATE TRIGGER transcript_search_delete AFTER DELETE ON transcripts BEGIN
    INSERT INTO transcript_search (transcript_search, rowid, text, user_id)
    VALUES ('delete', old.recording_id, old.text, old.user_id);
END;

CREATE TRIGGER transcript_search_update AFTER UPDATE OF text, user_id ON transcripts BEGIN
    INSERT INTO transcript_search (transcript_search, rowid, text, user_id)
    VALUES ('delete', old.recording_id, old.text, old.user_id);
    INSERT INTO transcript_search (rowid, text, user_id)
    VALUES (new.recording_id, new.text, new.user_id);
END;

CREATE TABLE analyses (
    recording_id  INTEGER PRIMARY KEY NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- JSON of AudioMetrics; NULL until computed.
    metrics       TEXT,
    -- JSON of AiAnalysis and the model that wrote it; NULL until asked for.
    ai            TEXT,
    ai_model      TEXT,
    updated_at_ms INTEGER NOT NULL
) STRICT;

-- Per-user choices for transcription and analysis. Not secret: the API key is in the keyring.
CREATE TABLE ai_settings (
    user_id             TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    engine              TEXT NOT NULL DEFAULT 'local' CHECK (engine IN ('local', 'remote')),
    base_url            TEXT,
    transcription_model TEXT NOT NULL DEFAULT 'whisper-1',
    chat_model          TEXT NOT NULL DEFAULT 'gpt-4o-mini',
    updated_at_ms       INTEGER NOT NULL
) STRICT;
