# Shared by the server benchmarks (sourced, not run): the release binary, a scratch directory
# removed on exit with the server ($SERVER) stopped, and the server's base URL on $PORT.
#
# BIN=path/to/luoshi runs an existing release build instead of building one.
bench_setup() {
    if [ -z "${BIN:-}" ]; then
        cargo build --release -q -p luoshi
        BIN="$PWD/target/release/luoshi"
    fi
    WORK="$(mktemp -d)"
    trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
    BASE="http://127.0.0.1:$PORT"
}

# Start `luoshi serve --demo` on the database $1 (log in $WORK/serve.log, process id in
# $SERVER) and wait until it answers (seeding the demo on PostgreSQL takes longer than on
# SQLite: up to 10 minutes on a loaded machine); stops the script when the server died or never
# answered.
start_demo_server() {
    "$BIN" serve --db "$1" --addr "127.0.0.1:$PORT" --demo >"$WORK/serve.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 3000); do
        curl -s -o /dev/null "$BASE/" && return 0
        kill -0 "$SERVER" 2>/dev/null || break
        sleep 0.2
    done
    echo "the server did not start; its log:" >&2
    tail -n 20 "$WORK/serve.log" >&2
    exit 1
}
