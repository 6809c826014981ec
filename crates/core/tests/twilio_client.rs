//! The Twilio client against the loopback fake, whose answers are checked against Twilio's
//! official OpenAPI spec first, so the fake cannot drift from the real shapes.

mod support;

use std::sync::atomic::Ordering;
use std::time::Instant;

use calldeck_core::twilio::wire::Field;
use calldeck_core::twilio::{Request, Secret, TwilioClient, TwilioCredentials, TwilioError};
use calldeck_core::ErrorCode;
use support::twilio_fake::{
    generate, FakeTwilio, ACCOUNT_SID, API_KEY_SECRET, API_KEY_SID, AUTH_TOKEN,
};
use support::{client, config, spec};

const NEWEST_MS: i64 = 1_795_176_000_000;

#[tokio::test]
async fn the_fakes_list_answers_meet_twilios_official_schema() {
    let spec_json = spec::load_spec();
    let fake = FakeTwilio::start(generate(7, NEWEST_MS, 3_600_000)).await;
    for (path, resource, component) in [
        (
            "/2010-04-01/Accounts/{AccountSid}/Recordings.json",
            "Recordings.json",
            "api.v2010.account.recording",
        ),
        (
            "/2010-04-01/Accounts/{AccountSid}/Calls.json",
            "Calls.json",
            "api.v2010.account.call",
        ),
    ] {
        let schema = spec::response_schema(&spec_json, path);
        let key = if resource == "Calls.json" {
            "calls"
        } else {
            "recordings"
        };
        for query in [
            "?PageSize=3",
            "?PageSize=3&Page=1&PageToken=PA3",
            "?PageSize=1000",
        ] {
            let body = fake
                .raw_get(&format!(
                    "/2010-04-01/Accounts/{ACCOUNT_SID}/{resource}{query}"
                ))
                .await;
            let errors = spec::violations(&schema, &body);
            assert!(
                errors.is_empty(),
                "{resource}{query} drifts from the spec: {errors:#?}"
            );
            let items = body[key].as_array().expect("items");
            assert!(!items.is_empty(), "the page must hold items to validate");
            for field in spec::rfc2822_fields(&spec_json, component) {
                for item in items {
                    if let Some(date) = item[&field].as_str() {
                        assert!(
                            chrono::DateTime::parse_from_rfc2822(date).is_ok(),
                            "{field} = {date:?} is not RFC 2822"
                        );
                    }
                }
            }
        }
        // A schema that cannot fail proves nothing: an unknown field must be caught.
        let mut bad = fake
            .raw_get(&format!(
                "/2010-04-01/Accounts/{ACCOUNT_SID}/{resource}?PageSize=1"
            ))
            .await;
        bad[key][0]["not_in_the_spec"] = serde_json::json!(1);
        assert!(
            !spec::violations(&schema, &bad).is_empty(),
            "the validator must reject unknown fields"
        );
    }
}

#[tokio::test]
async fn lists_every_page_through_relative_next_page_links() {
    let fake = FakeTwilio::start(generate(25, NEWEST_MS, 60_000)).await;
    let all = client(&fake.base_url)
        .list_recordings(None, 10)
        .await
        .expect("list");
    assert_eq!(
        all.len(),
        25,
        "three pages of 10, 10 and 5 hold every recording"
    );
    assert_eq!(
        fake.state.recording_list_requests.load(Ordering::SeqCst),
        3,
        "one request per page"
    );
    let mut sids: Vec<_> = all.iter().filter_map(|r| r.sid.value().cloned()).collect();
    sids.sort();
    sids.dedup();
    assert_eq!(sids.len(), 25, "no recording is listed twice across pages");
    let queries = fake.state.list_queries.lock().expect("lock").clone();
    assert!(
        queries[1].contains("PageToken=PA10"),
        "page two follows the token: {queries:?}"
    );
}

