use calldeck_core::audit::{self, AuditEntry, AuditRequest};
use calldeck_core::library::{self, CleanupPolicy, CleanupPreview, CleanupResult};
use calldeck_core::{now_ms, ApiError};
use tauri::State;

use crate::events::LibraryChange;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn preview_cleanup(
    state: State<'_, AppState>,
    policy: CleanupPolicy,
) -> Result<CleanupPreview, ApiError> {
    let scope = state.workspace.current()?;
    Ok(library::preview_cleanup(&scope, &policy, now_ms()).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn run_cleanup(
    state: State<'_, AppState>,
    policy: CleanupPolicy,
) -> Result<CleanupResult, ApiError> {
    let scope = state.workspace.current()?;
    let result = library::run_cleanup(&scope, &policy, now_ms()).await?;
    state.library_changed(LibraryChange::Everything);
    Ok(result)
}

#[tauri::command]
#[specta::specta]
pub async fn list_audit(
    state: State<'_, AppState>,
    request: AuditRequest,
) -> Result<Vec<AuditEntry>, ApiError> {
    let scope = state.workspace.current()?;
    Ok(audit::list_audit(&scope, &request).await?)
}

/// Saves the audit log as CSV where the user chooses. `None` when they cancelled.
#[tauri::command]
#[specta::specta]
pub async fn export_audit_csv(state: State<'_, AppState>) -> Result<Option<String>, ApiError> {
    let scope = state.workspace.current()?;
    let Some(path) = state.save_path("calldeck-audit.csv").await else {
        return Ok(None);
    };
    let csv = audit::audit_csv(&scope).await?;
    calldeck_core::storage::write_atomic(&path, csv.as_bytes())
        .await
        .map_err(|_| {
            calldeck_core::Error::invalid(
                "CallDeck could not write the file there. Choose another place.",
            )
        })?;
    Ok(path.file_name().and_then(|n| n.to_str()).map(str::to_owned))
}
