#!/usr/bin/env bash
# Edit-to-reload latency of `handbook serve --watch`: the time from writing one cell's file to
# the reload message reaching a connected WebSocket client, median of 20 edits, on generated
# corpora of 32 x 32 and 100 x 100 cells (release build). Prints the numbers; asserts nothing
# (timings depend on the machine). Targets on a 2-core machine: <= 20 ms and <= 100 ms.
#   bash bench/serve_latency.sh [edits]
# The corpus generator is found at $GEN_CORPUS, else ../shared/bench/gen_corpus.py.
set -euo pipefail
cd "$(dirname "$0")/.."
edits="${1:-20}"
gen="${GEN_CORPUS:-../shared/bench/gen_corpus.py}"
[ -f "$gen" ] || { echo "no corpus generator at $gen (set GEN_CORPUS)" >&2; exit 2; }
cargo build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/release/handbook"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for size in 32 100; do
  python3 "$gen" --frameworks "$size" --dimensions "$size" --seed 1 --out "$work/c$size" --quiet
  echo -n "${size}x${size}: "
  python3 bench/serve_latency.py --bin "$bin" --root "$work/c$size" --edits "$edits" | sed "s|$work/||"
done
