//! Transcripts for the benchmark's recordings: a few lines of call-centre talk each, words
//! drawn with a skew (common words often, topic words rarely), so a word search meets a
//! realistic number of matches.

use rand::rngs::SmallRng;
use rand::Rng;
use sqlx::SqliteConnection;

/// Share of recordings that have a transcript (the 40 %).
pub const TRANSCRIBED_SHARE: f64 = 0.4;
/// The word the benchmark searches for: a topic word, in roughly one call in forty.
pub const SEARCHED_WORD: &str = "refund";

const COMMON: &[&str] = &[
    "hello", "thanks", "for", "calling", "how", "can", "i", "help", "you", "today", "yes", "no",
    "please", "the", "a", "your", "my", "is", "it", "we", "will", "that", "this", "account",
    "order", "number", "minute", "check", "right", "okay", "sure", "great", "call", "back",
];
const TOPICS: &[&str] = &[
    "refund",
    "invoice",
    "delivery",
    "password",
    "upgrade",
    "cancel",
    "warranty",
    "discount",
    "payment",
    "address",
    "shipping",
    "contract",
    "renewal",
    "complaint",
    "manager",
    "schedule",
    "appointment",
    "technician",
    "outage",
    "billing",
];

fn sentence(rng: &mut SmallRng) -> String {
    let n = rng.gen_range(6..16);
    (0..n)
        .map(|_| {
            if rng.gen_bool(0.04) {
                TOPICS[rng.gen_range(0..TOPICS.len())]
            } else {
                COMMON[rng.gen_range(0..COMMON.len())]
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Inserts a transcript of 2–6 lines for the recording row `recording_id`.
pub async fn insert(
    conn: &mut SqliteConnection,
    rng: &mut SmallRng,
    user: &str,
    recording_id: i64,
    duration_secs: i64,
) -> Result<(), sqlx::Error> {
    let lines: Vec<String> = (0..rng.gen_range(2..=6)).map(|_| sentence(rng)).collect();
    sqlx::query(
        "INSERT INTO transcripts (recording_id, user_id, engine, text, created_at_ms) VALUES (?1, ?2, 'local', ?3, 0)",
    )
    .bind(recording_id)
    .bind(user)
    .bind(lines.join("\n"))
    .execute(&mut *conn)
    .await?;
    let step = (duration_secs * 1000 / lines.len() as i64).max(1000);
    for (l, text) in (0i64..).zip(&lines) {
        sqlx::query(
            "INSERT INTO transcript_segments (recording_id, user_id, start_ms, end_ms, channel, speaker, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .bind(recording_id)
        .bind(user)
        .bind(l * step)
        .bind(l * step + step / 2)
        .bind(l % 2)
        .bind(if l % 2 == 0 { "agent" } else { "customer" })
        .bind(text)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
