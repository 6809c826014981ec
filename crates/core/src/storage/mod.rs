//! Per-user folders, path validation and atomic file writes.

mod atomic;
mod partial;
mod paths;

pub use atomic::{copy_atomic, write_atomic};
pub use partial::{is_live_partial, Access, PartialFile, PARTIAL_SUFFIX};
pub use paths::UserPaths;
