//! Every library operation, checked against a brute-force model of what it should do.

mod common;
mod fixtures;

use std::collections::{BTreeMap, BTreeSet};

use calldeck_core::audit::{audit_csv, list_audit, AuditRequest};
use calldeck_core::ids::RecordingSid;
use calldeck_core::library::{
    add_note, bulk_update, count_recordings, delete_note, delete_recording, edit_note,
    export_recording, export_recordings, get_recording, insert_recordings, is_tombstoned,
    list_notes, list_recordings, preview_cleanup, recording_stats, run_cleanup, set_legal_hold,
    suggested_export_name, update_recording, BulkAction, CleanupPolicy, Direction,
    ListRecordingsRequest, NewRecording, Priority, RecordingFilter, RecordingPatch,
    RecordingPatchInput, RecordingStatus, SortBy, SortOrder,
};
use calldeck_core::{Error, ErrorCode, UserScope};
use chrono::DateTime;
use common::{signed_in, NOW_MS};
use fixtures::{recording, sid, walk, DAY_MS};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

/// What the test believes about one recording.
#[derive(Debug, Clone)]
struct Model {
    sid: String,
    digits: String,
    name: Option<String>,
    status: RecordingStatus,
    direction: Direction,
    category: Option<String>,
    starred: bool,
    archived: bool,
    held: bool,
    duration: u32,
    at: i64,
}

const PHONES: &[&str] = &[
    "+1 (555) 123-4567",
    "+15559876543",
    "+442079460123",
    "+15551299999",
    "+33142000555",
    "+4930120000",
];
const NAMES: &[Option<&str>] = &[
    Some("Ana Ruiz"),
    Some("Ben Okafor"),
    None,
    Some("Chloé Lambert"),
    Some("Sara Or Bob Inc"),
    Some("100% Sales_Team"),
    Some("Eve \"Boss\" Smith"),
    Some("Dan O'Brien"),
];
const CATEGORIES: &[Option<&str>] = &[None, Some("sales"), Some("support"), Some("billing")];

/// Sixty recordings with deliberate ties in every sort key, and a few on legal hold.
async fn seed(scope: &UserScope, owner: u32) -> Vec<Model> {
    let mut rng = SmallRng::seed_from_u64(u64::from(owner) + 7);
    let mut rows = Vec::new();
    let mut models = Vec::new();
    for i in 0..60u32 {
        let phone = PHONES[rng.gen_range(0..PHONES.len())];
        let name = NAMES[rng.gen_range(0..NAMES.len())];
        // Pairs share a timestamp; durations come from four values.
        let at = NOW_MS - i64::from(i / 2) * DAY_MS;
        let mut r = recording(&sid(owner, i), phone, name, at);
        r.duration_secs = [30, 60, 90, 600][rng.gen_range(0..4)];
        r.status = [
            RecordingStatus::Ready,
            RecordingStatus::Processing,
            RecordingStatus::Error,
        ][rng.gen_range(0..3)];
        r.direction = if rng.gen_bool(0.5) {
            Direction::Inbound
        } else {
            Direction::Outbound
        };
        r.category = CATEGORIES[rng.gen_range(0..CATEGORIES.len())].map(str::to_owned);
        r.starred = rng.gen_bool(0.3);
        r.archived = rng.gen_bool(0.2);
        models.push(Model {
            sid: r.sid.to_string(),
            digits: phone.chars().filter(char::is_ascii_digit).collect(),
            name: name.map(str::to_owned),
            status: r.status,
            direction: r.direction,
            category: r.category.clone(),
            starred: r.starred,
            archived: r.archived,
            held: false,
            duration: r.duration_secs,
            at,
        });
        rows.push(r);
    }
    let inserted = insert_recordings(scope, &rows, NOW_MS)
        .await
        .expect("insert");
    assert_eq!(inserted, 60, "every fixture row is new");
    for m in models.iter_mut().step_by(7) {
        set_legal_hold(scope, &m.sid, true, NOW_MS)
            .await
            .expect("hold");
        m.held = true;
    }
    models
}

