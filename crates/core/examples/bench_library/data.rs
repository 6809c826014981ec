//! The benchmark's data: recordings of one user, or of many in one database, generated once
//! with a fixed seed and cached under `target/bench/data/`.

use std::path::Path;
use std::time::Instant;

use calldeck_core::session::VerifiedIdentity;
use calldeck_core::{UserScope, Workspace};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::transcripts;

/// Bump when the generated data changes shape, so cached databases are rebuilt.
pub const DATA_VERSION: u32 = 7;
/// The benchmark's "now": 2026-11-20T12:00:00Z. Recordings span the three years before it.
pub const NOW_MS: i64 = 1_795_176_000_000;
pub const SPAN_MS: i64 = 3 * 365 * 86_400_000;
pub const HEAVY: &str = "bench|heavy";
pub const SOLO: &str = "bench|solo";
/// The user of `own_1m`, alone in a database of their own.
pub const OWN: &str = "bench|own";
pub const OTHER_USERS: usize = 30;
pub const HEAVY_SHARE: f64 = 0.25;

pub const FIRST_NAMES: &[&str] = &[
    "Ana", "Ben", "Chloe", "Dmitri", "Elif", "Farah", "Gabriel", "Hana", "Ivan", "Jamal", "Keiko",
    "Liam", "Maya", "Noah", "Olga", "Priya", "Quentin", "Rosa", "Sven", "Tariq", "Uma", "Victor",
    "Wendy", "Xavier", "Yara", "Zoe", "Amir", "Bianca", "Carlos", "Dalia", "Emil", "Fatima",
    "Goran", "Helga", "Ines", "Jonas", "Kofi", "Lucia", "Mateo", "Nadia",
];
pub const LAST_NAMES: &[&str] = &[
    "Ruiz",
    "Okafor",
    "Lambert",
    "Ivanov",
    "Demir",
    "Haddad",
    "Costa",
    "Sato",
    "Novak",
    "Brown",
    "Tanaka",
    "Murphy",
    "Levi",
    "Fischer",
    "Kowalski",
    "Patel",
    "Moreau",
    "Garcia",
    "Lund",
    "Aziz",
    "Berg",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fontaine",
    "Gallo",
    "Horvat",
    "Ito",
    "Jensen",
    "Kaur",
    "Lindqvist",
    "Mensah",
    "Nakamura",
    "Oliveira",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Takahashi",
    "Urbano",
    "Varga",
    "Weber",
    "Yilmaz",
    "Zhang",
    "Abbott",
    "Baptiste",
    "Cruz",
    "Dlamini",
    "Esposito",
    "Farouk",
];
pub const CATEGORIES: &[&str] = &[
    "sales",
    "support",
    "billing",
    "onboarding",
    "renewal",
    "complaint",
];

struct Contact {
    number: String,
    name: Option<String>,
}

fn contacts(rng: &mut SmallRng, n: usize) -> Vec<Contact> {
    (0..n)
        .map(|_| {
            let number = format!(
                "+1{}{}{:04}",
                rng.gen_range(201..990),
                rng.gen_range(200..999),
                rng.gen_range(0..10_000)
            );
            let name = rng.gen_bool(0.8).then(|| {
                format!(
                    "{} {}",
                    FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())],
                    LAST_NAMES[rng.gen_range(0..LAST_NAMES.len())]
                )
            });
            Contact { number, name }
        })
        .collect()
}

/// A SID that is unique per row and looks random (an odd multiplier is a bijection).
fn sid(i: u64) -> String {
    let mixed = u128::from(i).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
    format!("RE{mixed:032x}")
}

pub const INSERT: &str = "INSERT INTO recordings (user_id, sid, call_sid, phone_number, phone_digits,
    contact_name, direction, status, duration_secs, channels, category, tags, priority, starred,
    archived, legal_hold, local_file, local_file_bytes, recorded_at_ms, updated_at_ms)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)";

