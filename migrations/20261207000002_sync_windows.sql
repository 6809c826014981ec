-- Parallel listing by time windows (issue 13). A run splits its days into windows listed
-- side by side; each window's progress is saved with the page it follows from, so a killed
-- run resumes every window where it stopped.

-- The windows of the run in progress, per listing. A window is the half-open day range
-- [from_day, to_day) (to_day NULL: no end), listed from its start, or from next_link (the
-- relative link of its next page, written in the transaction that stored the page before
-- it). A window split while listing is narrowed and its older part inserted as new
-- windows in the same transaction as the page that showed it was large. All rows of a user
-- go when the run completes.
CREATE TABLE sync_windows (
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    id        INTEGER NOT NULL,
    listing   TEXT NOT NULL CHECK (listing IN ('recordings', 'calls')),
    from_day  TEXT NOT NULL,
    to_day    TEXT,
    next_link TEXT,
    done      INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    PRIMARY KEY (user_id, id)
) STRICT, WITHOUT ROWID;

-- The calls listed by the run in progress: what a recording takes from its call, found by
-- call SID whichever of the two is stored first. Emptied when the run completes.
CREATE TABLE sync_calls (
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    call_sid     TEXT NOT NULL,
    phone_number TEXT NOT NULL,
    phone_digits TEXT NOT NULL,
    contact_name TEXT,
    direction    TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    PRIMARY KEY (user_id, call_sid)
) STRICT, WITHOUT ROWID;

-- Recordings stored before their call was seen (no number yet): a calls page fills them in.
-- Partial, so recordings stored with their call cost this index nothing.
CREATE INDEX recordings_awaiting_call ON recordings (user_id, call_sid) WHERE phone_number = '';

-- The run in progress: the first day of its recordings (calls start a day earlier). Runs
-- saved by the previous version (run_cursor set, this NULL) are abandoned and run afresh.
ALTER TABLE sync_state ADD COLUMN run_range_from TEXT;
