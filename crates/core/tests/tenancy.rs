//! Each user sees only their own library; another user's recording looks exactly like a
//! missing one.

mod common;

use calldeck_core::demo;
use calldeck_core::library::{get_recording, list_recordings, ListRecordingsRequest};
use calldeck_core::{Error, Workspace};
use common::{signed_in, NOW_MS};

#[tokio::test]
async fn another_users_recordings_are_invisible_and_answer_not_found() {
    let dir = tempfile::tempdir().expect("temp dir");
    let demo_ws = Workspace::new(dir.path());
    let demo_scope = demo::open(&demo_ws, NOW_MS).await.expect("open demo");
    let demo_page = list_recordings(&demo_scope, &ListRecordingsRequest::default())
        .await
        .expect("list");
    let foreign_id = demo_page.items[0].id.clone();

    let (_ws, other) = signed_in(dir.path(), "auth0|someone-else").await;
    let page = list_recordings(&other, &ListRecordingsRequest::default())
        .await
        .expect("list");
    assert_eq!(
        page.total, 0,
        "a new user starts with an empty library, not the demo's"
    );
    assert!(page.items.is_empty());
    assert!(
        matches!(
            get_recording(&other, &foreign_id).await,
            Err(Error::NotFound)
        ),
        "another user's recording must answer exactly like a missing one"
    );
    assert!(
        matches!(
            get_recording(&other, "RE00000000000000000000000000000000").await,
            Err(Error::NotFound)
        ),
        "a missing recording answers not_found"
    );
    assert_ne!(
        other.paths().root(),
        demo_scope.paths().root(),
        "each user has a folder of their own"
    );
}

#[tokio::test]
async fn hostile_ids_answer_not_found_and_touch_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scope = demo::open(&Workspace::new(dir.path()), NOW_MS)
        .await
        .expect("open demo");
    for hostile in [
        "",
        "../../library.db",
        "/etc/passwd",
        "RE' OR '1'='1",
        "RE%",
        "RE_",
        "\0",
        &"9".repeat(100_000),
    ] {
        assert!(
            matches!(get_recording(&scope, hostile).await, Err(Error::NotFound)),
            "{:?} must be refused as not_found",
            &hostile[..hostile.len().min(20)]
        );
    }
}

#[tokio::test]
async fn a_signed_out_scope_can_no_longer_read_the_library() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (workspace, scope) = signed_in(dir.path(), "auth0|leaving").await;
    workspace.sign_out().await;
    assert!(
        matches!(workspace.current(), Err(Error::NotSignedIn)),
        "no session after sign-out"
    );
    assert!(
        list_recordings(&scope, &ListRecordingsRequest::default())
            .await
            .is_err(),
        "a scope kept from before sign-out must not keep working"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn user_folders_are_private_to_the_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let (_ws, scope) = signed_in(dir.path(), "auth0|private").await;
    for folder in [
        scope.paths().root().to_path_buf(),
        scope.paths().media_dir(),
    ] {
        let mode = std::fs::metadata(&folder)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(
            mode,
            0o700,
            "{} must be readable by its owner only",
            folder.display()
        );
    }
}
