#!/usr/bin/env bash
# Starts or stops s3rver, an S3-compatible server, on 127.0.0.1 and a free port with a throw-away
# folder, for the object-store tests. `start` installs it first when missing (npm ci into
# tools/test-servers/node_modules, from package-lock.json) and writes .run/s3.env:
#   STEMEQL_TEST_S3_URL=http://127.0.0.1:PORT   STEMEQL_TEST_S3_BUCKET=stemeql-test
# Usage: tools/test-servers/s3rver.sh start|stop
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
dir="$STATE/s3rver"
bucket=stemeql-test

start() {
    stop
    if [[ ! -x "$here/node_modules/.bin/s3rver" ]]; then
        (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
    fi
    mkdir -p "$dir/data"
    local port
    port="$(free_port)"
    # Any access key is accepted (s3rver checks signatures against S3RVER/S3RVER only when told to).
    nohup "$here/node_modules/.bin/s3rver" --address 127.0.0.1 --port "$port" --directory "$dir/data" \
        --configure-bucket "$bucket" --silent >"$dir/log" 2>&1 &
    echo $! >"$dir/pid"
    if ! wait_for_port "$port" 30; then
        echo "s3rver did not start on 127.0.0.1:$port; its log:" >&2
        cat "$dir/log" >&2
        stop
        exit 1
    fi
    printf 'STEMEQL_TEST_S3_URL=http://127.0.0.1:%s\nSTEMEQL_TEST_S3_BUCKET=%s\n' "$port" "$bucket" >"$STATE/s3.env"
    echo "s3rver listening on http://127.0.0.1:$port (bucket $bucket); settings in $STATE/s3.env"
}

stop() {
    if [[ -f "$dir/pid" ]]; then
        local pid
        pid="$(cat "$dir/pid")"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$dir" "$STATE/s3.env"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
