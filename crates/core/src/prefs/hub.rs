//! The preferences of whoever is signed in, and of the computer: which file is whose, when it
//! is read and written, and what the window is told. The entries live in a key-value store
//! the shell provides (tauri-plugin-store's `Store`); the files are read and written here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Map, Value};

use super::file;
use super::types::{AppPrefs, Entries, UserPrefs};
use crate::error::{Error, Result};
use crate::session::UserScope;

/// A user's preferences file, inside their own folder (removed with their data).
pub const USER_FILE: &str = "preferences.json";
/// The computer's preferences file, in the data folder beside the users' folders.
pub const APP_FILE: &str = "app-preferences.json";

/// An in-memory store of entries: tauri-plugin-store's `Store` in the app, a map in tests.
pub trait KeyValue: Send + Sync {
    fn replace_all(&self, entries: Map<String, Value>);
    fn entries(&self) -> Map<String, Value>;
}

/// Opens a fresh in-memory store for the file at this path (never reading it: that is
/// [`file::load`]'s job, which knows what to do with a broken one).
pub type OpenStore = Arc<dyn Fn(&Path) -> Arc<dyn KeyValue> + Send + Sync>;

/// What the window gets at start and after each change of user.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PreferencesView {
    pub app: AppPrefs,
    /// The signed-in person's, or none before sign-in.
    pub user: Option<UserPrefs>,
    /// Whose `user` is (the session's account key), so the window can tell a reading
    /// made before a switch from one made after.
    pub account_key: Option<String>,
    /// Names this reading of the user's preferences: a save must bring it back, so a save
    /// the window sent for the person before a switch never lands in the next one's file.
    pub token: Option<String>,
    /// Sentences for the person, once: a preferences file could not be read.
    pub notices: Vec<String>,
}

struct UserSlot {
    key: String,
    path: PathBuf,
    store: Arc<dyn KeyValue>,
    token: String,
}

pub struct Preferences {
    data_dir: PathBuf,
    open: OpenStore,
    app: tokio::sync::Mutex<Option<Arc<dyn KeyValue>>>,
    user: tokio::sync::Mutex<Option<UserSlot>>,
    notices: std::sync::Mutex<Vec<String>>,
}

const USER_NOTICE: &str = "Your saved preferences could not be read, so CallDeck is using the \
     defaults. The damaged file was kept beside the new one.";
const APP_NOTICE: &str = "CallDeck's preferences for this computer could not be read, so it is \
     using the defaults. The damaged file was kept beside the new one.";

impl Preferences {
    pub fn new(data_dir: impl Into<PathBuf>, open: OpenStore) -> Self {
        Self {
            data_dir: data_dir.into(),
            open,
            app: tokio::sync::Mutex::new(None),
            user: tokio::sync::Mutex::new(None),
            notices: std::sync::Mutex::new(Vec::new()),
        }
    }

    fn notice(&self, text: &str) {
        self.notices
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(text.to_owned());
    }

    /// The computer's preferences (read from disk the first time).
    pub async fn app(&self, now_ms: i64) -> AppPrefs {
        let store = self.app_store(now_ms).await;
        AppPrefs::from_entries(&store.entries())
    }

    async fn app_store(&self, now_ms: i64) -> Arc<dyn KeyValue> {
        let mut slot = self.app.lock().await;
        if let Some(store) = slot.as_ref() {
            return Arc::clone(store);
        }
        let path = self.data_dir.join(APP_FILE);
        let store = (self.open)(&path);
        store.replace_all(self.load(&path, APP_NOTICE, now_ms).await);
        *slot = Some(Arc::clone(&store));
        store
    }

    async fn load(&self, path: &Path, notice: &str, now_ms: i64) -> Map<String, Value> {
        match file::load(path, now_ms).await {
            Ok(loaded) => {
                if loaded.set_aside.is_some() {
                    self.notice(notice);
                }
                loaded.entries
            }
            Err(error) => {
                // Unreadable for another reason (permissions): defaults, and the file left be.
                tracing::warn!(%error, "could not read a preferences file");
                Map::new()
            }
        }
    }

    /// Everything the window needs: the computer's preferences, the signed-in person's
    /// (read afresh from their folder), and the notices not yet shown.
    pub async fn read(&self, current: Option<&UserScope>, now_ms: i64) -> PreferencesView {
        let mut app = self.app(now_ms).await;
        let account_key = current.map(|scope| scope.account().key());
        let (user, token) = match current {
            Some(scope) => {
                let (prefs, token) = self.read_user(scope, now_ms).await;
                // Before the next sign-in the window looks as this person left it.
                if prefs.theme != app.theme {
                    app.theme = prefs.theme;
                    self.save_app(&app, now_ms).await;
                }
                (Some(prefs), Some(token))
            }
            None => (None, None),
        };
        let notices = std::mem::take(&mut *self.notices.lock().unwrap_or_else(|p| p.into_inner()));
        PreferencesView {
            app,
            user,
            account_key,
            token,
            notices,
        }
    }

    async fn read_user(&self, scope: &UserScope, now_ms: i64) -> (UserPrefs, String) {
        let key = scope.account().key();
        let path = scope.paths().root().join(USER_FILE);
        let entries = self.load(&path, USER_NOTICE, now_ms).await;
        let mut slot = self.user.lock().await;
        // The same person read again keeps their token: a save under way stays valid.
        let token = match slot.as_ref() {
            Some(current) if current.key == key => current.token.clone(),
            _ => format!("{:016x}", rand::random::<u64>()),
        };
        let store = (self.open)(&path);
        store.replace_all(entries);
        let prefs = UserPrefs::from_entries(&store.entries());
        *slot = Some(UserSlot {
            key,
            path,
            store,
            token: token.clone(),
        });
        (prefs, token)
    }

    /// Saves the signed-in person's preferences, whole and at once. `token` is the one
    /// [`Preferences::read`] gave for them; another (a save sent before a switch) is refused
    /// and changes nothing.
    pub async fn save(
        &self,
        current: &UserScope,
        token: &str,
        prefs: UserPrefs,
        now_ms: i64,
    ) -> Result<UserPrefs> {
        let prefs = prefs.sanitize();
        let slot = self.user.lock().await;
        let Some(slot) = slot
            .as_ref()
            .filter(|s| s.key == current.account().key() && s.token == token)
        else {
            return Err(Error::NotSignedIn);
        };
        let entries = prefs.to_entries();
        slot.store.replace_all(entries.clone());
        file::save(&slot.path, &entries).await?;
        let mut app = self.app(now_ms).await;
        if app.theme != prefs.theme {
            app.theme = prefs.theme;
            self.save_app(&app, now_ms).await;
        }
        Ok(prefs)
    }

    async fn save_app(&self, app: &AppPrefs, now_ms: i64) {
        let store = self.app_store(now_ms).await;
        let entries = app.to_entries();
        store.replace_all(entries.clone());
        if let Err(error) = file::save(&self.data_dir.join(APP_FILE), &entries).await {
            tracing::warn!(%error, "could not save the computer's preferences");
        }
    }
}

/// A plain in-memory store, for tests and for anything without the plugin.
#[derive(Default)]
pub struct MemoryStore(std::sync::Mutex<Map<String, Value>>);

impl KeyValue for MemoryStore {
    fn replace_all(&self, entries: Map<String, Value>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = entries;
    }

    fn entries(&self) -> Map<String, Value> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}
