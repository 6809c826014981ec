//! CallDeck's log file: where it is written, how it rotates, what it must never hold
//! (`redact`), and what a support ticket takes from it (`recent_problems`). The shell
//! installs the tracing subscriber that writes to it; the behaviour is here, testable.

pub mod file;
pub mod recent;
pub mod redact;

pub use file::{Limits, LogFile, FILE_NAME};
pub use recent::recent_problems;
pub use redact::{mask_phone, redact, Redacting};
