#!/usr/bin/env bash
# Builds everything from a clean clone and runs every test project. The build fetches the ANTLR
# tool (npm ci in tools/antlr) and generates the parser; nothing needs to be installed beforehand
# except the .NET SDK, Java and Node.js, which this project's machines have.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

dotnet build StemeQL.sln -c Release --nologo
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
