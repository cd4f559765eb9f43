#!/usr/bin/env bash
# Builds everything from a clean clone and runs every test project. The build fetches the ANTLR
# tool (npm ci in tools/antlr) and generates the parser; nothing needs to be installed beforehand
# except the .NET SDK, Java and Node.js, which this project's machines have. The servers some tests
# need (s3rver for the S3 object store, PostgreSQL, and a PostgreSQL primary with a synchronous
# standby for the replication tests) are installed where missing and started on
# loopback by tools/test-servers/, and stopped on exit, also when something fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
log="$(mktemp)"
stop_servers() {
    tools/test-servers/s3rver.sh stop || true
    tools/test-servers/postgres.sh stop || true
    tools/test-servers/postgres-pair.sh stop || true
}
trap 'stop_servers; rm -f "$log"' EXIT

dotnet build StemeQL.sln -c Release --nologo
tools/test-servers/s3rver.sh start
tools/test-servers/postgres.sh start
tools/test-servers/postgres-pair.sh start
set -a
source tools/test-servers/.run/s3.env
source tools/test-servers/.run/postgres.env
source tools/test-servers/.run/postgres-pair.env
set +a
set +e
dotnet test StemeQL.sln -c Release --no-build --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line in the plain form CI reads: "N passed, N failed".
awk '/^(Passed|Failed)!/ {
        for (i = 1; i <= NF; i++) {
            if ($i == "Passed:") p += $(i + 1) + 0
            if ($i == "Failed:") f += $(i + 1) + 0
            if ($i == "Skipped:") s += $(i + 1) + 0
        }
     }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
