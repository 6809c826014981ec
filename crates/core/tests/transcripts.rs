//! Transcripts in the library: saved per user, found by word through the library search
//! with highlighted snippets, gone with their recording, and never across users — whatever
//! the search text holds. Plus one real transcription with the local engine.

mod common;
mod fixtures;

use calldeck_core::library::{
    delete_recording, insert_recordings, list_recordings, ListRecordingsRequest, RecordingFilter,
};
use calldeck_core::transcripts::{
    get_transcript, save_transcript, transcribe_recording, Engine, Segment, Speaker,
    TranscribeStage, MATCH_END, MATCH_START,
};
use calldeck_core::UserScope;
use common::{signed_in, NOW_MS};
use fixtures::{recording, sid, DAY_MS};

fn line(start_ms: u32, text: &str) -> Segment {
    Segment {
        start_ms,
        end_ms: start_ms + 1500,
        channel: 0,
        speaker: Speaker::Mixed,
        text: text.to_owned(),
        words: Vec::new(),
    }
}

async fn search(scope: &UserScope, text: &str) -> (u32, Vec<(String, Option<String>)>) {
    let page = list_recordings(
        scope,
        &ListRecordingsRequest {
            filter: RecordingFilter {
                search: Some(text.to_owned()),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await
    .expect("search");
    (
        page.total,
        page.items
            .into_iter()
            .map(|r| (r.id, r.transcript_match))
            .collect(),
    )
}

#[tokio::test]
async fn words_said_in_a_call_are_found_with_a_highlighted_snippet() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|words").await;
    let rows: Vec<_> = (0..3)
        .map(|n| {
            recording(
                &sid(1, n),
                &format!("+1555000000{n}"),
                Some("Jordan Client"),
                NOW_MS - i64::from(n) * DAY_MS,
            )
        })
        .collect();
    insert_recordings(&scope, &rows, NOW_MS)
        .await
        .expect("insert");
    save_transcript(
        &scope,
        &sid(1, 1),
        Engine::Local,
        &[
            line(0, "hello thanks for calling"),
            line(2000, "the refund for your invoice is on its way"),
        ],
        NOW_MS,
    )
    .await
    .expect("save");

    let (total, items) = search(&scope, "refund").await;
    assert_eq!(total, 1, "the call where the word was said");
    assert_eq!(items[0].0, sid(1, 1));
    let snippet = items[0].1.as_deref().expect("a snippet");
    assert!(
        snippet.contains(&format!("{MATCH_START}refund{MATCH_END}")),
        "{snippet:?}"
    );
    assert_eq!(
        search(&scope, "invo").await.0,
        1,
        "the last word is a prefix (search as you type)"
    );
    assert_eq!(
        search(&scope, "REFUND Invoice").await.0,
        1,
        "several words, any case"
    );
    assert_eq!(
        search(&scope, "refund pizza").await.0,
        0,
        "every word must be there"
    );
    let (by_name, items) = search(&scope, "jordan").await;
    assert_eq!(by_name, 3, "contact names are still found");
    assert!(
        items.iter().all(|(_, m)| m.is_none()),
        "no snippet where no words matched"
    );
    assert_eq!(
        search(&scope, "555").await.0,
        3,
        "numbers are still numbers"
    );

    // A new transcript replaces the old one, index included.
    save_transcript(
        &scope,
        &sid(1, 1),
        Engine::Remote,
        &[line(0, "nothing about money")],
        NOW_MS,
    )
    .await
    .expect("replace");
    assert_eq!(
        search(&scope, "refund").await.0,
        0,
        "the old words are gone from the index"
    );
    let t = get_transcript(&scope, &sid(1, 1))
        .await
        .expect("get")
        .expect("some");
    assert_eq!((t.engine, t.segments.len()), (Engine::Remote, 1));

    delete_recording(&scope, &sid(1, 1), NOW_MS)
        .await
        .expect("delete");
    assert_eq!(
        search(&scope, "money").await.0,
        0,
        "a deleted call's transcript goes with it"
    );
}

#[tokio::test]
async fn hostile_searches_across_twenty_users_find_nothing_foreign() {
    let dir = tempfile::tempdir().expect("dir");
    let mut users = Vec::new();
    for u in 0..20u32 {
        let (ws, scope) = signed_in(dir.path(), &format!("auth0|fts-{u:02}")).await;
        insert_recordings(
            &scope,
            &[recording(
                &sid(u, 0),
                "+15550100000",
                Some("Shared Name"),
                NOW_MS,
            )],
            NOW_MS,
        )
        .await
        .expect("insert");
        save_transcript(
            &scope,
            &sid(u, 0),
            Engine::Local,
            &[line(
                0,
                &format!("hello common words and secret{u:02}word here"),
            )],
            NOW_MS,
        )
        .await
        .expect("save");
        users.push((ws, scope));
    }
    // The second wall: a foreign user's row and transcript planted in user 0's database.
    {
        let pool = users[0].1.pool_for_tests();
        sqlx::query("INSERT INTO users (id, display_name, created_at_ms) VALUES ('auth0|fts-victim', 'v', 0)")
            .execute(pool)
            .await
            .expect("user");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO recordings (user_id, sid, phone_number, phone_digits, contact_name, direction, status, recorded_at_ms, updated_at_ms)
             VALUES ('auth0|fts-victim', ?1, '+15550100000', '15550100000', 'Shared Name', 'inbound', 'ready', 0, 0) RETURNING id",
        )
        .bind(sid(99, 0))
        .fetch_one(pool)
        .await
        .expect("planted row");
        sqlx::query(
            "INSERT INTO transcripts (recording_id, user_id, engine, text, created_at_ms)
             VALUES (?1, 'auth0|fts-victim', 'local', 'hello common words and secret99word planted', 0)",
        )
            .bind(id)
            .execute(pool)
            .await
            .expect("planted transcript");
        sqlx::query(
            "INSERT INTO transcript_segments (recording_id, user_id, start_ms, end_ms, channel, speaker, text)
             VALUES (?1, 'auth0|fts-victim', 0, 1, 0, 'mixed', 'hello common words and secret99word planted')",
        )
        .bind(id)
        .execute(pool)
        .await
        .expect("planted segment");
    }
    let hostile = [
        "secret99word".to_owned(),
        "hello".to_owned(),
        "*".to_owned(),
        "\"".to_owned(),
        "user_id:*".to_owned(),
        "user_id : auth0".to_owned(),
        "text:secret05word".to_owned(),
        "hello OR secret05word".to_owned(),
        "NEAR(hello secret05word)".to_owned(),
        "secret* OR hello*".to_owned(),
        "hello\" OR \"secret07word".to_owned(),
        "') OR 1=1 --".to_owned(),
        "recording_id:1".to_owned(),
        "{user_id}".to_owned(),
        "auth0|fts-03".to_owned(),
        "^hello".to_owned(),
        "secret1*".to_owned(),
    ];
    for (u, (_, scope)) in users.iter().enumerate() {
        let own = sid(u32::try_from(u).expect("small"), 0);
        for text in hostile
            .iter()
            .cloned()
            .chain((0..20).map(|v| format!("secret{v:02}word")))
        {
            let (total, items) = search(scope, &text).await;
            assert!(
                total <= 1,
                "user {u}, {text:?}: at most their one call, got {total}"
            );
            for (id, snippet) in &items {
                assert_eq!(
                    id, &own,
                    "user {u}, {text:?}: a foreign recording came back"
                );
                if let Some(s) = snippet {
                    assert!(
                        !(0..20)
                            .chain([99])
                            .any(|v| v != u && s.contains(&format!("secret{v:02}word"))),
                        "user {u}, {text:?}: a foreign word in a snippet: {s:?}"
                    );
                }
            }
        }
        assert_eq!(
            search(scope, &format!("secret{u:02}word")).await.0,
            1,
            "user {u} finds their own word"
        );
    }
}

fn goforward_wav(path: &std::path::Path) -> bool {
    let raw = std::path::Path::new("/usr/share/pocketsphinx/test/data/goforward.raw");
    let Ok(bytes) = std::fs::read(raw) else {
        assert!(
            std::env::var_os("CALLDECK_ALLOW_NO_POCKETSPHINX").is_some(),
            "install the Debian package pocketsphinx-testdata (scripts/bootstrap.sh does)"
        );
        return false;
    };
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).expect("wav");
    for pair in bytes.chunks_exact(2) {
        w.write_sample(i16::from_le_bytes([pair[0], pair[1]]))
            .expect("sample");
    }
    w.finalize().expect("finalise");
    true
}

