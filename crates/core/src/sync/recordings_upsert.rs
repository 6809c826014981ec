//! The one statement that writes Twilio's recordings into the library, whatever the rows
//! come from: a page (`upsert.rs`), or recordings that waited for their call (`pending.rs`).

/// Upserts the rows `$source` selects: a SELECT of the INSERT's columns, in its order, with
/// a WHERE clause (which SQLite needs before ON CONFLICT), or `page` for a page's rows. A
/// sync writes only the columns it owns (never the user's own: tags, stars, notes…), the
/// call's four only `with_call` (the call was found), and a row whose values would not
/// change is not written. A macro because sqlx checks only literals, which it joins with
/// `+`: each statement is checked at compile time, while its column lists are written once.
macro_rules! upsert_recordings {
    // Each page arrives as one JSON array of row arrays (`row_json`), read by position:
    // measured on a 1000-row page, about 25 % faster than objects read by key, and several
    // times faster than bound multi-row VALUES through sqlx (whose cost grows with the
    // parameter count). ?1 the user, ?2 the rows, ?3 "now".
    ($call:ident: page, $($arg:expr),+ $(,)?) => {
        upsert_recordings!($call: "SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2,
                j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7,
                j.value ->> 8, j.value ->> 9, j.value ->> 10, j.value ->> 11, j.value ->> 12, ?3
            FROM json_each(?2) AS j WHERE true", $($arg),+)
    };
    (with_call: $source:tt, $($arg:expr),+ $(,)?) => {
        upsert_recordings!(@statement $source,
            ", phone_number = excluded.phone_number, phone_digits = excluded.phone_digits,
                contact_name = excluded.contact_name, direction = excluded.direction",
            " OR recordings.phone_number IS NOT excluded.phone_number
                OR recordings.phone_digits IS NOT excluded.phone_digits
                OR recordings.contact_name IS NOT excluded.contact_name
                OR recordings.direction IS NOT excluded.direction",
            $($arg),+)
    };
    (without_call: $source:tt, $($arg:expr),+ $(,)?) => {
        upsert_recordings!(@statement $source, "", "", $($arg),+)
    };
    (@statement $source:tt, $call_set:tt, $call_differ:tt, $($arg:expr),+) => {
        sqlx::query!(
            "INSERT INTO recordings (user_id, sid, call_sid, phone_number, phone_digits,
                contact_name, direction, status, twilio_status, duration_secs, channels, price,
                price_unit, recorded_at_ms, updated_at_ms) "
                + $source
                + " ON CONFLICT (user_id, sid) DO UPDATE SET call_sid = excluded.call_sid,
                status = excluded.status, twilio_status = excluded.twilio_status,
                duration_secs = excluded.duration_secs, channels = excluded.channels,
                price = excluded.price, price_unit = excluded.price_unit,
                recorded_at_ms = excluded.recorded_at_ms"
                + $call_set
                + ", updated_at_ms = excluded.updated_at_ms
            WHERE recordings.call_sid IS NOT excluded.call_sid
                OR recordings.status IS NOT excluded.status
                OR recordings.twilio_status IS NOT excluded.twilio_status
                OR recordings.duration_secs IS NOT excluded.duration_secs
                OR recordings.channels IS NOT excluded.channels
                OR recordings.price IS NOT excluded.price
                OR recordings.price_unit IS NOT excluded.price_unit
                OR recordings.recorded_at_ms IS NOT excluded.recorded_at_ms"
                + $call_differ,
            $($arg),+
        )
    };
}
pub(super) use upsert_recordings;
