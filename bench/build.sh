#!/usr/bin/env bash
# What a full build costs: wall time, CPU cores used, peak memory and output size of
# `handbook build` on synthetic corpora (../shared/bench/gen_corpus.py) and on the flagship,
# plus the per-stage times the build itself reports (HANDBOOK_TIMINGS=1). Prints the numbers;
# asserts nothing (timings depend on the machine and on what else runs on it).
#   bash bench/build.sh [FxD ...]        default: 32x32 100x100
#   RUNS=3 bash bench/build.sh 32x32     best of RUNS (default 1 for 100x100, else 3)
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${SHARED_DIR:-../shared}"
gen="$shared/bench/gen_corpus.py"
[ -f "$gen" ] || { echo "gen_corpus.py not found in $shared/bench (set SHARED_DIR)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (Debian package: time)" >&2; exit 2; }
cargo build --release --locked --quiet
bin="$PWD/${CARGO_TARGET_DIR:-target}/release/handbook"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One timed build from a cold output folder; prints "wall user sys rss_kb".
timed_build() {
  local root="$1" out="$2"
  rm -rf "$out"
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$bin" build --root "$root" --out "$out" >/dev/null
  cat "$work/time"
}

measure() {
  local name="$1" root="$2" runs="$3" best="" line
  for _ in $(seq "$runs"); do
    line=$(timed_build "$root" "$work/out")
    if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
      best=$line
    fi
  done
  read -r wall user sys rss <<<"$best"
  local pages size
  pages=$(find "$work/out" -name '*.html' | wc -l)
  size=$(du -sm "$work/out" | cut -f1)
  printf '%-10s %6s pages  %7.2f s wall  %4.2f cores  %6d MB peak  %5d MB output\n' \
    "$name" "$pages" "$wall" "$(awk -v u="$user" -v s="$sys" -v w="$wall" 'BEGIN { print (u + s) / w }')" \
    "$((rss / 1024))" "$size"
  HANDBOOK_TIMINGS=1 "$bin" build --root "$root" --out "$work/out" 2>&1 >/dev/null |
    sed -n 's/^/           /p'
}

for size in "${@:-32x32 100x100}"; do
  for one in $size; do
    f="${one%x*}" d="${one#*x}"
    python3 "$gen" --frameworks "$f" --dimensions "$d" --seed 1 --out "$work/$one" --quiet
    runs="${RUNS:-$([ "$one" = 100x100 ] && echo 1 || echo 3)}"
    measure "$one" "$work/$one" "$runs"
    rm -rf "$work/$one"
  done
done
measure flagship . "${RUNS:-3}"
