//! What a support ticket needs, gathered in one place (Settings → About → Copy
//! diagnostics): versions, the OS, how much data the signed-in person keeps here, and the
//! last problems from the log. Nothing secret: no token, no key, no phone number in full
//! (the log lines are masked), no SID, and the home folder shown as `~`.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sqlx::Connection;

use crate::logs;
use crate::session::UserScope;

/// How many of the log's last problems a report carries.
pub const RECENT_PROBLEMS: usize = 20;

/// The versions only the shell knows (the core has no Tauri and no webview).
#[derive(Debug, Clone)]
pub struct ShellVersions {
    pub app: String,
    pub tauri: String,
    /// WebKitGTK on Linux (the webview's own version elsewhere).
    pub webview: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostics {
    pub app_version: String,
    pub tauri_version: String,
    pub webview_version: String,
    pub sqlite_version: String,
    /// The distribution's name, the OS and architecture, and the kernel.
    pub os: String,
    /// The signed-in person's data here; `null` before sign-in.
    pub data: Option<DataSizes>,
    /// Where the log files are (the home folder as `~`).
    pub log_folder: String,
    /// The log's last errors and warnings, masked, oldest first.
    pub recent_problems: Vec<String>,
    /// All of the above as plain text, what "Copy diagnostics" copies.
    pub report: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DataSizes {
    /// The library database with its write-ahead log.
    pub database_bytes: f64,
    /// Downloaded audio and cached waveforms.
    pub media_bytes: f64,
    pub media_files: u32,
}

/// Gathers the diagnostics of this computer and of the signed-in person (`scope`).
pub async fn gather(
    scope: Option<&UserScope>,
    shell: ShellVersions,
    log_dir: &Path,
) -> Diagnostics {
    let sqlite_version = sqlite_version().await;
    let data = match scope {
        Some(scope) => {
            let paths = scope.paths().clone();
            tokio::task::spawn_blocking(move || data_sizes(&paths.database(), &paths.media_dir()))
                .await
                .ok()
        }
        None => None,
    };
    let dir = log_dir.to_path_buf();
    let recent_problems =
        tokio::task::spawn_blocking(move || logs::recent_problems(&dir, RECENT_PROBLEMS))
            .await
            .unwrap_or_default();
    let mut diagnostics = Diagnostics {
        app_version: shell.app,
        tauri_version: shell.tauri,
        webview_version: shell.webview,
        sqlite_version,
        os: os_description(),
        data,
        log_folder: without_home(log_dir),
        recent_problems,
        report: String::new(),
    };
    diagnostics.report = report(&diagnostics);
    diagnostics
}

/// The SQLite CallDeck is built with (bundled, so the same for every database it opens).
async fn sqlite_version() -> String {
    let version = async {
        let mut connection = sqlx::SqliteConnection::connect("sqlite::memory:").await?;
        let version: String = sqlx::query_scalar("SELECT sqlite_version()")
            .fetch_one(&mut connection)
            .await?;
        connection.close().await?;
        Ok::<_, sqlx::Error>(version)
    };
    version.await.unwrap_or_else(|_| "unknown".into())
}

fn data_sizes(database: &Path, media: &Path) -> DataSizes {
    let database_bytes = ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut name = database.as_os_str().to_owned();
            name.push(suffix);
            file_len(Path::new(&name))
        })
        .sum::<u64>();
    let (media_bytes, media_files) = folder_size(media);
    DataSizes {
        database_bytes: database_bytes as f64,
        media_bytes: media_bytes as f64,
        media_files,
    }
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Bytes and files in a folder and the folders inside it (links not followed).
fn folder_size(dir: &Path) -> (u64, u32) {
    let mut bytes = 0;
    let mut files = 0;
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
                files += 1;
            }
        }
    }
    (bytes, files)
}

fn os_description() -> String {
    let name = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .ok()
        .map(|k| k.trim().to_string());
    let mut parts = Vec::new();
    parts.extend(name);
    parts.push(format!(
        "{} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    ));
    parts.extend(kernel.map(|k| format!("kernel {k}")));
    parts.join(" · ")
}

/// A path with the home folder as `~`: the user's login name is no business of a ticket.
fn without_home(path: &Path) -> String {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match home
        .as_deref()
        .and_then(|home| path.strip_prefix(home).ok())
    {
        Some(rest) if !rest.as_os_str().is_empty() => format!("~/{}", rest.display()),
        _ => path.display().to_string(),
    }
}

/// Bytes for a person: `1.2 MB`.
pub fn human_bytes(bytes: f64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut value = bytes;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn report(d: &Diagnostics) -> String {
    let mut lines = vec![
        format!("CallDeck {}", d.app_version),
        format!(
            "Tauri {} · WebKitGTK {} · SQLite {}",
            d.tauri_version, d.webview_version, d.sqlite_version
        ),
        format!("OS: {}", d.os),
        match &d.data {
            Some(data) => format!(
                "Data: library {} · audio {} in {} files",
                human_bytes(data.database_bytes),
                human_bytes(data.media_bytes),
                data.media_files
            ),
            None => "Data: nobody is signed in".into(),
        },
        format!("Logs: {}", d.log_folder),
    ];
    if d.recent_problems.is_empty() {
        lines.push("Last problems: none in the log".into());
    } else {
        lines.push(format!("Last problems ({}):", d.recent_problems.len()));
        lines.extend(d.recent_problems.iter().map(|line| format!("  {line}")));
    }
    let mut text = lines.join("\n");
    text.push('\n');
    // The lines came masked from the log; the report as a whole is masked once more.
    logs::redact(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_for_a_person() {
        assert_eq!(human_bytes(0.0), "0 bytes");
        assert_eq!(human_bytes(1_234_567.0), "1.2 MB");
        assert_eq!(human_bytes(999.0), "999 bytes");
    }
}
