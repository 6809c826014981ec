//! AI analysis against a loopback OpenAI-compatible fake: the request it sends, retries,
//! timeouts, cancellation, and every way the answer can be unusable.

mod support;

use std::time::{Duration, Instant};

use calldeck_core::analysis::{
    analyse, response_schema, AiAnalysis, AnalysisError, ChatConfig, Sentiment,
    MAX_TRANSCRIPT_CHARS,
};
use calldeck_core::twilio::Secret;
use calldeck_core::{ApiError, Error, ErrorCode};
use serde_json::json;
use support::chat_fake::{good_analysis, FakeChat, Reply, API_KEY, MODEL};
use tokio_util::sync::CancellationToken;

const TRANSCRIPT: &str =
    "Agent: Thanks for calling, how can I help?\nCustomer: I was charged twice.";

fn config_for(base_url: &str, key: &str) -> ChatConfig {
    let mut config = ChatConfig::new(base_url, MODEL, Secret::new(key)).expect("config");
    config.request_timeout = Duration::from_secs(10);
    config.backoff_base = Duration::from_millis(1);
    config.backoff_max = Duration::from_millis(20);
    config
}

fn config(fake: &FakeChat) -> ChatConfig {
    config_for(&fake.base_url, API_KEY)
}

async fn run(fake: &FakeChat, transcript: &str) -> Result<AiAnalysis, Error> {
    analyse(&config(fake), transcript, &CancellationToken::new()).await
}

fn bad_output(result: Result<AiAnalysis, Error>) -> String {
    match result {
        Err(e @ Error::Analysis(AnalysisError::BadOutput(_))) => {
            assert_eq!(e.code(), ErrorCode::AnalysisBadOutput);
            e.to_string()
        }
        other => panic!("expected unusable output, got {other:?}"),
    }
}

#[tokio::test]
async fn a_good_answer_is_returned_and_the_request_is_a_strict_structured_one() {
    let fake = FakeChat::start(vec![]).await;
    let analysis = run(&fake, TRANSCRIPT).await.expect("analysis");
    assert_eq!(analysis.sentiment, Sentiment::Mixed);
    assert_eq!(analysis.topics, ["billing", "refund"]);
    assert_eq!(analysis.action_items.len(), 1);
    assert!(analysis.summary.contains("double charge"));

    let body = fake
        .last_body()
        .expect("a request passed the fake's checks");
    assert_eq!(body["model"], MODEL);
    assert_eq!(body["messages"][1]["content"], TRANSCRIPT);
    assert!(body["messages"][0]["content"]
        .as_str()
        .expect("prompt")
        .contains("call centre"));
    assert_eq!(
        body["response_format"]["json_schema"]["schema"],
        response_schema()
    );

    // The schema the model is held to and the type the UI receives must not drift apart.
    let validator = jsonschema::validator_for(&response_schema()).expect("schema compiles");
    let as_sent = serde_json::to_value(&analysis).expect("serialises");
    assert!(
        validator.is_valid(&as_sent),
        "{as_sent} does not meet the schema"
    );
    assert!(validator.is_valid(&good_analysis()));
    assert_eq!(as_sent["actionItems"], good_analysis()["actionItems"]);
}

#[tokio::test]
async fn v1_is_added_to_the_base_url_only_when_missing() {
    let fake = FakeChat::start(vec![]).await;
    for base in [
        fake.base_url.clone(),
        format!("{}/", fake.base_url),
        format!("{}/v1", fake.base_url),
        format!("{}/v1/", fake.base_url),
        format!("{}/v1/chat/completions", fake.base_url),
    ] {
        let config = config_for(&base, API_KEY);
        let result = analyse(&config, TRANSCRIPT, &CancellationToken::new()).await;
        assert!(result.is_ok(), "{base}: {result:?}");
    }
    let openai = ChatConfig::new("https://api.openai.com", "m", Secret::new("k")).expect("config");
    assert_eq!(
        openai.endpoint().expect("url").as_str(),
        "https://api.openai.com/v1/chat/completions"
    );
    let proxied = ChatConfig::new("https://gw.example/openai/v1/?x=1", "m", Secret::new("k"))
        .expect("config");
    assert_eq!(
        proxied.endpoint().expect("url").as_str(),
        "https://gw.example/openai/v1/chat/completions"
    );
}

