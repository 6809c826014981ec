//! Preferences: what a person sets in the window (volume, sort, columns, filters, theme…),
//! kept per user in their own folder, and the computer's own (the theme before sign-in).

mod file;
mod hub;
mod types;

pub use file::{load, save, Loaded};
pub use hub::{
    KeyValue, MemoryStore, OpenStore, Preferences, PreferencesView, APP_FILE, USER_FILE,
};
pub use types::*;
