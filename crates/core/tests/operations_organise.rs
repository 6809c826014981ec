//! Organising recordings, checked against a brute-force model: the update allow-list,
//! timestamped notes, legal hold, bulk actions and delete.

mod common;
mod fixtures;

use calldeck_core::ids::RecordingSid;
use calldeck_core::library::{
    add_note, bulk_update, delete_note, delete_recording, edit_note, get_recording,
    insert_recordings, is_tombstoned, list_notes, preview_cleanup, run_cleanup, set_legal_hold,
    update_recording, BulkAction, CleanupPolicy, Priority, RecordingPatch, RecordingPatchInput,
};
use calldeck_core::{Error, ErrorCode};
use common::{signed_in, NOW_MS};
use fixtures::model::{seed, with_audio};
use fixtures::{sid, DAY_MS};
use serde_json::json;

#[tokio::test]
async fn updates_accept_only_the_allow_list_and_normalise_tags() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|update").await;
    let models = seed(&scope, 6).await;
    let id = &models[1].sid;

    let refused =
        RecordingPatchInput(json!({"starred": true, "phoneNumber": "+1555", "user_id": "x"}))
            .into_patch();
    match refused {
        Err(Error::InvalidInput(message)) => {
            assert!(
                message.contains("phoneNumber") && message.contains("user_id"),
                "the message names the refused fields: {message}"
            );
            assert!(
                message.contains("tags") && message.contains("notes"),
                "the message says what can be changed: {message}"
            );
        }
        other => panic!("a patch with unknown fields must be refused, got {other:?}"),
    }
    for wrong in [
        json!({"starred": "yes"}),
        json!({"tags": "vip"}),
        json!([1, 2]),
        json!("x"),
    ] {
        assert!(
            matches!(
                RecordingPatchInput(wrong.clone()).into_patch(),
                Err(Error::InvalidInput(_))
            ),
            "{wrong} must be refused as invalid input"
        );
    }
    let hostile_key = RecordingPatchInput(json!({"<script>\u{0}../x": 1}))
        .into_patch()
        .expect_err("an unknown key is refused");
    assert!(
        !hostile_key.user_message().contains('<') && !hostile_key.user_message().contains('\0'),
        "a refused key is not echoed raw: {}",
        hostile_key.user_message()
    );

    let patch = RecordingPatchInput(json!({
        "tags": [" vip ", "VIP", "", "follow-up", "vip"],
        "category": "  renewal  ",
        "priority": "high",
        "starred": true,
        "archived": true,
        "notes": "call back on Monday"
    }))
    .into_patch()
    .expect("an allow-listed patch is accepted");
    update_recording(&scope, id, patch, NOW_MS + 5)
        .await
        .expect("update");
    let details = get_recording(&scope, id).await.expect("details");
    assert_eq!(
        details.tags,
        vec!["vip".to_owned(), "follow-up".to_owned()],
        "tags are trimmed, emptied ones dropped, duplicates (any case) removed, order kept"
    );
    assert_eq!(
        details.summary.category.as_deref(),
        Some("renewal"),
        "the category is trimmed"
    );
    assert_eq!(details.priority, Priority::High);
    assert!(
        details.summary.starred && details.summary.archived,
        "flags are set"
    );
    assert_eq!(details.notes.as_deref(), Some("call back on Monday"));

    let clear = RecordingPatch {
        category: Some("   ".into()),
        notes: Some(String::new()),
        ..Default::default()
    };
    update_recording(&scope, id, clear, NOW_MS + 6)
        .await
        .expect("update");
    let details = get_recording(&scope, id).await.expect("details");
    assert_eq!(details.summary.category, None, "a blank category clears it");
    assert_eq!(details.notes, None, "empty notes clear them");

    let too_many = RecordingPatch {
        tags: Some((0..21).map(|i| format!("t{i}")).collect()),
        ..Default::default()
    };
    assert!(
        matches!(
            update_recording(&scope, id, too_many, NOW_MS).await,
            Err(Error::InvalidInput(_))
        ),
        "more than 20 tags are refused"
    );
    let long = RecordingPatch {
        tags: Some(vec!["x".repeat(41)]),
        ..Default::default()
    };
    assert!(
        matches!(
            update_recording(&scope, id, long, NOW_MS).await,
            Err(Error::InvalidInput(_))
        ),
        "a tag over 40 characters is refused"
    );
    let starred = RecordingPatch {
        starred: Some(true),
        ..Default::default()
    };
    for missing in [sid(999, 1).as_str(), "../../etc/passwd", ""] {
        assert!(
            matches!(
                update_recording(&scope, missing, starred.clone(), NOW_MS).await,
                Err(Error::NotFound)
            ),
            "updating {missing:?} answers not_found"
        );
    }
    assert!(
        matches!(
            update_recording(&scope, &sid(999, 1), RecordingPatch::default(), NOW_MS).await,
            Err(Error::NotFound)
        ),
        "even an empty patch on a missing recording answers not_found"
    );
}

