# Sourced by the scripts here that read /proc counters during an `assert-latency` run.
# start_assert_latency THREADS ROOT: starts `assert-latency --threads THREADS --seconds 10 --reps 1 --warmup 0` from the
# Release build under ROOT in the background, its output in $out and its process id in $pid, and returns once the
# store's ingestor thread exists.
# assert_latency_rate THREADS: after `wait $pid`, the run's writes/s from $out.
start_assert_latency() {
    local threads=$1 root=$2
    local exe="$root/bench/StemeQL.Workloads/bin/Release/net10.0/StemeQL.Workloads"
    [ -x "$exe" ] || { echo "build first: dotnet build -c Release $root/bench/StemeQL.Workloads" >&2; exit 1; }
    out=$(mktemp)
    "$exe" assert-latency --threads "$threads" --seconds 10 --reps 1 --warmup 0 >"$out" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do grep -q "ingest" /proc/$pid/task/*/comm 2>/dev/null && break; sleep 0.1; done
}

assert_latency_rate() {
    grep "throughput, $1 writer" "$out" | head -1 | awk -F'|' '{print $3}' | tr -d ' ,'
}
