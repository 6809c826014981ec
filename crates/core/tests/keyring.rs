//! The real OS keyring (Secret Service on Linux). `make test` runs this inside a private
//! D-Bus session with an unlocked GNOME keyring and sets CALLDECK_REQUIRE_KEYRING, so there
//! a missing keyring is a failure; a developer's bare `cargo test` without one skips it.

mod common;

use calldeck_core::secrets::{self, CredentialStore, KeyringStore, StoreKind};
use calldeck_core::twilio::{Secret, TwilioCredentials};

use common::signed_in;

const AC: &str = "AC0123456789abcdef0123456789abcdef";

fn keyring_required() -> bool {
    std::env::var_os("CALLDECK_REQUIRE_KEYRING").is_some()
}

#[test]
fn the_os_keyring_keeps_and_forgets_twilio_credentials() {
    let store = KeyringStore::new(&format!("keyring-test-{}", std::process::id()));
    if let Err(error) = store.load() {
        assert!(
            !keyring_required(),
            "the keyring must answer under scripts/with-keyring.sh: {error}"
        );
        eprintln!("no keyring service here; skipped (make test runs it with one)");
        return;
    }
    let creds = TwilioCredentials::auth_token(AC, Secret::new("tok-in-keyring")).expect("valid");
    store.save(&creds).expect("save to the keyring");
    let loaded = store
        .load()
        .expect("load")
        .expect("saved credentials come back");
    assert_eq!(
        loaded.public_summary(),
        creds.public_summary(),
        "the same account comes back"
    );
    assert_eq!(
        format!("{:?}", loaded.auth()),
        format!("{:?}", creds.auth()),
        "and the same (redacted) auth"
    );
    store.delete().expect("delete");
    assert!(
        store.load().expect("load").is_none(),
        "deleted credentials are gone from the keyring"
    );
}

#[tokio::test]
async fn the_keyring_is_chosen_over_the_file_when_a_service_answers() {
    if !keyring_required() {
        eprintln!("no keyring required here; skipped (make test runs it with one)");
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|keyring-choice").await;
    let store = secrets::open_store(&scope).await.expect("store");
    assert_eq!(
        store.kind(),
        StoreKind::Keyring,
        "with a Secret Service the OS keyring is used, not the file"
    );
    let stray: Vec<_> = walk(dir.path())
        .into_iter()
        .filter(|p| p.contains("twilio") || p.contains("credential"))
        .collect();
    assert!(
        stray.is_empty(),
        "no credentials file is written when the keyring works: {stray:?}"
    );
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}
