# CallDeck. `make run` and `make test` are the two commands the README promises work on a
# fresh Debian 12 machine; everything they need is installed by scripts/bootstrap.sh.
SHELL := /bin/bash
.DEFAULT_GOAL := run
export PATH := $(HOME)/.cargo/bin:$(PATH)

APP_DEBUG := target/debug/calldeck
APP_RELEASE := target/release/calldeck

.PHONY: run test bench package bootstrap ui build build-release bindings \
        test-rust test-ui test-e2e fmt clean

bootstrap:
	@scripts/bootstrap.sh

ui: bootstrap
	cd ui && npm run build

build: ui
	cargo build

build-release: ui
	cargo build --release

## Opens the app (the demo workspace needs no accounts).
run: build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "No display found: running under a virtual one (xvfb-run)."; \
	  xvfb-run -a -s "-screen 0 1280x800x24" $(APP_DEBUG); \
	else $(APP_DEBUG); fi

## Every test: Rust (format, lints, unit + integration), UI (types, lint, Vitest), end-to-end.
test: test-rust test-ui test-e2e
	@echo "make test: all suites passed"

test-rust: ui
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	scripts/with-keyring.sh cargo test --workspace --locked
	@# The core must stay free of Tauri: everything in it is testable without a webview.
	@if cargo tree -p calldeck-core -e normal,build --prefix none | grep -q '^tauri'; then \
	  echo "calldeck-core depends on tauri"; exit 1; fi

test-ui: bootstrap
	cd ui && npm run typecheck && npm run lint && npm test

test-e2e: build
	@# The loopback OpenID provider and scripted browser the sign-in tests rely on.
	cd tests/oidc && npm test
	@# The app under test gets a private D-Bus session with an unlocked throwaway keyring.
	scripts/with-keyring.sh tests/e2e/run.sh "$(CURDIR)/$(APP_DEBUG)"

## Figures for target/bench/results.json, measured on the release build.
bench: build-release
	scripts/bench.sh "$(CURDIR)/$(APP_RELEASE)"

## A .deb built by the Tauri bundler (target/release/bundle/deb/).
package: bootstrap
	ui/node_modules/.bin/tauri build --bundles deb

## Regenerates ui/src/bindings.ts from the Rust commands.
bindings:
	cargo run --quiet --example export-bindings

fmt:
	cargo fmt --all

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules
