#!/bin/bash
# The writers' side of N writers each sending one ASSERT per round trip: runs
# `assert-latency --threads N --seconds 10 --reps 1 --warmup 0` from the Release build under ROOT and, over 6 s of
# the run, reads every thread's CPU and context switches (/proc/<pid>/task/*/stat, status): the process's CPU
# minus the ingestor's and the checkpoint thread's (the writers, the journal's flusher and the runtime's threads),
# per acknowledged write, and the same threads' voluntary and involuntary context switches per write.
# Writes are counted as the run's rate times the window, as bench/scripts/ingestor-io.sh does.
# usage: bench/scripts/writer-side.sh [THREADS] [ROOT]    (ROOT: a checkout with bench/ built, default .)
set -euo pipefail
threads=${1:-16}; root=${2:-.}
source "$(dirname "${BASH_SOURCE[0]}")/assert-latency-run.sh"
start_assert_latency "$threads" "$root"
# tid, comm, utime+stime (ticks), voluntary, involuntary switches of every thread
snapshot() {
    for t in /proc/$pid/task/*; do
        awk -v tid="${t##*/}" -v comm="$(tr ' ' _ < "$t/comm" 2>/dev/null)" \
            'FNR==1 && FILENAME ~ /stat$/ { sub(/.*\) /, ""); split($0, f, " "); cpu = f[12] + f[13] }
             /^voluntary_ctxt_switches/ { v = $2 } /^nonvoluntary_ctxt_switches/ { n = $2 }
             END { print tid, comm, cpu, v, n }' "$t/stat" "$t/status" 2>/dev/null || true
    done
}
sleep 2; snapshot >"$out.0"; sleep 6; snapshot >"$out.1"
wait $pid
rate=$(assert_latency_rate "$threads")
python3 - "$rate" "$threads" "$out.0" "$out.1" <<'PY'
import sys
rate, threads = float(sys.argv[1]), int(sys.argv[2])
def load(path):
    return {f[0]: (f[1], int(f[2]), int(f[3]), int(f[4])) for f in (l.split() for l in open(path)) if len(f) == 5}
before, after = load(sys.argv[3]), load(sys.argv[4])
writes = rate * 6
cpu = vol = inv = ingestor = 0
for tid, (comm, c, v, n) in after.items():
    c0, v0, n0 = before.get(tid, (comm, 0, 0, 0))[1:]
    if comm.startswith("StemeQL_ingest"): ingestor += c - c0; continue
    if comm.startswith("StemeQL_checkp"): continue
    cpu += c - c0; vol += v - v0; inv += n - n0
tick = 1e6 / 100   # USER_HZ
print(f"{threads} writers: {rate:,.0f} writes/s; writer side CPU {cpu * tick / writes:.1f} µs/write "
      f"(ingestor {ingestor * tick / writes:.1f}); context switches per write: voluntary {vol / writes:.2f}, involuntary {inv / writes:.2f}")
PY
rm -f "$out" "$out.0" "$out.1"
