//! The OpenAI-compatible transcription client against a loopback fake speaking OpenAI's
//! shapes: fields and key on the wire, segments and words back in milliseconds, and every
//! way the service can fail, without the key ever reaching an error.

mod support;

use std::time::{Duration, Instant};

use calldeck_core::transcripts::{RemoteEngine, RemoteLimits, Speaker, TranscriptionError};
use calldeck_core::twilio::Secret;
use calldeck_core::{ApiError, Error, ErrorCode};
use reqwest::Url;
use support::openai_fake::{FakeOpenAi, Reply, API_KEY};
use tokio_util::sync::CancellationToken;

fn limits() -> RemoteLimits {
    RemoteLimits {
        request_base: Duration::from_secs(10),
        backoff_base: Duration::from_millis(1),
        backoff_max: Duration::from_millis(5),
        ..RemoteLimits::default()
    }
}

fn engine_with(
    fake: &FakeOpenAi,
    base_suffix: &str,
    key: &str,
    limits: RemoteLimits,
) -> RemoteEngine {
    let base = Url::parse(&format!("{}{base_suffix}", fake.base_url)).expect("url");
    RemoteEngine::with_limits(base, "whisper-1", Secret::new(key), limits).expect("engine")
}

fn engine(fake: &FakeOpenAi) -> RemoteEngine {
    engine_with(fake, "", API_KEY, limits())
}

/// 3.5 s of a quiet tone at 16 kHz.
fn audio() -> Vec<i16> {
    (0..56_000)
        .map(|i| ((i as f32 * 0.05).sin() * 3000.0) as i16)
        .collect()
}

async fn run(
    engine: &RemoteEngine,
) -> calldeck_core::Result<Vec<calldeck_core::transcripts::Segment>> {
    engine
        .transcribe(&audio(), 1, 2, &CancellationToken::new())
        .await
}

/// What a person would see, and everything a log could show, holds nothing of the key.
fn assert_no_key(err: &Error, key: &str) {
    let shown = [err.user_message(), err.to_string(), format!("{err:?}")];
    for shown in shown {
        for part in key.as_bytes().windows(8) {
            let part = std::str::from_utf8(part).expect("ascii key");
            assert!(!shown.contains(part), "the key leaked: {shown}");
        }
    }
}

#[tokio::test]
async fn segments_and_words_come_back_in_milliseconds_with_the_speaker() {
    let fake = FakeOpenAi::start().await;
    // A base that already ends in /v1 is not given a second one.
    let segments = engine_with(&fake, "/v1/", API_KEY, limits())
        .transcribe(&audio(), 1, 2, &CancellationToken::new())
        .await
        .expect("transcribed");

    assert_eq!(segments.len(), 2);
    let (first, second) = (&segments[0], &segments[1]);
    assert_eq!((first.start_ms, first.end_ms), (0, 1520));
    assert_eq!(first.text, "Hello there.");
    assert_eq!((second.start_ms, second.end_ms), (2000, 3240));
    assert_eq!(second.text, "How can I help?");
    assert!(segments
        .iter()
        .all(|s| s.channel == 1 && s.speaker == Speaker::Customer));
    let words: Vec<(&str, u32, u32)> = second
        .words
        .iter()
        .map(|w| (w.text.as_str(), w.start_ms, w.end_ms))
        .collect();
    assert_eq!(
        words,
        [
            ("How", 2000, 2200),
            ("can", 2220, 2400),
            ("I", 2420, 2600),
            ("help", 2620, 3240)
        ]
    );
    assert_eq!(first.words.len(), 2);

    let got = fake.received();
    assert_eq!(got.len(), 1, "one request");
    let got = &got[0];
    assert_eq!(
        got.authorization.as_deref(),
        Some(format!("Bearer {API_KEY}").as_str())
    );
    let fields: Vec<(&str, &str)> = got
        .fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert!(fields.contains(&("model", "whisper-1")));
    assert!(fields.contains(&("response_format", "verbose_json")));
    assert!(fields.contains(&("timestamp_granularities[]", "segment")));
    assert!(fields.contains(&("timestamp_granularities[]", "word")));
    assert_eq!(got.file_name.as_deref(), Some("audio.wav"));
    assert_eq!(
        got.wav_seconds,
        Some(3.5),
        "the 16 kHz mono WAV holds all the audio"
    );
}

