#!/usr/bin/env bash
# Memory of the server across a large import: a release build of `luoshi serve --demo` on
# SQLite, its resident set (VmRSS) measured after start and a warm-up, during an import of a
# ~60 MB issue through the API (the bundled gazette repeated with distinct document numbers),
# right after it, and after the pages are read again. Prints one line per moment, in MB.
#
#   bash scripts/bench-import-memory.sh
#   COPIES=100 bash scripts/bench-import-memory.sh   # a smaller issue (~21 MB)
#   DB=postgres://… bash scripts/bench-import-memory.sh
#   BIN=target/release/luoshi bash scripts/bench-import-memory.sh   # no build first
#   GDB_TRIM=1 bash scripts/bench-import-memory.sh   # last: what the allocators kept vs. live data
set -euo pipefail
cd "$(dirname "$0")/.."

COPIES="${COPIES:-290}"
PORT="${PORT:-18433}"
# shellcheck source=scripts/lib/bench-http.sh
source scripts/lib/bench-http.sh
bench_setup
DB="${DB:-$WORK/bench.db}"

rss() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER/status"; }
hwm() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER/status"; }
report() { printf '%-44s %8s MB (peak so far %s MB)\n' "$1" "$(rss)" "$(hwm)"; }

# The issue: the bundled gazette COPIES times, each copy's documents numbered in their own year
# (郑政办〔2020〕29号 → 郑政办〔2021〕29号 …) so that every document number stays unique.
python3 - "$COPIES" >"$WORK/issue.txt" <<'EOF'
import sys
text = open("data/gazette/zhengzhou-2020-gazette.txt", encoding="utf-8").read()
for k in range(int(sys.argv[1])):
    sys.stdout.write(text.replace("〔2020〕", f"〔{3000 + k}〕"))
EOF
echo "issue: $(du -m "$WORK/issue.txt" | cut -f1) MB, $COPIES copies; load average $(cut -d' ' -f1-3 /proc/loadavg)"

start_demo_server "$DB"
warm() {
    for p in / /search?q=%E9%98%B2%E6%8E%A7 /api/v1/documents; do
        curl -s -o /dev/null "$BASE$p"
    done
    for id in $(seq 1 20); do curl -s -o /dev/null "$BASE/documents/$id"; done
}
warm
report "after start and warm-up"

password="$(demo_password admin)"
csrf="$(curl -s -c "$WORK/jar" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$BASE/api/v1/session" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["csrf_token"])')"
peak=0
curl -s -b "$WORK/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: text/plain' \
    --data-binary "@$WORK/issue.txt" "$BASE/api/v1/imports?name=big.txt" >"$WORK/import.json" &
IMPORT=$!
while kill -0 "$IMPORT" 2>/dev/null; do
    now="$(rss)"
    peak="$(python3 -c "print(max($peak, $now))")"
    sleep 0.5
done
wait "$IMPORT"
head -c 300 "$WORK/import.json"
echo
echo "$(printf '%-44s %8s MB' "peak during the import (sampled)" "$peak")"
report "right after the import"
sleep 5
report "5 s later"
warm
report "after reading the pages again"
sleep "${SETTLE:-70}"
report "after the worker's next clock scan"
# Diagnosis (GDB_TRIM=1, needs gdb): ask both allocators from outside to return what is free —
# mimalloc (every Rust allocation) with `mi_collect(true)` on the main thread (its own pages and
# a forced purge of every arena), then glibc (SQLite's C allocations) with `malloc_trim(0)`;
# what goes is memory an allocator kept, what stays is live data.
if [ -n "${GDB_TRIM:-}" ]; then
    gdb -p "$SERVER" -batch -ex 'call (void) mi_collect(1)' >/dev/null 2>&1 || true
    report "after mi_collect(true) called from gdb"
    gdb -p "$SERVER" -batch -ex 'call (int) malloc_trim(0)' >/dev/null 2>&1 || true
    report "after malloc_trim(0) called from gdb"
fi