#[tokio::test]
async fn a_refused_key_gives_a_clear_error_that_never_contains_the_key() {
    let fake = FakeChat::start(vec![]).await;
    let wrong = "sk-wrong-secret-key-that-must-not-leak";
    let err = analyse(
        &config_for(&fake.base_url, wrong),
        TRANSCRIPT,
        &CancellationToken::new(),
    )
    .await
    .expect_err("refused");
    assert!(
        matches!(err, Error::Analysis(AnalysisError::Unauthorized)),
        "{err:?}"
    );
    assert_eq!(err.code(), ErrorCode::AnalysisAuth);
    assert!(err.to_string().contains("refused the API key"));
    let config_debug = format!("{:?}", config_for(&fake.base_url, wrong));
    let api = serde_json::to_string(&ApiError::from(err)).expect("serialises");
    for text in [api.as_str(), config_debug.as_str()] {
        assert!(!text.contains(wrong), "the key leaked: {text}");
    }
    assert!(api.contains("refused the API key"), "{api}");
    assert_eq!(fake.requests(), 1, "a refused key is not retried");
}

#[tokio::test]
async fn rate_limiting_is_retried_honouring_retry_after() {
    let fake = FakeChat::start(vec![Reply::Status(429, Some("0"))]).await;
    run(&fake, TRANSCRIPT)
        .await
        .expect("succeeds on the second attempt");
    assert_eq!(fake.requests(), 2);

    let fake = FakeChat::start(vec![Reply::Status(429, Some("1"))]).await;
    let started = Instant::now();
    run(&fake, TRANSCRIPT)
        .await
        .expect("succeeds after waiting");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "Retry-After: 1 was not honoured"
    );
}

#[tokio::test]
async fn three_server_errors_in_a_row_give_up() {
    let script = vec![
        Reply::Status(500, None),
        Reply::Status(500, None),
        Reply::Status(500, None),
    ];
    let fake = FakeChat::start(script).await;
    let err = run(&fake, TRANSCRIPT).await.expect_err("gives up");
    assert!(
        matches!(
            err,
            Error::Analysis(AnalysisError::Unavailable { status: 500 })
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), ErrorCode::AnalysisUnavailable);
    assert_eq!(
        fake.requests(),
        3,
        "three attempts in all (a fourth would have succeeded)"
    );
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let fake = FakeChat::start(vec![Reply::Slow(Duration::from_secs(3))]).await;
    let mut config = config(&fake);
    config.request_timeout = Duration::from_millis(300);
    let started = Instant::now();
    let err = analyse(&config, TRANSCRIPT, &CancellationToken::new())
        .await
        .expect_err("times out");
    assert!(
        matches!(err, Error::Analysis(AnalysisError::Timeout)),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(err.user_message().contains("did not answer in time"));
}

#[tokio::test]
async fn cancelling_stops_a_request_in_flight_and_before_it_starts() {
    let fake = FakeChat::start(vec![Reply::Slow(Duration::from_secs(10))]).await;
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        trigger.cancel();
    });
    let started = Instant::now();
    let err = analyse(&config(&fake), TRANSCRIPT, &cancel)
        .await
        .expect_err("cancelled");
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert_eq!(err.code(), ErrorCode::Cancelled);
    assert!(started.elapsed() < Duration::from_secs(2));

    let fake = FakeChat::start(vec![]).await;
    let err = analyse(&config(&fake), TRANSCRIPT, &cancel)
        .await
        .expect_err("cancelled");
    assert!(matches!(err, Error::Cancelled));
    assert_eq!(fake.requests(), 0);
}

