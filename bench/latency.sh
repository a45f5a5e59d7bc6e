#!/usr/bin/env bash
# API -> verdict latency for a trivial probe over a real (embedded) broker; see LatencyBench's Javadoc.
# Usage: bench/latency.sh [evaluations]
set -euo pipefail
cd "$(dirname "$0")/.."
bench/run-java.sh dev.tollgate.deploy.bench.LatencyBench "${1:-1000}"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d)"
