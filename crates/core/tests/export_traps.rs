//! Exports into folders that are not what they seem: one where every look fails, one where
//! a link waits at the name of the export's temporary file.

mod common;
mod fixtures;

use std::path::Path;
use std::time::Duration;

use calldeck_core::library::{
    export_recording, export_recordings, insert_recordings, suggested_export_name,
};
use calldeck_core::{Error, UserScope};
use common::{signed_in, NOW_MS};
use fixtures::model::with_audio;
use fixtures::DAY_MS;

const AUDIO: &[u8] = b"RIFF the audio of the call";

async fn one_recording(scope: &UserScope) -> String {
    let r = with_audio(scope, 21, 1, NOW_MS - DAY_MS, AUDIO).await;
    insert_recordings(scope, std::slice::from_ref(&r), NOW_MS)
        .await
        .expect("insert");
    r.sid.to_string()
}

/// The export must give up with a sentence at the first look that fails, not try name
/// after name; a second is far more than that takes.
async fn assert_refused_at_once(scope: &UserScope, id: &str, folder: &Path) {
    let ids = vec![id.to_owned()];
    let ended = tokio::time::timeout(
        Duration::from_secs(1),
        export_recordings(scope, &ids, folder, NOW_MS),
    )
    .await
    .unwrap_or_else(|_| panic!("exporting into {folder:?} must end within a second"));
    match ended {
        Err(e @ Error::InvalidInput(_)) => assert!(
            e.user_message().contains("folder"),
            "the error says what to do: {}",
            e.user_message()
        ),
        other => panic!("a folder that cannot be looked into is an error: {other:?}"),
    }
}

#[cfg(unix)]
#[tokio::test]
async fn exporting_into_a_folder_where_every_look_fails_ends_at_once_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("dir");
    let out = tempfile::tempdir().expect("out");
    let (_ws, scope) = signed_in(dir.path(), "auth0|exporter").await;
    let id = one_recording(&scope).await;

    // A link to itself: every existence check inside it fails (too many levels of links),
    // for any user, root included.
    let looped = out.path().join("looped");
    std::os::unix::fs::symlink("looped", &looped).expect("link");
    assert_refused_at_once(&scope, &id, &looped).await;

    // A folder nobody may look into answers every check with a permission error. Root may
    // look anyway, so this half only means something for other users.
    use std::os::unix::fs::PermissionsExt;
    let locked = out.path().join("locked");
    std::fs::create_dir(&locked).expect("folder");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::metadata(locked.join("probe"))
        .is_err_and(|e| e.kind() != std::io::ErrorKind::NotFound)
    {
        assert_refused_at_once(&scope, &id, &locked).await;
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).expect("chmod");
}

#[cfg(unix)]
#[tokio::test]
async fn a_link_planted_at_an_exports_temporary_name_leaves_its_target_untouched() {
    let dir = tempfile::tempdir().expect("dir");
    let out = tempfile::tempdir().expect("out");
    let elsewhere = tempfile::tempdir().expect("elsewhere");
    let (_ws, scope) = signed_in(dir.path(), "auth0|planted").await;
    let id = one_recording(&scope).await;
    let victim = elsewhere.path().join("precious.txt");
    std::fs::write(&victim, b"precious").expect("victim");
    let name = suggested_export_name(&scope, &id).await.expect("name");

    // The name an export wrote through before: `.{name}.partial` beside the target.
    let plant = |folder: &Path| {
        std::os::unix::fs::symlink(&victim, folder.join(format!(".{name}.partial")))
            .expect("plant");
    };
    let single = out.path().join("single");
    std::fs::create_dir(&single).expect("folder");
    plant(&single);
    export_recording(&scope, &id, &single.join(&name), NOW_MS)
        .await
        .expect("export");
    let bulk = out.path().join("bulk");
    std::fs::create_dir(&bulk).expect("folder");
    plant(&bulk);
    let result = export_recordings(&scope, std::slice::from_ref(&id), &bulk, NOW_MS)
        .await
        .expect("bulk export");
    assert_eq!(result.files, vec![name.clone()]);

    assert_eq!(
        std::fs::read(&victim).expect("victim"),
        b"precious",
        "the link's target is untouched"
    );
    for folder in [&single, &bulk] {
        let exported = folder.join(&name);
        assert!(
            !std::fs::symlink_metadata(&exported)
                .expect("exported")
                .file_type()
                .is_symlink(),
            "the export is a file of its own, not the planted link"
        );
        assert_eq!(std::fs::read(&exported).expect("read"), AUDIO);
    }
}
