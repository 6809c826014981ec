//! One page of Twilio recordings, or of calls, into the library, in the transaction that
//! also moves its window's resume point. Recordings and calls are listed by different
//! windows in any order, so neither waits for the other: calls are kept in `sync_calls` for the run, a
//! recordings page takes its calls from there, and a new recording whose call is not there
//! yet waits for it in `sync_pending` (`pending.rs`), which a calls page stores. Whichever of
//! the two comes second completes the join.

use std::collections::{HashMap, HashSet};

use serde_json::json;

use super::pending;
use super::recordings_upsert::upsert_recordings;
use super::state::WindowUpdate;
use crate::error::{Error, Result};
use crate::library::{phone_digits, Direction, RecordingStatus};
use crate::session::UserScope;
use crate::twilio::model::{CallParty, RemoteRecording};

/// A recording, joined with its call when the run has listed it.
pub(crate) struct Joined {
    pub recording: RemoteRecording,
    pub party: Option<CallParty>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct PageOutcome {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped_deleted: u64,
}

fn direction_str(d: Direction) -> &'static str {
    match d {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    }
}

fn status_str(s: RecordingStatus) -> &'static str {
    match s {
        RecordingStatus::Ready => "ready",
        RecordingStatus::Processing => "processing",
        RecordingStatus::Error => "error",
    }
}

/// One row of a page, in the order of the columns the upsert's INSERT reads (without the
/// user and "now", which it binds).
fn row_json(j: &Joined) -> serde_json::Value {
    let r = &j.recording;
    let (phone, contact, direction) = match &j.party {
        Some(p) => (
            p.phone_number.as_str(),
            p.contact_name.as_deref(),
            p.direction,
        ),
        None => ("", None, Direction::Inbound),
    };
    json!([
        r.sid.as_str(),
        r.call_sid,
        phone,
        phone_digits(phone),
        contact,
        direction_str(direction),
        status_str(r.status),
        r.twilio_status,
        r.duration_secs,
        r.channels,
        r.price,
        r.price_unit,
        r.created_at_ms,
    ])
}

/// The calls of `call_sids` (a JSON array) the run has listed.
async fn staged_parties(
    scope: &UserScope,
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    call_sids: &str,
) -> Result<HashMap<String, CallParty>> {
    let user_id = scope.user_id();
    let rows = sqlx::query!(
        "SELECT call_sid, phone_number, contact_name, direction FROM sync_calls
         WHERE user_id = ?1 AND call_sid IN (SELECT value FROM json_each(?2))",
        user_id,
        call_sids,
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let direction = if row.direction == "outbound" {
                Direction::Outbound
            } else {
                Direction::Inbound
            };
            (
                row.call_sid,
                CallParty {
                    phone_number: row.phone_number,
                    contact_name: row.contact_name,
                    direction,
                },
            )
        })
        .collect())
}

