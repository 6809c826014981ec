-- Every totals row of the user: one per combination of the grouped columns. A file of its
-- own because the stats command runs it (checked by `sqlx::query_file_as!`) and the query
-- plan tests explain the same text.
SELECT status AS "status: _", direction AS "direction: _", category,
       starred AS "starred: _", archived AS "archived: _", legal_hold AS "legal_hold: _",
       recordings, duration_secs, local_files, local_bytes
FROM recording_totals WHERE user_id = ?1
