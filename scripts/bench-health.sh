#!/usr/bin/env bash
# Load test of health monitoring (健康行动监测压测): 16 counties/districts + the city × 60 series ×
# 12 years × monthly values, on SQLite and (with a postgres:// URL as $1 or TEST_DATABASE_URL)
# PostgreSQL. Measures the indicator dashboard and a district comparison with wrk at 64
# connections, as the public and as the office, and prints p50/p99 and requests per second;
# then the time to build and render the overall monitoring report (HTML and PDF).
# Run it on a quiet machine: the load average is printed with every figure.
#
#   bash scripts/bench-health.sh                   # SQLite (and PostgreSQL if TEST_DATABASE_URL is set)
#   bash scripts/bench-health.sh postgres://…      # SQLite and PostgreSQL on that server
#   DURATION=30s CONNECTIONS=64 bash scripts/bench-health.sh
#   BIN=target/release/luoshi bash scripts/bench-health.sh   # no build first
#
# Needs wrk (Debian package `wrk`; installed with apt-get when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-18181}"
CONNECTIONS="${CONNECTIONS:-${CONNS:-64}}"
if [ -n "${1:-${TEST_DATABASE_URL:-}}" ]; then
    TEST_DATABASE_URL="${1:-$TEST_DATABASE_URL}"
    ENGINES="${ENGINES:-sqlite postgres}"
else
    ENGINES="${ENGINES:-sqlite}"
fi

# shellcheck source=scripts/lib/bench-http.sh
source scripts/lib/bench-http.sh
bench_setup wrk

run_engine() {
    ENGINE="$1"
    local db name="luoshi_health_bench_$$"
    db="$(bench_db "$name")"
    echo "== $ENGINE: generating data" >&2
    "$BIN" bench health-seed --db "$db" | tail -n 6 >&2
    start_server --db "$db"
    local office sid compare
    office="$(login bench-office bench-office-password)"
    sid="$(curl -s "$BASE/api/v1/indicators" | python3 -c 'import json,sys; print(next(i["id"] for i in json.load(sys.stdin) if i["key"]=="T13"))')"
    compare="/health/series/$sid/compare"
    # Each page once before it is measured.
    for path in /health "$compare" /api/v1/indicators; do
        curl -sf -o /dev/null "$BASE$path"
        curl -sf -o /dev/null -H "Cookie: $office" "$BASE$path"
    done
    load "dashboard (public)" /health
    load "dashboard (office)" /health "Cookie: $office"
    load "district comparison (public)" "$compare"
    load "district comparison (office)" "$compare" "Cookie: $office"
    load "API indicators (public)" /api/v1/indicators
    # The overall monitoring report, built from the data and rendered on each request (no
    # cache): five requests one after another, as the office; printed after the table.
    for fmt in html pdf; do
        local times=""
        for _ in 1 2 3 4 5; do
            times+="$(curl -sf -o /dev/null -w '%{time_total}' -H "Cookie: $office" \
                "$BASE/health/report?kind=overall&year=2024&format=$fmt")s "
        done
        printf '%-10s %-32s %s\n' "$ENGINE" "overall report 2024 ($fmt)" "$times" >>"$WORK/reports.txt"
    done
    stop_server
    drop_bench_db "$name"
}

run_engines
cat "$WORK/reports.txt"
echo "== load after: $(uptime)"
