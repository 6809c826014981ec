//! The recording library at scale: `make bench` runs this (release build) through
//! `scripts/bench/library.mjs`.
//!
//!   cargo run --release -p calldeck-core --example bench_library --features test-support -- \
//!       [--out target/bench/library.json] [--iterations 200]
//!
//! It builds its own data, once, and keeps it under `target/bench/data/` (delete the folder,
//! or change `DATA_VERSION`, to regenerate):
//! - `1m`: one database file holding 1,000,000 recordings of 31 users; the heavy user holds
//!   250,000, the others' rows sit beside them so that every query must filter on user_id;
//! - `100k`: a library of one user with 100,000 recordings.
//!
//! Every figure goes through the same core functions the Tauri commands call, with the
//! pool and settings the app uses, and is the p95 of `--iterations` runs after a warm-up.
//! The figures are written as a JSON list of `{name, value, unit, target, detail}`.

mod data;
mod transcripts;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Instant;

use calldeck_core::library::{
    count_recordings, list_recordings, list_recordings_after, recording_stats, Direction,
    ListRecordingsRequest, RecordingFilter, RecordingSliceRequest, RecordingStatus, SortBy,
    SortOrder,
};
use calldeck_core::UserScope;
use chrono::DateTime;
use serde_json::json;

use data::{dataset, HEAVY, HEAVY_SHARE, NOW_MS, OTHER_USERS, SOLO};

struct Timing {
    p95: f64,
    p50: f64,
    max: f64,
}

