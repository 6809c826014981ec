//! Regenerates `ui/src/bindings.ts` from the Rust commands (`make bindings`).

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Err(error) =
        calldeck_shell::bindings::export(&root.join(calldeck_shell::bindings::BINDINGS_PATH))
    {
        eprintln!("could not export bindings: {error}");
        std::process::exit(1);
    }
}
