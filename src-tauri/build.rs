// The shell's commands, as the capability files name them. tauri-build turns each into an
// `allow-<command>` permission, so a window is granted exactly the commands it lists.
const COMMANDS: &[&str] = &[
    "session_status",
    "open_demo_workspace",
    "sign_out",
    "list_recordings",
    "get_recording",
    "report_first_paint",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
