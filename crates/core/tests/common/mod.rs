#![allow(dead_code)]

use calldeck_core::session::VerifiedIdentity;
use calldeck_core::{UserScope, Workspace};

/// A fixed "now" (2026-11-20T12:00:00Z), so seeded dates do not depend on the clock.
pub const NOW_MS: i64 = 1_795_176_000_000;

pub async fn signed_in(data_dir: &std::path::Path, subject: &str) -> (Workspace, UserScope) {
    let workspace = Workspace::new(data_dir);
    let scope = workspace
        .sign_in(VerifiedIdentity::for_tests(subject), NOW_MS)
        .await
        .expect("sign in");
    (workspace, scope)
}
