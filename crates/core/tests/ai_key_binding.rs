//! The AI service's API key belongs to the address it was saved with: changing the address
//! without a new key forgets it, and a key is never sent to another address, even when the
//! settings row names one that the settings page did not save. Against loopback fakes of the
//! transcription and chat endpoints, which record what reaches them.

mod common;
mod fixtures;
mod support;

use calldeck_core::analysis::analyse_with_ai;
use calldeck_core::secrets;
use calldeck_core::transcripts::{
    load_ai_settings, save_ai_settings, save_transcript, transcribe_recording, AiSettingsInput,
    Engine, Segment, Speaker,
};
use calldeck_core::{Error, UserScope};
use common::{signed_in, NOW_MS};
use fixtures::{recording, sid};
use support::chat_fake::FakeChat;
use support::openai_fake::{FakeOpenAi, API_KEY};
use tokio_util::sync::CancellationToken;

fn input(base_url: &str, api_key: Option<&str>) -> AiSettingsInput {
    AiSettingsInput {
        engine: Engine::Remote,
        base_url: Some(base_url.to_owned()),
        transcription_model: None,
        chat_model: None,
        api_key: api_key.map(str::to_owned),
        clear_api_key: false,
    }
}

/// A downloaded call (a second of tone as a 16 kHz WAV) that already has a transcript.
async fn downloaded_call(scope: &UserScope) -> String {
    let id = sid(3, 1);
    let name = format!("{id}.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let path = scope.paths().media_file(&name).expect("media path");
    let mut wav = hound::WavWriter::create(path, spec).expect("wav");
    for i in 0..16_000 {
        let sample = ((f64::from(i) * 0.05).sin() * 3000.0) as i16;
        wav.write_sample(sample).expect("sample");
    }
    wav.finalize().expect("finalise");
    let mut row = recording(&id, "+15550103333", Some("Key Test"), NOW_MS);
    row.local_file = Some(name);
    calldeck_core::library::insert_recordings(scope, &[row], NOW_MS)
        .await
        .expect("insert");
    let line = Segment {
        start_ms: 0,
        end_ms: 900,
        channel: 0,
        speaker: Speaker::Mixed,
        text: "Hello, I was charged twice.".into(),
        words: Vec::new(),
    };
    save_transcript(scope, &id, Engine::Remote, &[line], NOW_MS)
        .await
        .expect("transcript");
    id
}

async fn transcribe(scope: &UserScope, id: &str) -> calldeck_core::Result<()> {
    transcribe_recording(scope, id, &CancellationToken::new(), |_| {}, NOW_MS)
        .await
        .map(drop)
}

/// The fake saw the key in no request.
fn never_saw_the_key(fake: &FakeOpenAi) -> bool {
    fake.received().iter().all(|r| {
        r.authorization
            .as_deref()
            .is_none_or(|a| !a.contains(API_KEY))
    })
}

fn asks_for_the_key(result: calldeck_core::Result<()>) -> bool {
    matches!(result, Err(Error::InvalidInput(message)) if message.contains("API key"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_address_without_a_new_key_forgets_the_key_and_the_new_host_gets_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|keyholder").await;
    let id = downloaded_call(&scope).await;
    let first = FakeOpenAi::start().await;
    let second = FakeOpenAi::start().await;
    let second_chat = FakeChat::start(Vec::new()).await;

    let saved = save_ai_settings(&scope, input(&first.base_url, Some(API_KEY)), NOW_MS)
        .await
        .expect("save the first address with its key");
    assert!(saved.has_api_key);
    transcribe(&scope, &id)
        .await
        .expect("the key works with its own address");
    assert_eq!(
        first.received()[0].authorization.as_deref(),
        Some(format!("Bearer {API_KEY}").as_str())
    );
    let kept = save_ai_settings(&scope, input(&first.base_url, None), NOW_MS)
        .await
        .expect("save again without a key");
    assert!(kept.has_api_key, "the same address keeps its key");

    let moved = save_ai_settings(&scope, input(&second.base_url, None), NOW_MS)
        .await
        .expect("save another address without a key");
    let sent = transcribe(&scope, &id).await;
    assert!(never_saw_the_key(&second), "{:?}", second.received());
    assert!(asks_for_the_key(sent), "the transcription asks for a key");
    assert!(
        !moved.has_api_key,
        "the key of the old address is not the new address's key"
    );
    assert!(
        !moved.key_for_other_address,
        "the old key is forgotten, not kept aside"
    );

    save_ai_settings(&scope, input(&second_chat.base_url, None), NOW_MS)
        .await
        .expect("point the chat at the other host");
    let analysis = analyse_with_ai(&scope, &id, &CancellationToken::new(), NOW_MS).await;
    assert!(
        matches!(&analysis, Err(Error::InvalidInput(m)) if m.contains("API key")),
        "the analysis asks for a key: {analysis:?}"
    );
    assert_eq!(second_chat.requests(), 0, "the chat host got no request");

    save_ai_settings(
        &scope,
        input(&second.base_url, Some("sk-second-key")),
        NOW_MS,
    )
    .await
    .expect("a key for the new address");
    let _ = transcribe(&scope, &id).await;
    assert_eq!(
        second
            .received()
            .last()
            .and_then(|r| r.authorization.clone()),
        Some("Bearer sk-second-key".to_owned()),
        "the new address gets its own key"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_goes_only_to_its_own_address_whatever_the_settings_row_says() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|rowchanged").await;
    let id = downloaded_call(&scope).await;
    let saved_with = FakeOpenAi::start().await;
    let elsewhere = FakeOpenAi::start().await;
    save_ai_settings(&scope, input(&saved_with.base_url, Some(API_KEY)), NOW_MS)
        .await
        .expect("save");

    // Not through the settings page: the row alone now names another host.
    set_row_base_url(&scope, &elsewhere.base_url).await;
    let sent = transcribe(&scope, &id).await;
    assert!(never_saw_the_key(&elsewhere), "{:?}", elsewhere.received());
    assert!(
        asks_for_the_key(sent),
        "a key saved for another address is not used"
    );
    let shown = load_ai_settings(&scope).await.expect("settings");
    assert!(!shown.has_api_key, "no key for this address");
    assert!(
        shown.key_for_other_address,
        "the page can say the saved key is for another address"
    );

    set_row_base_url(&scope, &saved_with.base_url).await;
    transcribe(&scope, &id)
        .await
        .expect("back at its own address, the key is used");
    assert!(
        load_ai_settings(&scope)
            .await
            .expect("settings")
            .has_api_key
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_saved_before_keys_were_bound_belongs_to_the_address_then_saved() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|olderkey").await;
    let id = downloaded_call(&scope).await;
    let saved_with = FakeOpenAi::start().await;
    let elsewhere = FakeOpenAi::start().await;
    save_ai_settings(&scope, input(&saved_with.base_url, None), NOW_MS)
        .await
        .expect("save the address");
    // The key as an older CallDeck kept it: the bare key in the slot.
    let slot = secrets::open_slot(secrets::AI_KEY, scope.user_id(), scope.paths().root())
        .await
        .expect("slot");
    slot.save(API_KEY).expect("older key");

    transcribe(&scope, &id)
        .await
        .expect("the older key works with the address saved with it");
    set_row_base_url(&scope, &elsewhere.base_url).await;
    let sent = transcribe(&scope, &id).await;
    assert!(never_saw_the_key(&elsewhere), "{:?}", elsewhere.received());
    assert!(asks_for_the_key(sent));
}

#[tokio::test]
async fn a_key_needs_an_address_and_removing_it_forgets_it() {
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|nokeyurl").await;
    let mut no_address = input("", Some(API_KEY));
    no_address.base_url = None;
    let refused = save_ai_settings(&scope, no_address, NOW_MS).await;
    assert!(
        matches!(&refused, Err(Error::InvalidInput(m)) if m.contains("address")),
        "a key is saved with the address it is for: {refused:?}"
    );
    assert!(
        !load_ai_settings(&scope)
            .await
            .expect("settings")
            .has_api_key
    );

    save_ai_settings(
        &scope,
        input("https://api.example.test/v1", Some(API_KEY)),
        NOW_MS,
    )
    .await
    .expect("save");
    let mut clear = input("https://api.example.test/v1", None);
    clear.clear_api_key = true;
    let cleared = save_ai_settings(&scope, clear, NOW_MS)
        .await
        .expect("remove the key");
    assert!(!cleared.has_api_key && !cleared.key_for_other_address);
}

async fn set_row_base_url(scope: &UserScope, base_url: &str) {
    sqlx::query("UPDATE ai_settings SET base_url = ?1 WHERE user_id = ?2")
        .bind(base_url)
        .bind(scope.user_id())
        .execute(scope.pool_for_tests())
        .await
        .expect("update the row");
}