#[tokio::test]
async fn a_refused_key_is_a_clear_error_without_the_key() {
    let fake = FakeOpenAi::start().await;
    let wrong = "sk-wrong-key-9876543210zyxw";
    let err = engine_with(&fake, "", wrong, limits())
        .transcribe(&audio(), 0, 1, &CancellationToken::new())
        .await
        .expect_err("refused");
    assert!(
        matches!(err, Error::Transcription(TranscriptionError::KeyRefused)),
        "{err:?}"
    );
    assert_eq!(err.code(), ErrorCode::TranscriptionAuth);
    assert!(
        err.user_message().contains("refused the API key"),
        "{}",
        err.user_message()
    );
    assert_no_key(&err, wrong);
    let json = serde_json::to_string(&ApiError::from(err)).expect("serialises");
    assert!(
        !json.contains("sk-wrong"),
        "the UI never sees the key: {json}"
    );
    assert_eq!(fake.received().len(), 1, "a refused key is not retried");
}

#[tokio::test]
async fn too_many_requests_is_retried_after_the_servers_wait() {
    let fake = FakeOpenAi::start().await;
    fake.script([Reply::Error(
        429,
        "Rate limit reached for requests",
        Some("0"),
    )]);
    // Our own backoff would wait 30 s: finishing at once shows Retry-After: 0 was used.
    let patient = RemoteLimits {
        backoff_base: Duration::from_secs(30),
        backoff_max: Duration::from_secs(30),
        ..limits()
    };
    let started = Instant::now();
    let segments = engine_with(&fake, "", API_KEY, patient)
        .transcribe(&audio(), 0, 1, &CancellationToken::new())
        .await
        .expect("transcribed on the second try");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(segments.len(), 2);
    assert_eq!(fake.received().len(), 2);
}

#[tokio::test]
async fn server_errors_are_tried_three_times_then_reported() {
    let fake = FakeOpenAi::start().await;
    let boom = Reply::Error(500, "The server had an error", None);
    fake.script([boom.clone(), boom.clone(), boom]);
    let err = run(&engine(&fake)).await.expect_err("unavailable");
    assert!(
        matches!(
            err,
            Error::Transcription(TranscriptionError::Unavailable(_))
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), ErrorCode::TranscriptionUnavailable);
    assert_eq!(fake.received().len(), 3, "three tries, no more");
}

#[tokio::test]
async fn a_slow_service_times_out() {
    let fake = FakeOpenAi::start().await;
    fake.script([Reply::Slow(Duration::from_secs(10))]);
    let short = RemoteLimits {
        request_base: Duration::from_millis(300),
        request_per_audio_minute: Duration::ZERO,
        ..limits()
    };
    let started = Instant::now();
    let err = engine_with(&fake, "", API_KEY, short)
        .transcribe(&audio(), 0, 1, &CancellationToken::new())
        .await
        .expect_err("timed out");
    assert!(
        matches!(err, Error::Transcription(TranscriptionError::TimedOut)),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fake.received().len(), 1, "a timeout is not retried");
}

#[tokio::test]
async fn malformed_json_is_a_clear_error() {
    let fake = FakeOpenAi::start().await;
    fake.script([Reply::Malformed]);
    let err = run(&engine(&fake)).await.expect_err("bad answer");
    assert!(
        matches!(
            err,
            Error::Transcription(TranscriptionError::BadResponse(_))
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), ErrorCode::TranscriptionFailed);
    assert!(
        err.user_message().contains("could not understand"),
        "{}",
        err.user_message()
    );
}

