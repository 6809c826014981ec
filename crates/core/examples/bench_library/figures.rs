//! The figures of one dataset: the same function measures each, so a figure means the same
//! thing on every dataset and only its suffix says which one it was taken on.

use calldeck_core::library::{
    count_recordings, list_recordings, list_recordings_after, recording_stats, Direction,
    ListRecordingsRequest, RecordingFilter, RecordingSliceRequest, RecordingStatus, SortBy,
    SortOrder,
};
use calldeck_core::UserScope;
use chrono::DateTime;

use crate::data::NOW_MS;
use crate::measure::{figure, measure};
use crate::transcripts;

/// A dataset to measure: whose library, what to call its figures, which ones to take.
pub struct Dataset<'a> {
    pub scope: &'a UserScope,
    /// What the data is, for each figure's detail.
    pub about: &'a str,
    /// The list figures' suffix (`list_first_page_p95_ms_{list}`).
    pub list: &'a str,
    /// The count, stats and search figures' suffix (`count_p95_ms_{queries}`); none skips them.
    pub queries: Option<&'a str>,
}

type Figures = Vec<serde_json::Value>;

/// Every figure of `ds`, appended to `out`.
pub async fn dataset_figures(
    ds: &Dataset<'_>,
    iterations: usize,
    out: &mut Figures,
) -> Result<(), calldeck_core::Error> {
    list_figures(ds, iterations, out).await?;
    if let Some(suffix) = ds.queries {
        count_figures(ds, suffix, iterations, out).await?;
        search_figures(ds, suffix, iterations, out).await?;
    }
    Ok(())
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

/// First page, a cursor page and an offset page 10,000 rows in, for each sort.
async fn list_figures(
    ds: &Dataset<'_>,
    iterations: usize,
    out: &mut Figures,
) -> Result<(), calldeck_core::Error> {
    let (scope, suffix) = (ds.scope, ds.list);
    let first = request(SortBy::CreatedAt, 1, RecordingFilter::default());
    let t = measure(iterations, || list_recordings(scope, &first)).await?;
    out.push(figure(
        &format!("list_first_page_p95_ms_{suffix}"),
        &t,
        3.0,
        "list_recordings: page 1 of 50, newest first, with the total",
        ds.about,
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
            ds.about,
        ));
        let offset = request(sort_by, 201, RecordingFilter::default());
        let t = measure(iterations, || list_recordings(scope, &offset)).await?;
        out.push(figure(
            &format!("list_offset_page{label}_p95_ms_{suffix}"),
            &t,
            3.0,
            "list_recordings: page 201 of 50 (rows 10,001-10,050), with the total",
            ds.about,
        ));
    }
    Ok(())
}

/// The counts the list shows beside its filters, and the stats view.
async fn count_figures(
    ds: &Dataset<'_>,
    suffix: &str,
    iterations: usize,
    out: &mut Figures,
) -> Result<(), calldeck_core::Error> {
    let days_ago = |days: i64| DateTime::from_timestamp_millis(NOW_MS - days * 86_400_000);
    let counts = [
        (
            "count",
            RecordingFilter {
                status: Some(RecordingStatus::Ready),
                direction: Some(Direction::Inbound),
                ..Default::default()
            },
            "count_recordings: status=ready, direction=inbound (the per-user totals)",
        ),
        (
            "count_date_range",
            RecordingFilter {
                status: Some(RecordingStatus::Ready),
                start_date: days_ago(90),
                end_date: days_ago(0),
                ..Default::default()
            },
            "count_recordings: status=ready, the last 90 days",
        ),
        (
            "count_year",
            RecordingFilter {
                start_date: days_ago(365),
                end_date: days_ago(0),
                ..Default::default()
            },
            "count_recordings: the last 365 days, no other filter",
        ),
    ];
    for (name, filter, what) in counts {
        let t = measure(iterations, || count_recordings(ds.scope, &filter)).await?;
        let total = count_recordings(ds.scope, &filter).await?;
        out.push(figure(
            &format!("{name}_p95_ms_{suffix}"),
            &t,
            10.0,
            &format!("{what} ({total} recordings)"),
            ds.about,
        ));
    }
    let t = measure(iterations, || recording_stats(ds.scope)).await?;
    out.push(figure(
        &format!("stats_p95_ms_{suffix}"),
        &t,
        25.0,
        "recording_stats of the user",
        ds.about,
    ));
    Ok(())
}

/// What a user would type in the search box: the start of a number they call often, part of
/// a name, a word said in calls, and three digits that match a large share of the library.
async fn search_figures(
    ds: &Dataset<'_>,
    suffix: &str,
    iterations: usize,
    out: &mut Figures,
) -> Result<(), calldeck_core::Error> {
    let phone = phone_prefix(ds.scope).await?;
    let searches = [
        (
            "search_phone_prefix",
            phone.clone(),
            30.0,
            iterations,
            String::new(),
        ),
        (
            "search_name",
            "okafo".to_owned(),
            30.0,
            iterations,
            String::new(),
        ),
        (
            "search_transcript_word",
            transcripts::SEARCHED_WORD.to_owned(),
            100.0,
            iterations,
            "; words said in calls, page 1 with snippets; transcripts on 40 % of the recordings"
                .to_owned(),
        ),
        // Many matches, each probed: fewer runs.
        (
            "search_phone_broad",
            "555".to_owned(),
            30.0,
            iterations.min(50),
            String::new(),
        ),
    ];
    for (name, text, target, runs, more) in searches {
        let search = request(
            SortBy::CreatedAt,
            1,
            RecordingFilter {
                search: Some(text.clone()),
                ..Default::default()
            },
        );
        let t = measure(runs, || list_recordings(ds.scope, &search)).await?;
        let total = list_recordings(ds.scope, &search).await?.total;
        out.push(figure(
            &format!("{name}_p95_ms_{suffix}"),
            &t,
            target,
            &format!(
                "list_recordings with search {text:?} ({total} matches), page 1 and total{more}"
            ),
            ds.about,
        ));
    }
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