#[tokio::test]
async fn timestamped_notes_are_added_edited_listed_and_deleted_within_the_audio() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|notes").await;
    let models = seed(&scope, 7).await;
    let m = &models[0];
    let late = add_note(&scope, &m.sid, 20_000, "  price objection  ", NOW_MS)
        .await
        .expect("add");
    let early = add_note(&scope, &m.sid, 1_000, "greeting", NOW_MS)
        .await
        .expect("add");
    assert_eq!(late.body, "price objection", "a note's text is trimmed");
    let listed = list_notes(&scope, &m.sid).await.expect("list");
    assert_eq!(
        listed.iter().map(|n| n.id).collect::<Vec<_>>(),
        vec![early.id, late.id],
        "notes are listed by their position in the audio"
    );
    let edited = edit_note(&scope, late.id, 500, "objection handled", NOW_MS + 1)
        .await
        .expect("edit");
    assert_eq!(
        (edited.position_ms, edited.body.as_str()),
        (500, "objection handled")
    );
    assert_eq!(
        list_notes(&scope, &m.sid).await.expect("list")[0].id,
        late.id,
        "an edited position re-orders the notes"
    );
    let past_end = m.duration * 1000 + 1;
    assert!(
        matches!(
            add_note(&scope, &m.sid, past_end, "x", NOW_MS).await,
            Err(Error::InvalidInput(_))
        ),
        "a note past the end of the audio is refused"
    );
    assert!(
        matches!(
            add_note(&scope, &m.sid, 0, "   ", NOW_MS).await,
            Err(Error::InvalidInput(_))
        ),
        "an empty note is refused"
    );
    assert!(
        matches!(
            add_note(&scope, &sid(999, 2), 0, "x", NOW_MS).await,
            Err(Error::NotFound)
        ),
        "a note on a missing recording answers not_found"
    );
    delete_note(&scope, early.id, NOW_MS).await.expect("delete");
    assert_eq!(
        list_notes(&scope, &m.sid).await.expect("list").len(),
        1,
        "the deleted note is gone"
    );
    assert!(
        matches!(
            delete_note(&scope, early.id, NOW_MS).await,
            Err(Error::NotFound)
        ),
        "deleting it again answers not_found"
    );
    assert!(
        matches!(
            edit_note(&scope, 999_999, 0, "x", NOW_MS).await,
            Err(Error::NotFound)
        ),
        "editing a missing note answers not_found"
    );
}

