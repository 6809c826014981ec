//! The desktop shell: window, managed state and thin commands over `calldeck-core`.

pub mod bindings;
mod commands;
mod events;
mod host;
mod state;

use std::path::PathBuf;

use calldeck_core::{demo, now_ms, Workspace};
use tauri::Manager;

use crate::state::AppState;

/// Tests and benchmarks point the app at a throwaway data folder with this variable.
const DATA_DIR_ENV: &str = "CALLDECK_DATA_DIR";

pub fn run() {
    let _ = commands::diagnostics::STARTED.set(std::time::Instant::now());
    tracing_subscriber::fmt()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,calldeck_core=info".into()),
        )
        .init();
    let data_dir = std::env::var_os(DATA_DIR_ENV).map(PathBuf::from);
    if let Err(error) =
        configure(tauri::Builder::default(), data_dir).run(tauri::generate_context!())
    {
        tracing::error!(%error, "CallDeck could not start");
        std::process::exit(1);
    }
}

/// Commands and the start-up hook: everything but the window context. Shared by the app and
/// by the IPC tests, which run it on Tauri's mock runtime.
pub fn configure<R: tauri::Runtime>(
    app: tauri::Builder<R>,
    data_dir: Option<PathBuf>,
) -> tauri::Builder<R> {
    let commands = bindings::builder::<R>();
    app.invoke_handler(commands.invoke_handler())
        .setup(move |app| {
            commands.mount_events(app);
            let data_dir = match data_dir {
                Some(dir) => dir,
                None => app.path().app_data_dir()?,
            };
            open_workspace(app.handle(), data_dir);
            Ok(())
        })
}

/// Puts the workspace under the app's management and reopens the last session in the
/// background, so the window and the webview start while the library opens.
pub fn open_workspace<R: tauri::Runtime>(app: &tauri::AppHandle<R>, data_dir: PathBuf) {
    let (restored, restored_rx) = tokio::sync::watch::channel(false);
    let host = std::sync::Arc::new(host::TauriHost { app: app.clone() });
    app.manage(AppState {
        workspace: Workspace::new(data_dir),
        host,
        restored: restored_rx,
    });
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        if let Err(error) = demo::restore(&state.workspace, now_ms()).await {
            // The sign-in screen is shown instead; the log says why.
            tracing::warn!(error = %error, "could not reopen the last workspace");
        }
        let _ = restored.send(true);
    });
}
