//! Thin commands: each takes the session from the backend state and calls calldeck-core.
//! None of them accepts a user id.

pub mod auth;
pub mod diagnostics;
pub mod export;
pub mod library;
pub mod notes;
pub mod player;
pub mod prefs;
pub mod queue;
pub mod retention;
pub mod transcripts;
pub mod twilio;