fn matches(m: &Model, f: &RecordingFilter) -> bool {
    f.status.is_none_or(|s| s == m.status)
        && f.direction.is_none_or(|d| d == m.direction)
        && f.category.as_deref().is_none_or(|c| {
            let c = c.trim();
            if c.is_empty() {
                m.category.is_none()
            } else {
                m.category.as_deref() == Some(c)
            }
        })
        && f.starred.is_none_or(|s| s == m.starred)
        && f.archived.is_none_or(|a| a == m.archived)
        && f.legal_hold.is_none_or(|h| h == m.held)
        && f.start_date.is_none_or(|d| m.at >= d.timestamp_millis())
        && f.end_date.is_none_or(|d| m.at < d.timestamp_millis())
        && f.search.as_deref().is_none_or(|s| search_matches(m, s))
}

/// The documented meaning of a search: text made of digits and phone punctuation finds
/// numbers containing those digits; anything else finds names containing it, ignoring case.
fn search_matches(m: &Model, raw: &str) -> bool {
    let text: String = raw.trim().chars().filter(|c| !c.is_control()).collect();
    let text = text.trim();
    if text.is_empty() {
        return true;
    }
    let phone_like = text
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && text.chars().any(|c| c.is_ascii_digit());
    if phone_like {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        m.digits.contains(&digits)
    } else {
        m.name
            .as_deref()
            .is_some_and(|n| n.to_lowercase().contains(&text.to_lowercase()))
    }
}

async fn assert_filter(scope: &UserScope, models: &[Model], filter: &RecordingFilter, why: &str) {
    let expected: BTreeSet<String> = models
        .iter()
        .filter(|m| matches(m, filter))
        .map(|m| m.sid.clone())
        .collect();
    let listed = walk(scope, filter, SortBy::CreatedAt, SortOrder::Desc, 9).await;
    let got: BTreeSet<String> = listed.iter().map(|r| r.id.clone()).collect();
    assert_eq!(
        got.len(),
        listed.len(),
        "{why}: the cursor must list each recording once"
    );
    assert_eq!(
        got, expected,
        "{why}: the list must hold exactly the matching recordings"
    );
    let count = count_recordings(scope, filter).await.expect("count");
    assert_eq!(
        count as usize,
        expected.len(),
        "{why}: the count must equal the real number of matches"
    );
    let page = list_recordings(
        scope,
        &ListRecordingsRequest {
            filter: filter.clone(),
            ..Default::default()
        },
    )
    .await
    .expect("list");
    assert_eq!(
        page.total as usize,
        expected.len(),
        "{why}: the page's total must equal the real number of matches"
    );
}

fn date(ms: i64) -> Option<DateTime<chrono::Utc>> {
    DateTime::from_timestamp_millis(ms)
}

