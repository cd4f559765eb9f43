#!/usr/bin/env bash
# Starts or stops a throw-away PostgreSQL cluster on 127.0.0.1 and a free port, for the tests of the
# PostgreSQL tier. `start` installs Debian's postgresql when no /usr/lib/postgresql/*/bin/initdb
# exists (apt-get, as root), runs initdb and pg_ctl as the postgres user when run as root (the
# server refuses to run as root), and writes .run/postgres.env:
#   STEMEQL_TEST_PG=Host=127.0.0.1;Port=PORT;Username=postgres;Database=postgres
# Usage: tools/test-servers/postgres.sh start|stop
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/postgres-common.sh"
# The cluster lives under /tmp, not in the clone: the postgres user must reach it, and a clone may
# sit in a private (mode 700) folder. .run/postgres.dir remembers where.
dir="$(cat "$STATE/postgres.dir" 2>/dev/null || true)"

start() {
    stop
    ensure_postgres_installed
    local bin port
    bin="$(bin_dir)"
    port="$(free_port)"
    dir="$(mktemp -d /tmp/stemeql-pg.XXXXXX)"
    echo "$dir" >"$STATE/postgres.dir"
    if [[ "$(id -u)" == 0 ]]; then chown postgres: "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2; stop; exit 1; }
    # Loopback only; the socket in the throw-away folder; no fsync (test data is thrown away).
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off" start >/dev/null || {
        cat "$dir/log" >&2; stop; exit 1; }
    # Quoted: the file is sourced by bash, where ';' would end the assignment.
    printf "STEMEQL_TEST_PG='Host=127.0.0.1;Port=%s;Username=postgres;Database=postgres'\n" "$port" >"$STATE/postgres.env"
    echo "PostgreSQL listening on 127.0.0.1:$port; settings in $STATE/postgres.env"
}

stop() {
    if [[ -n "$dir" && -f "$dir/data/postmaster.pid" ]]; then
        as_owner "$(bin_dir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [[ -n "$dir" ]]; then rm -rf "$dir"; fi
    rm -f "$STATE/postgres.dir" "$STATE/postgres.env"
    dir=""
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
