#!/usr/bin/env bash
# Benchmarks a CallDeck build: scripts/bench.sh target/release/calldeck
#
# First the recording library (scripts/bench/library.mjs: a release build of calldeck-core's
# bench_library example, which generates a user's own 1M, a shared 1M and a 100k library once
# under target/bench/data/),
# then the app's start and memory. Writes target/bench/results.json (merged by name with other
# benchmarks' entries) and prints every entry as a table. Needs Xvfb, tauri-driver and
# WebKitWebDriver (see scripts/bootstrap.sh) and Node 20. Knobs: BENCH_RUNS (5 starts),
# BENCH_IDLE_SETTLE_S (10), BENCH_KEEP_WORK=1 (keep the scratch data dir),
# BENCH_LIBRARY_ITERATIONS (200), BENCH_SKIP_LIBRARY=1, BENCH_SKIP_SYNC=1, BENCH_SKIP_SYNC_1M=1,
# BENCH_SKIP_PLAYER=1, BENCH_SKIP_UI=1. Logs: target/bench/logs/.
# The sync benchmark (scripts/bench/sync.mjs: bench_sync against the loopback Twilio fake, with
# the official twilio Python SDK as the peer, installed from PyPI into target/bench/venv, then
# again under the fake's latency model with 100k and 1M recordings) runs after the library's; then the player's (scripts/bench/player.mjs: bench_player, time
# to first audio and seek latency through a real-time drain, no sound card needed); then the
# real window's (scripts/bench/ui.mjs: the release app on 250k and 100k libraries seeded by the
# bench_ui_data example, timed inside the page over WebDriver).
set -euo pipefail

if [ $# -ne 1 ] || [ ! -f "$1" ] || [ ! -x "$1" ]; then
  echo "usage: $0 <path to the release binary, e.g. target/release/calldeck>" >&2
  [ $# -eq 1 ] && echo "bench.sh: '$1' is not an executable file" >&2
  exit 2
fi
BIN=$(realpath -- "$1")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$PATH:$HOME/.cargo/bin"
for tool in node Xvfb tauri-driver WebKitWebDriver dbus-run-session; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool not found (see scripts/bootstrap.sh)" >&2; exit 2; }
done
cd "$ROOT"
if [ "${BENCH_SKIP_LIBRARY:-0}" != 1 ]; then
  node scripts/bench/library.mjs
fi
if [ "${BENCH_SKIP_SYNC:-0}" != 1 ]; then
  node scripts/bench/sync.mjs
fi
if [ "${BENCH_SKIP_PLAYER:-0}" != 1 ]; then
  node scripts/bench/player.mjs
fi
# The app's starts run on a private D-Bus session bus, as on a desktop: without one, GLib
# autolaunches a bus (dbus-launch) and the accessibility bus in every start, which no
# desktop does, and the single-instance check has nothing to ask.
if [ "${BENCH_SKIP_UI:-0}" != 1 ]; then
  dbus-run-session -- node scripts/bench/ui.mjs "$BIN"
fi
exec dbus-run-session -- node scripts/bench/bench.mjs "$BIN"