#[tokio::test]
async fn every_filter_lists_and_counts_exactly_the_matching_recordings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|filters").await;
    let models = seed(&scope, 1).await;
    let mut filters: Vec<(RecordingFilter, String)> =
        vec![(RecordingFilter::default(), "no filter".into())];
    for status in [
        RecordingStatus::Ready,
        RecordingStatus::Processing,
        RecordingStatus::Error,
    ] {
        filters.push((
            RecordingFilter {
                status: Some(status),
                ..Default::default()
            },
            format!("status {status:?}"),
        ));
    }
    for direction in [Direction::Inbound, Direction::Outbound] {
        filters.push((
            RecordingFilter {
                direction: Some(direction),
                ..Default::default()
            },
            format!("direction {direction:?}"),
        ));
    }
    for category in ["sales", "support", " billing ", "none-such", ""] {
        filters.push((
            RecordingFilter {
                category: Some(category.into()),
                ..Default::default()
            },
            format!("category {category:?}"),
        ));
    }
    for flag in [true, false] {
        filters.push((
            RecordingFilter {
                starred: Some(flag),
                ..Default::default()
            },
            format!("starred {flag}"),
        ));
        filters.push((
            RecordingFilter {
                archived: Some(flag),
                ..Default::default()
            },
            format!("archived {flag}"),
        ));
        filters.push((
            RecordingFilter {
                legal_hold: Some(flag),
                ..Default::default()
            },
            format!("legal hold {flag}"),
        ));
    }
    // Date ranges take the scan path of the count; the rest are answered from the totals.
    filters.push((
        RecordingFilter {
            start_date: date(NOW_MS - 10 * DAY_MS),
            ..Default::default()
        },
        "from ten days ago (inclusive)".into(),
    ));
    filters.push((
        RecordingFilter {
            end_date: date(NOW_MS - 10 * DAY_MS),
            ..Default::default()
        },
        "before ten days ago (exclusive)".into(),
    ));
    filters.push((
        RecordingFilter {
            start_date: date(NOW_MS - 20 * DAY_MS),
            end_date: date(NOW_MS - 5 * DAY_MS),
            status: Some(RecordingStatus::Ready),
            starred: Some(false),
            ..Default::default()
        },
        "a date range with status and starred".into(),
    ));
    filters.push((
        RecordingFilter {
            status: Some(RecordingStatus::Ready),
            direction: Some(Direction::Outbound),
            category: Some("sales".into()),
            archived: Some(false),
            legal_hold: Some(false),
            ..Default::default()
        },
        "every grouped filter at once".into(),
    ));
    filters.push((
        RecordingFilter {
            start_date: date(NOW_MS),
            end_date: date(NOW_MS - DAY_MS),
            ..Default::default()
        },
        "an empty (reversed) date range".into(),
    ));
    for (filter, why) in &filters {
        assert_filter(&scope, &models, filter, why).await;
    }
    assert!(
        models.iter().any(|m| m.held) && models.iter().any(|m| m.category.is_none()),
        "the fixture must hold held and uncategorised recordings, or the filters prove nothing"
    );
}

#[tokio::test]
async fn search_finds_numbers_in_any_notation_and_names_by_any_part() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|search").await;
    let models = seed(&scope, 2).await;
    let expect_some = [
        "555",
        "+1 555",
        "(555) 12",
        "1-555-987",
        "okaf",
        "OKAFOR",
        "ana",
        "chloé",
        "CHLOÉ LAM",
        "an",
        "5",
        "55",
        "%",
        "_",
        "0% S",
        "s_t",
        "\"",
        "\"boss\"",
        "o'b",
        "'",
        "a or b",
    ];
    for text in expect_some {
        let filter = RecordingFilter {
            search: Some(text.into()),
            ..Default::default()
        };
        assert!(
            models.iter().any(|m| matches(m, &filter)),
            "the fixture must match {text:?}, or the search proves nothing"
        );
        assert_filter(&scope, &models, &filter, &format!("search {text:?}")).await;
    }
    let hostile = [
        "a OR b",
        "NEAR(",
        "NEAR(ana ben)",
        "*",
        "ana*",
        "\"",
        "\"\"",
        "contact_name:ana",
        "phone_digits : 555",
        "{phone_digits}: 555",
        "^ana",
        "ana AND NOT ben",
        "'; DROP TABLE recordings; --",
        "%%",
        "__",
        "\\",
        "\\%",
        "   ",
        "\0",
        "+-()",
        &"5".repeat(500),
        &"a".repeat(10_000),
    ];
    for text in hostile {
        let filter = RecordingFilter {
            search: Some(text.into()),
            ..Default::default()
        };
        assert_filter(
            &scope,
            &models,
            &filter,
            &format!("hostile search {:?}", &text[..text.len().min(30)]),
        )
        .await;
    }
    let none = RecordingFilter {
        search: Some("*".into()),
        ..Default::default()
    };
    assert_eq!(
        count_recordings(&scope, &none).await.expect("count"),
        0,
        "`*` is a character to find, not a wildcard"
    );
    let percent = RecordingFilter {
        search: Some("%".into()),
        ..Default::default()
    };
    assert!(
        (count_recordings(&scope, &percent).await.expect("count") as usize) < models.len(),
        "`%` is a character to find, not a wildcard"
    );
}

