//! Twilio's JSON as it arrives: every field optional (the spec makes every one nullable),
//! `duration` and `price` strings, dates RFC 2822 strings, statuses free text. Nothing here
//! leaves the `twilio` module unmapped: [`super::model`] turns it into domain types.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RecordingWire {
    pub sid: Option<String>,
    pub account_sid: Option<String>,
    pub call_sid: Option<String>,
    pub conference_sid: Option<String>,
    pub date_created: Option<String>,
    pub date_updated: Option<String>,
    pub start_time: Option<String>,
    pub duration: Option<String>,
    pub price: Option<String>,
    pub price_unit: Option<String>,
    pub status: Option<String>,
    pub channels: Option<i64>,
    pub source: Option<String>,
    pub error_code: Option<i64>,
    pub uri: Option<String>,
    pub media_url: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CallWire {
    pub sid: Option<String>,
    pub parent_call_sid: Option<String>,
    pub account_sid: Option<String>,
    pub to: Option<String>,
    pub to_formatted: Option<String>,
    pub from: Option<String>,
    pub from_formatted: Option<String>,
    pub status: Option<String>,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub duration: Option<String>,
    pub price: Option<String>,
    pub direction: Option<String>,
    pub caller_name: Option<String>,
    pub forwarded_from: Option<String>,
}

/// One page of `Recordings.json`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RecordingsPage {
    pub recordings: Option<Vec<RecordingWire>>,
    pub next_page_uri: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// One page of `Calls.json`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CallsPage {
    pub calls: Option<Vec<CallWire>>,
    pub next_page_uri: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// `Accounts/{sid}.json`, as far as verifying credentials needs it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AccountWire {
    pub sid: Option<String>,
    pub status: Option<String>,
    pub friendly_name: Option<String>,
}

/// Twilio's error body (`{"code": 20003, "message": ..., "status": 401}`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ErrorWire {
    pub code: Option<i64>,
    pub message: Option<String>,
}
