#!/usr/bin/env bash
# A soak of the all-in-one: N minutes at a steady rate over HTTP, fresh 50-file candidates, per-minute latency, heap
# after GC, RSS, threads, open files, CPU and consumer lag, plotted (see SoakBench).
# Usage: bench/soak.sh [minutes=30] [rate=3] [jar=deploy/target/tollgate.jar] [label=soak]
#   e.g. a before/after pair: bench/soak.sh 30 3 /tmp/history-before/deploy/target/tollgate.jar before
#                             bench/soak.sh 30 3 deploy/target/tollgate.jar after
# Output: target/bench/<label>/soak.tsv, soak.txt and soak.png. Ports 18300 (gate), 18310-18311 (broker);
# -Dbench.jfr=gate.jfr in JAVA_OPTS records the gate with JFR.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-30}; RATE=${2:-3}; JAR=${3:-deploy/target/tollgate.jar}; LABEL=${4:-soak}
echo "start: $(date -u +%FT%TZ), $(uptime)"
JAVA_OPTS="${JAVA_OPTS:-}" bench/run-java.sh dev.tollgate.deploy.bench.SoakBench "$MINUTES" "$RATE" "$JAR" "$LABEL"
echo "end: $(date -u +%FT%TZ), $(uptime)"
bench/plot-soak.sh "target/bench/$LABEL/soak.tsv" "target/bench/$LABEL/soak.png" "$LABEL"