#[tokio::test]
async fn search_combines_with_filters_and_sorts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|search-filter").await;
    let models = seed(&scope, 3).await;
    let filter = RecordingFilter {
        search: Some("555".into()),
        starred: Some(false),
        start_date: date(NOW_MS - 20 * DAY_MS),
        ..Default::default()
    };
    assert_filter(&scope, &models, &filter, "search with filters").await;
    let by_phone = walk(&scope, &filter, SortBy::Phone, SortOrder::Asc, 4).await;
    assert!(
        by_phone
            .windows(2)
            .all(|w| digits(&w[0].phone_number) <= digits(&w[1].phone_number)),
        "a search sorted by number comes in number order"
    );
}

fn digits(n: &str) -> String {
    n.chars().filter(char::is_ascii_digit).collect()
}

#[tokio::test]
async fn every_sort_orders_with_stable_ties_and_cursor_pages_equal_offset_pages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|sorts").await;
    let models = seed(&scope, 4).await;
    let durations: BTreeSet<u32> = models.iter().map(|m| m.duration).collect();
    assert!(
        durations.len() < models.len(),
        "the fixture must have ties, or stability is not tested"
    );
    for filter in [
        RecordingFilter::default(),
        RecordingFilter {
            archived: Some(false),
            ..Default::default()
        },
    ] {
        let expected = models.iter().filter(|m| matches(m, &filter)).count();
        for by in [SortBy::CreatedAt, SortBy::Duration, SortBy::Phone] {
            for order in [SortOrder::Asc, SortOrder::Desc] {
                let why = format!("{by:?} {order:?} with {filter:?}");
                let cursor = walk(&scope, &filter, by, order, 7).await;
                let ids: Vec<&str> = cursor.iter().map(|r| r.id.as_str()).collect();
                let unique: BTreeSet<&str> = ids.iter().copied().collect();
                assert_eq!(
                    (ids.len(), unique.len()),
                    (expected, expected),
                    "{why}: the cursor must cover every row exactly once"
                );
                let mut offset = Vec::new();
                for page in 1.. {
                    let got = list_recordings(
                        &scope,
                        &ListRecordingsRequest {
                            filter: filter.clone(),
                            sort_by: Some(by),
                            sort_order: Some(order),
                            page: Some(page),
                            limit: Some(7),
                        },
                    )
                    .await
                    .expect("page");
                    assert_eq!(
                        got.total as usize, expected,
                        "{why}: every page has the total"
                    );
                    if got.items.is_empty() {
                        break;
                    }
                    offset.extend(got.items);
                }
                let offset_ids: Vec<&str> = offset.iter().map(|r| r.id.as_str()).collect();
                assert_eq!(
                    offset_ids, ids,
                    "{why}: offset pages and cursor slices must give the same order, ties included"
                );
                let again = walk(&scope, &filter, by, order, 13).await;
                let again_ids: Vec<&str> = again.iter().map(|r| r.id.as_str()).collect();
                assert_eq!(
                    again_ids, ids,
                    "{why}: ties must be broken the same way every time"
                );
                let in_order = cursor.windows(2).all(|w| {
                    let (a, b) = (&w[0], &w[1]);
                    let cmp = match by {
                        SortBy::CreatedAt => a.recorded_at.cmp(&b.recorded_at),
                        SortBy::Duration => a.duration_secs.cmp(&b.duration_secs),
                        SortBy::Phone => digits(&a.phone_number).cmp(&digits(&b.phone_number)),
                    };
                    match order {
                        SortOrder::Asc => cmp.is_le(),
                        SortOrder::Desc => cmp.is_ge(),
                    }
                });
                assert!(in_order, "{why}: rows must come in the asked order");
            }
        }
    }
}

