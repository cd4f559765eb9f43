#!/bin/bash
# What the embedded store's background threads write per acknowledged write, with N writers each sending
# one ASSERT per round trip: runs `assert-latency --threads N --seconds 10 --reps 1 --warmup 0` from the
# Release build under ROOT and reads the ingestor's and the checkpoint thread's own I/O counters
# (/proc/<pid>/task/<tid>/io) over 6 seconds of the run. Counts survive a busy machine better than rates.
# usage: bench/scripts/ingestor-io.sh [THREADS] [ROOT]    (ROOT: a checkout with bench/ built, default .)
set -euo pipefail
threads=${1:-16}; root=${2:-.}
source "$(dirname "${BASH_SOURCE[0]}")/assert-latency-run.sh"
start_assert_latency "$threads" "$root"
tid=$(grep -l "ingest" /proc/$pid/task/*/comm | head -1 | cut -d/ -f5)
ck=$(grep -l "checkpo" /proc/$pid/task/*/comm | head -1 | cut -d/ -f5)
sleep 2
read -r w0 c0 < <(awk '/^wchar/{w=$2}/^syscw/{c=$2}END{print w, c}' /proc/$pid/task/$tid/io)
k0=$(awk '/^wchar/{print $2}' /proc/$pid/task/$ck/io)
sleep 6
read -r w1 c1 < <(awk '/^wchar/{w=$2}/^syscw/{c=$2}END{print w, c}' /proc/$pid/task/$tid/io)
k1=$(awk '/^wchar/{print $2}' /proc/$pid/task/$ck/io)
wait $pid
rate=$(assert_latency_rate "$threads")
cpu=$(grep "ingestor thread's CPU" "$out" | sed 's/.*median of runs, //; s/ µs.*//')
python3 - "$rate" "$cpu" "$w0" "$w1" "$c0" "$c1" "$k0" "$k1" "$threads" <<'PY'
import sys
rate, cpu = float(sys.argv[1]), sys.argv[2]
w0, w1, c0, c1, k0, k1, threads = map(int, sys.argv[3:])
writes = rate * 6
print(f"{threads} writers: {rate:,.0f} writes/s; ingestor CPU {cpu} µs/write; ingestor WAL bytes/write {(w1-w0)/writes:,.0f}; "
      f"write calls/write {(c1-c0)/writes:.2f}; checkpoint bytes/write {(k1-k0)/writes:,.0f}")
PY
rm -f "$out"
