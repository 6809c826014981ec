//! The test-only switches (`CALLDECK_EXPORT_DIR`, `CALLDECK_BROWSER`,
//! `CALLDECK_TWILIO_BASE_URL`) exist only in builds with the `test-hooks` feature. `make test`
//! builds this package with its default features, as `make package` does: there the switches
//! are ignored and the app binary built beside this test does not even hold their names. The
//! e2e build (`--features test-hooks`) runs the other half, so both halves can fail.

use calldeck_shell::test_hooks;

const SWITCHES: [&str; 3] = [
    "CALLDECK_EXPORT_DIR",
    "CALLDECK_BROWSER",
    "CALLDECK_TWILIO_BASE_URL",
];

const PREFIX: &str = "CALLDECK_";

/// Sets every switch, as a hostile or careless environment could for an installed app.
fn set_all() {
    std::env::set_var("CALLDECK_EXPORT_DIR", "/tmp/calldeck-hooks-export");
    std::env::set_var("CALLDECK_BROWSER", "/bin/true --scripted");
    std::env::set_var("CALLDECK_TWILIO_BASE_URL", "http://127.0.0.1:9/");
}

/// Which of the switches' names the app binary built with this test holds.
fn names_in_app_binary() -> Vec<&'static str> {
    let binary = std::fs::read(env!("CARGO_BIN_EXE_calldeck")).expect("read the app binary");
    // One pass for the common prefix, then each name where it starts.
    let starts: Vec<&[u8]> = binary
        .windows(PREFIX.len())
        .enumerate()
        .filter(|(_, w)| *w == PREFIX.as_bytes())
        .map(|(at, _)| &binary[at..])
        .collect();
    SWITCHES
        .into_iter()
        .filter(|name| starts.iter().any(|s| s.starts_with(name.as_bytes())))
        .collect()
}

#[cfg(not(feature = "test-hooks"))]
#[test]
fn the_shipped_build_ignores_the_test_only_switches() {
    set_all();
    assert_eq!(test_hooks::export_dir(), None, "dialogs still ask the user");
    assert_eq!(
        test_hooks::browser_command(),
        None,
        "the system browser opens"
    );
    assert_eq!(
        test_hooks::twilio_base_url(),
        None,
        "Twilio is api.twilio.com"
    );
    assert_eq!(
        names_in_app_binary(),
        Vec::<&str>::new(),
        "the app binary cannot read what it does not name"
    );
}

#[cfg(feature = "test-hooks")]
#[test]
fn a_test_build_honours_the_switches() {
    set_all();
    assert_eq!(
        test_hooks::export_dir(),
        Some(std::path::PathBuf::from("/tmp/calldeck-hooks-export"))
    );
    assert_eq!(
        test_hooks::browser_command().as_deref(),
        Some("/bin/true --scripted")
    );
    assert_eq!(
        test_hooks::twilio_base_url().as_deref(),
        Some("http://127.0.0.1:9/")
    );
    assert_eq!(
        names_in_app_binary(),
        SWITCHES,
        "the scan finds the names where they are"
    );
}
