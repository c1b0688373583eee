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
# $SERVER) and wait until it answers.
start_demo_server() {
    "$BIN" serve --db "$1" --addr "127.0.0.1:$PORT" --demo >"$WORK/serve.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 300); do
        curl -s -o /dev/null "$BASE/" && break
        sleep 0.2
    done
}
