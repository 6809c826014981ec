//! Who is signed in. The user id comes from here and nowhere else.
//!
//! The session is the signed-in account (`Workspace::current`), the per-user scope every
//! query runs under (`UserScope`), who to reopen at start (`LastSession`) and the account
//! identity those rest on. Not here: the OpenID sign-in and its tokens (`crate::auth`), nor
//! the shell's token renewal (`src-tauri/src/token_refresh.rs`) or its sign-in commands
//! (`src-tauri/src/commands/auth.rs`).

mod account;
pub(crate) mod card;
mod identity;
mod last;
pub(crate) mod legacy;
mod scope;
mod workspace;

pub use account::AccountId;
pub use identity::{Provider, VerifiedIdentity};
pub use last::LastSession;
pub use scope::{SignedInUser, UserScope};
pub use workspace::Workspace;
