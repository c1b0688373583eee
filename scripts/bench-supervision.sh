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
#
# PostgreSQL: uses $TEST_DATABASE_URL, or starts the throwaway test server
# (scripts/pg-test-server.sh); a fresh database is created and dropped for the run.
# Needs wrk (Debian package `wrk`; installed with apt-get when missing and run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-64}"
ENGINES="${ENGINES:-sqlite postgres}"
PORT="${PORT:-18431}"
TODAY="${TODAY:-2020-07-15}"

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
    printf '| %-10s | %-34s | %8s | %8s | %8s | %s |\n' "$ENGINE" "$label" "$rps" "$p50" "$p99" "${errors:-0}"
}

run_engine() {
    ENGINE="$1"
    local db
    case "$ENGINE" in
        sqlite) db="$WORK/bench.db" ;;
        postgres)
            local admin="${TEST_DATABASE_URL:-$(bash scripts/pg-test-server.sh 2>/dev/null | tail -n 1)}"
            local name="luoshi_bench_$$"
            psql -q "$admin" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
            db="${admin%/*}/$name"
            ;;
    esac
    echo "== $ENGINE: generating ten years of data" >&2
    "$BIN" bench supervision-seed --db "$db" >"$WORK/seed.json"
    local unit_user
    unit_user="$(grep -o '"sample_unit_user": "[^"]*"' "$WORK/seed.json" | cut -d'"' -f4)"
    "$BIN" serve --db "$db" --addr "127.0.0.1:$PORT" --today "$TODAY" >"$WORK/serve.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
        sleep 0.2
    done
    local office unit
    office="$(login bench000)"
    unit="$(login "$unit_user")"
    # Let the start-up scan refresh every item's status for the business date first (once a
    # day on a real server; each batch it writes makes the cached pages stale), then warm the
    # caches once, as a day of use would.
    sleep "${SETTLE:-10}"
    curl -s -o /dev/null -H "Cookie: $office" "http://127.0.0.1:$PORT/supervision"
    load "office dashboard /supervision" "$office" "/supervision"
    load "overdue list (office)" "$office" "/supervision/items?status=overdue"
    load "unit inbox ($unit_user)" "$unit" "/supervision/items"
    load "item page (office)" "$office" "/supervision/items/1"
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
    if [ "$ENGINE" = postgres ]; then
        psql -q "${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" \
            -c "DROP DATABASE IF EXISTS luoshi_bench_$$ WITH (FORCE)" || true
    fi
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c$CONNECTIONS -d$DURATION"
printf '| %-10s | %-34s | %8s | %8s | %8s | %s |\n' engine page "req/s" p50 p99 non-2xx
printf '|%s|\n' "------------|------------------------------------|----------|----------|----------|-----"
for e in $ENGINES; do
    run_engine "$e"
done