#[tokio::test]
async fn a_cursor_from_another_sort_or_a_forged_one_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|cursor").await;
    seed(&scope, 5).await;
    let first = calldeck_core::library::list_recordings_after(
        &scope,
        &calldeck_core::library::RecordingSliceRequest {
            limit: Some(10),
            ..Default::default()
        },
    )
    .await
    .expect("slice");
    assert_eq!(first.total, Some(60), "the first slice carries the total");
    let cursor = first.next_cursor.expect("more slices follow");
    for (by, after) in [
        (SortBy::Duration, cursor.clone()),
        (SortBy::CreatedAt, format!("{cursor}' OR 1=1 --")),
        (
            SortBy::CreatedAt,
            "recorded_at_ms.DESC.1.1; DROP TABLE recordings".into(),
        ),
        (SortBy::Phone, "phone_digits.DESC.d55%.1".into()),
        (SortBy::CreatedAt, "x".repeat(100_000)),
    ] {
        let got = calldeck_core::library::list_recordings_after(
            &scope,
            &calldeck_core::library::RecordingSliceRequest {
                sort_by: Some(by),
                after: Some(after),
                ..Default::default()
            },
        )
        .await;
        assert!(
            matches!(got, Err(Error::InvalidInput(_))),
            "a cursor that is not this sort's must be refused as invalid input"
        );
    }
}

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

/// Writes an audio file into the user's media folder and a recording pointing to it.
async fn with_audio(scope: &UserScope, owner: u32, n: u32, at: i64, bytes: &[u8]) -> NewRecording {
    let s = sid(owner, n);
    let name = format!("{s}.wav");
    std::fs::write(scope.paths().media_dir().join(&name), bytes).expect("write audio");
    let mut r = recording(&s, "+1 (555) 123-4567", Some("Ana Ruiz"), at);
    r.local_file = Some(name);
    r.local_file_bytes = Some(bytes.len() as u64);
    r
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
        matches!(err, Error::OnLegalHold { count: 1 }),
        "the error counts the held recordings: {err:?}"
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

#[tokio::test]
async fn export_copies_the_audio_under_a_descriptive_name_and_counts_the_download() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = tempfile::tempdir().expect("export dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|export").await;
    let mut r = with_audio(&scope, 12, 1, NOW_MS - DAY_MS, b"RIFF exported audio").await;
    r.phone_number = "+1 (555) 123-4567".into();
    let silent = recording(&sid(12, 2), "+15550000000", None, NOW_MS);
    let mut lost = recording(&sid(12, 3), "+15550000001", None, NOW_MS);
    lost.local_file = Some("gone.wav".into());
    insert_recordings(&scope, &[r.clone(), silent.clone(), lost.clone()], NOW_MS)
        .await
        .expect("insert");
    let id = r.sid.to_string();

    let name = suggested_export_name(&scope, &id).await.expect("name");
    let suffix = format!("_inbound_+15551234567_{id}.wav");
    assert!(
        name.ends_with(&suffix),
        "{name} names direction, number and SID"
    );
    let stamp = &name[..name.len() - suffix.len()];
    assert!(
        stamp.len() == 16
            && stamp.chars().enumerate().all(|(i, c)| match i {
                4 | 7 => c == '-',
                10 => c == '_',
                13 => c == '-',
                _ => c.is_ascii_digit(),
            }),
        "{name} starts with YYYY-MM-DD_HH-MM"
    );

    let destination = out.path().join(&name);
    let result = export_recording(&scope, &id, &destination, NOW_MS + 7)
        .await
        .expect("export");
    assert_eq!(result.files, vec![name.clone()]);
    assert_eq!(
        std::fs::read(&destination).expect("read"),
        b"RIFF exported audio",
        "a faithful copy"
    );
    let details = get_recording(&scope, &id).await.expect("details");
    assert_eq!(details.download_count, 1, "the download is counted");
    assert_eq!(
        details.last_downloaded_at.map(|d| d.timestamp_millis()),
        Some(NOW_MS + 7),
        "and its time kept"
    );

    let folder = out.path().join("bulk");
    std::fs::create_dir(&folder).expect("folder");
    let ids = vec![id.clone(), silent.sid.to_string(), lost.sid.to_string()];
    let bulk = export_recordings(&scope, &ids, &folder, NOW_MS)
        .await
        .expect("bulk export");
    assert_eq!(
        bulk.files,
        vec![name.clone()],
        "the one with audio is exported"
    );
    assert_eq!(
        bulk.without_audio,
        vec![silent.sid.to_string(), lost.sid.to_string()],
        "the ones without audio are listed"
    );
    let again = export_recordings(&scope, &ids[..1], &folder, NOW_MS)
        .await
        .expect("again");
    assert!(
        again.files[0].ends_with(" (2).wav"),
        "an existing file is never overwritten: {:?}",
        again.files
    );
    assert_eq!(
        get_recording(&scope, &id)
            .await
            .expect("details")
            .download_count,
        3
    );

    for no_audio in [silent.sid.to_string(), lost.sid.to_string()] {
        let err = export_recording(&scope, &no_audio, &out.path().join("x.wav"), NOW_MS)
            .await
            .expect_err("no audio, no export");
        assert!(
            matches!(err, Error::NoLocalAudio),
            "says so clearly: {err:?}"
        );
        assert!(err.user_message().contains("not on this computer"));
    }
    assert!(
        !out.path().join("x.wav").exists(),
        "nothing is written when there is no audio"
    );
    assert!(
        matches!(
            export_recording(&scope, &sid(999, 5), &out.path().join("y.wav"), NOW_MS).await,
            Err(Error::NotFound)
        ),
        "exporting a missing recording answers not_found"
    );
}

