//! The desktop shell: window, managed state and thin commands over `calldeck-core`.

pub mod bindings;
#[cfg(test)]
mod command_check;
mod commands;
mod events;
mod host;
mod instance;
mod jobs;
pub mod logging;
mod prefs;
mod startup;
mod state;
mod sync;
pub mod test_hooks;
mod token_refresh;
mod window_state;

use std::path::PathBuf;
use std::sync::Arc;

use calldeck_core::{demo, now_ms, Workspace};
use tauri::Manager;

use crate::state::AppState;

/// Tests and benchmarks point the app at a throwaway data folder with this variable; users
/// may too (README), so every build honours it.
const DATA_DIR_ENV: &str = "CALLDECK_DATA_DIR";

/// WebKitGTK's own switch (documented with its environment variables) for rendering pages
/// without accelerated compositing.
#[cfg(target_os = "linux")]
const WEBKIT_DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

pub fn run() {
    startup::begin();
    // The window is a table, a sidebar and a player bar: nothing WebKit's GPU compositor
    // speeds up, while starting it (an EGL context, and with no GPU, Mesa's llvmpipe
    // compiling shaders) costs ~0.4 s before the first paint and ~90 MB in the web process.
    // It must be decided before WebKit starts its processes, so it is WebKit's environment
    // variable: the WebKitSettings policy can only be set once the webview exists, its web
    // process already launched (measured: ~8 MB and 6 threads more there than with the
    // variable). Anyone who sets the variable themselves keeps their choice.
    #[cfg(target_os = "linux")]
    if std::env::var_os(WEBKIT_DISABLE_COMPOSITING).is_none() {
        std::env::set_var(WEBKIT_DISABLE_COMPOSITING, "1");
    }
    logging::init();
    startup::mark("logger");
    let data_dir = std::env::var_os(DATA_DIR_ENV).map(PathBuf::from);
    let context = tauri::generate_context!();
    // First of all: whether another CallDeck already runs with this data folder.
    let builder = instance::guard(
        tauri::Builder::default(),
        &context.config().identifier,
        data_dir.clone(),
    );
    let (restore_window, save_window) = window_state::plugins(data_dir.as_deref());
    let builder = builder.plugin(restore_window).plugin(save_window);
    startup::mark("builder");
    if let Err(error) = configure(builder, data_dir).run(context) {
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
    // Dialogs and notifications are opened from Rust only; the window gets no permission
    // for them.
    app.plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_store::Builder::default().build())
        .invoke_handler(commands.invoke_handler())
        .on_page_load(|_, payload| {
            startup::mark(match payload.event() {
                tauri::webview::PageLoadEvent::Started => "page_load_started",
                tauri::webview::PageLoadEvent::Finished => "page_load_finished",
            });
        })
        .setup(move |app| {
            startup::mark("setup");
            commands.mount_events(app);
            let data_dir = instance::data_dir(app.handle(), data_dir.as_deref())?;
            open_workspace(app.handle(), data_dir);
            startup::mark("setup_done");
            Ok(())
        })
}

/// Puts the workspace under the app's management and reopens the last session in the
/// background, so the window and the webview start while the library opens.
pub fn open_workspace<R: tauri::Runtime>(app: &tauri::AppHandle<R>, data_dir: PathBuf) {
    let (restored, restored_rx) = tokio::sync::watch::channel(false);
    let host: Arc<dyn host::Host> = Arc::new(host::TauriHost { app: app.clone() });
    let player = match calldeck_core::player::PlayerHandle::spawn(
        calldeck_core::player::OutputChoice::DefaultDevice,
    ) {
        Ok(player) => player,
        Err(error) => {
            tracing::error!(%error, "could not start the player thread");
            std::process::exit(1);
        }
    };
    let mut twilio = calldeck_core::twilio::ClientConfig::default();
    // Only builds with the `test-hooks` feature (the end-to-end tests' loopback fake).
    if let Some(url) = test_hooks::twilio_base_url() {
        twilio.base_url = url;
    }
    let to_window = Arc::new(sync::ToWindow {
        app: app.clone(),
        host: Arc::clone(&host),
    });
    let runner = Arc::new(calldeck_core::sync::SyncRunner::new(
        twilio,
        Arc::clone(&to_window) as Arc<dyn calldeck_core::sync::SyncEvents>,
    ));
    let queue = Arc::new(calldeck_core::sync::queue::DownloadQueue::new(
        to_window,
        calldeck_core::sync::queue::QueueOptions::default(),
    ));
    let auth = match calldeck_core::auth::Auth::new(&data_dir) {
        Ok(auth) => auth,
        Err(error) => {
            tracing::error!(%error, "could not prepare sign-in");
            std::process::exit(1);
        }
    };
    logging::attach(app, &data_dir);
    let prefs = calldeck_core::prefs::Preferences::new(&data_dir, prefs::opener(app));
    app.manage(AppState {
        prefs,
        // The workspace stops and forgets playback before the signed-in user changes.
        workspace: Workspace::new(&data_dir).with_player(player.clone()),
        data_dir,
        auth,
        notice: std::sync::Mutex::new(None),
        jobs: jobs::Jobs::default(),
        host,
        player,
        sync: Arc::clone(&runner),
        queue: Arc::clone(&queue),
        restored: restored_rx,
    });
    forward_player_state(app);
    sync::start_background(app, runner, queue);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        restore_last_session(&state).await;
        startup::mark("session_restored");
        let _ = restored.send(true);
        // Downloads left queued when the app closed go on.
        state.signed_in();
        token_refresh::keep_fresh(app.clone()).await;
    });
}

/// Reopens whoever was signed in when the app closed: the demo, or an OpenID account through
/// a refresh (or offline, within the allowed days). Otherwise the sign-in screen, with why.
async fn restore_last_session(state: &AppState) {
    match state.auth.upgrade_layout().await {
        Ok(notice) => state.set_notice(notice),
        Err(error) => tracing::error!(%error, "could not move the data folder to today's layout"),
    }
    let result = match state.workspace.last_session().await {
        Some(last) if last.provider == calldeck_core::session::Provider::Oidc => state
            .auth
            .resume(
                &state.workspace,
                &last.account,
                calldeck_core::auth::Reopen::AtStart,
                now_ms(),
            )
            .await
            .map(|_| ()),
        _ => demo::restore(&state.workspace, now_ms()).await.map(|_| ()),
    };
    if let Err(error) = result {
        tracing::warn!(error = %error, "could not reopen the last session");
        state.set_notice(Some(calldeck_core::ApiError::from(error).message));
        // Not reopened: the next start begins at the sign-in screen, data kept.
        state.workspace.sign_out().await;
    }
}

/// Sends the player's states to the window as the signed-in user may see them: the core's
/// stream asks the workspace who that is, so another user's playback never reaches it.
fn forward_player_state<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use tauri_specta::Event;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let shell = app.state::<AppState>();
        let mut states = shell.player.subscribe();
        while let Some(state) = states.next(&shell.workspace).await {
            let _ = (events::PlayerStateChanged { state }).emit(&app);
        }
    });
}
