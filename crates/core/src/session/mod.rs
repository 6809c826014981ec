//! Who is signed in. The user id comes from here and nowhere else.

mod identity;
mod last;
mod scope;
mod workspace;

pub use identity::{Provider, VerifiedIdentity};
pub use last::LastSession;
pub use scope::{SignedInUser, UserScope};
pub use workspace::Workspace;
