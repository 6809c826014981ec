//! What commands need from the desktop around them — telling the UI that the library
//! changed, and asking the user for a file or folder — behind one object in the managed
//! state, so commands stay plain (non-generic) functions.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;
use tauri_specta::Event;
use tokio::sync::oneshot;

use crate::events::LibraryChanged;

/// `CALLDECK_EXPORT_DIR` answers every file dialog with that folder instead of asking:
/// the end-to-end tests use it, since WebDriver cannot reach a native dialog.
const EXPORT_DIR_ENV: &str = "CALLDECK_EXPORT_DIR";

pub trait Host: Send + Sync {
    fn library_changed(&self, recordings: Vec<String>);
    /// Where to save a file, proposing `suggested_name`; `None` if the user cancelled.
    fn save_path(&self, suggested_name: &str) -> oneshot::Receiver<Option<PathBuf>>;
    /// A folder to export into; `None` if the user cancelled.
    fn pick_folder(&self) -> oneshot::Receiver<Option<PathBuf>>;
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
    fn library_changed(&self, recordings: Vec<String>) {
        // A window that is gone has nothing to refresh.
        if let Err(error) = (LibraryChanged { recordings }).emit(&self.app) {
            tracing::warn!(%error, "could not emit library-changed");
        }
    }

    fn save_path(&self, suggested_name: &str) -> oneshot::Receiver<Option<PathBuf>> {
        if let Some(dir) = std::env::var_os(EXPORT_DIR_ENV) {
            return answered(Some(PathBuf::from(dir).join(suggested_name)));
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
        if let Some(dir) = std::env::var_os(EXPORT_DIR_ENV) {
            return answered(Some(PathBuf::from(dir)));
        }
        let (tx, rx) = oneshot::channel();
        self.app.dialog().file().pick_folder(move |path| {
            let _ = tx.send(path.and_then(|p| p.into_path().ok()));
        });
        rx
    }
}
