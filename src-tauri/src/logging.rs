//! Where the log goes: stdout (for developers) and the rolling log file in the platform's
//! log folder, both masked (`calldeck_core::logs`). The subscriber starts first thing, the
//! file opens once Tauri can say where the log folder is; what was logged in between is
//! kept and written then.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calldeck_core::logs::{Limits, LogFile, Redacting};
use tauri::{AppHandle, Manager, Runtime};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The app's log file, once `init` has run (the IPC tests never run it).
static LOG_FILE: OnceLock<LogFile> = OnceLock::new();

/// The log folder, as the window's About section shows it.
pub struct LogFolder(pub PathBuf);

/// Installs the subscriber: info by default (`RUST_LOG` chooses otherwise), to stdout and
/// to the log file.
pub fn init() {
    let file = LOG_FILE.get_or_init(LogFile::new).clone();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,calldeck_core=info".into());
    let stdout = tracing_subscriber::fmt::layer()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_writer(|| Redacting(std::io::stdout()));
    let to_file = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(move || file.clone());
    tracing_subscriber::registry()
        .with(filter)
        .with(stdout)
        .with(to_file)
        .init();
}

/// The log folder: the platform's (on Linux `~/.local/share/app.calldeck.desktop/logs`),
/// or `logs` inside a data folder chosen with `CALLDECK_DATA_DIR`, which is another
/// CallDeck with its own everything.
pub fn folder<R: Runtime>(app: &AppHandle<R>, data_dir: &Path) -> PathBuf {
    let platform_data = app.path().app_data_dir().ok();
    match app.path().app_log_dir() {
        Ok(dir) if platform_data.as_deref() == Some(data_dir) => dir,
        _ => data_dir.join("logs"),
    }
}

/// Opens the log file in the app's log folder and tells the app where it is.
pub fn attach<R: Runtime>(app: &AppHandle<R>, data_dir: &Path) {
    let dir = folder(app, data_dir);
    if let Some(file) = LOG_FILE.get() {
        match file.open(&dir, Limits::default()) {
            Ok(path) => tracing::info!(
                version = env!("CARGO_PKG_VERSION"),
                "CallDeck started; log file {}",
                path.display()
            ),
            Err(error) => {
                tracing::warn!(%error, "could not open the log file; logging to stdout only")
            }
        }
    }
    app.manage(LogFolder(dir));
}
