//! Diagnostics for a support ticket: versions, OS, the signed-in person's data sizes and
//! the log's last problems, with nothing secret in them.

mod common;

use calldeck_core::diagnostics::{gather, ShellVersions};
use calldeck_core::logs::FILE_NAME;
use calldeck_core::{demo, Workspace};
use common::NOW_MS;

fn shell() -> ShellVersions {
    ShellVersions {
        app: "9.8.7".into(),
        tauri: "2.99.0".into(),
        webview: "2.44.1".into(),
    }
}

#[tokio::test]
async fn diagnostics_name_versions_sizes_and_the_last_problems_masked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = Workspace::new(dir.path());
    let scope = demo::open(&workspace, NOW_MS).await.expect("demo");
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(&logs).expect("logs");
    // A file written by an older version or by hand: not masked yet.
    std::fs::write(
        logs.join(FILE_NAME),
        "2026-12-07T10:00:00Z  INFO calldeck: fine\n\
         2026-12-07T10:00:01Z ERROR calldeck_core::error: operation failed error=Twilio refused token=s3cr3t-value for +14155550123\n\
         2026-12-07T10:00:02Z  WARN calldeck_core::sync: sync failed secret 0123456789abcdef0123456789abcdef\n",
    )
    .expect("plant a log");

    let d = gather(Some(&scope), shell(), &logs).await;

    assert_eq!(d.app_version, "9.8.7");
    assert!(d.sqlite_version.starts_with("3."), "{}", d.sqlite_version);
    assert!(d.os.contains(std::env::consts::OS), "{}", d.os);
    let data = d
        .data
        .as_ref()
        .expect("sizes of the signed-in person's data");
    assert!(data.database_bytes > 0.0, "the demo library has a size");
    assert!(
        data.media_files > 0 && data.media_bytes > 0.0,
        "the demo has audio"
    );
    assert_eq!(d.recent_problems.len(), 2, "{:?}", d.recent_problems);
    assert!(d.recent_problems[0].contains("operation failed"));
    for text in [d.report.as_str(), &d.recent_problems.join("\n")] {
        for secret in [
            "s3cr3t-value",
            "+14155550123",
            "4155550123",
            "0123456789abcdef0123456789abcdef",
        ] {
            assert!(!text.contains(secret), "{secret} in:\n{text}");
        }
    }
    for part in [
        "CallDeck 9.8.7",
        "Tauri 2.99.0",
        "WebKitGTK 2.44.1",
        "SQLite 3.",
    ] {
        assert!(d.report.contains(part), "{part} in:\n{}", d.report);
    }
    assert!(d.report.contains("…0123"), "{}", d.report);
}

#[tokio::test]
async fn before_sign_in_there_are_no_sizes_and_a_missing_log_is_no_problem() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = gather(None, shell(), &dir.path().join("logs")).await;
    assert!(d.data.is_none());
    assert!(d.recent_problems.is_empty());
    assert!(d.report.contains("nobody is signed in"), "{}", d.report);
}

#[tokio::test]
async fn the_home_folder_shows_as_a_tilde() {
    let Some(home) = std::env::var_os("HOME") else {
        return;
    };
    let logs = std::path::Path::new(&home).join(".local/share/x/logs");
    let d = gather(None, shell(), &logs).await;
    assert_eq!(d.log_folder, "~/.local/share/x/logs");
    assert!(!d.report.contains(&*home.to_string_lossy()), "{}", d.report);
}
