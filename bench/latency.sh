#!/usr/bin/env bash
# API -> verdict latency for a trivial probe over a real (embedded) broker; see LatencyBench's Javadoc.
# Usage: bench/latency.sh [evaluations]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
mvn -B -q install -DskipTests >/dev/null
mvn -B -q -pl deploy exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.tollgate.deploy.bench.LatencyBench \
  -Dexec.args="$N" -Dexec.cleanupDaemonThreads=false 2>&1 | grep -vE '^\S+ (INFO|WARN) '
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