#[tokio::test]
async fn legal_hold_blocks_delete_bulk_delete_and_cleanup_and_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|hold").await;
    let old = NOW_MS - 400 * DAY_MS;
    let held = with_audio(&scope, 8, 1, old, b"held audio").await;
    let free = with_audio(&scope, 8, 2, old, b"free audio").await;
    insert_recordings(&scope, &[held.clone(), free.clone()], NOW_MS)
        .await
        .expect("insert");
    let (held_id, free_id) = (held.sid.to_string(), free.sid.to_string());
    set_legal_hold(&scope, &held_id, true, NOW_MS)
        .await
        .expect("hold");
    assert!(
        get_recording(&scope, &held_id)
            .await
            .expect("details")
            .legal_hold
    );

    let err = delete_recording(&scope, &held_id, NOW_MS)
        .await
        .expect_err("a held recording cannot be deleted");
    assert_eq!(err.code(), ErrorCode::LegalHold, "the error says why");
    assert!(
        err.user_message().contains("legal hold"),
        "{}",
        err.user_message()
    );

    let err = bulk_update(
        &scope,
        BulkAction::Delete,
        &[free_id.clone(), held_id.clone()],
        NOW_MS,
    )
    .await
    .expect_err("a bulk delete with a held recording is refused");
    assert!(
        matches!(err, Error::OnLegalHold { count: 1, .. }),
        "the error counts the held recordings: {err:?}"
    );
    assert_eq!(
        err.user_message(),
        "1 of these 2 recordings is on legal hold, so nothing was deleted. Lift its hold first.",
        "a bulk delete speaks of the recordings asked for, not of one"
    );
    assert!(
        get_recording(&scope, &free_id).await.is_ok(),
        "nothing is deleted when one recording is held"
    );

    let policy = CleanupPolicy {
        older_than_days: 30,
        remove_records: true,
        include_starred: true,
    };
    let preview = preview_cleanup(&scope, &policy, NOW_MS)
        .await
        .expect("preview");
    assert_eq!(
        (preview.recordings, preview.skipped_held),
        (1, 1),
        "the preview leaves the held recording out and says so"
    );
    run_cleanup(&scope, &policy, NOW_MS).await.expect("cleanup");
    let kept = get_recording(&scope, &held_id)
        .await
        .expect("the held recording stays");
    assert!(kept.summary.available_offline, "its audio stays too");
    assert!(
        scope
            .paths()
            .media_dir()
            .join(held.local_file.as_deref().expect("file"))
            .exists(),
        "the held file is still on disk"
    );
    assert!(
        matches!(get_recording(&scope, &free_id).await, Err(Error::NotFound)),
        "the other one is cleaned up"
    );

    set_legal_hold(&scope, &held_id, false, NOW_MS)
        .await
        .expect("lift");
    delete_recording(&scope, &held_id, NOW_MS)
        .await
        .expect("once the hold is lifted it can be deleted");
    assert!(
        matches!(
            set_legal_hold(&scope, &sid(999, 3), true, NOW_MS).await,
            Err(Error::NotFound)
        ),
        "holding a missing recording answers not_found"
    );
}

