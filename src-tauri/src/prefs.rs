//! Preferences in tauri-plugin-store: each file's entries are held in one of the plugin's
//! stores, but read and written by `calldeck_core::prefs`, never by the plugin. The plugin
//! saves with a plain `fs::write` (at exit, and on its auto-save timer), which a crash leaves
//! empty or NUL-filled; so the stores here have no auto-save and are taken out of the
//! plugin's table, which its exit hook walks. The window gets no permission for the
//! plugin's own commands: it reads and saves through `preferences` / `save_preferences`,
//! which take the user from the backend's session.

use std::path::Path;
use std::sync::Arc;

use calldeck_core::prefs::{KeyValue, MemoryStore, OpenStore};
use serde_json::{Map, Value};
use tauri_plugin_store::{Store, StoreBuilder};

struct PluginStore<R: tauri::Runtime>(Arc<Store<R>>);

impl<R: tauri::Runtime> KeyValue for PluginStore<R> {
    /// Changes only what changed, so the plugin's change events name real changes.
    fn replace_all(&self, entries: Map<String, Value>) {
        for key in self.0.keys() {
            if !entries.contains_key(&key) {
                self.0.delete(&key);
            }
        }
        for (key, value) in entries {
            if self.0.get(&key).as_ref() != Some(&value) {
                self.0.set(key, value);
            }
        }
    }

    fn entries(&self) -> Map<String, Value> {
        self.0.entries().into_iter().collect()
    }
}

/// Opens a fresh, empty plugin store for a preferences file (the core fills it).
pub fn opener<R: tauri::Runtime>(app: &tauri::AppHandle<R>) -> OpenStore {
    let app = app.clone();
    Arc::new(move |path: &Path| -> Arc<dyn KeyValue> {
        // `create_new`: nothing read by the plugin (the core reads, and knows what to do with
        // a broken file); a store left from an earlier sign-in of this person is replaced.
        match StoreBuilder::new(&app, path)
            .disable_auto_save()
            .create_new()
            .build()
        {
            Ok(store) => {
                store.close_resource();
                Arc::new(PluginStore(store))
            }
            Err(error) => {
                tracing::warn!(%error, "could not open a preferences store; keeping them in memory");
                Arc::new(MemoryStore::default())
            }
        }
    })
}
