//! Who is signed in. The user id comes from here and nowhere else.

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
