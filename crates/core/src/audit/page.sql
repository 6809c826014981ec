-- A page of the Audit view: the user's entries before an id, newest first. A file of its
-- own because `list_audit` runs it (checked by `sqlx::query_file_as!`) and a test explains
-- the same text to pin its plan.
SELECT id AS "id!", at_ms, operation, recordings, outcome, detail
FROM audit_log WHERE user_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3
