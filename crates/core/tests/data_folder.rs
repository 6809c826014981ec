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

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn first_opens_of_one_library_at_the_same_time_all_succeed() {
    for _ in 0..10 {
        let dir = tempfile::tempdir().expect("dir");
        let opens: Vec<_> = (0..6)
            .map(|_| {
                let data = dir.path().to_path_buf();
                tokio::spawn(async move {
                    let ws = calldeck_core::Workspace::new(&data);
                    ws.sign_in(
                        calldeck_core::session::VerifiedIdentity::for_tests("alice"),
                        NOW_MS,
                    )
                    .await
                    .map(|_| ())
                })
            })
            .collect();
        for open in opens {
            open.await
                .expect("join")
                .expect("every first open succeeds");
        }
    }
}
