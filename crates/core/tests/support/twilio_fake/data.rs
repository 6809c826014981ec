//! The fake's data: generated recordings with their calls, and how Twilio prints them.

use serde_json::{json, Value};

use super::ACCOUNT_SID;

/// One generated recording with its call.
#[derive(Debug, Clone)]
pub struct FakeRecording {
    pub sid: String,
    pub call_sid: String,
    pub created_ms: i64,
    pub status: String,
    pub duration: String,
    pub from: String,
    pub to: String,
    pub direction: String,
    pub caller_name: Option<String>,
    /// `channels` as Twilio reports it: 2 for a two-channel (dual or conference) recording,
    /// whose media is mixed to mono unless asked for with `RequestedChannels=2`.
    pub channels: u32,
    /// How long before the recording its call started (a call that starts before midnight
    /// can have its recording created after it).
    pub call_lead_ms: i64,
    /// Offset used to print its dates, in minutes (to exercise "any offset").
    pub offset_min: i32,
    /// Fields written into its JSON as they are, over the generated ones (odd or wrongly
    /// typed values: `{"channels": "2"}`).
    pub raw: serde_json::Map<String, Value>,
}

pub fn recording_sid(i: u64) -> String {
    format!("RE{i:032x}")
}

pub fn call_sid(i: u64) -> String {
    format!("CA{i:032x}")
}

/// `n` recordings, one every `spacing_ms` going back from `newest_ms`.
pub fn generate(n: u64, newest_ms: i64, spacing_ms: i64) -> Vec<FakeRecording> {
    (0..n)
        .map(|i| {
            let outbound = i % 3 == 0;
            FakeRecording {
                sid: recording_sid(i + 1),
                call_sid: call_sid(i + 1),
                created_ms: newest_ms - i as i64 * spacing_ms,
                status: "completed".into(),
                duration: ((i % 600) + 5).to_string(),
                from: format!("+1555{:07}", i % 10_000_000),
                to: "+15559990000".into(),
                direction: if outbound {
                    "outbound-api".into()
                } else {
                    "inbound".into()
                },
                caller_name: if outbound {
                    None
                } else {
                    Some(format!("Caller {i}"))
                },
                channels: 1,
                call_lead_ms: 60_000,
                offset_min: match i % 3 {
                    0 => 0,
                    1 => 60,
                    _ => -420,
                },
                raw: serde_json::Map::new(),
            }
        })
        .collect()
}

pub fn rfc2822(ms: i64, offset_min: i32) -> String {
    let offset = chrono::FixedOffset::east_opt(offset_min * 60).expect("offset");
    chrono::DateTime::from_timestamp_millis(ms)
        .expect("time")
        .with_timezone(&offset)
        .to_rfc2822()
}

pub(super) fn recording_json(r: &FakeRecording, media_base: &str) -> Value {
    let uri = format!(
        "/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{}.json",
        r.sid
    );
    let mut json = json!({
        "account_sid": ACCOUNT_SID,
        "api_version": "2010-04-01",
        "call_sid": r.call_sid,
        "conference_sid": null,
        "date_created": rfc2822(r.created_ms, r.offset_min),
        "date_updated": rfc2822(r.created_ms + 5_000, r.offset_min),
        "start_time": rfc2822(r.created_ms - 1_000, r.offset_min),
        "duration": r.duration,
        "sid": r.sid,
        "price": "-0.00250",
        "price_unit": "USD",
        "status": r.status,
        "channels": r.channels,
        "source": "RecordVerb",
        "error_code": null,
        "uri": uri,
        "encryption_details": null,
        "subresource_uris": {
            "add_on_results": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{}/AddOnResults.json", r.sid),
            "transcriptions": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{}/Transcriptions.json", r.sid)
        },
        "media_url": format!("{media_base}/2010-04-01/Accounts/{ACCOUNT_SID}/Recordings/{}", r.sid),
    });
    if let Some(fields) = json.as_object_mut() {
        fields.extend(r.raw.clone());
    }
    json
}

impl FakeRecording {
    /// When its call started: what `StartTime` filters and what a call's `start_time` says.
    pub fn call_start_ms(&self) -> i64 {
        self.created_ms - self.call_lead_ms
    }
}

pub(super) fn call_json(r: &FakeRecording) -> Value {
    let start = r.call_start_ms();
    json!({
        "sid": r.call_sid,
        "date_created": rfc2822(start, r.offset_min),
        "date_updated": rfc2822(r.created_ms + 60_000, r.offset_min),
        "parent_call_sid": null,
        "account_sid": ACCOUNT_SID,
        "to": r.to,
        "to_formatted": r.to,
        "from": r.from,
        "from_formatted": r.from,
        "phone_number_sid": null,
        "status": "completed",
        "start_time": rfc2822(start, r.offset_min),
        "end_time": rfc2822(r.created_ms + 30_000, r.offset_min),
        "duration": r.duration,
        "price": null,
        "price_unit": "USD",
        "direction": r.direction,
        "answered_by": null,
        "api_version": "2010-04-01",
        "forwarded_from": null,
        "group_sid": null,
        "caller_name": r.caller_name,
        "queue_time": "0",
        "trunk_sid": null,
        "uri": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{}.json", r.call_sid),
        "subresource_uris": {
            "recordings": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{}/Recordings.json", r.call_sid)
        }
    })
}

/// Deterministic audio-ish bytes for a SID.
pub fn media_bytes(sid: &str, len: usize) -> Vec<u8> {
    let mut out = b"ID3\x04\x00\x00\x00\x00\x00\x00".to_vec();
    let seed = sid.as_bytes();
    while out.len() < len {
        out.extend_from_slice(seed);
    }
    out.truncate(len);
    out
}

/// What the fake serves for a two-channel recording asked for without
/// `RequestedChannels=2`: Twilio's mono mix, bytes that differ from the two-channel ones.
pub fn mixed_media_bytes(sid: &str, len: usize) -> Vec<u8> {
    media_bytes(&format!("mono mix of {sid}"), len)
}
