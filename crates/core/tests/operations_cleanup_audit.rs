//! Cleanup of old recordings and the audit log of every change, checked against a
//! brute-force model.

mod common;
mod fixtures;

use calldeck_core::audit::{audit_csv, list_audit, AuditRequest};
use calldeck_core::library::{
    add_note, bulk_update, delete_note, delete_recording, edit_note, export_recording,
    get_recording, insert_recordings, is_tombstoned, list_recordings, preview_cleanup,
    recording_stats, run_cleanup, set_legal_hold, update_recording, BulkAction, CleanupPolicy,
    ListRecordingsRequest, NewRecording, RecordingPatch,
};
use calldeck_core::Error;
use common::{signed_in, NOW_MS};
use fixtures::model::with_audio;
use fixtures::{recording, sid, DAY_MS};

#[tokio::test]
async fn cleanup_preview_matches_what_the_cleanup_then_does_and_skips_starred_and_held() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|cleanup").await;
    let mut rows = Vec::new();
    // Twelve recordings, one a month back; every third starred, every fourth held, two without audio.
    for n in 0..12u32 {
        let at = NOW_MS - i64::from(n) * 30 * DAY_MS - DAY_MS;
        let mut r = if n % 5 == 4 {
            recording(&sid(15, n), "+15550001111", None, at)
        } else {
            with_audio(&scope, 15, n, at, &vec![1u8; 1000 + n as usize]).await
        };
        r.starred = n % 3 == 0;
        rows.push(r);
    }
    insert_recordings(&scope, &rows, NOW_MS)
        .await
        .expect("insert");
    for r in rows
        .iter()
        .filter(|r| r.sid.as_str() == sid(15, 8) || r.sid.as_str() == sid(15, 11))
    {
        set_legal_hold(&scope, r.sid.as_str(), true, NOW_MS)
            .await
            .expect("hold");
    }
    let held = |r: &NewRecording| r.sid.as_str() == sid(15, 8) || r.sid.as_str() == sid(15, 11);

    // First: audio only, starred kept, older than 100 days.
    let policy = CleanupPolicy {
        older_than_days: 100,
        remove_records: false,
        include_starred: false,
    };
    let cutoff = NOW_MS - 100 * DAY_MS;
    let expected: Vec<&NewRecording> = rows
        .iter()
        .filter(|r| r.recorded_at_ms < cutoff && r.local_file.is_some() && !r.starred && !held(r))
        .collect();
    let preview = preview_cleanup(&scope, &policy, NOW_MS)
        .await
        .expect("preview");
    let bytes: u64 = expected.iter().filter_map(|r| r.local_file_bytes).sum();
    assert_eq!(
        preview.recordings as usize,
        expected.len(),
        "the preview counts what will be cleaned"
    );
    assert_eq!(preview.files as usize, expected.len());
    assert!(
        (preview.bytes - bytes as f64).abs() < 0.5,
        "the preview adds up the bytes"
    );
    assert_eq!(
        preview.oldest.map(|d| d.timestamp_millis()),
        expected.iter().map(|r| r.recorded_at_ms).min()
    );
    assert_eq!(
        preview.newest.map(|d| d.timestamp_millis()),
        expected.iter().map(|r| r.recorded_at_ms).max()
    );
    assert!(
        preview.skipped_starred > 0 && preview.skipped_held > 0,
        "the preview says what it keeps"
    );
    let result = run_cleanup(&scope, &policy, NOW_MS).await.expect("cleanup");
    assert_eq!(
        result.files_removed, preview.files,
        "the cleanup does what the preview said"
    );
    assert_eq!(result.records_removed, 0, "audio-only keeps the records");
    assert!((result.bytes_freed - preview.bytes).abs() < 0.5);
    for r in &rows {
        let file = scope
            .paths()
            .media_dir()
            .join(r.local_file.as_deref().unwrap_or("none"));
        let cleaned = expected.iter().any(|e| e.sid == r.sid);
        assert_eq!(
            file.exists(),
            r.local_file.is_some() && !cleaned,
            "{}: a file is gone exactly when the preview counted it",
            r.sid
        );
        let d = get_recording(&scope, r.sid.as_str())
            .await
            .expect("the record stays");
        assert_eq!(
            d.summary.available_offline,
            r.local_file.is_some() && !cleaned
        );
    }
    let again = preview_cleanup(&scope, &policy, NOW_MS)
        .await
        .expect("preview");
    assert_eq!(
        again.recordings, 0,
        "nothing is left to clean with the same policy"
    );

    // Then: records too, starred included; held ones still stay.
    let policy = CleanupPolicy {
        older_than_days: 100,
        remove_records: true,
        include_starred: true,
    };
    let expected: Vec<&NewRecording> = rows
        .iter()
        .filter(|r| r.recorded_at_ms < cutoff && !held(r))
        .collect();
    let preview = preview_cleanup(&scope, &policy, NOW_MS)
        .await
        .expect("preview");
    assert_eq!(preview.recordings as usize, expected.len());
    assert_eq!(
        preview.skipped_starred, 0,
        "starred ones are included this time"
    );
    let result = run_cleanup(&scope, &policy, NOW_MS).await.expect("cleanup");
    assert_eq!(result.records_removed, preview.recordings);
    assert_eq!(result.files_removed, preview.files);
    for r in &rows {
        let gone = expected.iter().any(|e| e.sid == r.sid);
        assert_eq!(
            get_recording(&scope, r.sid.as_str()).await.is_err(),
            gone,
            "{}: a record is gone exactly when the preview counted it",
            r.sid
        );
        assert_eq!(
            is_tombstoned(&scope, &r.sid).await.expect("tombstone"),
            gone,
            "removed records are tombstoned"
        );
    }
    for days in [0, 36_501] {
        let bad = CleanupPolicy {
            older_than_days: days,
            remove_records: false,
            include_starred: false,
        };
        assert!(
            matches!(
                preview_cleanup(&scope, &bad, NOW_MS).await,
                Err(Error::InvalidInput(_))
            ),
            "{days} days is refused"
        );
        assert!(
            matches!(
                run_cleanup(&scope, &bad, NOW_MS).await,
                Err(Error::InvalidInput(_))
            ),
            "{days} days is refused"
        );
    }
}

