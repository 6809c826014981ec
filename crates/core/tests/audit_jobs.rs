//! The audit trail covers the work done on a call, not only edits: transcriptions, audio
//! analyses and AI analyses each leave one entry with their outcome (ok, error, cancelled)
//! in the acting user's trail only, and never the API key, the service's URL or a path.
//! Against loopback fakes of the OpenAI-compatible endpoints.

mod audit_trail;
mod common;
mod fixtures;
mod support;

use calldeck_core::analysis::{analyse_audio, analyse_with_ai};
use calldeck_core::library::insert_recordings;
use calldeck_core::transcripts::{save_ai_settings, transcribe_recording, AiSettingsInput, Engine};
use calldeck_core::UserScope;
use tokio_util::sync::CancellationToken;

use audit_trail::{assert_holds_none, entry, trail};
use common::{signed_in, NOW_MS};
use fixtures::model::with_audio;
use fixtures::{recording, sid};
use support::chat_fake::{self, FakeChat};
use support::openai_fake::{self, FakeOpenAi};

/// Points the user's remote engine and analysis at `base_url`, with its key.
async fn use_service(scope: &UserScope, base_url: &str, key: &str, chat_model: &str) {
    save_ai_settings(
        scope,
        AiSettingsInput {
            engine: Engine::Remote,
            base_url: Some(base_url.to_owned()),
            transcription_model: None,
            chat_model: Some(chat_model.to_owned()),
            api_key: Some(key.to_owned()),
            clear_api_key: false,
        },
        NOW_MS,
    )
    .await
    .expect("settings saved");
}

/// Two recordings of Alice's: one with a two-second call on disk, one without audio.
async fn library(scope: &UserScope) -> (String, String) {
    let audio = calldeck_core::demo::conversation_wav(9, 2, 1).expect("audio");
    let with = with_audio(scope, 40, 1, NOW_MS, &audio).await;
    let without = recording(&sid(40, 2), "+15550004444", None, NOW_MS);
    insert_recordings(scope, &[with.clone(), without.clone()], NOW_MS)
        .await
        .expect("insert");
    (with.sid.to_string(), without.sid.to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn transcriptions_are_recorded_with_their_outcome() {
    let dir = tempfile::tempdir().expect("dir");
    let (_wa, alice) = signed_in(dir.path(), "auth0|audit-transcribe").await;
    let (_wb, bob) = signed_in(dir.path(), "auth0|audit-transcribe-other").await;
    let (id, silent) = library(&alice).await;
    let fake = FakeOpenAi::start().await;
    use_service(&alice, &fake.base_url, openai_fake::API_KEY, "gpt-4o-mini").await;
    let go = CancellationToken::new();
    let stopped = CancellationToken::new();
    stopped.cancel();

    transcribe_recording(&alice, &id, &go, |_| {}, NOW_MS)
        .await
        .expect("transcribed");
    transcribe_recording(&alice, &id, &stopped, |_| {}, NOW_MS)
        .await
        .expect_err("cancelled");
    transcribe_recording(&alice, &silent, &go, |_| {}, NOW_MS)
        .await
        .expect_err("no audio on this computer");
    fake.script([openai_fake::Reply::Error(401, "Incorrect API key", None)]);
    transcribe_recording(&alice, &id, &go, |_| {}, NOW_MS)
        .await
        .expect_err("the key is refused");

    assert_eq!(
        trail(&alice).await,
        vec![
            entry("transcribe", "ok", &[&id], Some("remote")),
            entry("transcribe", "cancelled", &[&id], None),
            entry("transcribe", "error", &[&silent], Some("NoLocalAudio")),
            entry("transcribe", "error", &[&id], Some("TranscriptionAuth")),
        ],
        "each transcription is one entry with its outcome"
    );
    assert!(
        trail(&bob).await.is_empty(),
        "another user's trail is unchanged"
    );
    let dir = dir.path().to_string_lossy();
    assert_holds_none(&alice, &[openai_fake::API_KEY, &fake.base_url, &dir]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn audio_and_ai_analyses_are_recorded_with_their_outcome() {
    let dir = tempfile::tempdir().expect("dir");
    let (_wa, alice) = signed_in(dir.path(), "auth0|audit-analyse").await;
    let (_wb, bob) = signed_in(dir.path(), "auth0|audit-analyse-other").await;
    let (id, silent) = library(&alice).await;
    let transcriber = FakeOpenAi::start().await;
    use_service(&alice, &transcriber.base_url, openai_fake::API_KEY, "x").await;
    let go = CancellationToken::new();
    transcribe_recording(&alice, &id, &go, |_| {}, NOW_MS)
        .await
        .expect("transcribed");
    let chat = FakeChat::start(vec![chat_fake::Reply::Status(401, None)]).await;
    use_service(&alice, &chat.base_url, chat_fake::API_KEY, chat_fake::MODEL).await;
    let before = trail(&alice).await.len();
    let stopped = CancellationToken::new();
    stopped.cancel();

    analyse_audio(&alice, &id, NOW_MS).await.expect("measured");
    analyse_audio(&alice, &silent, NOW_MS)
        .await
        .expect_err("no audio on this computer");
    analyse_with_ai(&alice, &id, &go, NOW_MS)
        .await
        .expect_err("the key is refused");
    analyse_with_ai(&alice, &id, &go, NOW_MS)
        .await
        .expect("analysed");
    analyse_with_ai(&alice, &id, &stopped, NOW_MS)
        .await
        .expect_err("cancelled");
    analyse_with_ai(&alice, &silent, &go, NOW_MS)
        .await
        .expect_err("nothing to analyse without a transcript");

    assert_eq!(
        trail(&alice).await[before..].to_vec(),
        vec![
            entry("analyse_audio", "ok", &[&id], None),
            entry("analyse_audio", "error", &[&silent], Some("NoLocalAudio")),
            entry("analyse_ai", "error", &[&id], Some("AnalysisAuth")),
            entry("analyse_ai", "ok", &[&id], None),
            entry("analyse_ai", "cancelled", &[&id], None),
            entry("analyse_ai", "error", &[&silent], Some("InvalidInput")),
        ],
        "each analysis is one entry with its outcome"
    );
    assert!(
        trail(&bob).await.is_empty(),
        "another user's trail is unchanged"
    );
    let dir = dir.path().to_string_lossy();
    assert_holds_none(
        &alice,
        &[
            chat_fake::API_KEY,
            openai_fake::API_KEY,
            &chat.base_url,
            &transcriber.base_url,
            &dir,
        ],
    )
    .await;
}
