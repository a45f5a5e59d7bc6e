#!/usr/bin/env bash
# Request -> verdict latency at fixed rates, every production probe, a realistic 50-file change (see LoadBench).
# Usage: bench/load.sh [seconds-per-rate] [rates...]     e.g. bench/load.sh 20 5 10 20 30 40
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then set -- 20 5 10 20 30 40; fi
bench/run-java.sh dev.tollgate.deploy.bench.LoadBench "$@"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d)"
