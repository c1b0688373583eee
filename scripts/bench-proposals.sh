#!/usr/bin/env bash
# Load test of proposal handling (建议提案办理, 郑政办〔2020〕27号) as its users meet it: 6,000
# items over the sessions of nine years (2019–2027, as far back as the working-day calendar
# goes), each registered from a spreadsheet and handled through the case engine with every
# round and history row, then a real HTTP load generator (wrk) at 64 concurrent connections
# against a release build of `luoshi serve`, on SQLite and on PostgreSQL. Prints requests/s and
# latency percentiles for a unit's inbox, the office's overdue list and the five standards.
#
#   bash scripts/bench-proposals.sh                 # both engines
#   ENGINES=sqlite bash scripts/bench-proposals.sh  # one engine
#   DURATION=30s CONNECTIONS=64 ITEMS=6000 YEARS=9 bash scripts/bench-proposals.sh
#
# PostgreSQL: uses $TEST_DATABASE_URL, or starts the throwaway test server
# (scripts/pg-test-server.sh); a fresh database is created and dropped for the run.
# Needs wrk (Debian package `wrk`; installed with apt-get when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-64}"
ENGINES="${ENGINES:-sqlite postgres}"
PORT="${PORT:-18432}"
TODAY="${TODAY:-2027-07-15}"
ITEMS="${ITEMS:-6000}"
YEARS="${YEARS:-9}"

if ! command -v wrk >/dev/null 2>&1; then
    echo "== installing wrk" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cargo build --release -q -p luoshi
BIN="$PWD/target/release/luoshi"
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# Log in through the real login form; prints the session cookie.
login() {
    local user="$1" jar="$WORK/$1.jar" token
    token="$(curl -s -c "$jar" "http://127.0.0.1:$PORT/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')"
    curl -s -o /dev/null -b "$jar" -c "$jar" \
        --data-urlencode "csrf=$token" --data-urlencode "username=$user" \
        --data-urlencode "password=bench-password-2020" --data-urlencode "next=/" \
        "http://127.0.0.1:$PORT/login"
    awk '$6 ~ /session/ { print $6 "=" $7 }' "$jar"
}

# One load run: label, cookie, path.
load() {
    local label="$1" cookie="$2" path="$3" out
    out="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $cookie" \
        "http://127.0.0.1:$PORT$path")"
    local rps p50 p99 errors
    rps="$(echo "$out" | awk '/Requests\/sec/ { print $2 }')"
    p50="$(echo "$out" | awk '$1 == "50%" { print $2 }')"
    p99="$(echo "$out" | awk '$1 == "99%" { print $2 }')"
    errors="$(echo "$out" | awk '/Non-2xx/ { print $5 }')"
    printf '| %-10s | %-34s | %8s | %8s | %8s | %s | %s |\n' "$ENGINE" "$label" "$rps" "$p50" "$p99" "${errors:-0}" "$(cut -d' ' -f1 /proc/loadavg)"
}

run_engine() {
    ENGINE="$1"
    local db
    case "$ENGINE" in
        sqlite) db="$WORK/bench.db" ;;
        postgres)
            local admin="${TEST_DATABASE_URL:-$(bash scripts/pg-test-server.sh 2>/dev/null | tail -n 1)}"
            local name="luoshi_bench_prop_$$"
            psql -q "$admin" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
            db="${admin%/*}/$name"
            ;;
    esac
    echo "== $ENGINE: generating $ITEMS items over $YEARS years through the engine" >&2
    "$BIN" bench proposals-seed --db "$db" --years "$YEARS" --items "$ITEMS" --today "$TODAY" >"$WORK/seed.json"
    grep -E '"(items|actions|refused)"' "$WORK/seed.json" | tr -d ' \n' >&2; echo >&2
    "$BIN" serve --db "$db" --addr "127.0.0.1:$PORT" --today "$TODAY" >"$WORK/serve.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
        sleep 0.2
    done
    local office unit
    office="$(login bench-office)"
    unit="$(login bench-unit)"
    # Let the start-up scan refresh every item's status for the business date first, then
    # warm each page once, as a day of use would.
    sleep "${SETTLE:-10}"
    for p in "/proposals?overdue=true" "/proposals/standards"; do
        curl -s -o /dev/null -H "Cookie: $office" "http://127.0.0.1:$PORT$p"
    done
    curl -s -o /dev/null -H "Cookie: $unit" "http://127.0.0.1:$PORT/proposals"
    load "unit inbox (bench-unit)" "$unit" "/proposals"
    load "overdue list (office)" "$office" "/proposals?overdue=true"
    load "five standards (office)" "$office" "/proposals/standards"
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
    if [ "$ENGINE" = postgres ]; then
        local admin="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
        psql -q "$admin" -c "DROP DATABASE IF EXISTS luoshi_bench_prop_$$ WITH (FORCE)" || true
    fi
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c$CONNECTIONS -d$DURATION"
printf '| %-10s | %-34s | %8s | %8s | %8s | %s | %s |\n' engine page "req/s" p50 p99 non-2xx load
printf '|%s|\n' "------------|------------------------------------|----------|----------|----------|-----|-----"
for e in $ENGINES; do
    run_engine "$e"
done
