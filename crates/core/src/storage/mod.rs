//! Per-user folders, path validation, atomic file writes, and the data folder's one owner.

mod atomic;
mod instance;
mod partial;
mod paths;

pub use atomic::{copy_atomic, write_atomic};
pub use instance::{folder_id, DataFolderLock, InstanceError, LOCK_FILE};
pub use partial::{is_live_partial, Access, PartialFile, PARTIAL_SUFFIX};
pub use paths::UserPaths;
