//! Counts over a date range add whole weeks from the weekly totals and count only the
//! partial weeks at either end row by row. Checked against a plain count of the rows, for
//! ranges that start and end on, next to and between week boundaries, with each grouped
//! filter, before and after the rows change in every way the triggers must follow.

mod common;
mod fixtures;

use calldeck_core::library::{
    bulk_update, count_recordings, delete_recording, insert_recordings, set_legal_hold,
    update_recording, BulkAction, Direction, RecordingFilter, RecordingPatch, RecordingStatus,
};
use calldeck_core::UserScope;
use chrono::DateTime;
use common::{signed_in, NOW_MS};
use fixtures::{recording, sid, DAY_MS};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

const WEEK_MS: i64 = 7 * DAY_MS;

/// The rows of the user that match, counted one by one, without the library's SQL.
async fn brute_count(scope: &UserScope, f: &RecordingFilter) -> u32 {
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM recordings NOT INDEXED WHERE user_id = ?1
           AND (?2 IS NULL OR recorded_at_ms >= ?2) AND (?3 IS NULL OR recorded_at_ms < ?3)
           AND (?4 IS NULL OR status = ?4) AND (?5 IS NULL OR direction = ?5)
           AND (?6 IS NULL OR coalesce(category, '') = ?6) AND (?7 IS NULL OR starred = ?7)
           AND (?8 IS NULL OR archived = ?8) AND (?9 IS NULL OR legal_hold = ?9)",
    )
    .bind(scope.user_id())
    .bind(f.start_date.map(|d| d.timestamp_millis()))
    .bind(f.end_date.map(|d| d.timestamp_millis()))
    .bind(f.status)
    .bind(f.direction)
    .bind(f.category.as_deref().map(str::trim))
    .bind(f.starred)
    .bind(f.archived)
    .bind(f.legal_hold)
    .fetch_one(scope.pool_for_tests())
    .await
    .expect("brute count");
    u32::try_from(n).expect("count")
}

/// Range ends on, just beside and between week boundaries (weeks start at the epoch), and none.
fn ends(rng: &mut SmallRng) -> Vec<Option<i64>> {
    let week = NOW_MS.div_euclid(WEEK_MS) * WEEK_MS;
    let mut out = vec![None];
    for back in [0, 1, 3, 9] {
        let boundary = week - back * WEEK_MS;
        out.extend([boundary, boundary - 1, boundary + 1].map(Some));
    }
    out.extend((0..6).map(|_| Some(NOW_MS - rng.gen_range(0..80 * DAY_MS))));
    out
}

fn filters(rng: &mut SmallRng) -> Vec<RecordingFilter> {
    let ends = ends(rng);
    let mut out = Vec::new();
    for start in &ends {
        for end in &ends {
            if start.is_none() && end.is_none() {
                continue;
            }
            let mut f = RecordingFilter {
                start_date: start.and_then(DateTime::from_timestamp_millis),
                end_date: end.and_then(DateTime::from_timestamp_millis),
                ..Default::default()
            };
            match rng.gen_range(0..8) {
                0 => f.status = Some(RecordingStatus::Ready),
                1 => f.direction = Some(Direction::Outbound),
                2 => f.category = Some(["sales", " ", "support"][rng.gen_range(0..3)].into()),
                3 => f.starred = Some(rng.gen_bool(0.5)),
                4 => f.archived = Some(true),
                5 => f.legal_hold = Some(true),
                _ => {}
            }
            out.push(f);
        }
    }
    out
}

async fn assert_counts(scope: &UserScope, rng: &mut SmallRng, when: &str) {
    for f in filters(rng) {
        let got = count_recordings(scope, &f).await.expect("count");
        assert_eq!(got, brute_count(scope, &f).await, "{when}: {f:?}");
    }
}

#[tokio::test]
async fn date_range_counts_equal_the_rows_through_every_kind_of_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|weeks").await;
    let mut rng = SmallRng::seed_from_u64(16);
    let week = NOW_MS.div_euclid(WEEK_MS) * WEEK_MS;
    let rows: Vec<_> = (0..400u32)
        .map(|n| {
            // Some exactly on a week boundary or a millisecond beside one.
            let at = match n % 10 {
                0 => week - i64::from(n % 7) * WEEK_MS,
                1 => week - i64::from(n % 7) * WEEK_MS - 1,
                _ => NOW_MS - rng.gen_range(0..90 * DAY_MS),
            };
            let mut r = recording(&sid(1, n), "+15550001111", Some("Ana Ruiz"), at);
            r.status = [RecordingStatus::Ready, RecordingStatus::Error][rng.gen_range(0..2)];
            r.direction = if rng.gen_bool(0.5) {
                Direction::Inbound
            } else {
                Direction::Outbound
            };
            r.category =
                [None, Some("sales"), Some("support")][rng.gen_range(0..3)].map(str::to_owned);
            r.starred = rng.gen_bool(0.3);
            r
        })
        .collect();
    insert_recordings(&scope, &rows, NOW_MS)
        .await
        .expect("insert");
    // Another user's rows in the same file, as the benchmark's shared database has them.
    for sql in [
        "INSERT INTO users (id, display_name, created_at_ms) VALUES ('someone-else', 'x', 0)",
        "INSERT INTO recordings (user_id, sid, phone_number, phone_digits, direction, status,
            category, starred, recorded_at_ms, updated_at_ms)
         SELECT 'someone-else', sid, phone_number, phone_digits, direction, status, category,
            starred, recorded_at_ms, updated_at_ms FROM recordings WHERE id % 2 = 0",
    ] {
        sqlx::query(sql)
            .execute(scope.pool_for_tests())
            .await
            .expect("another user's rows");
    }
    assert_counts(&scope, &mut rng, "after the inserts").await;

    let id = |n: u32| sid(1, n);
    for n in 0..20 {
        update_recording(
            &scope,
            &id(n),
            RecordingPatch {
                category: Some(["", "sales", "billing"][n as usize % 3].into()),
                starred: Some(n % 2 == 0),
                archived: Some(n % 3 == 0),
                ..Default::default()
            },
            NOW_MS,
        )
        .await
        .expect("update");
    }
    for n in 20..30 {
        set_legal_hold(&scope, &id(n), true, NOW_MS)
            .await
            .expect("hold");
    }
    bulk_update(
        &scope,
        BulkAction::Archive,
        &(30..60).map(id).collect::<Vec<_>>(),
        NOW_MS,
    )
    .await
    .expect("archive");
    for n in 60..80 {
        delete_recording(&scope, &id(n), NOW_MS)
            .await
            .expect("delete");
    }
    bulk_update(
        &scope,
        BulkAction::Delete,
        &(80..100).map(id).collect::<Vec<_>>(),
        NOW_MS,
    )
    .await
    .expect("bulk delete");
    // What a sync may change on a row it already has: its status, and its time.
    sqlx::query(
        "UPDATE recordings SET status = 'ready', recorded_at_ms = recorded_at_ms - 3 * 86400000
         WHERE user_id = ?1 AND id % 4 = 0",
    )
    .bind(scope.user_id())
    .execute(scope.pool_for_tests())
    .await
    .expect("a sync's update");
    assert_counts(&scope, &mut rng, "after the changes").await;

    let left: i64 = sqlx::query_scalar("SELECT coalesce(min(recordings), 1) FROM recording_weeks")
        .fetch_one(scope.pool_for_tests())
        .await
        .expect("weeks");
    assert!(
        left > 0,
        "an emptied week's row is removed, never left at 0"
    );
}
