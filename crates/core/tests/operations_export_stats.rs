//! Exporting recordings and the library's stats, checked against a brute-force model.

mod common;
mod fixtures;

use std::collections::BTreeMap;

use calldeck_core::library::{
    bulk_update, delete_recording, export_recording, export_recordings, get_recording,
    insert_recordings, recording_stats, run_cleanup, set_legal_hold, suggested_export_name,
    update_recording, BulkAction, CleanupPolicy, Priority, RecordingFilter, RecordingPatch, SortBy,
    SortOrder,
};
use calldeck_core::{Error, UserScope};
use common::{signed_in, NOW_MS};
use fixtures::model::{seed, with_audio};
use fixtures::{recording, sid, walk, DAY_MS};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

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
