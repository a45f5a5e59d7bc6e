#!/usr/bin/env bash
# The aggregator's CPU per evaluation with and without its parsed copy of the open states, side by side in one JVM
# (AggregatorCpuBench: thread CPU time per evaluation, rounds alternating). Usage: bench/aggregator-cpu.sh [rounds] [per-round]
set -euo pipefail
cd "$(dirname "$0")/.."
echo "start: $(date -u +%FT%TZ), $(uptime)"
CP_FILE=$(mktemp)
mvn -B -q -pl gate-service -am test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
java ${JAVA_OPTS:-} -cp "gate-service/target/test-classes:gate-service/target/classes:$(cat "$CP_FILE")" \
  "dev.tollgate.gate.verdict.${BENCH_CLASS:-AggregatorCpuBench}" "$@" 2>&1 | grep --line-buffered -vE '^[0-9:.]+ (INFO|WARN|DEBUG) '
rm -f "$CP_FILE"
echo "end: $(date -u +%FT%TZ), $(uptime)"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
