//! One command run by one user, with what it answered, whether it changed anything, and
//! the ids it returned.

use super::*;

/// Runs one command as `actor`. Returns the error code (if any), whether the command named
/// something that is not the actor's (so it must answer not_found), and every recording id
/// that came back.
pub(crate) async fn run(
    world: &World,
    actor: usize,
    op: &Op,
) -> (Option<ErrorCode>, bool, Vec<String>) {
    let scope = &world.users[actor].1;
    let now = NOW_MS + 1;
    let id = |t: &Target| id_of(t, world, actor);
    let exports = exports_of(world, actor);
    std::fs::create_dir_all(&exports).expect("exports");
    let code = |r: Result<(), calldeck_core::Error>| r.err().map(|e| e.code());
    let by = [SortBy::CreatedAt, SortBy::Duration, SortBy::Phone];
    match op {
        Op::Get(t) => {
            let r = get_recording(scope, &id(t)).await;
            let ids = r
                .as_ref()
                .map(|d| vec![d.summary.id.clone()])
                .unwrap_or_default();
            (r.err().map(|e| e.code()), !is_own(t), ids)
        }
        Op::Update(t, p) => {
            let patch = match p {
                0 => RecordingPatch {
                    starred: Some(true),
                    ..Default::default()
                },
                1 => RecordingPatch {
                    tags: Some(vec!["x".into()]),
                    category: Some("c".into()),
                    ..Default::default()
                },
                2 => RecordingPatch {
                    notes: Some("n".into()),
                    archived: Some(true),
                    ..Default::default()
                },
                _ => RecordingPatch::default(),
            };
            let forged =
                RecordingPatchInput(serde_json::json!({"userId": subject(0), "sid": id(t)}))
                    .into_patch();
            assert!(
                forged.is_err(),
                "a patch naming the owner or SID is refused"
            );
            (
                code(update_recording(scope, &id(t), patch, now).await),
                !is_own(t),
                vec![],
            )
        }
        Op::Hold(t, h) => (
            code(set_legal_hold(scope, &id(t), *h, now).await),
            !is_own(t),
            vec![],
        ),
        Op::AddNote(t) => {
            let r = add_note(scope, &id(t), 0, "note", now).await;
            (r.err().map(|e| e.code()), !is_own(t), vec![])
        }
        Op::ListNotes(t) => {
            let r = list_notes(scope, &id(t)).await;
            if let Ok(notes) = &r {
                assert!(
                    notes.iter().all(|n| n.body != "planted note"),
                    "a planted note must never be listed"
                );
            }
            (r.err().map(|e| e.code()), !is_own(t), vec![])
        }
        Op::EditNote(n) => (
            edit_note(scope, *n, 0, "edited", now)
                .await
                .err()
                .map(|e| e.code()),
            false,
            vec![],
        ),
        Op::DeleteNote(n) => (code(delete_note(scope, *n, now).await), false, vec![]),
        Op::Delete(t) => (
            code(delete_recording(scope, &id(t), now).await),
            !is_own(t),
            vec![],
        ),
        Op::Bulk(a, ts) => {
            let action = [
                BulkAction::Star,
                BulkAction::Unstar,
                BulkAction::Archive,
                BulkAction::Unarchive,
                BulkAction::Delete,
            ][*a];
            let ids: Vec<String> = ts.iter().map(id).collect();
            let r = bulk_update(scope, action, &ids, now).await;
            (r.err().map(|e| e.code()), !ts.iter().all(is_own), vec![])
        }
        Op::Export(t) => {
            let r = export_recording(scope, &id(t), &exports.join("one.wav"), now).await;
            (r.err().map(|e| e.code()), !is_own(t), vec![])
        }
        Op::ExportMany(ts) => {
            let ids: Vec<String> = ts.iter().map(id).collect();
            let r = export_recordings(scope, &ids, &exports, now).await;
            let back = r
                .as_ref()
                .map(|x| x.without_audio.clone())
                .unwrap_or_default();
            (r.err().map(|e| e.code()), !ts.iter().all(is_own), back)
        }
        Op::SuggestName(t) => {
            let r = suggested_export_name(scope, &id(t)).await;
            (r.err().map(|e| e.code()), !is_own(t), vec![])
        }
        Op::List(s, b, page) => {
            let r = list_recordings(
                scope,
                &ListRecordingsRequest {
                    filter: RecordingFilter {
                        search: Some(s.clone()),
                        ..Default::default()
                    },
                    sort_by: Some(by[*b]),
                    sort_order: Some(SortOrder::Asc),
                    page: Some(*page),
                    limit: Some(5),
                },
            )
            .await;
            if let Ok(p) = &r {
                assert!(
                    p.total <= OWN + SYNCED,
                    "a total counts only the actor's own rows: {}",
                    p.total
                );
                no_planted_words(&p.items);
            }
            let ids = r
                .as_ref()
                .map(|p| p.items.iter().map(|i| i.id.clone()).collect())
                .unwrap_or_default();
            (r.err().map(|e| e.code()), false, ids)
        }
        Op::Slice(s, b, cursor) => {
            let r = list_recordings_after(
                scope,
                &RecordingSliceRequest {
                    filter: RecordingFilter {
                        search: Some(s.clone()),
                        ..Default::default()
                    },
                    sort_by: Some(by[*b]),
                    sort_order: None,
                    after: Some(cursor.clone()),
                    limit: Some(50),
                    without_total: false,
                },
            )
            .await;
            if let Ok(p) = &r {
                no_planted_words(&p.items);
            }
            let ids = r
                .as_ref()
                .map(|p| p.items.iter().map(|i| i.id.clone()).collect())
                .unwrap_or_default();
            let code = r.err().map(|e| e.code());
            assert!(
                matches!(code, None | Some(ErrorCode::InvalidInput)),
                "a forged cursor is refused as invalid input, never anything worse: {code:?}"
            );
            (code, false, ids)
        }
        Op::Count(s) => {
            let r = count_recordings(
                scope,
                &RecordingFilter {
                    search: Some(s.clone()),
                    ..Default::default()
                },
            )
            .await;
            if let Ok(n) = r {
                assert!(
                    n <= OWN + SYNCED,
                    "a count covers only the actor's own rows: {n}"
                );
            }
            (r.err().map(|e| e.code()), false, vec![])
        }
        Op::Stats => {
            let s = recording_stats(scope).await.expect("stats");
            assert!(
                s.total <= OWN + SYNCED,
                "stats cover only the actor's own rows"
            );
            let bytes = s.local_bytes;
            let most = f64::from(WITH_AUDIO + SYNCED) * tone_wav().len() as f64;
            assert!(bytes <= most, "local bytes are the actor's only: {bytes}");
            (None, false, vec![])
        }
        Op::Preview(d, r, s) => {
            let p = preview_cleanup(
                scope,
                &CleanupPolicy {
                    older_than_days: *d,
                    remove_records: *r,
                    include_starred: *s,
                },
                now,
            )
            .await
            .expect("preview");
            // Earlier cases may have held or deleted own recordings, so the bound is what the
            // actor's own SIDs hold now, counted without trusting the user_id column.
            let (own, own_held): (u32, u32) = sqlx::query_as(
                "SELECT count(*), coalesce(sum(legal_hold), 0) FROM recordings WHERE sid LIKE ?1",
            )
            .bind(format!("RE{actor:08x}%"))
            .fetch_one(scope.pool_for_tests())
            .await
            .expect("own counts");
            assert!(
                p.recordings <= own && p.skipped_held <= own_held,
                "the preview counts only the actor's rows: {p:?}"
            );
            (None, false, vec![])
        }
        Op::Cleanup(d, r, s) => {
            let res = run_cleanup(
                scope,
                &CleanupPolicy {
                    older_than_days: *d,
                    remove_records: *r,
                    include_starred: *s,
                },
                now,
            )
            .await
            .expect("cleanup");
            assert!(
                res.records_removed <= OWN + SYNCED && res.files_removed <= WITH_AUDIO + SYNCED,
                "cleanup touches only the actor's rows: {res:?}"
            );
            (None, false, vec![])
        }
        Op::Audit => {
            let entries = list_audit(
                scope,
                &AuditRequest {
                    before: None,
                    limit: Some(100),
                },
            )
            .await
            .expect("audit");
            let csv = audit_csv(scope).await.expect("csv");
            assert!(
                !csv.contains("planted"),
                "the audit shows only the actor's entries"
            );
            assert!(entries.len() <= 100, "at most a page of entries");
            // The audit keeps what the actor asked for (foreign SIDs included), so no ids here.
            (None, false, vec![])
        }
        media => run_media(world, actor, media).await,
    }
}

/// A search may show a line of a transcript: never one of a planted (foreign) transcript.
fn no_planted_words(items: &[RecordingSummary]) {
    for item in items {
        assert!(
            !item
                .transcript_match
                .as_deref()
                .is_some_and(|m| m.contains("planted") || m.contains("secret")),
            "a search showed words of another user's transcript: {item:?}"
        );
    }
}
