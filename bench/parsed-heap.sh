#!/usr/bin/env bash
# The heap the aggregator's parsed copy costs per stored JSON byte (ParsedStatesHeapBench: open states parsed and held,
# used heap after full GCs). Usage: bench/parsed-heap.sh [rounds] [open-states]
set -euo pipefail
cd "$(dirname "$0")/.."
echo "start: $(date -u +%FT%TZ), $(uptime)"
CP_FILE=$(mktemp)
mvn -B -q -pl gate-service -am test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
java ${JAVA_OPTS:-} -cp "gate-service/target/test-classes:gate-service/target/classes:$(cat "$CP_FILE")" \
  dev.tollgate.gate.verdict.ParsedStatesHeapBench "$@" 2>&1 | grep --line-buffered -vE '^[0-9:.]+ (INFO|WARN|DEBUG) '
rm -f "$CP_FILE"
echo "end: $(date -u +%FT%TZ), $(uptime)"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
