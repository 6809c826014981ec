//! Seeds app data folders for the real-window benchmarks (`scripts/bench/ui.mjs`): a
//! `CALLDECK_DATA_DIR` whose last session is the demo workspace, with a library of N
//! recordings made by the library benchmark's generator (same contacts, skew, statuses and
//! transcripts on 40 %) instead of the demo's 200. The app restores it at start like any
//! demo session; its library is not empty, so the demo seed does not run.
//!
//!   cargo run --release -p calldeck-core --example bench_ui_data --features test-support -- \
//!       --recordings 250000 --dir target/bench/data/ui-250k
//!
//! Writes `<dir>-v<DATA_VERSION>/` (reused while it holds the file `complete`; the bench
//! copies it to a throwaway folder before each run) and prints that path on stdout.

// The library benchmark's generator, shared rather than copied; this example uses only
// `generate` and what it needs, so the rest of the module is dead code here.
#[allow(dead_code)]
#[path = "bench_library/data.rs"]
mod data;
#[allow(dead_code)]
#[path = "bench_library/transcripts.rs"]
mod transcripts;

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use calldeck_core::{demo, Workspace};

async fn seed(dir: &std::path::Path, recordings: u64) -> Result<(), Box<dyn std::error::Error>> {
    let workspace = Workspace::new(dir);
    // Signing in remembers the session, so the app reopens this library at start.
    let scope = workspace.sign_in(demo::identity(), data::NOW_MS).await?;
    let started = Instant::now();
    data::generate(&scope, &[scope.user_id().to_owned()], 1.0, recordings).await?;
    scope.pool_for_tests().close().await;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!("bench_ui_data: {recordings} recordings in {seconds:.1} s");
    std::fs::write(
        dir.join("complete"),
        format!("{recordings} recordings, {seconds:.1} s\n"),
    )?;
    Ok(())
}

async fn run(base: PathBuf, recordings: u64) -> Result<(), Box<dyn std::error::Error>> {
    let mut name = base
        .file_name()
        .ok_or("--dir needs a folder name")?
        .to_os_string();
    name.push(format!("-v{}", data::DATA_VERSION));
    let dir = base.with_file_name(name);
    if !dir.join("complete").exists() {
        // A run cut short leaves an incomplete folder: start again.
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        seed(&dir, recordings).await?;
    }
    writeln!(std::io::stdout(), "{}", dir.display())?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut dir = None;
    let mut recordings = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--dir", Some(path)) => dir = Some(PathBuf::from(path)),
            ("--recordings", Some(n)) => recordings = Some(n.parse()?),
            _ => {
                return Err(
                    format!("usage: bench_ui_data --dir DIR --recordings N ({arg}?)").into(),
                )
            }
        }
    }
    let (Some(dir), Some(recordings)) = (dir, recordings) else {
        return Err("usage: bench_ui_data --dir DIR --recordings N".into());
    };
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(run(dir, recordings))
}
