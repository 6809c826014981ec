//! The window comes back where it was: size, position and whether it was maximised
//! (tauri-plugin-window-state), saved shortly after each move or resize and not only at
//! exit, so a killed CallDeck keeps it.
//!
//! What the plugin does and does not do (read in its source, 2.5):
//! - it restores a position only when a corner of the window lands on a connected monitor,
//!   else the window manager places it: never off every screen;
//! - it keeps the size and position from before a maximise, so un-maximising goes back;
//! - visibility is left out of the flags here: the window is always shown at start;
//! - it saves only at a clean exit, from its cache of move/resize events; the debounced
//!   save below writes that cache whenever the window settles;
//! - its write is a plain `fs::write`, not atomic: a crash or power cut in the middle
//!   leaves a file that does not parse, which the plugin then ignores (the window opens
//!   at its default size and place, nothing else is lost).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tauri::plugin::TauriPlugin;
use tauri::{Manager, Runtime, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// The file's name in the app's config folder (`~/.config/app.calldeck.desktop/`), or in a
/// data folder chosen with `CALLDECK_DATA_DIR`.
pub const FILE_NAME: &str = "window-state.json";

/// Size, position, maximised; never hidden, decorations or full screen.
fn flags() -> StateFlags {
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

/// How long the window must stay still before it is saved: a drag sends hundreds of moves.
const SETTLE: Duration = Duration::from_millis(500);

/// The plugin, and the saver that writes its state when the window settles.
pub fn plugins<R: Runtime>(data_dir: Option<&Path>) -> (TauriPlugin<R>, TauriPlugin<R>) {
    // An absolute file name replaces the plugin's config folder (it joins it to that).
    let file = match data_dir {
        Some(dir) => dir.join(FILE_NAME).to_string_lossy().into_owned(),
        None => FILE_NAME.to_string(),
    };
    let restore = tauri_plugin_window_state::Builder::new()
        .with_state_flags(flags())
        .with_filename(file)
        .build();
    let saver = tauri::plugin::Builder::new("window-state-saver")
        .on_window_ready(|window| {
            let generation = Arc::new(AtomicU64::new(0));
            let app = window.app_handle().clone();
            window.on_window_event(move |event| {
                if !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
                    return;
                }
                let mine = generation.fetch_add(1, Ordering::SeqCst) + 1;
                let generation = Arc::clone(&generation);
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    tokio::time::sleep(SETTLE).await;
                    // Only the last event of a burst saves.
                    if generation.load(Ordering::SeqCst) == mine {
                        if let Err(error) = app.save_window_state(flags()) {
                            tracing::warn!(%error, "could not save the window's size and place");
                        }
                    }
                });
            });
        })
        .build();
    (restore, saver)
}
