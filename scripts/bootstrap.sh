#!/usr/bin/env bash
# Installs what CallDeck needs to build, run and test on Debian 12, only where missing.
# Idempotent: a second run on a ready machine does nothing but checks.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

APT_PACKAGES=(
  build-essential pkg-config curl file libssl-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libasound2-dev
  xvfb xauth webkit2gtk-driver imagemagick xdotool x11-utils
  espeak-ng sox libsox-fmt-mp3 lame
  pocketsphinx pocketsphinx-en-us pocketsphinx-testdata
  gnome-keyring libsecret-tools dbus dbus-x11
  desktop-file-utils
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "bootstrap: installing system packages: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "bootstrap: installing tauri-driver"
  cargo install tauri-driver --locked
fi

# The CLI that writes and checks .sqlx/, the query data the SQL macros are checked against
# (scripts/sqlx-prepare.sh). Its version is the workspace's sqlx (Cargo.lock); SQLite only.
SQLX_VERSION="$(awk '/^name = "sqlx"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)"
if ! sqlx --version 2>/dev/null | grep -qx "sqlx-cli $SQLX_VERSION"; then
  echo "bootstrap: installing sqlx-cli $SQLX_VERSION"
  cargo install sqlx-cli --version "=$SQLX_VERSION" --locked --no-default-features --features sqlite
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "bootstrap: installing UI packages"
  (cd ui && npm ci --no-audit --no-fund)
fi

# The loopback OpenID provider and scripted browser the sign-in tests use (oidc-provider).
if [ ! -d tests/oidc/node_modules ] || [ tests/oidc/package-lock.json -nt tests/oidc/node_modules/.package-lock.json ]; then
  echo "bootstrap: installing the test OpenID provider's packages"
  (cd tests/oidc && npm ci --no-audit --no-fund)
fi
