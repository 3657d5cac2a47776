#!/usr/bin/env bash
# What the one-page handbook costs on the flagship: the build with and without print.html, the
# size of print.html, and `handbook export` to HTML and to PDF (Chromium). Prints the numbers;
# asserts nothing (timings depend on the machine).
#   bash bench/print.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
cargo build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/release/handbook"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The flagship without print.html: the same sources, [print] enable = false.
mkdir -p "$work/noprint"
cp -r content "$work/noprint/"
sed 's/^\[print\]$/[print]\nenable = false/; /^enable = true$/d' book.toml >"$work/noprint/book.toml"
grep -q "enable = false" "$work/noprint/book.toml"

best() { # best of $runs wall-clock seconds of "$@"
  local best="" start t
  for _ in $(seq "$runs"); do
    start=$EPOCHREALTIME
    "$@" >/dev/null
    t=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
  done
  printf '%.2f s' "$best"
}

echo "build, print.html on : $(best "$bin" build --out "$work/on")"
echo "build, print.html off: $(best "$bin" build --root "$work/noprint" --out "$work/off")"
echo "print.html           : $(($(stat -c %s "$work/on/print.html") / 1024)) KB, $(grep -c '<article class="print-article' "$work/on/print.html") articles"
echo "export --out         : $(best "$bin" export --out "$work/handbook.html")"
echo "handbook.html        : $(($(stat -c %s "$work/handbook.html") / 1024)) KB"
echo "export --pdf         : $(best "$bin" export --pdf "$work/handbook.pdf")"
if command -v pdfinfo >/dev/null; then
  echo "handbook.pdf         : $(($(stat -c %s "$work/handbook.pdf") / 1024)) KB, $(pdfinfo "$work/handbook.pdf" | awk '/^Pages:/ {print $2}') pages (A4)"
fi
