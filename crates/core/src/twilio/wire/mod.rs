//! Twilio's JSON as it arrives, read leniently: every field optional (the spec makes every
//! one nullable), a field of the wrong type kept as [`Field::WrongType`] rather than failing
//! its record, an entry that is not an object kept as a record with nothing in it, and
//! unknown or repeated keys ignored (the last one wins). Nothing here leaves the `twilio`
//! module unmapped: [`super::model`] turns it into domain types.

mod field;
mod page;
mod record;

use serde::Deserialize;

pub use field::{Field, Scalar};
pub(crate) use page::PageSeed;
pub use page::{ListPage, Listed};
use record::lenient_record;

lenient_record! {
    /// A recording as `Recordings.json` lists it (only the fields CallDeck reads or checks).
    pub struct RecordingWire {
        sid: String,
        call_sid: String,
        date_created: String,
        start_time: String,
        duration: String,
        price: String,
        price_unit: String,
        status: String,
        channels: i64,
        error_code: i64,
    }
}

lenient_record! {
    /// A call as `Calls.json` lists it (only the fields CallDeck reads).
    pub struct CallWire {
        sid: String,
        to: String,
        from: String,
        direction: String,
        caller_name: String,
        start_time: String,
        date_created: String,
    }
}

impl Listed for RecordingWire {
    const PAGE_KEYS: &'static [&'static str] = &["recordings", "next_page_uri"];
}

impl Listed for CallWire {
    const PAGE_KEYS: &'static [&'static str] = &["calls", "next_page_uri"];
}

/// `Accounts/{sid}.json`, as far as verifying credentials needs it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AccountWire {
    pub sid: Option<String>,
    pub status: Option<String>,
    pub friendly_name: Option<String>,
    /// RFC 2822; where a first sync starts listing.
    pub date_created: Option<String>,
}

/// Twilio's error body (`{"code": 20003, "message": ..., "status": 401}`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ErrorWire {
    pub code: Option<i64>,
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeSeed;

    fn page(json: &str, limit: usize) -> ListPage<RecordingWire> {
        let mut reader = serde_json::Deserializer::from_str(json);
        PageSeed::new(limit)
            .deserialize(&mut reader)
            .expect("a page")
    }

    #[test]
    fn a_page_keeps_its_page_size_and_counts_the_rest() {
        let p = page(
            r#"{"recordings": [{"sid": "a"}, {"sid": "b"}, {}, 1, [{}]], "next_page_uri": "/n"}"#,
            2,
        );
        assert_eq!(p.items.len(), 2);
        assert_eq!(p.items[1].sid, Field::Value("b".into()));
        assert_eq!(p.beyond, 3);
        assert_eq!(p.next_page_uri, Field::Value("/n".into()));
    }

    #[test]
    fn a_null_list_is_empty_and_a_second_list_is_ignored() {
        let p = page(r#"{"recordings": null, "next_page_uri": null}"#, 50);
        assert_eq!((p.items.len(), p.beyond), (0, 0));
        assert_eq!(p.next_page_uri, Field::Missing);
        let p = page(r#"{"recordings": [{}], "recordings": [{}, {}, {}]}"#, 50);
        assert_eq!(p.items.len(), 1, "the first list is the page");
    }

    #[test]
    fn fields_of_the_wrong_type_are_unknown_not_errors() {
        let r: RecordingWire = serde_json::from_str(
            r#"{"channels": 2.5, "duration": true, "error_code": 99999999999999999999, "price": ["x"], "sid": "RE1"}"#,
        )
        .expect("lenient");
        assert_eq!(
            r.wrong_types(),
            vec!["duration", "price", "channels", "error_code"]
        );
        assert_eq!(r.sid, Field::Value("RE1".into()));
    }
}