#[tokio::test]
async fn content_that_is_not_json_is_refused() {
    let fake = FakeChat::start(vec![Reply::Content("Sure! The customer was upset.".into())]).await;
    bad_output(run(&fake, TRANSCRIPT).await);
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_refused() {
    let wrong = json!({ "summary": 5, "sentiment": "neutral", "topics": "billing" });
    let fake = FakeChat::start(vec![Reply::Content(wrong.to_string())]).await;
    assert!(bad_output(run(&fake, TRANSCRIPT).await).contains("wrong shape"));
    let array = json!([good_analysis()]);
    let fake = FakeChat::start(vec![Reply::Content(array.to_string())]).await;
    bad_output(run(&fake, TRANSCRIPT).await);
}

#[tokio::test]
async fn a_sentiment_outside_the_enum_is_refused() {
    let mut answer = good_analysis();
    answer["sentiment"] = json!("furious");
    let fake = FakeChat::start(vec![Reply::Content(answer.to_string())]).await;
    assert!(bad_output(run(&fake, TRANSCRIPT).await).contains("sentiment"));
}

#[tokio::test]
async fn a_refusal_is_a_clear_error() {
    let fake = FakeChat::start(vec![Reply::Refusal("I can't help with that.".into())]).await;
    let err = run(&fake, TRANSCRIPT).await.expect_err("refused");
    assert!(
        matches!(err, Error::Analysis(AnalysisError::Refused)),
        "{err:?}"
    );
    assert_eq!(err.code(), ErrorCode::AnalysisBadOutput);
}

#[tokio::test]
async fn overlong_answers_are_trimmed_and_fenced_json_is_accepted() {
    let mut answer = good_analysis();
    answer["summary"] = json!("word ".repeat(800));
    answer["topics"] = json!((0..30)
        .map(|i| format!("topic {i} {}", "x".repeat(400)))
        .collect::<Vec<_>>());
    answer["actionItems"] = json!(["  ", "Call back tomorrow."]);
    let fenced = format!("```json\n{answer}\n```");
    let fake = FakeChat::start(vec![Reply::Content(fenced)]).await;
    let analysis = run(&fake, TRANSCRIPT).await.expect("trimmed, not refused");
    assert!(analysis.summary.chars().count() <= 2000);
    assert!(analysis.summary.ends_with('…'));
    assert_eq!(analysis.topics.len(), 20);
    assert!(analysis.topics.iter().all(|t| t.chars().count() <= 300));
    assert_eq!(
        analysis.action_items,
        ["Call back tomorrow."],
        "blank items are dropped"
    );
}

#[tokio::test]
async fn very_long_transcripts_keep_their_beginning_and_end() {
    let fake = FakeChat::start(vec![]).await;
    let transcript = format!("OPENING-LINE {} CLOSING-LINE", "é blah ".repeat(40_000));
    run(&fake, &transcript).await.expect("analysis");
    let body = fake.last_body().expect("request");
    let sent = body["messages"][1]["content"].as_str().expect("text");
    assert!(
        sent.chars().count() <= MAX_TRANSCRIPT_CHARS + 100,
        "{}",
        sent.len()
    );
    assert!(sent.starts_with("OPENING-LINE") && sent.ends_with("CLOSING-LINE"));
    assert!(sent.contains("left out"));
}

#[tokio::test]
async fn redirects_are_not_followed_and_other_statuses_are_clear() {
    let fake = FakeChat::start(vec![Reply::Redirect]).await;
    let err = run(&fake, TRANSCRIPT).await.expect_err("not followed");
    assert!(
        matches!(
            err,
            Error::Analysis(AnalysisError::UnexpectedStatus { status: 307 })
        ),
        "{err:?}"
    );
    assert_eq!(fake.requests(), 1);

    let fake = FakeChat::start(vec![]).await;
    let mut config = config(&fake);
    config.model = "no-such-model".into();
    let err = analyse(&config, TRANSCRIPT, &CancellationToken::new())
        .await
        .expect_err("404");
    assert!(
        matches!(
            err,
            Error::Analysis(AnalysisError::UnexpectedStatus { status: 404 })
        ),
        "{err:?}"
    );
    assert!(err.user_message().contains("model name"));
}

#[tokio::test]
async fn unusable_settings_and_empty_transcripts_are_refused_before_asking() {
    for (base, model) in [
        ("http://api.example.com", MODEL),
        ("ftp://127.0.0.1", MODEL),
        ("https://user:pw@api.example.com", MODEL),
        ("not a url", MODEL),
        ("https://api.example.com", "  "),
    ] {
        let err = ChatConfig::new(base, model, Secret::new(API_KEY)).expect_err(base);
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{base}");
    }
    ChatConfig::new("http://localhost:11434/v1", "llama3", Secret::new("")).expect("local server");

    let fake = FakeChat::start(vec![]).await;
    let err = run(&fake, " \n ").await.expect_err("empty");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(fake.requests(), 0);
}
