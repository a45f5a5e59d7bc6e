#!/usr/bin/env bash
# What the worker's one redaction point costs beside the checks it follows (see RedactionBench), warm, in process.
# Usage: bench/redaction.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
bench/run-java.sh dev.tollgate.deploy.bench.RedactionBench "$@"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%Y-%m-%d), load: $(uptime | sed 's/.*load average: //')"
