#!/usr/bin/env bash
# What search costs and how fast it is on a large handbook: build time with and without the
# index, the index's size, and (bench/search.mjs, headless Chromium) the bytes downloaded to
# answer a first query and the time from the last keystroke to results on screen.
# Prints the numbers; asserts nothing (timings depend on the machine). Needs GNU time
# (/usr/bin/time).
#   bash bench/search.sh CORPUS_DIR [runs]
# CORPUS_DIR is a handbook, e.g. the 100 x 100 synthetic corpus of the acceptance scripts
# (gen_corpus.py --frameworks 100 --dimensions 100 --seed 1 --out CORPUS_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="$(realpath "${1:?usage: bash bench/search.sh CORPUS_DIR [runs]}")"
runs="${2:-1}"
cargo build --release --locked --quiet
bin="$(realpath "${CARGO_TARGET_DIR:-target}")/release/handbook"
[ -d e2e/node_modules ] || (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The same handbook without search: [search] enable = false.
mkdir -p "$work/nosearch"
cp -r "$corpus/content" "$work/nosearch/"
grep -v '^\[search\]\|^enable' "$corpus/book.toml" >"$work/nosearch/book.toml" || true
printf '\n[search]\nenable = false\n' >>"$work/nosearch/book.toml"

best() { # the best of $runs builds: "wall-clock-seconds cpu-seconds" (CPU time is steadier
  # than wall-clock time on a shared machine)
  local best="" t
  for _ in $(seq "$runs"); do
    t=$(/usr/bin/time -f '%e %U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.2f %.2f", $1, $2 + $3 }')
    if [ -z "$best" ] || awk -v t="${t% *}" -v b="${best% *}" 'BEGIN { exit !(t < b) }'; then best=$t; fi
  done
  echo "$best"
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f%%", (b - a) / a * 100 }'; }

read -r off_wall off_cpu < <(best "$bin" build --root "$work/nosearch" --out "$work/off")
read -r on_wall on_cpu < <(best "$bin" build --root "$corpus" --out "$work/on")
stage=$(HANDBOOK_TIMINGS=1 "$bin" build --root "$corpus" --out "$work/on" 2>&1 | awk '$1 == "search:" { print $2 }')
echo "build, search off : $off_wall s wall, $off_cpu s CPU"
echo "build, search on  : $on_wall s wall ($(pct "$off_wall" "$on_wall")), $on_cpu s CPU ($(pct "$off_cpu" "$on_cpu"))"
echo "search stage      : $stage (HANDBOOK_TIMINGS)"
echo "pages             : $(find "$work/on" -name index.html | wc -l)"
echo "index             : $(du -sb "$work/on/search" | awk '{ printf "%.1f MB", $1 / 1048576 }') in $(find "$work/on/search" -type f | wc -l) files"
for part in t x f; do
  echo "  search/$part/      : $(du -sb "$work/on/search/$part" 2>/dev/null | awk '{ printf "%.1f MB", $1 / 1048576 }') in $(find "$work/on/search/$part" -type f 2>/dev/null | wc -l) files"
done
echo "  manifest, pages : $(stat -c %s "$work/on/search/manifest.json") + $(stat -c %s "$work/on/search/pages.bin") bytes"
page="dimensions/$(ls "$corpus/content/dimensions" | grep -v '^_' | head -1 | sed 's/\.md$//')/"
node bench/search.mjs "$work/on" "$page" "dependency injection" "middleware" "csrf token" "configuraton" "graceful shutdown timeout"
