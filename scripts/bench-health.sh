#!/usr/bin/env bash
# Load test of health monitoring (健康行动监测压测): 16 counties/districts + the city × 60 series ×
# 12 years × monthly values, on SQLite and (with a postgres:// URL as $1 or TEST_DATABASE_URL)
# PostgreSQL. Measures the indicator dashboard and a district comparison with wrk at 64
# connections, as the public and as the office, and prints p50/p99 and requests per second;
# then the time to build and render the overall monitoring report (HTML and PDF).
# Run it on a quiet machine: it prints `uptime` first so the figures say under what load.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "需要 wrk（apt-get install wrk）"; exit 1; }
DURATION="${DURATION:-20s}"
CONNS="${CONNS:-64}"
PG_URL="${1:-${TEST_DATABASE_URL:-}}"
echo "== load before: $(uptime)"
cargo build --release -q -p luoshi
BIN=target/release/luoshi
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

run_engine() {
    local label="$1" db="$2" port="$3"
    echo "== $label: generating data"
    "$BIN" bench health-seed --db "$db" | tail -n 6
    "$BIN" serve --db "$db" --addr "127.0.0.1:$port" >"$WORK/$label.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
    local cookie
    cookie="$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
        -d '{"username":"bench-office","password":"bench-office-password"}' \
        "http://127.0.0.1:$port/api/v1/session" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(luoshi_session=[^;]*\).*/\1/p')"
    local sid
    sid="$(curl -s "http://127.0.0.1:$port/api/v1/indicators" | python3 -c 'import json,sys; print(next(i["id"] for i in json.load(sys.stdin) if i["key"]=="T13"))')"
    for target in "dashboard (public)|/health|" "dashboard (office)|/health|$cookie" \
                  "district comparison (public)|/health/series/$sid/compare|" \
                  "district comparison (office)|/health/series/$sid/compare|$cookie" \
                  "API indicators (public)|/api/v1/indicators|"; do
        IFS='|' read -r name path ck <<<"$target"
        local args=(-t2 -c"$CONNS" -d"$DURATION" --latency)
        [ -n "$ck" ] && args+=(-H "Cookie: $ck")
        curl -sf ${ck:+-H "Cookie: $ck"} "http://127.0.0.1:$port$path" >/dev/null
        local out
        out="$(wrk "${args[@]}" "http://127.0.0.1:$port$path")"
        local p50 p99 rps
        p50="$(awk '/^ +50%/{print $2}' <<<"$out")"
        p99="$(awk '/^ +99%/{print $2}' <<<"$out")"
        rps="$(awk '/^Requests\/sec/{print $2}' <<<"$out")"
        printf '%-10s %-32s p50 %-9s p99 %-9s %s req/s\n' "$label" "$name" "$p50" "$p99" "$rps"
    done
    # The overall monitoring report, built from the data and rendered on each request (no
    # cache): five requests one after another, as the office.
    for fmt in html pdf; do
        local times=""
        for _ in 1 2 3 4 5; do
            times+="$(curl -sf -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" \
                "http://127.0.0.1:$port/health/report?kind=overall&year=2024&format=$fmt")s "
        done
        printf '%-10s %-32s %s\n' "$label" "overall report 2024 ($fmt)" "$times"
    done
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
}

run_engine sqlite "$WORK/bench.db" 18181
if [ -n "$PG_URL" ]; then
    DBNAME="luoshi_health_bench_$$"
    psql "$PG_URL" -qc "CREATE DATABASE $DBNAME" >/dev/null
    PG_DB="$(python3 -c 'import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p._replace(path="/"+sys.argv[2]).geturl())' "$PG_URL" "$DBNAME")"
    run_engine postgres "$PG_DB" 18182
    psql "$PG_URL" -qc "DROP DATABASE $DBNAME" >/dev/null || true
fi
echo "== load after: $(uptime)"
