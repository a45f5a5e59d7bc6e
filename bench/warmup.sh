#!/usr/bin/env bash
# The gate's in-memory path right after "ready", cold against warmed by GateWarmup's loop alone and against warmed and
# drained (the loop, then the wait for C2's queue, issue #24 round 5) (WarmupBench): thread CPU per evaluation in
# slices of 250 ms, each mode in a fresh JVM, alternating so all see the same machine.
# Usage: [MODES="cold warm drained"] bench/warmup.sh [runs=2] [budget-ms=5000] [slices=12]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-2}; BUDGET=${2:-5000}; SLICES=${3:-12}
echo "start: $(date -u +%FT%TZ), $(uptime)"
for i in $(seq 1 "$RUNS"); do
  for mode in ${MODES:-cold warm drained}; do
    bench/run-java.sh dev.tollgate.deploy.bench.WarmupBench "$mode" "$BUDGET" "$SLICES"
    echo "  (load: $(uptime | sed 's/.*load average: //'))"
  done
done
echo "end: $(date -u +%FT%TZ), $(uptime)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
