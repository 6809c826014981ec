//! Per-user folders, path validation and atomic file writes.

mod atomic;
mod paths;

pub use atomic::{copy_atomic, write_atomic, PARTIAL_SUFFIX};
pub use paths::UserPaths;
