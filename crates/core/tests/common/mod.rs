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

/// `n` distinct ports that were free a moment ago on 127.0.0.1 (bound together, then let go).
pub async fn free_ports(n: usize) -> Vec<u16> {
    let mut held = Vec::new();
    for _ in 0..n {
        held.push(
            tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind"),
        );
    }
    held.iter()
        .map(|l| l.local_addr().expect("addr").port())
        .collect()
}

/// How many rows `table` holds in `scope`'s database (a table name the test writes itself).
pub async fn rows_in(scope: &UserScope, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(scope.pool_for_tests())
        .await
        .unwrap_or_else(|e| panic!("count {table}: {e}"))
}
