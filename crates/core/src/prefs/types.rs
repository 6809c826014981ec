//! What a person sets in the window and expects back at the next start, typed once here:
//! the UI's types and defaults are generated from these. Every field has a default, and a
//! value that is missing, of the wrong type or out of range falls back to its own default
//! alone, so one bad value never costs the others.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::library::{Direction, RecordingStatus, SortBy, SortOrder};

/// The playback speeds the player offers, in percent (0.5× to 2×). Volume and speed are
/// kept as whole percents: exact in JSON and in TypeScript (a float crosses as `number | null`).
pub const MIN_SPEED_PERCENT: u32 = 50;
pub const MAX_SPEED_PERCENT: u32 = 200;
/// The details panel's width in CSS pixels: wide enough for its fields, never the window.
pub const MIN_DETAILS_WIDTH: u32 = 280;
pub const MAX_DETAILS_WIDTH: u32 = 900;
pub const DEFAULT_DETAILS_WIDTH: u32 = 340;
/// A table column's width in CSS pixels.
pub const MIN_COLUMN_WIDTH: u32 = 48;
pub const MAX_COLUMN_WIDTH: u32 = 600;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follows the operating system's light or dark choice.
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Density {
    #[default]
    Comfortable,
    Compact,
}

/// The views of the signed-in window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum View {
    #[default]
    Library,
    Stats,
    Audit,
    Settings,
}

/// Which part of the library the sidebar shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    All,
    Starred,
    Archived,
    Held,
}

/// The library table's columns that can be hidden or resized (the tick box and the star
/// always show).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "lowercase")]
pub enum Column {
    Date,
    Number,
    Name,
    Direction,
    Duration,
    Status,
    Category,
}

/// The sidebar's scope and filters (the search box is not kept: a search is a question of
/// the moment, and one found at the next start would hide calls without saying why).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SidebarFilters {
    pub scope: Scope,
    pub status: Option<RecordingStatus>,
    pub direction: Option<Direction>,
    pub category: Option<String>,
    /// A day, `YYYY-MM-DD`, as the date inputs hold it.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One person's preferences, kept in their own folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UserPrefs {
    /// The player's level when not muted, 0 to 100.
    pub volume_percent: u32,
    pub muted: bool,
    /// 100 is 1×.
    pub speed_percent: u32,
    pub sort_by: SortBy,
    pub sort_order: SortOrder,
    pub hidden_columns: Vec<Column>,
    /// Widths the person dragged a column to; the others keep the table's own.
    pub column_widths: BTreeMap<Column, u32>,
    pub filters: SidebarFilters,
    pub view: View,
    pub details_width: u32,
    pub density: Density,
    pub theme: Theme,
}

impl Default for UserPrefs {
    fn default() -> Self {
        Self {
            volume_percent: 100,
            muted: false,
            speed_percent: 100,
            sort_by: SortBy::CreatedAt,
            sort_order: SortOrder::Desc,
            hidden_columns: Vec::new(),
            column_widths: BTreeMap::new(),
            filters: SidebarFilters::default(),
            view: View::Library,
            details_width: DEFAULT_DETAILS_WIDTH,
            density: Density::Comfortable,
            theme: Theme::System,
        }
    }
}

/// The computer's preferences, whoever signs in: what the window looks like before anyone
/// has (the last chosen theme).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppPrefs {
    pub theme: Theme,
}

/// Preferences kept as a store's entries: one entry per field, named as the UI names it.
/// (No `#[serde(default)]` on the structs: it would make every field optional in the
/// generated TypeScript; a missing entry takes its default in `from_entries` instead.)
pub trait Entries: Serialize + DeserializeOwned + Default {
    /// Brings values within their ranges (a hand-edited or older file may hold anything).
    fn sanitize(self) -> Self {
        self
    }

    /// The store's entries, each field on its own.
    fn to_entries(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(entries)) => entries,
            _ => Map::new(),
        }
    }

    /// Reads entries back: each field from its entry if that entry makes sense, else its
    /// default; fields of a nested struct (the filters) one by one too. Unknown entries (a
    /// newer version's) are ignored.
    fn from_entries(entries: &Map<String, Value>) -> Self {
        let mut merged = Value::Object(Self::default().to_entries());
        overlay::<Self>(&mut merged, "", entries);
        serde_json::from_value::<Self>(merged)
            .unwrap_or_default()
            .sanitize()
    }
}

