//! CallDeck's behaviour, testable without a webview: sessions, per-user storage and the
//! recording library. The Tauri shell is a thin layer over this crate.

pub mod analysis;
pub mod audit;
pub mod auth;
pub mod connection;
pub mod demo;
pub mod diagnostics;
pub mod error;
pub mod http;
pub mod ids;
pub mod library;
pub mod logs;
pub mod player;
pub mod prefs;
pub mod secrets;
pub mod session;
pub mod storage;
pub mod sync;
pub mod transcripts;
pub mod twilio;

pub use error::{ApiError, Error, ErrorCode, Result};
pub use session::{SignedInUser, UserScope, Workspace};

/// Milliseconds since the Unix epoch: the one place the wall clock is read, so that
/// everything below it takes time as a parameter and tests can choose it.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