async fn measure<F, Fut, T>(iterations: usize, mut run: F) -> Result<Timing, calldeck_core::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, calldeck_core::Error>>,
{
    for _ in 0..iterations.min(20) {
        run().await?;
    }
    let mut ms = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        let out = run().await?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
        drop(out);
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((q * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
    Ok(Timing {
        p95: at(0.95),
        p50: at(0.5),
        max: at(1.0),
    })
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn figure(name: &str, t: &Timing, target: f64, what: &str, dataset: &str) -> serde_json::Value {
    eprintln!(
        "bench_library: {name:<40} p95 {:>8.3} ms  p50 {:>8.3} ms  max {:>8.3} ms  (target {target} ms)",
        t.p95, t.p50, t.max
    );
    json!({
        "name": name,
        "value": round3(t.p95),
        "unit": "ms",
        "target": target,
        "detail": {
            "p50": round3(t.p50),
            "max": round3(t.max),
            "dataset": dataset,
            "method": what,
        }
    })
}

fn request(sort_by: SortBy, page: u32, filter: RecordingFilter) -> ListRecordingsRequest {
    ListRecordingsRequest {
        filter,
        sort_by: Some(sort_by),
        sort_order: Some(SortOrder::Desc),
        page: Some(page),
        limit: Some(50),
    }
}

/// The cursor `rows_in` rows into the list (walked there slice by slice, as the UI would).
async fn cursor_at(
    scope: &UserScope,
    sort_by: SortBy,
    rows_in: usize,
) -> Result<String, calldeck_core::Error> {
    let mut after = None;
    for _ in 0..rows_in / 50 {
        let slice = list_recordings_after(
            scope,
            &RecordingSliceRequest {
                sort_by: Some(sort_by),
                after,
                limit: Some(50),
                ..Default::default()
            },
        )
        .await?;
        after = slice.next_cursor;
    }
    after.ok_or_else(|| calldeck_core::Error::Internal("the list ended early".into()))
}

/// The list figures of one dataset: first page, a cursor page and an offset page 10,000 rows in.
async fn list_figures(
    scope: &UserScope,
    suffix: &str,
    dataset: &str,
    iterations: usize,
    out: &mut Vec<serde_json::Value>,
) -> Result<(), calldeck_core::Error> {
    let first = request(SortBy::CreatedAt, 1, RecordingFilter::default());
    let t = measure(iterations, || list_recordings(scope, &first)).await?;
    out.push(figure(
        &format!("list_first_page_p95_ms_{suffix}"),
        &t,
        3.0,
        "list_recordings: page 1 of 50, newest first, with the total",
        dataset,
    ));
    for (sort_by, label) in [
        (SortBy::CreatedAt, ""),
        (SortBy::Duration, "_by_duration"),
        (SortBy::Phone, "_by_phone"),
    ] {
        let cursor = cursor_at(scope, sort_by, 10_000).await?;
        let slice = RecordingSliceRequest {
            sort_by: Some(sort_by),
            sort_order: Some(SortOrder::Desc),
            after: Some(cursor),
            limit: Some(50),
            ..Default::default()
        };
        let t = measure(iterations, || list_recordings_after(scope, &slice)).await?;
        out.push(figure(
            &format!("list_deep_page{label}_p95_ms_{suffix}"),
            &t,
            3.0,
            "list_recordings_after: 50 rows after a cursor 10,000 rows in",
            dataset,
        ));
        let offset = request(sort_by, 201, RecordingFilter::default());
        let t = measure(iterations, || list_recordings(scope, &offset)).await?;
        out.push(figure(
            &format!("list_offset_page{label}_p95_ms_{suffix}"),
            &t,
            3.0,
            "list_recordings: page 201 of 50 (rows 10,001-10,050), with the total",
            dataset,
        ));
    }
    Ok(())
}

#[allow(clippy::too_many_lines)]
async fn run(out_file: &Path, iterations: usize) -> Result<(), Box<dyn std::error::Error>> {
    let root = data_root();
    std::fs::create_dir_all(&root)?;
    let mut users = vec![HEAVY.to_owned()];
    users.extend((0..OTHER_USERS).map(|i| format!("bench|user-{i:02}")));
    let mut out = Vec::new();

    let (_ws, heavy, generated_1m) =
        dataset(&root, "1m", HEAVY, &users, HEAVY_SHARE, 1_000_000).await?;
    let ds = "1,000,000 recordings of 31 users in one database; the heavy user holds ~250,000";
    list_figures(&heavy, "1m", ds, iterations, &mut out).await?;

    let grouped = RecordingFilter {
        status: Some(RecordingStatus::Ready),
        direction: Some(Direction::Inbound),
        ..Default::default()
    };
    let t = measure(iterations, || count_recordings(&heavy, &grouped)).await?;
    out.push(figure(
        "count_p95_ms_heavy",
        &t,
        10.0,
        "count_recordings: status=ready, direction=inbound (the per-user totals)",
        ds,
    ));
    let dated = RecordingFilter {
        status: Some(RecordingStatus::Ready),
        start_date: DateTime::from_timestamp_millis(NOW_MS - 90 * 86_400_000),
        end_date: DateTime::from_timestamp_millis(NOW_MS),
        ..Default::default()
    };
    let t = measure(iterations, || count_recordings(&heavy, &dated)).await?;
    out.push(figure(
        "count_date_range_p95_ms_heavy",
        &t,
        10.0,
        "count_recordings: status=ready, the last 90 days (a scan of the date index)",
        ds,
    ));
    let year = RecordingFilter {
        start_date: DateTime::from_timestamp_millis(NOW_MS - 365 * 86_400_000),
        end_date: DateTime::from_timestamp_millis(NOW_MS),
        ..Default::default()
    };
    let t = measure(iterations, || count_recordings(&heavy, &year)).await?;
    out.push(figure(
        "count_year_p95_ms_heavy",
        &t,
        10.0,
        "count_recordings: the last 365 days, no other filter",
        ds,
    ));
    let t = measure(iterations, || recording_stats(&heavy)).await?;
    out.push(figure(
        "stats_p95_ms_heavy",
        &t,
        25.0,
        "recording_stats of the heavy user",
        ds,
    ));

    // What a user would type: the start of a number they call often, and part of a name.
    let phone = phone_prefix(&heavy).await?;
    let search = |text: &str| {
        request(
            SortBy::CreatedAt,
            1,
            RecordingFilter {
                search: Some(text.to_owned()),
                ..Default::default()
            },
        )
    };
    let phone_request = search(&phone);
    let t = measure(iterations, || list_recordings(&heavy, &phone_request)).await?;
    let total = list_recordings(&heavy, &phone_request).await?.total;
    out.push(figure(
        "search_phone_prefix_p95_ms_heavy",
        &t,
        30.0,
        &format!("list_recordings with search {phone:?} ({total} matches), page 1 and total"),
        ds,
    ));
    let name_request = search("okafo");
    let t = measure(iterations, || list_recordings(&heavy, &name_request)).await?;
    let total = list_recordings(&heavy, &name_request).await?.total;
    out.push(figure(
        "search_name_p95_ms_heavy",
        &t,
        30.0,
        &format!("list_recordings with search \"okafo\" ({total} matches), page 1 and total"),
        ds,
    ));
    let word_request = search(transcripts::SEARCHED_WORD);
    let t = measure(iterations, || list_recordings(&heavy, &word_request)).await?;
    let total = list_recordings(&heavy, &word_request).await?.total;
    out.push(figure(
        "search_transcript_word_p95_ms_heavy",
        &t,
        100.0,
        &format!(
            "list_recordings with search {:?}: words said in calls ({total} matches), page 1 with snippets and total; transcripts on 40 % of the recordings",
            transcripts::SEARCHED_WORD
        ),
        ds,
    ));
    let broad_request = search("555");
    let t = measure(iterations.min(50), || {
        list_recordings(&heavy, &broad_request)
    })
    .await?;
    let total = list_recordings(&heavy, &broad_request).await?.total;
    out.push(figure(
        "search_phone_broad_p95_ms_heavy",
        &t,
        30.0,
        &format!("list_recordings with search \"555\" ({total} matches), page 1 and total"),
        ds,
    ));

    let (_ws100, solo, generated_100k) =
        dataset(&root, "100k", SOLO, &[SOLO.to_owned()], 1.0, 100_000).await?;
    list_figures(
        &solo,
        "100k",
        "100,000 recordings of one user",
        iterations,
        &mut out,
    )
    .await?;

    if generated_1m > 0.0 || generated_100k > 0.0 {
        eprintln!(
            "bench_library: generated the data in {generated_1m:.1} s (1m) and {generated_100k:.1} s (100k)"
        );
    }
    if let Some(parent) = out_file.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(out_file, serde_json::to_string_pretty(&out)?)?;
    eprintln!("bench_library: wrote {}", out_file.display());
    Ok(())
}

/// The digits a user would type for a number they call often: `+1 (AAA) EEE`.
async fn phone_prefix(scope: &UserScope) -> Result<String, calldeck_core::Error> {
    let page = list_recordings(scope, &ListRecordingsRequest::default()).await?;
    let number = page
        .items
        .first()
        .map(|r| r.phone_number.clone())
        .ok_or_else(|| calldeck_core::Error::Internal("empty library".into()))?;
    Ok(format!("+1 ({}) {}", &number[2..5], &number[5..8]))
}

fn data_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("BENCH_DATA_DIR") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        PathBuf::from,
    );
    target.join("bench").join("data")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = data_root().join("../library.json");
    let mut iterations = 200;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--out", Some(path)) => out = PathBuf::from(path),
            ("--iterations", Some(n)) => iterations = n.parse()?,
            _ => {
                return Err(
                    format!("usage: bench_library [--out FILE] [--iterations N] ({arg}?)").into(),
                )
            }
        }
    }
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(run(&out, iterations.max(1)))
}
