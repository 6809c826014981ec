use calldeck_core::Workspace;

/// What the shell manages: the workspace, which holds the signed-in session.
pub struct AppState {
    pub workspace: Workspace,
}
