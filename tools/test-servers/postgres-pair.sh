#!/usr/bin/env bash
# A throw-away PostgreSQL primary and its synchronous streaming standby on 127.0.0.1, for the
# replication and failover tests (docs/storage.md, "Replication and failover"). `start` writes
# .run/NAME.env (NAME defaults to postgres-pair):
#   STEMEQL_TEST_PG_PRIMARY, STEMEQL_TEST_PG_STANDBY  one Npgsql connection string per server
#   STEMEQL_TEST_PG_MULTIHOST       both hosts, Target Session Attributes=read-write (follows the primary)
#   STEMEQL_TEST_PG_MULTIHOST_READ  both hosts, Target Session Attributes=prefer-standby (reads)
# Usage: tools/test-servers/postgres-pair.sh COMMAND [NAME]
#   start            a fresh pair; returns once the standby streams and is synchronous
#   stop             stops both servers and deletes the pair
#   kill-primary     stops the primary hard (pg_ctl stop -m immediate), as a crash would
#   promote-standby  promotes the standby; returns once it accepts writes
#   stop-standby     stops the standby (commits on the primary then wait for it)
#   start-standby    starts it again; returns once it is synchronous again
#   status           each server's state and the primary's replication state
# Pairs with different NAMEs, or with different STEMEQL_TEST_SERVERS_STATE folders, are independent:
# a test that kills or promotes uses a pair of its own (tests/Shared/PrivatePostgresPair.cs).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/postgres-common.sh"

name="${2:-postgres-pair}"
if [[ ! "$name" =~ ^[A-Za-z0-9_-]+$ ]]; then
    echo "pair name '$name': use letters, digits, '-' and '_' only" >&2
    exit 2
fi
# The servers live under /tmp, not in the clone (the postgres user must reach them); .run/NAME.dir
# remembers where, and the folder holds each server's data, log and port.
dir="$(cat "$STATE/$name.dir" 2>/dev/null || true)"
# The standby's name on the primary: synchronous_standby_names and pg_stat_replication refer to it.
standby_name=standby

port_of() { cat "$dir/$1.port"; }

running() { [[ -n "$dir" && -f "$dir/$1/postmaster.pid" ]]; }

# sql NODE QUERY: the query's result, unaligned, as the postgres user over loopback.
sql() {
    as_owner "$(bin_dir)/psql" -h 127.0.0.1 -p "$(port_of "$1")" -U postgres -d postgres -XAtq \
        -v ON_ERROR_STOP=1 -c "$2"
}

# wait_until SECONDS WHAT NODE QUERY EXPECTED: polls until the query returns EXPECTED.
wait_until() {
    local deadline=$((SECONDS + $1)) what="$2" node="$3" query="$4" expected="$5"
    while ((SECONDS < deadline)); do
        if [[ "$(sql "$node" "$query" 2>/dev/null || true)" == "$expected" ]]; then return 0; fi
        sleep 0.1
    done
    echo "$what did not happen within $1 s; the $node's log:" >&2
    tail -20 "$dir/$node.log" >&2
    return 1
}

start_node() {
    as_owner "$(bin_dir)/pg_ctl" -D "$dir/$1" -l "$dir/$1.log" -w -t 60 start >/dev/null || {
        cat "$dir/$1.log" >&2; return 1; }
}

wait_for_sync_standby() {
    wait_until 60 "The standby becoming synchronous" primary \
        "select sync_state from pg_stat_replication where application_name = '$standby_name'" sync
}

start() {
    stop
    ensure_postgres_installed
    local bin p1 p2
    bin="$(bin_dir)"
    p1="$(free_port)"
    p2="$(free_port)"
    while [[ "$p2" == "$p1" ]]; do p2="$(free_port)"; done
    dir="$(mktemp -d /tmp/stemeql-pair.XXXXXX)"
    echo "$dir" >"$STATE/$name.dir"
    echo "$p1" >"$dir/primary.port"
    echo "$p2" >"$dir/standby.port"
    if [[ "$(id -u)" == 0 ]]; then chown postgres: "$dir"; fi

    # --no-sync only skips flushing initdb's files; the servers themselves run with fsync on.
    as_owner "$bin/initdb" -D "$dir/primary" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2; stop; exit 1; }
    # Loopback only. A replication role of its own, as in production; trust stands in for
    # scram-sha-256 and a password on this throw-away pair.
    cat >"$dir/primary/pg_hba.conf" <<EOF
local all         all        trust
host  all         all        127.0.0.1/32 trust
host  replication replicator 127.0.0.1/32 trust
EOF
    # remote_apply: a commit returns once the standby has flushed AND applied it, so an
    # acknowledged write is durable on both servers (RPO = 0) and a read on the standby right after
    # the commit sees it. `on` would only wait for the standby's flush (still RPO = 0, but a standby
    # read could miss the newest commit). Durability is the point here: fsync stays on.
    cat >>"$dir/primary/postgresql.conf" <<EOF

