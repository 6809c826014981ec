//! What each user's library holds at the start of every case: their own rows, audio, a
//! transcript and analyses; and, planted in it, rows of the next user (the second wall)
//! with their own transcript and analysis, which must stay invisible and untouched.

use super::*;

/// Fifteen seconds of a tone: real audio, for the player, the waveform and the metrics.
/// Longer than a case's seeks and skips can reach (see `op`), so that playback never comes
/// to its end, which the player notices on its own time; at 2 kHz it is still small.
pub(crate) fn tone_wav() -> &'static [u8] {
    static WAV: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    WAV.get_or_init(make_tone)
}

fn make_tone() -> Vec<u8> {
    const RATE: u16 = 2_000;
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: u32::from(RATE),
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut w = hound::WavWriter::new(&mut bytes, spec).expect("wav writer");
    for i in 0..RATE * 15 {
        let phase = f32::from(i) / f32::from(RATE) * 440.0 * std::f32::consts::TAU;
        w.write_sample((phase.sin() * 9_000.0) as i16)
            .expect("sample");
    }
    w.finalize().expect("finalise wav");
    bytes.into_inner()
}

fn segment(text: &str) -> Segment {
    Segment {
        start_ms: 0,
        end_ms: 400,
        channel: 0,
        speaker: Speaker::Mixed,
        text: text.to_owned(),
        words: Vec::new(),
    }
}

pub(crate) fn ai_json(summary: &str) -> String {
    serde_json::json!({
        "summary": summary, "sentiment": "neutral", "topics": [summary], "actionItems": []
    })
    .to_string()
}

/// User `u`'s own library as every case starts with it.
pub(crate) async fn seed_own(scope: &UserScope, u: usize) {
    let owner = small(u);
    let wav = tone_wav();
    let mut rows = Vec::new();
    for n in 0..OWN {
        let mut r = recording(
            &sid(owner, n),
            &format!("+1555{owner:03}{n:04}"),
            Some(&format!("Tenant {u} contact {n}")),
            NOW_MS - i64::from(n) * 60 * DAY_MS,
        );
        if n < WITH_AUDIO {
            let name = format!("{}.wav", sid(owner, n));
            let path = scope.paths().media_dir().join(&name);
            // A file of the right size is the one written here: only deletes touch these.
            if std::fs::metadata(&path).map(|m| m.len()).ok() != Some(wav.len() as u64) {
                std::fs::write(&path, wav).expect("audio");
            }
            r.local_file = Some(name);
            r.local_file_bytes = Some(wav.len() as u64);
        }
        r.starred = n == 4;
        rows.push(r);
    }
    insert_recordings(scope, &rows, NOW_MS)
        .await
        .expect("insert");
    set_legal_hold(scope, &sid(owner, 5), true, NOW_MS)
        .await
        .expect("hold");
    add_note(scope, &sid(owner, 0), 1000, "own note", NOW_MS)
        .await
        .expect("note");
    let said = format!("hello tenant {u} words");
    save_transcript(
        scope,
        &sid(owner, 0),
        Engine::Local,
        &[segment(&said)],
        NOW_MS,
    )
    .await
    .expect("transcript");
    // The metrics `analyse_audio` keeps (measured once: it is the same audio for everyone),
    // and an AI analysis.
    static METRICS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let metrics = METRICS.get_or_init(|| {
        let path = scope
            .paths()
            .media_dir()
            .join(format!("{}.wav", sid(owner, 0)));
        serde_json::to_string(&audio_metrics(&path).expect("metrics")).expect("json")
    });
    sqlx::query(
        "INSERT INTO analyses (recording_id, user_id, metrics, ai, ai_model, updated_at_ms)
         SELECT id, user_id, CASE sid WHEN ?2 THEN ?4 END, CASE sid WHEN ?3 THEN ?5 END,
            CASE sid WHEN ?3 THEN 'model' END, ?6
         FROM recordings WHERE user_id = ?1 AND sid IN (?2, ?3)",
    )
    .bind(scope.user_id())
    .bind(sid(owner, 1))
    .bind(sid(owner, 2))
    .bind(metrics)
    .bind(ai_json("own summary"))
    .bind(NOW_MS)
    .execute(scope.pool_for_tests())
    .await
    .expect("own analyses");
}

