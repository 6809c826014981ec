//! The demo library: about two hundred believable calls over the last 90 days.

use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::ids::RecordingSid;
use crate::library::{Direction, NewRecording, Priority, RecordingStatus};

pub const DEMO_RECORDING_COUNT: usize = 200;

const FIRST_NAMES: &[&str] = &[
    "Ana", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Gabriel", "Hana", "Ivan", "Jamal", "Keiko",
    "Liam", "Maya", "Noah", "Olga", "Priya", "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Victor",
];
const LAST_NAMES: &[&str] = &[
    "Ruiz", "Okafor", "Lambert", "Ivanov", "Demir", "Haddad", "Costa", "Sato", "Novak", "Brown",
    "Tanaka", "Murphy", "Levi", "Fischer", "Kowalski", "Patel", "Moreau", "García", "Lund", "Aziz",
];
const CATEGORIES: &[&str] = &[
    "sales",
    "support",
    "billing",
    "onboarding",
    "renewal",
    "complaint",
];
const TAGS: &[&str] = &[
    "follow-up",
    "vip",
    "escalated",
    "callback",
    "demo-booked",
    "churn-risk",
    "upsell",
    "refund",
];
/// Number plans that read like real ones: (prefix with area code, random digits that follow).
/// North American numbers use the 555-01xx block reserved for fiction.
const NUMBER_PLANS: &[(&str, usize)] = &[
    ("+1212555010", 1),
    ("+1312555010", 1),
    ("+1415555011", 1),
    ("+1617555012", 1),
    ("+1646555013", 1),
    ("+1702555014", 1),
    ("+1512555015", 1),
    ("+1303555016", 1),
    ("+44207946", 4),
    ("+44161496", 4),
    ("+493012", 6),
    ("+33142", 6),
    ("+33612", 6),
    ("+61291", 6),
];

/// A deterministic library, dated relative to `now_ms`.
pub fn demo_recordings(now_ms: i64) -> Vec<NewRecording> {
    let mut rng = SmallRng::seed_from_u64(0xCA11_DEC4);
    let contacts: Vec<(String, Option<String>)> = (0..70)
        .map(|_| {
            let (prefix, random_digits) =
                *NUMBER_PLANS.choose(&mut rng).unwrap_or(&("+1212555010", 1));
            let mut number = String::from(prefix);
            (0..random_digits).for_each(|_| number.push(char::from(b'0' + rng.gen_range(0..10))));
            let name = rng.gen_bool(0.75).then(|| {
                format!(
                    "{} {}",
                    FIRST_NAMES.choose(&mut rng).unwrap_or(&"Ana"),
                    LAST_NAMES.choose(&mut rng).unwrap_or(&"Ruiz")
                )
            });
            (number, name)
        })
        .collect();
    let ninety_days_ms = 90 * 24 * 3600 * 1000;
    (0..DEMO_RECORDING_COUNT)
        .map(|_| {
            let (phone_number, contact_name) =
                contacts.choose(&mut rng).cloned().unwrap_or_default();
            let status = match rng.gen_range(0..100) {
                0..=87 => RecordingStatus::Ready,
                88..=95 => RecordingStatus::Processing,
                _ => RecordingStatus::Error,
            };
            // Most calls are a few minutes; a few run long, up to 40 minutes.
            let duration_secs = if rng.gen_bool(0.1) {
                rng.gen_range(600..=2400)
            } else {
                rng.gen_range(5..=420)
            };
            let tag_count = rng.gen_range(0..3);
            let tags = TAGS
                .choose_multiple(&mut rng, tag_count)
                .map(|t| (*t).to_owned())
                .collect();
            NewRecording {
                sid: RecordingSid::parse(&format!("RE{}", random_hex32(&mut rng)))
                    .expect("32 hex digits make a valid SID"),
                call_sid: Some(format!("CA{}", random_hex32(&mut rng))),
                phone_number,
                contact_name,
                direction: if rng.gen_bool(0.55) {
                    Direction::Inbound
                } else {
                    Direction::Outbound
                },
                status,
                duration_secs,
                channels: if rng.gen_bool(0.5) { 2 } else { 1 },
                category: rng
                    .gen_bool(0.85)
                    .then(|| (*CATEGORIES.choose(&mut rng).unwrap_or(&"sales")).to_owned()),
                tags,
                priority: match rng.gen_range(0..10) {
                    0 => Priority::High,
                    1 | 2 => Priority::Low,
                    _ => Priority::Normal,
                },
                starred: rng.gen_bool(0.15),
                archived: rng.gen_bool(0.1),
                local_file: None,
                local_file_bytes: None,
                recorded_at_ms: now_ms - rng.gen_range(60_000..ninety_days_ms),
            }
        })
        .collect()
}

/// 32 random hex digits: the body of a Twilio SID.
fn random_hex32(rng: &mut SmallRng) -> String {
    (0..32)
        .map(|_| char::from_digit(rng.gen_range(0..16), 16).unwrap_or('0'))
        .collect()
}
