#!/usr/bin/env bash
# Load test of supervision (督查督办) as its users meet it: ten years of data (1,547 items,
# 150,000 monthly reports, 40 units with staff, 200 accounts), a real HTTP load generator (wrk)
# at 64 concurrent connections against a release build of `luoshi serve`, on SQLite and on
# PostgreSQL. Prints requests/s and latency percentiles for the office dashboard, the overdue
# list and a unit's inbox.
#
#   bash scripts/bench-supervision.sh                 # both engines
#   ENGINES=sqlite bash scripts/bench-supervision.sh  # one engine
#   DURATION=30s CONNECTIONS=64 bash scripts/bench-supervision.sh
#   BIN=target/release/luoshi bash scripts/bench-supervision.sh   # no build first
#
# PostgreSQL: uses $TEST_DATABASE_URL, or starts the throwaway test server
# (scripts/pg-test-server.sh); a fresh database is created and dropped for the run.
# Needs wrk (Debian package `wrk`; installed with apt-get when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-18431}"
TODAY="${TODAY:-2020-07-15}"

# shellcheck source=scripts/lib/bench-http.sh
source scripts/lib/bench-http.sh
bench_setup wrk

run_engine() {
    ENGINE="$1"
    local db
    db="$(bench_db luoshi_bench_$$)"
    echo "== $ENGINE: generating ten years of data" >&2
    "$BIN" bench supervision-seed --db "$db" >"$WORK/seed.json"
    local unit_user
    unit_user="$(grep -o '"sample_unit_user": "[^"]*"' "$WORK/seed.json" | cut -d'"' -f4)"
    start_server --db "$db" --today "$TODAY"
    local office unit
    office="$(login bench000)"
    unit="$(login "$unit_user")"
    # Let the start-up scan refresh every item's status for the business date first (once a
    # day on a real server; each batch it writes makes the cached pages stale), then warm the
    # caches once, as a day of use would.
    sleep "${SETTLE:-10}"
    curl -s -o /dev/null -H "Cookie: $office" "$BASE/supervision"
    load "office dashboard /supervision" "/supervision" "Cookie: $office"
    load "overdue list (office)" "/supervision/items?status=overdue" "Cookie: $office"
    load "unit inbox ($unit_user)" "/supervision/items" "Cookie: $unit"
    load "item page (office)" "/supervision/items/1" "Cookie: $office"
    stop_server
    drop_bench_db luoshi_bench_$$
}

run_engines
