//! The data folder is a path, whatever its name: a `?` or `#` in it is part of the name,
//! never connection options for the database.

mod common;
mod fixtures;

use calldeck_core::library::{count_recordings, insert_recordings, RecordingFilter};
use common::{signed_in, NOW_MS};
use fixtures::{recording, sid};

#[tokio::test]
async fn a_folder_named_like_connection_options_keeps_its_library_across_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    for name in ["a?mode=memory", "b#frag", "c%3Fx"] {
        let data = dir.path().join(name);
        let (ws, scope) = signed_in(&data, "alice").await;
        insert_recordings(
            &scope,
            &[recording(&sid(1, 1), "+15550001", None, NOW_MS)],
            NOW_MS,
        )
        .await
        .expect("insert");
        drop(scope);
        ws.sign_out().await;

        let (_ws, scope) = signed_in(&data, "alice").await;
        assert_eq!(
            count_recordings(&scope, &RecordingFilter::default())
                .await
                .expect("count"),
            1,
            "the library in {name:?} is still there after a restart"
        );
        assert!(
            scope.paths().database().exists(),
            "and it is the file in the folder"
        );
    }
}
