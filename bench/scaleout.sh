#!/usr/bin/env bash
# Worker scale-out with real processes: 1 vs 2 worker processes on one broker, probe-bound load; kill -9 under load.
# Usage: bench/scaleout.sh [seconds-per-phase]
set -euo pipefail
cd "$(dirname "$0")/.."
bench/run-java.sh dev.tollgate.deploy.bench.ScaleOutBench "${1:-30}"
echo "$(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d)"
