//! The log file as the app writes it: through a tracing subscriber into `LogFile`. It
//! exists once opened (with what was logged before), rotates at its size keeping a few
//! files, never holds a secret, a token or a full phone number, and gives back its last
//! problems for a support ticket.

use std::fs;
use std::path::Path;

use calldeck_core::logs::{recent_problems, Limits, LogFile, FILE_NAME};
use tracing_subscriber::fmt::MakeWriter;

fn subscriber<W>(writer: W) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(writer)
        .finish()
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("log folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn lines_logged_before_the_folder_is_known_land_in_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = LogFile::new();
    let writer = log.clone();
    tracing::subscriber::with_default(subscriber(move || writer.clone()), || {
        tracing::info!("starting");
        log.open(dir.path(), Limits::default()).expect("open");
        tracing::info!("started");
    });
    let text = fs::read_to_string(dir.path().join(FILE_NAME)).expect("the log file exists");
    let starting = text.find("starting").expect("the early line");
    let started = text.find("started").expect("the later line");
    assert!(starting < started, "in order: {text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir.path().join(FILE_NAME))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "only the owner reads the log: {mode:o}");
    }
}

#[test]
fn the_file_rotates_at_its_size_and_keeps_a_few() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = LogFile::new();
    let limits = Limits {
        max_bytes: 4 * 1024,
        keep: 3,
    };
    log.open(dir.path(), limits).expect("open");
    let writer = log.clone();
    tracing::subscriber::with_default(subscriber(move || writer.clone()), || {
        // About 100 bytes a line: 40 KB is ten files' worth.
        for i in 0..400 {
            tracing::info!(line = i, "{}", "x".repeat(40));
        }
    });
    assert_eq!(
        files(dir.path()),
        vec![
            FILE_NAME.to_string(),
            format!("{FILE_NAME}.1"),
            format!("{FILE_NAME}.2"),
            format!("{FILE_NAME}.3"),
        ],
        "the current file and three old ones"
    );
    for name in files(dir.path()) {
        let text = fs::read_to_string(dir.path().join(&name)).expect("read");
        // Rotated after the write that passed the limit: at most one line over.
        assert!(
            text.len() < limits.max_bytes + 200,
            "{name}: {} bytes",
            text.len()
        );
        assert!(text.ends_with('\n'), "{name} ends on a whole line");
    }
    let newest = fs::read_to_string(dir.path().join(FILE_NAME)).expect("read");
    assert!(
        newest.contains("line=399"),
        "the last line is in the current file"
    );
    let oldest = fs::read_to_string(dir.path().join(format!("{FILE_NAME}.3"))).expect("read");
    assert!(!oldest.contains("line=0 "), "the first lines were deleted");
}

#[test]
fn a_reopened_file_goes_on_counting_its_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    let limits = Limits {
        max_bytes: 1024,
        keep: 2,
    };
    fs::write(dir.path().join(FILE_NAME), "y".repeat(1500) + "\n").expect("plant");
    let log = LogFile::new();
    log.open(dir.path(), limits).expect("open");
    let writer = log.clone();
    tracing::subscriber::with_default(subscriber(move || writer.clone()), || {
        tracing::info!("after a restart");
    });
    let current = fs::read_to_string(dir.path().join(FILE_NAME)).expect("read");
    assert!(current.contains("after a restart") && !current.contains("yyy"));
}

#[test]
fn no_secret_token_or_full_phone_number_reaches_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = LogFile::new();
    log.open(dir.path(), Limits::default()).expect("open");
    let twilio_secret = "0123456789abcdef0123456789abcdef";
    let refresh = "v1.MRrefresh-token_value";
    let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhdXRoMHwxIn0.c2ln";
    let number = "+14155550123";
    let writer = log.clone();
    tracing::subscriber::with_default(subscriber(move || writer.clone()), || {
        tracing::warn!(error = %format!("Twilio refused the secret {twilio_secret}"), "connect");
        tracing::error!(error = %format!("token endpoint said {{\"refresh_token\":\"{refresh}\"}}"), "refresh");
        tracing::info!(%jwt, "id token");
        tracing::info!(from = number, "a call");
    });
    let text = fs::read_to_string(dir.path().join(FILE_NAME)).expect("read");
    for secret in [twilio_secret, refresh, jwt, number, "4155550123"] {
        assert!(!text.contains(secret), "{secret} reached the log:\n{text}");
    }
    assert!(text.contains("…0123"), "the number's last four digits stay");
}

#[test]
fn the_last_problems_come_back_masked_oldest_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = LogFile::new();
    log.open(dir.path(), Limits::default()).expect("open");
    let writer = log.clone();
    tracing::subscriber::with_default(subscriber(move || writer.clone()), || {
        tracing::info!("fine");
        for i in 0..30 {
            tracing::warn!(n = i, "a warning");
        }
        tracing::error!(from = "+14155550123", "the last error");
    });
    let problems = recent_problems(dir.path(), 5);
    assert_eq!(problems.len(), 5);
    assert!(problems[0].contains("n=26"), "{problems:?}");
    assert!(problems[4].contains("the last error") && problems[4].contains("…0123"));
    assert!(problems.iter().all(|p| !p.contains("fine")));
    assert!(recent_problems(&dir.path().join("nowhere"), 5).is_empty());
}
