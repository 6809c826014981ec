# CallDeck. `make run` and `make test` are the two commands the README promises work on a
# fresh Debian 12 machine; everything they need is installed by scripts/bootstrap.sh.
SHELL := /bin/bash
.DEFAULT_GOAL := run
export PATH := $(HOME)/.cargo/bin:$(PATH)

# Cargo's output folder (CARGO_TARGET_DIR when set, as cargo itself does).
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
APP_DEBUG := $(TARGET_DIR)/debug/calldeck
APP_RELEASE := $(TARGET_DIR)/release/calldeck
# The switches only the end-to-end tests may use (src-tauri/src/test_hooks.rs).
TEST_ONLY_SWITCHES := CALLDECK_EXPORT_DIR CALLDECK_BROWSER CALLDECK_TWILIO_BASE_URL

.PHONY: run test bench soak package bootstrap ui build build-e2e build-release bindings \
        test-rust test-ui test-e2e test-package fmt clean sqlx-prepare

bootstrap:
	@scripts/bootstrap.sh

ui: bootstrap
	cd ui && npm run build

build: ui
	cargo build

## The app the end-to-end tests drive: the same build with their switches (test-hooks).
build-e2e: ui
	cargo build --locked --features test-hooks

build-release: ui
	cargo build --release

## Opens the app (the demo workspace needs no accounts).
run: build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "No display found: running under a virtual one (xvfb-run)."; \
	  xvfb-run -a -s "-screen 0 1280x800x24" $(APP_DEBUG); \
	else $(APP_DEBUG); fi

## Every test: Rust (format, lints, unit + integration), UI (types, lint, Vitest), end-to-end,
## and the .deb installed and started.
test: test-rust test-ui test-e2e test-package
	@echo "make test: all suites passed"

test-rust: ui
	@# .sqlx/ (the query data the SQL macros are checked against) matches the queries and
	@# the migrations; `make sqlx-prepare` rewrites it when it does not.
	scripts/sqlx-prepare.sh --check
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	scripts/with-keyring.sh cargo test --workspace --locked
	@# The core must stay free of Tauri: everything in it is testable without a webview.
	@if cargo tree -p calldeck-core -e normal,build --prefix none | grep -q '^tauri'; then \
	  echo "calldeck-core depends on tauri"; exit 1; fi

test-ui: bootstrap
	cd ui && npm run typecheck && npm run lint && npm test

test-e2e: build-e2e
	@# The switches exist in this build and work (test-rust proved the default build has none).
	cargo test --locked --features test-hooks --test test_hooks
	@# The loopback OpenID provider and scripted browser the sign-in tests rely on.
	cd tests/oidc && npm test
	@# The app under test gets a private D-Bus session with an unlocked throwaway keyring.
	scripts/with-keyring.sh tests/e2e/run.sh "$(abspath $(APP_DEBUG))"

## Figures for target/bench/results.json, measured on the release build.
bench: build-release
	scripts/bench.sh "$(abspath $(APP_RELEASE))"
	@if [ "$${BENCH_SKIP_SOAK:-0}" != 1 ]; then $(MAKE) --no-print-directory soak; fi

## The soak (scripts/bench/soak.mjs): the release app driven over WebDriver for SOAK_MINUTES
## (20), the PSS growth of each of its processes. It syncs from the loopback Twilio fake, which
## only a build with test-hooks can reach: that release build is copied to
## $(TARGET_DIR)/soak/calldeck, then the plain one is put back, so $(APP_RELEASE) never keeps the
## test-only switches (cargo keeps both builds side by side: once each exists, that is a copy).
soak: ui
	cargo build --release --locked --features test-hooks
	mkdir -p $(TARGET_DIR)/soak && cp $(APP_RELEASE) $(TARGET_DIR)/soak/calldeck
	cargo build --release --locked
	scripts/with-keyring.sh node scripts/bench/soak.mjs "$(abspath $(TARGET_DIR)/soak/calldeck)"

## A .deb built by the Tauri bundler (target/release/bundle/deb/), without the test-only
## switches: the check below fails the package if the binary so much as names one.
package: bootstrap
	ui/node_modules/.bin/tauri build --bundles deb
	@for name in $(TEST_ONLY_SWITCHES); do \
	  if grep -qaF "$$name" "$(APP_RELEASE)"; then \
	    echo "make package: the release binary names the test-only $$name"; exit 1; fi; \
	done
	@ls -l $(TARGET_DIR)/release/bundle/deb/*.deb

## The package as a user gets it: `make package`, then installed (dpkg -i as root, else
## dpkg -x into a throwaway root), its desktop entry checked, and the installed calldeck
## started under Xvfb to its sign-in screen.
test-package: package
	scripts/package-test.sh

## Rewrites .sqlx/ after a query or a migration changed (commit it with the change).
sqlx-prepare: bootstrap
	scripts/sqlx-prepare.sh

## Regenerates ui/src/bindings.ts from the Rust commands.
bindings:
	cargo run --quiet --example export-bindings

fmt:
	cargo fmt --all

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules
