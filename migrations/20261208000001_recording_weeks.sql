-- Per-user, per-week aggregates kept by triggers, so a count over a date range adds up whole
-- weeks instead of counting every row: the last year of a million-recording library is
-- ~330,000 rows of the date index (60 ms) but ~10,000 rows here. The partial weeks at
-- either end of a range are still counted from the date index.
-- A week is 604,800,000 ms counted from the epoch (floor division, so a time before 1970
-- falls in a negative week); one row per week and combination of the grouped columns.
CREATE TABLE recording_weeks (
    user_id     TEXT NOT NULL,
    week        INTEGER NOT NULL,
    status      TEXT NOT NULL,
    direction   TEXT NOT NULL,
    category    TEXT NOT NULL,
    starred     INTEGER NOT NULL,
    archived    INTEGER NOT NULL,
    legal_hold  INTEGER NOT NULL,
    recordings  INTEGER NOT NULL,
    PRIMARY KEY (user_id, week, status, direction, category, starred, archived, legal_hold)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER recording_weeks_insert AFTER INSERT ON recordings BEGIN
    INSERT INTO recording_weeks VALUES (
        new.user_id,
        (new.recorded_at_ms - (new.recorded_at_ms % 604800000 + 604800000) % 604800000) / 604800000,
        new.status, new.direction, coalesce(new.category, ''), new.starred, new.archived,
        new.legal_hold, 1)
    ON CONFLICT DO UPDATE SET recordings = recordings + 1;
END;

CREATE TRIGGER recording_weeks_delete AFTER DELETE ON recordings BEGIN
    UPDATE recording_weeks SET recordings = recordings - 1
    WHERE user_id = old.user_id
      AND week = (old.recorded_at_ms - (old.recorded_at_ms % 604800000 + 604800000) % 604800000) / 604800000
      AND status = old.status AND direction = old.direction
      AND category = coalesce(old.category, '') AND starred = old.starred
      AND archived = old.archived AND legal_hold = old.legal_hold;
    DELETE FROM recording_weeks
    WHERE user_id = old.user_id
      AND week = (old.recorded_at_ms - (old.recorded_at_ms % 604800000 + 604800000) % 604800000) / 604800000
      AND status = old.status AND direction = old.direction
      AND category = coalesce(old.category, '') AND starred = old.starred
      AND archived = old.archived AND legal_hold = old.legal_hold AND recordings = 0;
END;

CREATE TRIGGER recording_weeks_update AFTER UPDATE OF
    user_id, recorded_at_ms, status, direction, category, starred, archived, legal_hold
    ON recordings BEGIN
    UPDATE recording_weeks SET recordings = recordings - 1
    WHERE user_id = old.user_id
      AND week = (old.recorded_at_ms - (old.recorded_at_ms % 604800000 + 604800000) % 604800000) / 604800000
      AND status = old.status AND direction = old.direction
      AND category = coalesce(old.category, '') AND starred = old.starred
      AND archived = old.archived AND legal_hold = old.legal_hold;
    INSERT INTO recording_weeks VALUES (
        new.user_id,
        (new.recorded_at_ms - (new.recorded_at_ms % 604800000 + 604800000) % 604800000) / 604800000,
        new.status, new.direction, coalesce(new.category, ''), new.starred, new.archived,
        new.legal_hold, 1)
    ON CONFLICT DO UPDATE SET recordings = recordings + 1;
    DELETE FROM recording_weeks
    WHERE user_id = old.user_id
      AND week = (old.recorded_at_ms - (old.recorded_at_ms % 604800000 + 604800000) % 604800000) / 604800000
      AND status = old.status AND direction = old.direction
      AND category = coalesce(old.category, '') AND starred = old.starred
      AND archived = old.archived AND legal_hold = old.legal_hold AND recordings = 0;
END;

INSERT INTO recording_weeks
    SELECT user_id,
           (recorded_at_ms - (recorded_at_ms % 604800000 + 604800000) % 604800000) / 604800000,
           status, direction, coalesce(category, ''), starred, archived, legal_hold, count(*)
    FROM recordings GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