# --- tools/test-servers/postgres-pair.sh: the primary ---
listen_addresses = '127.0.0.1'
port = $p1
unix_socket_directories = '$dir'
shared_buffers = 32MB
wal_level = replica
max_wal_senders = 4
max_replication_slots = 4
hot_standby = on
synchronous_standby_names = 'FIRST 1 ($standby_name)'
synchronous_commit = remote_apply
EOF
    start_node primary || { stop; exit 1; }
    # Local: no standby is there yet to wait for.
    sql primary "set synchronous_commit = local; create role replicator with replication login" >/dev/null

    # -R: standby.signal and primary_conninfo; -C -S: a replication slot, so the primary keeps the
    # WAL the standby has not received yet while the standby is down; -c fast: start at once.
    as_owner "$bin/pg_basebackup" -d "host=127.0.0.1 port=$p1 user=replicator application_name=$standby_name" \
        -D "$dir/standby" -R -X stream -C -S "$standby_name" -c fast --no-sync >"$dir/basebackup.log" 2>&1 || {
        cat "$dir/basebackup.log" >&2; stop; exit 1; }
    # The standby copied the primary's settings; later lines win. No synchronous standby of its own:
    # once promoted it commits alone (RPO = 0 again only once a new standby is attached).
    cat >>"$dir/standby/postgresql.conf" <<EOF

# --- tools/test-servers/postgres-pair.sh: the standby ---
port = $p2
synchronous_standby_names = ''
EOF
    start_node standby || { stop; exit 1; }
    wait_for_sync_standby || { stop; exit 1; }

    local user="Username=postgres;Database=postgres"
    # Quoted: the file is sourced by bash, where ';' would end the assignment.
    {
        printf "STEMEQL_TEST_PG_PRIMARY='Host=127.0.0.1;Port=%s;%s'\n" "$p1" "$user"
        printf "STEMEQL_TEST_PG_STANDBY='Host=127.0.0.1;Port=%s;%s'\n" "$p2" "$user"
        printf "STEMEQL_TEST_PG_MULTIHOST='Host=127.0.0.1:%s,127.0.0.1:%s;%s;Target Session Attributes=read-write'\n" "$p1" "$p2" "$user"
        printf "STEMEQL_TEST_PG_MULTIHOST_READ='Host=127.0.0.1:%s,127.0.0.1:%s;%s;Target Session Attributes=prefer-standby'\n" "$p1" "$p2" "$user"
    } >"$STATE/$name.env"
    echo "PostgreSQL primary on 127.0.0.1:$p1, synchronous standby on 127.0.0.1:$p2; settings in $STATE/$name.env"
}

stop() {
    local node
    for node in standby primary; do
        # Immediate: the pair is deleted next, so there is nothing to shut down cleanly for.
        if running "$node"; then as_owner "$(bin_dir)/pg_ctl" -D "$dir/$node" -m immediate -w stop >/dev/null 2>&1 || true; fi
    done
    if [[ -n "$dir" ]]; then rm -rf "$dir"; fi
    rm -f "$STATE/$name.dir" "$STATE/$name.env"
    dir=""
}

require_pair() {
    if [[ -z "$dir" ]]; then
        echo "No pair '$name' is running: start one with '$0 start${2:+ $name}'." >&2
        exit 1
    fi
}

kill_primary() {
    as_owner "$(bin_dir)/pg_ctl" -D "$dir/primary" -m immediate -w stop >/dev/null
    echo "primary on 127.0.0.1:$(port_of primary) stopped (immediate)"
}

promote_standby() {
    as_owner "$(bin_dir)/pg_ctl" -D "$dir/standby" -w -t 60 promote >/dev/null
    wait_until 60 "The standby's promotion" standby "select pg_is_in_recovery()" f
    echo "standby on 127.0.0.1:$(port_of standby) promoted; it accepts writes"
}

stop_standby() {
    as_owner "$(bin_dir)/pg_ctl" -D "$dir/standby" -m fast -w stop >/dev/null
    echo "standby on 127.0.0.1:$(port_of standby) stopped"
}

start_standby() {
    start_node standby
    wait_for_sync_standby
    echo "standby on 127.0.0.1:$(port_of standby) running and synchronous"
}

status() {
    local node
    for node in primary standby; do
        if running "$node"; then
            echo "$node: 127.0.0.1:$(port_of "$node"), in recovery: $(sql "$node" "select pg_is_in_recovery()" 2>/dev/null || echo '?')"
        else
            echo "$node: 127.0.0.1:$(port_of "$node"), stopped"
        fi
    done
    if running primary; then
        echo "replication: $(sql primary "select coalesce(string_agg(application_name || ' ' || state || ' ' || sync_state, ', '), 'none') from pg_stat_replication" 2>/dev/null || echo '?')"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    kill-primary) require_pair "$@"; kill_primary ;;
    promote-standby) require_pair "$@"; promote_standby ;;
    stop-standby) require_pair "$@"; stop_standby ;;
    start-standby) require_pair "$@"; start_standby ;;
    status) require_pair "$@"; status ;;
    *) echo "usage: $0 start|stop|kill-primary|promote-standby|stop-standby|start-standby|status [NAME]" >&2; exit 2 ;;
esac
