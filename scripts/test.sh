#!/usr/bin/env bash
# The whole test suite: Rust unit and integration tests, then the end-to-end tests in headless
# Chromium (e2e/, node's test runner with playwright-core driving Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked
cargo build --locked --quiet
[ -d e2e/node_modules ] || (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
HANDBOOK_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/handbook" npm --prefix e2e test --silent
