//! What commands need from the desktop around them — telling the UI that the library
//! changed, and asking the user for a file or folder — behind one object in the managed
//! state, so commands stay plain (non-generic) functions.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;
use tauri_specta::Event;
use tokio::sync::oneshot;

use crate::events::{LibraryChange, LibraryChanged};
use crate::test_hooks;

pub trait Host: Send + Sync {
    fn library_changed(&self, change: LibraryChange);
    /// Where to save a file, proposing `suggested_name`; `None` if the user cancelled.
    fn save_path(&self, suggested_name: &str) -> oneshot::Receiver<Option<PathBuf>>;
    /// A folder to export into; `None` if the user cancelled.
    fn pick_folder(&self) -> oneshot::Receiver<Option<PathBuf>>;
    /// Opens a web page (the sign-in or sign-out page) in the system browser (RFC 8252).
    fn open_browser(&self, url: &str) -> calldeck_core::Result<()>;
    /// Opens a folder in the file manager (the log folder).
    fn open_folder(&self, dir: &std::path::Path) -> calldeck_core::Result<()>;
    fn transcription_progressed(&self, progress: calldeck_core::transcripts::TranscribeProgress);
}

fn browser_failed() -> calldeck_core::Error {
    calldeck_core::Error::invalid("CallDeck could not open your web browser.")
}

pub struct TauriHost<R: Runtime> {
    pub app: AppHandle<R>,
}

fn answered(path: Option<PathBuf>) -> oneshot::Receiver<Option<PathBuf>> {
    let (tx, rx) = oneshot::channel();
    let _ = tx.send(path);
    rx
}

impl<R: Runtime> Host for TauriHost<R> {
    fn library_changed(&self, change: LibraryChange) {
        // A window that is gone has nothing to refresh.
        if let Err(error) = (LibraryChanged { change }).emit(&self.app) {
            tracing::warn!(%error, "could not emit library-changed");
        }
    }

    fn save_path(&self, suggested_name: &str) -> oneshot::Receiver<Option<PathBuf>> {
        if let Some(dir) = test_hooks::export_dir() {
            return answered(Some(dir.join(suggested_name)));
        }
        let (tx, rx) = oneshot::channel();
        self.app
            .dialog()
            .file()
            .set_file_name(suggested_name)
            .save_file(move |path| {
                let _ = tx.send(path.and_then(|p| p.into_path().ok()));
            });
        rx
    }

    fn pick_folder(&self) -> oneshot::Receiver<Option<PathBuf>> {
        if let Some(dir) = test_hooks::export_dir() {
            return answered(Some(dir));
        }
        let (tx, rx) = oneshot::channel();
        self.app.dialog().file().pick_folder(move |path| {
            let _ = tx.send(path.and_then(|p| p.into_path().ok()));
        });
        rx
    }

    fn transcription_progressed(&self, progress: calldeck_core::transcripts::TranscribeProgress) {
        let _ = (crate::events::TranscriptionProgressed { progress }).emit(&self.app);
    }

    fn open_folder(&self, dir: &std::path::Path) -> calldeck_core::Result<()> {
        use tauri_plugin_opener::OpenerExt;
        self.app
            .opener()
            .open_path(dir.to_string_lossy(), None::<&str>)
            .map_err(|error| {
                tracing::warn!(%error, "could not open a folder");
                calldeck_core::Error::invalid(
                    "CallDeck could not open the folder. Its path is shown beside the button.",
                )
            })
    }

    fn open_browser(&self, url: &str) -> calldeck_core::Result<()> {
        if let Some(command) = test_hooks::browser_command() {
            let mut parts = command.split_whitespace();
            let program = parts.next().ok_or_else(browser_failed)?;
            let mut child = std::process::Command::new(program)
                .args(parts)
                .arg(url)
                .stdin(std::process::Stdio::null())
                .spawn()
                .map_err(|_| browser_failed())?;
            // Reaped in the background so no zombie is left behind.
            std::thread::spawn(move || {
                let _ = child.wait();
            });
            return Ok(());
        }
        use tauri_plugin_opener::OpenerExt;
        self.app
            .opener()
            .open_url(url, None::<&str>)
            .map_err(|error| {
                tracing::warn!(%error, "could not open the system browser");
                browser_failed()
            })
    }
}