#[tokio::test(flavor = "multi_thread")]
async fn a_downloaded_call_is_transcribed_locally_and_then_found_by_its_words() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|speaker").await;
    let id = sid(7, 1);
    let name = format!("{id}.wav");
    if !goforward_wav(&scope.paths().media_file(&name).expect("path")) {
        return;
    }
    let mut row = recording(&id, "+15550107777", Some("Field Team"), NOW_MS);
    row.local_file = Some(name);
    insert_recordings(&scope, &[row], NOW_MS)
        .await
        .expect("insert");
    let stages = std::sync::Mutex::new(Vec::new());
    let cancel = tokio_util::sync::CancellationToken::new();
    let transcript = transcribe_recording(
        &scope,
        &id,
        &cancel,
        |p| stages.lock().expect("lock").push(p.stage),
        NOW_MS,
    )
    .await
    .expect("transcribed with pocketsphinx");
    let text: Vec<String> = transcript.segments.iter().map(|s| s.text.clone()).collect();
    assert_eq!(text.join(" "), "go forward ten meters", "{transcript:?}");
    assert_eq!(
        stages.into_inner().expect("stages"),
        vec![
            TranscribeStage::Decoding,
            TranscribeStage::Transcribing,
            TranscribeStage::Saving,
            TranscribeStage::Done
        ]
    );
    let (total, items) = search(&scope, "meters").await;
    assert_eq!((total, items[0].0.as_str()), (1, id.as_str()));

    let metrics = calldeck_core::analysis::analyse_audio(&scope, &id, NOW_MS)
        .await
        .expect("metrics");
    assert!(
        metrics.talk_ratio > 0.3 && metrics.talk_ratio < 1.0,
        "{metrics:?}"
    );
    let stored = calldeck_core::analysis::get_analysis(&scope, &id)
        .await
        .expect("analysis");
    assert_eq!(stored.metrics, Some(metrics), "the metrics are kept");
    let no_ai = calldeck_core::analysis::analyse_with_ai(&scope, &id, &cancel, NOW_MS).await;
    assert!(no_ai.is_err(), "AI analysis needs a configured service");

    let missing = transcribe_recording(&scope, &sid(7, 2), &cancel, |_| {}, NOW_MS).await;
    assert!(
        matches!(missing, Err(calldeck_core::Error::NotFound)),
        "another user's or a missing call"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_has_spoken_calls_the_local_engine_transcribes() {
    if std::process::Command::new("espeak-ng")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CALLDECK_ALLOW_NO_POCKETSPHINX").is_some(),
            "install the Debian package espeak-ng (scripts/bootstrap.sh does)"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let ws = calldeck_core::Workspace::new(dir.path());
    let scope = calldeck_core::demo::open(&ws, NOW_MS).await.expect("demo");
    let newest_with_audio = list_recordings(&scope, &ListRecordingsRequest::default())
        .await
        .expect("list")
        .items
        .into_iter()
        .find(|r| r.available_offline)
        .expect("a demo call with audio");
    let cancel = tokio_util::sync::CancellationToken::new();
    let t = transcribe_recording(&scope, &newest_with_audio.id, &cancel, |_| {}, NOW_MS)
        .await
        .expect("transcribed");
    let said: String = t
        .segments
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let heard = ["refund", "cancel", "calling", "help", "order", "account"]
        .iter()
        .filter(|w| said.contains(*w))
        .count();
    assert!(heard >= 1, "the engine hears the script's words: {said:?}");
    assert!(
        t.segments
            .windows(2)
            .all(|w| w[0].start_ms <= w[1].start_ms),
        "in time order"
    );
}
