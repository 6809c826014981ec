//! A position in a sorted list (its sort key and id), as an opaque string the UI passes
//! back for the next slice. A cursor from another sort, or a tampered one, is refused.

use super::filter::{SortBy, SortOrder};
use super::recordings::SummaryRow;
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum CursorKey {
    Number(i64),
    Digits(String),
}

/// The position after a row, in one sort: its sort key and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cursor {
    pub(super) by: SortBy,
    pub(super) order: SortOrder,
    pub(super) key: CursorKey,
    pub(super) id: i64,
}

impl Cursor {
    pub(super) fn after(row: &SummaryRow, by: SortBy, order: SortOrder) -> Self {
        let key = match by {
            SortBy::CreatedAt => CursorKey::Number(row.recorded_at_ms),
            SortBy::Duration => CursorKey::Number(row.duration_secs),
            SortBy::Phone => CursorKey::Digits(row.phone_digits.clone()),
        };
        Cursor {
            by,
            order,
            key,
            id: row.id,
        }
    }

    pub(super) fn encode(&self) -> String {
        let key = match &self.key {
            CursorKey::Number(n) => n.to_string(),
            CursorKey::Digits(d) => format!("d{d}"),
        };
        format!(
            "{}.{}.{key}.{}",
            self.by.column(),
            self.order.keyword(),
            self.id
        )
    }

    /// A cursor from another sort, or one that was tampered with, is refused.
    pub(super) fn decode(raw: &str, by: SortBy, order: SortOrder) -> Result<Self> {
        let invalid =
            || Error::invalid("The list position is no longer valid. Please reload the list.");
        let mut parts = raw.splitn(4, '.');
        let (column, keyword, key, id) = (parts.next(), parts.next(), parts.next(), parts.next());
        if column != Some(by.column()) || keyword != Some(order.keyword()) {
            return Err(invalid());
        }
        let key = key.ok_or_else(invalid)?;
        let key = match key.strip_prefix('d') {
            Some(digits) if by == SortBy::Phone && digits.chars().all(|c| c.is_ascii_digit()) => {
                CursorKey::Digits(digits.to_owned())
            }
            None if by != SortBy::Phone => CursorKey::Number(key.parse().map_err(|_| invalid())?),
            _ => return Err(invalid()),
        };
        let id = id.and_then(|i| i.parse().ok()).ok_or_else(invalid)?;
        Ok(Cursor { by, order, key, id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_tampering() {
        let c = Cursor {
            by: SortBy::Phone,
            order: SortOrder::Asc,
            key: CursorKey::Digits("1555".into()),
            id: 42,
        };
        assert_eq!(
            Cursor::decode(&c.encode(), SortBy::Phone, SortOrder::Asc).expect("decode"),
            c
        );
        assert!(
            Cursor::decode(&c.encode(), SortBy::Duration, SortOrder::Asc).is_err(),
            "another sort's cursor"
        );
        for forged in [
            "",
            "phone_digits.ASC.d1' OR 1=1.4",
            "recorded_at_ms.DESC.x.1",
            "phone_digits.ASC.d1.-",
            "a.b.c.d",
        ] {
            assert!(
                Cursor::decode(forged, SortBy::Phone, SortOrder::Asc).is_err(),
                "{forged:?} must be refused"
            );
        }
    }
}
