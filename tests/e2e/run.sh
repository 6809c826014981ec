#!/usr/bin/env bash
# Runs the end-to-end tests (node:test, tests/e2e/*.test.mjs) against an app binary.
#
#   tests/e2e/run.sh /abs/path/to/target/debug/calldeck
#
# Starts Xvfb on a free display when DISPLAY is unset, and tauri-driver (which starts
# WebKitWebDriver) on free 127.0.0.1 ports; both, and everything they started, are
# stopped by PID on exit. Screenshots and logs land in target/e2e/. Exits with node's
# status. E2E_KEEP_WORK=1 keeps the scratch folder (app data dirs, app logs);
# E2E_ONLY=tests/e2e/auth.test.mjs runs one file.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -f "$1" ] || [ ! -x "$1" ]; then
  echo "usage: $0 <path to the app binary, e.g. target/debug/calldeck>" >&2
  [ $# -eq 1 ] && echo "run.sh: '$1' is not an executable file" >&2
  exit 2
fi
BIN=$(realpath -- "$1")   # a relative path works too
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT="$ROOT/target/e2e"
export PATH="$PATH:$HOME/.cargo/bin"

for tool in node tauri-driver WebKitWebDriver; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found (see scripts/bootstrap.sh)" >&2; exit 2; }
done
if [ -z "${DISPLAY:-}" ] && ! command -v Xvfb >/dev/null; then
  echo "run.sh: DISPLAY is unset and Xvfb is not installed" >&2
  exit 2
fi

mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/calldeck-e2e.XXXXXX")
XVFB_PID=""
DRIVER_PID=""
NODE_PID=""

# --- processes: only ever the PIDs this script started, and their descendants -------

# Prints "<state> <starttime>" of a PID, or nothing if it is gone.
proc_id() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }   # the command name may contain spaces and parentheses
  set -- $stat
  echo "$1 ${20}"
}

# True if PID still runs as the process that had START as its start time.
same_alive() {
  local id
  id=$(proc_id "$1")
  [ -n "$id" ] && [ "${id%% *}" != "Z" ] && [ "${id#* }" = "$2" ]
}

# Prints "<pid> <starttime>" for every descendant of PID.
descendants() {
  local pid
  for pid in $(ps -e -o pid=,ppid= | awk -v root="$1" '
      { parent[$1] = $2 }
      END { for (p in parent) { q = parent[p]; while (q != root && q in parent && q > 1) q = parent[q]; if (q == root) print p } }'); do
    local id
    id=$(proc_id "$pid")
    [ -n "$id" ] && echo "$pid ${id#* }"
  done
}

# Stops a process this script started, then whatever it had started that outlived it.
stop_tree() {
  local root=$1 name=$2 snapshot pid start i
  snapshot=$(descendants "$root")
  kill -TERM "$root" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$root" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$root" 2>/dev/null && echo "run.sh: $name ($root) needed SIGKILL" >&2
  wait "$root" 2>/dev/null || true
  [ -n "$snapshot" ] || return 0
  while read -r pid start; do
    same_alive "$pid" "$start" && kill -TERM "$pid" 2>/dev/null
  done <<<"$snapshot"
  for i in $(seq 50); do
    local left=0
    while read -r pid start; do same_alive "$pid" "$start" && left=1; done <<<"$snapshot"
    [ $left -eq 0 ] && return 0
    sleep 0.1
  done
  while read -r pid start; do
    if same_alive "$pid" "$start"; then
      echo "run.sh: process $pid left by $name needed SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done <<<"$snapshot"
}

cleanup() {
  local status=$?
  set +e
  [ -n "$NODE_PID" ] && stop_tree "$NODE_PID" node
  [ -n "$DRIVER_PID" ] && stop_tree "$DRIVER_PID" tauri-driver
  [ -n "$XVFB_PID" ] && stop_tree "$XVFB_PID" Xvfb
  if [ "${E2E_KEEP_WORK:-0}" = 1 ]; then echo "run.sh: scratch kept in $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- display ---------------------------------------------------------------------------
if [ -z "${DISPLAY:-}" ]; then
  # -displayfd: Xvfb picks a free display itself and writes its number once it is ready.
  Xvfb -displayfd 3 -nolisten tcp -screen 0 1280x800x24 3>"$WORK/display" >"$OUT/xvfb.log" 2>&1 &
  XVFB_PID=$!
  for i in $(seq 100); do
    grep -q '^[0-9][0-9]*$' "$WORK/display" 2>/dev/null && break
    kill -0 "$XVFB_PID" 2>/dev/null || { echo "run.sh: Xvfb exited, see $OUT/xvfb.log" >&2; exit 1; }
    sleep 0.1
  done
  grep -q '^[0-9][0-9]*$' "$WORK/display" || { echo "run.sh: Xvfb did not report a display" >&2; exit 1; }
  export DISPLAY=":$(cat "$WORK/display")"
  echo "run.sh: Xvfb (pid $XVFB_PID) on $DISPLAY"
fi

# --- tauri-driver ----------------------------------------------------------------------
# A free port P for tauri-driver with P+1 free too, for WebKitWebDriver (--native-port).
PORT=$(node -e '
  const net = require("node:net");
  const tryListen = (port) => new Promise((ok) => {
    const s = net.createServer().once("error", () => ok(0));
    s.listen(port, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); });
  });
  (async () => {
    for (let i = 0; i < 50; i++) {
      const p = await tryListen(0);
      if (p && p < 65535 && (await tryListen(p + 1))) { console.log(p); return; }
    }
    process.exit(1);
  })();')
# Whatever the app finds in the environment is a throwaway folder, never the user's data;
# the tests give each session its own folder on top of that (see writeLauncher).
export CALLDECK_DATA_DIR="$WORK/default-data"
mkdir -p "$CALLDECK_DATA_DIR"
tauri-driver --port "$PORT" --native-port "$((PORT + 1))" --native-host 127.0.0.1 >"$OUT/tauri-driver.log" 2>&1 &
DRIVER_PID=$!
echo "run.sh: tauri-driver (pid $DRIVER_PID) on 127.0.0.1:$PORT, WebKitWebDriver on $((PORT + 1))"

# --- tests -----------------------------------------------------------------------------
cd "$ROOT"
# In the background so that a signal to this script is handled at once (bash defers traps
# while a foreground command runs); cleanup stops it like the others.
CALLDECK_BIN="$BIN" WEBDRIVER_URL="http://127.0.0.1:$PORT" E2E_OUT_DIR="$OUT" E2E_WORK_DIR="$WORK" \
  node --test --test-reporter=spec --test-concurrency=1 ${E2E_ONLY:-tests/e2e/} &
NODE_PID=$!
status=0
wait "$NODE_PID" || status=$?
NODE_PID=""
echo "run.sh: screenshots and logs in $OUT"
exit $status