/// Upserts the page, joined with the calls listed so far, and moves its window's resume
/// point, both in `tx`: either both happen or neither. Tombstoned SIDs are skipped; rows
/// whose values did not change are not written at all.
pub(crate) async fn store_page(
    scope: &UserScope,
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    page: Vec<Joined>,
    window: &WindowUpdate<'_>,
    now_ms: i64,
) -> Result<PageOutcome> {
    // Twilio should not repeat a SID within a page; if it does, the last one wins.
    let mut seen = HashSet::new();
    let mut page: Vec<Joined> = page
        .into_iter()
        .rev()
        .filter(|j| seen.insert(j.recording.sid.clone()))
        .collect();
    page.reverse();

    let sids = serde_json::to_string(
        &page
            .iter()
            .map(|j| j.recording.sid.as_str())
            .collect::<Vec<_>>(),
    )
    .map_err(|e| Error::Internal(e.to_string()))?;

    let call_sids = serde_json::to_string(
        &page
            .iter()
            .filter_map(|j| j.recording.call_sid.as_deref())
            .collect::<Vec<_>>(),
    )
    .map_err(|e| Error::Internal(e.to_string()))?;

    let parties = staged_parties(scope, tx, &call_sids).await?;
    for j in &mut page {
        if j.party.is_none() {
            j.party = j
                .recording
                .call_sid
                .as_deref()
                .and_then(|c| parties.get(c))
                .cloned();
        }
    }
    let user_id = scope.user_id();
    let tombstoned: HashSet<String> = sqlx::query_scalar!(
        "SELECT sid FROM tombstones WHERE user_id = ?1 AND sid IN (SELECT value FROM json_each(?2))",
        user_id,
        sids,
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect();
    // Each SID already in the library (true) or waiting for its call (false).
    let known: HashMap<String, bool> = sqlx::query!(
        r#"SELECT sid AS "sid!", 1 AS "in_library!: bool" FROM recordings
           WHERE user_id = ?1 AND sid IN (SELECT value FROM json_each(?2))
           UNION ALL
           SELECT sid, 0 FROM sync_pending
           WHERE user_id = ?1 AND sid IN (SELECT value FROM json_each(?2))"#,
        user_id,
        sids,
    )
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .fold(HashMap::new(), |mut known, row| {
        *known.entry(row.sid).or_insert(row.in_library) |= row.in_library;
        known
    });

    let mut outcome = PageOutcome::default();
    let (mut joined_rows, mut unjoined_rows, mut held_rows) = (Vec::new(), Vec::new(), Vec::new());
    // New rows written now, and SIDs that waited for a call and are written now.
    let (mut new_now, mut settled) = (0, Vec::new());
    for j in &page {
        let sid = j.recording.sid.as_str();
        if tombstoned.contains(sid) {
            outcome.skipped_deleted += 1;
            continue;
        }
        let in_library = known.get(sid).copied();
        if in_library.is_none() {
            outcome.new += 1;
        }
        let waiting = in_library == Some(false);
        if j.party.is_some() {
            joined_rows.push(row_json(j));
        } else if in_library != Some(true) && j.recording.call_sid.is_some() {
            // New, its call not listed yet: it waits for it rather than being written
            // twice.
            held_rows.push(row_json(j));
            continue;
        } else {
            unjoined_rows.push(row_json(j));
        }
        if waiting {
            settled.push(sid);
        }
        new_now += u64::from(in_library != Some(true));
    }
    if !held_rows.is_empty() {
        pending::hold(scope, tx, &serde_json::Value::Array(held_rows).to_string()).await?;
    }
    if !settled.is_empty() {
        let settled =
            serde_json::to_string(&settled).map_err(|e| Error::Internal(e.to_string()))?;
        pending::drop_sids(scope, tx, &settled).await?;
    }
    let mut changed = 0;
    for (rows, with_call) in [(joined_rows, true), (unjoined_rows, false)] {
        if rows.is_empty() {
            continue;
        }
        let rows = serde_json::Value::Array(rows).to_string();
        let done = if with_call {
            upsert_recordings!(with_call: page, user_id, rows, now_ms)
                .execute(&mut **tx)
                .await?
        } else {
            upsert_recordings!(without_call: page, user_id, rows, now_ms)
                .execute(&mut **tx)
                .await?
        };
        changed += done.rows_affected();
    }
    outcome.updated = changed.saturating_sub(new_now);
    let considered = page.len() as u64 - outcome.skipped_deleted;
    outcome.unchanged = considered.saturating_sub(outcome.new + outcome.updated);

    window.write(scope, tx).await?;
    Ok(outcome)
}

/// Keeps a page of calls for the run (one JSON array, as the recordings are written), fills
/// in the recordings stored without their call (by an earlier run, or one that stopped),
/// stores those waiting for these calls, and moves the window's resume point, all in `tx`.
/// Only rows whose values change are written.
pub(crate) async fn store_calls(
    scope: &UserScope,
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    calls: &[(String, CallParty)],
    window: &WindowUpdate<'_>,
    now_ms: i64,
) -> Result<()> {
    let rows = serde_json::Value::Array(
        calls
            .iter()
            .map(|(sid, p)| {
                json!([
                    sid,
                    p.phone_number,
                    phone_digits(&p.phone_number),
                    p.contact_name,
                    direction_str(p.direction)
                ])
            })
            .collect(),
    )
    .to_string();
    if !calls.is_empty() {
        let user_id = scope.user_id();
        sqlx::query!(
            "INSERT INTO sync_calls (user_id, call_sid, phone_number, phone_digits, contact_name,
                direction)
             SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4
             FROM json_each(?2) AS j WHERE true
             ON CONFLICT (user_id, call_sid) DO UPDATE SET phone_number = excluded.phone_number,
                phone_digits = excluded.phone_digits, contact_name = excluded.contact_name,
                direction = excluded.direction
             WHERE sync_calls.phone_number IS NOT excluded.phone_number
                OR sync_calls.contact_name IS NOT excluded.contact_name
                OR sync_calls.direction IS NOT excluded.direction",
            user_id,
            rows,
        )
        .execute(&mut **tx)
        .await?;
        // Only recordings still without a number are looked at (a partial index holds
        // just those), each found by its call SID: a page costs its own calls, not the
        // library's size. Rows the call would not change are not written.
        sqlx::query!(
            "UPDATE recordings SET (phone_number, phone_digits, contact_name, direction, updated_at_ms) =
                (SELECT c.phone_number, c.phone_digits, c.contact_name, c.direction, ?3
                 FROM sync_calls c WHERE c.user_id = recordings.user_id AND c.call_sid = recordings.call_sid)
             WHERE user_id = ?1 AND phone_number = ''
                AND call_sid IN (SELECT j.value ->> 0 FROM json_each(?2) AS j)
                AND EXISTS (SELECT 1 FROM sync_calls c
                    WHERE c.user_id = ?1 AND c.call_sid = recordings.call_sid
                      AND (c.phone_number <> '' OR c.contact_name IS NOT recordings.contact_name
                           OR c.direction IS NOT recordings.direction))",
            user_id,
            rows,
            now_ms,
        )
        .execute(&mut **tx)
        .await?;
        pending::settle(scope, tx, &rows, now_ms).await?;
    }
    window.write(scope, tx).await?;
    Ok(())
}
