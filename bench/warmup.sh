#!/usr/bin/env bash
# The gate's in-memory path right after "ready", cold against warmed by GateWarmup (WarmupBench): thread CPU per
# evaluation in slices of 250 ms, each mode in a fresh JVM, alternating so both see the same machine.
# Usage: bench/warmup.sh [runs=2] [budget-ms=5000] [slices=12]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-2}; BUDGET=${2:-5000}; SLICES=${3:-12}
echo "start: $(date -u +%FT%TZ), $(uptime)"
for i in $(seq 1 "$RUNS"); do
  for mode in cold warm; do
    bench/run-java.sh dev.tollgate.deploy.bench.WarmupBench "$mode" "$BUDGET" "$SLICES"
    echo "  (load: $(uptime | sed 's/.*load average: //'))"
  done
done
echo "end: $(date -u +%FT%TZ), $(uptime)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
