//! The desktop shell: window, managed state and thin commands over `calldeck-core`.

pub mod bindings;
mod commands;
mod state;

use std::path::PathBuf;

use calldeck_core::Workspace;
use tauri::Manager;

use crate::state::AppState;

/// Tests and benchmarks point the app at a throwaway data folder with this variable.
const DATA_DIR_ENV: &str = "CALLDECK_DATA_DIR";

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,calldeck_core=info".into()),
        )
        .init();
    let builder = bindings::builder();
    let result = tauri::Builder::default()
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let data_dir = match std::env::var_os(DATA_DIR_ENV) {
                Some(dir) => PathBuf::from(dir),
                None => app.path().app_data_dir()?,
            };
            app.manage(AppState { workspace: Workspace::new(data_dir) });
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(error) = result {
        tracing::error!(%error, "CallDeck could not start");
        std::process::exit(1);
    }
}
