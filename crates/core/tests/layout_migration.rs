//! A data folder written by the layout before accounts were keyed by their issuer (the
//! fixture in `fixtures/legacy_layout`, made by that code) is moved to today's layout on the
//! first start with nothing lost: library, audio, notes, transcripts, sync settings and the
//! Twilio connection, the sign-in token, the accounts list and the last session.

mod common;

use std::path::Path;

use calldeck_core::auth::{Auth, AuthSettings};
use calldeck_core::library::{
    count_recordings, get_recording, list_notes, list_recordings, ListRecordingsRequest,
    RecordingFilter,
};
use calldeck_core::secrets::{self, KeyringSlot, SecretSlot};
use calldeck_core::session::{AccountId, VerifiedIdentity};
use calldeck_core::transcripts::get_transcript;
use calldeck_core::Workspace;

const ALICE_LEGACY_KEY: &str = "2bd806c97f0e00af1a1fc3328fa763a9";
const DEMO_LEGACY_KEY: &str = "6664a7f7f283eb9ea3f0b478d0d62322";
const FIRST: &str = "RE00000000000000000000000000000001";

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else if entry.file_name() != "README.md" {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_folder_of_the_old_layout_opens_under_the_new_keys_with_nothing_lost() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legacy_layout"),
        data,
    );
    // The settings alice signed in through (the tests' identity provider).
    calldeck_core::auth::settings::save(
        data,
        AuthSettings {
            domain: "https://tests.calldeck.invalid/".into(),
            client_id: "tests".into(),
            audience: None,
            callback_ports: Vec::new(),
            offline_days: None,
        },
    )
    .await
    .expect("settings");
    // Secrets a keyring kept under the old names, where one answers.
    let keyring = KeyringSlot::new("auth0-refresh", ALICE_LEGACY_KEY).service_answers();
    assert!(
        keyring || std::env::var_os("CALLDECK_REQUIRE_KEYRING").is_none(),
        "make test runs this with a keyring"
    );
    if keyring {
        KeyringSlot::new("auth0-refresh", ALICE_LEGACY_KEY)
            .save("legacy-refresh-token")
            .expect("plant");
        KeyringSlot::new("openai", DEMO_LEGACY_KEY)
            .save("legacy-ai-key")
            .expect("plant");
    }

    let auth = Auth::new(data).expect("auth");
    auth.upgrade_layout().await.expect("upgrade");
    auth.upgrade_layout()
        .await
        .expect("a second run changes nothing");

    let alice = AccountId::oidc("https://tests.calldeck.invalid/", "tests", "alice");
    assert!(!data.join("users").join(ALICE_LEGACY_KEY).exists());
    assert!(!data.join("users").join(DEMO_LEGACY_KEY).exists());
    let accounts = auth.accounts(&Workspace::new(data)).await;
    assert_eq!(accounts.len(), 1, "alice is still listed");
    assert_eq!(accounts[0].key, alice.key());
    assert_eq!(accounts[0].name, "Alice Legacy");
    assert!(accounts[0].has_session, "and still has her session");
    let last = Workspace::new(data)
        .last_session()
        .await
        .expect("last session");
    assert_eq!(
        last.account,
        alice.key(),
        "the last session names her new key"
    );

    let ws = Workspace::new(data);
    let scope = ws
        .sign_in(VerifiedIdentity::for_tests("alice"), 0)
        .await
        .expect("open alice");
    assert_eq!(scope.user_id(), alice.key());
    assert_eq!(
        count_recordings(&scope, &RecordingFilter::default())
            .await
            .expect("count"),
        2,
        "her recordings are there"
    );
    let details = get_recording(&scope, FIRST).await.expect("details");
    assert!(details.summary.available_offline, "her audio is there");
    assert_eq!(details.tags, vec!["kept".to_owned()]);
    let notes = list_notes(&scope, FIRST).await.expect("notes");
    assert_eq!(notes.len(), 1, "her note is there");
    let transcript = get_transcript(&scope, FIRST)
        .await
        .expect("transcript")
        .expect("her transcript is there");
    assert_eq!(transcript.segments[0].text, "hello from the legacy layout");
    let found = list_recordings(
        &scope,
        &ListRecordingsRequest {
            filter: RecordingFilter {
                search: Some("legacy layout".into()),
                ..RecordingFilter::default()
            },
            ..ListRecordingsRequest::default()
        },
    )
    .await
    .expect("word search");
    assert_eq!(found.total, 1, "the word index follows the new key");
    let stats = calldeck_core::library::recording_stats(&scope)
        .await
        .expect("stats");
    assert_eq!(stats.total, 2, "the totals follow the new key");
    let store = secrets::open_store(&scope).await.expect("store");
    let creds = secrets::load(&store)
        .await
        .expect("load")
        .expect("her Twilio connection is there");
    assert_eq!(creds.account_sid(), "AC0123456789abcdef0123456789abcdef");
    if keyring {
        let slot = secrets::open_slot(
            secrets::REFRESH_TOKEN,
            scope.user_id(),
            scope.paths().root(),
        )
        .await
        .expect("slot");
        assert_eq!(
            slot.load().expect("load").as_deref(),
            Some("legacy-refresh-token"),
            "her sign-in token moved with her, into the place her secrets live"
        );
        assert!(
            KeyringSlot::new("auth0-refresh", ALICE_LEGACY_KEY)
                .load()
                .expect("keyring")
                .is_none(),
            "nothing is left under the old name"
        );
    }

    let demo = calldeck_core::demo::open(&ws, 0).await.expect("demo");
    assert_eq!(
        count_recordings(&demo, &RecordingFilter::default())
            .await
            .expect("count"),
        calldeck_core::demo::DEMO_RECORDING_COUNT as u32,
        "the demo library moved rather than being seeded again"
    );
    let edited = list_recordings(&demo, &ListRecordingsRequest::default())
        .await
        .expect("list");
    let first = get_recording(&demo, &edited.items[0].id)
        .await
        .expect("details");
    assert_eq!(first.notes.as_deref(), Some("demo note kept"));
    if keyring {
        let slot = secrets::open_slot(secrets::AI_KEY, demo.user_id(), demo.paths().root())
            .await
            .expect("slot");
        assert_eq!(slot.load().expect("load").as_deref(), Some("legacy-ai-key"));
        slot.delete().expect("clean up the test keyring");
    }
}
