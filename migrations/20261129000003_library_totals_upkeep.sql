-- The totals triggers of 20261129000002 ended with `DELETE FROM recording_totals WHERE
-- recordings = 0`: a scan of every user's totals on each deleted or changed recording (a bulk
-- delete of 5,000 rows scanned the table 5,000 times). The same triggers, removing only the
-- one group row the change emptied, found by its primary key.
DROP TRIGGER recording_totals_delete;
DROP TRIGGER recording_totals_update;

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

-- Counts over a date range (with or without the grouped filters) are answered from the date
-- index alone when it also holds the grouped columns: a 90-day count of a 250k-recording user
-- went from ~45 ms of table lookups to an index range. Listing keeps the same order (the
-- columns after id never change it) and can test those filters without touching the rows.
DROP INDEX recordings_by_user_date;
CREATE INDEX recordings_by_user_date ON recordings (
    user_id, recorded_at_ms DESC, id DESC, status, direction, category, starred, archived, legal_hold
);
