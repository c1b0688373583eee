#!/usr/bin/env bash
# Load test of proposal handling (建议提案办理, 郑政办〔2020〕27号) as its users meet it: 6,000
# items over the sessions of ten years (2018–2027, as far back as the working-day calendar
# goes), each registered from a spreadsheet and handled through the case engine with every
# round and history row, then a real HTTP load generator (wrk) at 64 concurrent connections
# against a release build of `luoshi serve`, on SQLite and on PostgreSQL. Prints requests/s and
# latency percentiles for a unit's inbox, the office's overdue list and the five standards.
#
#   bash scripts/bench-proposals.sh                 # both engines
#   ENGINES=sqlite bash scripts/bench-proposals.sh  # one engine
#   DURATION=30s CONNECTIONS=64 ITEMS=6000 YEARS=9 bash scripts/bench-proposals.sh
#   BIN=target/release/luoshi bash scripts/bench-proposals.sh   # no build first
#
# PostgreSQL: uses $TEST_DATABASE_URL, or starts the throwaway test server
# (scripts/pg-test-server.sh); a fresh database is created and dropped for the run.
# Needs wrk (Debian package `wrk`; installed with apt-get when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-18432}"
TODAY="${TODAY:-2027-07-15}"
ITEMS="${ITEMS:-6000}"
YEARS="${YEARS:-10}"

# shellcheck source=scripts/lib/bench-http.sh
source scripts/lib/bench-http.sh
bench_setup wrk

run_engine() {
    ENGINE="$1"
    local db
    db="$(bench_db luoshi_bench_prop_$$)"
    echo "== $ENGINE: generating $ITEMS items over $YEARS years through the engine" >&2
    "$BIN" bench proposals-seed --db "$db" --years "$YEARS" --items "$ITEMS" --today "$TODAY" >"$WORK/seed.json"
    grep -E '"(items|actions|refused)"' "$WORK/seed.json" | tr -d ' \n' >&2; echo >&2
    start_server --db "$db" --today "$TODAY"
    local office unit
    office="$(login bench-office)"
    unit="$(login bench-unit)"
    # Let the start-up scan refresh every item's status for the business date first, then
    # warm each page once, as a day of use would.
    sleep "${SETTLE:-10}"
    for p in "/proposals?overdue=true" "/proposals/standards"; do
        curl -s -o /dev/null -H "Cookie: $office" "$BASE$p"
    done
    curl -s -o /dev/null -H "Cookie: $unit" "$BASE/proposals"
    load "unit inbox (bench-unit)" "/proposals" "Cookie: $unit"
    load "overdue list (office)" "/proposals?overdue=true" "Cookie: $office"
    load "five standards (office)" "/proposals/standards" "Cookie: $office"
    stop_server
    drop_bench_db luoshi_bench_prop_$$
}

run_engines
