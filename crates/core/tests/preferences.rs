//! Preferences files: saved whole or not at all, owner-only, one per user in their own
//! folder; a file that does not parse at start is kept aside, the defaults used, and the
//! person told.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use calldeck_core::library::SortBy;
use calldeck_core::prefs::{
    Density, KeyValue, MemoryStore, OpenStore, Preferences, Theme, UserPrefs, View, APP_FILE,
    USER_FILE,
};
use calldeck_core::{Error, UserScope, Workspace};
use common::{signed_in, NOW_MS};

fn memory() -> OpenStore {
    Arc::new(|_: &Path| Arc::new(MemoryStore::default()) as Arc<dyn KeyValue>)
}

fn user_file(scope: &UserScope) -> PathBuf {
    scope.paths().root().join(USER_FILE)
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn changed() -> UserPrefs {
    UserPrefs {
        volume_percent: 40,
        muted: true,
        speed_percent: 150,
        sort_by: SortBy::Duration,
        view: View::Stats,
        density: Density::Compact,
        theme: Theme::Dark,
        details_width: 500,
        ..UserPrefs::default()
    }
}

#[tokio::test]
async fn a_saved_change_is_read_back_by_the_next_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|ada").await;
    let prefs = Preferences::new(dir.path(), memory());
    let first = prefs.read(Some(&scope), NOW_MS).await;
    assert_eq!(first.user, Some(UserPrefs::default()), "no file: defaults");
    assert!(first.notices.is_empty(), "no file is nothing to report");
    let token = first.token.expect("a signed-in reading has a token");
    prefs
        .save(&scope, &token, changed(), NOW_MS)
        .await
        .expect("save");

    // The next start: a new process, nothing in memory.
    let restarted = Preferences::new(dir.path(), memory());
    let view = restarted.read(Some(&scope), NOW_MS).await;
    assert_eq!(view.user, Some(changed()), "every field comes back");
    assert_eq!(
        view.app.theme,
        Theme::Dark,
        "the theme is also the computer's"
    );
    let before_sign_in = Preferences::new(dir.path(), memory())
        .read(None, NOW_MS)
        .await;
    assert_eq!(
        before_sign_in.app.theme,
        Theme::Dark,
        "before anyone signs in, the window looks as the last person left it"
    );
    assert_eq!(before_sign_in.user, None);
}

#[tokio::test]
async fn a_save_replaces_the_file_whole_and_only_its_owner_can_read_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|ada").await;
    let prefs = Preferences::new(dir.path(), memory());
    let token = prefs.read(Some(&scope), NOW_MS).await.token.expect("token");
    prefs
        .save(&scope, &token, UserPrefs::default(), NOW_MS)
        .await
        .expect("first save");
    let file = user_file(&scope);
    let old = std::fs::read(&file).expect("saved");
    // A second name for the saved file: a save that wrote into the file in place (as a
    // plain fs::write does, and a crash then leaves half-written) would change it too.
    let witness = dir.path().join("witness");
    std::fs::hard_link(&file, &witness).expect("link");

    prefs
        .save(&scope, &token, changed(), NOW_MS)
        .await
        .expect("second save");
    assert_eq!(
        std::fs::read(&witness).expect("witness"),
        old,
        "the old file was never written into: the new one was renamed over it"
    );
    let new: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("whole JSON");
    assert_eq!(new["volumePercent"], serde_json::json!(40));
    let folder = scope.paths().root();
    assert!(
        !names_in(folder).iter().any(|n| n.contains(".partial")),
        "no temporary file is left: {:?}",
        names_in(folder)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "preferences are their owner's alone");
    }
}