#[tokio::test]
async fn cancel_stops_a_request_in_flight() {
    let fake = FakeOpenAi::start().await;
    fake.script([Reply::Slow(Duration::from_secs(10))]);
    let engine = engine(&fake);
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        trigger.cancel();
    });
    let started = Instant::now();
    let err = engine
        .transcribe(&audio(), 0, 1, &cancel)
        .await
        .expect_err("cancelled");
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );

    let err = engine
        .transcribe(&audio(), 0, 1, &cancel)
        .await
        .expect_err("cancelled");
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert_eq!(fake.received().len(), 1, "nothing is sent once cancelled");
}

#[tokio::test]
async fn other_refusals_show_the_services_words_only_when_safe() {
    let fake = FakeOpenAi::start().await;
    fake.script([Reply::Error(
        400,
        "Audio file is too short. Minimum audio length is 0.1 seconds.",
        None,
    )]);
    let err = run(&engine(&fake)).await.expect_err("rejected");
    assert_eq!(err.code(), ErrorCode::TranscriptionFailed);
    assert!(
        err.user_message().contains("HTTP 400"),
        "{}",
        err.user_message()
    );
    assert!(
        err.user_message().contains("Audio file is too short."),
        "{}",
        err.user_message()
    );

    // An echo of the key, or markup, is never passed on.
    let leaky: &'static str = Box::leak(format!("Bad request for key {API_KEY}").into_boxed_str());
    fake.script([
        Reply::Error(422, leaky, None),
        Reply::Error(400, "<html><body>nginx</body></html>", None),
    ]);
    for _ in 0..2 {
        let err = run(&engine(&fake)).await.expect_err("rejected");
        assert_no_key(&err, API_KEY);
        assert!(
            !err.user_message().contains("html"),
            "{}",
            err.user_message()
        );
        assert!(err.user_message().ends_with(")."), "{}", err.user_message());
    }
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let fake = FakeOpenAi::start().await;
    fake.script([Reply::Redirect]);
    let err = run(&engine(&fake)).await.expect_err("not followed");
    assert!(
        matches!(
            err,
            Error::Transcription(TranscriptionError::BadResponse(_))
        ),
        "{err:?}"
    );
    assert_eq!(
        fake.received().len(),
        1,
        "the redirect target never sees the key"
    );
}

#[tokio::test]
async fn long_audio_goes_up_in_pieces_on_one_timeline() {
    let fake = FakeOpenAi::start().await;
    let pieces = RemoteLimits {
        max_upload_samples: 16_000 * 2,
        ..limits()
    };
    let samples: Vec<i16> = audio().into_iter().chain(audio()).collect(); // 7 s
    let segments = engine_with(&fake, "", API_KEY, pieces)
        .transcribe(&samples, 0, 1, &CancellationToken::new())
        .await
        .expect("transcribed");
    let got = fake.received();
    assert!(got.len() >= 4, "{} pieces", got.len());
    let uploaded: f64 = got.iter().filter_map(|r| r.wav_seconds).sum();
    assert!(
        (uploaded - 7.0).abs() < 1e-9,
        "all audio uploaded once: {uploaded}"
    );
    assert!(got.iter().all(|r| r.wav_seconds.is_some_and(|s| s <= 2.0)));
    // Each piece's answer starts at 0 s, so later pieces must be shifted by their offset.
    let starts: Vec<u32> = segments
        .iter()
        .filter(|s| s.text == "Hello there.")
        .map(|s| s.start_ms)
        .collect();
    assert_eq!(starts.len(), got.len(), "one answer per piece");
    assert_eq!(starts[0], 0);
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    assert!(starts.last().is_some_and(|&s| s >= 4000), "{starts:?}");
    assert!(segments.iter().all(|s| s.speaker == Speaker::Mixed));
}
