# Shared parts of the server benchmarks (scripts/bench-document.sh, bench-import-memory.sh,
# bench-proposals.sh, bench-supervision.sh), sourced from the repository root, not run: the
# release binary ($BIN), a scratch directory ($WORK) removed on exit with the server ($SERVER)
# stopped, starting the server and waiting for it, logging in, a fresh database per engine and
# one wrk run printed as a table row. The caller sets PORT, then calls `bench_setup`; a load
# test defines `run_engine ENGINE` and calls `run_engines`.
#
# BIN=path/to/luoshi runs an existing release build instead of building one. Load tests:
# DURATION (default 20s) and CONNECTIONS (64) for each wrk run, ENGINES (`sqlite postgres`).

# The binary, the scratch directory with its clean-up, and $BASE. With `wrk` as $1 (a load
# test): wrk installed first when missing (Debian package `wrk`; needs root) and the load
# settings' defaults.
bench_setup() {
    if [ "${1:-}" = wrk ]; then
        if ! command -v wrk >/dev/null 2>&1; then
            echo "== installing wrk" >&2
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
        fi
        DURATION="${DURATION:-20s}"
        CONNECTIONS="${CONNECTIONS:-64}"
        ENGINES="${ENGINES:-sqlite postgres}"
    fi
    if [ -z "${BIN:-}" ]; then
        cargo build --release -q -p luoshi
        BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/luoshi"
    fi
    WORK="$(mktemp -d)"
    # Not `kill "${SERVER:-0}"`: once stop_server has emptied $SERVER, `kill 0` would signal
    # the whole process group (the caller's shell with it).
    trap 'if [ -n "${SERVER:-}" ]; then kill "$SERVER" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT
    BASE="http://127.0.0.1:$PORT"
}

# Start `luoshi serve` on $PORT with the arguments given (log in $WORK/serve.log, process id
# in $SERVER) and wait until it answers.
start_server() {
    "$BIN" serve --addr "127.0.0.1:$PORT" "$@" >"$WORK/serve.log" 2>&1 &
    SERVER=$!
    wait_up
}

# Start `luoshi serve --demo` on the database $1 (its accounts' passwords are in the log: see
# demo_password).
start_demo_server() {
    start_server --db "$1" --demo
}

# Wait until the server answers: up to 10 minutes (seeding the demo on PostgreSQL on a loaded
# machine takes that long); stops the script with the log's tail when the server died or
# never answered.
wait_up() {
    for _ in $(seq 1 3000); do
        curl -s -o /dev/null "$BASE/" && return 0
        kill -0 "$SERVER" 2>/dev/null || break
        sleep 0.2
    done
    echo "the server did not start on port $PORT; its log:" >&2
    tail -n 20 "$WORK/serve.log" >&2
    exit 1
}

# Stop the server and wait for it to go.
stop_server() {
    kill "$SERVER"
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
}

# The password `serve --demo` printed for the demo account $1.
demo_password() {
    awk -v u="$1" '$1 == u { print $2; exit }' "$WORK/serve.log"
}

# Log in through the real login form; prints the session cookie (`name=value`). Password: $2,
# default the benchmark accounts' one.
login() {
    local user="$1" password="${2:-bench-password-2020}" jar="$WORK/$1.jar" token
    token="$(curl -s -c "$jar" "$BASE/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')"
    curl -s -o /dev/null -b "$jar" -c "$jar" \
        --data-urlencode "csrf=$token" --data-urlencode "username=$user" \
        --data-urlencode "password=$password" --data-urlencode "next=/" "$BASE/login"
    awk '$6 ~ /session/ { print $6 "=" $7 }' "$jar"
}

# The PostgreSQL server's admin URL: $TEST_DATABASE_URL, or the throwaway test server's
# (scripts/pg-test-server.sh starts it, or finds it running).
pg_admin_url() {
    echo "${TEST_DATABASE_URL:-$(bash scripts/pg-test-server.sh 2>/dev/null | tail -n 1)}"
}

# A fresh database for $ENGINE named $1 (SQLite: a file in $WORK; PostgreSQL: created on
# pg_admin_url's server); prints its URL.
bench_db() {
    case "$ENGINE" in
        sqlite) echo "$WORK/$1.db" ;;
        postgres)
            local admin
            admin="$(pg_admin_url)"
            psql -q "$admin" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >&2
            echo "${admin%/*}/$1"
            ;;
    esac
}

# Drop what bench_db made for $ENGINE (SQLite's file goes with $WORK).
drop_bench_db() {
    if [ "$ENGINE" = postgres ]; then
        psql -q "$(pg_admin_url)" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" || true
    fi
}

# The head of the table `load` prints rows of.
load_header() {
    printf '| %-10s | %-38s | %8s | %8s | %8s | %5s | %s |\n' engine request "req/s" p50 p99 load non-2xx
    printf '|%s|\n' "------------|----------------------------------------|----------|----------|----------|-------|-----"
}

# One load run of wrk against $BASE: label, path, then extra request headers ("Cookie: …",
# "Accept-Encoding: …"); prints a row with the machine's load average just before the run.
load() {
    local label="$1" path="$2" out before
    shift 2
    local headers=()
    for h in "$@"; do headers+=(-H "$h"); done
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

# The machine, its load and the wrk settings (then $1, if given), the table's head, and the
# caller's `run_engine` for each of $ENGINES.
run_engines() {
    echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t2 -c$CONNECTIONS -d$DURATION${1:+; $1}"
    load_header
    for e in $ENGINES; do
        run_engine "$e"
    done
}