/// Stats computed the slow way: from every recording's details.
async fn brute_stats(scope: &UserScope) -> serde_json::Value {
    let all = walk(
        scope,
        &RecordingFilter::default(),
        SortBy::CreatedAt,
        SortOrder::Desc,
        50,
    )
    .await;
    let mut by_status: BTreeMap<String, u32> = BTreeMap::new();
    let mut by_direction: BTreeMap<String, u32> = BTreeMap::new();
    let mut by_category: BTreeMap<String, u32> = BTreeMap::new();
    let (mut duration, mut starred, mut archived, mut held, mut files, mut bytes) =
        (0u64, 0, 0, 0, 0, 0.0);
    for r in &all {
        let d = get_recording(scope, &r.id).await.expect("details");
        *by_status.entry(format!("{:?}", r.status)).or_default() += 1;
        *by_direction
            .entry(format!("{:?}", r.direction))
            .or_default() += 1;
        *by_category.entry(format!("{:?}", r.category)).or_default() += 1;
        duration += u64::from(r.duration_secs);
        starred += u32::from(r.starred);
        archived += u32::from(r.archived);
        held += u32::from(d.legal_hold);
        if r.available_offline {
            files += 1;
            bytes += d.local_file_bytes.unwrap_or(0.0);
        }
    }
    json!({
        "total": all.len(), "duration": duration, "byStatus": by_status, "byDirection": by_direction,
        "byCategory": by_category, "starred": starred, "archived": archived, "onHold": held,
        "files": files, "bytes": bytes,
    })
}

async fn fast_stats(scope: &UserScope) -> serde_json::Value {
    let s = recording_stats(scope).await.expect("stats");
    let map = |v: Vec<(String, u32)>| -> BTreeMap<String, u32> {
        v.into_iter().filter(|(_, n)| *n > 0).collect()
    };
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let duration = s.total_duration_secs as u64;
    if s.total > 0 {
        let average = s.total_duration_secs / f64::from(s.total);
        assert!(
            (s.average_duration_secs - average).abs() < 1e-9,
            "the average is total / count"
        );
    }
    json!({
        "total": s.total, "duration": duration,
        "byStatus": map(s.by_status.iter().map(|c| (format!("{:?}", c.key), c.count)).collect()),
        "byDirection": map(s.by_direction.iter().map(|c| (format!("{:?}", c.key), c.count)).collect()),
        "byCategory": map(s.by_category.iter().map(|c| (format!("{:?}", c.key), c.count)).collect()),
        "starred": s.starred, "archived": s.archived, "onHold": s.on_hold,
        "files": s.local_files, "bytes": s.local_bytes,
    })
}