/// What a crash during the plugin's plain write leaves: the start of the file, or zeros.
async fn a_broken_file_gives_defaults_a_notice_and_is_kept(broken: Vec<u8>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|ada").await;
    std::fs::write(user_file(&scope), &broken).expect("plant");

    let prefs = Preferences::new(dir.path(), memory());
    let view = prefs.read(Some(&scope), NOW_MS).await;
    assert_eq!(
        view.user,
        Some(UserPrefs::default()),
        "the defaults are used"
    );
    assert_eq!(
        view.notices.len(),
        1,
        "the person is told: {:?}",
        view.notices
    );
    assert!(
        view.notices[0].contains("could not be read"),
        "{:?}",
        view.notices
    );
    let aside = scope
        .paths()
        .root()
        .join(format!("{USER_FILE}.corrupt-{NOW_MS}"));
    assert_eq!(
        std::fs::read(&aside).expect("the broken file is kept aside"),
        broken,
        "kept as it was found"
    );
    assert!(
        !user_file(&scope).exists(),
        "the broken file no longer stands in the way"
    );
    assert!(
        prefs.read(Some(&scope), NOW_MS).await.notices.is_empty(),
        "the notice is given once"
    );

    // The next save writes a good file and the app starts clean from it.
    let token = prefs.read(Some(&scope), NOW_MS).await.token.expect("token");
    prefs
        .save(&scope, &token, changed(), NOW_MS)
        .await
        .expect("save");
    let next = Preferences::new(dir.path(), memory())
        .read(Some(&scope), NOW_MS)
        .await;
    assert_eq!(next.user, Some(changed()));
    assert!(next.notices.is_empty());
}

#[tokio::test]
async fn a_truncated_file_gives_defaults_a_notice_and_is_kept_aside() {
    let whole = serde_json::to_vec_pretty(&changed()).expect("json");
    a_broken_file_gives_defaults_a_notice_and_is_kept(whole[..whole.len() / 2].to_vec()).await;
}

#[tokio::test]
async fn a_nul_filled_file_gives_defaults_a_notice_and_is_kept_aside() {
    a_broken_file_gives_defaults_a_notice_and_is_kept(vec![0u8; 4096]).await;
}

#[tokio::test]
async fn an_empty_file_gives_defaults_a_notice_and_is_kept_aside() {
    a_broken_file_gives_defaults_a_notice_and_is_kept(Vec::new()).await;
}

#[tokio::test]
async fn a_broken_computer_file_gives_defaults_and_a_notice_before_sign_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(APP_FILE), vec![0u8; 512]).expect("plant");
    let view = Preferences::new(dir.path(), memory())
        .read(None, NOW_MS)
        .await;
    assert_eq!(view.app.theme, Theme::System);
    assert_eq!(view.notices.len(), 1, "{:?}", view.notices);
    assert!(dir
        .path()
        .join(format!("{APP_FILE}.corrupt-{NOW_MS}"))
        .exists());
}

#[tokio::test]
async fn each_person_gets_their_own_preferences() {
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = Workspace::new(dir.path());
    let prefs = Preferences::new(dir.path(), memory());
    let ada = workspace
        .sign_in(
            calldeck_core::session::VerifiedIdentity::for_tests("auth0|ada"),
            NOW_MS,
        )
        .await
        .expect("ada");
    let token = prefs.read(Some(&ada), NOW_MS).await.token.expect("token");
    prefs
        .save(&ada, &token, changed(), NOW_MS)
        .await
        .expect("save");

    let bob = workspace
        .sign_in(
            calldeck_core::session::VerifiedIdentity::for_tests("auth0|bob"),
            NOW_MS,
        )
        .await
        .expect("bob");
    let bobs = prefs.read(Some(&bob), NOW_MS).await;
    assert_eq!(
        bobs.user,
        Some(UserPrefs::default()),
        "Bob never sees Ada's choices"
    );
    assert_eq!(
        bobs.app.theme,
        Theme::System,
        "the window takes Bob's theme"
    );

    // A save the window sent for Ada, arriving after the switch, is refused.
    let late = prefs.save(&bob, &token, changed(), NOW_MS).await;
    assert!(matches!(late, Err(Error::NotSignedIn)), "{late:?}");
    assert_eq!(
        Preferences::new(dir.path(), memory())
            .read(Some(&bob), NOW_MS)
            .await
            .user,
        Some(UserPrefs::default()),
        "Bob's preferences are untouched"
    );

    let back = workspace
        .sign_in(
            calldeck_core::session::VerifiedIdentity::for_tests("auth0|ada"),
            NOW_MS,
        )
        .await
        .expect("ada again");
    assert_eq!(
        prefs.read(Some(&back), NOW_MS).await.user,
        Some(changed()),
        "switching back brings Ada's back"
    );
}
