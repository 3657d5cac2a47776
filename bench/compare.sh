#!/usr/bin/env bash
# handbook against the anchors, in one run on one machine: cold builds of generated corpora with
# handbook (search on), Hugo and mdBook (and Zola when ZOLA_BIN or `zola` is there) through
# ../shared/bench/run_anchors.sh, then handbook's warm builds (nothing changed; one cell edited),
# and the ratios the performance targets are written in. A benchmark, not a test: it prints the
# numbers and whether each target is met, and exits 0 either way (a shared or busy machine is
# slow, not wrong).
#
#   bash bench/compare.sh [FxD ...]       default: 10x10 32x32 100x100
#   RUNS=3 TOOLS="hugo mdbook handbook" bash bench/compare.sh 32x32
#
# mdBook takes minutes per build at 100x100, so it runs there only with MDBOOK_100=1.
# Needs: hugo (Debian), mdbook (`cargo install mdbook --locked`), GNU time, python3; hyperfine
# is used when present.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
shared="${SHARED_DIR:-../shared}"
anchors="$shared/bench/run_anchors.sh"
[ -f "$anchors" ] || { echo "run_anchors.sh not found in $shared/bench (set SHARED_DIR)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }

cargo build --release --locked --quiet
export HANDBOOK_BIN="$root/${CARGO_TARGET_DIR:-target}/release/handbook"
work="${WORK:-$(mktemp -d)}"
results="$work/results.tsv"
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10x10 32x32 100x100)
zola=""
{ [ -n "${ZOLA_BIN:-}" ] || command -v zola >/dev/null; } && zola=" zola"

for size in "${sizes[@]}"; do
  tools="${TOOLS:-hugo$zola mdbook handbook}"
  runs="${RUNS:-3}"
  if [ "$size" = 100x100 ]; then
    [ "${MDBOOK_100:-0}" = 1 ] || tools="${tools/mdbook /}"
    runs="${RUNS:-2}"
  fi
  WORK="$work" RESULTS="$results" TOOLS="$tools" RUNS="$runs" bash "$anchors" "$size"
done

# Warm builds: the output and .handbook-cache/ of a first build left in place, then a build with
# nothing changed, and one with one cell edited (the edit undone after each run).
warm_runs="${WARM_RUNS:-3}"
time_build() { # prints the wall time of one build of $1
  if ! /usr/bin/time -f %e -o "$work/wall" "$HANDBOOK_BIN" build --root "$1" >"$work/build.log" 2>&1; then
    echo "handbook build --root $1 failed:" >&2
    tail -5 "$work/build.log" >&2
    exit 1
  fi
  tail -1 "$work/wall"
}
median() { python3 -c 'import sys, statistics; print(f"{statistics.median(map(float, sys.argv[1:])):.3f}")' "$@"; }
for size in "${sizes[@]}"; do
  corpus="$work/$size-s${SEED:-1}/corpus"
  [ -d "$corpus" ] || continue
  time_build "$corpus" >/dev/null
  unchanged=() edited=()
  cell=$(find "$corpus/content" -path '*/compare/*' -name '*.md' ! -name '_index.md' ! -name 'index.md' | sort | sed -n 1p)
  for _ in $(seq "$warm_runs"); do
    unchanged+=("$(time_build "$corpus")")
    cp "$cell" "$work/cell.bak"
    printf '\nOne more sentence, for the warm build with one cell edited.\n' >>"$cell"
    edited+=("$(time_build "$corpus")")
    cp "$work/cell.bak" "$cell"
    time_build "$corpus" >/dev/null
  done
  printf '%s\t%s\t%s\n' "$size" "$(median "${unchanged[@]}")" "$(median "${edited[@]}")" >>"$work/warm.tsv"
done

python3 - "$results" "$work/warm.tsv" <<'EOF'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t") if r["status"] == "ok"]
warm = {}
try:
    for line in open(sys.argv[2]):
        size, unchanged, edited = line.split()
        warm[size] = (float(unchanged), float(edited))
except FileNotFoundError:
    pass
runs = {(r["size"], r["tool"]): r for r in rows}
sizes = sorted({r["size"] for r in rows}, key=lambda s: int(s.split("x")[0]))
def verdict(ok):
    return "met" if ok else "NOT met"
print()
print("| corpus | pages | tool | wall s | cores | peak RSS MB | output MB |")
print("|---|---|---|---|---|---|---|")
for size in sizes:
    for tool in ("hugo", "zola", "mdbook", "handbook"):
        r = runs.get((size, tool))
        if r:
            print(f"| {size} | {r['html_pages']} | {tool} {r['version']} | {float(r['median_s']):.2f} | {r['cpu_cores']} | {r['peak_rss_mb']} | {r['out_mb']} |")
print()
print("| corpus | handbook / Hugo | handbook / Zola | handbook / mdBook | warm, unchanged / cold | warm, one cell / cold |")
print("|---|---|---|---|---|---|")
for size in sizes:
    h = runs.get((size, "handbook"))
    if not h:
        continue
    cold = float(h["median_s"])
    def ratio(tool):
        r = runs.get((size, tool))
        return f"{cold / float(r['median_s']):.2f}" if r else "-"
    w = warm.get(size)
    print(f"| {size} | {ratio('hugo')} | {ratio('zola')} | {ratio('mdbook')} | "
          + (f"{w[0] / cold:.2f} | {w[1] / cold:.2f} |" if w else "- | - |"))
print()
print("Targets (same run, same machine):")
for size in ("32x32", "100x100"):
    h, hugo = runs.get((size, "handbook")), runs.get((size, "hugo"))
    if h and hugo:
        r = float(h["median_s"]) / float(hugo["median_s"])
        print(f"  cold build with search <= 0.57 x Hugo at {size}: {r:.2f} ({verdict(r <= 0.57)})")
big = runs.get(("100x100", "handbook"))
if big:
    rss = float(big["peak_rss_mb"])
    print(f"  peak RSS at 100x100 <= 600 MB: {rss:.0f} MB ({verdict(rss <= 600)})")
    cores = float(big["cpu_cores"])
    print(f"  (user + sys) / wall >= 1.8 at 100x100: {cores:.2f} ({verdict(cores >= 1.8)})")
    small = runs.get(("10x10", "handbook"))
    if small:
        r = float(big["median_s"]) / float(small["median_s"])
        print(f"  100x100 time / 10x10 time <= 80: {r:.1f} ({verdict(r <= 80)})")
for size, (unchanged, edited) in warm.items():
    h = runs.get((size, "handbook"))
    if h:
        cold = float(h["median_s"])
        print(f"  warm build, nothing changed, <= 0.2 x cold at {size}: {unchanged / cold:.2f} ({verdict(unchanged / cold <= 0.2)})")
        print(f"  warm build, one cell edited, <= 0.25 x cold at {size}: {edited / cold:.2f} ({verdict(edited / cold <= 0.25)})")
EOF
echo "raw results: $results" >&2
