#!/usr/bin/env bash
# Browser tests of the dyad dashboard: builds a database (the seed article, the reader fixtures
# and synthetic coded articles), starts `dyad serve` on a free loopback port, and drives the
# dashboard in Debian's headless Chromium with playwright-core. Screenshots are kept in
# tests/browser/artifacts/. Called by .ci/run; run it alone with `bash tests/browser/run.sh`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
here=$root/tests/browser
artifacts=$here/artifacts
mkdir -p "$artifacts"

step() { printf '\n-- browser tests: %s\n' "$*"; }

step "chromium"
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version

step "playwright-core (npm; never downloads a browser)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

step "build"
cargo build -p dyad
cargo build -p dyad-serve --example make_db
target=${CARGO_TARGET_DIR:-$root/target}
dyad=$target/debug/dyad

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
db=$work/dyad.db

step "database"
seed=$root/../shared/corpus/seed/panjshir.txt
if [ -f "$seed" ]; then
  "$dyad" ingest "$seed" --published 2021-08-25 --db "$db" --quiet
else
  echo "no $seed: the seed article is left out"
fi
# Exit status 1 = some inputs went to the dead letters (the fixtures include broken ones).
fixtures=(article.html article-cp1252.html articles.jsonl feed.rss feed.atom crawl.warc.gz)
"$dyad" ingest "${fixtures[@]/#/$root/tests/fixtures/}" --db "$db" --quiet || [ $? -eq 1 ]
# Synthetic coded articles, so the map, timeline and network have data whatever the coder finds.
"$target/debug/examples/make_db" "$db" 600 7

serve_and_test() { # DB ARTIFACT-DIR: start `dyad serve` on DB and run the dashboard tests against it
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$2"
  "$dyad" serve --db "$1" --bind "127.0.0.1:$port" >"$2/server.log" 2>&1 &
  server_pid=$!
  DYAD_URL="http://127.0.0.1:$port" DYAD_ARTIFACTS="$2" \
    node --test --test-reporter=spec "$here/dashboard.test.mjs"
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  echo "screenshots: $(ls "$2"/*.png 2>/dev/null | tr '\n' ' ')"
}

step "tests: seed, fixtures and 600 synthetic articles"
serve_and_test "$db" "$artifacts"

# The same checks on a database of about 100,000 events: the dashboard must stay usable at that
# size (server-side aggregation; nothing sends every event to the browser).
step "database: the seed and 20,000 synthetic articles (about 100,000 event mentions)"
big=$work/big.db
if [ -f "$seed" ]; then
  "$dyad" ingest "$seed" --published 2021-08-25 --db "$big" --quiet
fi
"$target/debug/examples/make_db" "$big" 20000 11

step "tests: 100,000 events"
serve_and_test "$big" "$artifacts/100k"