#[tokio::test]
async fn page_size_is_capped_at_twilios_maximum() {
    let fake = FakeTwilio::start(generate(3, NEWEST_MS, 60_000)).await;
    let c = client(&fake.base_url);
    let url = c.recordings_url(None, 50_000);
    assert!(url.query().unwrap_or("").contains("PageSize=1000"), "{url}");
}

#[tokio::test]
async fn wrong_credentials_are_refused_with_a_clear_message() {
    let fake = FakeTwilio::start(generate(1, NEWEST_MS, 60_000)).await;
    let creds = TwilioCredentials::auth_token(ACCOUNT_SID, Secret::new("wrong-token-value"))
        .expect("shape ok");
    let c = TwilioClient::new(creds, config(&fake.base_url)).expect("client");
    let err = c.verify_credentials().await.expect_err("refused");
    assert_eq!(err, TwilioError::Unauthorized(Request::Account));
    let app_err = calldeck_core::Error::from(err);
    assert_eq!(
        app_err.code(),
        ErrorCode::TwilioAuth,
        "the UI can tell refused credentials apart"
    );
    let message = app_err.user_message();
    assert!(message.contains("credentials"), "{message}");
    assert!(
        !message.contains("wrong-token-value"),
        "the secret never appears in a message"
    );
    client(&fake.base_url)
        .verify_credentials()
        .await
        .expect("the right ones are accepted");
}

#[tokio::test]
async fn rate_limits_are_retried_honouring_retry_after() {
    let fake = FakeTwilio::start(generate(5, NEWEST_MS, 60_000)).await;
    fake.state.burst_429.store(2, Ordering::SeqCst);
    *fake.state.retry_after.lock().expect("lock") = "1".into();
    let started = Instant::now();
    let all = client(&fake.base_url)
        .list_recordings(None, 50)
        .await
        .expect("list after 429s");
    assert_eq!(all.len(), 5);
    assert!(
        started.elapsed().as_millis() >= 1_900,
        "two Retry-After: 1 answers must make the client wait ~2 s, waited {:?}",
        started.elapsed()
    );
    assert_eq!(
        fake.state.api_requests.load(Ordering::SeqCst),
        3,
        "two 429s then the page"
    );
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let fake = FakeTwilio::start(generate(5, NEWEST_MS, 60_000)).await;
    fake.state.burst_503.store(2, Ordering::SeqCst);
    assert_eq!(
        client(&fake.base_url)
            .list_recordings(None, 50)
            .await
            .expect("retried")
            .len(),
        5
    );
    fake.state.burst_503.store(100, Ordering::SeqCst);
    let err = client(&fake.base_url)
        .list_recordings(None, 50)
        .await
        .expect_err("gives up");
    assert_eq!(
        err,
        TwilioError::Unavailable { status: 503 },
        "after the retries it says so"
    );
}

#[tokio::test]
async fn media_redirects_to_another_host_never_carry_credentials() {
    let fake = FakeTwilio::start(generate(2, NEWEST_MS, 60_000)).await;
    fake.state.redirect_media.store(true, Ordering::SeqCst);
    let dir = tempfile::tempdir().expect("dir");
    let dest = dir.path().join("a.mp3");
    let sid = calldeck_core::ids::RecordingSid::parse(&support::twilio_fake::recording_sid(1))
        .expect("sid");
    let mut out = tokio::fs::File::create(&dest).await.expect("create");
    let bytes = client(&fake.base_url)
        .download_media(&sid, 1, &mut out)
        .await
        .expect("download");
    drop(out);
    assert_eq!(bytes, 4096);
    assert_eq!(
        std::fs::read(&dest).expect("read"),
        support::twilio_fake::media_bytes(sid.as_str(), 4096),
        "the bytes are the second host's"
    );
    assert_eq!(
        fake.state.media_host_requests.load(Ordering::SeqCst),
        1,
        "the redirect was followed"
    );
    assert_eq!(
        fake.state.media_host_auth_seen.load(Ordering::SeqCst),
        0,
        "the Authorization header must never reach another host"
    );
}