/// Plants rows of `victim` in this database, with that user's real SIDs, a file, a note,
/// a transcript and an analysis of theirs.
pub(crate) async fn plant(scope: &UserScope, victim: usize) {
    let pool = scope.pool_for_tests();
    sqlx::query("INSERT INTO users (id, display_name, created_at_ms) VALUES (?1, 'planted', 0)")
        .bind(subject(victim))
        .execute(pool)
        .await
        .expect("planted user");
    sqlx::query("INSERT INTO download_queue_state (user_id, paused, done) VALUES (?1, 1, 5)")
        .bind(subject(victim))
        .execute(pool)
        .await
        .expect("planted queue state");
    for n in 0..3u32 {
        let planted_sid = sid(small(victim), n);
        let file = format!("planted-{n}.wav");
        std::fs::write(scope.paths().media_dir().join(&file), tone_wav()).expect("planted file");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO recordings (user_id, sid, phone_number, phone_digits, contact_name,
                direction, status, local_file, local_file_bytes, recorded_at_ms, updated_at_ms)
             VALUES (?1, ?2, '+15550000000', '15550000000', 'Tenant planted', 'inbound', 'ready',
                ?3, 7, ?4, 0) RETURNING id",
        )
        .bind(subject(victim))
        .bind(&planted_sid)
        .bind(file)
        .bind(NOW_MS - 400 * DAY_MS)
        .fetch_one(pool)
        .await
        .expect("planted row");
        // A queued download of theirs, and a failed one.
        sqlx::query(
            "INSERT INTO download_queue (user_id, sid, recorded_at_ms, queued_at_ms, attempts,
                next_attempt_at_ms, last_error, state)
             VALUES (?1, ?2, ?3, 0, ?4, 0, 'planted error', ?5)",
        )
        .bind(subject(victim))
        .bind(&planted_sid)
        .bind(NOW_MS - 400 * DAY_MS)
        .bind(i64::from(n))
        .bind(if n == 1 { "failed" } else { "queued" })
        .execute(pool)
        .await
        .expect("planted queue row");
        for sql in [
            "INSERT INTO recording_notes (user_id, recording_id, position_ms, body, created_at_ms, updated_at_ms)
             VALUES (?1, ?2, 0, 'planted note', 0, 0)",
            "INSERT INTO transcripts (recording_id, user_id, engine, text, created_at_ms)
             VALUES (?2, ?1, 'local', 'planted secret words hello tenant', 0)",
            "INSERT INTO transcript_segments (recording_id, user_id, start_ms, end_ms, channel, speaker, text)
             VALUES (?2, ?1, 0, 10, 0, 'mixed', 'planted secret words hello tenant')",
            "INSERT INTO analyses (recording_id, user_id, metrics, ai, ai_model, updated_at_ms)
             VALUES (?2, ?1, NULL, ?3, 'planted', 0)",
        ] {
            sqlx::query(sql)
                .bind(subject(victim))
                .bind(id)
                .bind(ai_json("planted summary"))
                .execute(pool)
                .await
                .expect("planted data");
        }
    }
}

/// Puts user `u`'s own library back as `seed_own` made it: what a case did to it (deleted,
/// edited, synced, downloaded, exported, transcribed, analysed) is undone, and the library
/// does not wear away over a thousand cases. Rows of others in the database stay as they are.
pub(crate) async fn reset_own(world: &World, u: usize) {
    let scope = &world.users[u].1;
    for sql in [
        "DELETE FROM recordings WHERE user_id = ?1",
        "DELETE FROM tombstones WHERE user_id = ?1",
        "DELETE FROM sync_state WHERE user_id = ?1",
        "DELETE FROM download_queue_state WHERE user_id = ?1",
        "DELETE FROM audit_log WHERE user_id = ?1",
    ] {
        sqlx::query(sql)
            .bind(scope.user_id())
            .execute(scope.pool_for_tests())
            .await
            .expect("reset");
    }
    // The base audio stays when it is intact (`seed_own` checks); anything else goes.
    let base: Vec<String> = (0..WITH_AUDIO)
        .map(|n| format!("{}.wav", sid(small(u), n)))
        .collect();
    for entry in std::fs::read_dir(scope.paths().media_dir()).expect("media") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !name.starts_with("planted-") && !base.contains(&name) {
            std::fs::remove_file(&path).expect("remove own media");
        }
    }
    for dir in [scope.paths().root().join("cache"), exports_of(world, u)] {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("remove");
        }
    }
    seed_own(scope, u).await;
}

pub(crate) fn exports_of(world: &World, u: usize) -> PathBuf {
    world.root.join("exports").join(u.to_string())
}
