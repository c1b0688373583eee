#!/usr/bin/env bash
# Load test of the largest published page: the document page of 郑政办〔2020〕29号 (146 tasks,
# about 117 KB of HTML) under 64 concurrent clients, with a real HTTP load generator (wrk)
# against a release build of `luoshi serve --demo`, on SQLite and on PostgreSQL. Prints
# requests/s and latency percentiles for the public (as a browser asks: gzip/br; without
# compression; revalidating with If-None-Match) and for logged-in users (an office, a unit),
# with the machine's load average just before each run (other work on the machine shows there).
#
#   bash scripts/bench-document.sh                 # both engines
#   ENGINES=sqlite bash scripts/bench-document.sh  # one engine
#   DURATION=30s CONNECTIONS=64 bash scripts/bench-document.sh
#   BIN=target/release/luoshi bash scripts/bench-document.sh   # no build first
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
DOC_NO="${DOC_NO:-郑政办〔2020〕29号}"
BROWSER_ENCODING="Accept-Encoding: gzip, deflate, br"

if ! command -v wrk >/dev/null 2>&1; then
    echo "== installing wrk" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
# shellcheck source=scripts/bench-common.sh
source scripts/bench-common.sh
bench_setup

# Log in through the real login form with a demo account; prints the session cookie.
login() {
    local user="$1" jar="$WORK/$1.jar" token password
    password="$(awk -v u="$user" '$1 == u { print $2; exit }' "$WORK/serve.log")"
    token="$(curl -s -c "$jar" "$BASE/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')"
    curl -s -o /dev/null -b "$jar" -c "$jar" \
        --data-urlencode "csrf=$token" --data-urlencode "username=$user" \
        --data-urlencode "password=$password" --data-urlencode "next=/" "$BASE/login"
    awk '$6 ~ /session/ { print $6 "=" $7 }' "$jar"
}

# One load run: label, path, then extra headers for wrk.
load() {
    local label="$1" path="$2" out
    shift 2
    local headers=()
    for h in "$@"; do headers+=(-H "$h"); done
    local before
    before="$(cut -d' ' -f1 /proc/loadavg)"
    out="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${headers[@]}" "$BASE$path")"
    local rps p50 p99 errors
    rps="$(echo "$out" | awk '/Requests\/sec/ { print $2 }')"
    p50="$(echo "$out" | awk '$1 == "50%" { print $2 }')"
    p99="$(echo "$out" | awk '$1 == "99%" { print $2 }')"
    errors="$(echo "$out" | awk '/Non-2xx/ { print $5 }')"
    printf '| %-10s | %-38s | %8s | %8s | %8s | %5s | %s |\n' \
        "$ENGINE" "$label" "$rps" "$p50" "$p99" "$before" "${errors:-0}"
}

run_engine() {
    ENGINE="$1"
    local db
    case "$ENGINE" in
        sqlite) db="$WORK/bench.db" ;;
        postgres)
            local admin="${TEST_DATABASE_URL:-$(bash scripts/pg-test-server.sh 2>/dev/null | tail -n 1)}"
            local name="luoshi_docbench_$$"
            psql -q "$admin" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
            db="${admin%/*}/$name"
            ;;
    esac
    start_demo_server "$db"
    local id path etag office unit
    id="$(curl -s "$BASE/api/v1/documents" | DOC_NO="$DOC_NO" python3 -c \
        'import json, os, sys; print(next(d["id"] for d in json.load(sys.stdin) if d["doc_no"] == os.environ["DOC_NO"]))')"
    path="/documents/$id"
    etag="$(curl -s -D - -o /dev/null -H "$BROWSER_ENCODING" "$BASE$path" | awk 'tolower($1) == "etag:" { print $2 }' | tr -d '\r')"
    office="$(login duchashi)"
    unit="$(login weijianwei)"
    load "public, gzip/br ($path)" "$path" "$BROWSER_ENCODING"
    load "public, uncompressed" "$path"
    load "public, If-None-Match (304)" "$path" "$BROWSER_ENCODING" "If-None-Match: $etag"
    load "office (duchashi), gzip/br" "$path" "$BROWSER_ENCODING" "Cookie: $office"
    load "unit staff (weijianwei), gzip/br" "$path" "$BROWSER_ENCODING" "Cookie: $unit"
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
    if [ "$ENGINE" = postgres ]; then
        psql -q "${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" \
            -c "DROP DATABASE IF EXISTS luoshi_docbench_$$ WITH (FORCE)" || true
    fi
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c$CONNECTIONS -d$DURATION; $DOC_NO"
printf '| %-10s | %-38s | %8s | %8s | %8s | %5s | %s |\n' engine request "req/s" p50 p99 load non-2xx
printf '|%s|\n' "------------|----------------------------------------|----------|----------|----------|-------|-----"
for e in $ENGINES; do
    run_engine "$e"
done
