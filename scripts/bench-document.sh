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

PORT="${PORT:-18432}"
DOC_NO="${DOC_NO:-郑政办〔2020〕29号}"
BROWSER_ENCODING="Accept-Encoding: gzip, deflate, br"

# shellcheck source=scripts/lib/bench-http.sh
source scripts/lib/bench-http.sh
bench_setup wrk

run_engine() {
    ENGINE="$1"
    local db name="luoshi_docbench_$$"
    db="$(bench_db "$name")"
    start_demo_server "$db"
    local id path etag office unit
    id="$(curl -s "$BASE/api/v1/documents" | DOC_NO="$DOC_NO" python3 -c \
        'import json, os, sys; print(next(d["id"] for d in json.load(sys.stdin) if d["doc_no"] == os.environ["DOC_NO"]))')"
    path="/documents/$id"
    etag="$(curl -s -D - -o /dev/null -H "$BROWSER_ENCODING" "$BASE$path" | awk 'tolower($1) == "etag:" { print $2 }' | tr -d '\r')"
    office="$(login duchashi "$(demo_password duchashi)")"
    unit="$(login weijianwei "$(demo_password weijianwei)")"
    load "public, gzip/br ($path)" "$path" "$BROWSER_ENCODING"
    load "public, uncompressed" "$path"
    load "public, If-None-Match (304)" "$path" "$BROWSER_ENCODING" "If-None-Match: $etag"
    load "office (duchashi), gzip/br" "$path" "$BROWSER_ENCODING" "Cookie: $office"
    load "unit staff (weijianwei), gzip/br" "$path" "$BROWSER_ENCODING" "Cookie: $unit"
    stop_server
    drop_bench_db "$name"
}

run_engines "$DOC_NO"
