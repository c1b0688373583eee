# Shared parts of the HTTP load tests (scripts/bench-*.sh), sourced from the repository root,
# not run: wrk installed when missing, the release build ($BIN), a scratch directory ($WORK)
# removed on exit with the server ($SERVER) stopped, a login through the real login form, one
# wrk run printed as a table row, and a fresh database per engine. The caller sets PORT,
# CONNECTIONS, DURATION and, per run, ENGINE.

if ! command -v wrk >/dev/null 2>&1; then
    echo "== installing wrk" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cargo build --release -q -p luoshi
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/luoshi"
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# Log in through the real login form; prints the session cookie. Password: $2, default the
# benchmark accounts' one.
login() {
    local user="$1" password="${2:-bench-password-2020}" jar="$WORK/$1.jar" token
    token="$(curl -s -c "$jar" "http://127.0.0.1:$PORT/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')"
    curl -s -o /dev/null -b "$jar" -c "$jar" \
        --data-urlencode "csrf=$token" --data-urlencode "username=$user" \
        --data-urlencode "password=$password" --data-urlencode "next=/" \
        "http://127.0.0.1:$PORT/login"
    awk '$6 ~ /session/ { print $6 "=" $7 }' "$jar"
}

# The table's head.
load_header() {
    printf '| %-10s | %-34s | %8s | %8s | %8s | %s | %s |\n' engine page "req/s" p50 p99 non-2xx load
    printf '|%s|\n' "------------|------------------------------------|----------|----------|----------|-----|-----"
}

# One load run: label, cookie, path; prints a row with the machine's load average beside it.
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

# Wait until the server answers.
wait_up() {
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$PORT/" && return 0
        sleep 0.2
    done
    echo "the server did not answer on port $PORT" >&2
    return 1
}

# A fresh database for $ENGINE named $1 (SQLite: a file in $WORK; PostgreSQL: created on
# $TEST_DATABASE_URL's server, or on the throwaway test server); prints its URL.
bench_db() {
    case "$ENGINE" in
        sqlite) echo "$WORK/$1.db" ;;
        postgres)
            local admin="${TEST_DATABASE_URL:-$(bash scripts/pg-test-server.sh 2>/dev/null | tail -n 1)}"
            psql -q "$admin" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >&2
            echo "${admin%/*}/$1"
            ;;
    esac
}

# Drop what bench_db made for $ENGINE (SQLite's file goes with $WORK).
drop_bench_db() {
    if [ "$ENGINE" = postgres ]; then
        psql -q "${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" \
            -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" || true
    fi
}