/// Fills the scope's database with `total` recordings, in time order: `own_share` of them the
/// scope's user's, the rest spread over `others` (none: a database of the user's own). Big transactions and
/// one prepared statement; the triggers (search index, totals) run as they do in the app.
pub async fn generate(
    scope: &UserScope,
    others: &[String],
    own_share: f64,
    total: u64,
) -> Result<(), Box<dyn std::error::Error>> {
    // Rows are owned by the account's key, which is not the subject signed in with.
    let mut users = vec![scope.user_id().to_owned()];
    users.extend_from_slice(others);
    let pool = scope.pool_for_tests();
    let mut conn = pool.acquire().await?;
    sqlx::query("PRAGMA cache_size = -1000000")
        .execute(&mut *conn)
        .await?;
    sqlx::query("PRAGMA synchronous = OFF")
        .execute(&mut *conn)
        .await?;
    for user in users.iter().skip(1) {
        sqlx::query(
            "INSERT OR IGNORE INTO users (id, display_name, created_at_ms) VALUES (?1, ?1, 0)",
        )
        .bind(user)
        .execute(&mut *conn)
        .await?;
    }
    let mut rng = SmallRng::seed_from_u64(0xBE7C_4000 + total);
    let books: Vec<Vec<Contact>> = users
        .iter()
        .enumerate()
        .map(|(i, _)| contacts(&mut rng, if i == 0 { 4_000 } else { 1_500 }))
        .collect();
    let started = Instant::now();
    let batch = 50_000;
    let mut i = 0;
    while i < total {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        for _ in 0..batch.min(total - i) {
            let u = if users.len() == 1 || rng.gen_bool(own_share) {
                0
            } else {
                rng.gen_range(1..users.len())
            };
            let book = &books[u];
            // A few contacts call often, most rarely: a skew like a real address book's.
            let c = &book[(rng.gen_range(0.0f64..1.0).powi(2) * book.len() as f64) as usize];
            // Time order, as a sync appends them.
            #[allow(clippy::cast_possible_wrap)]
            let at =
                NOW_MS - SPAN_MS + (SPAN_MS / total as i64) * i as i64 + rng.gen_range(0..1000);
            let has_file = rng.gen_bool(0.3);
            let duration: i64 = if rng.gen_bool(0.1) {
                rng.gen_range(600..2400)
            } else {
                rng.gen_range(5..420)
            };
            let status = match rng.gen_range(0..100) {
                0..=87 => "ready",
                88..=95 => "processing",
                _ => "error",
            };
            let digits: String = c.number.chars().filter(char::is_ascii_digit).collect();
            let s = sid(i);
            let row = sqlx::query(INSERT)
                .bind(&users[u])
                .bind(&s)
                .bind(format!("CA{}", &s[2..]))
                .bind(&c.number)
                .bind(digits)
                .bind(&c.name)
                .bind(if rng.gen_bool(0.55) {
                    "inbound"
                } else {
                    "outbound"
                })
                .bind(status)
                .bind(duration)
                .bind(if rng.gen_bool(0.5) { 2i64 } else { 1 })
                .bind(
                    rng.gen_bool(0.85)
                        .then(|| CATEGORIES[rng.gen_range(0..CATEGORIES.len())]),
                )
                .bind(if rng.gen_bool(0.3) {
                    r#"["follow-up"]"#
                } else {
                    "[]"
                })
                .bind("normal")
                .bind(rng.gen_bool(0.15))
                .bind(rng.gen_bool(0.1))
                .bind(rng.gen_bool(0.01))
                .bind(has_file.then(|| format!("{s}.mp3")))
                .bind(has_file.then(|| duration * 16_000))
                .bind(at)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .last_insert_rowid();
            if rng.gen_bool(transcripts::TRANSCRIBED_SHARE) {
                transcripts::insert(&mut tx, &mut rng, &users[u], row, duration).await?;
            }
            i += 1;
        }
        tx.commit().await?;
        eprintln!(
            "bench_library: generated {i}/{total} recordings ({:.0} s)",
            started.elapsed().as_secs_f64()
        );
    }
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Signs in to a cached dataset as `subject`, generating it first if it is missing or
/// incomplete (`others`: the users whose rows share the file, if any).
pub async fn dataset(
    root: &Path,
    name: &str,
    subject: &str,
    others: &[String],
    own_share: f64,
    total: u64,
) -> Result<(Workspace, UserScope, f64), Box<dyn std::error::Error>> {
    let dir = root.join(format!("{name}-v{DATA_VERSION}"));
    let done = dir.join("complete");
    let mut generated_s = 0.0;
    if !done.exists() {
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        let workspace = Workspace::new(&dir);
        let scope = workspace
            .sign_in(VerifiedIdentity::for_tests(subject), NOW_MS)
            .await?;
        let started = Instant::now();
        generate(&scope, others, own_share, total).await?;
        generated_s = started.elapsed().as_secs_f64();
        workspace.sign_out().await;
        std::fs::write(&done, format!("{generated_s:.1} s\n"))?;
    }
    // Opened afresh, as the app opens it.
    let workspace = Workspace::new(&dir);
    let scope = workspace
        .sign_in(VerifiedIdentity::for_tests(subject), NOW_MS)
        .await?;
    Ok((workspace, scope, generated_s))
}
