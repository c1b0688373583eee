#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 cluster for the storage test suite and print its URL.
#
#   export TEST_DATABASE_URL="$(bash scripts/pg-test-server.sh | tail -n 1)"
#   cargo test -p luoshi-app --test storage_suite
#
# The cluster lives in a data directory under /tmp, owned by a non-root user (the `postgres`
# system user when run as root), listens on 127.0.0.1 only, and trusts local connections:
# it is for tests, never for real data. It also serves TLS (plain connections keep working):
# a throwaway CA signs a certificate for `localhost`, both written next to the data directory
# (`PG_TEST_DIR.tls/`: ca.crt, server.crt, server.key, and other-ca.crt, a CA that signed
# nothing, for tests that must see verification fail); the tests find them through the
# server's `ssl_cert_file` setting. Idempotent: when a server already accepts connections
# on the port and lets `postgres` log in without a password (our own test cluster, started
# earlier), the script only prints the URL. A server on the port that refuses that login (for
# example Debian's default cluster, started when the package was installed) is left alone and
# the next port is tried; a running test cluster without TLS gets it switched on (a reload, no
# restart). It installs nothing (CI installs the `postgresql` and `openssl` packages first).
#
# Settings (environment):
#   PG_TEST_PORT  first port to try (default 5432; up to 20 ports after it are tried)
#   PG_TEST_DIR   data directory (default /tmp/luoshi-pg-test-PORT)
#   PG_BIN        PostgreSQL programs (default /usr/lib/postgresql/15/bin)
#
# Stop it with: runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_TEST_DIR" stop
# The last line of output is the URL; progress goes to stderr.
set -euo pipefail

first_port="${PG_TEST_PORT:-5432}"
bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"

say() { echo "pg-test-server: $*" >&2; }

if [ ! -x "$bin/pg_ctl" ]; then
    say "找不到 PostgreSQL 程序 $bin/pg_ctl（请先安装 postgresql 15，或设置 PG_BIN）"
    exit 1
fi

url_for() { echo "postgres://postgres@127.0.0.1:$1/postgres"; }

# Whether the test login works on a server that is up.
can_log_in() { "$bin/psql" -X -q -w -d "$(url_for "$1")" -c 'SELECT 1' >/dev/null 2>&1; }

# Run a PostgreSQL program as the cluster's owner: PostgreSQL refuses to run as root.
if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    if ! id "$owner" >/dev/null 2>&1; then
        say "以 root 运行时需要系统用户 postgres（安装 postgresql 软件包会创建它）"
        exit 1
    fi
    as_owner() { runuser -u "$owner" -- "$@"; }
else
    owner="$(id -un)"
    as_owner() { "$@"; }
fi

# Switch TLS on for the server on port $1 (idempotent): make the certificates if missing, point
# the server at them and reload. Without openssl the server stays plain (the TLS tests then say so).
ensure_tls() {
    local sql="$bin/psql -X -q -w -A -t -d $(url_for "$1")"
    if [ "$($sql -c 'SHOW ssl')" = "on" ]; then
        return 0
    fi
    if ! command -v openssl >/dev/null 2>&1; then
        say "找不到 openssl，测试服务器不启用 TLS（请安装 openssl 软件包）"
        return 0
    fi
    local data tls
    data="$($sql -c 'SHOW data_directory')"
    tls="$data.tls"
    if [ ! -s "$tls/server.key" ]; then
        say "making a throwaway CA and a certificate for localhost in $tls"
        rm -rf "$tls"
        mkdir -p "$tls"
        (
            cd "$tls"
            for ca in ca other-ca; do
                openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
                    -subj "/CN=Luoshi test $ca" -keyout "$ca.key" -out "$ca.crt" 2>/dev/null
            done
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
                -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
            printf '%s\n' "subjectAltName=DNS:localhost" "basicConstraints=critical,CA:FALSE" \
                "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" >server.ext
            openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
                -extfile server.ext -out server.crt 2>/dev/null
            rm -f ca.key other-ca.key server.csr server.ext ca.srl
        )
        chown -R "$owner" "$tls"
        chmod 755 "$tls"
        chmod 644 "$tls"/*.crt
        chmod 600 "$tls/server.key"
    fi
    $sql -c "ALTER SYSTEM SET ssl_cert_file = '$tls/server.crt'" \
        -c "ALTER SYSTEM SET ssl_key_file = '$tls/server.key'" \
        -c "ALTER SYSTEM SET ssl = on" -c 'SELECT pg_reload_conf()' >/dev/null
    for _ in $(seq 1 20); do
        [ "$($sql -c 'SHOW ssl')" = "on" ] && return 0
        sleep 0.5
    done
    say "TLS did not come on; the server log says:"
    tail -n 10 "$data/server.log" >&2 || true
}

# Find the port: one where our login already works (print and stop), or the first free one.
port=""
for candidate in $(seq "$first_port" $((first_port + 20))); do
    state=0
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$candidate" || state=$?
    if [ "$state" -eq 0 ] && can_log_in "$candidate"; then
        say "a server already accepts the test login on 127.0.0.1:$candidate"
        ensure_tls "$candidate"
        url_for "$candidate"
        exit 0
    fi
    if [ "$state" -eq 2 ]; then
        port="$candidate"
        break
    fi
    say "127.0.0.1:$candidate is taken by a server that refuses the test login; trying the next port"
done
if [ -z "$port" ]; then
    say "找不到可用端口（$first_port 起 21 个端口均被占用）"
    exit 1
fi
dir="${PG_TEST_DIR:-/tmp/luoshi-pg-test-$port}"
url="$(url_for "$port")"

if [ ! -s "$dir/PG_VERSION" ]; then
    say "creating a test cluster in $dir (owner $owner)"
    rm -rf "$dir"
    mkdir -p "$dir"
    chown "$owner" "$dir"
    chmod 700 "$dir"
    as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 || {
        say "initdb failed:"
        cat "$dir.initdb.log" >&2
        exit 1
    }
fi

# A server of this directory that is not answering is still shutting down (or was killed):
# give it a few seconds to go, then a stale postmaster.pid must not block the start.
if [ -f "$dir/postmaster.pid" ]; then
    for _ in $(seq 1 15); do
        as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1 || break
        sleep 1
    done
    if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        rm -f "$dir/postmaster.pid"
    fi
fi

say "starting PostgreSQL on 127.0.0.1:$port"
as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >&2 || {
    say "the server did not start; its log:"
    tail -n 40 "$dir/server.log" >&2 || true
    exit 1
}

for _ in $(seq 1 60); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
        ensure_tls "$port"
        echo "$url"
        exit 0
    fi
    sleep 1
done
say "PostgreSQL did not accept connections within 60 s"
exit 1
