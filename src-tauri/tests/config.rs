//! The security settings in `tauri.conf.json` and the capability files, pinned.

use serde_json::Value;

fn read_json(relative: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("valid JSON")
}

#[test]
fn the_csp_allows_only_the_apps_own_content_and_ipc() {
    let conf = read_json("tauri.conf.json");
    let csp = conf["app"]["security"]["csp"]
        .as_object()
        .expect("a CSP is set");
    assert_eq!(
        csp["default-src"], "'self'",
        "nothing loads from elsewhere by default"
    );
    assert_eq!(csp["script-src"], "'self'", "scripts only from the bundle");
    assert_eq!(csp["object-src"], "'none'");
    assert_eq!(csp["frame-ancestors"], "'none'");
    for (directive, value) in csp {
        let value = value.as_str().expect("string directive");
        for forbidden in ["'unsafe-eval'", "'unsafe-inline'", "*", "https:", "http:"] {
            assert!(
                !value.split_whitespace().any(|source| source == forbidden),
                "{directive} must not allow {forbidden}"
            );
        }
        for source in value.split_whitespace().filter(|s| s.contains("://")) {
            assert_eq!(
                source, "http://ipc.localhost",
                "{directive} may name only Tauri's IPC host"
            );
        }
    }
    assert_eq!(
        conf["app"]["withGlobalTauri"], false,
        "no global Tauri object for injected scripts"
    );
}

#[test]
fn the_main_window_gets_only_its_own_commands_and_no_remote_url_gets_ipc() {
    let capability = read_json("src-tauri/capabilities/main.json");
    assert_eq!(
        capability["windows"],
        serde_json::json!(["main"]),
        "granted to the main window only"
    );
    assert_eq!(capability["local"], true, "for the app's own pages");
    assert!(
        capability.get("remote").is_none(),
        "no remote URL may use IPC"
    );
    assert_eq!(
        capability["permissions"],
        serde_json::json!([
            "core:event:allow-listen",
            "core:event:allow-unlisten",
            "app-commands"
        ]),
        "the event plumbing and the app's own commands, nothing more"
    );
    let granted = command_set();
    let listed: Vec<String> = LISTED.iter().map(|c| permission_of(c)).collect();
    assert_eq!(
        granted, listed,
        "the app-commands set is exactly the commands of src-tauri/src/commands/list.rs"
    );
}

/// The Tauri CLI runs these in the first folder holding a package.json it finds, which is
/// not ui/ (tests/oidc has one too): `make package` then failed with "Missing script: build".
#[test]
fn the_ui_is_built_and_served_from_ui() {
    let conf = read_json("tauri.conf.json");
    let manifest = read_json("ui/package.json");
    for (hook, script) in [
        ("beforeBuildCommand", "npm run build"),
        ("beforeDevCommand", "npm run dev"),
    ] {
        let command = &conf["build"][hook];
        assert_eq!(command["script"], script, "{hook}");
        assert_eq!(command["cwd"], "ui", "{hook} runs in ui/");
        let name = script.trim_start_matches("npm run ");
        assert!(
            manifest["scripts"][name].is_string(),
            "ui/package.json has the script {hook} runs"
        );
    }
    assert_eq!(conf["build"]["frontendDist"], "ui/dist");
}

// The one list of commands, as build.rs and the bindings read it.
include!("../src/commands/list.rs");

macro_rules! command_names {
    ($($module:ident :: $name:ident),* $(,)?) => {
        &[$(stringify!($name)),*]
    };
}

const LISTED: &[&str] = command_list!(command_names);

fn permission_of(command: &str) -> String {
    format!("allow-{}", command.replace('_', "-"))
}

/// The `app-commands` set as tauri-build resolved it (build.rs writes it from the list;
/// tauri-build records every permission it compiled into the app in gen/schemas).
fn command_set() -> Vec<String> {
    let manifests = read_json("gen/schemas/acl-manifests.json");
    let set = &manifests["__app-acl__"]["permission_sets"]["app-commands"];
    set["permissions"]
        .as_array()
        .expect("build.rs wrote the app-commands set")
        .iter()
        .map(|p| p.as_str().expect("a permission name").to_string())
        .collect()
}

/// Every command the UI can call (the generated bindings) is in the one list, so tauri-build
/// makes its permission, and in the set the main window is granted: one left out is refused
/// at run time, which a UI that falls back on failure would not even show.
#[test]
fn every_command_in_the_bindings_is_permitted_to_the_main_window() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bindings = std::fs::read_to_string(root.join("ui/src/bindings.ts")).expect("bindings");
    let granted = command_set();
    let commands: Vec<&str> = bindings
        .split("TAURI_INVOKE(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(commands.len() > 40, "the bindings were read: {commands:?}");
    assert_eq!(
        commands.len(),
        LISTED.len(),
        "the bindings call exactly the listed commands"
    );
    for command in commands {
        assert!(
            LISTED.contains(&command),
            "{command} is missing from src-tauri/src/commands/list.rs"
        );
        let permission = permission_of(command);
        assert!(
            granted.contains(&permission),
            "{permission} is missing from the app-commands set the main window is granted"
        );
    }
}
