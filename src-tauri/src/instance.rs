//! One CallDeck per data folder. Two plugins, registered before any other: the single-instance
//! plugin, through which a second start hands its arguments to the running app (over the
//! session D-Bus on Linux) and exits, the running window coming to the front; then the
//! data-folder lock (`calldeck_core::storage::DataFolderLock`), which is the guarantee: where
//! there is no session bus, or the first app holds no bus name, the second start finds the
//! folder taken, says so in a sentence on stderr and exits with status 1 before it opens
//! anything there. Both run while the app is built, before its window exists.

use std::path::{Path, PathBuf};

use calldeck_core::storage::{folder_id, DataFolderLock, InstanceError};
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};

/// The data folder: `CALLDECK_DATA_DIR` when given, else the platform's app-data folder.
pub fn data_dir<R: Runtime>(app: &AppHandle<R>, chosen: Option<&Path>) -> tauri::Result<PathBuf> {
    match chosen {
        Some(dir) => Ok(dir.to_path_buf()),
        None => app.path().app_data_dir(),
    }
}

/// Both plugins, in their order, for the app's builder.
pub fn guard<R: Runtime>(
    builder: tauri::Builder<R>,
    identifier: &str,
    chosen: Option<PathBuf>,
) -> tauri::Builder<R> {
    // The default folder goes with the app's identifier; another folder (tests, benchmarks,
    // a user's choice) is another CallDeck with a bus name of its own.
    let bus_id = match &chosen {
        None => identifier.to_owned(),
        Some(dir) => format!("{identifier}.data_{}", folder_id(dir)),
    };
    builder
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(bus_id)
                .callback(|app, args, _cwd| come_forward(app, &args))
                .build(),
        )
        .plugin(folder_lock(chosen))
}

/// What the running app does when it is started again: its window comes to the front. The
/// arguments are only counted in the log (CallDeck takes none yet).
fn come_forward<R: Runtime>(app: &AppHandle<R>, args: &[String]) {
    tracing::info!(
        arguments = args.len().saturating_sub(1),
        "CallDeck was started again: its window comes to the front"
    );
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        if let Err(error) = window.set_focus() {
            tracing::warn!(%error, "could not bring the window to the front");
        }
    }
}

/// Takes the data folder for this process, or ends it with a sentence if another holds it.
fn folder_lock<R: Runtime>(chosen: Option<PathBuf>) -> TauriPlugin<R> {
    tauri::plugin::Builder::new("calldeck-data-folder")
        .setup(move |app, _api| {
            let dir = data_dir(app, chosen.as_deref())?;
            match DataFolderLock::acquire(&dir) {
                Ok(lock) => {
                    app.manage(lock);
                    Ok(())
                }
                Err(refused @ InstanceError::AlreadyRunning { .. }) => {
                    tracing::warn!("{refused}");
                    eprintln!("{refused}");
                    app.cleanup_before_exit();
                    std::process::exit(1);
                }
                Err(error) => Err(error.into()),
            }
        })
        .build()
}
