//! Per-user folders, path validation, atomic file writes, and the data folder's one owner.

mod atomic;
mod instance;
mod paths;

pub use atomic::{copy_atomic, write_atomic, PARTIAL_SUFFIX};
pub use instance::{folder_id, DataFolderLock, InstanceError, LOCK_FILE};
pub use paths::UserPaths;
