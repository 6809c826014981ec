-- Recordings a run listed before their call (issue 13): held here, out of the library,
-- until the call's page comes, so that each new recording is written into `recordings`
-- once, with its number, instead of once without it and again (with its indexes, search
-- entry and totals) when the call comes. `row` is the recording as the sync's INSERT
-- reads it (a JSON array). Whatever is left when a run ends, stops or is forgotten goes
-- into the library without a call; nothing listed is ever lost.
CREATE TABLE sync_pending (
    user_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sid      TEXT NOT NULL,
    call_sid TEXT NOT NULL,
    row      TEXT NOT NULL,
    PRIMARY KEY (user_id, sid)
) STRICT, WITHOUT ROWID;

CREATE INDEX sync_pending_by_call ON sync_pending (user_id, call_sid);
