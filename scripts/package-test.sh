#!/usr/bin/env bash
# The package as a user gets it, after `make package`: installs the .deb (dpkg -i as root,
# removed again afterwards unless it was installed before; otherwise, or with
# PACKAGE_TEST_EXTRACT=1, unpacked with dpkg -x into a throwaway root), checks its desktop
# entry and icon, then starts the installed `calldeck` under Xvfb and sees the sign-in
# screen over WebDriver (tests/package/installed.test.mjs, through tests/e2e/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR=${CARGO_TARGET_DIR:-target}
shopt -s nullglob
# The newest .deb: the one `make package` just built.
DEB=$(ls -t "$TARGET_DIR"/release/bundle/deb/*.deb 2>/dev/null | head -1)
[ -n "$DEB" ] || { echo "package-test: no .deb in $TARGET_DIR/release/bundle/deb: run make package" >&2; exit 1; }
start=$(date +%s)

fail() { echo "package-test: $*" >&2; exit 1; }

# The bundler names the package after the product name (CallDeck -> call-deck).
PACKAGE=$(dpkg-deb -f "$DEB" Package)
ROOT=""
INSTALLED=0
cleanup() {
  local status=$?
  if [ "$INSTALLED" = 1 ]; then dpkg -r "$PACKAGE" >/dev/null || echo "package-test: could not remove $PACKAGE" >&2; fi
  [ -n "$ROOT" ] && rm -rf "$ROOT"
  exit "$status"
}
trap cleanup EXIT

if [ "$(id -u)" = 0 ] && [ "${PACKAGE_TEST_EXTRACT:-0}" != 1 ]; then
  dpkg-query -W -f='${Status}' "$PACKAGE" 2>/dev/null | grep -q "install ok installed" && was_there=1 || was_there=0
  dpkg -i "$DEB" >/dev/null || fail "dpkg -i $DEB failed (missing dependencies?)"
  [ "$was_there" = 1 ] || INSTALLED=1
  PREFIX=""
  echo "package-test: installed $(basename "$DEB") with dpkg -i"
else
  ROOT=$(mktemp -d "${TMPDIR:-/tmp}/calldeck-package.XXXXXX")
  dpkg-deb -x "$DEB" "$ROOT"
  PREFIX=$ROOT
  echo "package-test: unpacked $(basename "$DEB") into $ROOT (dpkg -x)"
fi

# --- the package's control data --------------------------------------------------------
depends=$(dpkg-deb -f "$DEB" Depends)
[[ "$depends" == *libwebkit2gtk-4.1-0* ]] || fail "Depends does not name libwebkit2gtk-4.1-0: $depends"

# --- the binary and the desktop entry --------------------------------------------------
BIN=$PREFIX/usr/bin/calldeck
[ -x "$BIN" ] || fail "no executable $BIN"
# The package's own files (the system's /usr/share/applications holds others').
contents=$(dpkg-deb -c "$DEB" | awk '{print $6}' | sed 's|^\./||')
desktop=($(grep '^usr/share/applications/.*\.desktop$' <<<"$contents" || true))
[ ${#desktop[@]} -eq 1 ] || fail "expected one desktop entry in the package, found ${#desktop[@]}"
entry=$PREFIX/${desktop[0]}
[ -f "$entry" ] || fail "$entry is not in place"
value() { sed -n "s/^$1=//p" "$entry" | head -1; }
[ "$(value Type)" = Application ] || fail "desktop entry: Type is '$(value Type)'"
[ "$(value Name)" = CallDeck ] || fail "desktop entry: Name is '$(value Name)'"
[ "$(value Exec)" = calldeck ] || fail "desktop entry: Exec is '$(value Exec)', not the installed calldeck"
[ "$(value Icon)" = calldeck ] || fail "desktop entry: Icon is '$(value Icon)'"
[[ ";$(value Categories)" == *";Office;"* ]] || fail "desktop entry: Categories is '$(value Categories)', expected Office (bundle category Business)"
icons=($(grep '^usr/share/icons/hicolor/.*/apps/calldeck\.png$' <<<"$contents" || true))
[ ${#icons[@]} -ge 1 ] || fail "no hicolor icon named calldeck.png in the package"
for icon in "${icons[@]}"; do [ -s "$PREFIX/$icon" ] || fail "$PREFIX/$icon is not in place"; done
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$entry" || fail "desktop-file-validate refused $entry"; fi
echo "package-test: desktop entry $(basename "$entry"): Exec=calldeck Name=CallDeck Icon=calldeck Categories=$(value Categories) (${#icons[@]} icon sizes)"

# --- the installed app starts ------------------------------------------------------------
E2E_ONLY=tests/package/installed.test.mjs tests/e2e/run.sh "$BIN"
echo "package-test: passed in $(( $(date +%s) - start )) s"
