#!/usr/bin/env bash
# A soak of the all-in-one: N minutes at a steady rate over HTTP, fresh 50-file candidates, per-minute latency, heap
# after GC, RSS, threads, open files, CPU and consumer lag, plotted (see SoakBench). Several jars run side by side in
# the same minutes (each its own broker, ports and repository), so a before/after comparison shares the machine's load.
# Usage: bench/soak.sh [minutes=30] [rate=3] [JAR:LABEL ...]      (default: deploy/target/tollgate.jar:soak)
#   e.g. bench/soak.sh 30 3 /tmp/history-before/deploy/target/tollgate.jar:before deploy/target/tollgate.jar:after
# Output: target/bench/<label>/soak.tsv and soak.txt per run, target/bench/soak.png with every run.
# Ports: run i uses 18300+i (gate) and 18310+2i, 18311+2i (broker). JAVA_OPTS=-Dbench.jfr=gate.jfr records each gate.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-30}; RATE=${2:-3}; shift $(( $# < 2 ? $# : 2 ))
RUNS=("$@"); [ ${#RUNS[@]} -eq 0 ] && RUNS=("deploy/target/tollgate.jar:soak")
CP_FILE=$(mktemp)
mvn -B -q -pl deploy -am package -DskipTests dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test >/dev/null
CP="deploy/target/test-classes:deploy/target/classes:$(cat "$CP_FILE")"
echo "start: $(date -u +%FT%TZ), $(uptime)"
PIDS=(); PLOT=()
for i in "${!RUNS[@]}"; do
  JAR=${RUNS[$i]%%:*}; LABEL=${RUNS[$i]##*:}
  mkdir -p "target/bench/$LABEL"
  java ${JAVA_OPTS:-} -Dbench.port=$((18300 + i)) -Dbench.kafkaPort=$((18310 + 2 * i)) -cp "$CP" \
    dev.tollgate.deploy.bench.SoakBench "$MINUTES" "$RATE" "$JAR" "$LABEL" > "target/bench/$LABEL/soak.log" 2>&1 &
  PIDS+=($!); PLOT+=("target/bench/$LABEL/soak.tsv" "$LABEL")
done
STATUS=0
for p in "${PIDS[@]}"; do wait "$p" || STATUS=1; done
rm -f "$CP_FILE"
echo "end: $(date -u +%FT%TZ), $(uptime)"
for r in "${RUNS[@]}"; do cat "target/bench/${r##*:}/soak.txt" 2>/dev/null || tail -20 "target/bench/${r##*:}/soak.log"; done
bench/plot-soak.sh target/bench/soak.png "${PLOT[@]}"
exit $STATUS
