#!/usr/bin/env bash
# The query data behind the checked SQL of crates/core: builds a throwaway SQLite database
# with every migration applied (the same files `sqlx::migrate!` runs when a library opens),
# then has the SQL macros describe each query against it.
#   scripts/sqlx-prepare.sh          rewrites .sqlx/ (commit it with the query change)
#   scripts/sqlx-prepare.sh --check  fails if .sqlx/ is not what today's queries would write
# Needs sqlx-cli (scripts/bootstrap.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v sqlx >/dev/null 2>&1; then
  echo "sqlx-prepare: sqlx-cli is missing; run scripts/bootstrap.sh (or make bootstrap)" >&2
  exit 1
fi

folder="${CARGO_TARGET_DIR:-target}/sqlx"
mkdir -p "$folder"
database="$(cd "$folder" && pwd)/schema.db"
rm -f "$database" "$database-wal" "$database-shm"
export DATABASE_URL="sqlite://$database"
sqlx database create
sqlx migrate run --source migrations >/dev/null

# --workspace: the data goes to .sqlx/ at the top, where the macros of every crate find it.
# All of the core's targets and features, so a query in a test or an example is prepared too.
cargo sqlx prepare --workspace "$@" -- -p calldeck-core --all-targets --all-features --locked