#[tokio::test]
async fn page_links_to_another_host_are_refused() {
    let fake = FakeTwilio::start(generate(2, NEWEST_MS, 60_000)).await;
    let c = client(&fake.base_url);
    for link in [
        "https://evil.example/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings.json",
        "//evil.example/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings.json",
        "/2010-04-01/Accounts/ACffffffffffffffffffffffffffffffff/Recordings.json",
    ] {
        assert_eq!(c.resolve_page_link(link).expect_err(link), TwilioError::ForeignLink, "{link}");
    }
    let ok = c
        .resolve_page_link(
            "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings.json?PageToken=PA1",
        )
        .expect("relative links resolve against the base");
    assert!(ok.as_str().starts_with(&fake.base_url), "{ok}");
}

#[tokio::test]
async fn hostile_and_malformed_bodies_give_a_clear_error_not_a_panic() {
    let fake = FakeTwilio::start(generate(2, NEWEST_MS, 60_000)).await;
    let c = client(&fake.base_url);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for body in [
        "",
        "{",
        "{\"recordings\": [{\"sid\": \"RE0",
        "not json at all",
        "[]",
        "{\"recordings\": \"nope\"}",
        "{\"recordings\": [{\"sid\": 1}], \"next_page_uri\": 7}",
        deep.as_str(),
        "\u{0}\u{1}\u{2}",
    ] {
        *fake.state.hostile_body.lock().expect("lock") = Some(body.to_owned());
        let err = c.list_recordings(None, 50).await.expect_err("refused");
        assert!(
            matches!(err, TwilioError::BadResponse(_)),
            "{body:.40}: {err:?}"
        );
        let message = calldeck_core::Error::from(err).user_message();
        assert!(message.contains("could not use"), "{message}");
    }
    // One odd record never fails its page: a wrongly typed field is unknown, an entry
    // that is not an object is a record with nothing in it, repeated keys take the last.
    *fake.state.hostile_body.lock().expect("lock") = Some(
        "{\"recordings\": [{\"channels\": \"two\", \"sid\": \"x\", \"sid\": \"RE1\"}, {\"duration\": 12}, \"nope\", [1, [2]], {\"status\": {\"a\": [1]}}]}"
            .into(),
    );
    let odd = c
        .list_recordings(None, 50)
        .await
        .expect("odd records are data");
    assert_eq!(odd.len(), 5);
    assert_eq!(odd[0].channels, Field::WrongType);
    assert_eq!(
        odd[0].sid,
        Field::Value("RE1".into()),
        "the last repeated key wins"
    );
    assert_eq!(odd[0].wrong_types(), vec!["channels"]);
    assert_eq!(odd[1].wrong_types(), vec!["duration"]);
    assert!(odd[2].not_an_object && odd[3].not_an_object);
    assert_eq!(odd[4].wrong_types(), vec!["status"]);
    // Nulls everywhere are fine: every field is optional.
    *fake.state.hostile_body.lock().expect("lock") =
        Some("{\"recordings\": [{\"sid\": null, \"duration\": null, \"status\": null}], \"next_page_uri\": null}".into());
    assert_eq!(
        c.list_recordings(None, 50)
            .await
            .expect("nulls are valid")
            .len(),
        1
    );
}

#[tokio::test]
async fn fetch_and_delete_one_recording() {
    let fake = FakeTwilio::start(generate(3, NEWEST_MS, 60_000)).await;
    let c = client(&fake.base_url);
    let sid = calldeck_core::ids::RecordingSid::parse(&support::twilio_fake::recording_sid(2))
        .expect("sid");
    let one = c.fetch_recording(&sid).await.expect("fetch");
    assert_eq!(one.sid.value().map(String::as_str), Some(sid.as_str()));
    c.delete_recording(&sid).await.expect("delete");
    assert_eq!(
        c.fetch_recording(&sid).await.expect_err("gone"),
        TwilioError::NotFound(Request::Recording)
    );
    c.delete_recording(&sid)
        .await
        .expect("deleting twice is not an error");
}