/// Lays `entries` over the object at `at` (a JSON pointer) in `root`, one entry at a time,
/// keeping each only if `root` still reads as a `T`. A struct's object (one with fields in
/// the defaults) is laid over field by field; anything else (a map, a list) is one value.
fn overlay<T: DeserializeOwned>(root: &mut Value, at: &str, entries: &Map<String, Value>) {
    for (key, value) in entries {
        let path = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
        let Some(slot) = root.pointer_mut(&path) else {
            continue;
        };
        if let (Value::Object(fields), Value::Object(inner)) = (&*slot, value) {
            if !fields.is_empty() {
                overlay::<T>(root, &path, inner);
                continue;
            }
        }
        let previous = std::mem::replace(slot, value.clone());
        if serde_json::from_value::<T>(root.clone()).is_err() {
            if let Some(slot) = root.pointer_mut(&path) {
                *slot = previous;
            }
        }
    }
}

impl Entries for AppPrefs {}

impl Entries for UserPrefs {
    fn sanitize(mut self) -> Self {
        self.volume_percent = self.volume_percent.min(100);
        self.speed_percent = self
            .speed_percent
            .clamp(MIN_SPEED_PERCENT, MAX_SPEED_PERCENT);
        self.details_width = self
            .details_width
            .clamp(MIN_DETAILS_WIDTH, MAX_DETAILS_WIDTH);
        for width in self.column_widths.values_mut() {
            *width = (*width).clamp(MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH);
        }
        self.hidden_columns.sort();
        self.hidden_columns.dedup();
        self.filters.from = self.filters.from.filter(|d| is_day(d));
        self.filters.to = self.filters.to.filter(|d| is_day(d));
        self.filters.category = self.filters.category.filter(|c| !c.trim().is_empty());
        self
    }
}

fn is_day(text: &str) -> bool {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entries(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn a_wrong_value_costs_only_its_own_field() {
        let prefs = UserPrefs::from_entries(&entries(json!({
            "volumePercent": "loud",
            "speedPercent": 150,
            "sortBy": "duration",
            "view": "nowhere",
            "density": "compact",
        })));
        assert_eq!(
            prefs.volume_percent, 100,
            "an unreadable volume is the default"
        );
        assert_eq!(
            prefs.speed_percent, 150,
            "the readable speed is kept beside it"
        );
        assert_eq!(prefs.sort_by, SortBy::Duration);
        assert_eq!(prefs.view, View::Library, "an unknown view is the default");
        assert_eq!(prefs.density, Density::Compact);
    }

    #[test]
    fn values_out_of_range_are_brought_within() {
        let prefs = UserPrefs::from_entries(&entries(json!({
            "volumePercent": 700,
            "speedPercent": 10,
            "detailsWidth": 5,
            "columnWidths": { "date": 10_000, "name": 120 },
            "hiddenColumns": ["status", "status", "date"],
            "filters": { "from": "yesterday", "to": "2026-11-30", "category": "  ", "direction": 5, "status": "ready" },
        })));
        assert_eq!(prefs.volume_percent, 100);
        assert_eq!(prefs.speed_percent, MIN_SPEED_PERCENT);
        assert_eq!(prefs.details_width, MIN_DETAILS_WIDTH);
        assert_eq!(
            prefs.column_widths.get(&Column::Date),
            Some(&MAX_COLUMN_WIDTH)
        );
        assert_eq!(prefs.column_widths.get(&Column::Name), Some(&120));
        assert_eq!(prefs.hidden_columns, vec![Column::Date, Column::Status]);
        assert_eq!(prefs.filters.from, None, "not a day: dropped");
        assert_eq!(prefs.filters.to.as_deref(), Some("2026-11-30"));
        assert_eq!(prefs.filters.category, None);
        assert_eq!(
            prefs.filters.direction, None,
            "a wrong filter is the default alone"
        );
        assert_eq!(
            prefs.filters.status,
            Some(RecordingStatus::Ready),
            "the filters beside it are kept"
        );
    }

    #[test]
    fn entries_round_trip_and_unknown_ones_are_ignored() {
        let mut prefs = UserPrefs {
            muted: true,
            theme: Theme::Dark,
            ..UserPrefs::default()
        };
        prefs.column_widths.insert(Column::Number, 200);
        let mut stored = prefs.to_entries();
        stored.insert("fromANewerVersion".into(), json!(42));
        assert_eq!(UserPrefs::from_entries(&stored), prefs);
    }
}
