use std::path::PathBuf;
use std::sync::RwLock;

use super::identity::VerifiedIdentity;
use super::last::{self, LastSession};
use super::scope::UserScope;
use crate::error::{Error, Result};
use crate::library::db;
use crate::player::PlayerHandle;
use crate::storage::UserPaths;

/// The app's data folder and the session signed in to it. The one place a `UserScope` is made.
pub struct Workspace {
    data_dir: PathBuf,
    // A std lock, held only to swap or clone the scope: never across an await.
    current: RwLock<Option<UserScope>>,
    /// The desktop's one player, which must not outlive its user (see `before_change`).
    player: Option<PlayerHandle>,
}

impl Workspace {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            current: RwLock::new(None),
            player: None,
        }
    }

    /// Ties the player to this workspace: whenever the signed-in user changes, their
    /// playback is stopped and forgotten first.
    pub fn with_player(mut self, player: PlayerHandle) -> Self {
        self.player = Some(player);
        self
    }

    /// Runs just before the signed-in user changes (a sign-in of anyone, a sign-out), so
    /// that nothing of the one leaving is playing, or can be started, once the next is
    /// current — however long their sign-in waited in the browser.
    async fn before_change(&self, next: Option<&str>) {
        if let Some(player) = &self.player {
            if let Err(error) = player.switching_to(next).await {
                tracing::warn!(%error, "could not stop playback before a change of user");
            }
        }
    }

    /// Opens the verified user's own folder and library and makes them the signed-in user.
    /// Whoever was signed in before is signed out.
    pub async fn sign_in(&self, identity: VerifiedIdentity, now_ms: i64) -> Result<UserScope> {
        let key = identity.account.key();
        let paths = UserPaths::for_key(&self.data_dir, &key);
        paths.ensure().await?;
        let pool = db::open(&paths.database()).await?;
        sqlx::query!(
            "INSERT INTO users (id, display_name, created_at_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name",
            key,
            identity.display_name,
            now_ms,
        )
        .execute(&pool)
        .await?;
        super::card::write(
            paths.root(),
            &super::card::Card {
                account: identity.account.clone(),
                name: identity.display_name.clone(),
                email: identity.email.clone(),
            },
        )
        .await?;
        let scope = UserScope::new(
            identity.account,
            identity.display_name,
            identity.email,
            paths,
            pool,
        );
        self.before_change(Some(scope.user_id())).await;
        let previous = self.replace(Some(scope.clone()));
        if let Some(previous) = previous {
            previous.close().await;
        }
        last::remember(
            &self.data_dir,
            &LastSession {
                provider: scope.provider(),
                account: scope.user_id().to_owned(),
            },
        )
        .await;
        tracing::info!(user_id = scope.user_id(), provider = ?scope.provider(), "signed in");
        Ok(scope)
    }

    /// The signed-in user's scope, or `not_signed_in`.
    pub fn current(&self) -> Result<UserScope> {
        self.current
            .read()
            .map_err(|_| Error::Internal("session lock poisoned".into()))?
            .clone()
            .ok_or(Error::NotSignedIn)
    }

    pub async fn sign_out(&self) {
        last::forget(&self.data_dir).await;
        self.before_change(None).await;
        if let Some(previous) = self.replace(None) {
            tracing::info!(user_id = previous.user_id(), "signed out");
            previous.close().await;
        }
    }

    /// Who was signed in when the app last closed, if they did not sign out.
    pub async fn last_session(&self) -> Option<LastSession> {
        last::recall(&self.data_dir).await
    }

    fn replace(&self, next: Option<UserScope>) -> Option<UserScope> {
        match self.current.write() {
            Ok(mut guard) => std::mem::replace(&mut *guard, next),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), next),
        }
    }
}
