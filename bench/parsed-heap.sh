#!/usr/bin/env bash
# The heap the aggregator's parsed copy costs per stored JSON byte (ParsedStatesHeapBench: open states parsed and held,
# used heap after full GCs), built and run as bench/aggregator-cpu.sh is. Usage: bench/parsed-heap.sh [rounds] [open-states]
set -euo pipefail
BENCH_CLASS=ParsedStatesHeapBench exec "$(dirname "$0")/aggregator-cpu.sh" "$@"