#[tokio::test]
async fn bulk_actions_change_all_or_nothing_and_count_what_was_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|bulk").await;
    let models = seed(&scope, 9).await;
    let (_other_ws, other) = signed_in(dir.path(), "auth0|bulk-other").await;
    let foreign = seed(&other, 10).await;
    let mine: Vec<String> = models
        .iter()
        .filter(|m| !m.held && !m.starred && !m.archived)
        .take(4)
        .map(|m| m.sid.clone())
        .collect();
    assert_eq!(mine.len(), 4, "the fixture has enough plain recordings");
    let before = fixtures::snapshot(&scope).await;
    let foreign_before = fixtures::snapshot(&other).await;
    for (ids, missing, why) in [
        (
            vec![mine[0].clone(), mine[1].clone(), foreign[0].sid.clone()],
            1,
            "another user's id",
        ),
        (vec![mine[0].clone(), sid(999, 4)], 1, "a missing id"),
        (
            vec![mine[0].clone(), "../x".into(), "RE%".into()],
            2,
            "malformed ids",
        ),
        (
            vec![
                foreign[0].sid.clone(),
                foreign[1].sid.clone(),
                mine[2].clone(),
            ],
            2,
            "two foreign ids",
        ),
    ] {
        for action in [
            BulkAction::Star,
            BulkAction::Unstar,
            BulkAction::Archive,
            BulkAction::Unarchive,
            BulkAction::Delete,
        ] {
            let err = bulk_update(&scope, action, &ids, NOW_MS)
                .await
                .expect_err("a bulk action with a refused id fails");
            match &err {
                Error::SomeNotFound { missing: m, asked } => {
                    assert_eq!(
                        (*m, *asked),
                        (missing, ids.len()),
                        "{why} ({action:?}): the error counts the refused ids"
                    );
                }
                other => panic!("{why} ({action:?}): expected SomeNotFound, got {other:?}"),
            }
            assert_eq!(err.code(), ErrorCode::NotFound);
            assert!(
                err.user_message()
                    .starts_with(&format!("{missing} of the {}", ids.len())),
                "the message says how many: {}",
                err.user_message()
            );
        }
    }
    assert_eq!(
        fixtures::snapshot(&scope).await,
        before,
        "refused bulk actions change nothing"
    );
    assert_eq!(
        fixtures::snapshot(&other).await,
        foreign_before,
        "nor anything of the other user"
    );

    let done = bulk_update(&scope, BulkAction::Star, &mine, NOW_MS)
        .await
        .expect("star");
    assert_eq!(done.changed, 4);
    let done = bulk_update(&scope, BulkAction::Archive, &mine[..2], NOW_MS)
        .await
        .expect("archive");
    assert_eq!(done.changed, 2);
    for (i, id) in mine.iter().enumerate() {
        let d = get_recording(&scope, id).await.expect("details");
        assert!(d.summary.starred, "bulk star starred {id}");
        assert_eq!(
            d.summary.archived,
            i < 2,
            "bulk archive touched exactly the two asked"
        );
    }
    bulk_update(&scope, BulkAction::Unstar, &mine, NOW_MS)
        .await
        .expect("unstar");
    bulk_update(&scope, BulkAction::Unarchive, &mine, NOW_MS)
        .await
        .expect("unarchive");
    let dup = vec![mine[0].clone(), mine[0].clone()];
    assert_eq!(
        bulk_update(&scope, BulkAction::Star, &dup, NOW_MS)
            .await
            .expect("star")
            .changed,
        1,
        "a repeated id counts once"
    );
    assert!(
        matches!(
            bulk_update(&scope, BulkAction::Star, &[], NOW_MS).await,
            Err(Error::InvalidInput(_))
        ),
        "an empty selection is invalid"
    );
    let deleted = bulk_update(&scope, BulkAction::Delete, &mine[1..], NOW_MS)
        .await
        .expect("delete");
    assert_eq!(deleted.changed, 3);
    for id in &mine[1..] {
        assert!(
            matches!(get_recording(&scope, id).await, Err(Error::NotFound)),
            "bulk delete removed {id}"
        );
        let sid = RecordingSid::parse(id).expect("sid");
        assert!(
            is_tombstoned(&scope, &sid).await.expect("tombstone"),
            "bulk delete remembers {id}"
        );
    }
}

#[tokio::test]
async fn delete_removes_the_file_and_the_record_and_leaves_a_tombstone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|delete").await;
    let r = with_audio(&scope, 11, 1, NOW_MS - DAY_MS, b"RIFF audio").await;
    let keep = with_audio(&scope, 11, 2, NOW_MS - DAY_MS, b"RIFF other").await;
    insert_recordings(&scope, &[r.clone(), keep.clone()], NOW_MS)
        .await
        .expect("insert");
    let id = r.sid.to_string();
    add_note(&scope, &id, 0, "a note", NOW_MS)
        .await
        .expect("note");
    let file = scope
        .paths()
        .media_dir()
        .join(r.local_file.as_deref().expect("file"));
    assert!(file.exists());
    assert!(
        !is_tombstoned(&scope, &r.sid).await.expect("tombstone"),
        "no tombstone before"
    );

    delete_recording(&scope, &id, NOW_MS).await.expect("delete");
    assert!(!file.exists(), "the local audio file is removed");
    assert!(
        matches!(get_recording(&scope, &id).await, Err(Error::NotFound)),
        "the record is gone"
    );
    assert!(
        matches!(list_notes(&scope, &id).await, Err(Error::NotFound)),
        "and so are its notes"
    );
    assert!(
        is_tombstoned(&scope, &r.sid).await.expect("tombstone"),
        "the SID is remembered"
    );
    assert!(
        scope
            .paths()
            .media_dir()
            .join(keep.local_file.as_deref().expect("file"))
            .exists(),
        "the other recording's file is untouched"
    );
    assert_eq!(
        insert_recordings(&scope, std::slice::from_ref(&keep), NOW_MS)
            .await
            .expect("insert"),
        0,
        "an existing SID is not inserted twice"
    );
    assert!(
        matches!(
            delete_recording(&scope, &id, NOW_MS).await,
            Err(Error::NotFound)
        ),
        "deleting it again answers not_found"
    );
}
