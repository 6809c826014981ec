#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked GNOME keyring (the Secret
# Service the `keyring` crate talks to on Linux), so tests exercise the real OS keyring on a
# headless machine. CALLDECK_REQUIRE_KEYRING=1 makes the keyring tests fail if it is absent.
set -euo pipefail
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: dbus-run-session or gnome-keyring-daemon missing (see scripts/bootstrap.sh)" >&2
  exit 2
fi
export CALLDECK_REQUIRE_KEYRING=1
# A throwaway keyring folder: never the user's own keyrings, and no state between runs.
keyrings=$(mktemp -d "${TMPDIR:-/tmp}/calldeck-keyring.XXXXXX")
trap 'rm -rf "$keyrings"' EXIT
export XDG_DATA_HOME="$keyrings"
# The password only unlocks a throwaway keyring that lives as long as this session.
# Storing one probe item first waits until the default collection exists, so the tests never
# race its creation (which would otherwise ask a prompter that has no display).
dbus-run-session -- sh -c '
  echo -n calldeck-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  echo -n probe | secret-tool store --label=calldeck-probe calldeck probe 2>/dev/null || true
  exec "$@"' sh "$@"
