//! The recording library at scale: `make bench` runs this (release build) through
//! `scripts/bench/library.mjs`.
//!
//!   cargo run --release -p calldeck-core --example bench_library --features test-support -- \
//!       [--out target/bench/library.json] [--iterations 200]
//!
//! It builds its own data, once, and keeps it under `target/bench/data/` (delete the folder,
//! or change `DATA_VERSION`, to regenerate):
//! - `own_1m`: one user's own database of 1,000,000 recordings, as the app has it (each user
//!   has a database of their own); figures suffixed `_own_1m`;
//! - `1m`: one database file holding 1,000,000 recordings of 31 users; the heavy user holds
//!   250,000, the others' rows sit beside them so that every query must filter on user_id
//!   (list figures suffixed `_1m`, the others `_heavy`);
//! - `100k`: a library of one user with 100,000 recordings (list figures, suffixed `_100k`).
//!
//! Transcripts are on 40 % of the recordings of each. Every figure goes through the same
//! core functions the Tauri commands call, with the pool and settings the app uses, and is
//! the p95 of `--iterations` runs after a warm-up. The figures are written as a JSON list of
//! `{name, value, unit, target, detail}`.

mod data;
mod figures;
mod measure;
mod transcripts;

use std::path::{Path, PathBuf};

use data::{dataset, HEAVY, HEAVY_SHARE, OTHER_USERS, OWN, SOLO};
use figures::{dataset_figures, Dataset};

async fn run(out_file: &Path, iterations: usize) -> Result<(), Box<dyn std::error::Error>> {
    let root = data_root();
    std::fs::create_dir_all(&root)?;
    let mut out = Vec::new();
    let mut generated = Vec::new();

    let (ws, own, took) = dataset(&root, "own_1m", OWN, &[], 1.0, 1_000_000).await?;
    generated.push(("own_1m", took));
    let ds = Dataset {
        scope: &own,
        about: "one user's own database of 1,000,000 recordings",
        list: "own_1m",
        queries: Some("own_1m"),
    };
    dataset_figures(&ds, iterations, &mut out).await?;
    ws.sign_out().await;

    let others: Vec<String> = (0..OTHER_USERS)
        .map(|i| format!("bench|user-{i:02}"))
        .collect();
    let (ws, heavy, took) = dataset(&root, "1m", HEAVY, &others, HEAVY_SHARE, 1_000_000).await?;
    generated.push(("1m", took));
    let ds = Dataset {
        scope: &heavy,
        about: "1,000,000 recordings of 31 users in one database; the heavy user holds ~250,000",
        list: "1m",
        queries: Some("heavy"),
    };
    dataset_figures(&ds, iterations, &mut out).await?;
    ws.sign_out().await;

    let (ws, solo, took) = dataset(&root, "100k", SOLO, &[], 1.0, 100_000).await?;
    generated.push(("100k", took));
    let ds = Dataset {
        scope: &solo,
        about: "100,000 recordings of one user",
        list: "100k",
        queries: None,
    };
    dataset_figures(&ds, iterations, &mut out).await?;
    ws.sign_out().await;

    for (name, took) in generated.into_iter().filter(|(_, s)| *s > 0.0) {
        eprintln!("bench_library: generated the {name} data in {took:.1} s");
    }
    if let Some(parent) = out_file.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(out_file, serde_json::to_string_pretty(&out)?)?;
    eprintln!("bench_library: wrote {}", out_file.display());
    Ok(())
}

fn data_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("BENCH_DATA_DIR") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        PathBuf::from,
    );
    target.join("bench").join("data")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = data_root().join("../library.json");
    let mut iterations = 200;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--out", Some(path)) => out = PathBuf::from(path),
            ("--iterations", Some(n)) => iterations = n.parse()?,
            _ => {
                return Err(
                    format!("usage: bench_library [--out FILE] [--iterations N] ({arg}?)").into(),
                )
            }
        }
    }
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(run(&out, iterations.max(1)))
}