#[tokio::test]
async fn stats_equal_a_brute_force_count_after_a_random_series_of_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|stats").await;
    let (_other_ws, other) = signed_in(dir.path(), "auth0|stats-other").await;
    seed(&other, 13).await;
    let mut models = seed(&scope, 14).await;
    let mut with_files = Vec::new();
    for n in 0..12 {
        let mut r = with_audio(
            &scope,
            14,
            100 + n,
            NOW_MS - i64::from(n) * 40 * DAY_MS,
            &vec![7u8; 100 + n as usize],
        )
        .await;
        r.category = (n % 3 == 0).then(|| "sales".to_owned());
        r.starred = n % 4 == 0;
        with_files.push(r);
    }
    insert_recordings(&scope, &with_files, NOW_MS)
        .await
        .expect("insert");
    let mut ids: Vec<String> = models.drain(..).map(|m| m.sid).collect();
    ids.extend(with_files.iter().map(|r| r.sid.to_string()));
    assert_eq!(
        fast_stats(&scope).await,
        brute_stats(&scope).await,
        "stats match after seeding"
    );

    let mut rng = SmallRng::seed_from_u64(99);
    for step in 0..120 {
        if ids.is_empty() {
            break;
        }
        let id = ids[rng.gen_range(0..ids.len())].clone();
        let now = NOW_MS + step;
        match rng.gen_range(0..9) {
            0 => {
                let patch = RecordingPatch {
                    category: Some(["", "sales", "support", "legal"][rng.gen_range(0..4)].into()),
                    ..Default::default()
                };
                update_recording(&scope, &id, patch, now)
                    .await
                    .expect("update");
            }
            1 => {
                let patch = RecordingPatch {
                    starred: Some(rng.gen_bool(0.5)),
                    archived: Some(rng.gen_bool(0.5)),
                    ..Default::default()
                };
                update_recording(&scope, &id, patch, now)
                    .await
                    .expect("update");
            }
            2 => {
                set_legal_hold(&scope, &id, rng.gen_bool(0.5), now)
                    .await
                    .expect("hold");
            }
            3 => {
                if delete_recording(&scope, &id, now).await.is_ok() {
                    ids.retain(|i| *i != id);
                }
            }
            4 => {
                let pick: Vec<String> = (0..3)
                    .map(|_| ids[rng.gen_range(0..ids.len())].clone())
                    .collect();
                let action = [
                    BulkAction::Star,
                    BulkAction::Unstar,
                    BulkAction::Archive,
                    BulkAction::Unarchive,
                ][rng.gen_range(0..4)];
                bulk_update(&scope, action, &pick, now).await.expect("bulk");
            }
            5 => {
                let pick: Vec<String> = (0..2)
                    .map(|_| ids[rng.gen_range(0..ids.len())].clone())
                    .collect();
                if bulk_update(&scope, BulkAction::Delete, &pick, now)
                    .await
                    .is_ok()
                {
                    ids.retain(|i| !pick.contains(i));
                }
            }
            6 => {
                let policy = CleanupPolicy {
                    older_than_days: rng.gen_range(100..500),
                    remove_records: false,
                    include_starred: rng.gen_bool(0.5),
                };
                run_cleanup(&scope, &policy, now).await.expect("cleanup");
            }
            7 => {
                let patch = RecordingPatch {
                    tags: Some(vec!["x".into()]),
                    notes: Some("n".into()),
                    priority: Some(Priority::Low),
                    ..Default::default()
                };
                update_recording(&scope, &id, patch, now)
                    .await
                    .expect("update");
            }
            _ => {
                let policy = CleanupPolicy {
                    older_than_days: rng.gen_range(25..60),
                    remove_records: true,
                    include_starred: false,
                };
                run_cleanup(&scope, &policy, now).await.expect("cleanup");
                let alive: Vec<String> = walk(
                    &scope,
                    &RecordingFilter::default(),
                    SortBy::CreatedAt,
                    SortOrder::Desc,
                    50,
                )
                .await
                .into_iter()
                .map(|r| r.id)
                .collect();
                ids.retain(|i| alive.contains(i));
            }
        }
        if step % 10 == 9 {
            assert_eq!(
                fast_stats(&scope).await,
                brute_stats(&scope).await,
                "the totals kept by triggers must equal a recount after step {step}"
            );
        }
    }
    assert_eq!(
        fast_stats(&scope).await,
        brute_stats(&scope).await,
        "and at the end"
    );
    let others = recording_stats(&other).await.expect("stats");
    assert_eq!(
        others.total, 60,
        "another user's stats are untouched by all of this"
    );
}

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
    assert!(csv.contains("auth0|audited"), "the CSV names who did it");
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
