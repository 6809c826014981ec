//! Switches the end-to-end tests need and users must not have: answering every file dialog
//! with a folder (WebDriver cannot reach a native dialog), opening sign-in pages with a
//! scripted browser, and pointing the Twilio client at a loopback fake over plain http.
//!
//! They exist only in builds with the `test-hooks` feature (`make test-e2e` builds one). In
//! the app users get (`make run`, `make package`, `make bench`) every reader here answers
//! `None` and the variables' names are not even in the binary.
//!
//! - `export_dir`: `CALLDECK_EXPORT_DIR`, the folder that answers every save and folder dialog.
//! - `browser_command`: `CALLDECK_BROWSER`, a command run with the URL as its last argument
//!   instead of the system browser.
//! - `twilio_base_url`: `CALLDECK_TWILIO_BASE_URL`, another Twilio API host.

pub use read::{browser_command, export_dir, twilio_base_url};

#[cfg(feature = "test-hooks")]
mod read {
    use std::path::PathBuf;

    pub fn export_dir() -> Option<PathBuf> {
        std::env::var_os("CALLDECK_EXPORT_DIR").map(PathBuf::from)
    }

    pub fn browser_command() -> Option<String> {
        std::env::var("CALLDECK_BROWSER").ok()
    }

    pub fn twilio_base_url() -> Option<String> {
        std::env::var("CALLDECK_TWILIO_BASE_URL").ok()
    }
}

#[cfg(not(feature = "test-hooks"))]
mod read {
    use std::path::PathBuf;

    pub fn export_dir() -> Option<PathBuf> {
        None
    }

    pub fn browser_command() -> Option<String> {
        None
    }

    pub fn twilio_base_url() -> Option<String> {
        None
    }
}