#[tokio::test]
async fn each_error_says_what_went_wrong_with_the_request_that_got_it() {
    let fake = FakeTwilio::start(generate(2, NEWEST_MS, 60_000)).await;
    let message = |e: TwilioError| calldeck_core::Error::from(e).user_message();

    // An API key works for its own account only: with another Account SID the
    // credentials check answers 404. That is a wrong account, not a missing recording.
    let other = "ACffffffffffffffffffffffffffffffff";
    let creds = TwilioCredentials::api_key(other, API_KEY_SID, Secret::new(API_KEY_SECRET))
        .expect("shape ok");
    let wrong_account = TwilioClient::new(creds, config(&fake.base_url)).expect("client");
    let err = wrong_account
        .verify_credentials()
        .await
        .expect_err("no such account");
    let app_err = calldeck_core::Error::from(err);
    let text = app_err.user_message();
    assert!(
        text.contains("Account SID") && !text.contains("recording"),
        "the credentials check names the account: {text}"
    );
    assert_eq!(
        app_err.code(),
        ErrorCode::TwilioAuth,
        "the settings form shows it as credentials to fix"
    );
    let text = message(
        wrong_account
            .list_recordings(None, 50)
            .await
            .expect_err("no such account"),
    );
    assert!(
        text.contains("Account SID") && !text.contains("no such recording"),
        "listing an account Twilio does not have names the account: {text}"
    );
    let key_for_right_account =
        TwilioCredentials::api_key(ACCOUNT_SID, API_KEY_SID, Secret::new(API_KEY_SECRET))
            .expect("shape ok");
    TwilioClient::new(key_for_right_account, config(&fake.base_url))
        .expect("client")
        .verify_credentials()
        .await
        .expect("the key is accepted for its own account");

    // A recording Twilio does not have: its details and its audio.
    let c = client(&fake.base_url);
    let missing = calldeck_core::ids::RecordingSid::parse(&support::twilio_fake::recording_sid(99))
        .expect("sid");
    let text = message(c.fetch_recording(&missing).await.expect_err("missing"));
    assert!(text.contains("no such recording"), "{text}");
    let mut sink = Vec::new();
    let text = message(
        c.download_media(&missing, 1, &mut sink)
            .await
            .expect_err("missing"),
    );
    assert!(text.contains("no such recording"), "{text}");

    // Refused credentials: on connecting, "these"; later (a sync), the saved ones.
    let creds =
        TwilioCredentials::auth_token(ACCOUNT_SID, Secret::new("changed-since")).expect("shape ok");
    let refused = TwilioClient::new(creds, config(&fake.base_url)).expect("client");
    let text = message(refused.verify_credentials().await.expect_err("refused"));
    assert!(text.contains("these credentials"), "{text}");
    let text = message(
        refused
            .list_recordings(None, 50)
            .await
            .expect_err("refused"),
    );
    assert!(
        text.contains("saved") && text.contains("Settings"),
        "a sync refused later says to reconnect: {text}"
    );
}

#[tokio::test]
async fn a_failed_redirect_says_nothing_of_its_signed_url() {
    let fake = FakeTwilio::start(generate(1, NEWEST_MS, 60_000)).await;
    fake.state.redirect_media.store(true, Ordering::SeqCst);
    // Bound, then closed: the pre-signed host cannot be reached.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    *fake.state.media_host.lock().expect("lock") = format!("http://127.0.0.1:{port}");
    let sid = calldeck_core::ids::RecordingSid::parse(&support::twilio_fake::recording_sid(1))
        .expect("sid");
    let err = client(&fake.base_url)
        .download_media(&sid, 1, &mut tokio::io::sink())
        .await
        .expect_err("unreachable");
    assert!(matches!(err, TwilioError::Network(_)), "{err:?}");
    for shown in [err.to_string(), format!("{err:?}"), err.user_message()] {
        for secret in ["Signature", "Expires", &port.to_string(), AUTH_TOKEN] {
            assert!(!shown.contains(secret), "{secret:?} leaked into {shown:?}");
        }
    }
}