#[tokio::test]
async fn every_change_is_audited_with_its_outcome_and_no_secret() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = tempfile::tempdir().expect("export dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|audited").await;
    let r = with_audio(&scope, 16, 1, NOW_MS - 400 * DAY_MS, b"audio").await;
    let plain = recording(&sid(16, 2), "+15550002222", None, NOW_MS);
    insert_recordings(&scope, &[r.clone(), plain.clone()], NOW_MS)
        .await
        .expect("insert");
    let (id, other) = (r.sid.to_string(), plain.sid.to_string());
    let secret_note = "the customer's card is 4111 1111 1111 1111";
    let secret_dir = out.path().join("private-destination");
    std::fs::create_dir(&secret_dir).expect("dir");

    let mut expected: Vec<(&str, &str, Vec<String>)> = Vec::new();
    let starred = RecordingPatch {
        starred: Some(true),
        notes: Some(secret_note.into()),
        ..Default::default()
    };
    update_recording(&scope, &id, starred.clone(), NOW_MS)
        .await
        .expect("update");
    expected.push(("update", "ok", vec![id.clone()]));
    let _ = update_recording(&scope, &sid(999, 9), starred, NOW_MS).await;
    expected.push(("update", "error", vec![sid(999, 9)]));
    let note = add_note(&scope, &id, 0, secret_note, NOW_MS)
        .await
        .expect("note");
    expected.push(("add_note", "ok", vec![id.clone()]));
    edit_note(&scope, note.id, 1, secret_note, NOW_MS)
        .await
        .expect("edit");
    expected.push(("edit_note", "ok", vec![]));
    delete_note(&scope, note.id, NOW_MS)
        .await
        .expect("delete note");
    expected.push(("delete_note", "ok", vec![]));
    set_legal_hold(&scope, &id, true, NOW_MS)
        .await
        .expect("hold");
    expected.push(("legal_hold", "ok", vec![id.clone()]));
    let _ = delete_recording(&scope, &id, NOW_MS).await;
    expected.push(("delete", "error", vec![id.clone()]));
    bulk_update(
        &scope,
        BulkAction::Star,
        &[id.clone(), other.clone()],
        NOW_MS,
    )
    .await
    .expect("bulk");
    expected.push(("bulk_star", "ok", vec![id.clone(), other.clone()]));
    bulk_update(
        &scope,
        BulkAction::Unstar,
        std::slice::from_ref(&other),
        NOW_MS,
    )
    .await
    .expect("bulk");
    expected.push(("bulk_unstar", "ok", vec![other.clone()]));
    bulk_update(
        &scope,
        BulkAction::Archive,
        std::slice::from_ref(&other),
        NOW_MS,
    )
    .await
    .expect("bulk");
    expected.push(("bulk_archive", "ok", vec![other.clone()]));
    bulk_update(
        &scope,
        BulkAction::Unarchive,
        std::slice::from_ref(&other),
        NOW_MS,
    )
    .await
    .expect("bulk");
    expected.push(("bulk_unarchive", "ok", vec![other.clone()]));
    let hostile = vec!["../../etc/passwd".to_owned(), "x".repeat(5000)];
    let _ = bulk_update(&scope, BulkAction::Delete, &hostile, NOW_MS).await;
    expected.push((
        "bulk_delete",
        "error",
        vec!["(invalid id)".into(), "(invalid id)".into()],
    ));
    export_recording(&scope, &id, &secret_dir.join("a.wav"), NOW_MS)
        .await
        .expect("export");
    expected.push(("export", "ok", vec![id.clone()]));
    let _ = export_recording(&scope, &other, &secret_dir.join("b.wav"), NOW_MS).await;
    expected.push(("export", "error", vec![other.clone()]));
    run_cleanup(
        &scope,
        &CleanupPolicy {
            older_than_days: 30,
            remove_records: false,
            include_starred: true,
        },
        NOW_MS,
    )
    .await
    .expect("cleanup");
    expected.push(("cleanup", "ok", vec![]));
    bulk_update(
        &scope,
        BulkAction::Delete,
        std::slice::from_ref(&other),
        NOW_MS,
    )
    .await
    .expect("bulk delete");
    expected.push(("bulk_delete", "ok", vec![other.clone()]));
    set_legal_hold(&scope, &id, false, NOW_MS)
        .await
        .expect("lift");
    expected.push(("legal_hold", "ok", vec![id.clone()]));
    delete_recording(&scope, &id, NOW_MS).await.expect("delete");
    expected.push(("delete", "ok", vec![id.clone()]));
    // Reads are not audited.
    let _ = list_recordings(&scope, &ListRecordingsRequest::default()).await;
    let _ = recording_stats(&scope).await;

    let mut entries = list_audit(&scope, &AuditRequest::default())
        .await
        .expect("audit");
    entries.reverse();
    let got: Vec<(&str, &str, Vec<String>)> = entries
        .iter()
        .map(|e| {
            (
                e.operation.as_str(),
                e.outcome.as_str(),
                e.recordings.clone(),
            )
        })
        .collect();
    assert_eq!(
        got, expected,
        "each change writes one entry: what, to which recordings, and how it ended"
    );
    let failed: Vec<Option<&str>> = entries
        .iter()
        .filter(|e| e.outcome == "error")
        .map(|e| e.detail.as_deref())
        .collect();
    assert_eq!(
        failed,
        vec![
            Some("NotFound"),
            Some("LegalHold"),
            Some("NotFound"),
            Some("NoLocalAudio")
        ],
        "a failed change records its error code"
    );
    assert!(
        entries.iter().all(|e| e.at.timestamp_millis() == NOW_MS),
        "each entry carries the time of the change"
    );
    let csv = audit_csv(&scope).await.expect("csv");
    assert_eq!(
        csv.lines().count(),
        expected.len() + 1,
        "the CSV has a header and one line per entry"
    );
    assert!(
        csv.contains(scope.user_id()),
        "the CSV names who did it (their account's key)"
    );
    for secret in [
        secret_note,
        "4111",
        "private-destination",
        &dir.path().to_string_lossy(),
        "xxxxxxxxxx",
    ] {
        assert!(
            !csv.contains(secret),
            "the audit log must not hold {secret:?}"
        );
    }
    let (_other_ws, stranger) = signed_in(dir.path(), "auth0|stranger").await;
    assert!(
        list_audit(&stranger, &AuditRequest::default())
            .await
            .expect("audit")
            .is_empty(),
        "another user sees none of these entries"
    );
}
